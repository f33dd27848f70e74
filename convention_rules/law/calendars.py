"""Working days for CPC art. 642: weekends and French public holidays.

National public holidays are those of Code du travail art. L3133-1, as the
``holidays`` package dates them year by year (``holidays.France``, which also
knows when each became a holiday: 8 May from 1953, and Pentecost Monday is
left out in 2005-2007, the years the journée de solidarité was fixed on it).
``"FR-ALSACE-MOSELLE"`` adds the two local-law holidays of Bas-Rhin, Haut-Rhin
and Moselle (Code du travail art. L3134-13): Good Friday and 26 December, as
``holidays.France(subdiv="57")`` gives them (from 1893 and 1892).

Holiday sets are computed once per (calendar, year) and cached.

Fork safety: a thread importing ``holidays`` when the process forks would
leave the child waiting forever on that module's import lock; so before a
fork, an import under way is finished first (``os.register_at_fork``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Final

from convention_rules._errors import FactError

__all__ = ["CALENDARS", "check_calendar", "holiday_set", "is_working_day", "next_working_day"]

CALENDARS: Final = ("FR", "FR-ALSACE-MOSELLE")
"""The accepted values of the ``calendar`` fact."""

_SUBDIVISION: Final[dict[str, str | None]] = {"FR": None, "FR-ALSACE-MOSELLE": "57"}
_CACHE: dict[tuple[str, int], frozenset[date]] = {}
_ONE_DAY: Final = timedelta(days=1)
_SATURDAY: Final = 5


def _france() -> Callable[..., Mapping[date, str]]:
    """``holidays.France``, imported on first use: the package takes ~0.2 s to import,
    which every command-line call would otherwise pay."""
    from holidays.countries.france import France  # noqa: PLC0415 - deferred on purpose

    france: Callable[..., Mapping[date, str]] = France  # the package is untyped
    return france


def _finish_import_before_fork() -> None:
    if "holidays" in sys.modules:  # begun (maybe by another thread): let it complete
        _france()


os.register_at_fork(before=_finish_import_before_fork)


def check_calendar(calendar: object) -> str:
    """Return ``calendar`` if it is one of ``CALENDARS``, else raise ``FactError`` naming them."""
    if not isinstance(calendar, str) or calendar not in _SUBDIVISION:
        raise FactError(
            f"unknown calendar {calendar!r}",
            fact="calendar",
            value=calendar,
            expected="one of " + ", ".join(repr(name) for name in CALENDARS),
        )
    return calendar


def holiday_set(year: int, calendar: str = "FR") -> frozenset[date]:
    """The public holidays of ``year`` in ``calendar`` (Code du travail L3133-1, L3134-13).

    Weekends are not included. Cached per (calendar, year).
    """
    key = (calendar, year)
    found = _CACHE.get(key)
    if found is None:
        subdivision = _SUBDIVISION[check_calendar(calendar)]
        found = frozenset(_france()(years=year, subdiv=subdivision).keys())
        _CACHE[key] = found
    return found


def is_working_day(d: date, calendar: str = "FR") -> bool:
    """Whether ``d`` is neither a Saturday, a Sunday nor a public holiday (CPC art. 642).

    ``calendar`` is ``"FR"`` (national holidays) or ``"FR-ALSACE-MOSELLE"``;
    any other value raises ``FactError``.
    """
    if d.weekday() >= _SATURDAY:
        check_calendar(calendar)
        return False
    return d not in holiday_set(d.year, calendar)


def next_working_day(d: date, calendar: str = "FR") -> date:
    """``d`` itself if it is a working day, else the next one (CPC art. 642 al. 2).

    "Le délai qui expirerait normalement un samedi, un dimanche ou un jour
    férié ou chômé est prorogé jusqu'au premier jour ouvrable suivant." At
    most a few steps: no run of non-working days is longer than four
    (Good Friday to Easter Monday in Alsace-Moselle).
    """
    while not is_working_day(d, calendar):
        if d == date.max:
            raise FactError(
                "no working day after 9999-12-31",
                value=d,
                expected="a date before 9999-12-31",
            )
        d += _ONE_DAY
    return d
