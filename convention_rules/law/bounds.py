"""Plausible ranges for the values a decision reads: one table, documented in SECURITY.md.

Facts come from people and services the library does not control. A value
outside these ranges is refused with a :class:`~convention_rules.FactError`
naming the fact, so no computation (and no comparison in the rules engine,
which holds 64-bit integers and saturates beyond) ever sees it.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from convention_rules._errors import FactError

#: Largest whole number a fact, a literal or a computed term may hold (2**53:
#: exact in every engine, far inside its 64-bit integers).
INT_LIMIT: Final = 2**53
#: Amounts are below 10**12 EUR (10**14 cents): far above any agreement, and
#: sums of thousands of them still fit the engine's integers.
MAX_AMOUNT_CENTS: Final = 10**14
#: Dates of facts and of ``as_of``: the years 1900 to 2200 (inclusive).
FIRST_DAY: Final = date(1900, 1, 1)
LAST_DAY: Final = date(2200, 12, 31)
#: Characters of one text value (an enum word given as a fact, an amount as text).
MAX_TEXT: Final = 1000
#: Digits of a number written in a ruleset or a JSON fact.
MAX_DIGITS: Final = 20
#: Characters of a value shown in an error message.
SHOWN: Final = 80

__all__ = [
    "FIRST_DAY",
    "INT_LIMIT",
    "LAST_DAY",
    "MAX_AMOUNT_CENTS",
    "MAX_DIGITS",
    "MAX_TEXT",
    "SHOWN",
    "check_day",
]


def check_day(day: date, fact: str | None) -> date:
    """``day`` if it falls in 1900-2200, else a ``FactError`` naming ``fact``."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise FactError(
            "the date is outside the years 1900 to 2200",
            fact=fact,
            value=day,
            expected="a date from 1900-01-01 to 2200-12-31",
        )
    return day
