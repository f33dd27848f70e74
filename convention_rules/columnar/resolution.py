"""Resolution on columns: ``deciding/resolve.py`` for every row at once.

A rule *applies* when it holds and none of its exceptions applies (Kleene,
over any graph of exceptions without cycles, visited from the rules that
have none); rules that surely apply with different outcomes are a conflict;
an unknown rule that could give another outcome leaves the row
undetermined; a row where every rule is surely false falls to ``otherwise``.
Sets of rules and of facts are bit masks (one bit per rule, per input).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from convention_rules.columnar.column import Array
from convention_rules.reading.model import RuleSpec


class Status:
    """Per rule, the rows where it surely holds and where it is unknown."""

    def __init__(self, true: Array, unknown: Array) -> None:
        self.true = true
        self.unknown = unknown


def applies(
    rules: tuple[RuleSpec, ...],
    status: Mapping[str, Status],
    exceptions: Mapping[str, tuple[str, ...]],
) -> dict[str, Status]:
    """Kleene value of "the rule applies", per rule and row (``resolve.applies``)."""
    result: dict[str, Status] = {}

    def visit(rule_id: str) -> Status:
        done = result.get(rule_id)
        if done is not None:
            return done
        own = status[rule_id]
        overridden_true = np.zeros_like(own.true)
        overridden_unknown = np.zeros_like(own.true)
        for exception in exceptions.get(rule_id, ()):
            applied = visit(exception)
            overridden_true |= applied.true
            overridden_unknown |= applied.unknown
        overridden_unknown &= ~overridden_true
        own_false = ~own.true & ~own.unknown
        true = own.true & ~overridden_true & ~overridden_unknown
        unknown = ~own_false & ~overridden_true & ~true
        result[rule_id] = Status(true, unknown)
        return result[rule_id]

    for rule in rules:
        visit(rule.id)
    return result


class Resolved:
    """Per row: the outcome code, whether it is decided, fell through, or conflicts."""

    def __init__(
        self,
        *,
        outcome: Array,
        determined: Array,
        fell_through: Array,
        conflict: Array,
        winners: Array,
        pending: Array,
    ) -> None:
        self.outcome = outcome  # index into the decision's outcomes (determined rows)
        self.determined = determined
        self.fell_through = fell_through
        self.conflict = conflict
        self.winners = winners  # bit mask of the rules that apply
        self.pending = pending  # bit mask of the unknown rules that keep a row undetermined


def resolve(
    rules: tuple[RuleSpec, ...],
    outcomes: tuple[str, ...],
    applied: Mapping[str, Status],
    n: int,
) -> Resolved:
    codes = {outcome: i for i, outcome in enumerate(outcomes)}
    won = np.zeros((len(outcomes), n), dtype=bool)
    unknown_by = np.zeros((len(outcomes), n), dtype=bool)
    winners = np.zeros(n, dtype=np.int64)
    for bit, rule in enumerate(rules):
        status = applied[rule.id]
        won[codes[rule.outcome]] |= status.true
        unknown_by[codes[rule.outcome]] |= status.unknown
        winners |= status.true.astype(np.int64) << bit
    count = won.sum(axis=0)
    conflict = count > 1
    chosen = np.zeros(n, dtype=np.int64)  # the winners' outcome, where there is one
    for code in range(1, len(outcomes)):
        chosen = np.where(won[code], code, chosen)
    any_unknown = unknown_by.any(axis=0)
    # an unknown rule of another outcome than the winners' blocks the answer
    blocked = np.zeros(n, dtype=bool)
    for code in range(len(outcomes)):
        blocked |= unknown_by[code] & (chosen != code)
    single = count == 1
    determined = single & ~blocked
    fell_through = (count == 0) & ~any_unknown
    pending = np.zeros(n, dtype=np.int64)
    for bit, rule in enumerate(rules):
        status = applied[rule.id]
        counts = status.unknown & (~single | (codes[rule.outcome] != chosen))
        pending |= counts.astype(np.int64) << bit
    pending = np.where(determined | fell_through, 0, pending)
    return Resolved(
        outcome=chosen,
        determined=determined,
        fell_through=fell_through,
        conflict=conflict,
        winners=winners,
        pending=pending,
    )
