"""``convention-rules list`` and ``check``: the bundled rulesets, and loading any ruleset file."""

from __future__ import annotations

import argparse
from pathlib import Path

from convention_rules._errors import RulesetError
from convention_rules._registry import bundled_dir, bundled_rulesets, load_ruleset
from convention_rules.cli.command import Command, Streams, one_line


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def _list(options: argparse.Namespace, streams: Streams) -> int:
    del options
    for ruleset_id in bundled_rulesets():
        ruleset = load_ruleset(ruleset_id)
        streams.stdout.write(f"{ruleset.id}: {ruleset.title}\n")
        for name in ruleset.decisions:
            spec = ruleset.decision_spec(name)
            outcomes, inputs = ", ".join(spec.outcomes), ", ".join(spec.inputs)
            streams.stdout.write(f"  {name} -> {outcomes}  [{inputs}]\n")
    return 0


def _configure_check(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", help="ruleset files (default: all bundled)")


def _check(options: argparse.Namespace, streams: Streams) -> int:
    targets = options.paths or [str(bundled_dir() / f"{name}.yaml") for name in bundled_rulesets()]
    failures = 0
    for target in targets:
        try:
            ruleset = load_ruleset(Path(target))
        except RulesetError as exc:
            failures += 1
            streams.stderr.write(f"{one_line(exc)}\n")
        else:
            streams.stdout.write(f"ok {target}: {ruleset.id}, {len(ruleset.decisions)} decisions\n")
    return 2 if failures else 0


COMMANDS = (
    Command("list", "list bundled rulesets and their decisions", _no_arguments, _list),
    Command("check", "load rulesets and report errors (file:line:col)", _configure_check, _check),
)
