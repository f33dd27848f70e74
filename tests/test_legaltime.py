"""Legal time: CPC art. 640-642 deadline arithmetic, holidays, date facts.

Expected values come from the law and from hand computation (a calendar on
the desk), never from running the code. Properties run over 1900-2100.
"""

from __future__ import annotations

import calendar as pycalendar
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from dateutil.easter import easter
from dateutil.relativedelta import relativedelta
from hypothesis import example, given
from hypothesis import strategies as st

from convention_rules._errors import FactError
from convention_rules.law.legaltime import (
    CALENDARS,
    Deadline,
    Interval,
    Period,
    Unit,
    add_days,
    add_months,
    add_period,
    add_years,
    after_period,
    anniversary,
    at_least_before,
    deadline,
    holiday_set,
    is_working_day,
    months_touched,
    next_anniversary,
    next_working_day,
    parse_date,
    today_in_paris,
)

D = date
FR, AM = "FR", "FR-ALSACE-MOSELLE"
DAY = timedelta(days=1)

dates = st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))
month_counts = st.integers(min_value=-240, max_value=240)
year_counts = st.integers(min_value=-50, max_value=50)
day_counts = st.integers(min_value=-3000, max_value=3000)
calendars = st.sampled_from(CALENDARS)
periods = st.one_of(
    st.builds(Period, st.integers(0, 1000), st.just(Unit.DAYS)),
    st.builds(Period, st.integers(0, 150), st.just(Unit.WEEKS)),
    st.builds(Period, st.integers(0, 240), st.just(Unit.MONTHS)),
    st.builds(Period, st.integers(0, 50), st.just(Unit.YEARS)),
)


def months(n: int) -> Period:
    return Period(n, Unit.MONTHS)


def days(n: int) -> Period:
    return Period(n, Unit.DAYS)


def ref_add_months(d: date, n: int) -> date:
    """Reference: count whole months from d's year and month, clamp with monthrange."""
    year = d.year + (d.month - 1 + n) // 12
    month = (d.month - 1 + n) % 12 + 1
    return D(year, month, min(d.day, pycalendar.monthrange(year, month)[1]))


def ref_holidays_fr(year: int) -> set[date]:
    """Code du travail L3133-1, as it stands since 2008 (journée de solidarité made flexible)."""
    e = easter(year)
    fixed = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}
    movable = {e + timedelta(days=1), e + timedelta(days=39), e + timedelta(days=50)}
    return {D(year, m, d) for m, d in fixed} | movable


# --------------------------------------------------------------------------- Period


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("1 day", 1, Unit.DAYS),
        ("15 days", 15, Unit.DAYS),
        ("2 weeks", 2, Unit.WEEKS),
        ("1 month", 1, Unit.MONTHS),
        ("6 months", 6, Unit.MONTHS),
        ("1 year", 1, Unit.YEARS),
        ("2 years", 2, Unit.YEARS),
        ("15 jours", 15, Unit.DAYS),
        ("3 mois", 3, Unit.MONTHS),
        ("1 an", 1, Unit.YEARS),
        ("2 ans", 2, Unit.YEARS),
        ("2 semaines", 2, Unit.WEEKS),
        ("  6  Months ", 6, Unit.MONTHS),
        ("0 days", 0, Unit.DAYS),
    ],
)
def test_period_parse(text: str, amount: int, unit: Unit) -> None:
    assert Period.parse(text) == Period(amount, unit)


@pytest.mark.parametrize(
    "text", ["", "six months", "6", "months", "-1 days", "6 fortnights", "1.5 months", "6months"]
)
def test_period_parse_refuses(text: str) -> None:
    with pytest.raises(FactError, match="not a period") as info:
        Period.parse(text)
    assert isinstance(info.value, ValueError)
    assert info.value.expected is not None
    assert "6 months" in info.value.expected


def test_period_parse_refuses_non_text() -> None:
    with pytest.raises(FactError):
        Period.parse(6)  # type: ignore[arg-type]


def test_period_str() -> None:
    assert str(Period(6, Unit.MONTHS)) == "6 months"
    assert str(Period(1, Unit.MONTHS)) == "1 month"
    assert str(Period(1, Unit.DAYS)) == "1 day"
    assert str(Period(2, Unit.WEEKS)) == "2 weeks"
    assert str(Period(1, Unit.YEARS)) == "1 year"
    assert str(Period(0, Unit.DAYS)) == "0 days"


@given(periods)
def test_period_str_round_trips(period: Period) -> None:
    assert Period.parse(str(period)) == period


@pytest.mark.parametrize("amount", [-1, 1.5, True, "3", None])
def test_period_refuses_bad_amounts(amount: object) -> None:
    with pytest.raises(ValueError, match="amount"):
        Period(amount, Unit.DAYS)  # type: ignore[arg-type]


def test_period_refuses_bad_unit() -> None:
    with pytest.raises(ValueError, match="unit"):
        Period(1, "days")  # type: ignore[arg-type]


def test_period_is_a_hashable_unordered_value() -> None:
    assert {Period(1, Unit.MONTHS): "a"}[Period.parse("1 month")] == "a"
    assert Period(30, Unit.DAYS) != Period(1, Unit.MONTHS)
    with pytest.raises(TypeError):
        _ = Period(30, Unit.DAYS) < Period(1, Unit.MONTHS)


def test_unit_values() -> None:
    assert [u.value for u in Unit] == ["days", "weeks", "months", "years"]


# --------------------------------------------------------------------------- adding (art. 641)


@pytest.mark.parametrize(
    ("start", "n", "end"),
    [
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 1, 31), 2, D(2024, 3, 31)),
        (D(2025, 2, 28), 1, D(2025, 3, 28)),
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2023, 3, 31), -1, D(2023, 2, 28)),
        (D(2024, 12, 15), 1, D(2025, 1, 15)),
        (D(2025, 1, 15), -1, D(2024, 12, 15)),
        (D(2024, 5, 31), -15, D(2023, 2, 28)),
        (D(2025, 6, 14), 1, D(2025, 7, 14)),
    ],
)
def test_add_months_examples(start: date, n: int, end: date) -> None:
    assert add_months(start, n) == end


def test_month_addition_is_not_associative() -> None:
    once = add_months(add_months(D(2024, 1, 31), 1), 1)
    assert once == D(2024, 3, 29)
    assert add_months(D(2024, 1, 31), 2) == D(2024, 3, 31)
    assert add_period(D(2024, 1, 31), months(2)) == D(2024, 3, 31)


def test_add_years_examples() -> None:
    assert add_years(D(2020, 2, 29), 2) == D(2022, 2, 28)
    assert add_years(D(2020, 2, 29), 4) == D(2024, 2, 29)
    assert add_years(D(2020, 2, 29), -1) == D(2019, 2, 28)
    assert add_years(D(2010, 5, 17), 3) == D(2013, 5, 17)  # cress-paca term end
    assert add_years(D(1900, 2, 28), 100) == D(2000, 2, 28)


def test_add_days_examples() -> None:
    assert add_days(D(2025, 1, 10), 15) == D(2025, 1, 25)
    assert add_days(D(2024, 2, 28), 1) == D(2024, 2, 29)
    assert add_days(D(2023, 2, 28), 1) == D(2023, 3, 1)
    assert add_days(D(2025, 1, 1), -1) == D(2024, 12, 31)


def test_add_period_dispatch() -> None:
    assert add_period(D(2025, 1, 10), Period(2, Unit.WEEKS)) == D(2025, 1, 24)
    assert add_period(D(2025, 1, 10), days(15)) == D(2025, 1, 25)
    assert add_period(D(2024, 8, 31), months(6)) == D(2025, 2, 28)  # occitanie notice
    assert add_period(D(2020, 2, 29), Period(2, Unit.YEARS)) == D(2022, 2, 28)


def test_after_period() -> None:
    # "après un délai de 15 jours suivant la mise en demeure": from X + 16 days.
    assert after_period(D(2025, 1, 10), days(15)) == D(2025, 1, 26)
    assert after_period(D(2025, 2, 20), days(15)) == D(2025, 3, 8)
    assert after_period(D(2024, 1, 31), months(1)) == D(2024, 3, 1)


@pytest.mark.parametrize(
    "call",
    [
        lambda: add_days(date.max, 1),
        lambda: add_days(date.min, -1),
        lambda: add_days(D(2025, 1, 1), 10**12),
        lambda: add_months(D(9999, 12, 1), 1),
        lambda: add_months(D(1, 1, 31), -1),
        lambda: add_years(D(9999, 1, 1), 1),
        lambda: add_years(D(1, 6, 1), -1),
        lambda: add_period(D(9990, 1, 1), Period(10, Unit.YEARS)),
        lambda: at_least_before(D(1, 1, 15), months(1)),
    ],
)
def test_out_of_range_is_a_fact_error(call: object) -> None:
    with pytest.raises(FactError, match="outside the calendar"):
        call()  # type: ignore[operator]


@pytest.mark.parametrize("n", [1.0, True, "1", None])
def test_counts_must_be_ints(n: object) -> None:
    for add in (add_days, add_months, add_years):
        with pytest.raises(FactError, match="must be an int"):
            add(D(2025, 1, 1), n)  # type: ignore[arg-type]


@given(dates, month_counts)
@example(D(2024, 1, 31), 1)
@example(D(2023, 1, 31), 1)
@example(D(2000, 2, 29), 12)
@example(D(2100, 12, 31), -1)
def test_add_months_day_and_month(d: date, n: int) -> None:
    result = add_months(d, n)
    last_day = pycalendar.monthrange(result.year, result.month)[1]
    assert result.day == min(d.day, last_day)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == n
    assert result == ref_add_months(d, n)
    assert result == d + relativedelta(months=n)


@given(dates, year_counts)
@example(D(2020, 2, 29), 1)
def test_add_years_matches_months_and_reference(d: date, n: int) -> None:
    result = add_years(d, n)
    assert result == add_months(d, 12 * n)
    assert result == d + relativedelta(years=n)
    assert (result.year, result.month) == (d.year + n, d.month)


@given(dates, dates, month_counts)
def test_add_months_is_monotone(a: date, b: date, n: int) -> None:
    a, b = min(a, b), max(a, b)
    assert add_months(a, n) <= add_months(b, n)


@given(dates, dates, year_counts)
def test_add_years_is_monotone(a: date, b: date, n: int) -> None:
    a, b = min(a, b), max(a, b)
    assert add_years(a, n) <= add_years(b, n)


@given(dates, dates, day_counts)
def test_add_days_is_strictly_monotone(a: date, b: date, n: int) -> None:
    a, b = min(a, b), max(a, b)
    assert (add_days(a, n) < add_days(b, n)) == (a < b)


@given(dates, periods)
def test_add_period_is_monotone_in_the_amount(d: date, period: Period) -> None:
    longer = Period(period.amount + 1, period.unit)
    assert d <= add_period(d, period) < add_period(d, longer)


@given(dates, day_counts)
def test_add_days_inverse(d: date, n: int) -> None:
    assert add_days(add_days(d, n), -n) == d
    assert (add_days(d, n) - d).days == n


@given(dates, st.sampled_from(list(Unit)))
def test_adding_zero_is_identity(d: date, unit: Unit) -> None:
    assert add_period(d, Period(0, unit)) == d
    assert add_days(d, 0) == add_months(d, 0) == add_years(d, 0) == d
    assert at_least_before(d, Period(0, unit)) == d


@given(dates, periods)
def test_weeks_are_seven_days(d: date, period: Period) -> None:
    weeks = Period(period.amount, Unit.WEEKS)
    assert add_period(d, weeks) == add_days(d, 7 * period.amount)


@given(dates, periods)
def test_after_period_is_the_next_day(d: date, period: Period) -> None:
    assert after_period(d, period) - add_period(d, period) == DAY


# --------------------------------------------------------------------------- backwards


@pytest.mark.parametrize(
    ("limit", "period", "latest"),
    [
        (D(2025, 2, 28), months(6), D(2024, 8, 31)),
        (D(2024, 11, 30), months(1), D(2024, 10, 31)),
        (D(2024, 3, 31), months(1), D(2024, 2, 29)),
        (D(2025, 12, 31), months(1), D(2025, 11, 30)),
        (D(2025, 5, 31), months(3), D(2025, 2, 28)),
        (D(2024, 6, 9), months(3), D(2024, 3, 9)),  # gsot anniversary
        (D(2013, 5, 17), months(3), D(2013, 2, 17)),  # cress-paca non-renewal
        (D(2024, 2, 29), Period(1, Unit.YEARS), D(2023, 2, 28)),
        (D(2025, 2, 28), Period(1, Unit.YEARS), D(2024, 2, 29)),
        (D(2025, 3, 1), days(15), D(2025, 2, 14)),
        (D(2025, 3, 1), Period(2, Unit.WEEKS), D(2025, 2, 15)),
        (D(9999, 12, 31), months(1), D(9999, 11, 30)),
        (D(9999, 12, 31), days(0), D(9999, 12, 31)),
    ],
)
def test_at_least_before_examples(limit: date, period: Period, latest: date) -> None:
    assert at_least_before(limit, period) == latest


@given(dates, periods)
@example(D(2025, 2, 28), months(6))
@example(D(2024, 11, 30), months(1))
@example(D(2025, 2, 28), Period(1, Unit.YEARS))
@example(D(2100, 2, 28), Period(4, Unit.YEARS))
def test_at_least_before_is_the_latest(limit: date, period: Period) -> None:
    latest = at_least_before(limit, period)
    assert add_period(latest, period) <= limit
    assert add_period(latest + DAY, period) > limit


@given(dates, periods)
def test_at_least_before_is_near_the_naive_subtraction(limit: date, period: Period) -> None:
    latest = at_least_before(limit, period)
    if period.unit in (Unit.DAYS, Unit.WEEKS):
        assert add_period(latest, period) == limit
    else:
        naive = add_months(limit, -period.amount * (12 if period.unit is Unit.YEARS else 1))
        assert naive <= latest <= naive + timedelta(days=3)


# --------------------------------------------------------------------------- holidays (art. 642)


def test_holidays_2025_pinned() -> None:
    national = {
        D(2025, 1, 1),
        D(2025, 4, 21),  # Easter Monday (Easter: 20 April)
        D(2025, 5, 1),
        D(2025, 5, 8),
        D(2025, 5, 29),  # Ascension
        D(2025, 6, 9),  # Pentecost Monday
        D(2025, 7, 14),
        D(2025, 8, 15),
        D(2025, 11, 1),
        D(2025, 11, 11),
        D(2025, 12, 25),
    }
    assert holiday_set(2025, FR) == national
    assert holiday_set(2025, AM) == national | {D(2025, 4, 18), D(2025, 12, 26)}


def test_holidays_package_quirks_pinned() -> None:
    # The package leaves Pentecost Monday out in 2005-2007 (journée de solidarité).
    assert D(2006, 6, 5) not in holiday_set(2006, FR)
    assert D(2008, 5, 12) in holiday_set(2008, FR)
    # 8 May has been a holiday again since 1953; 11 November since 1922.
    assert D(1950, 5, 8) not in holiday_set(1950, FR)
    assert D(1953, 5, 8) in holiday_set(1953, FR)
    # 2008: Ascension on 1 May, one date for two holidays.
    assert len(holiday_set(2008, FR)) == 10


@pytest.mark.parametrize("year", range(2008, 2101))
def test_national_holidays_match_the_code_du_travail(year: int) -> None:
    assert holiday_set(year, FR) == ref_holidays_fr(year)


@pytest.mark.parametrize("year", range(1900, 2101))
def test_alsace_moselle_adds_good_friday_and_26_december(year: int) -> None:
    extra = {easter(year) - timedelta(days=2), D(year, 12, 26)}
    assert holiday_set(year, AM) == holiday_set(year, FR) | extra


@pytest.mark.parametrize(
    ("d", "calendar", "expected"),
    [
        (D(2025, 7, 12), FR, D(2025, 7, 15)),  # Saturday; Monday 14 July
        (D(2024, 7, 14), FR, D(2024, 7, 15)),  # Sunday
        (D(2026, 5, 1), FR, D(2026, 5, 4)),  # Friday 1 May
        (D(2025, 12, 25), FR, D(2025, 12, 26)),
        (D(2025, 12, 25), AM, D(2025, 12, 29)),
        (D(2024, 3, 29), FR, D(2024, 3, 29)),  # Good Friday, a working day nationally
        (D(2024, 3, 29), AM, D(2024, 4, 2)),  # Easter Monday 1 April
        (D(2025, 4, 18), AM, D(2025, 4, 22)),
        (D(2025, 6, 9), FR, D(2025, 6, 10)),  # Pentecost Monday
        (D(2025, 7, 15), FR, D(2025, 7, 15)),
    ],
)
def test_next_working_day_examples(d: date, calendar: str, expected: date) -> None:
    assert next_working_day(d, calendar) == expected


def test_is_working_day_examples() -> None:
    assert is_working_day(D(2024, 3, 29))
    assert not is_working_day(D(2024, 3, 29), AM)
    assert not is_working_day(D(2025, 7, 12))  # Saturday
    assert not is_working_day(D(2025, 7, 13))  # Sunday
    assert not is_working_day(D(2025, 7, 14))  # Monday, national holiday
    assert is_working_day(D(2025, 12, 26))
    assert not is_working_day(D(2025, 12, 26), AM)


@pytest.mark.parametrize("bad", ["fr", "FR-57", "", None, 57])
def test_unknown_calendar(bad: object) -> None:
    for call in (
        lambda: is_working_day(D(2025, 1, 6), bad),  # type: ignore[arg-type]
        lambda: is_working_day(D(2025, 1, 4), bad),  # type: ignore[arg-type]  # a Saturday
        lambda: next_working_day(D(2025, 1, 6), bad),  # type: ignore[arg-type]
        lambda: holiday_set(2025, bad),  # type: ignore[arg-type]
        lambda: deadline(D(2025, 1, 6), days(1), False, bad),  # type: ignore[arg-type]
    ):
        with pytest.raises(FactError) as info:
            call()
        assert info.value.fact == "calendar"
        assert "'FR', 'FR-ALSACE-MOSELLE'" in str(info.value)


def test_calendars() -> None:
    assert CALENDARS == ("FR", "FR-ALSACE-MOSELLE")


@given(dates, calendars)
@example(D(2025, 7, 12), FR)
@example(D(2024, 3, 29), AM)
@example(D(2025, 12, 25), AM)
def test_next_working_day_properties(d: date, calendar: str) -> None:
    result = next_working_day(d, calendar)
    assert result >= d
    assert result.weekday() < 5
    assert result not in holiday_set(result.year, calendar)
    if result.year >= 2008:
        assert result not in ref_holidays_fr(result.year)
    assert is_working_day(result, calendar)
    assert next_working_day(result, calendar) == result
    # Nothing in between is a working day, and no run is longer than four days.
    assert result - d <= timedelta(days=4)
    between = d
    while between < result:
        assert not is_working_day(between, calendar)
        between += DAY
    if is_working_day(d, calendar):
        assert result == d


@given(dates)
def test_alsace_moselle_never_ends_earlier(d: date) -> None:
    assert next_working_day(d, AM) >= next_working_day(d, FR)


# --------------------------------------------------------------------------- deadlines


def test_gsot_appeal_deadline() -> None:
    # Notified Saturday 14 June 2025; one month = Monday 14 July, a holiday.
    appeal = Deadline(D(2025, 6, 14), months(1), extends=True)
    assert appeal.end() == D(2025, 7, 15)
    assert deadline(D(2025, 6, 14), months(1), True) == D(2025, 7, 15)
    assert deadline(D(2025, 6, 14), months(1), False) == D(2025, 7, 14)


def test_notice_never_extends() -> None:
    # 14 June 2025 + 6 months = Sunday 14 December: a notice ends there all the same.
    assert Deadline(D(2025, 6, 14), months(6), extends=False).end() == D(2025, 12, 14)
    assert Deadline(D(2025, 6, 14), months(6), extends=True).end() == D(2025, 12, 15)


def test_deadline_calendar() -> None:
    # 25 November 2025 + 1 month = Thursday 25 December.
    appeal = Deadline(D(2025, 11, 25), months(1), extends=True)
    assert appeal.end(FR) == D(2025, 12, 26)
    assert appeal.end(AM) == D(2025, 12, 29)


@given(dates, periods, calendars)
def test_extension_never_shortens(start: date, period: Period, calendar: str) -> None:
    plain = deadline(start, period, False, calendar)
    extended = deadline(start, period, True, calendar)
    assert plain == add_period(start, period)
    assert plain <= extended <= plain + timedelta(days=4)
    assert extended == next_working_day(plain, calendar)


# --------------------------------------------------------------------------- anniversaries


def test_anniversary_examples() -> None:
    assert anniversary(D(2023, 6, 9), 2024) == D(2024, 6, 9)
    assert anniversary(D(2020, 2, 29), 2023) == D(2023, 2, 28)
    assert anniversary(D(2020, 2, 29), 2024) == D(2024, 2, 29)


@pytest.mark.parametrize(
    ("signature", "on_or_after", "expected"),
    [
        (D(2023, 6, 9), D(2023, 6, 9), D(2024, 6, 9)),  # the signature is not an anniversary
        (D(2023, 6, 9), D(2020, 1, 1), D(2024, 6, 9)),
        (D(2023, 6, 9), D(2024, 6, 9), D(2024, 6, 9)),
        (D(2023, 6, 9), D(2024, 6, 10), D(2025, 6, 9)),
        (D(2023, 6, 9), D(2024, 3, 9), D(2024, 6, 9)),
        (D(2020, 2, 29), D(2021, 3, 1), D(2022, 2, 28)),
        (D(2020, 2, 29), D(2023, 3, 1), D(2024, 2, 29)),
    ],
)
def test_next_anniversary_examples(signature: date, on_or_after: date, expected: date) -> None:
    assert next_anniversary(signature, on_or_after) == expected


@given(dates, dates)
@example(D(2020, 2, 29), D(2023, 3, 1))
@example(D(2020, 2, 29), D(2020, 2, 29))
def test_next_anniversary_properties(signature: date, on_or_after: date) -> None:
    result = next_anniversary(signature, on_or_after)
    k = result.year - signature.year
    assert k >= 1
    assert result == add_years(signature, k)
    assert result >= on_or_after
    assert result > signature
    if k > 1:
        assert add_years(signature, k - 1) < on_or_after
    if on_or_after > signature:
        assert result < add_years(on_or_after, 1)
    else:
        assert result == add_years(signature, 1)


# --------------------------------------------------------------------------- spans


def test_months_touched_examples() -> None:
    assert months_touched(D(2023, 11, 20), D(2024, 4, 30)) == 6
    assert months_touched(D(2024, 1, 1), D(2024, 1, 31)) == 1
    assert months_touched(D(2024, 1, 15), D(2024, 1, 15)) == 1
    assert months_touched(D(2023, 12, 31), D(2024, 1, 1)) == 2
    assert months_touched(D(2023, 11, 20), D(2024, 3, 31)) == 5


def test_months_touched_refuses_reversed_span() -> None:
    with pytest.raises(FactError, match="before it starts"):
        months_touched(D(2024, 4, 30), D(2023, 11, 20))


@given(dates, st.integers(0, 1500))
def test_months_touched_matches_reference(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    touched = {(start + timedelta(days=i)).timetuple()[:2] for i in range(length + 1)}
    assert months_touched(start, end) == len(touched) >= 1


@given(dates, st.integers(0, 27))
def test_months_touched_within_a_month(d: date, extra: int) -> None:
    first = d.replace(day=1)
    last = first.replace(day=min(1 + extra, pycalendar.monthrange(d.year, d.month)[1]))
    assert months_touched(first, last) == 1


@given(st.lists(dates, min_size=3, max_size=3).map(sorted))
def test_months_touched_is_additive(points: list[date]) -> None:
    a, b, c = points
    assert months_touched(a, c) == months_touched(a, b) + months_touched(b, c) - 1


# --------------------------------------------------------------------------- Interval


def test_interval() -> None:
    term = Interval(D(2022, 9, 1), D(2026, 8, 31))
    assert term.contains(D(2022, 9, 1))
    assert term.contains(D(2026, 8, 31))
    assert not term.contains(D(2026, 9, 1))
    assert not term.contains(D(2022, 8, 31))
    assert D(2024, 1, 1) in term
    assert "2024-01-01" not in term
    assert term.in_force(D(2026, 8, 31))
    assert not term.in_force(D(2026, 9, 1))
    one_day = Interval(D(2025, 1, 1), D(2025, 1, 1))
    assert D(2025, 1, 1) in one_day


def test_open_ended_interval() -> None:
    forever = Interval(D(2010, 5, 17))
    assert forever.last is None
    assert D(9999, 12, 31) in forever
    assert D(2010, 5, 16) not in forever


def test_interval_refuses_reversed() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        Interval(D(2025, 1, 2), D(2025, 1, 1))


# --------------------------------------------------------------------------- parse_date


def test_parse_date_accepts() -> None:
    assert parse_date("2025-02-28") == D(2025, 2, 28)
    assert parse_date("2024-02-29") == D(2024, 2, 29)
    assert parse_date(D(2025, 1, 1)) == D(2025, 1, 1)
    # Summer time: 23:30 UTC on 30 March 2025 is 01:30 on 31 March in Paris.
    assert parse_date("2025-03-30T23:30:00Z") == D(2025, 3, 31)
    # Winter time: UTC+1.
    assert parse_date("2025-01-15T23:30:00Z") == D(2025, 1, 16)
    assert parse_date("2025-01-15T22:59:59Z") == D(2025, 1, 15)
    # Summer time ends 26 October 2025 at 01:00 UTC: 22:30 UTC is 23:30 in Paris.
    assert parse_date("2025-10-26T22:30:00Z") == D(2025, 10, 26)
    assert parse_date("2025-06-30T23:30:00+02:00") == D(2025, 6, 30)
    assert parse_date("2024-12-31T23:30:00-01:00") == D(2025, 1, 1)
    assert parse_date("2025-06-30T23:30+02:00") == D(2025, 6, 30)
    assert parse_date("2025-06-30T21:59:59.123456Z") == D(2025, 6, 30)
    assert parse_date(datetime(2025, 3, 30, 23, 30, tzinfo=UTC)) == D(2025, 3, 31)
    tokyo = timezone(timedelta(hours=9))
    assert parse_date(datetime(2025, 7, 1, 6, 0, tzinfo=tokyo)) == D(2025, 6, 30)


def test_parse_date_result_is_a_plain_date() -> None:
    result = parse_date(datetime(2025, 3, 30, 23, 30, tzinfo=UTC))
    assert type(result) is date


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2025-02-30", "not a calendar date"),
        ("2023-02-29", "not a calendar date"),
        ("0000-01-01", "not a calendar date"),
        ("2025-13-01", "not a calendar date"),
        ("2025-2-3", "not a date"),
        ("2025-02-3", "not a date"),
        ("20250101", "not a date"),
        ("2025-W01-1", "not a date"),
        (" 2025-01-01", "not a date"),
        ("2025-01-01 ", "not a date"),
        ("", "not a date"),
        (20250101, "not a date"),
        (True, "not a date"),
        (None, "not a date"),
        (2025.0, "not a date"),
        ("2025-01-01T10:00:00", "no offset"),
        ("2025-01-01T25:00:00Z", "not a valid timestamp"),
        ("2025-01-01 10:00:00Z", "not a date"),
        (datetime(2025, 1, 1, 10, 0), "without a time zone"),
    ],
)
def test_parse_date_refuses(value: object, words: str) -> None:
    with pytest.raises(FactError, match=words) as info:
        parse_date(value, fact="training_entry")
    assert info.value.fact == "training_entry"
    assert "training_entry" in str(info.value)
    assert info.value.expected is not None
    assert "YYYY-MM-DD" in info.value.expected


@given(st.dates())
def test_parse_date_round_trips_iso(d: date) -> None:
    assert parse_date(d.isoformat()) == d


def test_today_in_paris() -> None:
    today = today_in_paris()
    assert type(today) is date
    utc_today = datetime.now(UTC).date()
    assert abs((today - utc_today).days) <= 1


def test_days_between_and_subtract_period_round_trip() -> None:
    from convention_rules.law.legaltime import days_between, subtract_period

    assert days_between(date(2024, 3, 1), date(2024, 2, 28)) == 2  # 29 February 2024 between
    assert days_between(date(2023, 3, 1), date(2023, 2, 28)) == 1
    assert subtract_period(date(2025, 3, 1), Period(15, Unit.DAYS)) == date(2025, 2, 14)
    assert subtract_period(date(2025, 3, 1), Period(2, Unit.WEEKS)) == date(2025, 2, 15)
    with pytest.raises(FactError, match="at_least_before"):
        subtract_period(date(2025, 3, 31), Period(1, Unit.MONTHS))
