"""Helpers of the authoring tests: the fixtures, the command line, small synthetic rulesets."""

from __future__ import annotations

import io
from pathlib import Path

from convention_rules.cli.main import run

FIXTURES = Path(__file__).parent / "fixtures" / "authoring"

HEADER = """\
format: 1
id: synthetic
title: Synthetic
source: none.txt
"""


def line_of(path: Path, needle: str) -> int:
    """The line of ``path`` that holds ``needle`` (1-based)."""
    return next(i for i, row in enumerate(path.read_text().splitlines(), 1) if needle in row)


def call(*args: str, stdin: str = "") -> tuple[int, str, str]:
    """Run the command line: its status, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    status = run(list(args), out, err, io.StringIO(stdin))
    return status, out.getvalue(), err.getvalue()


def write(tmp_path: Path, body: str) -> Path:
    """A synthetic ruleset: the common header, then ``body``."""
    path = tmp_path / "synthetic.yaml"
    path.write_text(HEADER + body)
    return path


def rule(rule_id: str, when: str, outcome: str, extra: str = "") -> str:
    """One rule as a flow mapping, under ``rules:`` of a decision."""
    return (
        f"      - {{id: {rule_id}, when: '{when}', outcome: {outcome}, "
        f'article: "1", text: clause{extra}}}\n'
    )
