"""Counterfactuals (``convention_rules.whatif``): what would change the answer.

Expected changes are worked out from the agreements' clauses (cited per test); the generic
properties check every proposal against ``decide`` and against one-unit-smaller changes.
"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convention_rules import FactError, Money, load_ruleset
from convention_rules.cli.main import run
from convention_rules.tools.casefiles import read_cases
from convention_rules.whatif import Counterfactual, WhatIf, explain_what_if, past_dates, what_if
from convention_rules.whatif.boundaries import AS_OF, one_step_toward

RULESETS = Path(__file__).parent.parent / "rulesets"


def demo_cases() -> list[Any]:
    return [c for f in sorted(RULESETS.glob("*.cases.yaml")) for c in read_cases(f) if c.demo]


def _as_of(case: Any) -> date | None:
    return date.fromisoformat(case.as_of) if case.as_of else None


def _changes(cf: Counterfactual) -> dict[str, Any]:
    return {change.fact: change.after for change in cf.changes}


def _apply(facts: dict[str, Any], as_of: date, cf: Counterfactual) -> tuple[dict[str, Any], date]:
    changed = dict(facts)
    day = as_of
    for change in cf.changes:
        if change.fact == AS_OF:
            day = change.after
        else:
            changed[change.fact] = change.after
    return changed, day


def _confirm(ruleset_id: str, decision: str, facts: dict[str, Any], found: WhatIf) -> None:
    """Every counterfactual, applied by hand, gives its outcome under decide (durable engine)."""
    rs = load_ruleset(ruleset_id)
    for cf in found.counterfactuals:
        changed, day = _apply(facts, found.decision.as_of, cf)
        assert rs.decide(decision, changed, as_of=day).outcome == cf.outcome
        assert cf.decision.trace, "the rule that would decide is named"


@pytest.mark.parametrize("case", demo_cases(), ids=lambda c: f"{Path(c.ruleset).name}-{c.name}")
def test_every_demo_case_not_at_the_best_outcome_gets_a_confirmed_counterfactual(
    case: Any,
) -> None:
    """Issue #15, done when: the best outcome is the first one each decision lists."""
    rs = load_ruleset(case.ruleset)
    found = what_if(rs, case.decision, case.facts, as_of=_as_of(case))
    _confirm(case.ruleset, case.decision, case.facts, found)
    best = rs.decision_spec(case.decision).outcomes[0]
    if found.decision.outcome != best:
        assert best in {cf.outcome for cf in found.counterfactuals}


def test_one_more_admitted_candidate_opens_the_master() -> None:
    # GSOT art. 3-1: « le Master ouvre à partir d'un nombre minimum de 6 candidats »: 5 -> 6.
    found = what_if(
        load_ruleset("gsot-master"), "opening", {"admitted_candidates": 5}, as_of=date(2024, 9, 1)
    )
    (cf,) = found.counterfactuals
    assert cf.outcome == "opens"
    assert _changes(cf) == {"admitted_candidates": 6}
    assert cf.changes[0].before == 5
    assert "would be opens with admitted_candidates 6 (instead of 5)" in explain_what_if(found)


def test_the_earliest_entry_date_decides_an_undetermined_eligibility() -> None:
    # Occitanie art. 3-2: two years after leaving initial education on 2022-06-30 ends on
    # 2024-06-30 (CPC 641); eligible from the next day, 2024-07-01; 2024-06-30 is too early.
    facts = {"registered_jobseeker": True, "initial_education_end": "2022-06-30"}
    found = what_if(
        load_ruleset("occitanie-forpro-sup"), "eligibility", facts, as_of=date(2025, 1, 1)
    )
    assert found.decision.outcome == "undetermined"
    by_outcome: dict[str, list[dict[str, Any]]] = {}
    for cf in found.counterfactuals:
        by_outcome.setdefault(cf.outcome, []).append(_changes(cf))
    assert by_outcome["eligible"][0] == {"training_entry": date(2024, 7, 1)}
    assert {"training_entry": date(2024, 6, 30)} in by_outcome["ineligible"]
    assert {"registered_jobseeker": False} in by_outcome["ineligible"]
    assert "training_entry 2024-07-01 (not given)" in explain_what_if(found)


def test_fewer_reservations_are_free_and_a_late_synthesis_is_not_payable() -> None:
    rs = load_ruleset("departement-askoria")
    # Amendment 2025, 1 (3-3): « la gratuité sera accordée à concurrence de 6 réservations ».
    rooms = what_if(rs, "room_booking", {"reservations_in_year": 10}, as_of=date(2025, 11, 1))
    free = [cf for cf in rooms.counterfactuals if cf.outcome == "free"]
    assert [_changes(cf) for cf in free] == [{"reservations_in_year": 6}]
    # Art. 2: the synthesis shared « au plus tard le 1er décembre 2025 »: 2 December is late.
    research = what_if(
        rs, "research_contribution", {"synthesis_shared": "2025-11-15"}, as_of=date(2025, 11, 20)
    )
    late = [cf for cf in research.counterfactuals if cf.outcome == "not_payable"]
    assert _changes(late[0]) == {"synthesis_shared": date(2025, 12, 2)}


def test_one_fewer_teacher_makes_the_jury_valid() -> None:
    # GSOT art. 3-6: one or two teachers (between(teachers, 1, 2)); the demo jury has three.
    facts = {"president_is_iep_lead": True, "askoria_members": 1, "teachers": 3, "professionals": 1}
    found = what_if(load_ruleset("gsot-master"), "jury_composition", facts)
    valid = [cf for cf in found.counterfactuals if cf.outcome == "valid"]
    assert [_changes(cf) for cf in valid] == [{"teachers": 2}]


def test_the_appeal_lodged_on_the_extended_last_day_is_in_time() -> None:
    # GSOT appeal, Alsace-Moselle: 2025-11-25 + 1 month = Thu 25 Dec, 26 Dec local holiday,
    # weekend -> Mon 29 Dec 2025 (case file); lodged that day in time, the day after late.
    facts = {"decision_notified": "2025-11-25", "calendar": "FR-ALSACE-MOSELLE"}
    found = what_if(load_ruleset("gsot-master"), "appeal", facts, as_of=date(2025, 12, 29))
    first = {cf.outcome: _changes(cf) for cf in reversed(found.counterfactuals)}
    assert first["in_time"] == {"appeal_lodged": date(2025, 12, 29)}
    assert first["late"] == {"appeal_lodged": date(2025, 12, 30)}


def test_frozen_facts_are_not_changed() -> None:
    rs = load_ruleset("gsot-master")
    found = what_if(
        rs,
        "opening",
        {"admitted_candidates": 5},
        as_of=date(2024, 9, 1),
        frozen=["admitted_candidates", "as_of"],
    )
    assert found.counterfactuals == ()
    assert found.unreached == ("opens",)
    assert "never opens" in explain_what_if(found)
    facts = {"decision_notified": "2025-11-25", "appeal_lodged": "2025-12-01"}
    assert past_dates(rs, "appeal", facts, date(2025, 12, 15)) == {
        "decision_notified",
        "appeal_lodged",
    }
    assert past_dates(rs, "appeal", facts, date(2025, 11, 30)) == {"decision_notified"}
    later = what_if(
        rs,
        "appeal",
        facts,
        as_of=date(2025, 12, 15),
        frozen=[*past_dates(rs, "appeal", facts, date(2025, 12, 15)), "as_of"],
    )
    for cf in later.counterfactuals:
        assert not {"decision_notified", "appeal_lodged", "as_of"} & set(_changes(cf))


def test_bad_arguments_are_fact_errors() -> None:
    rs = load_ruleset("gsot-master")
    with pytest.raises(FactError, match="admitted_candidates") as info:
        what_if(rs, "opening", {"admitted_candidates": 5}, frozen=["candidates"])
    assert info.value.fact == "candidates"
    with pytest.raises(FactError, match="max_changes"):
        what_if(rs, "opening", {"admitted_candidates": 5}, max_changes=0)


def test_cli_what_if_json_and_explain() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = run(
        ["decide", "gsot-master", "opening", "--facts", "-", "--as-of", "2024-09-01", "--what-if"],
        out,
        err,
        io.StringIO('{"admitted_candidates": 5}'),
    )
    assert code == 0, err.getvalue()
    body = json.loads(out.getvalue())
    (cf,) = body["what_if"]["counterfactuals"]
    assert cf["outcome"] == "opens"
    assert cf["changes"] == [{"fact": "admitted_candidates", "from": 5, "to": 6}]
    assert cf["decided_by"]["article"] == "3-1"
    out = io.StringIO()
    code = run(
        [
            "decide",
            "gsot-master",
            "opening",
            "--facts",
            "-",
            "--explain",
            "--what-if",
            "--freeze",
            "past",
            "--as-of",
            "2024-09-01",
        ],
        out,
        err,
        io.StringIO('{"admitted_candidates": 5}'),
    )
    assert code == 0
    assert "would be opens with admitted_candidates 6 (instead of 5)" in out.getvalue()
    assert "« Il est convenu que le Master ouvre" in out.getvalue()


# --------------------------------------------------------------------------- properties


def _check_minimal(ruleset_id: str, decision: str, facts: dict[str, Any], found: WhatIf) -> None:
    """No subset of a proposal gives its outcome, and no one-unit-smaller change does."""
    rs = load_ruleset(ruleset_id)
    for cf in found.counterfactuals:
        if len(cf.changes) > 1:
            for left_out in cf.changes:
                fewer = Counterfactual(
                    cf.outcome, tuple(c for c in cf.changes if c is not left_out), cf.decision, 0
                )
                changed, day = _apply(facts, found.decision.as_of, fewer)
                assert rs.decide(decision, changed, as_of=day).outcome != cf.outcome
        for change in cf.changes:
            before, after = change.before, change.after
            ordered = isinstance(after, date | int | Money) and not isinstance(after, bool)
            if not ordered or before is None or type(before) is not type(after):
                continue
            closer = one_step_toward(after, before)
            if closer == before:
                continue
            stepped = Counterfactual(
                cf.outcome,
                tuple(attrs.evolve(c, after=closer) if c is change else c for c in cf.changes),
                cf.decision,
                0,
            )
            changed, day = _apply(facts, found.decision.as_of, stepped)
            assert rs.decide(decision, changed, as_of=day).outcome != cf.outcome, (
                f"{change.fact} {closer} is a smaller change giving {cf.outcome}"
            )


eligibility_facts = st.fixed_dictionaries(
    {},
    optional={
        "registered_jobseeker": st.booleans(),
        "initial_education_end": st.dates(date(2018, 1, 1), date(2025, 12, 31)).map(str),
        "training_entry": st.dates(date(2019, 1, 1), date(2026, 12, 31)).map(str),
    },
)
jury_facts = st.fixed_dictionaries(
    {},
    optional={
        "president_is_iep_lead": st.booleans(),
        "askoria_members": st.integers(0, 4),
        "teachers": st.integers(0, 5),
        "professionals": st.integers(0, 4),
    },
)
appeal_facts = st.fixed_dictionaries(
    {"decision_notified": st.dates(date(2024, 1, 1), date(2026, 6, 30)).map(str)},
    optional={
        "appeal_lodged": st.dates(date(2024, 1, 1), date(2026, 9, 30)).map(str),
        "calendar": st.sampled_from(["FR", "FR-ALSACE-MOSELLE"]),
    },
)


@settings(max_examples=25)
@given(
    st.sampled_from(
        [
            ("occitanie-forpro-sup", "eligibility", eligibility_facts),
            ("gsot-master", "jury_composition", jury_facts),
            ("gsot-master", "appeal", appeal_facts),
        ]
    ).flatmap(lambda t: st.tuples(st.just(t[0]), st.just(t[1]), t[2])),
    st.dates(date(2024, 1, 1), date(2026, 12, 31)),
)
def test_every_proposal_gives_its_outcome_and_none_smaller_does(
    target: tuple[str, str, dict[str, Any]], as_of: date
) -> None:
    ruleset_id, decision, facts = target
    rs = load_ruleset(ruleset_id)
    found = what_if(rs, decision, facts, as_of=as_of, max_changes=2)
    _confirm(ruleset_id, decision, facts, found)
    _check_minimal(ruleset_id, decision, facts, found)
    reached = {cf.outcome for cf in found.counterfactuals}
    assert found.decision.outcome not in reached
    assert not reached & set(found.unreached)
    assert all(len(cf.changes) <= 2 for cf in found.counterfactuals)
