"""The parts of a loaded ruleset, as frozen values.

These mirror the YAML format (see ``docs/ruleset-format.md``): facts,
constants, derived values, decisions made of rules, and versions of the
agreement in time. Expressions are kept as typed ASTs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from convention_rules._errors import Location
from convention_rules.language import syntax as a
from convention_rules.language.datatypes import Type
from convention_rules.law.legaltime import Interval


@attrs.frozen
class Citation:
    """Where a rule comes from: the source text (a file of rulesets/sources/), the article
    and its verbatim text."""

    source: str
    article: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "article": self.article, "text": self.text}


@attrs.frozen
class FactSpec:
    """A declared input fact."""

    name: str
    type: Type
    description: str = ""
    optional: bool = False  # an event fact: absent means it has not happened
    default: Any = None  # used when the fact is absent (already coerced)
    minimum: int | None = None
    maximum: int | None = None
    loc: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class EventMark:
    """A date constant that is a calendar event (``event:``): its label, the constant that
    ends it when it spans days (``until:``), and whether it recurs each year (``yearly:``)."""

    label: str
    until: str | None = None
    yearly: bool = False
    loc: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class ConstantSpec:
    """An agreement-level value, possibly dated (``values: {date: value}``)."""

    name: str
    type: Type
    values: tuple[tuple[date | None, Any], ...]  # ascending; None = from the start
    citation: Citation | None = None
    reading: str | None = None
    event: EventMark | None = None

    def value_at(self, as_of: date) -> Any:
        chosen = self.values[0][1]
        for since, value in self.values:
            if since is None or since <= as_of:
                chosen = value
        return chosen

    @property
    def is_static(self) -> bool:
        return len(self.values) == 1


@attrs.frozen
class ValueSpec:
    """A value a decision computes, with an optional ``when`` condition."""

    name: str
    expr: a.Node
    when: a.Node | None = None
    reading: str | None = None
    loc: Location | None = attrs.field(default=None, eq=False, repr=False)
    #: the outcomes it is computed for (``None``: every decided outcome)
    outcomes: tuple[str, ...] | None = None


@attrs.frozen
class RuleSpec:
    """A rule: if ``when`` holds, the decision's outcome is ``outcome``."""

    id: str
    when: a.Node
    outcome: str
    citation: Citation
    values: tuple[ValueSpec, ...] = ()
    #: the rules it is an exception to (« sauf »): when it applies, they do not
    exception_to: tuple[str, ...] = ()
    reading: str | None = None
    problems: tuple[str, ...] = ()  # for checks: the facts at fault when it fires
    lint_allowed: tuple[str, ...] = ()  # lint findings that are a documented reading
    loc: Location | None = attrs.field(default=None, eq=False, repr=False)
    #: for the rule that passes when every check holds: the checks it checked
    checked: tuple[CheckedClause, ...] = ()


@attrs.frozen
class CheckedClause:
    """A check that a passing answer cites: its id, clause and when it applies."""

    id: str
    citation: Citation
    when: a.Node | None = None  # None: always applies
    reading: str | None = None
    facts: tuple[str, ...] = ()


@attrs.frozen
class Otherwise:
    """The outcome when every rule is surely false (e.g. ``not_covered``)."""

    outcome: str
    citation: Citation
    reading: str | None = None


@attrs.frozen
class DecisionSpec:
    """A question the agreement answers."""

    name: str
    title: str
    outcomes: tuple[str, ...]
    rules: tuple[RuleSpec, ...]
    values: tuple[ValueSpec, ...] = ()
    otherwise: Otherwise | None = None
    problems_value: str | None = None  # name of the list of failed checks, if any
    inputs: tuple[str, ...] = ()  # the facts the decision reads, computed at load
    lint_allowed: tuple[str, ...] = ()  # lint findings that are a documented reading
    loc: Location | None = attrs.field(default=None, eq=False, repr=False)
    #: the day that places the question in time, checked against the term
    dated_by: a.Node | None = None
    #: the rule value holding a termination's effective date (``expires_first``)
    expires_first: str | None = None
    #: the date values that are calendar events, with their labels (``calendar:``)
    calendar: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class TermSpec:
    """The agreement's term: its first and last days in force (either may be open)."""

    first_day: date | None
    last_day: date | None
    citation: Citation
    reading: str | None = None
    loc: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Amendment:
    """What a version changes from its first day (cumulatively with earlier ones)."""

    constants: dict[str, ConstantSpec] = attrs.field(factory=dict)
    #: rules replaced, by id (the amending clause's citation with them)
    rules: dict[str, RuleSpec] = attrs.field(factory=dict)
    #: rules added to decisions, by decision name
    added_rules: dict[str, tuple[RuleSpec, ...]] = attrs.field(factory=dict)
    #: values added to (or replacing those of) decisions, by decision name
    values: dict[str, tuple[ValueSpec, ...]] = attrs.field(factory=dict)
    #: the term of the agreement from this version on
    term: TermSpec | None = None


@attrs.frozen
class Version:
    """One instrument of the agreement in force over an interval (inclusive)."""

    id: str
    title: str
    first: date | None
    last: date | None
    citation: Citation | None = None

    def in_force(self, day: date) -> bool:
        """Whether the version is in force on ``day`` (both ends included)."""
        return Interval(self.first or date.min, self.last).in_force(day)


@attrs.frozen
class ConstraintSpec:
    """A check across facts: when ``require`` is surely false, the facts are invalid.

    It applies to the decisions that read every fact it reads; the error
    names ``fact``.
    """

    id: str
    require: a.Node
    fact: str
    message: str
    reads: frozenset[str] = frozenset()
