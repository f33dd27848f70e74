"""``convention-rules schema``: the JSON Schema of a decision's facts, or of its answer."""

from __future__ import annotations

import argparse
import json

from convention_rules.cli.command import Command, Streams


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ruleset", help="bundled ruleset id or path to a .yaml file")
    parser.add_argument("decision", help="decision name, e.g. eligibility")
    parser.add_argument(
        "--answer", action="store_true", help="the schema of the answer, not of the facts"
    )


def _execute(options: argparse.Namespace, streams: Streams) -> int:
    from convention_rules._registry import load_ruleset  # noqa: PLC0415 (CLI start-up time)

    ruleset = load_ruleset(options.ruleset)
    if options.answer:
        schema = ruleset.answer_schema(options.decision)
    else:
        schema = ruleset.facts_schema(options.decision)
    json.dump(schema, streams.stdout, ensure_ascii=False, indent=2)
    streams.stdout.write("\n")
    return 0


COMMANDS = (
    Command(
        "schema",
        "JSON Schema of a decision's facts (--answer: of its answer)",
        _configure,
        _execute,
    ),
)
