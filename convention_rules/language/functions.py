"""The builtin functions of the expression language.

Each function has the same name in ruleset expressions as in Python, a fixed
signature checked at load time, the Python implementation it runs, and the
legal source of its semantics. Dates are computed only by ``law.legaltime`` and
money only by ``law.money``: this table just names them for the language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from convention_rules.language.datatypes import BOOL, DATE, INT, MONEY, PERIOD, RATE, Type
from convention_rules.law import counting as co
from convention_rules.law import legaltime as lt
from convention_rules.law import money as mo


def _share(total: mo.Money, ratios: list[int], party: int) -> mo.Money:
    if not 1 <= party <= len(ratios):
        raise mo.MoneyError(
            f"share: party {party} of a split between {len(ratios)} "
            f"(parties are numbered 1 to {len(ratios)})"
        )
    return mo.allocate(total, ratios)[party - 1]


def _free_left(count: int, free: int) -> int:
    return mo.free_then_billed(count, free)[0]


def _billable_count(count: int, free: int) -> int:
    return mo.free_then_billed(count, free)[1]


def _between(value: Any, first: Any, last: Any) -> bool:
    return bool(first <= value <= last)


@attrs.frozen
class Function:
    """A builtin: its parameter types, result type, implementation and source."""

    name: str
    params: tuple[Type | str, ...]  # a Type, or "ordered" / "calendar" / "ints"
    result: Type | str  # a Type, or "same" (the type of the first argument)
    impl: Callable[..., Any]
    doc: str
    optional_tail: int = 0  # how many trailing parameters may be left out


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function(
            "add_days",
            (DATE, INT),
            DATE,
            lt.add_days,
            "d + n days; the day of the event is not counted (CPC art. 641 al. 1).",
        ),
        Function(
            "add_months",
            (DATE, INT),
            DATE,
            lt.add_months,
            "Same-numbered day n months later, else the month's last day (CPC art. 641 al. 2).",
        ),
        Function(
            "add_years",
            (DATE, INT),
            DATE,
            lt.add_years,
            "Same-numbered day n years later, 29 February giving 28 February (CPC art. 641 al. 2).",
        ),
        Function(
            "add_period",
            (DATE, PERIOD),
            DATE,
            lt.add_period,
            "d + a period (days, weeks, months, years), CPC art. 641; the same as d + period.",
        ),
        Function(
            "deadline",
            (DATE, PERIOD, BOOL, "calendar"),
            DATE,
            lt.deadline,
            "End of a period from an event, extended to the next working day only when the "
            "clause is a recourse (extends = true; CPC art. 642).",
            optional_tail=1,
        ),
        Function(
            "is_working_day",
            (DATE, "calendar"),
            BOOL,
            lt.is_working_day,
            "Neither a Saturday, a Sunday nor a public holiday (Code du travail L3133-1).",
            optional_tail=1,
        ),
        Function(
            "anniversary",
            (DATE, INT),
            DATE,
            lt.anniversary,
            "The signature day in a given year (29 February gives 28 February in common years).",
        ),
        Function(
            "days_between",
            (DATE, DATE),
            INT,
            lt.days_between,
            "Days from the second date to the first (the day counted from excluded, CPC 641).",
        ),
        Function(
            "after_period",
            (DATE, PERIOD),
            DATE,
            lt.after_period,
            "'Après un délai de n jours suivant X': the day after the period ends.",
        ),
        Function(
            "at_least_before",
            (DATE, PERIOD),
            DATE,
            lt.at_least_before,
            "'Au moins n mois avant D': the latest N with N + period <= D.",
        ),
        Function(
            "next_working_day",
            (DATE, "calendar"),
            DATE,
            lt.next_working_day,
            "The day itself if working, else the next working day (CPC art. 642).",
            optional_tail=1,
        ),
        Function(
            "ouvrables_after",
            (DATE, INT, BOOL, "calendar"),
            DATE,
            co.ouvrables_after,
            "End of n jours ouvrables after an event (every day but Sundays and public "
            "holidays; Code du travail L1232-2), extended by CPC art. 642 when asked.",
            optional_tail=2,
        ),
        Function(
            "ouvres_after",
            (DATE, INT, BOOL, "calendar"),
            DATE,
            co.ouvres_after,
            "End of n jours ouvrés after an event (Monday to Friday, not public holidays).",
            optional_tail=2,
        ),
        Function(
            "franc_deadline",
            (DATE, PERIOD, BOOL, "calendar"),
            DATE,
            co.franc_deadline,
            "End of a délai franc: neither the day of the event nor the last day counts, "
            "one day after the CPC art. 641 count; extended by art. 642 when asked.",
            optional_tail=2,
        ),
        Function(
            "ouvrables_before",
            (DATE, INT, BOOL, "calendar"),
            DATE,
            co.ouvrables_before,
            "'Au moins n jours ouvrables avant D': the latest N whose count ends on or before D.",
            optional_tail=2,
        ),
        Function(
            "ouvres_before",
            (DATE, INT, BOOL, "calendar"),
            DATE,
            co.ouvres_before,
            "'Au moins n jours ouvrés avant D': the latest N whose count ends on or before D.",
            optional_tail=2,
        ),
        Function(
            "franc_before",
            (DATE, PERIOD, BOOL, "calendar"),
            DATE,
            co.franc_before,
            "'n jours francs au moins avant D': the latest N whose délai franc ends by D.",
            optional_tail=2,
        ),
        Function(
            "next_anniversary",
            (DATE, DATE),
            DATE,
            lt.next_anniversary,
            "First anniversary of a signature date on or after a date.",
        ),
        Function(
            "month_of",
            (DATE,),
            INT,
            lt.month_of,
            "The month of a date, 1 (January) to 12 (December).",
        ),
        Function(
            "months_touched",
            (DATE, DATE),
            INT,
            lt.months_touched,
            "Number of calendar months touched by an inclusive span.",
        ),
        Function(
            "between",
            ("ordered", "ordered", "ordered"),
            BOOL,
            _between,
            "first <= value <= last, both ends included.",
        ),
        Function(
            "min",
            ("ordered", "ordered"),
            "same",
            min,
            "The smaller of two values of the same type.",
        ),
        Function(
            "max",
            ("ordered", "ordered"),
            "same",
            max,
            "The larger of two values of the same type.",
        ),
        Function(
            "percent_of",
            (MONEY, RATE),
            MONEY,
            mo.percent_of,
            "A percentage of an amount, rounded half-up to the cent.",
        ),
        Function(
            "cap",
            (MONEY, MONEY),
            MONEY,
            mo.cap,
            "An amount capped at a ceiling ('dans la limite de').",
        ),
        Function(
            "floor_at",
            (MONEY, MONEY),
            MONEY,
            mo.floor_at,
            "An amount raised to a minimum ('au moins').",
        ),
        Function(
            "half",
            (MONEY,),
            MONEY,
            mo.half,
            "Half of an amount, rounded half-up to the cent.",
        ),
        Function(
            "share",
            (MONEY, "ints", INT),
            MONEY,
            _share,
            "Party k's share of an amount split by ratios (largest remainder, "
            "ties to the party named first): parts sum to the whole.",
        ),
        Function(
            "free_left",
            (INT, INT),
            INT,
            _free_left,
            "Free uses left after this one when the first n are free.",
        ),
        Function(
            "billable_count",
            (INT, INT),
            INT,
            _billable_count,
            "Billed uses so far, this one included, when the first n are free.",
        ),
    )
}
