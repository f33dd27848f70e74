"""The columnar kernels against the scalar law functions, and against hand computations.

The scalar functions of ``law/legaltime.py``, ``law/calendars.py`` and ``law/money.py``
are an independent implementation (datetime and Decimal arithmetic, not integer
arrays), so equality on every day of several years, and on drawn amounts, checks
the kernels. A few literal cases are computed by hand from the CPC articles.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convention_rules.columnar import legaltime as clt
from convention_rules.columnar import money as cmo
from convention_rules.law import legaltime as lt
from convention_rules.law import money as mo
from convention_rules.law.calendars import is_working_day, next_working_day
from convention_rules.law.money import Money, Rate

DAYS = [date(2019, 1, 1) + timedelta(days=i) for i in range(366 * 7)]
ORDINALS = np.array([d.toordinal() for d in DAYS], dtype=np.int64)


def _dates(ordinals: np.ndarray) -> list[date]:
    return [date.fromordinal(int(o)) for o in ordinals]


def test_civil_round_trips_every_day_from_year_1_to_9999_sampled() -> None:
    ordinals = np.arange(1, date.max.toordinal() + 1, 997, dtype=np.int64)
    year, month, day = clt.civil(ordinals)
    expected = _dates(ordinals)
    assert year.tolist() == [d.year for d in expected]
    assert month.tolist() == [d.month for d in expected]
    assert day.tolist() == [d.day for d in expected]
    assert (clt.ordinal_of(year, month, day) == ordinals).all()


@pytest.mark.parametrize("months", [-13, -6, -1, 0, 1, 2, 3, 6, 12, 24, 25])
def test_add_months_equals_the_scalar_function_on_every_day(months: int) -> None:
    got, invalid = clt.add_months(ORDINALS, months)
    assert invalid is not None and not invalid.any()
    assert _dates(got) == [lt.add_months(d, months) for d in DAYS]


@pytest.mark.parametrize("months", [1, 3, 6, 12, 24])
def test_at_least_before_equals_the_scalar_function_on_every_day(months: int) -> None:
    period = lt.Period(months, lt.Unit.MONTHS)
    got, _ = clt.at_least_before(ORDINALS, months)
    assert _dates(got) == [lt.at_least_before(d, period) for d in DAYS]


@pytest.mark.parametrize("calendar", ["FR", "FR-ALSACE-MOSELLE"])
def test_working_days_equal_the_scalar_functions_on_every_day(calendar: str) -> None:
    got, invalid = clt.next_working_day(ORDINALS, calendar)
    assert invalid is not None and not invalid.any()
    assert _dates(got) == [next_working_day(d, calendar) for d in DAYS]
    working = clt.is_working_day(ORDINALS, calendar)
    assert working.tolist() == [is_working_day(d, calendar) for d in DAYS]


@pytest.mark.parametrize("signature", [date(2020, 2, 29), date(2021, 1, 31), date(2019, 7, 14)])
def test_next_anniversary_equals_the_scalar_function_on_every_day(signature: date) -> None:
    got, _ = clt.next_anniversary(np.full(ORDINALS.size, signature.toordinal()), ORDINALS)
    assert _dates(got) == [lt.next_anniversary(signature, d) for d in DAYS]
    # on the anniversary itself: that day (29 February 2020 falls on 28 February 2023)
    on_the_day, _ = clt.next_anniversary(
        date(2020, 2, 29).toordinal(), date(2023, 2, 28).toordinal()
    )
    assert _one((on_the_day, None)) == date(2023, 2, 28)


def test_anniversaries_and_months_touched_equal_the_scalar_functions() -> None:
    signatures = ORDINALS[::37]
    later = ORDINALS[::-37][: signatures.size]
    got, _ = clt.next_anniversary(signatures, later)
    expected = [
        lt.next_anniversary(s, o) for s, o in zip(_dates(signatures), _dates(later), strict=True)
    ]
    assert _dates(got) == expected
    start, end = np.minimum(signatures, later), np.maximum(signatures, later)
    touched, invalid = clt.months_touched(start, end)
    assert not np.asarray(invalid).any()
    assert touched.tolist() == [
        lt.months_touched(s, e) for s, e in zip(_dates(start), _dates(end), strict=True)
    ]
    _, backwards = clt.months_touched(end[:3], start[:3] - 1)
    assert np.asarray(backwards).all()  # a span that ends before it starts: the scalar refuses


def _one(kernel_result: tuple[np.ndarray, object]) -> date:
    return date.fromordinal(int(np.asarray(kernel_result[0]).ravel()[0]))


def test_hand_computed_dates() -> None:
    # CPC art. 641 al. 2: the same-numbered day, else the last day of the month
    assert _one(clt.add_months(date(2024, 1, 31).toordinal(), 1)) == date(2024, 2, 29)
    assert _one(clt.add_months(date(2023, 1, 31).toordinal(), 1)) == date(2023, 2, 28)
    assert _one(clt.add_months(date(2020, 2, 29).toordinal(), 24)) == date(2022, 2, 28)
    assert _one(clt.add_months(date(2020, 2, 29).toordinal(), 48)) == date(2024, 2, 29)
    # "at least six months before 28 February 2025": 31 August 2024 (+ 6 months = 28 Feb)
    assert _one(clt.at_least_before(date(2025, 2, 28).toordinal(), 6)) == date(2024, 8, 31)
    assert _one(clt.at_least_before(date(2024, 11, 30).toordinal(), 1)) == date(2024, 10, 31)
    # CPC art. 642: Christmas 2024 is a Wednesday; 26 December is a holiday in Alsace-Moselle
    christmas = np.array([date(2024, 12, 25).toordinal()])
    assert _one(clt.next_working_day(christmas, "FR")) == date(2024, 12, 26)
    assert _one(clt.next_working_day(christmas, "FR-ALSACE-MOSELLE")) == date(2024, 12, 27)
    # Saturday 31 May 2025 -> Monday 2 June
    assert _one(clt.next_working_day(np.array([date(2025, 5, 31).toordinal()]), "FR")) == date(
        2025, 6, 2
    )
    touched, _ = clt.months_touched(date(2023, 11, 20).toordinal(), date(2024, 4, 30).toordinal())
    assert int(touched) == 6  # November to April


def test_dates_beyond_the_calendar_are_flagged_not_wrapped() -> None:
    _, invalid = clt.add_months(np.array([date(9999, 12, 1).toordinal()]), 1)
    assert np.asarray(invalid).all()
    _, invalid = clt.add_days(np.array([1]), -1)
    assert np.asarray(invalid).all()


CENTS = st.integers(min_value=-(10**11), max_value=10**11)


@given(
    st.lists(CENTS, min_size=1, max_size=50), st.sampled_from(["15 %", "12.5 %", "0.35 %", "100 %"])
)
def test_percent_of_rounds_half_up_as_the_scalar_function(cents: list[int], text: str) -> None:
    rate = Rate.of(text)
    got, invalid = cmo.percent_of(np.array(cents), rate)
    assert not np.asarray(invalid).any()
    assert got.tolist() == [mo.percent_of(Money.from_cents(c), rate).cents for c in cents]


@given(st.lists(CENTS, min_size=1, max_size=50), st.integers(1, 12))
def test_scale_and_half_as_the_scalar_functions(cents: list[int], denominator: int) -> None:
    got, _ = cmo.scale(np.array(cents), 1, denominator)
    assert got.tolist() == [mo.scale(Money.from_cents(c), 1, denominator).cents for c in cents]


@given(
    st.lists(CENTS, min_size=1, max_size=30),
    st.lists(st.integers(0, 100), min_size=1, max_size=4).filter(any),
)
def test_share_is_largest_remainder_as_allocate(cents: list[int], ratios: list[int]) -> None:
    for party in range(1, len(ratios) + 1):
        got, invalid = cmo.share(np.array(cents), ratios, party)
        assert not np.asarray(invalid).any()
        expected = [mo.allocate(Money.from_cents(c), ratios)[party - 1].cents for c in cents]
        assert got.tolist() == expected


def test_hand_computed_money() -> None:
    half, _ = cmo.scale(np.array([32525, 1, -1]), 1, 2)
    assert half.tolist() == [16263, 1, -1]  # 162.625 -> 162.63; ties away from zero
    fifteen, _ = cmo.percent_of(np.array([1005]), Rate.of("15 %"))
    assert fifteen.tolist() == [151]  # 10.05 x 15 % = 1.5075 -> 1.51
    first, _ = cmo.share(np.array([10001, 100]), [50, 50], 1)
    second, _ = cmo.share(np.array([10001, 100]), [50, 50], 2)
    assert first.tolist() == [5001, 50] and second.tolist() == [5000, 50]  # the odd cent: first
    thirds = [cmo.share(np.array([100]), [1, 1, 1], k)[0].tolist()[0] for k in (1, 2, 3)]
    assert thirds == [34, 33, 33]
    _, zero = cmo.share(np.array([100]), [0, 0], 1)
    assert np.asarray(zero).all()  # ratios that sum to zero: the scalar refuses


def test_products_that_overflow_int64_are_flagged() -> None:
    _, invalid = cmo.checked_mul(np.array([2**40, 3]), np.array([2**40, 4]))
    assert np.asarray(invalid).tolist() == [True, False]
