"""Properties of the agreements' decisions, family by family (issue: encode all five)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st
from reference import add_months, percent_cents

from convention_rules import Money, load_ruleset

GSOT = load_ruleset("gsot-master")
FORPRO = load_ruleset("occitanie-forpro-sup")
CRESS = load_ruleset("cress-paca")
Q = date(2025, 1, 1)
DATES = st.dates(min_value=date(2010, 1, 1), max_value=date(2035, 12, 31))
#: the GSOT convention is in force from its signature (art. 6), with no last day
GSOT_DATES = st.dates(min_value=date(2023, 6, 9), max_value=date(2035, 12, 31))
#: first and last day of each termination's term (decisions.md, Terms)
TERMS = {
    "occitanie-forpro-sup": (date(2022, 9, 1), date(2026, 8, 31)),
    "gsot-master": (date(2023, 6, 9), None),
    "cress-paca": (date(2010, 5, 17), date(2013, 5, 17)),
}
CENTS = st.integers(min_value=0, max_value=10_000_000_00)


def euros(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


@given(n=st.integers(min_value=0, max_value=500), more=st.integers(min_value=0, max_value=500))
def test_opening_is_monotone_in_the_number_of_candidates(n: int, more: int) -> None:
    fewer = GSOT.decide("opening", {"admitted_candidates": n}, as_of=Q)
    if fewer.outcome == "opens":
        assert GSOT.decide("opening", {"admitted_candidates": n + more}, as_of=Q).outcome == "opens"
    assert fewer.values["missing_candidates"] == max(0, 6 - n)


def _effective(ruleset: str, decision: str, notice: date, facts: dict[str, object]) -> date | None:
    """The effective date of a notice, ``None`` when the notice is outside the term."""
    answer = load_ruleset(ruleset).decide(decision, facts, as_of=Q)
    first, last = TERMS[ruleset]
    if notice < first or (last is not None and notice > last):
        assert answer.outcome == "not_in_force"
        return None
    value = answer.values["effective_date"]
    assert isinstance(value, date)
    # past the last day the agreement ends by its own term first
    expected = "expires_first" if last is not None and value > last else "terminated"
    assert answer.outcome == expected
    return value


@given(first=DATES, later=st.integers(min_value=0, max_value=800))
def test_a_later_notice_never_gives_an_earlier_effective_date(first: date, later: int) -> None:
    second = first + timedelta(days=later)
    cases = [
        ("occitanie-forpro-sup", "termination", lambda d: {"ground": "notice", "notice_date": d}),
        ("gsot-master", "termination", lambda d: {"notice_date": d}),
        ("cress-paca", "termination", lambda d: {"notice_date": d}),
    ]
    for ruleset, decision, facts in cases:
        early = _effective(ruleset, decision, first, facts(first.isoformat()))
        late = _effective(ruleset, decision, second, facts(second.isoformat()))
        if early is not None and late is not None:
            assert early <= late, (ruleset, first, second)


@given(first=GSOT_DATES, cursus=st.one_of(st.none(), DATES))
def test_gsot_termination_takes_effect_on_an_anniversary_or_the_cursus_end(
    first: date, cursus: date | None
) -> None:
    facts: dict[str, object] = {"notice_date": first.isoformat()}
    if cursus is not None:
        facts["cursus_end"] = cursus.isoformat()
    values = GSOT.decide("termination", facts, as_of=Q).values
    anniversary = values["anniversary"]
    assert (anniversary.month, anniversary.day) == (6, 9)
    # The first 9 June that the notice precedes by at least three months (art. 7), written
    # directly: this year's 9 June if notice + 3 months <= it, else next year's.
    this_year = date(first.year, 6, 9)
    expected = this_year if add_months(first, 3) <= this_year else date(first.year + 1, 6, 9)
    assert anniversary == expected
    # « au moins trois mois avant »: 9 March + 3 months = 9 June, 10 March + 3 months > 9 June.
    assert values["latest_notice_date"] == date(anniversary.year, 3, 9)
    assert first <= values["latest_notice_date"]
    assert values["effective_date"] == max(anniversary, cursus or anniversary)


@given(amount=CENTS, semester=DATES, jury=DATES)
def test_payment_instalments_sum_to_the_amount(amount: int, semester: date, jury: date) -> None:
    facts = {
        "amount": euros(amount),
        "first_semester_end": semester.isoformat(),
        "jury_date": jury.isoformat(),
    }
    values = GSOT.decide("payment_schedule", facts, as_of=Q).values
    assert values["first_instalment"] + values["second_instalment"] == Money.from_cents(amount)
    # art. 4: 40 % then 60 %, each rounded half-up to the cent; they sum to the amount whenever
    # the two roundings agree (they can differ by a cent at a tie, the second then takes it).
    assert values["first_instalment"].cents == percent_cents(amount, 40)
    assert abs(values["second_instalment"].cents - percent_cents(amount, 60)) <= 1
    assert values["first_due"] == semester
    assert values["second_due_by"] == add_months(jury, 3)


@given(turnover=CENTS, iep=CENTS, askoria=CENTS)
def test_profit_shares_sum_to_the_result(turnover: int, iep: int, askoria: int) -> None:
    facts = {
        "turnover": euros(turnover),
        "iep_expenses": euros(iep),
        "askoria_expenses": euros(askoria),
    }
    answer = GSOT.decide("financial_result", facts, as_of=Q)
    values = answer.values
    levy = values["management_levy"]
    assert levy.cents == percent_cents(turnover, 15)  # art. 4: 15 % of the turnover, half-up
    assert values["result"].cents == turnover - levy.cents - iep - askoria
    assert levy + values["result"] + Money.from_cents(iep) + Money.from_cents(
        askoria
    ) == Money.from_cents(turnover)
    if answer.outcome == "profit":
        assert values["iep_share"] + values["askoria_share"] == values["result"]
        assert (
            values["iep_share"] >= values["askoria_share"]
        )  # the odd cent to the IEP, named first
        assert values["iep_share"].cents - values["askoria_share"].cents <= 1
    else:
        assert answer.outcome == "not_covered"
        assert values["result"].cents <= 0
        assert "iep_share" not in values


@given(fees=CENTS, programme=st.sampled_from(["capacite_en_droit", "daeu", "other"]))
def test_subsidies_are_never_negative_nor_more_than_half_the_fees(
    fees: int, programme: str
) -> None:
    facts = {"programme": programme, "registration_fees": euros(fees)}
    values = FORPRO.decide("registration_fee_subsidy", facts, as_of=Q).values
    subsidy, pays = values["region_subsidy"], values["trainee_pays"]
    assert subsidy.cents >= 0
    assert pays.cents >= 0
    assert subsidy + pays == Money.from_cents(fees)
    # art. 6-2: half the fees for DAEU and Capacité en droit (half-up), nothing otherwise.
    assert subsidy.cents == (percent_cents(fees, 50) if programme != "other" else 0)


@given(contract=st.sampled_from(["apprenticeship", "continuing_education", "professionalisation"]))
def test_fees_are_never_negative(contract: str) -> None:
    fee = GSOT.decide("training_fee", {"contract": contract}, as_of=Q).values["fee"]
    assert fee.cents > 0


@given(notified=GSOT_DATES, calendar=st.sampled_from(["FR", "FR-ALSACE-MOSELLE"]))
def test_an_extended_deadline_is_never_before_the_plain_one(notified: date, calendar: str) -> None:
    facts = {"decision_notified": notified.isoformat(), "calendar": calendar}
    deadline = GSOT.decide("appeal", facts, as_of=Q).values["appeal_deadline"]
    plain = add_months(notified, 1)
    assert plain <= deadline <= plain + timedelta(days=4)
    national = GSOT.decide("appeal", {"decision_notified": notified.isoformat()}, as_of=Q)
    assert national.values["appeal_deadline"] <= deadline  # Alsace-Moselle has more holidays


@given(as_of=DATES, open_=st.one_of(st.none(), st.booleans()))
def test_cress_term_outcomes_follow_time(as_of: date, open_: bool | None) -> None:
    facts = {} if open_ is None else {"renewal_negotiation_open": open_}
    outcome = CRESS.decide("term", facts, as_of=as_of).outcome
    if as_of <= date(2013, 5, 17):
        assert outcome in ("not_yet_in_force", "in_force")
    elif as_of > date(2013, 11, 17):
        assert outcome == "expired"
    else:
        assert outcome == {None: "undetermined", True: "provisional", False: "expired"}[open_]
