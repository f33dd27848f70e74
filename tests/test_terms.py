"""Terms: not_in_force and expires_first, generic semantics and the catalogue's examples.

A small synthetic ruleset checks the expansion itself (a rule of the
ruleset, seen alike by both engines); the bundled agreements answer the
examples of the catalogue's *Terms* table from the Python API and the CLI.
"""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from convention_rules import RulesetError, load_ruleset
from convention_rules.cli.main import run
from convention_rules.deciding.ruleset import Ruleset
from convention_rules.reading.loader import read_ruleset
from convention_rules.reading.terms import OUTSIDE_TERM
from convention_rules.tools.casefiles import PROBE_DAYS, Case, check_case

ENGINES = ("durable", "kleene")

# A lease-like agreement: 2020-01-01 to 2020-12-31; a notice of one month,
# withdrawn (« sauf ») when the tenant pays.
TINY = """
format: 1
id: tiny
title: Tiny
source: tiny.txt
term:
  first_day: 2020-01-01
  last_day: 2020-12-31
  article: "9"
  text: Conclue pour l'année 2020.
facts:
  kind: {type: enum, values: [notice, none]}
  notice_date: {type: date}
  paid: {type: bool}
  count: {type: int, min: 0}
decisions:
  termination:
    title: Ended?
    outcomes: [terminated, not_terminated]
    dated_by: notice_date
    expires_first: effective_date
    values:
      note: {value: count}
    rules:
      - id: one-month
        when: kind == "notice" and known(notice_date)
        outcome: terminated
        values: {effective_date: notice_date + 1 month}
        article: "3"
        text: Un mois de préavis.
      - id: paid
        exception_to: one-month
        when: kind == "notice" and paid
        outcome: not_terminated
        article: "3"
        text: sauf paiement.
      - id: no-notice
        when: kind == "none"
        outcome: not_terminated
        article: "3"
        text: Sans préavis, rien.
  quota:
    title: Within the quota?
    outcomes: [within, beyond]
    dated_by: as_of
    rules:
      - {id: within, when: count <= 3, outcome: within, article: "4", text: Trois au plus.}
      - {id: beyond, when: count > 3, outcome: beyond, article: "4", text: Au-delà.}
"""


def tiny(text: str = TINY) -> Ruleset:
    return Ruleset(read_ruleset(text, "tiny.yaml"))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_known_day_outside_the_term_is_not_in_force_before_any_rule(engine: str) -> None:
    rs = tiny()
    d = rs.decide("termination", {"kind": "notice", "notice_date": "2021-01-01"}, engine=engine)
    assert d.outcome == "not_in_force"
    assert dict(d.values) == {"first_day": date(2020, 1, 1), "last_day": date(2020, 12, 31)}
    assert d.missing == ()
    assert d.trace[0].rule == OUTSIDE_TERM
    assert d.trace[0].citation.article == "9"
    assert d.trace[0].facts == {"notice_date": date(2021, 1, 1)}
    # the base rule held and is shown overridden; the decision's own value is not computed
    assert ("one-month", OUTSIDE_TERM) in [(e.rule, e.overridden_by) for e in d.trace]
    assert "note" not in d.values


@pytest.mark.parametrize("engine", ENGINES)
def test_out_of_term_wins_even_with_other_facts_missing(engine: str) -> None:
    d = tiny().decide("termination", {"notice_date": "2019-12-31"}, engine=engine)
    assert (d.outcome, d.missing) == ("not_in_force", ())


@pytest.mark.parametrize("engine", ENGINES)
def test_a_missing_day_leaves_the_term_unchecked(engine: str) -> None:
    rs = tiny()
    assert rs.decide("termination", {"kind": "none"}, engine=engine).outcome == "not_terminated"
    d = rs.decide("termination", {"kind": "notice"}, engine=engine)
    assert (d.outcome, d.missing) == ("undetermined", ("notice_date", "paid"))


@pytest.mark.parametrize("engine", ENGINES)
def test_an_effective_date_after_the_last_day_expires_first(engine: str) -> None:
    rs = tiny()
    facts = {"kind": "notice", "notice_date": "2020-11-30", "paid": False}
    on_last = rs.decide("termination", facts, engine=engine)
    assert (on_last.outcome, on_last.values["effective_date"]) == ("terminated", date(2020, 12, 30))
    late = rs.decide("termination", {**facts, "notice_date": "2020-12-01"}, engine=engine)
    assert late.outcome == "expires_first"
    assert dict(late.values) == {"effective_date": date(2021, 1, 1), "last_day": date(2020, 12, 31)}
    assert [e.rule for e in late.trace] == ["one-month.expires-first", "one-month"]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_base_rules_exceptions_also_win_over_its_expiry(engine: str) -> None:
    facts = {"kind": "notice", "notice_date": "2020-12-15", "paid": True}
    assert tiny().decide("termination", facts, engine=engine).outcome == "not_terminated"


@pytest.mark.parametrize(
    ("as_of", "outcome"),
    [
        (date(2019, 12, 31), "not_in_force"),
        (date(2020, 1, 1), "within"),
        (date(2020, 12, 31), "within"),
        (date(2021, 1, 1), "not_in_force"),
    ],
)
def test_a_decision_dated_by_as_of(as_of: date, outcome: str) -> None:
    for engine in ENGINES:
        assert tiny().decide("quota", {"count": 2}, as_of=as_of, engine=engine).outcome == outcome


def test_the_term_is_ordinary_rules_in_the_spec() -> None:
    spec = tiny().decision_spec("termination")
    rules = {rule.id: rule for rule in spec.rules}
    assert set(rules[OUTSIDE_TERM].exception_to) == set(rules) - {OUTSIDE_TERM}
    assert rules["one-month.expires-first"].exception_to == ("one-month",)
    assert rules["paid"].exception_to == ("one-month", "one-month.expires-first")
    assert spec.outcomes == ("terminated", "not_terminated", "expires_first", "not_in_force")
    assert "notice_date" in spec.inputs


def test_an_open_last_day_gives_only_first_day() -> None:
    text = TINY.replace("  last_day: 2020-12-31\n", "")
    d = tiny(text).decide("quota", {"count": 1}, as_of=date(2019, 6, 1))
    assert (d.outcome, dict(d.values)) == ("not_in_force", {"first_day": date(2020, 1, 1)})
    spec = tiny(text).decision_spec("termination")
    assert "expires_first" not in spec.outcomes  # no last day: nothing expires first


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("dated_by: as_of", "dated_by: count"), "dated_by is the day"),
        (("expires_first: effective_date", "expires_first: nothing"), "not a value"),
        (("  first_day: 2020-01-01\n  last_day: 2020-12-31\n", ""), "first_day"),
        (("  first_day: 2020-01-01\n", "  first_day: 2021-01-01\n"), "before its first_day"),
    ],
)
def test_bad_terms_are_refused_with_their_position(change: tuple[str, str], words: str) -> None:
    with pytest.raises(RulesetError, match=words) as info:
        tiny(TINY.replace(*change))
    assert info.value.location is not None


def test_dated_by_needs_a_term() -> None:
    text = TINY.replace(TINY[TINY.index("term:") : TINY.index("facts:")], "")
    with pytest.raises(RulesetError, match="declares no 'term:'"):
        tiny(text)


def test_exception_to_takes_a_list() -> None:
    text = TINY.replace("exception_to: one-month", "exception_to: [one-month, no-notice]")
    rules = {rule.id: rule for rule in tiny(text).spec.decisions["termination"].rules}
    assert rules["paid"].exception_to == ("one-month", "no-notice")


# -- a case without as_of is checked on two distant days ---------------------------


def _case(decision: str, facts: dict[str, object], expect: dict[str, object]) -> Case:
    from convention_rules._errors import Location

    return Case(
        name="probe",
        ruleset="occitanie-forpro-sup",
        decision=decision,
        as_of=None,
        facts=facts,
        expect=expect,
        why=None,
        loc=Location("probe.yaml", 1, 1),
    )


def test_a_case_whose_answer_depends_on_as_of_must_pin_it() -> None:
    # 2000-01-01 and 2100-01-01 are both outside the term: the days the ruleset names
    # (its term's first and last days) are probed too
    failure = check_case(_case("funded_years", {"programme": "daeu", "programme_years": 1}, {}))
    assert failure is not None
    assert "pin 'as_of:'" in failure.problems[0]
    assert "not_in_force on 2000-01-01" in failure.problems[0]
    assert "funded on 2022-09-01" in failure.problems[0]
    assert PROBE_DAYS[0] == date(2000, 1, 1)


def test_a_case_independent_of_as_of_may_leave_it_out() -> None:
    facts = {"ground": "notice", "notice_date": "2025-01-10"}
    assert check_case(_case("termination", facts, {"outcome": "terminated"})) is None


# -- the catalogue's examples, from the Python API and the CLI ------------------------

Example = tuple[str, str, dict[str, object], str, str, dict[str, str]]
EXAMPLES: list[Example] = [
    (
        "occitanie-forpro-sup",
        "eligibility",
        {
            "registered_jobseeker": True,
            "initial_education_end": "2020-06-30",
            "training_entry": "2030-09-02",
        },
        "2030-09-02",
        "not_in_force",
        {"first_day": "2022-09-01", "last_day": "2026-08-31"},
    ),
    (
        "occitanie-forpro-sup",
        "termination",
        {"ground": "notice", "notice_date": "2027-01-10"},
        "2027-01-10",
        "not_in_force",
        {"first_day": "2022-09-01", "last_day": "2026-08-31"},
    ),
    (
        "cress-paca",
        "termination",
        {"notice_date": "2015-03-02"},
        "2015-03-02",
        "not_in_force",
        {"first_day": "2010-05-17", "last_day": "2013-05-17"},
    ),
    (
        "gsot-master",
        "termination",
        {"notice_date": "2022-09-15"},
        "2022-09-15",
        "not_in_force",
        {"first_day": "2023-06-09"},
    ),
    (
        "departement-askoria",
        "room_booking",
        {"reservations_in_year": 8},
        "2026-03-16",
        "not_in_force",
        {"first_day": "2025-01-01", "last_day": "2025-12-31"},
    ),
    (
        "occitanie-forpro-sup",
        "termination",
        {"ground": "notice", "notice_date": "2026-05-01"},
        "2026-05-01",
        "expires_first",
        {"effective_date": "2026-11-01", "last_day": "2026-08-31"},
    ),
]


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_catalogue_examples_from_python(example: Example) -> None:
    ruleset, decision, facts, as_of, outcome, values = example
    for engine in ENGINES:
        d = load_ruleset(ruleset).decide(
            decision, facts, as_of=date.fromisoformat(as_of), engine=engine
        )
        answer = d.to_dict()
        assert (answer["outcome"], answer["values"], answer["missing"]) == (outcome, values, [])


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_catalogue_examples_from_the_cli(example: Example) -> None:
    ruleset, decision, facts, as_of, outcome, values = example
    out, err = io.StringIO(), io.StringIO()
    args = ["decide", ruleset, decision, "--facts", "-", "--as-of", as_of]
    status = run(args, out, err, io.StringIO(json.dumps(facts)))
    assert status == 0, err.getvalue()
    answer = json.loads(out.getvalue())
    assert (answer["outcome"], answer["values"]) == (outcome, values)
    term_clause = {"occitanie-forpro-sup": "8", "cress-paca": "3.9", "gsot-master": "6"}
    article = term_clause.get(ruleset, "Préambule, art. 1")
    assert answer["trace"][0]["article"] == article
