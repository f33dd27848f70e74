"""Properties of every bundled decision, and of ForPro Sup eligibility.

The generic properties draw facts from each decision's own declarations, so
they cover every ruleset that is bundled, including ones added later.
"""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from factgen import DATES, facts_for, valid, value_of
from hypothesis import assume, given
from hypothesis import strategies as st
from reference import add_years

from convention_rules import bundled_rulesets, load_ruleset
from convention_rules.cli.main import run
from convention_rules.language.syntax import facts_read
from convention_rules.reading.terms import OUTSIDE_TERM

DECISIONS = [
    (ruleset_id, decision)
    for ruleset_id in bundled_rulesets()
    for decision in load_ruleset(ruleset_id).decisions
]
AS_OF = st.dates(min_value=date(2009, 1, 1), max_value=date(2028, 12, 31))


@pytest.mark.parametrize(("ruleset_id", "decision"), DECISIONS)
@given(data=st.data(), as_of=AS_OF)
def test_durable_rules_agrees_with_kleene_evaluation(
    ruleset_id: str, decision: str, data: st.DataObject, as_of: date
) -> None:
    rs = load_ruleset(ruleset_id)
    facts = data.draw(facts_for(rs, decision))
    through_engine = rs.decide(decision, facts, as_of=as_of, engine="durable")
    direct = rs.decide(decision, facts, as_of=as_of, engine="kleene")
    assert through_engine == direct


def complete_and_partial(
    data: st.DataObject, ruleset_id: str, decision: str
) -> tuple[dict[str, object], dict[str, object]]:
    """A complete record of facts and a sub-record of it.

    Only required facts are left out: an optional event fact that is absent
    says that the event has not happened, which is information, not a gap.
    """
    rs = load_ruleset(ruleset_id)
    inputs = rs.decision_spec(decision).inputs
    complete = valid(rs, decision, {n: data.draw(value_of(rs.facts[n]), label=n) for n in inputs})
    required = [n for n in inputs if not rs.facts[n].optional]
    kept = data.draw(
        st.sets(st.sampled_from(required)) if required else st.just(set()), label="kept"
    )
    return complete, {n: v for n, v in complete.items() if n in kept or rs.facts[n].optional}


@pytest.mark.parametrize(("ruleset_id", "decision"), DECISIONS)
@given(data=st.data(), as_of=AS_OF)
def test_more_facts_never_undo_a_determined_answer(
    ruleset_id: str, decision: str, data: st.DataObject, as_of: date
) -> None:
    rs = load_ruleset(ruleset_id)
    complete, partial = complete_and_partial(data, ruleset_id, decision)
    first = rs.decide(decision, partial, as_of=as_of)
    final = rs.decide(decision, complete, as_of=as_of)
    if first.determined and final.outcome == "not_in_force" != first.outcome:
        # The one exception (decisions.md, Terms): a missing day leaves the term unchecked,
        # so supplying the day that dates the question may place it outside the term.
        term = next(r for r in rs.decision_spec(decision, as_of).rules if r.id == OUTSIDE_TERM)
        dating = facts_read([term.when], rs.spec.derived)
        assert dating & (set(complete) - set(partial)), "the day was known: the term decided"
        return
    if first.determined:
        assert final.outcome == first.outcome
        # Values known from fewer facts stay the same with more facts; a list
        # of problems may only grow (faults of checks that were unknown).
        for name, value in first.values.items():
            if name == "problems":
                assert set(value) <= set(final.values[name])
            else:
                assert final.values[name] == value


@pytest.mark.parametrize(("ruleset_id", "decision"), DECISIONS)
@given(data=st.data(), as_of=AS_OF)
def test_supplying_the_missing_facts_determines_the_answer(
    ruleset_id: str, decision: str, data: st.DataObject, as_of: date
) -> None:
    rs = load_ruleset(ruleset_id)
    complete, partial = complete_and_partial(data, ruleset_id, decision)
    first = rs.decide(decision, partial, as_of=as_of)
    if not first.determined:
        assert first.missing, "an undetermined answer names what is missing"
        assert not first.values
        assert set(first.missing) <= set(complete) - set(partial)
        supplied = {**partial, **{n: complete[n] for n in first.missing}}
        assert rs.decide(decision, supplied, as_of=as_of).determined
    else:
        assert first.missing == ()


@pytest.mark.parametrize(("ruleset_id", "decision"), DECISIONS)
@given(data=st.data(), as_of=AS_OF)
def test_every_decided_answer_cites_its_clause(
    ruleset_id: str, decision: str, data: st.DataObject, as_of: date
) -> None:
    rs = load_ruleset(ruleset_id)
    answer = rs.decide(decision, data.draw(facts_for(rs, decision)), as_of=as_of)
    if answer.determined:
        assert answer.missing == ()
        assert answer.trace
        for entry in answer.trace:
            assert entry.citation.source.endswith(".txt")
            assert entry.citation.article
            assert len(entry.citation.text) > 10
        assert answer.outcome in rs.decision_spec(decision).outcomes


# -- ForPro Sup eligibility ---------------------------------------------------

FORPRO = load_ruleset("occitanie-forpro-sup")
Q = date(2025, 1, 1)


def in_term(entry: date) -> str:
    """What an answer of the two-year rule becomes outside the term (art. 8)."""
    return "" if date(2022, 9, 1) <= entry <= date(2026, 8, 31) else "not_in_force"


def eligibility(end: date, entry: date, registered: bool = True) -> str:
    facts = {
        "registered_jobseeker": registered,
        "initial_education_end": end.isoformat(),
        "training_entry": entry.isoformat(),
    }
    return FORPRO.decide("eligibility", facts, as_of=Q).outcome


@given(end=DATES, entry=DATES, later=st.integers(min_value=0, max_value=2000))
def test_eligibility_is_monotone_in_the_entry_date(end: date, entry: date, later: int) -> None:
    assume(entry + timedelta(days=later) <= date(2035, 1, 1))
    if eligibility(end, entry) == "eligible":
        later_entry = entry + timedelta(days=later)
        assert eligibility(end, later_entry) == (in_term(later_entry) or "eligible")


@given(end=DATES)
def test_eligible_from_is_the_first_eligible_entry_date(end: date) -> None:
    facts = {"registered_jobseeker": True, "initial_education_end": end.isoformat()}
    first = date.fromisoformat(
        FORPRO.decide("eligibility", {**facts, "training_entry": "2024-01-01"}, as_of=Q).to_dict()[
            "values"
        ]["eligible_from"]
    )
    # art. 3-2, « depuis plus de deux ans »: the day after the second anniversary.
    assert first == add_years(end, 2) + timedelta(days=1)
    assert eligibility(end, first) == (in_term(first) or "eligible")
    day_before = first - timedelta(days=1)
    assert eligibility(end, day_before) == (in_term(day_before) or "ineligible")


@given(end=DATES, entry=DATES)
def test_a_jobseeker_not_registered_is_never_eligible(end: date, entry: date) -> None:
    assert eligibility(end, entry, registered=False) == (in_term(entry) or "ineligible")


@given(
    facts=st.fixed_dictionaries(
        {},
        optional={
            "registered_jobseeker": st.booleans(),
            "initial_education_end": DATES.map(date.isoformat),
            "training_entry": DATES.map(date.isoformat),
        },
    ),
    as_of=AS_OF,
)
def test_python_api_and_cli_agree(facts: dict[str, object], as_of: date) -> None:
    out, err = io.StringIO(), io.StringIO()
    status = run(
        [
            "decide",
            "occitanie-forpro-sup",
            "eligibility",
            "--facts",
            "-",
            "--as-of",
            as_of.isoformat(),
        ],
        out,
        err,
        io.StringIO(json.dumps(facts)),
    )
    assert status == 0, err.getvalue()
    assert json.loads(out.getvalue()) == FORPRO.decide("eligibility", facts, as_of=as_of).to_dict()
