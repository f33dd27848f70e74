"""Money on columns of int64 cents: ``law.money`` vectorised.

Exact integer arithmetic only. Each kernel returns its result and a mask of
the rows it cannot compute exactly (an int64 overflow, a division by zero,
a split by ratios that sum to zero): the batch evaluator answers those rows
through the single-decision path, which raises ``law.money``'s own error.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np

from convention_rules.columnar.column import Array
from convention_rules.law.money import Rate

#: A mask of the rows a kernel cannot compute (or None: every row computed).
Invalid = Any

#: Products are checked against this bound, far inside int64.
_LIMIT: Final = 2**62


def _i64(x: Any) -> Array:
    return np.asarray(x, dtype=np.int64)


def checked_mul(a: Any, b: Any) -> tuple[Array, Invalid]:
    """``a * b`` with the rows that would overflow int64 marked."""
    a, b = _i64(a), _i64(b)
    with np.errstate(over="ignore"):
        product = a * b
    safe_b = np.where(b == 0, 1, b)
    bad = (b != 0) & ((product // safe_b != a) | (np.abs(a) > _LIMIT) | (np.abs(b) > _LIMIT))
    return product, bad


def checked_add(a: Any, b: Any, sign: int = 1) -> tuple[Array, Invalid]:
    a, b = _i64(a), _i64(b)
    result = a + sign * b
    return result, (np.abs(a) > _LIMIT) | (np.abs(b) > _LIMIT)


def div_half_up(numerator: Any, denominator: Any) -> tuple[Array, Invalid]:
    """``numerator / denominator`` rounded to an integer, ties away from zero."""
    num, den = _i64(numerator), _i64(denominator)
    zero = den == 0
    den_safe = np.where(zero, 1, den)
    quotient, remainder = np.divmod(np.abs(num), np.abs(den_safe))
    quotient = quotient + (2 * remainder >= np.abs(den_safe))
    negative = (num < 0) != (den_safe < 0)
    return np.where(negative, -quotient, quotient), zero


def percent_of(cents: Any, rate: Rate) -> tuple[Array, Invalid]:
    """``amount * rate`` rounded half-up to the cent (``money.percent_of``)."""
    numerator, denominator = rate.fraction.as_integer_ratio()
    product, overflow = checked_mul(cents, numerator)
    if denominator > _LIMIT:
        overflow = np.ones(np.shape(product), dtype=bool)
    result, _ = div_half_up(product, denominator)
    return result, overflow


def scale(cents: Any, numerator: Any, denominator: Any) -> tuple[Array, Invalid]:
    """``amount * numerator / denominator``, half-up to the cent (``money.scale``)."""
    product, overflow = checked_mul(cents, numerator)
    result, zero = div_half_up(product, denominator)
    return result, overflow | zero


def share(cents: Any, weights: list[Any], party: Any) -> tuple[Array, Invalid]:
    """Party ``party``'s share of a largest-remainder split (``money.allocate``).

    Each share is rounded down, then the cents left go one each to the largest
    remainders, ties to the party named first; a negative total is split as
    its absolute value and negated.
    """
    cents = _i64(cents)
    whole = np.abs(cents)
    ws = [_i64(w) for w in weights]
    total = ws[0]
    for w in ws[1:]:
        total = total + w
    bad = (total == 0) | (np.abs(whole) > 2**40)
    for w in ws:
        bad = bad | (w < 0) | (w > 2**20)
    safe_total = np.where(total == 0, 1, total)
    shares, remainders = [], []
    for w in ws:
        quotient, remainder = np.divmod(whole * w, safe_total)
        shares.append(quotient)
        remainders.append(remainder)
    leftover = whole - sum(shares)
    count = len(ws)
    index = _i64(party) - 1
    index = np.where(index < 0, index + count, index)
    bad = bad | (index < 0) | (index >= count)
    index = np.clip(index, 0, count - 1)
    mine_share = np.choose(index, shares)
    mine_rem = np.choose(index, remainders)
    rank = np.zeros(np.broadcast(cents, index).shape, dtype=np.int64)
    for j, remainder in enumerate(remainders):
        rank = rank + ((remainder > mine_rem) | ((remainder == mine_rem) & (j < index)))
    mine = mine_share + (rank < leftover)
    return np.where(cents < 0, -mine, mine), bad


def free_then_billed(count: Any, free: Any) -> tuple[Array, Array, Invalid]:
    """(free uses left, billed uses so far) (``money.free_then_billed``)."""
    count, free = _i64(count), _i64(free)
    bad = (count < 1) | (free < 0)
    return np.maximum(free - count, 0), np.maximum(count - free, 0), bad
