"""Hypothesis strategies that build facts from a ruleset's own declarations."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from convention_rules import FactError, FactSpec, Ruleset

DATES = st.dates(min_value=date(2008, 1, 1), max_value=date(2030, 12, 31))


def value_of(spec: FactSpec) -> st.SearchStrategy[Any]:
    """Valid JSON-like values of one fact."""
    kind = spec.type
    if kind.name == "bool":
        return st.booleans()
    if kind.name == "int":
        low = spec.minimum if spec.minimum is not None else -5
        high = spec.maximum if spec.maximum is not None else max(low, 0) + 600
        return st.integers(min_value=low, max_value=high)
    if kind.name == "date":
        return DATES.map(date.isoformat)
    if kind.name == "money":
        cents = st.integers(min_value=0, max_value=2_000_000_00)
        return cents.map(lambda c: f"{c // 100}.{c % 100:02d}")
    if kind.is_enum:
        assert kind.values is not None
        return st.sampled_from(kind.values)
    msg = f"no strategy for {kind}"
    raise NotImplementedError(msg)


@st.composite
def facts_for(draw: st.DrawFn, ruleset: Ruleset, decision: str) -> dict[str, Any]:
    """A valid fact record for ``decision``, some facts left out."""
    spec = ruleset.decision_spec(decision)
    facts: dict[str, Any] = {}
    for name in spec.inputs:
        if draw(st.booleans()) or draw(st.booleans()):  # three times in four
            facts[name] = draw(value_of(ruleset.facts[name]))
    return valid(ruleset, decision, facts)


def valid(ruleset: Ruleset, decision: str, facts: dict[str, Any]) -> dict[str, Any]:
    """``facts``, or a rejected example when a declared cross-fact constraint refuses them.

    Every value drawn is valid on its own, so any other refusal is a bug: it fails the test
    instead of silently shrinking what the properties explore.
    """
    try:
        ruleset.decide(decision, facts, as_of=date(2020, 1, 1), engine="kleene")
    except FactError as exc:
        declared = any(
            exc.fact == constraint.fact and constraint.message in str(exc)
            for constraint in ruleset.spec.constraints
        )
        if not declared:
            raise AssertionError(f"valid facts refused: {facts!r}: {exc}") from exc
        reject()
    return facts
