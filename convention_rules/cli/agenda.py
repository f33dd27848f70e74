"""``convention-rules calendar``: an agreement's dated obligations, as a table or an .ics file."""

from __future__ import annotations

import argparse
from pathlib import Path

from convention_rules._errors import FactError
from convention_rules.cli.command import Command, Streams


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ruleset", help="a bundled ruleset id or a ruleset file")
    parser.add_argument("--year", type=int, help="a calendar year (instead of --from/--to)")
    parser.add_argument("--from", dest="first", help="first day, YYYY-MM-DD (default: the term's)")
    parser.add_argument("--to", dest="last", help="last day, YYYY-MM-DD (default: the term's)")
    parser.add_argument("--facts", help="JSON file of facts, or - for stdin (dates they decide)")
    parser.add_argument("--ics", help="also write the events to this iCalendar file")


def _execute(options: argparse.Namespace, streams: Streams) -> int:
    from convention_rules._registry import load_ruleset  # noqa: PLC0415 (CLI start-up time)
    from convention_rules.agenda.events import sources_of, term_span  # noqa: PLC0415 (same)
    from convention_rules.agenda.ical import to_ical  # noqa: PLC0415 (same)
    from convention_rules.cli.decide import read_facts  # noqa: PLC0415 (same)

    ruleset = load_ruleset(options.ruleset)
    if options.year is not None:
        if options.first or options.last:
            raise FactError("give --year or --from/--to, not both", fact="--year")
        period: int | tuple[object, object] = options.year
    else:
        first, last = term_span(sources_of(ruleset.spec))
        period = (options.first or first, options.last or last)
        for given, flag in zip(period, ("--from", "--to"), strict=True):
            if given is None:
                raise FactError(
                    f"{ruleset.id} has no term that fixes this day: give {flag} YYYY-MM-DD",
                    fact=flag,
                )
    facts = read_facts(options.facts, streams.stdin) if options.facts else None
    calendar = ruleset.calendar(period, facts)
    streams.stdout.write(calendar.table())
    if options.ics:
        try:
            Path(options.ics).write_bytes(to_ical(calendar))
        except OSError as exc:
            raise FactError(f"cannot write {options.ics}: {exc.strerror}", fact="--ics") from None
        streams.stdout.write(f"wrote {len(calendar.events)} events to {options.ics}\n")
    return 0


COMMANDS = (
    Command(
        "calendar",
        "list an agreement's dated obligations and deadlines; --ics writes an iCalendar file",
        _configure,
        _execute,
    ),
)
