"""Legal time: French deadline arithmetic on calendar dates.

Every date the library computes goes through this module. Periods are
counted as the Code de procédure civile (CPC) counts them, which is also the
reading chosen for contractual periods (see ``docs/deadlines.md``):

* CPC art. 641 al. 1: a period of *n* days after an event ends on event + *n*
  days (the day of the event does not count);
* CPC art. 641 al. 2: a period in months or years ends on the day with the
  same number, or on the last day of the month when that day does not exist;
* CPC art. 642: a time limit that would end on a Saturday, a Sunday or a
  public holiday (Code du travail L3133-1; in Alsace-Moselle also Good Friday
  and 26 December, local law, Code du travail L3134-13) is extended to the next
  working day. Only deadlines marked ``extends`` (a recourse) are extended.

Dates are ``datetime.date``; amounts are ``int``; nothing here uses floats.
"""

from __future__ import annotations

import enum
import functools
import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

import attrs

from convention_rules._errors import FactError, shown_value
from convention_rules.law.calendars import (
    CALENDARS,
    check_calendar,
    holiday_set,
    is_working_day,
    next_working_day,
)

__all__ = [
    "CALENDARS",
    "Deadline",
    "Interval",
    "Period",
    "Unit",
    "add_days",
    "add_months",
    "add_period",
    "add_years",
    "after_period",
    "anniversary",
    "at_least_before",
    "days_between",
    "deadline",
    "holiday_set",
    "is_working_day",
    "month_of",
    "months_touched",
    "next_anniversary",
    "next_working_day",
    "paris",
    "parse_date",
    "subtract_period",
    "today_in_paris",
]

_TIME_ZONE = "Europe/Paris"


@functools.cache
def _paris() -> ZoneInfo:
    """Europe/Paris; ``zoneinfo`` is imported on first use (it reads the time-zone
    search path at import: a cost every command would pay otherwise)."""
    from zoneinfo import ZoneInfo  # noqa: PLC0415 (start-up time)

    return ZoneInfo(_TIME_ZONE)


def paris() -> ZoneInfo:
    """The Europe/Paris time zone (built on first use)."""
    return _paris()


def __getattr__(name: str) -> object:
    # ``PARIS`` stays importable, built on first use.
    if name == "PARIS":
        return _paris()
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


_DAYS_IN_MONTH: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_ONE_DAY: Final = timedelta(days=1)


# --------------------------------------------------------------------------- periods


class Unit(enum.Enum):
    """The unit of a period (CPC art. 641: days on one hand, months and years on the other)."""

    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


_UNIT_WORDS: Final[dict[str, Unit]] = {
    "day": Unit.DAYS,
    "days": Unit.DAYS,
    "jour": Unit.DAYS,
    "jours": Unit.DAYS,
    "week": Unit.WEEKS,
    "weeks": Unit.WEEKS,
    "semaine": Unit.WEEKS,
    "semaines": Unit.WEEKS,
    "month": Unit.MONTHS,
    "months": Unit.MONTHS,
    "mois": Unit.MONTHS,
    "year": Unit.YEARS,
    "years": Unit.YEARS,
    "an": Unit.YEARS,
    "ans": Unit.YEARS,
    "année": Unit.YEARS,
    "années": Unit.YEARS,
}
_PERIOD_RE: Final = re.compile(r"\s*([0-9]+)\s+(\w+)\s*")
_PERIOD_EXPECTED: Final = (
    "a whole number and a unit, such as '15 days', '2 weeks', '6 months' or '1 year'"
)


def _check_amount(_instance: object, _attribute: object, value: int) -> None:
    if value.__class__ is not int:
        raise FactError(
            f"a period's amount must be a whole number, not {shown_value(value)}",
            value=value,
            expected="an int >= 0",
        )
    if value < 0:
        raise FactError("a period's amount cannot be negative", value=value, expected="an int >= 0")


def _check_unit(_instance: object, _attribute: object, value: Unit) -> None:
    if not isinstance(value, Unit):
        raise FactError("not a period unit", value=value, expected="a Unit")


@attrs.frozen
class Period:
    """A period of ``amount`` days, weeks, months or years (CPC art. 640-641).

    ``amount`` is a non-negative ``int``; weeks are counted as 7 days. Periods
    are values: equal and hashable, with no ordering (one month is neither
    shorter nor longer than 30 days).
    """

    amount: int = attrs.field(validator=_check_amount)
    unit: Unit = attrs.field(validator=_check_unit)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``"6 months"``, ``"1 day"``, ``"2 weeks"``, ``"15 jours"``, ``"1 an"``...

        Raises ``FactError`` (a ``ValueError``) naming the accepted shape otherwise.
        """
        match = _PERIOD_RE.fullmatch(text) if isinstance(text, str) else None
        unit = _UNIT_WORDS.get(match.group(2).lower()) if match else None
        if match is None or unit is None:
            raise FactError(
                f"not a period: {shown_value(text)}", value=text, expected=_PERIOD_EXPECTED
            )
        return cls(int(match.group(1)), unit)

    def __str__(self) -> str:
        word = self.unit.value
        return f"{self.amount} {word[:-1] if self.amount == 1 else word}"


# --------------------------------------------------------------------------- adding periods


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and _is_leap(year):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def _out_of_range(d: date, what: str) -> FactError:
    return FactError(
        f"{d.isoformat()} {what} falls outside the calendar (years 1 to 9999)",
        value=d,
        expected="a date between 0001-01-01 and 9999-12-31",
    )


def _check_int(n: object) -> None:
    if n.__class__ is not int:
        raise FactError(
            f"a number of days, months or years must be an int, not {shown_value(n)}", value=n
        )


def add_days(d: date, n: int) -> date:
    """The end of a period of ``n`` days after ``d``: ``d + n`` days (CPC art. 641 al. 1).

    The day of the triggering event does not count, so a period of *n* days
    running from ``d`` ends on ``d + n``. ``n`` may be negative.
    """
    _check_int(n)
    try:
        return d + timedelta(days=n)
    except OverflowError:
        raise _out_of_range(d, f"+ {n} days") from None


def add_months(d: date, n: int) -> date:
    """The end of a period of ``n`` months from ``d`` (CPC art. 641 al. 2).

    The day with the same number ``n`` months later, or the last day of that
    month when it has no such day: 31 January 2023 + 1 month = 28 February
    2023. ``n`` may be negative (clamped the same way).
    """
    _check_int(n)
    year, month0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    if not 1 <= year <= 9999:
        raise _out_of_range(d, f"+ {n} months")
    month = month0 + 1
    day = d.day
    if day > 28:
        day = min(day, _days_in_month(year, month))
    return date(year, month, day)


def add_years(d: date, n: int) -> date:
    """The end of a period of ``n`` years from ``d`` (CPC art. 641 al. 2).

    Same day and month ``n`` years later; 29 February becomes 28 February in a
    common year (29 February 2020 + 2 years = 28 February 2022).
    """
    _check_int(n)
    return add_months(d, 12 * n)


def _months_of(period: Period) -> int | None:
    unit = period.unit
    if unit is Unit.MONTHS:
        return period.amount
    if unit is Unit.YEARS:
        return 12 * period.amount
    return None


def _days_of(period: Period) -> int:
    return 7 * period.amount if period.unit is Unit.WEEKS else period.amount


def add_period(d: date, period: Period) -> date:
    """The day a period running from the event ``d`` ends (CPC art. 641; weeks = 7 days).

    Always counted from the triggering event in one step: month addition is
    not associative (31 January + 1 month + 1 month = 29 March 2024, but
    31 January + 2 months = 31 March).
    """
    months = _months_of(period)
    if months is None:
        return add_days(d, _days_of(period))
    return add_months(d, months)


def after_period(d: date, period: Period) -> date:
    """The first day after a period following ``d`` has run (CPC art. 641).

    "Après un délai de *n* jours suivant X": the period ends on X + *n* days
    and what it allows is possible from the next day, X + *n* + 1 days.
    """
    return add_days(add_period(d, period), 1)


def at_least_before(limit: date, period: Period) -> date:
    """The latest date N such that ``add_period(N, period) <= limit`` (CPC art. 641, backwards).

    "At least *n* months before D". Not always D - *n* months: six months
    before 28 February 2025 is 31 August 2024 (31 August + 6 months = 28
    February), one month before 30 November 2024 is 31 October 2024. For days
    and weeks it is exactly D - *n* days. A backwards period is never extended
    (CPC art. 642 does not apply).
    """
    months = _months_of(period)
    if months is None:
        return add_days(limit, -_days_of(period))
    # Start from the clamped D - n months, which satisfies the condition
    # (add_months(N, n) has day min(N.day, ...) <= D.day in D's month), then
    # move forward while the next day still does: add_months is monotone, so
    # the first day that fails bounds the answer. The day of the month can
    # only gain 28 -> 31, so at most 3 steps succeed.
    result = add_months(limit, -months)
    for _ in range(4):
        if result == date.max:
            break
        following = result + _ONE_DAY
        try:
            reached = add_months(following, months)
        except FactError:  # beyond 9999-12-31, so beyond the limit
            break
        if reached > limit:
            break
        result = following
    return result


# --------------------------------------------------------------------------- deadlines


@attrs.frozen
class Deadline:
    """A time limit: ``period`` running from ``start`` (CPC art. 641), extended if ``extends``.

    ``extends`` is true only for the time limit of a recourse (an appeal): it
    is then carried over to the next working day (CPC art. 642). Notice
    periods, terms, payment dates and backwards periods never extend.
    """

    start: date
    period: Period
    extends: bool

    def end(self, calendar: str = "FR") -> date:
        """The last day of the time limit (CPC art. 641, then 642 when ``extends``).

        ``calendar`` is checked even when the deadline does not extend.
        """
        check_calendar(calendar)
        last = add_period(self.start, self.period)
        return next_working_day(last, calendar) if self.extends else last


def deadline(start: date, period: Period, extends: bool, calendar: str = "FR") -> date:
    """The last day of ``period`` from ``start`` (CPC art. 641), extended by art. 642 if asked."""
    return Deadline(start, period, extends).end(calendar)


# --------------------------------------------------------------------------- anniversaries


def anniversary(signature: date, year: int) -> date:
    """The anniversary of ``signature`` in ``year``: ``signature`` + (year - its year) years.

    CPC art. 641 al. 2, counted from the signature in one step: 29 February
    falls on 28 February in a common year and on 29 February in a leap year.
    """
    return add_years(signature, year - signature.year)


def next_anniversary(signature: date, on_or_after: date) -> date:
    """The first anniversary of ``signature`` that falls on or after ``on_or_after``.

    Anniversaries are ``signature`` + *k* years for *k* >= 1 (CPC art. 641
    al. 2): the signature day itself is not an anniversary, so the answer is
    always after the signature.
    """
    year = max(on_or_after.year, signature.year + 1)
    candidate = anniversary(signature, year)
    if candidate < on_or_after:
        candidate = anniversary(signature, year + 1)
    return candidate


# --------------------------------------------------------------------------- spans


def month_of(day: date) -> int:
    """The month of ``day``, 1 (January) to 12 (December): « à la rentrée de septembre »
    is ``month_of(d) == 9``."""
    return day.month


def months_touched(start: date, end: date) -> int:
    """The number of calendar months the inclusive span ``[start, end]`` touches.

    Both end months count: 20 November 2023 to 30 April 2024 touches six
    (November to April). A span that ends before it starts is invalid.
    """
    if end < start:
        raise FactError(
            f"the span ends ({end.isoformat()}) before it starts ({start.isoformat()})",
            value=(start, end),
            expected="an end on or after the start",
        )
    return (end.year - start.year) * 12 + end.month - start.month + 1


def days_between(later: date, earlier: date) -> int:
    """Days from ``earlier`` to ``later`` (negative when ``later`` is earlier).

    The day counted from is excluded, as CPC art. 641 al. 1 counts a period in
    days: ``earlier + days_between(later, earlier) days == later``.
    """
    return (later - earlier).days


def subtract_period(d: date, period: Period) -> date:
    """``d`` minus a period of days or weeks (``d - 15 days``).

    Months and years backwards are refused: at month ends they are ambiguous,
    and "at least n months before D" is :func:`at_least_before`.
    """
    months = _months_of(period)
    if months is not None:
        raise FactError(
            f"{period} before a date is ambiguous at month ends",
            value=str(period),
            expected="a period in days or weeks; at_least_before() for months and years",
        )
    return add_days(d, -_days_of(period))


def _check_last(instance: Interval, _attribute: object, value: date | None) -> None:
    if value is not None and value < instance.first:
        raise FactError(
            f"an interval cannot end ({value.isoformat()}) before it starts"
            f" ({instance.first.isoformat()})",
            value=(instance.first, value),
            expected="last >= first",
        )


@attrs.frozen
class Interval:
    """The days from ``first`` to ``last`` inclusive; ``last=None`` is open-ended.

    The term of an agreement: in force on ``first`` and on ``last`` (the
    period ends at the end of its last day, CPC art. 641-642).
    """

    first: date
    last: date | None = attrs.field(default=None, validator=_check_last)

    def contains(self, d: date) -> bool:
        """Whether ``d`` is one of the interval's days."""
        return self.first <= d and (self.last is None or d <= self.last)

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.contains(d)

    def in_force(self, d: date) -> bool:
        """Whether an agreement with this term is in force on ``d`` (alias of ``contains``)."""
        return self.contains(d)


# --------------------------------------------------------------------------- reading dates

_DATE_RE: Final = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIMESTAMP_RE: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"
)
_DATE_EXPECTED: Final = "a date YYYY-MM-DD, or an ISO 8601 timestamp with an offset"


def _paris_date(moment: datetime, value: object, fact: str | None) -> date:
    try:
        return moment.astimezone(_paris()).date()
    except (OverflowError, ValueError):
        raise FactError(
            "the timestamp falls outside the calendar in Europe/Paris",
            fact=fact,
            value=value,
            expected=_DATE_EXPECTED,
        ) from None


def parse_date(value: object, *, fact: str | None = None) -> date:
    """Read a date fact: a ``date``, ``"YYYY-MM-DD"``, or a timestamp with an offset.

    A timestamp (``"2025-03-30T23:30:00Z"``, ``"...+02:00"``, or an aware
    ``datetime``) is taken as its calendar date in Europe/Paris, where the
    agreements are performed; one without an offset is ambiguous and refused.
    Anything else raises ``FactError`` naming ``fact``.
    """
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise FactError(
                "a datetime without a time zone is ambiguous",
                fact=fact,
                value=value,
                expected=_DATE_EXPECTED,
            )
        return _paris_date(value, value, fact)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        if len(value) == 10 and value[4] == "-" and value[7] == "-" and value.isascii():
            # Fast path for the common "YYYY-MM-DD"; errors fall to the checks below.
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        match = _DATE_RE.fullmatch(value)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                raise FactError(
                    f"{shown_value(value)} is not a calendar date",
                    fact=fact,
                    value=value,
                    expected=_DATE_EXPECTED,
                ) from None
        match = _TIMESTAMP_RE.fullmatch(value)
        if match:
            if match[1] is None:
                raise FactError(
                    f"the timestamp {shown_value(value)} has no offset (add 'Z' or '+02:00')",
                    fact=fact,
                    value=value,
                    expected=_DATE_EXPECTED,
                )
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                raise FactError(
                    f"{shown_value(value)} is not a valid timestamp",
                    fact=fact,
                    value=value,
                    expected=_DATE_EXPECTED,
                ) from None
            return _paris_date(moment, value, fact)
    raise FactError("not a date", fact=fact, value=value, expected="a date YYYY-MM-DD")


def today_in_paris() -> date:
    """Today's date in Europe/Paris (the default ``as_of``)."""
    return datetime.now(_paris()).date()
