"""``convention-rules decide``: one decision, JSON (or the explanation) on standard output."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from convention_rules._errors import FactError
from convention_rules.cli.command import Command, Streams, printable, printable_json


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ruleset", help="bundled ruleset id or path to a .yaml file")
    parser.add_argument("decision", help="decision name, e.g. eligibility")
    parser.add_argument("--facts", required=True, help="JSON file of facts, or - for stdin")
    parser.add_argument("--as-of", help="date of the question, YYYY-MM-DD (default: today)")
    parser.add_argument("--explain", action="store_true", help="print the explanation, not JSON")
    parser.add_argument(
        "--what-if",
        action="store_true",
        help="also the smallest fact changes that would give each other outcome",
    )
    parser.add_argument(
        "--max-changes", type=int, default=3, help="what-if: facts changed at most (default 3)"
    )
    parser.add_argument(
        "--freeze",
        action="append",
        default=[],
        metavar="FACT",
        help="what-if: a fact (or as_of) not to change; 'past' freezes the dates before as_of",
    )


def read_facts(source: str, stdin: TextIO) -> Any:
    """The JSON facts in ``source`` (``-``: standard input), bounded (``reading/jsonfacts.py``)."""
    from convention_rules.reading.jsonfacts import (  # noqa: PLC0415 (CLI start-up time)
        MAX_JSON_BYTES,
        decode_facts,
        parse_facts,
    )

    if source == "-":
        return parse_facts(stdin.read(MAX_JSON_BYTES + 1), "standard input")
    try:
        with Path(source).open("rb") as handle:
            data = handle.read(MAX_JSON_BYTES + 1)
    except OSError as exc:
        raise FactError(f"cannot read facts from {source}: {exc.strerror}") from None
    return decode_facts(data, source)


def _execute(options: argparse.Namespace, streams: Streams) -> int:
    from convention_rules._registry import load_ruleset  # noqa: PLC0415 (CLI start-up time)
    from convention_rules.law.legaltime import parse_date  # noqa: PLC0415 (same)

    ruleset = load_ruleset(options.ruleset)
    facts = read_facts(options.facts, streams.stdin)
    as_of = parse_date(options.as_of, fact="--as-of") if options.as_of is not None else None
    decision = ruleset.decide(options.decision, facts, as_of=as_of)
    out = decision.to_dict()
    text = str(decision)
    if options.what_if:
        from convention_rules.whatif import (  # noqa: PLC0415 (only with --what-if)
            explain_what_if,
            past_dates,
            what_if,
        )

        frozen = {name for name in options.freeze if name != "past"}
        if "past" in options.freeze and isinstance(facts, dict):
            frozen |= past_dates(ruleset, options.decision, facts, decision.as_of)
        found = what_if(
            ruleset,
            options.decision,
            facts,
            as_of=decision.as_of,
            max_changes=options.max_changes,
            frozen=frozen,
        )
        out["what_if"] = found.to_dict()
        text += "\n" + explain_what_if(found)
    if options.explain:
        streams.stdout.write(printable(text, streams.stdout) + "\n")
    else:
        shown = json.dumps(out, ensure_ascii=False)
        streams.stdout.write(printable_json(shown, streams.stdout) + "\n")
    return 0


COMMANDS = (Command("decide", "answer one decision; JSON on stdout", _configure, _execute),)
