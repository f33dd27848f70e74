"""Dates in linear integer arithmetic, for z3: CPC art. 641 month arithmetic, exactly.

A day number (``date.toordinal()``) is split into year, month and day by integer
constraints. Facts' dates lie in 1950-2150 and computed ones in 1948-2199, where a
year is leap when divisible by 4, except 2100: the day number of 1 January is then
linear in the year but for one division by 4, which z3 handles far better than the
general Gregorian formulas (Hinnant's ``days_from_civil``: four nested divisions by
large constants, minutes for one decision where this takes milliseconds).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import z3

from convention_rules.law.legaltime import Period, Unit

#: dates are searched between these days (a bounded calendar keeps every model realistic)
FIRST_DAY = date(1950, 1, 1)
LAST_DAY = date(2150, 12, 31)


_BASE_YEAR = 1948  # a leap year before FIRST_DAY
_BASE = date(_BASE_YEAR, 1, 1).toordinal()
_LAST_YEAR = 2199
_DAYS_BEFORE_MONTH = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)


def _is_leap(year: Any) -> Any:
    return z3.And((year - _BASE_YEAR) % 4 == 0, year != 2100)


def _days_in_month(year: Any, month: Any) -> Any:
    thirty = z3.Or(month == 4, month == 6, month == 9, month == 11)
    return z3.If(month == 2, z3.If(_is_leap(year), 29, 28), z3.If(thirty, 30, 31))


def _days_before_month(year: Any, month: Any) -> Any:
    offset: Any = z3.IntVal(_DAYS_BEFORE_MONTH[11])
    for number in range(11, 0, -1):
        offset = z3.If(month == number, _DAYS_BEFORE_MONTH[number - 1], offset)
    return offset + z3.If(z3.And(month > 2, _is_leap(year)), 1, 0)


def day_number(year: Any, month: Any, day: Any) -> Any:
    """``date(year, month, day).toordinal()`` for years 1948 to 2199."""
    years = year - _BASE_YEAR
    first = _BASE + 365 * years + (years + 3) / 4 - z3.If(year > 2100, 1, 0)
    return first + _days_before_month(year, month) + day - 1


class Calendar:
    """Month arithmetic on z3 day numbers; the constraints it needs go to ``side``."""

    def __init__(self) -> None:
        #: constraints every model must meet (the encoder adds fact domains too)
        self.side: list[Any] = []
        self._fresh = 0
        self._civil: dict[int, tuple[Any, Any, Any]] = {}

    def civil(self, day: Any) -> tuple[Any, Any, Any]:
        """Year, month and day of a day number, as z3 integers pinned by constraints."""
        key = day.get_id()
        if key in self._civil:
            return self._civil[key]
        self._fresh += 1
        year, month, dom = (z3.Int(f"~{part}#{self._fresh}") for part in ("y", "m", "d"))
        self.side += [
            month >= 1,
            month <= 12,
            dom >= 1,
            dom <= _days_in_month(year, month),
            year >= _BASE_YEAR,
            year <= _LAST_YEAR,
            day_number(year, month, dom) == day,
        ]
        self._civil[key] = (year, month, dom)
        return year, month, dom

    def add_months(self, day: Any, months: Any) -> Any:
        """CPC art. 641 al. 2: the same day ``months`` later, or that month's last day."""
        year, month, dom = self.civil(day)
        total = year * 12 + (month - 1) + months
        new_year, new_month = total / 12, total % 12 + 1
        last = _days_in_month(new_year, new_month)
        return day_number(new_year, new_month, z3.If(dom > last, last, dom))

    def add_period(self, day: Any, period: Period, sign: int = 1) -> Any:
        if period.unit in (Unit.DAYS, Unit.WEEKS):
            days = period.amount * (7 if period.unit is Unit.WEEKS else 1)
            return day + sign * days
        months = period.amount * (12 if period.unit is Unit.YEARS else 1)
        return self.add_months(day, sign * months)

    def at_least_before(self, limit: Any, period: Period) -> Any:
        """The latest N with ``N + period <= limit`` (``legaltime.at_least_before``).

        For months: N lies in the month ``period`` before the limit's (T). When the limit
        is the last day of its month, every day of T reaches it at most, so N is T's last
        day; otherwise N is the limit's day number in T, clamped to T's last day."""
        if period.unit in (Unit.DAYS, Unit.WEEKS):
            return self.add_period(limit, period, -1)
        months = period.amount * (12 if period.unit is Unit.YEARS else 1)
        year, month, dom = self.civil(limit)
        total = year * 12 + (month - 1) - months
        target_year, target_month = total / 12, total % 12 + 1
        last = _days_in_month(target_year, target_month)
        at_month_end = dom == _days_in_month(year, month)
        day = z3.If(z3.Or(at_month_end, dom > last), last, dom)
        return day_number(target_year, target_month, day)
