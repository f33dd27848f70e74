"""Bad input of any shape gets a typed error, never a traceback from deep inside."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convention_rules import (
    ConventionRulesError,
    FactError,
    RulesetError,
    bundled_rulesets,
    load_ruleset,
)
from convention_rules.deciding.ruleset import Ruleset
from convention_rules.language.parser import parse_expression
from convention_rules.language.typecheck import Checker
from convention_rules.language.unparse import unparse
from convention_rules.reading.loader import read_ruleset

WORDS = ["and", "or", "not", "in", "if", "then", "else", "EUR", "months", "2024-02-29", "true"]
ALPHABET = st.sampled_from([*"abcdefxyz_0123456789 .,:+-*/()[]<>=!%€\"'\n\t", *WORDS])


def _positioned(exc: RulesetError, file: str, text: str) -> None:
    """The error points into ``text`` of ``file`` (1-based line and column)."""
    assert exc.location is not None, str(exc)
    assert exc.location.file == file
    lines = text.split("\n")
    assert 1 <= exc.location.line <= len(lines) + 1, (exc.location, text)
    assert exc.location.column >= 1
    assert str(exc).startswith(f"{file}:{exc.location.line}:{exc.location.column}: ")


@given(st.lists(ALPHABET, max_size=25).map("".join))
def test_any_expression_text_parses_or_fails_with_a_ruleset_error(text: str) -> None:
    try:
        node = parse_expression(text, "fuzz.yaml")
    except RulesetError as exc:
        _positioned(exc, "fuzz.yaml", text)
        return
    try:
        typed = Checker({}).check(node)
    except RulesetError as exc:
        _positioned(exc, "fuzz.yaml", text)
        return
    # It parsed and type-checked: the typed tree has a type, and its text reads back to the
    # same tree (the unparser is what docs and explanations show of it).
    assert typed.type is not None
    again = Checker({}).check(parse_expression(unparse(typed), "again.yaml"))
    assert unparse(again) == unparse(typed)
    assert again.type == typed.type


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=12)
    | st.sampled_from(["2024-02-29", "2024-02-30", "8645.00", "12.345", "-1", "daeu", "FR"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
DECISIONS = [(r, d) for r in bundled_rulesets() for d in load_ruleset(r).decisions]


@pytest.mark.parametrize(("ruleset_id", "decision"), DECISIONS)
@given(data=st.data())
def test_any_fact_values_give_a_decision_or_a_fact_error(
    ruleset_id: str, decision: str, data: st.DataObject
) -> None:
    rs = load_ruleset(ruleset_id)
    names = [*rs.decision_spec(decision).inputs, "unknown_fact"]
    facts: dict[str, Any] = data.draw(
        st.dictionaries(st.sampled_from(names), JSON_VALUES, max_size=len(names))
    )
    try:
        answer = rs.decide(decision, facts, as_of=date(2025, 1, 1))
    except FactError as exc:
        assert exc.fact is not None
        assert exc.fact in facts or exc.fact.split("[")[0] in facts  # a fact that was given
        assert exc.expected, str(exc)  # and what it accepts
        return
    # Every given fact was valid: the answer is well-formed.
    spec = rs.decision_spec(decision, date(2025, 1, 1))
    assert "unknown_fact" not in facts
    common = ("undetermined", "not_covered", "not_in_force", "expires_first")
    assert answer.outcome in (*spec.outcomes, *common)
    assert set(answer.missing) <= set(spec.inputs)
    assert not answer.missing or answer.outcome == "undetermined"
    assert all(entry.citation.text for entry in answer.trace)
    json.dumps(answer.to_dict())  # always serialisable


VALID = (
    "format: 1\nid: t\ntitle: t\nsource: s.txt\nfacts:\n  n: {type: int}\n"
    "decisions:\n  d:\n    title: t\n    outcomes: [a]\n    rules:\n"
    "      - {id: r, when: n > 1, outcome: a, article: '1', text: clause}\n"
)


@given(st.integers(min_value=0, max_value=len(VALID) - 1), st.text(max_size=8))
def test_a_damaged_ruleset_fails_with_a_positioned_ruleset_error(cut: int, insert: str) -> None:
    text = VALID[:cut] + insert + VALID[cut + len(insert) :]
    try:
        ruleset = Ruleset(read_ruleset(text, "damaged.yaml"))
    except RulesetError as exc:
        _positioned(exc, "damaged.yaml", text)
    except ConventionRulesError as exc:  # pragma: no cover - reported with its type
        pytest.fail(f"{type(exc).__name__}: {exc}")
    else:
        # The damage left a valid ruleset: it still answers with a declared outcome.
        assert ruleset.decisions
        for name in ruleset.decisions:
            outcomes = ruleset.decision_spec(name).outcomes
            assert outcomes
