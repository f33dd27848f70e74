"""``convention-rules decide`` and ``explain``: one decision, as JSON or explained for a person.

Both take ``--record FILE`` to append the decision's record (one JSON line) for
``convention-rules replay``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from convention_rules._errors import FactError
from convention_rules.cli.command import Command, Streams, printable, printable_json

if TYPE_CHECKING:
    from convention_rules.deciding.decision import Decision
    from convention_rules.whatif import WhatIf


LANGUAGES = ("fr", "en")
FORMATS = ("text", "markdown", "rich")


def _configure_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ruleset", help="bundled ruleset id or path to a .yaml file")
    parser.add_argument("decision", help="decision name, e.g. eligibility")
    parser.add_argument("--facts", required=True, help="JSON file of facts, or - for stdin")
    parser.add_argument("--as-of", help="date of the question, YYYY-MM-DD (default: today)")
    parser.add_argument("--record", metavar="FILE", help="append the decision's record (JSON line)")


def _configure_explanation(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default="fr", help="language (default: fr)")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="text, markdown or rich (default: rich on a terminal, text when piped)",
    )


def _configure_what_if(parser: argparse.ArgumentParser) -> None:
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


def _configure(parser: argparse.ArgumentParser) -> None:
    _configure_common(parser)
    parser.add_argument("--explain", action="store_true", help="print the explanation, not JSON")
    _configure_explanation(parser)
    _configure_what_if(parser)


def _configure_explain(parser: argparse.ArgumentParser) -> None:
    _configure_common(parser)
    _configure_explanation(parser)
    _configure_what_if(parser)


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


def _decide(options: argparse.Namespace, streams: Streams) -> tuple[Decision, WhatIf | None]:
    """The decision, and its counterfactuals when ``--what-if`` asks for them."""
    from convention_rules._registry import load_ruleset  # noqa: PLC0415 (CLI start-up time)
    from convention_rules.law.legaltime import parse_date  # noqa: PLC0415 (same)

    ruleset = load_ruleset(options.ruleset)
    facts = read_facts(options.facts, streams.stdin)
    as_of = parse_date(options.as_of, fact="--as-of") if options.as_of is not None else None
    decision = ruleset.decide(options.decision, facts, as_of=as_of, record=options.record)
    if not options.what_if:
        return decision, None
    from convention_rules.whatif import past_dates, what_if  # noqa: PLC0415 (only with --what-if)

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
    return decision, found


def _with_what_if(text: str, found: WhatIf | None, stdout: TextIO) -> str:
    if found is None:
        return text
    from convention_rules.whatif import explain_what_if  # noqa: PLC0415 (only with --what-if)

    return text.rstrip("\n") + "\n" + printable(explain_what_if(found), stdout) + "\n"


def _explanation(decision: Decision, options: argparse.Namespace, stdout: TextIO) -> str:
    fmt = options.format
    if fmt is None:
        fmt = "rich" if _is_terminal(stdout) else "text"
    text = decision.explain(options.lang, fmt)
    # rich writes its own escapes (and strips control codes from the texts); plain text and
    # Markdown get the ruleset's control characters escaped on a terminal
    return text if fmt == "rich" else printable(text, stdout)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream: plain text
        return False


def _execute(options: argparse.Namespace, streams: Streams) -> int:
    decision, found = _decide(options, streams)
    if options.explain:
        text = _explanation(decision, options, streams.stdout)
        streams.stdout.write(_with_what_if(text, found, streams.stdout))
    else:
        out = decision.to_dict()
        if found is not None:
            out["what_if"] = found.to_dict()
        text = json.dumps(out, ensure_ascii=False)
        streams.stdout.write(printable_json(text, streams.stdout) + "\n")
    return 0


def _explain(options: argparse.Namespace, streams: Streams) -> int:
    decision, found = _decide(options, streams)
    text = _explanation(decision, options, streams.stdout)
    streams.stdout.write(_with_what_if(text, found, streams.stdout))
    return 0


COMMANDS = (
    Command("decide", "answer one decision; JSON on stdout", _configure, _execute),
    Command(
        "explain",
        "answer one decision, explained for a person (French by default)",
        _configure_explain,
        _explain,
    ),
)
