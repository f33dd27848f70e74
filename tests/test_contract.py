"""The public contract (the decision catalogue), copied here by hand.

Ruleset ids, decision names, fact names, outcome words and value names are
spelled exactly as the catalogue spells them. Rulesets may answer more
(``not_covered`` where the agreement is silent); they may not answer less.
The catalogue's *Terms* table adds ``not_in_force`` (with the ``first_day``
and/or ``last_day`` the agreement fixes) to each dated decision, and
``expires_first`` (``effective_date``, ``last_day``) to two terminations.
"""

from __future__ import annotations

import pytest

from convention_rules import bundled_rulesets, load_ruleset

CATALOGUE: dict[str, dict[str, tuple[set[str], set[str], set[str]]]] = {
    # each decision maps to its inputs, outcomes and values
    "occitanie-forpro-sup": {
        "eligibility": (
            {"registered_jobseeker", "initial_education_end", "training_entry"},
            {"eligible", "ineligible"},
            {"eligible_from"},
        ),
        "funded_years": (
            {"programme", "programme_years"},
            {"funded"},
            {"funded_years", "funded_year_numbers"},
        ),
        "registration_fee_subsidy": (
            {"programme", "registration_fees"},
            {"subsidised", "not_subsidised"},
            {"region_subsidy", "trainee_pays"},
        ),
        "termination": (
            {
                "ground",
                "terminating_party",
                "notice_date",
                "formal_notice_date",
                "cured_within_period",
                "force_majeure",
            },
            {"terminated", "not_terminated", "not_allowed"},
            {"effective_date", "may_terminate_from", "indemnity"},
        ),
        "term": ({"entry_into_force"}, {"not_yet_in_force", "in_force", "expired"}, {"last_day"}),
    },
    "gsot-master": {
        "opening": ({"admitted_candidates"}, {"opens", "does_not_open"}, {"missing_candidates"}),
        "appeal": (
            {"decision_notified", "appeal_lodged", "calendar"},
            {"in_time", "late", "open", "closed"},
            {"appeal_deadline"},
        ),
        "training_fee": ({"contract"}, {"fee_set"}, {"fee"}),
        "financial_result": (
            {"turnover", "iep_expenses", "askoria_expenses"},
            {"profit", "not_covered"},
            {"management_levy", "result", "iep_share", "askoria_share"},
        ),
        "payment_schedule": (
            {"amount", "first_semester_end", "jury_date"},
            {"scheduled"},
            {"first_instalment", "first_due", "second_instalment", "second_due_by"},
        ),
        "termination": (
            {"notice_date", "cursus_end"},
            {"terminated"},
            {"anniversary", "latest_notice_date", "effective_date"},
        ),
        "jury_composition": (
            {"president_is_iep_lead", "askoria_members", "teachers", "professionals"},
            {"valid", "invalid"},
            {"problems"},
        ),
        "training_hours": (
            set(),
            {"fixed"},
            {"training_hours", "work_study_support_hours", "competence_blocks"},
        ),
    },
    "copar-alternance": {
        "placement": (
            {"status", "hours", "start", "end", "contract_end"},
            {"compliant", "non_compliant"},
            {"problems"},
        ),
        "monthly_schedule": ({"status"}, {"set"}, {"course_days_per_month", "tic_days_per_month"}),
        "specifications": (
            {"placement_start", "submitted"},
            {"on_time", "too_early", "late", "open", "conflict"},
            {"window_opens", "window_closes"},
        ),
        "next_milestone": (set(), {"upcoming", "none_left"}, {"milestone", "date", "until"}),
    },
    "departement-askoria": {
        "research_contribution": (
            {"synthesis_shared"},
            {"payable", "not_payable", "pending"},
            {"amount", "implied_total_costs"},
        ),
        "room_booking": (
            {"reservations_in_year"},
            {"free", "billable"},
            {"free_left", "billable_count"},
        ),
        "progress_report": (
            {"steering_committee_date"},
            {"scheduled", "conflict"},
            {"window_opens", "due_by"},
        ),
        "instrument": (set(), {"convention_2022_2024", "amendment_2025", "none"}, {"last_day"}),
    },
    "cress-paca": {
        "term": (
            {"renewal_negotiation_open"},
            {"not_yet_in_force", "in_force", "provisional", "expired"},
            {"term_end", "provisional_end"},
        ),
        "termination": (
            {"notice_date"},
            {"terminated"},
            {"effective_date", "latest_non_renewal_notice"},
        ),
    },
}
EXTRA_OUTCOMES = {"not_covered"}
#: the catalogue's *Terms*: dated decisions, and the term's days each answer carries
DATED: dict[str, tuple[set[str], set[str]]] = {
    "occitanie-forpro-sup": (
        {"eligibility", "funded_years", "registration_fee_subsidy", "termination"},
        {"first_day", "last_day"},
    ),
    "gsot-master": ({"appeal", "termination"}, {"first_day"}),
    "departement-askoria": ({"room_booking"}, {"first_day", "last_day"}),
    "cress-paca": ({"termination"}, {"first_day", "last_day"}),
}
EXPIRES_FIRST = {("occitanie-forpro-sup", "termination"), ("cress-paca", "termination")}


def test_the_bundled_rulesets_are_the_catalogues() -> None:
    assert set(bundled_rulesets()) == set(CATALOGUE)


@pytest.mark.parametrize(
    ("ruleset_id", "decision"),
    [(r, d) for r, decisions in CATALOGUE.items() for d in decisions],
)
def test_decision_matches_the_catalogue(ruleset_id: str, decision: str) -> None:
    inputs, outcomes, values = CATALOGUE[ruleset_id][decision]
    dated, term_days = DATED.get(ruleset_id, (set(), set()))
    if decision in dated:
        outcomes, values = outcomes | {"not_in_force"}, values | term_days
    if (ruleset_id, decision) in EXPIRES_FIRST:
        outcomes, values = outcomes | {"expires_first"}, values | {"effective_date", "last_day"}
    rs = load_ruleset(ruleset_id)
    assert decision in rs.decisions
    spec = rs.decision_spec(decision)
    assert set(spec.inputs) == inputs
    assert outcomes <= set(spec.outcomes)
    assert set(spec.outcomes) - outcomes <= EXTRA_OUTCOMES
    produced = {v.name for v in spec.values}
    produced |= {v.name for rule in spec.rules for v in rule.values}
    if spec.problems_value:
        produced.add(spec.problems_value)
    assert produced == values


ANSWER_KEYS = {"ruleset", "decision", "outcome", "values", "missing", "trace", "as_of", "version"}


@pytest.mark.parametrize(
    ("ruleset_id", "decision"),
    [(r, d) for r, decisions in CATALOGUE.items() for d in decisions],
)
def test_every_answer_has_the_keys_of_the_contract_and_a_version(
    ruleset_id: str, decision: str
) -> None:
    from datetime import date

    rs = load_ruleset(ruleset_id)
    answer = rs.decide(decision, {}, as_of=date(2025, 6, 1)).to_dict()
    assert set(answer) == ANSWER_KEYS
    # null when the agreement has no versions; else the instrument in force on as_of
    expected = {"departement-askoria": "amendment_2025"}.get(ruleset_id)
    assert answer["version"] == expected
