"""Small synthetic rulesets for the hardening tests, and a bounded subprocess runner."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from convention_rules.deciding.ruleset import Ruleset
from convention_rules.reading.loader import read_ruleset

ROOT = Path(__file__).resolve().parent.parent


def ruleset_text(facts: str, rules: list[tuple[str, str]], extra: str = "") -> str:
    """A one-decision ruleset ``t``/``d`` with outcomes yes/no and the given rules."""
    body = "".join(
        f"      - id: r{i}\n        when: '{when}'\n        outcome: {outcome}\n"
        "        article: a\n        text: t\n"
        for i, (when, outcome) in enumerate(rules)
    )
    return (
        f"format: 1\nid: t\ntitle: t\nsource: s\nfacts:\n{facts}{extra}decisions:\n"
        f"  d:\n    title: d\n    outcomes: [yes, no]\n    rules:\n{body}"
    )


def make(facts: str, rules: list[tuple[str, str]], extra: str = "") -> Ruleset:
    return Ruleset(read_ruleset(ruleset_text(facts, rules, extra), "t.yaml"))


def run_bounded(code: str, timeout: float = 60) -> str:
    """Run ``code`` in a fresh interpreter; its stdout. A hang fails the test, not the suite."""
    result = subprocess.run(  # noqa: S603 - this interpreter on the test's own code
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout
