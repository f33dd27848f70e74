"""Legal time on columns of day ordinals: ``law.legaltime`` vectorised.

Each kernel takes int64 arrays (or scalars) and returns the result with a
mask of the rows it cannot compute (a date beyond the calendar, a span that
ends before it starts): the batch evaluator answers those rows through the
single-decision path, which raises the law module's own error. Civil dates
are computed with exact integer arithmetic (H. Hinnant's days-from-civil
algorithms); working days use the holiday tables of ``law.calendars``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any, Final

import numpy as np

from convention_rules.columnar.column import Array
from convention_rules.law.calendars import holiday_set

#: A mask of the rows a kernel cannot compute (or None: every row computed).
Invalid = Any

#: ``date.toordinal`` of 1970-01-01, the epoch of the civil algorithms.
_EPOCH: Final = 719163
MIN_ORDINAL: Final = 1
MAX_ORDINAL: Final = date.max.toordinal()
_DAYS_IN_MONTH: Final = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
_SATURDAY: Final = 5


def _i64(x: Any) -> Array:
    return np.asarray(x, dtype=np.int64)


def civil(ordinal: Any) -> tuple[Array, Array, Array]:
    """Year, month (1-12) and day of day ordinals."""
    z = _i64(ordinal) - _EPOCH + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


def ordinal_of(year: Any, month: Any, day: Any) -> Array:
    """Day ordinals of civil dates (valid dates only)."""
    y = _i64(year) - (_i64(month) <= 2)
    m = _i64(month)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(m > 2, m - 3, m + 9) + 2) // 5 + _i64(day) - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    result: Array = era * 146097 + doe - 719468 + _EPOCH
    return result


def is_leap(year: Array) -> Array:
    leap: Array = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    return leap


def days_in_month(year: Array, month: Array) -> Array:
    days: Array = _DAYS_IN_MONTH[month - 1] + ((month == 2) & is_leap(year))
    return days


def _or(a: Invalid, b: Invalid) -> Invalid:
    if a is None:
        return b
    if b is None:
        return a
    return a | b


def add_days(d: Any, n: Any) -> tuple[Array, Invalid]:
    """``d + n`` days (CPC art. 641 al. 1)."""
    result = _i64(d) + _i64(n)
    bad = (result < MIN_ORDINAL) | (result > MAX_ORDINAL)
    return np.clip(result, MIN_ORDINAL, MAX_ORDINAL), bad


def tabulated(
    kernel: Callable[..., tuple[Array, Invalid]], d: Any, *scalars: Any
) -> tuple[Array, Invalid]:
    """``kernel(d, *scalars)`` computed once per day of ``d``'s range, then looked up.

    A table's dates span a few thousand days however many rows it has, so the
    kernel runs on that span and each row is one gather: a per-value map
    without sorting. Used when the span is small against the row count.
    """
    days = _i64(d)
    if days.ndim == 0 or days.size < 4096 or any(np.ndim(s) for s in scalars):
        return kernel(days, *scalars)
    low, high = int(days.min()), int(days.max())
    if high - low > days.size // 4:
        return kernel(days, *scalars)
    values, invalid = kernel(np.arange(low, high + 1, dtype=np.int64), *scalars)
    index = days - low
    return values[index], None if invalid is None else np.broadcast_to(invalid, values.shape)[index]


def add_months(d: Any, n: Any) -> tuple[Array, Invalid]:
    """Same-numbered day ``n`` months later, else the month's last day (CPC art. 641 al. 2)."""
    return tabulated(_add_months, d, n)


def _add_months(d: Any, n: Any) -> tuple[Array, Invalid]:
    year, month, day = civil(d)
    total = year * 12 + month - 1 + _i64(n)
    new_year, month0 = np.divmod(total, 12)
    bad = (new_year < 1) | (new_year > 9999)
    new_year = np.clip(new_year, 1, 9999)
    new_month = month0 + 1
    clamped = np.minimum(day, days_in_month(new_year, new_month))
    return ordinal_of(new_year, new_month, clamped), bad


def add_calendar(d: Any, months: Any, days: Any, by_months: Any) -> tuple[Array, Invalid]:
    """``d`` + a period: ``months`` where ``by_months``, else ``days`` (codes of a column)."""
    if np.ndim(by_months) == 0:
        return add_months(d, months) if bool(by_months) else add_days(d, days)
    with_months, bad_m = add_months(d, months)
    with_days, bad_d = add_days(d, days)
    return np.where(by_months, with_months, with_days), np.where(by_months, bad_m, bad_d)


def at_least_before(limit: Any, months: Any) -> tuple[Array, Invalid]:
    """The latest N with N + ``months`` months <= ``limit`` (``legaltime.at_least_before``)."""
    return tabulated(_at_least_before, limit, months)


def _at_least_before(limit: Any, months: Any) -> tuple[Array, Invalid]:
    limit = _i64(limit)
    result, bad = add_months(limit, -_i64(months))
    going = np.ones(np.shape(result), dtype=bool)
    for _ in range(4):
        going &= result < MAX_ORDINAL
        following = result + 1
        reached, beyond = add_months(following, months)
        step = going & ~beyond & (reached <= limit)
        result = np.where(step, following, result)
        going = step
    return result, bad


def months_touched(start: Any, end: Any) -> tuple[Array, Invalid]:
    """Calendar months touched by the inclusive span (``legaltime.months_touched``)."""
    ys, ms, _ = civil(start)
    ye, me, _ = civil(end)
    return (ye - ys) * 12 + me - ms + 1, _i64(end) < _i64(start)


def anniversary(signature: Any, year: Any) -> tuple[Array, Invalid]:
    sig_year, _, _ = civil(signature)
    return add_months(signature, 12 * (_i64(year) - sig_year))


def next_anniversary(signature: Any, on_or_after: Any) -> tuple[Array, Invalid]:
    """First anniversary (signature + k years, k >= 1) on or after a date."""
    sig_year, _, _ = civil(signature)
    on_year, _, _ = civil(on_or_after)
    year = np.maximum(on_year, sig_year + 1)
    first, bad_first = anniversary(signature, year)
    second, bad_second = anniversary(signature, year + 1)
    late = first < _i64(on_or_after)
    return np.where(late, second, first), _or(bad_first, late & bad_second)


# --------------------------------------------------------------------------- working days


def _holidays(ordinals: Array, calendar: str) -> Array:
    """Sorted ordinals of the public holidays of the years ``ordinals`` touch (and the next)."""
    if ordinals.size == 0:
        return np.empty(0, dtype=np.int64)
    first, _, _ = civil(ordinals.min())
    last, _, _ = civil(ordinals.max())
    return _holidays_of_years(calendar, int(first), int(last) + 1)


@functools.lru_cache(maxsize=64)
def _holidays_of_years(calendar: str, first: int, last: int) -> Array:
    days = [
        d.toordinal()
        for year in range(max(first, 1), min(last, 9999) + 1)
        for d in holiday_set(year, calendar)
    ]
    found = np.unique(np.asarray(days, dtype=np.int64))
    found.setflags(write=False)
    return found


def _non_working(ordinals: Array, holidays: Array) -> Array:
    weekend = (ordinals - 1) % 7 >= _SATURDAY
    at = np.clip(np.searchsorted(holidays, ordinals), 0, max(holidays.size - 1, 0))
    holiday = holidays[at] == ordinals if holidays.size else np.zeros(ordinals.shape, bool)
    result: Array = weekend | holiday
    return result


def is_working_day(d: Any, calendar: str) -> Array:
    ordinals = _i64(d)
    return ~_non_working(ordinals, _holidays(np.ravel(ordinals), calendar))


def next_working_day(d: Any, calendar: str) -> tuple[Array, Invalid]:
    """The day itself if working, else the next working day (CPC art. 642)."""
    return tabulated(_next_working_day, d, calendar)


def _next_working_day(d: Any, calendar: str) -> tuple[Array, Invalid]:
    current = _i64(d).copy()
    holidays = _holidays(np.ravel(current), calendar)
    # No run of non-working days is longer than four (Alsace-Moselle Easter).
    for _ in range(6):
        closed = _non_working(current, holidays) & (current < MAX_ORDINAL)
        if not closed.any():
            break
        current = np.where(closed, current + 1, current)
    return current, _non_working(current, holidays)
