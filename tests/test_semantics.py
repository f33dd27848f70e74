"""The engine's semantics, one at a time, on small synthetic rulesets (``tests/semantics/``).

Each case is written by hand from the rule texts beside it, and runs through both engines: the
durable_rules path and the direct Kleene evaluator. Nothing here depends on a bundled agreement,
so a change in an agreement cannot hide a change in the semantics (and the other way round).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from convention_rules import EvaluationError, RulesetError, load_ruleset
from convention_rules.deciding.resolve import resolve

HERE = Path(__file__).parent / "semantics"
DAY = date(2025, 6, 1)
ENGINES = ("durable", "kleene")


def _ruleset(name: str) -> Any:
    return load_ruleset(HERE / f"{name}.yaml")


def _winners(decision: Any) -> list[str]:
    return [entry.rule for entry in decision.trace if entry.overridden_by is None]


# (ruleset, decision, facts, outcome, missing, winning rules, values as JSON)
CASES: list[tuple[str, str, dict[str, Any], str, list[str], list[str], dict[str, Any]]] = [
    # -- and: false wins over unknown, true needs both.
    ("connectives", "conj", {}, "undetermined", ["p", "q"], [], {}),
    ("connectives", "conj", {"p": False}, "no", [], ["not-both"], {}),
    ("connectives", "conj", {"q": False}, "no", [], ["not-both"], {}),
    ("connectives", "conj", {"p": True}, "undetermined", ["q"], [], {}),
    ("connectives", "conj", {"p": True, "q": True}, "yes", [], ["both"], {}),
    ("connectives", "conj", {"p": True, "q": False}, "no", [], ["not-both"], {}),
    # -- or: true wins over unknown, false needs both.
    ("connectives", "disj", {}, "undetermined", ["p", "q"], [], {}),
    ("connectives", "disj", {"p": True}, "yes", [], ["either"], {}),
    ("connectives", "disj", {"q": True}, "yes", [], ["either"], {}),
    ("connectives", "disj", {"p": False}, "undetermined", ["q"], [], {}),
    ("connectives", "disj", {"p": False, "q": False}, "no", [], ["neither"], {}),
    # -- an absent event fails every comparison (it has not happened): known, never missing.
    ("connectives", "event", {}, "not_early", [], ["not-early"], {}),
    ("connectives", "event", {"happened": "2024-12-31"}, "early", [], ["early"], {}),
    ("connectives", "event", {"happened": "2025-01-01"}, "not_early", [], ["not-early"], {}),
    ("connectives", "event", {"happened": None}, "not_early", [], ["not-early"], {}),
    ("connectives", "presence", {}, "unseen", [], ["unseen"], {}),
    ("connectives", "presence", {"happened": "2020-02-29"}, "seen", [], ["seen"], {}),
    # -- known(): true when given, unknown (never false) when missing.
    ("connectives", "needs", {}, "undetermined", ["n"], [], {}),
    ("connectives", "needs", {"n": 3}, "counted", [], ["counted"], {"twice": 6}),
    ("connectives", "needs", {"n": 0}, "counted", [], ["counted"], {"twice": 0}),
    # -- exceptions: the exception wins over its base, an exception to it wins over both.
    ("exceptions", "fee", {}, "undetermined", ["member", "student", "late"], [], {}),
    ("exceptions", "fee", {"member": False}, "not_member", [], ["outsider"], {}),
    ("exceptions", "fee", {"member": True, "student": False}, "pays", [], ["standard"], {}),
    (
        "exceptions",
        "fee",
        {"member": True, "student": True, "late": False},
        "reduced",
        [],
        ["reduction"],
        {},
    ),
    (
        "exceptions",
        "fee",
        {"member": True, "student": True, "late": True},
        "pays",
        [],
        ["standard", "late-enrolment"],
        {},
    ),
    # an unknown exception leaves its base unknown: not "pays" by default
    ("exceptions", "fee", {"member": True}, "undetermined", ["student", "late"], [], {}),
    (
        "exceptions",
        "fee",
        {"member": True, "student": True},
        "undetermined",
        ["late"],
        [],
        {},
    ),
    # -- resolution: an unknown rule that could give another outcome keeps it undetermined,
    #    and names only its own facts; an unknown rule with the same outcome does not.
    ("resolution", "verdict", {"p": True}, "undetermined", ["q"], ["grant"], {}),
    ("resolution", "verdict", {"p": True, "q": False}, "granted", [], ["grant"], {}),
    (
        "resolution",
        "verdict",
        {"p": False, "q": True, "r": False},
        "refused",
        [],
        ["refuse"],
        {},
    ),
    ("resolution", "verdict", {"r": True, "q": False}, "granted", [], ["grant-too"], {}),
    # two rules that apply with the same outcome: both decide, no conflict
    (
        "resolution",
        "verdict",
        {"p": True, "r": True, "q": False},
        "granted",
        [],
        ["grant", "grant-too"],
        {},
    ),
    ("resolution", "verdict", {}, "undetermined", ["p", "q", "r"], [], {}),
    # -- otherwise: only when every rule surely fails.
    ("resolution", "covered", {"p": False}, "not_covered", [], ["otherwise"], {}),
    ("resolution", "covered", {"p": True}, "granted", [], ["grant"], {}),
    ("resolution", "covered", {}, "undetermined", ["p"], [], {}),
    # -- if: a settled condition reads one branch only, in conditions and in values;
    #    an unknown condition is unknown even when both branches agree.
    (
        "conditionals",
        "threshold",
        {"flag": True, "a": 7},
        "above",
        [],
        ["above"],
        {"chosen": 7},
    ),
    ("conditionals", "threshold", {"flag": True}, "undetermined", ["a"], [], {}),
    ("conditionals", "threshold", {"flag": False}, "undetermined", ["b"], [], {}),
    (
        "conditionals",
        "threshold",
        {"flag": False, "b": 3},
        "below",
        [],
        ["below"],
        {"chosen": 3},
    ),
    (
        "conditionals",
        "threshold",
        {"flag": False, "a": 9, "b": 5},
        "below",
        [],
        ["below"],
        {"chosen": 5},
    ),
    ("conditionals", "threshold", {"a": 7, "b": 7}, "undetermined", ["flag"], [], {}),
    ("conditionals", "threshold", {}, "undetermined", ["flag", "a", "b"], [], {}),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_semantics(engine: str, case: tuple[Any, ...]) -> None:
    ruleset, decision, facts, outcome, missing, winners, values = case
    answer = _ruleset(ruleset).decide(decision, facts, as_of=DAY, engine=engine)
    assert answer.outcome == outcome
    assert list(answer.missing) == missing
    assert _winners(answer) == winners
    assert answer.to_dict()["values"] == values


@pytest.mark.parametrize("engine", ENGINES)
def test_an_exception_shows_the_rule_it_overrides(engine: str) -> None:
    facts = {"member": True, "student": True, "late": False}
    answer = _ruleset("exceptions").decide("fee", facts, as_of=DAY, engine=engine)
    assert [(e.rule, e.overridden_by) for e in answer.trace] == [
        ("reduction", None),
        ("standard", "reduction"),
    ]
    facts["late"] = True
    answer = _ruleset("exceptions").decide("fee", facts, as_of=DAY, engine=engine)
    assert [(e.rule, e.overridden_by) for e in answer.trace] == [
        ("standard", None),
        ("late-enrolment", None),
        ("reduction", "late-enrolment"),
    ]


def test_exception_cycles_do_not_load() -> None:
    with pytest.raises(RulesetError, match=r"cycle\.yaml:\d+:\d+: exceptions form a cycle"):
        _ruleset("cycle")


@pytest.mark.parametrize("engine", ENGINES)
def test_two_rules_that_apply_with_different_outcomes_are_a_conflict(engine: str) -> None:
    with pytest.raises(EvaluationError, match=r"'grant' \(granted.*'refuse' \(refused") as info:
        _ruleset("resolution").decide("verdict", {"p": True, "q": True}, as_of=DAY, engine=engine)
    # the message says what to do about it
    assert str(info.value).endswith("both apply; declare one an exception to the other")


@pytest.mark.parametrize("engine", ENGINES)
def test_no_rule_and_no_otherwise_is_a_gap(engine: str) -> None:
    with pytest.raises(EvaluationError, match="declares no 'otherwise'"):
        _ruleset("resolution").decide("gap", {"p": False}, as_of=DAY, engine=engine)
    facts = {"p": False, "q": False, "r": False}
    with pytest.raises(EvaluationError, match="no rule of synthetic-resolution/verdict"):
        _ruleset("resolution").decide("verdict", facts, as_of=DAY, engine=engine)


# (as_of, applicants, outcome, version, fee, seats, article of the winning rule)
IN_TIME = [
    (date(2019, 6, 1), 10, "admitted", "v1", "100.00", 10, "2"),  # before the first: the first
    (date(2021, 6, 1), 10, "admitted", "v1", "100.00", 10, "2"),
    (date(2022, 6, 30), 11, "refused", "v1", "100.00", 10, "2"),
    (date(2022, 7, 1), 11, "refused", "v1", "120.00", 10, "2"),  # the fee's new value
    (date(2023, 1, 1), 11, "admitted", "v2", "120.00", 20, "2"),  # the amended constant
    (date(2023, 1, 1), 21, "waitlisted", "v2", "120.00", 20, "A2"),  # the amended rule
    (date(2030, 1, 1), 21, "waitlisted", "v2", "120.00", 20, "A2"),  # after the last: latest
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", IN_TIME)
def test_dated_constants_and_versions(engine: str, case: tuple[Any, ...]) -> None:
    as_of, applicants, outcome, version, fee, seats, article = case
    answer = _ruleset("intime").decide(
        "admission", {"applicants": applicants}, as_of=as_of, engine=engine
    )
    assert (answer.outcome, answer.version) == (outcome, version)
    assert answer.to_dict()["values"] == {"fee": fee, "seats": seats}
    assert [entry.citation.article for entry in answer.trace] == [article]


@pytest.mark.parametrize("engine", ENGINES)
def test_an_amendment_adds_rules_to_a_decision(engine: str) -> None:
    rs = _ruleset("intime")
    before = rs.decide("extra", {"asked": True}, as_of=date(2022, 12, 31), engine=engine)
    assert (before.outcome, before.version) == ("not_covered", "v1")
    after = rs.decide("extra", {"asked": True}, as_of=date(2023, 1, 1), engine=engine)
    assert (after.outcome, _winners(after)) == ("answered", ["now-covered"])
    unasked = rs.decide("extra", {"asked": False}, as_of=date(2023, 1, 1), engine=engine)
    assert unasked.outcome == "not_covered"


# -- terms: a known day outside the term answers not_in_force before any other rule (even with
#    other facts missing); a missing day leaves the term unchecked; a notice whose effect falls
#    after the last day expires first.  (facts, outcome, missing, winning rules, values)
TERM_CASES: list[tuple[str, dict[str, Any], str, list[str], list[str], dict[str, Any]]] = [
    (
        "application",
        {"applied": "2019-12-31"},
        "not_in_force",
        [],
        ["outside-term"],
        {"first_day": "2020-01-01", "last_day": "2020-12-31"},
    ),
    ("application", {"applied": "2020-01-01"}, "undetermined", ["member"], [], {}),
    ("application", {"applied": "2020-01-01", "member": True}, "accepted", [], ["accept"], {}),
    ("application", {"applied": "2020-12-31", "member": True}, "accepted", [], ["accept"], {}),
    (
        "application",
        {"applied": "2021-01-01", "member": True},
        "not_in_force",
        [],
        ["outside-term"],
        {"first_day": "2020-01-01", "last_day": "2020-12-31"},
    ),
    ("application", {"member": False}, "refused", [], ["refuse"], {}),
    ("application", {"member": True}, "undetermined", ["applied"], [], {}),
    (
        "ending",
        {"notice": "2020-11-30"},
        "ended",
        [],
        ["notice-period"],
        {"effective": "2020-12-30"},
    ),
    (
        "ending",
        {"notice": "2020-10-31"},
        "ended",
        [],
        ["notice-period"],
        {"effective": "2020-11-30"},  # clamped: 31 November does not exist
    ),
    (
        "ending",
        {"notice": "2020-12-01"},
        "expires_first",
        [],
        ["notice-period.expires-first"],
        {"effective": "2021-01-01", "last_day": "2020-12-31"},
    ),
    (
        "ending",
        {"notice": "2021-01-01"},
        "not_in_force",
        [],
        ["outside-term"],
        {"first_day": "2020-01-01", "last_day": "2020-12-31"},
    ),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", TERM_CASES)
def test_terms(engine: str, case: tuple[Any, ...]) -> None:
    decision, facts, outcome, missing, winners, values = case
    answer = _ruleset("term").decide(decision, facts, as_of=DAY, engine=engine)
    assert answer.outcome == outcome
    assert list(answer.missing) == missing
    assert _winners(answer) == winners
    assert answer.to_dict()["values"] == values
    if outcome in ("not_in_force", "expires_first"):
        assert answer.trace[0].citation.article == "T"


def test_resolve_itself_on_known_statuses() -> None:
    # The resolution step alone (what the batch evaluator and the linter mirror): one rule
    # surely true and no exception decides; two with different outcomes conflict.
    rules = _ruleset("resolution").decision_spec("verdict").rules
    one = resolve("verdict", rules, {"grant": True, "grant-too": False, "refuse": False}, {})
    assert (one.outcome, [w.id for w in one.winners], one.unknown, one.overridden) == (
        "granted",
        ["grant"],
        (),
        (),
    )
    unknown = resolve("verdict", rules, {"grant": True, "grant-too": False, "refuse": None}, {})
    assert (unknown.outcome, [u.id for u in unknown.unknown]) == (None, ["refuse"])
    with pytest.raises(EvaluationError, match="both apply"):
        resolve("verdict", rules, {"grant": True, "grant-too": False, "refuse": True}, {})
