"""The events of an agreement in a period, derived from its ruleset.

Three sources, all declared in the ruleset (docs/ruleset-format.md, *Calendar*):

- the term of the agreement and of each version that amends it: its first and
  last days in force;
- the date constants marked ``event:`` (a deadline, a meeting, a milestone),
  spanning days to the constant named by ``until:``, recurring each year with
  ``yearly: true`` (CPC art. 641: 29 February gives 28 February) until the
  term's last day;
- the date values a decision marks ``calendar:``, decided on the facts given:
  a decision that the facts leave undetermined adds a :class:`Pending` entry
  naming the facts it needs, never a guessed date.

Nothing here evaluates an expression itself: decisions are answered by the
ruleset's own evaluator (the ``decide`` callback), so the calendar shows what a
decision would answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any, Protocol

import attrs

from convention_rules._errors import FactError
from convention_rules.law import legaltime as lt
from convention_rules.reading.loader import RulesetSpec
from convention_rules.reading.model import Citation, ConstantSpec, DecisionSpec, TermSpec, Version
from convention_rules.reading.terms import TERM_OUTCOMES


class Answer(Protocol):
    """What the calendar reads of a decision's answer."""

    @property
    def outcome(self) -> str: ...
    @property
    def values(self) -> Mapping[str, Any]: ...
    @property
    def missing(self) -> tuple[str, ...]: ...
    @property
    def version(self) -> str | None: ...
    @property
    def trace(self) -> tuple[Any, ...]: ...


Decide = Callable[[str, Mapping[str, Any], date], Answer]


@attrs.frozen
class Event:
    """One dated obligation, deadline or milestone: from ``first`` to ``last`` inclusive."""

    first: date
    last: date
    label: str
    #: what it comes from: ``term``, ``constant:<name>`` or ``<decision>.<value>``
    origin: str
    citation: Citation | None
    version: str | None = None

    @property
    def key(self) -> str:
        """A stable identifier: the same event of the same agreement keeps it."""
        return f"{self.origin}.{self.first.isoformat()}"


@attrs.frozen
class Pending:
    """A dated value of a decision that the facts given do not settle."""

    decision: str
    value: str
    label: str
    missing: tuple[str, ...]


@attrs.frozen
class Calendar:
    """The events of one agreement from ``first`` to ``last`` (inclusive), in date order."""

    ruleset: str
    title: str
    first: date
    last: date
    events: tuple[Event, ...]
    pending: tuple[Pending, ...] = ()

    def table(self) -> str:
        """The events as a text table, one a line, each with its clause."""
        lines = [
            f"{self.ruleset}: {len(self.events)} events from {self.first.isoformat()} "
            f"to {self.last.isoformat()}",
        ]
        for event in self.events:
            until = event.last.isoformat() if event.last != event.first else ""
            cite = event.citation
            clause = f"{cite.source}, art. {cite.article}" if cite is not None else ""
            lines.append(f"{event.first.isoformat()}  {until:10}  {event.label}  [{clause}]")
        lines.extend(
            f"needs facts: {pending.decision}.{pending.value} ({pending.label}): "
            + ", ".join(pending.missing)
            for pending in self.pending
        )
        return "\n".join(lines) + "\n"


def span_of(period: int | tuple[Any, Any]) -> tuple[date, date]:
    """A year (``2025``) or a pair of days (dates or ISO strings), checked."""
    if isinstance(period, bool):
        raise FactError("a calendar period is a year or two days", fact="period", value=period)
    if isinstance(period, int):
        if not 1 <= period <= 9999:
            raise FactError(
                f"a year between 1 and 9999, not {period}",
                fact="period",
                value=period,
                expected="a year",
            )
        return date(period, 1, 1), date(period, 12, 31)
    if not isinstance(period, tuple | list) or len(period) != 2:
        raise FactError(
            "a calendar period is a year or two days (first, last)",
            fact="period",
            value=period,
            expected="2025 or (date, date)",
        )
    first, last = lt.parse_date(period[0], fact="from"), lt.parse_date(period[1], fact="to")
    if last < first:
        raise FactError(
            f"the period ends ({last.isoformat()}) before it begins ({first.isoformat()})",
            fact="to",
            value=last,
            expected="a day on or after 'from'",
        )
    return first, last


def _term_events(term: TermSpec, version: str | None) -> Iterable[Event]:
    if term.first_day is not None:
        yield Event(
            term.first_day,
            term.first_day,
            "First day in force",
            "term.first_day",
            term.citation,
            version,
        )
    if term.last_day is not None:
        yield Event(
            term.last_day,
            term.last_day,
            "Last day in force",
            "term.last_day",
            term.citation,
            version,
        )


def _constant_events(
    constants: Mapping[str, ConstantSpec], until: date | None, last: date, version: str | None
) -> Iterable[Event]:
    """Each marked constant's days; a yearly one each year to the term's end (or ``last``)."""
    for name, constant in constants.items():
        mark = constant.event
        if mark is None:
            continue
        for _since, day in constant.values:
            end = day
            if mark.until is not None:
                end = constants[mark.until].values[-1][1]
            years = range(day.year, (until or last).year + 1) if mark.yearly else (day.year,)
            for year in years:
                first = lt.anniversary(day, year)
                if until is not None and first > until:
                    break
                yield Event(
                    first,
                    lt.anniversary(end, year + end.year - day.year),
                    mark.label,
                    f"constant:{name}",
                    constant.citation,
                    version,
                )


def _decision_events(
    name: str,
    spec: DecisionSpec,
    facts: Mapping[str, Any],
    days: Iterable[date],
    decide: Decide,
) -> tuple[list[Event], list[Pending]]:
    events: list[Event] = []
    pending: list[Pending] = []
    given = {fact: value for fact, value in facts.items() if fact in spec.inputs}
    for day in days:
        answer = decide(name, given, day)
        for value, label in spec.calendar:
            if answer.outcome == "undetermined":
                pending.append(Pending(name, value, label, tuple(answer.missing)))
                continue
            if answer.outcome in TERM_OUTCOMES:
                # outside the term, or the agreement ends first: the date is not an obligation
                continue
            found = answer.values.get(value)
            if isinstance(found, date):
                cite = answer.trace[0].citation if answer.trace else None
                events.append(Event(found, found, label, f"{name}.{value}", cite, answer.version))
    return events, pending


@attrs.frozen
class Sources:
    """What a ruleset declares that the calendar reads."""

    ruleset: str
    title: str
    facts: tuple[str, ...]
    decisions: Mapping[str, DecisionSpec]
    versions: tuple[Version, ...]
    #: constants and term of each version (``None``: the ruleset without versions)
    in_force: Mapping[str | None, tuple[Mapping[str, ConstantSpec], TermSpec | None]]


def sources_of(spec: RulesetSpec) -> Sources:
    """The calendar's view of a ruleset: each version's constants and term in force."""
    in_force: dict[str | None, tuple[Mapping[str, ConstantSpec], TermSpec | None]] = {}
    effective = spec.in_force()
    term = spec.term
    if not spec.versions:
        in_force[None] = (effective[None][0], term)
    for version in spec.versions:
        amendment = spec.amendments.get(version.id)
        if amendment is not None and amendment.term is not None:
            term = amendment.term
        in_force[version.id] = (effective[version.id][0], term)
    return Sources(spec.id, spec.title, tuple(spec.facts), spec.decisions, spec.versions, in_force)


def calendar(
    sources: Sources, period: int | tuple[Any, Any], facts: Mapping[str, Any] | None, decide: Decide
) -> Calendar:
    """The events of ``sources`` in ``period`` given ``facts`` (see the module's docstring)."""
    first, last = span_of(period)
    if facts is not None and not isinstance(facts, Mapping):
        raise FactError("facts are a mapping of fact names to values (a JSON object)", value=facts)
    facts = dict(facts or {})
    for fact in facts:
        if fact not in sources.facts:
            raise FactError(
                f"unknown fact {fact!r} for ruleset {sources.ruleset!r}",
                fact=fact,
                value=facts[fact],
                expected="one of " + ", ".join(sources.facts),
            )
    found: list[Event] = []
    for version_id, (constants, term) in sources.in_force.items():
        if term is not None:
            found.extend(_term_events(term, version_id))
        until = term.last_day if term is not None else None
        found.extend(_constant_events(constants, until, last, version_id))
    # decide on the period's first day and on each version's first day within it
    days = [first, *(v.first for v in sources.versions if v.first and first < v.first <= last)]
    pending: list[Pending] = []
    for name, spec in sources.decisions.items():
        if spec.calendar:
            events, waiting = _decision_events(name, spec, facts, days, decide)
            found.extend(events)
            pending.extend(waiting)
    unique: dict[tuple[date, date, str], Event] = {}
    for event in found:
        if event.first <= last and event.last >= first:
            unique.setdefault((event.first, event.last, event.label), event)
    ordered = sorted(unique.values(), key=lambda e: (e.first, e.last, e.label))
    return Calendar(
        sources.ruleset,
        sources.title,
        first,
        last,
        tuple(ordered),
        tuple(dict.fromkeys(pending)),
    )


def term_span(sources: Sources) -> tuple[date | None, date | None]:
    """The first and last days of the agreement's terms, where they fix them."""
    terms = [term for _constants, term in sources.in_force.values() if term is not None]
    firsts = [t.first_day for t in terms if t.first_day is not None]
    lasts = [t.last_day for t in terms if t.last_day is not None]
    return (min(firsts) if firsts else None, max(lasts) if lasts else None)
