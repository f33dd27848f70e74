"""Exact euro arithmetic: amounts, percentages and splits that never lose a cent.

An amount is a ``Decimal`` with exactly two places. Sums, differences and
whole multiples are exact. Anything that can fall between two cents goes
through a named operation (``percent_of``, ``scale``, ``allocate``) that rounds
once, on purpose: half-up (ties away from zero) for a single result, largest
remainder for a split, so that the parts always add up to the whole.

Every ``Decimal`` operation here runs in a module context of unbounded
precision that traps ``Inexact``: an operation that would round silently
raises instead. The ambient (thread-local) decimal context is never read.
"""

from __future__ import annotations

import decimal
import math
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar

import attrs

from convention_rules._errors import ConventionRulesError, FactError, shown_value

__all__ = [
    "Money",
    "MoneyError",
    "Rate",
    "allocate",
    "cap",
    "floor_at",
    "free_then_billed",
    "half",
    "percent_of",
    "round_half_up",
    "scale",
]

#: Unbounded precision, every rounding trapped: add, subtract, multiply and
#: pad with zeros are exact or raise. Never used for division.
_EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    rounding=ROUND_HALF_UP,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Inexact],
)
#: Same, but rounding to the cent is the point: ``Inexact`` is not trapped.
_ROUNDING = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    rounding=ROUND_HALF_UP,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
_CENT = Decimal("0.01")
#: An amount read from text or an int has at most 64 characters (256 bits): the
#: conversions are quadratic in the digits, and no agreement counts that far.
_MAX_CHARACTERS = 64
_MAX_BITS = 256
_ZERO_AMOUNT = Decimal("0.00")
_EUROS = re.compile(r"-?[0-9]+(?:\.[0-9]{1,2})?", re.ASCII)
_PERCENT = re.compile(r"([0-9]+(?:[.,][0-9]+)?)[ \u00a0\u202f]?%", re.ASCII)

EXPECTED_AMOUNT = "an amount in euros with at most two decimals, as a string or an integer"
EXPECTED_RATE = "a percentage such as '15 %' or '12.5%', or Rate.percent(15)"


class MoneyError(ConventionRulesError, ValueError):
    """An operation of this module cannot be computed with the arguments given.

    Division by zero in ``scale``, ratios that are negative or sum to zero in
    ``allocate``, a use count below one in ``free_then_billed``, a negative rate.
    """


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _checked_amount(value: Decimal) -> Decimal:
    """Attrs converter: a finite ``Decimal`` with exactly two places; -0.00 becomes 0.00."""
    if not isinstance(value, Decimal) or not value.is_finite() or not value.same_quantum(_CENT):
        raise FactError(
            f"Money needs a finite Decimal with exactly two places, not {shown_value(value)}; "
            "use Money.of() to convert",
            value=value,
            expected=EXPECTED_AMOUNT,
        )
    return _ZERO_AMOUNT if value.is_zero() else value


def _amount_error(value: object) -> FactError:
    if isinstance(value, float):
        message = (
            f"{shown_value(value)} is a float, which cannot hold cents exactly; "
            "give the amount as a string such as '12.50'"
        )
    else:
        message = f"{shown_value(value)} is not a valid amount"
    return FactError(message, value=value, expected=EXPECTED_AMOUNT)


def _reject_factor(value: object) -> TypeError:
    return TypeError(
        f"Money can only be multiplied by an int, not {type(value).__name__}; "
        "use percent_of() or scale() to say how the result is rounded"
    )


@attrs.frozen(order=True, repr=False)
class Money:
    """An amount of euros, held as a ``Decimal`` with exactly two places.

    Build one with ``Money.of("8645.00")``, ``Money.of(8645)`` or
    ``Money.from_cents(864500)``. ``+``, ``-``, unary ``-``, ``abs`` and ``*``
    by an ``int`` are exact; any other factor must go through ``percent_of``
    or ``scale``, which round half-up to the cent.
    """

    ZERO: ClassVar[Money]

    amount: Decimal = attrs.field(converter=_checked_amount)

    @classmethod
    def of(cls, value: Money | Decimal | int | str) -> Money:
        """Read an amount: ``Decimal`` or ``int`` (not ``bool``), or a string of euros.

        A string is digits with an optional leading ``-`` and at most two
        decimals after a ``.`` ("8645", "8645.5", "8645.00"): no exponent,
        spaces or thousand separators. A ``Decimal`` is accepted when it is a
        whole number of cents (``Decimal("1.500")`` is 1.50, ``Decimal("1.505")``
        is refused). Floats are refused, and so is anything beyond 64 digits
        (10**64 EUR: the conversions are quadratic in the digits). Raises ``FactError``.
        """
        if isinstance(value, Money):
            return value
        if isinstance(value, str):
            if len(value) > _MAX_CHARACTERS or _EUROS.fullmatch(value) is None:
                raise _amount_error(value)
            return cls(Decimal(value).quantize(_CENT, context=_EXACT))
        if isinstance(value, Decimal):
            if not value.is_finite() or value.adjusted() > _MAX_CHARACTERS:
                raise _amount_error(value)
            try:
                return cls(value.quantize(_CENT, context=_EXACT))
            except decimal.Inexact:
                raise _amount_error(value) from None
        if _is_int(value):
            if value.bit_length() > _MAX_BITS:
                raise _amount_error(value)
            return cls(Decimal(value).quantize(_CENT, context=_EXACT))
        raise _amount_error(value)

    @classmethod
    def from_cents(cls, cents: int) -> Money:
        """The amount of ``cents`` cents (an ``int``, not ``bool``)."""
        if not _is_int(cents):
            raise TypeError(f"cents must be an int, not {type(cents).__name__}")
        return cls(Decimal(cents).scaleb(-2, context=_EXACT))

    @property
    def cents(self) -> int:
        """The amount as a whole number of cents."""
        return int(self.amount.scaleb(2, context=_EXACT))

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(_EXACT.add(self.amount, other.amount))

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(_EXACT.subtract(self.amount, other.amount))

    def __mul__(self, factor: int) -> Money:
        if not _is_int(factor):
            raise _reject_factor(factor)
        return Money(_EXACT.multiply(self.amount, factor))

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(_EXACT.minus(self.amount))

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money(_EXACT.abs(self.amount))

    def __str__(self) -> str:
        return format(self.amount, "f")

    def __repr__(self) -> str:
        return f"Money('{self}')"

    def to_json(self) -> str:
        """The amount as a JSON-ready string with two decimals, e.g. ``"8645.00"``."""
        return format(self.amount, "f")

    def format_fr(self) -> str:
        """French display, e.g. ``"8\u202f645,00\u00a0€"`` (babel, fr_FR)."""
        # babel is imported on first use: a display need, not a computing one.
        from babel.numbers import format_currency  # noqa: PLC0415

        return str(format_currency(self.amount, "EUR", locale="fr_FR"))


Money.ZERO = Money(_ZERO_AMOUNT)


def round_half_up(value: Decimal) -> Decimal:
    """Round ``value`` to the cent, ties away from zero (0.005 → 0.01, -0.005 → -0.01).

    ``ROUND_HALF_UP`` in :mod:`decimal` rounds ties away from zero for negative
    numbers too. A result of zero is always ``0.00``, never ``-0.00``.
    """
    if not isinstance(value, Decimal):
        raise TypeError(f"round_half_up takes a Decimal, not {type(value).__name__}")
    if not value.is_finite():
        raise MoneyError(f"cannot round {shown_value(value)} to the cent")
    rounded = value.quantize(_CENT, rounding=ROUND_HALF_UP, context=_ROUNDING)
    return _ZERO_AMOUNT if rounded.is_zero() else rounded


def _div_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to an integer, ties away from zero."""
    quotient, remainder = divmod(abs(numerator), abs(denominator))
    if 2 * remainder >= abs(denominator):
        quotient += 1
    return -quotient if (numerator < 0) != (denominator < 0) else quotient


def _checked_fraction(value: Decimal) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise MoneyError(
            f"a rate is a finite, non-negative Decimal fraction, not {shown_value(value)}"
        )
    return value.copy_abs() if value.is_zero() else value


@attrs.frozen(repr=False)
class Rate:
    """A percentage, held as its exact ``Decimal`` fraction (15 % is ``Decimal("0.15")``).

    ``Rate.percent(15)``, ``Rate.percent("12.5")`` or ``Rate.of("15 %")``.
    Rates are never negative; floats are refused.
    """

    fraction: Decimal = attrs.field(converter=_checked_fraction)

    @classmethod
    def percent(cls, value: Decimal | int | str) -> Rate:
        """The rate of ``value`` per cent: an ``int``, a finite ``Decimal`` or a decimal string."""
        if isinstance(value, str):
            if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", value, re.ASCII) is None:
                raise _rate_error(value)
            number = Decimal(value)
        elif isinstance(value, Decimal) and value.is_finite():
            number = value
        elif _is_int(value):
            number = Decimal(value)
        else:
            raise _rate_error(value)
        if number < 0:
            raise _rate_error(value)
        return cls(number.scaleb(-2, context=_EXACT))

    @classmethod
    def of(cls, text: Rate | str) -> Rate:
        """Read ``"15 %"``, ``"15%"``, ``"12.5 %"`` or ``"12,5 %"``.

        One space (ordinary, no-break or narrow no-break) may stand before ``%``.
        """
        if isinstance(text, Rate):
            return text
        match = _PERCENT.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise _rate_error(text)
        return cls.percent(match.group(1).replace(",", "."))

    @property
    def percentage(self) -> Decimal:
        """The rate in per cent (``Decimal("15")`` for 15 %)."""
        return self.fraction.scaleb(2, context=_EXACT)

    def __str__(self) -> str:
        return f"{self.percentage.normalize(_EXACT):f} %"

    def __repr__(self) -> str:
        return f"Rate('{self}')"


def _rate_error(value: object) -> FactError:
    return FactError(
        f"{shown_value(value)} is not a valid percentage", value=value, expected=EXPECTED_RATE
    )


def _require_money(value: object, name: str) -> None:
    if not isinstance(value, Money):
        raise TypeError(f"{name} must be Money, not {type(value).__name__}")


def percent_of(amount: Money, rate: Rate) -> Money:
    """``amount * rate``, computed exactly, then rounded half-up to the cent once."""
    _require_money(amount, "amount")
    if not isinstance(rate, Rate):
        raise TypeError(f"rate must be a Rate, not {type(rate).__name__}")
    exact = _EXACT.multiply(amount.amount, rate.fraction)
    return Money(round_half_up(exact))


def scale(amount: Money, numerator: int, denominator: int) -> Money:
    """``amount * numerator / denominator``, exact, then rounded half-up to the cent."""
    _require_money(amount, "amount")
    if not (_is_int(numerator) and _is_int(denominator)):
        raise TypeError(
            "scale takes an int numerator and denominator, not "
            f"{type(numerator).__name__} and {type(denominator).__name__}"
        )
    if denominator == 0:
        raise MoneyError(f"cannot scale {amount} by {numerator}/0: the denominator is zero")
    return Money.from_cents(_div_half_up(amount.cents * numerator, denominator))


def half(amount: Money) -> Money:
    """Half of ``amount``, rounded half-up to the cent (half of 325.25 is 162.63)."""
    return scale(amount, 1, 2)


def _ratio(value: int | Decimal | Rate) -> tuple[int, int]:
    """An exact non-negative ratio as (numerator, denominator)."""
    if isinstance(value, Rate):
        number = value.fraction
    elif isinstance(value, Decimal) and value.is_finite():
        number = value
    elif _is_int(value):
        number = Decimal(value)
    else:
        raise TypeError(f"a ratio is an int, a Decimal or a Rate, not {shown_value(value)}")
    if number < 0:
        raise MoneyError(f"a ratio cannot be negative: {shown_value(value)}")
    return number.as_integer_ratio()


def allocate(total: Money, ratios: Sequence[int | Decimal | Rate]) -> tuple[Money, ...]:
    """Split ``total`` in proportion to ``ratios``, losing no cent (largest remainder).

    Each share is first ``total * ratio / sum`` rounded down to the cent; the
    cents left over go one each to the shares with the largest remainders,
    ties to the earlier party (the one named first in the agreement). The
    shares always sum to ``total``. A negative total is split as its absolute
    value, then every share is negated.
    """
    _require_money(total, "total")
    if isinstance(ratios, str | bytes) or len(ratios) == 0:
        raise MoneyError("allocate needs at least one ratio")
    exact = [_ratio(r) for r in ratios]
    common = math.lcm(*(den for _, den in exact))
    weights = [num * (common // den) for num, den in exact]
    weight_sum = sum(weights)
    if weight_sum == 0:
        raise MoneyError("the ratios of a split cannot all be zero")
    cents = total.cents
    whole = abs(cents)
    shares: list[int] = []
    remainders: list[int] = []
    for weight in weights:
        share, remainder = divmod(whole * weight, weight_sum)
        shares.append(share)
        remainders.append(remainder)
    leftover = whole - sum(shares)
    if leftover:
        order = sorted(range(len(shares)), key=lambda i: (-remainders[i], i))
        for i in order[:leftover]:
            shares[i] += 1
    sign = -1 if cents < 0 else 1
    return tuple(Money.from_cents(sign * share) for share in shares)


def cap(amount: Money, ceiling: Money) -> Money:
    """``amount``, but no more than ``ceiling``."""
    _require_money(amount, "amount")
    _require_money(ceiling, "ceiling")
    return min(amount, ceiling)


def floor_at(amount: Money, minimum: Money) -> Money:
    """``amount``, but no less than ``minimum``."""
    _require_money(amount, "amount")
    _require_money(minimum, "minimum")
    return max(amount, minimum)


def free_then_billed(count: int, free: int) -> tuple[int, int]:
    """For "the first ``free`` uses are free, then each is billed".

    ``count`` is the number of uses so far, this one included (at least 1).
    Returns ``(free_left, billable_count)``: the free uses left after this
    one, and how many uses so far are billed, this one included.
    """
    if not (_is_int(count) and _is_int(free)):
        raise TypeError("free_then_billed takes two ints")
    if count < 1:
        raise MoneyError(f"the count of uses includes this one, so it is at least 1, not {count}")
    if free < 0:
        raise MoneyError(f"the number of free uses cannot be negative: {free}")
    return max(free - count, 0), max(count - free, 0)
