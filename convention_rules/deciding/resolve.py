"""Resolve which rules decide, with exceptions and three-valued statuses.

Each rule has a status: ``True`` (its condition surely holds), ``False``
(surely not) or ``None`` (unknown: a fact it needs is missing). A rule
*applies* when it holds and none of its exceptions applies (Kleene logic, so
an unknown exception leaves the base rule unknown). Then:

- rules that surely apply with two different outcomes are a conflict
  (:class:`EvaluationError` naming both rules);
- the outcome of the rules that surely apply wins, unless a rule whose
  application is unknown could give another outcome: then it is undetermined;
- when no rule applies and none is unknown, the decision's ``otherwise``
  outcome is the answer (``not_covered``), or it is a gap in the ruleset.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from convention_rules._errors import EvaluationError
from convention_rules.reading.model import RuleSpec


@attrs.frozen
class Resolution:
    outcome: str | None  # None: undetermined (or otherwise, see ``fell_through``)
    winners: tuple[RuleSpec, ...]
    overridden: tuple[tuple[RuleSpec, str], ...]  # (rule, the exception that won)
    unknown: tuple[RuleSpec, ...]  # rules whose unknown status keeps it undetermined
    fell_through: bool = False  # every rule surely false


def applies(
    rules: tuple[RuleSpec, ...],
    status: Mapping[str, bool | None],
    exceptions: Mapping[str, tuple[str, ...]],
) -> dict[str, bool | None]:
    """Kleene value of "the rule applies" for every rule."""
    result: dict[str, bool | None] = {}

    def visit(rule_id: str) -> bool | None:
        if rule_id in result:
            return result[rule_id]
        own = status[rule_id]
        overridden: bool | None = False
        for exception in exceptions.get(rule_id, ()):
            value = visit(exception)
            if value is True:
                overridden = True
                break
            if value is None:
                overridden = None
        if own is False or overridden is True:
            value_out: bool | None = False
        elif own is True and overridden is False:
            value_out = True
        else:
            value_out = None
        result[rule_id] = value_out
        return value_out

    for rule in rules:
        visit(rule.id)
    return result


def resolve(
    decision: str,
    rules: tuple[RuleSpec, ...],
    status: Mapping[str, bool | None],
    exceptions: Mapping[str, tuple[str, ...]],
) -> Resolution:
    applied = applies(rules, status, exceptions) if exceptions else status
    winners: tuple[RuleSpec, ...] = ()
    unknown: list[RuleSpec] = []
    for rule in rules:
        value = applied[rule.id]
        if value is True:
            winners += (rule,)
        elif value is None:
            unknown.append(rule)
    if winners and not unknown and not exceptions and len(winners) == 1:
        return Resolution(winners[0].outcome, winners, (), ())  # the common case, shortly
    if winners:
        first = winners[0]
        for other in winners[1:]:
            if other.outcome != first.outcome:
                raise EvaluationError(
                    f"decision {decision!r}: rules {first.id!r} ({first.outcome}, "
                    f"art. {first.citation.article}) and {other.id!r} ({other.outcome}, "
                    f"art. {other.citation.article}) both apply; declare one an "
                    "exception to the other"
                )
        blockers = tuple(rule for rule in unknown if rule.outcome != first.outcome)
        overridden = tuple(
            (rule, winner)
            for rule in (rules if exceptions else ())
            if status[rule.id] is True
            for winner in [_winning_exception(rule.id, applied, exceptions)]
            if winner is not None
        )
        if blockers:
            return Resolution(None, winners, overridden, blockers)
        return Resolution(first.outcome, winners, overridden, ())
    if unknown:
        return Resolution(None, (), (), tuple(unknown))
    return Resolution(None, (), (), (), fell_through=True)


def _winning_exception(
    rule_id: str, applied: Mapping[str, bool | None], exceptions: Mapping[str, tuple[str, ...]]
) -> str | None:
    return next((e for e in exceptions.get(rule_id, ()) if applied[e] is True), None)
