"""The durable_rules engine: sessions, threads, compiled JSON, three values."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from convention_rules import EvaluationError, load_ruleset
from convention_rules.deciding.engine import DurableMatcher
from convention_rules.deciding.ruleset import Ruleset
from convention_rules.reading.loader import read_ruleset

FORPRO = load_ruleset("occitanie-forpro-sup")
GSOT = load_ruleset("gsot-master")
Q = date(2025, 1, 1)


def test_no_state_leaks_across_many_decisions() -> None:
    # The engine keeps at most 1,024 live sessions per ruleset: decisions reuse
    # one session, emptied after each match, so thousands of them run.
    for n in range(3000):
        facts = {"admitted_candidates": n % 12}
        expected = "opens" if n % 12 >= 6 else "does_not_open"
        assert GSOT.decide("opening", facts, as_of=Q).outcome == expected


def test_the_same_facts_twice_give_the_same_answer() -> None:
    facts = {
        "registered_jobseeker": True,
        "initial_education_end": "2020-01-01",
        "training_entry": "2023-01-01",
    }
    first = FORPRO.decide("eligibility", facts, as_of=Q)
    assert FORPRO.decide("eligibility", facts, as_of=Q) == first
    assert first.outcome == "eligible"


def test_nothing_firing_leaves_the_session_usable() -> None:
    # With every fact missing no rule fires at all; the next decision still works.
    assert FORPRO.decide("eligibility", {}, as_of=Q).outcome == "undetermined"
    assert (
        FORPRO.decide("eligibility", {"registered_jobseeker": False}, as_of=Q).outcome
        == "ineligible"
    )


def test_a_decision_does_not_see_the_facts_of_the_previous_one() -> None:
    full = {
        "registered_jobseeker": True,
        "initial_education_end": "2020-01-01",
        "training_entry": "2023-01-01",
    }
    assert FORPRO.decide("eligibility", full, as_of=Q).outcome == "eligible"
    partial = FORPRO.decide("eligibility", {"registered_jobseeker": True}, as_of=Q)
    assert partial.outcome == "undetermined"
    assert partial.missing == ("initial_education_end", "training_entry")


def test_concurrent_decisions_from_threads_match_sequential_answers() -> None:
    cases = [
        (
            {
                "registered_jobseeker": r,
                "initial_education_end": f"20{y:02d}-06-30",
                "training_entry": "2024-07-01",
            }
        )
        for r in (True, False)
        for y in range(15, 24)
    ]
    expected = [FORPRO.decide("eligibility", c, as_of=Q).to_dict() for c in cases]
    errors: list[BaseException] = []
    results: dict[tuple[int, int], dict[str, object]] = {}

    def worker(k: int) -> None:
        try:
            for _ in range(40):
                for i, c in enumerate(cases):
                    results[(k, i)] = FORPRO.decide("eligibility", c, as_of=Q).to_dict()
                    assert results[(k, i)] == expected[i]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 8 * len(cases)


def test_matcher_reports_every_rule_that_fires() -> None:
    matcher = DurableMatcher(
        "t",
        {
            "a+": {"all": [{"m": {"$and": [{"g_": 1}, {"$gt": {"x": 5}}]}}]},
            "b+": {"all": [{"m": {"$and": [{"g_": 1}, {"$lt": {"x": 9}}]}}]},
            "c+": {"all": [{"m": {"$and": [{"g_": 1}, {"$lt": {"x": 0}}]}}]},
        },
    )
    assert matcher.match({"g_": 1, "x": 7}) == {"a+", "b+"}
    assert matcher.match({"g_": 1}) == set()


def test_both_polarities_are_compiled_to_negation_normal_form() -> None:
    compiled = FORPRO._compiled[None]["eligibility"].conditions.rules
    positive = compiled["not-registered+"]["all"][0]["m"]
    negative = compiled["not-registered-"]["all"][0]["m"]
    # "not registered_jobseeker": true when the fact is false, false when it is
    # true, and neither when it is absent (an absent field fails every test).
    assert positive == {"$and": [{"g_": 1}, {"$neq": {"f_registered_jobseeker": 1}}]}
    assert negative == {"$and": [{"g_": 1}, {"f_registered_jobseeker": 1}]}


def test_a_right_hand_field_is_guarded_against_absence() -> None:
    # durable_rules reads a comparison with an absent right-hand field as true.
    compiled = FORPRO._compiled[None]["eligibility"].conditions.rules
    body = compiled["left-initial-education-too-recently+"]["all"][0]["m"]
    assert {"$ex": {"d_two_years_out": 1}} in body["$and"][1]["$and"]


CONFLICT = """\
format: 1
id: conflict
title: two rules disagree
source: 000_d837eb4f17f552a5.txt
facts:
  n: {type: int}
decisions:
  d:
    title: t
    outcomes: [yes, no]
    rules:
      - {id: big, when: n > 5, outcome: "yes", article: "1", text: one clause}
      - {id: even-bigger, when: n > 7, outcome: "no", article: "2", text: another clause}
"""


def test_two_rules_with_different_outcomes_are_a_conflict_naming_both() -> None:
    rs = Ruleset(read_ruleset(CONFLICT, "conflict.yaml"))
    assert rs.decide("d", {"n": 6}, as_of=Q).outcome == "yes"
    with pytest.raises(
        EvaluationError, match=r"'big' \(yes, art. 1\) and 'even-bigger' \(no, art. 2\)"
    ):
        rs.decide("d", {"n": 8}, as_of=Q)


def test_no_rule_applying_without_otherwise_is_an_error() -> None:
    rs = Ruleset(read_ruleset(CONFLICT, "conflict.yaml"))
    with pytest.raises(EvaluationError, match="no rule of conflict/d applies"):
        rs.decide("d", {"n": 1}, as_of=Q)


def test_declaring_the_exception_resolves_the_conflict() -> None:
    text = CONFLICT.replace('outcome: "no",', 'outcome: "no", exception_to: big,')
    rs = Ruleset(read_ruleset(text, "conflict.yaml"))
    answer = rs.decide("d", {"n": 8}, as_of=Q)
    assert answer.outcome == "no"
    assert [(e.rule, e.overridden_by) for e in answer.trace] == [
        ("even-bigger", None),
        ("big", "even-bigger"),
    ]


WORKING = """\
format: 1
id: working
title: a boolean function as a condition
source: 000_d837eb4f17f552a5.txt
facts:
  d: {type: date}
  lodged: {type: date, optional: true}
decisions:
  w:
    title: t
    outcomes: [working, off]
    rules:
      - id: on
        when: is_working_day(d + 1 month) and not present(lodged)
        outcome: working
        article: "1"
        text: a clause
      - id: off
        when: not is_working_day(d + 1 month) or present(lodged)
        outcome: "off"
        article: "1"
        text: a clause
"""


@pytest.mark.parametrize(
    "facts",
    [
        {"d": "2025-06-12"},  # + 1 month = Saturday 12 July
        {"d": "2025-06-14"},  # + 1 month = Monday 14 July, a holiday
        {"d": "2025-06-15"},  # + 1 month = Tuesday 15 July
        {"d": "2025-06-15", "lodged": "2025-06-20"},
        {},
        {"lodged": "2025-06-20"},
    ],
)
def test_a_boolean_function_matches_the_same_on_both_engines(facts: dict[str, str]) -> None:
    rs = Ruleset(read_ruleset(WORKING, "working.yaml"))
    durable = rs.decide("w", facts, as_of=Q)
    assert durable == rs.decide("w", facts, as_of=Q, engine="kleene")
    expected = {
        "2025-06-12": "off",
        "2025-06-14": "off",
        "2025-06-15": "working",
    }.get(facts.get("d", ""), "undetermined")
    if "lodged" in facts:
        expected = "off"
    assert durable.outcome == expected
