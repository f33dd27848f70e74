"""Reference computations written another way than the library's, for tests to compare against.

CPC art. 641 al. 2: a period in months or years ends on the day with the same number; when that
day does not exist, on the last day of that month. Written here from the calendar module's month
lengths, independently of ``convention_rules.law.legaltime``.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal


def add_months(start: date, months: int) -> date:
    """``start`` + ``months`` months, clamped to the month's last day (CPC art. 641 al. 2)."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


def add_years(start: date, years: int) -> date:
    """``start`` + ``years`` years: 29 February gives 28 February in a common year."""
    year = start.year + years
    if start.month == 2 and start.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, start.month, start.day)


def percent_cents(cents: int, percent: int) -> int:
    """``percent`` % of an amount in cents, rounded half-up to the cent."""
    exact = Decimal(cents) * Decimal(percent) / Decimal(100)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
