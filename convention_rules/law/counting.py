"""French counting modes: jours calendaires, ouvrables, ouvrés, and délais francs.

The four ways French texts count a period of days (fiche service-public.fr
F35697, « Jour ouvrable, jour ouvré, jour franc, jour calendaire »):

* ``CALENDAR`` (*jours calendaires*): every day counts; a period of *n* days
  after an event ends on event + *n* (CPC art. 641 al. 1). Months and years
  count from date to date (CPC art. 641 al. 2).
* ``OUVRABLES`` (*jours ouvrables*): every day but Sunday and public holidays
  (Code du travail L3133-1; in Alsace-Moselle also Good Friday and
  26 December, L3134-13); six a week. The period ends on the *n*-th such day
  after the event (Code du travail L1232-2: the preliminary interview).
* ``OUVRES`` (*jours ouvrés*): Monday to Friday, not public holidays; five a
  week. The period ends on the *n*-th such day after the event.
* ``FRANC`` (*délai franc*): neither the day of the event nor the last day
  counts, so the period ends one day after the CPC count of the same period
  (a two-month délai franc from 1 October ends on 2 December; CJA R421-1 as
  the Conseil d'État reads it). Days, weeks, months or years.

Every mode takes the CPC art. 642 extension as an option (``extends``): an end
on a Saturday, a Sunday or a public holiday moves to the next working day. A
count in jours ouvrés never ends on such a day, so the option changes nothing
there; a count in jours ouvrables can end on a Saturday and is then extended
(Code du travail R1231-1 extends the labour-law periods the same way).

Backwards (« au moins *n* jours ouvrés avant D »): the latest N whose forward
count ends on or before D (:func:`count_back`).

We read every public holiday as *chômé* (not worked): the texts count a
holiday as ouvrable or ouvré only where the firm usually works on it, which a
ruleset does not know. Nothing here uses floats.
"""

from __future__ import annotations

import enum
from datetime import date, timedelta
from typing import Final

from convention_rules._errors import FactError
from convention_rules.law.calendars import check_calendar, holiday_set, next_working_day
from convention_rules.law.legaltime import Period, Unit, add_days, add_period, at_least_before

__all__ = [
    "Counting",
    "count_back",
    "count_forward",
    "days_in_span",
    "franc_before",
    "franc_deadline",
    "is_counted_day",
    "ouvrables_after",
    "ouvrables_before",
    "ouvres_after",
    "ouvres_before",
]

_ONE_DAY: Final = timedelta(days=1)
_SATURDAY: Final = 5
_SUNDAY: Final = 6


class Counting(enum.Enum):
    """How the days of a period are counted."""

    CALENDAR = "calendaires"
    OUVRABLES = "ouvrables"
    OUVRES = "ouvres"
    FRANC = "francs"


def is_counted_day(d: date, mode: Counting, calendar: str = "FR") -> bool:
    """Whether ``d`` counts as a day of ``mode`` (every day for calendar days and délais francs)."""
    check_calendar(calendar)
    if mode is Counting.OUVRABLES:
        return d.weekday() != _SUNDAY and d not in holiday_set(d.year, calendar)
    if mode is Counting.OUVRES:
        return d.weekday() < _SATURDAY and d not in holiday_set(d.year, calendar)
    return True


def _check_days(period: Period, mode: Counting) -> int:
    if period.unit is Unit.DAYS:
        return period.amount
    raise FactError(
        f"a period in jours {mode.value} is counted in days, not {period.unit.value}",
        value=str(period),
        expected="a period in days, such as '5 days'",
    )


def _step(d: date, forward: bool) -> date:
    try:
        return d + _ONE_DAY if forward else d - _ONE_DAY
    except OverflowError:
        raise FactError(
            f"counting from {d.isoformat()} leaves the calendar (years 1 to 9999)",
            value=d,
            expected="a date between 0001-01-01 and 9999-12-31",
        ) from None


def _nth_counted(start: date, n: int, mode: Counting, calendar: str) -> date:
    """The ``n``-th day of ``mode`` after ``start`` (``start`` itself for ``n == 0``)."""
    # Whole weeks first: seven calendar days hold six ouvrables / five ouvrés
    # less the holidays among them, so jump a week at a time while far away.
    per_week = 6 if mode is Counting.OUVRABLES else 5
    d = start
    left = n
    while left > 2 * per_week:
        weeks = left // per_week - 1
        target = add_days(d, 7 * weeks)
        counted = weeks * per_week - _holidays_between(d, target, mode, calendar)
        d, left = target, left - counted
    while left > 0:
        d = _step(d, forward=True)
        if is_counted_day(d, mode, calendar):
            left -= 1
    return d


def _holidays_between(after: date, last: date, mode: Counting, calendar: str) -> int:
    """Holidays in ``(after, last]`` that fall on a day ``mode`` would otherwise count."""
    found = 0
    for year in range(after.year, last.year + 1):
        for holiday in holiday_set(year, calendar):
            if after < holiday <= last and (
                holiday.weekday() != _SUNDAY
                if mode is Counting.OUVRABLES
                else holiday.weekday() < _SATURDAY
            ):
                found += 1
    return found


def count_forward(
    start: date,
    period: Period,
    mode: Counting = Counting.CALENDAR,
    *,
    extends: bool = False,
    calendar: str = "FR",
) -> date:
    """The last day of ``period`` after the event ``start``, counted in ``mode``.

    The day of the event never counts (CPC art. 641). Jours ouvrables and
    ouvrés take a period in days; calendar days and délais francs take any
    period (months from date to date). ``extends`` applies CPC art. 642.
    """
    check_calendar(calendar)
    if mode in (Counting.OUVRABLES, Counting.OUVRES):
        last = _nth_counted(start, _check_days(period, mode), mode, calendar)
    else:
        last = add_period(start, period)
        if mode is Counting.FRANC:
            last = add_days(last, 1)
    return next_working_day(last, calendar) if extends else last


def count_back(
    limit: date,
    period: Period,
    mode: Counting = Counting.CALENDAR,
    *,
    extends: bool = False,
    calendar: str = "FR",
) -> date:
    """The latest N with ``count_forward(N, period, mode, ...) <= limit``.

    « Au moins *n* jours ouvrés avant D ». ``count_forward`` never goes
    backwards when its start moves forward, so the answer is found by starting
    from a date that satisfies the condition and moving forward while the next
    day still does.
    """
    check_calendar(calendar)
    if mode in (Counting.OUVRABLES, Counting.OUVRES):
        n = _check_days(period, mode)
        # The n-th counted day at or before the limit, going back; the day before it.
        d = limit
        left = n
        if n > 0:
            while not is_counted_day(d, mode, calendar):
                d = _step(d, forward=False)
            left -= 1
            while left > 0:
                d = _step(d, forward=False)
                if is_counted_day(d, mode, calendar):
                    left -= 1
            candidate = _step(d, forward=False)
        else:
            candidate = limit
    elif mode is Counting.FRANC:
        candidate = at_least_before(add_days(limit, -1), period)
    else:
        candidate = at_least_before(limit, period)
    # The extension only makes an end later: step back until it fits, then
    # forward while it still fits (bounded by the longest run of non-working days).
    while count_forward(candidate, period, mode, extends=extends, calendar=calendar) > limit:
        candidate = _step(candidate, forward=False)
    while candidate < date.max:
        following = candidate + _ONE_DAY
        try:
            reached = count_forward(following, period, mode, extends=extends, calendar=calendar)
        except FactError:
            break
        if reached > limit:
            break
        candidate = following
    return candidate


def days_in_span(first: date, last: date, mode: Counting, calendar: str = "FR") -> int:
    """How many days of ``mode`` the inclusive span ``[first, last]`` holds.

    The days of leave to take from Monday 14 to Saturday 19 August 2023, the
    15th a holiday: five jours ouvrables (F35697). Calendar days and délais
    francs count every day.
    """
    if last < first:
        raise FactError(
            f"the span ends ({last.isoformat()}) before it starts ({first.isoformat()})",
            value=(first, last),
            expected="an end on or after the start",
        )
    total = (last - first).days + 1
    if mode in (Counting.CALENDAR, Counting.FRANC):
        check_calendar(calendar)
        return total
    weeks, rest = divmod(total, 7)
    per_week = 6 if mode is Counting.OUVRABLES else 5
    counted = weeks * per_week
    d = first + timedelta(days=7 * weeks)
    for _ in range(rest):
        weekday = d.weekday()
        if (mode is Counting.OUVRABLES and weekday != _SUNDAY) or (
            mode is Counting.OUVRES and weekday < _SATURDAY
        ):
            counted += 1
        d += _ONE_DAY
    return counted - _holidays_between(first - _ONE_DAY, last, mode, calendar)


# --------------------------------------------------------------------------- the language's names


def ouvrables_after(start: date, n: int, extends: bool = False, calendar: str = "FR") -> date:
    """The end of ``n`` jours ouvrables after ``start`` (CPC 642 extension if ``extends``)."""
    return count_forward(
        start, Period(n, Unit.DAYS), Counting.OUVRABLES, extends=extends, calendar=calendar
    )


def ouvres_after(start: date, n: int, extends: bool = False, calendar: str = "FR") -> date:
    """The end of ``n`` jours ouvrés after ``start`` (never a weekend or holiday)."""
    return count_forward(
        start, Period(n, Unit.DAYS), Counting.OUVRES, extends=extends, calendar=calendar
    )


def franc_deadline(
    start: date, period: Period, extends: bool = False, calendar: str = "FR"
) -> date:
    """The end of a délai franc: one day after the CPC count, extended if ``extends``."""
    return count_forward(start, period, Counting.FRANC, extends=extends, calendar=calendar)


def ouvrables_before(limit: date, n: int, extends: bool = False, calendar: str = "FR") -> date:
    """« Au moins n jours ouvrables avant D »: the latest N whose count ends on or before D."""
    return count_back(
        limit, Period(n, Unit.DAYS), Counting.OUVRABLES, extends=extends, calendar=calendar
    )


def ouvres_before(limit: date, n: int, extends: bool = False, calendar: str = "FR") -> date:
    """« Au moins n jours ouvrés avant D »: the latest N whose count ends on or before D."""
    return count_back(
        limit, Period(n, Unit.DAYS), Counting.OUVRES, extends=extends, calendar=calendar
    )


def franc_before(limit: date, period: Period, extends: bool = False, calendar: str = "FR") -> date:
    """« n jours francs au moins avant D »: the latest N whose délai franc ends on or before D."""
    return count_back(limit, period, Counting.FRANC, extends=extends, calendar=calendar)
