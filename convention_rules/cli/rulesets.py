"""``convention-rules list``: the bundled rulesets and their decisions."""

from __future__ import annotations

import argparse

from convention_rules._registry import bundled_rulesets, load_ruleset
from convention_rules.cli.command import Command, Streams


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


COMMANDS = (Command("list", "list bundled rulesets and their decisions", _no_arguments, _list),)
