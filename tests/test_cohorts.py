"""The synthetic-cohort generator: deterministic per seed, within the fact specs, on the
boundaries of the conditions, with the shares of missing and invalid cells asked for."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pytest

from convention_rules import FactError, bundled_rulesets, load_ruleset
from convention_rules.law import legaltime as lt
from convention_rules.tools.cohorts import INVALID, MISSING, add_period_days, cohort, day_number
from convention_rules.tools.thresholds import thresholds

AS_OF = date(2025, 1, 1)
BUNDLED = [
    (rid, name)
    for rid in sorted(bundled_rulesets())
    for name in load_ruleset(rid).decisions
    if load_ruleset(rid).decision_spec(name).inputs
]


def test_same_seed_same_table_other_seed_other_table() -> None:
    rs = load_ruleset("occitanie-forpro-sup")
    first = cohort(rs, "termination", 500, seed=7, invalid=0.05).to_columns()
    again = cohort(rs, "termination", 500, seed=7, invalid=0.05).to_columns()
    other = cohort(rs, "termination", 500, seed=8, invalid=0.05).to_columns()
    assert first == again
    assert first != other
    assert list(first) == list(rs.decision_spec("termination").inputs)
    assert all(len(column) == 500 for column in first.values())


@pytest.mark.parametrize(("ruleset", "decision"), BUNDLED, ids=[f"{r}/{d}" for r, d in BUNDLED])
def test_valid_cells_make_valid_rows(ruleset: str, decision: str) -> None:
    """Without invalid cells every row is accepted: types, enum words, min/max and the
    cross-fact constraints (copar's end >= start) are respected."""
    rs = load_ruleset(ruleset)
    rows = cohort(rs, decision, 300, seed=3, missing=0.1, as_of=AS_OF)
    assert not rows.invalid_rows.any()
    for record in rows.to_records():
        rs.decide(decision, record, as_of=AS_OF, engine="kleene")  # raises on an invalid row


@pytest.mark.parametrize(("ruleset", "decision"), BUNDLED, ids=[f"{r}/{d}" for r, d in BUNDLED])
def test_invalid_cells_are_exactly_the_refused_rows(ruleset: str, decision: str) -> None:
    rs = load_ruleset(ruleset)
    rows = cohort(rs, decision, 400, seed=5, invalid=0.05, as_of=AS_OF)
    assert rows.invalid_rows.sum() > 0
    for index, record in enumerate(rows.to_records()):
        bad = {name for name, state in rows.states.items() if state[index] == INVALID}
        if not bad:
            rs.decide(decision, record, as_of=AS_OF, engine="kleene")
            continue
        with pytest.raises(FactError) as caught:
            rs.decide(decision, record, as_of=AS_OF, engine="kleene")
        assert caught.value.fact in bad


def test_shares_of_missing_and_invalid_cells() -> None:
    rs = load_ruleset("occitanie-forpro-sup")
    rows = cohort(rs, "eligibility", 20_000, seed=11, missing=0.1, invalid=0.03)
    for name in rows.columns:
        # 20,000 Bernoulli draws: 3 standard deviations are about 0.6 point for 10 %
        assert 0.09 < rows.missing_share(name) < 0.11
        # invalid among the cells not missing: 3 % of 90 % = 2.7 %, 3 sd about 0.35 point
        assert 0.0235 < float(np.mean(rows.states[name] == INVALID)) < 0.0305
        assert not ((rows.states[name] == MISSING) & (rows.states[name] == INVALID)).any()
    columns = rows.to_columns()
    missing = rows.states["training_entry"] == MISSING
    assert all(columns["training_entry"][i] is None for i in np.flatnonzero(missing))


def test_specs_are_respected() -> None:
    rs = load_ruleset("occitanie-forpro-sup")
    columns = cohort(rs, "funded_years", 5_000, seed=2, missing=0.0).to_columns()
    assert set(columns["programme"]) == {"capacite_en_droit", "daeu", "other"}
    assert min(columns["programme_years"]) >= 1  # min: 1 in the ruleset
    fees = cohort(rs, "registration_fee_subsidy", 2_000, seed=2, missing=0.0).to_columns()
    assert all(
        Decimal(f) >= 0 and Decimal(f).as_tuple().exponent == -2 for f in fees["registration_fees"]
    )


def test_eligibility_lands_on_the_second_anniversary() -> None:
    """Art. 3-2 'depuis plus de deux ans': the rows must include entries the day before, on
    and after the second anniversary (CPC art. 641), and anniversaries of 29 February."""
    rs = load_ruleset("occitanie-forpro-sup")
    columns = cohort(rs, "eligibility", 5_000, seed=4, missing=0.0).to_columns()
    gaps: set[int] = set()
    leap_anniversaries = 0
    for left, entry in zip(
        columns["initial_education_end"], columns["training_entry"], strict=True
    ):
        anniversary = lt.add_years(left, 2)
        gaps.add((entry - anniversary).days)
        if (left.month, left.day) == (2, 29) and abs(
            (entry - date(left.year + 2, 2, 28)).days
        ) <= 1:
            leap_anniversaries += 1
    assert {-1, 0, 1} <= gaps
    assert leap_anniversaries > 10
    answers = {
        rs.decide("eligibility", r, as_of=AS_OF).outcome
        for r in cohort(rs, "eligibility", 300, seed=4, missing=0.0, boundary=1.0).to_records()
    }
    # entries aimed around the anniversaries may fall outside the term (art. 8: 2022-09-01
    # to 2026-08-31), answered not_in_force; both answers of the rule itself are reached
    assert {"eligible", "ineligible"} <= answers <= {"eligible", "ineligible", "not_in_force"}


def test_int_threshold_and_its_neighbours() -> None:
    """GSOT art. 3-1: « à partir d'un nombre minimum de 6 candidats »."""
    rs = load_ruleset("gsot-master")
    assert thresholds(rs, "opening").by_fact["admitted_candidates"] == {6}
    counts = set(
        cohort(rs, "opening", 2_000, seed=1, missing=0.0).to_columns()["admitted_candidates"]
    )
    assert {5, 6, 7} <= counts


def test_tie_cents_for_the_levy_and_the_half() -> None:
    """15 % levy (GSOT art. 6) and half of the fees (ForPro Sup art. 6-2): amounts whose
    share ends in exactly half a cent are drawn, so half-up rounding is exercised."""
    gsot = load_ruleset("gsot-master")
    # the 15 % levy (art. 4), the 50/50 split of the profit (art. 4)
    assert thresholds(gsot, "financial_result").rates == {Fraction(3, 20), Fraction(1, 2)}
    assert thresholds(gsot, "payment_schedule").rates == {Fraction(2, 5), Fraction(3, 5)}  # 40/60
    turnover = cohort(gsot, "financial_result", 3_000, seed=9, missing=0.0).to_columns()["turnover"]
    assert any((Decimal(t) * Decimal("0.15") * 100) % 1 == Decimal("0.5") for t in turnover)
    forpro = load_ruleset("occitanie-forpro-sup")
    fees = cohort(forpro, "registration_fee_subsidy", 3_000, seed=9, missing=0.0).to_columns()
    assert sum(int(Decimal(f) * 100) % 2 for f in fees["registration_fees"]) > 300


def test_dates_around_a_fixed_day_and_as_of() -> None:
    """COPAR: specifications are due by 22 January 2024; ForPro Sup term compares the entry
    into force with the day of the question."""
    copar = load_ruleset("copar-alternance")
    submitted = set(
        cohort(copar, "specifications", 3_000, seed=1, missing=0.0).to_columns()["submitted"]
    )
    assert {date(2024, 1, 21), date(2024, 1, 22), date(2024, 1, 23)} <= submitted
    forpro = load_ruleset("occitanie-forpro-sup")
    entries = set(
        cohort(forpro, "term", 3_000, seed=1, missing=0.0, as_of=AS_OF).to_columns()[
            "entry_into_force"
        ]
    )
    assert {AS_OF - timedelta(days=1), AS_OF, AS_OF + timedelta(days=1)} <= entries


def test_vectorised_period_addition_is_cpc_641() -> None:
    """The generator's own month arithmetic agrees with law/legaltime on every day of
    2019-2025, forwards (and 29 February + 1 year is 28 February)."""
    days = [date(2019, 1, 1) + timedelta(days=i) for i in range(7 * 365)]
    numbers = np.array([day_number(d) for d in days], dtype=np.int64)
    for period in (
        lt.Period.parse("1 month"),
        lt.Period.parse("2 years"),
        lt.Period.parse("15 days"),
    ):
        moved = add_period_days(numbers, 1, period).astype("datetime64[D]").astype(object)
        assert list(moved) == [lt.add_period(d, period) for d in days]


def test_conversions_keep_types() -> None:
    rs = load_ruleset("gsot-master")
    rows = cohort(rs, "appeal", 1_000, seed=1, missing=0.1)
    frame = rows.to_pandas()
    assert str(frame["decision_notified"].dtype).startswith("datetime64")
    assert (
        frame["decision_notified"].isna().sum()
        == (rows.states["decision_notified"] == MISSING).sum()
    )
    table = rows.to_arrow()
    assert str(table.schema.field("decision_notified").type) == "date32[day]"
    assert table.column("decision_notified").null_count == frame["decision_notified"].isna().sum()
    polars = rows.to_polars()  # the 'tables' extra, installed by dev.sh
    assert polars.height == 1_000
    assert polars["decision_notified"].null_count() == table.column("decision_notified").null_count
    opening = cohort(rs, "opening", 1_000, seed=1, missing=0.1).to_pandas()
    assert opening["admitted_candidates"].dtype == np.float64  # an int column with gaps


def test_bad_shares_are_refused() -> None:
    rs = load_ruleset("gsot-master")
    with pytest.raises(ValueError, match="missing"):
        cohort(rs, "opening", 10, missing=1.5)


def test_money_expression_lands_on_its_threshold() -> None:
    """GSOT art. 4 shares « éventuels bénéfices »: final_result > 0.00 EUR, where the final
    result is the turnover less the 15 % levy (half-up to the cent) and both expenses. The
    cohort must hold results of -0.01, 0.00 and 0.01 EUR (computed here with Decimal)."""
    gsot = load_ruleset("gsot-master")
    columns = cohort(gsot, "financial_result", 3_000, seed=6, missing=0.0).to_columns()
    results = set()
    for turnover, iep, askoria in zip(
        columns["turnover"], columns["iep_expenses"], columns["askoria_expenses"], strict=True
    ):
        levy = (Decimal(turnover) * Decimal("0.15")).quantize(Decimal("0.01"), ROUND_HALF_UP)
        results.add(Decimal(turnover) - levy - Decimal(iep) - Decimal(askoria))
    assert {Decimal("-0.01"), Decimal("0.00"), Decimal("0.01")} <= results
    assert all(Decimal(c) >= 0 for name in columns for c in columns[name])


def test_money_terms_round_as_the_law_does() -> None:
    """The generator's cents arithmetic (amount times a rate, half-up, ties away from zero)
    agrees with law/money.py's percent_of on every amount from -20.00 to 20.00 EUR."""
    from convention_rules import Money, Rate
    from convention_rules.law.money import percent_of
    from convention_rules.tools.aiming import MoneyTerms

    gsot = load_ruleset("gsot-master")
    terms = MoneyTerms(gsot.spec.derived, lambda name: gsot.spec.constants[name].values[-1][1])
    levy = gsot.spec.derived["levy"]  # turnover * management_levy_rate (15 %)
    cents = np.arange(-2_000, 2_001, dtype=np.int64)
    computed = terms.evaluate(levy, {"turnover": cents})
    assert computed is not None
    rate = Rate.percent(15)
    expected = [percent_of(Money(Decimal(int(c)).scaleb(-2)), rate).cents for c in cents]
    assert computed.tolist() == expected
    assert terms.sign_of(gsot.spec.derived["final_result"], "iep_expenses") == -1
    assert terms.sign_of(gsot.spec.derived["final_result"], "turnover") is None  # also in the levy


def test_paid_internships_stay_among_the_long_ones() -> None:
    """departement-askoria's constraint paid-among-long (« 19 stages longs dont 15 stages
    gratifiés »): every generated row has paid <= long, also where aimed at thresholds."""
    rs = load_ruleset("departement-askoria")
    rows = cohort(rs, "internship_hosting", 5_000, seed=9, missing=0.0, boundary=1.0)
    paid = rows.values["paid_internships_hosted"]
    long = rows.values["long_internships_hosted"]
    assert (paid <= long).all()
    # the aimed thresholds (19 long, 15 paid) are still reached on both facts
    assert (long == 19).any() and (paid == 15).any()


@pytest.mark.parametrize(("ruleset", "decision"), BUNDLED, ids=[f"{r}/{d}" for r, d in BUNDLED])
def test_dates_stay_within_the_years_the_library_takes(ruleset: str, decision: str) -> None:
    """Facts are dates from 1900-01-01 to 2200-12-31 (law/bounds.py), aimed rows included."""
    rs = load_ruleset(ruleset)
    rows = cohort(rs, decision, 2_000, seed=13, missing=0.0, boundary=1.0, as_of=AS_OF)
    for spec in rows.specs:
        if spec.type.name == "date":
            days = rows.values[spec.name]
            assert days.min() >= day_number(date(1900, 1, 1)), spec.name
            assert days.max() <= day_number(date(2200, 12, 31)), spec.name
