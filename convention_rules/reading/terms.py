"""An agreement's term, expanded into ordinary rules and exceptions.

A ruleset (or a version) declares its ``term:`` (first day, last day, the
clause); a decision declares ``dated_by:``, the day that places the question
in time, and a termination ``expires_first:``, the rule value holding its
effective date. :func:`scope` rewrites such a decision into plain rules, so
every evaluator (the Kleene closures, durable_rules, the linter, a batch
evaluator) sees the term as it sees any clause (``decisions.md``, *Terms*):

- ``outside-term`` (outcome ``not_in_force``, values ``first_day`` and/or
  ``last_day``) holds when the day is known and falls outside the term. It is
  an exception to every other rule of the decision (« sauf »), so it wins
  before any of them. ``given(day)`` keeps it false, not unknown, when the
  day is missing: the term is then unchecked and the other rules answer.
- for each rule with the ``expires_first`` value, ``<rule>.expires-first``
  (outcome ``expires_first``, values that date and ``last_day``) holds when
  the rule holds and that date falls after the last day. It is an exception
  to that rule, and the rule's own exceptions are exceptions to it too (a
  cured breach is ``not_terminated``, whatever the dates).

The decision's own values are computed for its own outcomes only, not for
these two (whose values are their own).
"""

from __future__ import annotations

from datetime import date

import attrs

from convention_rules._errors import Location
from convention_rules.language import syntax as a
from convention_rules.language.datatypes import BOOL, DATE
from convention_rules.reading.decisions import check_rule_ids
from convention_rules.reading.model import DecisionSpec, RuleSpec, TermSpec, ValueSpec

NOT_IN_FORCE = "not_in_force"
EXPIRES_FIRST = "expires_first"
OUTSIDE_TERM = "outside-term"
TERM_OUTCOMES = (NOT_IN_FORCE, EXPIRES_FIRST)


def scope(decision: DecisionSpec, term: TermSpec | None) -> DecisionSpec:
    """``decision`` with the rules of ``term`` added (unchanged when not dated)."""
    if term is None or decision.dated_by is None:
        return decision
    day = decision.dated_by
    loc = day.loc
    rules = list(decision.rules)
    outcomes = list(decision.outcomes)
    if decision.expires_first is not None and term.last_day is not None:
        rules = _expires_first(rules, decision.expires_first, term, term.last_day, loc)
        if any(rule.outcome == EXPIRES_FIRST for rule in rules):
            outcomes.append(EXPIRES_FIRST)
    outside: list[a.Node] = []
    values: list[ValueSpec] = []
    if term.first_day is not None:
        outside.append(_compare(day, "<", term.first_day, loc))
        values.append(ValueSpec("first_day", _date(term.first_day, loc), loc=loc))
    if term.last_day is not None:
        outside.append(_compare(day, ">", term.last_day, loc))
        values.append(ValueSpec("last_day", _date(term.last_day, loc), loc=loc))
    when: a.Node = outside[0] if len(outside) == 1 else _or(outside, loc)
    if not (isinstance(day, a.Name) and day.kind == "builtin"):  # as_of is always known
        given = a.Call(loc=loc, function="given", args=(day,), type=BOOL)
        when = a.BoolOp(loc=loc, op="and", operands=(given, when), type=BOOL)
    rules.append(
        RuleSpec(
            id=OUTSIDE_TERM,
            when=when,
            outcome=NOT_IN_FORCE,
            citation=term.citation,
            values=tuple(values),
            exception_to=tuple(rule.id for rule in rules),
            reading=term.reading,
            loc=loc,
        )
    )
    outcomes.append(NOT_IN_FORCE)
    own = tuple(o for o in decision.outcomes if o not in TERM_OUTCOMES)
    check_rule_ids(decision.name, rules)
    return attrs.evolve(
        decision,
        rules=tuple(rules),
        outcomes=tuple(dict.fromkeys(outcomes)),
        values=tuple(attrs.evolve(v, outcomes=v.outcomes or own) for v in decision.values),
    )


def _expires_first(
    rules: list[RuleSpec], value_name: str, term: TermSpec, last_day: date, loc: Location
) -> list[RuleSpec]:
    out = list(rules)
    added: dict[str, str] = {}  # rule id -> its expires-first rule id
    for rule in rules:
        effective = next((v for v in rule.values if v.name == value_name), None)
        if effective is None or a.type_of(effective.expr) != DATE:
            continue
        new_id = f"{rule.id}.expires-first"
        added[rule.id] = new_id
        out.append(
            RuleSpec(
                id=new_id,
                when=a.BoolOp(
                    loc=loc,
                    op="and",
                    operands=(rule.when, _compare(effective.expr, ">", last_day, loc)),
                    type=BOOL,
                ),
                outcome=EXPIRES_FIRST,
                citation=term.citation,
                values=(
                    ValueSpec(value_name, effective.expr, loc=loc),
                    ValueSpec("last_day", _date(last_day, loc), loc=loc),
                ),
                exception_to=(rule.id,),
                reading=(
                    f"The termination would take effect after the last day in force "
                    f"({last_day.isoformat()}): the agreement ends by its own term first, "
                    "so the notice changes nothing."
                ),
                # Generated for every rule that sets the effective date: for a termination
                # effective the day it is notified, the term check (outside-term) has always
                # answered first, so lint is not to report it as never applying.
                lint_allowed=("dead", "shadowed"),
                loc=loc,
            )
        )
    return [
        attrs.evolve(
            rule,
            exception_to=rule.exception_to
            + tuple(added[base] for base in rule.exception_to if base in added),
        )
        if rule.outcome != EXPIRES_FIRST and any(base in added for base in rule.exception_to)
        else rule
        for rule in out
    ]


def _date(day: date, loc: Location) -> a.Node:
    return a.Literal(loc=loc, value=day, type=DATE)


def _compare(left: a.Node, op: str, day: date, loc: Location) -> a.Node:
    return a.Compare(loc=loc, op=op, left=left, right=_date(day, loc), type=BOOL)


def _or(parts: list[a.Node], loc: Location) -> a.Node:
    return a.BoolOp(loc=loc, op="or", operands=tuple(parts), type=BOOL)
