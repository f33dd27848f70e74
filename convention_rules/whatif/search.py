"""Counterfactuals: the smallest changes of the facts that would give each other outcome.

The method is a search over the boundary values of the decision's conditions
(``boundaries.py``), not a solver: single changes first, then pairs, then
triples (up to ``max_changes``), each candidate tried with the three-valued
evaluator and the best sets re-verified through ``Ruleset.decide`` (the
durable_rules engine) before they are returned. For each other outcome the
sets with the fewest changes win; among those, the smallest distance to the
given facts (days, units or cents; one for a word, a boolean or an event
removed; a missing fact filled in counts its distance from ``as_of``, from its
minimum or from zero euros). Candidates of a later change are computed with
the earlier changes applied, so "the earliest entry date" is the earliest for
the other facts as changed. See ``docs/counterfactuals.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any, Final

import attrs

from convention_rules._errors import ConventionRulesError, FactError
from convention_rules.deciding.decision import UNDETERMINED, Decision, json_value
from convention_rules.deciding.kleene import ABSENT, Env
from convention_rules.deciding.ruleset import Ruleset
from convention_rules.language import syntax as a
from convention_rules.language.datatypes import DATE, Type
from convention_rules.whatif.boundaries import AS_OF, boundary_values, comparisons, domain_of

__all__ = ["Change", "Counterfactual", "WhatIf", "past_dates", "what_if"]

_BUDGET: Final = 20_000
_State = frozenset[tuple[str, Any]]


@attrs.frozen
class Change:
    """One fact changed: ``before`` is ``None`` when it was not given; ``after`` is ``None``
    when an event is removed (it has not happened)."""

    fact: str
    before: Any
    after: Any

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "from": json_value(self.before), "to": json_value(self.after)}


@attrs.frozen
class Counterfactual:
    """A set of changes, and the decision ``decide`` gives once they are applied."""

    outcome: str
    changes: tuple[Change, ...]
    decision: Decision
    distance: int

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "outcome": self.outcome,
            "changes": [change.to_dict() for change in self.changes],
            "distance": self.distance,
        }
        if self.decision.trace:
            out["decided_by"] = self.decision.trace[0].to_dict()
        return out


@attrs.frozen
class WhatIf:
    """The counterfactuals of one decision."""

    decision: Decision
    counterfactuals: tuple[Counterfactual, ...]
    unreached: tuple[str, ...]  # other outcomes no set of at most max_changes reaches
    max_changes: int
    tried: int  # fact sets evaluated

    def to_dict(self) -> dict[str, Any]:
        return {
            "counterfactuals": [c.to_dict() for c in self.counterfactuals],
            "unreached": list(self.unreached),
            "max_changes": self.max_changes,
            "tried": self.tried,
        }


def past_dates(ruleset: Ruleset, decision: str, facts: Mapping[str, Any], as_of: date) -> set[str]:
    """The date facts given with a day before ``as_of``: what a person can no longer change."""
    from convention_rules.law.legaltime import parse_date  # noqa: PLC0415 - small helper

    found = set()
    for name in ruleset.decision_spec(decision).inputs:
        given = facts.get(name)
        is_date = ruleset.facts[name].type == DATE and given is not None
        if is_date and parse_date(given, fact=name) < as_of:
            found.add(name)
    return found


class _Search:
    def __init__(
        self,
        ruleset: Ruleset,
        decision: str,
        facts: Mapping[str, Any],
        original: Decision,
        frozen: set[str],
    ) -> None:
        self.ruleset = ruleset
        self.decision = decision
        self.facts = dict(facts)
        self.original = original
        self.day = original.as_of
        self.tried = 0
        inputs = ruleset.decision_spec(decision).inputs
        self.variables = [name for name in (*inputs, AS_OF) if name not in frozen]
        specs = []
        for version in ruleset.versions or (None,):
            on = None if version is None else (version.first or date.min)
            specs.append(ruleset.decision_spec(decision, on))
        self.outcomes: list[str] = []
        for spec in specs:
            for outcome in (*spec.outcomes, *([spec.otherwise.outcome] if spec.otherwise else [])):
                if outcome not in self.outcomes:
                    self.outcomes.append(outcome)
        roots: list[a.Node] = [rule.when for spec in specs for rule in spec.rules]
        self.compares = comparisons(roots, ruleset.spec.derived)
        self.version_days: list[date] = []
        for version in ruleset.versions:
            for day in (version.first, version.last):
                if day is not None:
                    for step in (-1, 0, 1):
                        try:
                            self.version_days.append(day + timedelta(days=step))
                        except OverflowError:
                            continue
        base = self.environment(frozenset())
        assert base is not None  # the original decision was computed from these facts
        self.before: dict[str, Any] = {name: base.get(name) for name in inputs}
        self.before[AS_OF] = self.day

    # -- evaluating a set of changes ---------------------------------------------------
    def apply(self, state: _State) -> tuple[dict[str, Any], date]:
        facts = dict(self.facts)
        day = self.day
        for name, value in state:
            if name == AS_OF:
                day = value
            else:
                facts[name] = None if value is ABSENT else value
        return facts, day

    def outcome(self, state: _State) -> str | None:
        self.tried += 1
        facts, day = self.apply(state)
        try:
            return self.ruleset.decide(self.decision, facts, as_of=day, engine="kleene").outcome
        except ConventionRulesError:
            return None

    def environment(self, state: _State) -> Env | None:
        facts, day = self.apply(state)
        try:
            compiled, day, _ = self.ruleset._compiled_at(
                self.decision, day
            )  # the version's compiled decision
            env = compiled.environment(facts, day)
        except ConventionRulesError:
            return None
        self.closures = compiled.closures
        return env

    def type_of(self, name: str) -> Type:
        return DATE if name == AS_OF else self.ruleset.facts[name].type

    def candidates(self, name: str, state: _State) -> list[Any]:
        env = self.environment(state)
        if env is None:
            return []
        spec = None if name == AS_OF else self.ruleset.facts[name]
        day = dict(state).get(AS_OF, self.day)
        values = list(
            boundary_values(
                name,
                self.type_of(name),
                spec,
                env,
                compares=self.compares,
                closures=self.closures,
                derived=self.ruleset.spec.derived,
                as_of=day,
            )
        )
        if name == AS_OF:
            values.extend(d for d in self.version_days if d not in values)
        current = env.get(name)
        original = self.before.get(name)
        return [v for v in values if v not in (current, original)]

    def distance(self, name: str, value: Any) -> int:
        before = self.before.get(name)
        kind = self.type_of(name)
        domain = domain_of(None if name == AS_OF else self.ruleset.facts[name], kind, self.day)
        if value is ABSENT or domain is None:
            return 1
        if before is None or before is ABSENT:
            origin = {"date": self.day.toordinal(), "int": max(domain.low, 0), "money": 0}
            return abs(domain.key(value) - origin[domain.kind])
        return abs(domain.key(value) - domain.key(before))

    # -- the search ------------------------------------------------------------------
    def run(self, max_changes: int, per_outcome: int, budget: int) -> WhatIf:
        targets = [o for o in self.outcomes if o not in (self.original.outcome, UNDETERMINED)]
        best: dict[str, dict[frozenset[str], tuple[int, _State]]] = {o: {} for o in targets}
        reached: set[str] = set()
        frontier: list[_State] = [frozenset()]
        seen: set[_State] = set()
        for _level in range(max_changes):
            if reached >= set(targets) or self.tried >= budget:
                break
            found_now: set[str] = set()
            following: list[tuple[int, _State]] = []
            for state in frontier:
                changed = {name for name, _ in state}
                for name in self.variables:
                    if name in changed or self.tried >= budget:
                        continue
                    for value in self.candidates(name, state):
                        new = state | {(name, value)}
                        if new in seen:
                            continue
                        seen.add(new)
                        outcome = self.outcome(new)
                        if outcome is None:
                            continue
                        cost = sum(self.distance(n, v) for n, v in new)
                        following.append((cost, new))
                        if outcome in best and outcome not in reached:
                            key = frozenset(n for n, _ in new)
                            kept = best[outcome].get(key)
                            if kept is None or cost < kept[0]:
                                best[outcome][key] = (cost, new)
                            found_now.add(outcome)
            reached |= found_now
            order = {name: i for i, name in enumerate(self.variables)}
            following.sort(
                key=lambda item: (item[0], sorted((order[n], repr(v)) for n, v in item[1]))
            )
            frontier = [state for _, state in following]
        return self.verified(targets, best, max_changes, per_outcome)

    def verified(
        self,
        targets: list[str],
        best: dict[str, dict[frozenset[str], tuple[int, _State]]],
        max_changes: int,
        per_outcome: int,
    ) -> WhatIf:
        results: list[Counterfactual] = []
        unreached = []
        order = {name: i for i, name in enumerate(self.variables)}
        for outcome in targets:
            kept = 0
            ranked = sorted(  # ties broken by the facts' order, never by hashing
                best[outcome].values(),
                key=lambda item: (
                    len(item[1]),
                    item[0],
                    sorted((order[name], repr(value)) for name, value in item[1]),
                ),
            )
            for cost, state in ranked:
                if kept == per_outcome:
                    break
                facts, day = self.apply(state)
                try:
                    confirmed = self.ruleset.decide(self.decision, facts, as_of=day)
                except ConventionRulesError:
                    continue
                if confirmed.outcome != outcome:
                    continue  # the two engines disagree: never shown (a bug to report)
                changes = tuple(
                    Change(name, _shown(self.before.get(name)), _shown(value))
                    for name, value in sorted(state, key=lambda item: order[item[0]])
                )
                results.append(Counterfactual(outcome, changes, confirmed, cost))
                kept += 1
            if kept == 0:
                unreached.append(outcome)
        return WhatIf(self.original, tuple(results), tuple(unreached), max_changes, self.tried)


def _shown(value: Any) -> Any:
    return None if value is ABSENT else value


def what_if(
    ruleset: Ruleset,
    decision: str,
    facts: Mapping[str, Any] | None = None,
    *,
    as_of: date | None = None,
    max_changes: int = 3,
    frozen: Iterable[str] = (),
    per_outcome: int = 3,
    budget: int = _BUDGET,
) -> WhatIf:
    """Up to ``per_outcome`` minimal sets of fact changes giving each other outcome.

    ``frozen`` names facts (and ``"as_of"``) the search must not change, such as
    the dates already past (:func:`past_dates`). ``budget`` bounds the fact sets
    tried. Every counterfactual returned has been decided again by
    ``ruleset.decide`` and gives its outcome.
    """
    original = ruleset.decide(decision, facts, as_of=as_of)
    frozen_set = set(frozen)
    allowed = {*ruleset.decision_spec(decision).inputs, AS_OF}
    for name in sorted(frozen_set - allowed):
        raise FactError(
            f"cannot freeze {name!r}: {ruleset.id}/{decision} does not read it",
            fact=name,
            expected="one of: " + ", ".join(sorted(allowed)),
        )
    if max_changes < 1:
        raise FactError("max_changes must be at least 1", value=max_changes, expected="1, 2, 3")
    search = _Search(ruleset, decision, facts or {}, original, frozen_set)
    return search.run(max_changes, per_outcome, budget)
