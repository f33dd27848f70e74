"""Vectorised arithmetic the cohort generator aims with: day numbers and CPC art. 641
periods, comparisons, tie cents, and money expressions linear in one fact.

The cohort generator (``tools/cohorts.py``) uses these to place synthetic rows where a
decision's answer flips. They are numpy versions of the law's arithmetic for day numbers
and integer cents, checked against ``law/legaltime.py`` and ``law/money.py`` by
``tests/test_cohorts.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from convention_rules.language import syntax as a
from convention_rules.law.legaltime import Period, Unit
from convention_rules.law.money import Money, Rate

_EPOCH = date(1970, 1, 1).toordinal()
_LEAP_YEARS = np.array([2012, 2016, 2020, 2024, 2028])

IntArray = npt.NDArray[np.int64]


def day_number(d: date) -> int:
    """Days since 1970-01-01 (numpy's ``datetime64[D]``)."""
    return d.toordinal() - _EPOCH


def add_period_days(days: IntArray, sign: int, period: Period) -> IntArray:
    """``days`` (day numbers) plus or minus ``period``, CPC art. 641: a month or a year
    later is the same-numbered day, else the month's last day (29 February + 1 year is
    28 February). Vectorised; backwards months clamp the same way."""
    if period.unit in (Unit.DAYS, Unit.WEEKS):
        step = period.amount * (7 if period.unit is Unit.WEEKS else 1)
        shifted: IntArray = days + sign * step
        return shifted
    months = period.amount * (12 if period.unit is Unit.YEARS else 1)
    as_days = days.astype("datetime64[D]")
    month = as_days.astype("datetime64[M]")
    day_of_month = (as_days - month.astype("datetime64[D]")).astype(np.int64)
    target = month + sign * months
    first = target.astype("datetime64[D]")
    length = ((target + 1).astype("datetime64[D]") - first).astype(np.int64)
    moved: IntArray = (first + np.minimum(day_of_month, length - 1)).astype(np.int64)
    return moved


def leap_days(rng: np.random.Generator, size: int) -> IntArray:
    years = rng.choice(_LEAP_YEARS, size)
    return (years - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64) + 31 + 28


MIRROR = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
ORDERING = frozenset({"<", "<=", ">", ">="})


def holds(op: str, left: IntArray, right: IntArray) -> npt.NDArray[np.bool_]:
    result: npt.NDArray[np.bool_] = {
        "<": np.less,
        "<=": np.less_equal,
        ">": np.greater,
        ">=": np.greater_equal,
        "==": np.equal,
        "!=": np.not_equal,
    }[op](left, right)
    return result


def tie_residue(rate: Fraction) -> tuple[int, int] | None:
    """``(c, m)``: every ``c + k*m`` cents times ``rate`` ends in half a cent; else None."""
    modulus = 2 * rate.denominator
    for cents in range(modulus):
        if (2 * cents * rate.numerator) % modulus == rate.denominator:
            return cents, modulus
    return None


# --------------------------------------------------------------------------- money


def _half_up(numerator: IntArray, denominator: int) -> IntArray:
    """``numerator / denominator`` rounded half-up (ties away from zero), in integers."""
    magnitude = (2 * np.abs(numerator) + denominator) // (2 * denominator)
    rounded: IntArray = np.sign(numerator) * magnitude
    return rounded


class MoneyTerms:
    """Money expressions in integer cents over the cohort's columns.

    ``evaluate`` computes sums, differences, negations and amounts times a rate (rounded
    half-up to the cent, as ``law/money.py``); ``sign_of`` says whether a fact enters an
    expression once, with coefficient +1 or -1, so it can be solved for.
    """

    def __init__(
        self,
        derived: Mapping[str, a.Node],
        constant: Callable[[str], object],
    ) -> None:
        self.derived = derived
        self.constant = constant

    def _value(self, node: a.Node) -> object:
        if isinstance(node, a.Literal):
            return node.value
        if isinstance(node, a.Name) and node.kind == "constant":
            return self.constant(node.name)
        return None

    def evaluate(self, node: a.Node, columns: Mapping[str, IntArray]) -> IntArray | None:
        """The cents of ``node`` on every row; None when it is not such an expression."""
        value = self._value(node)
        if isinstance(value, Money):
            return np.full(len(next(iter(columns.values()))), int(value.amount * 100))
        if isinstance(node, a.Name) and node.kind == "fact":
            return columns.get(node.name)
        if isinstance(node, a.Name) and node.kind == "derived":
            return self.evaluate(self.derived[node.name], columns)
        if isinstance(node, a.Unary) and node.op == "-":
            inner = self.evaluate(node.operand, columns)
            return None if inner is None else -inner
        if isinstance(node, a.Binary) and node.op in "+-":
            left = self.evaluate(node.left, columns)
            right = self.evaluate(node.right, columns)
            if left is None or right is None:
                return None
            return left + right if node.op == "+" else left - right
        if isinstance(node, a.Binary) and node.op == "*":
            for amount, rate in ((node.left, node.right), (node.right, node.left)):
                factor = self._value(rate)
                if isinstance(factor, Rate):
                    cents = self.evaluate(amount, columns)
                    if cents is None:
                        return None
                    exact = Fraction(factor.fraction)
                    return _half_up(cents * exact.numerator, exact.denominator)
        return None

    def sign_of(self, node: a.Node, fact: str) -> int | None:
        """+1 or -1 when ``fact`` enters ``node`` once through sums and differences only;
        0 when it does not enter; None otherwise (under a product, twice, ...)."""
        if isinstance(node, a.Name) and node.kind == "fact":
            return 1 if node.name == fact else 0
        if isinstance(node, a.Name) and node.kind == "derived":
            return self.sign_of(self.derived[node.name], fact)
        if isinstance(node, a.Unary) and node.op == "-":
            inner = self.sign_of(node.operand, fact)
            return None if inner is None else -inner
        if isinstance(node, a.Binary) and node.op in "+-":
            left, right = self.sign_of(node.left, fact), self.sign_of(node.right, fact)
            if left is None or right is None or (left and right):
                return None
            return left or (right if node.op == "+" else -right)
        return 0 if not any(_reads(n, fact, self.derived) for n in node.children()) else None


def _reads(node: a.Node, fact: str, derived: Mapping[str, a.Node]) -> bool:
    return fact in a.facts_read([node], dict(derived))
