"""Fuzzing with hostile values and hostile rulesets: only the library's own errors,
naming the fact or the rule, short, in bounded time; the two evaluators agree."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convention_rules import (
    ConventionRulesError,
    EvaluationError,
    FactError,
    bundled_rulesets,
    load_ruleset,
)
from tests.hostile import run_bounded

Q = date(2025, 1, 1)
HOSTILE_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([2**63, -(2**63) - 1, 10**30, 10**400, 2**53 + 1])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(
        [
            "x" * 100_000,
            "9" * 5000,
            "1" * 40 + ".00",
            "999999999999.99",
            "1000000000000.00",
            "0001-01-01",
            "9999-12-31",
            "2200-12-31",
            "2024-02-29T23:30:00+01:00",
            "NaN",
            "Infinity",
            "été",
            "e\u0301te\u0301",
            "\x1b[31m",
            "FR-ALSACE-MOSELLE",
        ]
    )
)
HOSTILE_VALUES = st.recursive(
    HOSTILE_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)
DECISIONS = [(r, d) for r in bundled_rulesets() for d in load_ruleset(r).decisions]


@pytest.mark.parametrize(("ruleset_id", "decision"), DECISIONS)
@settings(max_examples=25, deadline=5000)
@given(data=st.data())
def test_hostile_facts_get_an_answer_or_a_named_short_error(
    ruleset_id: str, decision: str, data: st.DataObject
) -> None:
    rs = load_ruleset(ruleset_id)
    names = [*rs.decision_spec(decision).inputs, "unknown_fact"]
    facts: dict[str, Any] = data.draw(
        st.dictionaries(st.sampled_from(names), HOSTILE_VALUES, max_size=len(names))
    )
    answers = []
    for engine in ("durable", "kleene"):
        try:
            answer = rs.decide(decision, facts, as_of=Q, engine=engine)  # type: ignore[arg-type]
        except FactError as exc:
            assert exc.fact is not None
            assert any(part.split("[")[0] in names for part in exc.fact.split(", "))
            assert len(str(exc)) < 800
            answers.append(("FactError", exc.fact))
        except EvaluationError as exc:
            assert decision in str(exc) or "rule" in str(exc)
            answers.append(("EvaluationError", ""))
        except ConventionRulesError as exc:  # the library's own (MoneyError): short
            assert len(str(exc)) < 800
            answers.append((type(exc).__name__, ""))
        else:
            json.dumps(answer.to_dict())
            answers.append((answer.outcome, json.dumps(answer.to_dict()["values"])))
    assert answers[0] == answers[1]


FUZZ_RULESETS = r"""
from datetime import date
from hypothesis import given, settings, strategies as st
from convention_rules import ConventionRulesError, RulesetError
from tests.hostile import make

ATOMS = st.sampled_from(["n > 3", "n == 0", "n < 8", "n != 7", "b", "e == 'été'",
                         "e == 'x\u0301'", "n > 9007199254740992", "n + n + n > 5",
                         "m > 999999999999.99 EUR", "m > 0 EUR"])

@st.composite
def condition(draw, depth=0):
    kind = draw(st.sampled_from(["atom", "and", "or", "not", "in", "paren"]))
    if kind == "atom" or depth > 3:
        return draw(ATOMS)
    if kind == "in":
        size = draw(st.sampled_from([1, 5, 64, 65, 511, 512, 700]))
        return "n in [" + ", ".join(map(str, range(size))) + "]"
    if kind == "not":
        return "not " * draw(st.integers(1, 600)) + "(" + draw(condition(depth + 1)) + ")"
    if kind == "paren":
        k = draw(st.integers(1, 40))
        return "(" * k + draw(condition(depth + 1)) + ")" * k
    most = draw(st.sampled_from([3, 70, 300]))
    parts = draw(st.lists(condition(depth + 1), min_size=2, max_size=most))
    return (" " + kind + " ").join("(" + p + ")" for p in parts)

FACTS = ("  n: {type: int}\n  b: {type: bool}\n  m: {type: money}\n"
         "  e: {type: enum, values: [été, x\u0301, z]}\n")
VALUES = st.fixed_dictionaries({}, optional={
    "n": st.integers(-10, 10**6), "b": st.booleans(),
    "m": st.sampled_from(["0.00", "999999999999.99", "5.00"]),
    "e": st.sampled_from(["été", "e\u0301te\u0301", "z", "x\u0301"])})

@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(condition(), condition(), VALUES)
def fuzz(first, second, facts):
    try:
        rs = make(FACTS, [(first.replace("'", "''"), "yes"), (second.replace("'", "''"), "no")])
    except RulesetError as exc:
        assert exc.location is not None and exc.location.file == "t.yaml", exc
        assert len(str(exc)) < 600
        return
    answers = []
    for engine in ("durable", "kleene"):
        try:
            answers.append(rs.decide("d", facts, as_of=date(2025, 1, 1), engine=engine).outcome)
        except ConventionRulesError as exc:
            answers.append(type(exc).__name__)
    assert answers[0] == answers[1], (first, second, facts, answers)

fuzz()
print("ok")
"""


def test_hostile_rulesets_load_or_fail_with_a_positioned_error_in_bounded_time() -> None:
    assert run_bounded(FUZZ_RULESETS, timeout=300).strip() == "ok"
