"""The builtins' kernels for the evaluator: law functions over encoded columns.

Each entry of :data:`KERNELS` takes the batch and its arguments' encoded values
and returns the result with a mask of the rows it cannot compute; the evaluator
flags those rows (answered one by one by ``decide``). Periods arrive as codes
(``amount * 4 + unit``), calendars as word codes, rates as ``Rate`` objects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from convention_rules.columnar import legaltime as clt
from convention_rules.columnar import money as cmo
from convention_rules.columnar.column import WORDS, Array, Batch, distinct, period_of, word_code
from convention_rules.language import syntax as a
from convention_rules.law.calendars import CALENDARS
from convention_rules.law.legaltime import Unit
from convention_rules.law.money import Rate

#: Encoded as int64 (ordinals, cents, codes; lists as codes of distinct lists); rates are
#: objects.
INTEGER_TYPES = frozenset({"int", "date", "money", "period", "enum", "text", "bool", "list"})


def row_key(items: list[Array]) -> tuple[Array, list[tuple[int, ...]]]:
    """Per row, the code of its tuple of item values, and the distinct tuples by code."""
    lows = [int(x.min()) for x in items]
    spans = [int(x.max()) - low + 1 for x, low in zip(items, lows, strict=True)]
    if np.prod([float(s) for s in spans]) < 2**62:  # one int64 key in mixed radix
        key = np.zeros(items[0].size, dtype=np.int64)
        for x, low, span in zip(items, lows, spans, strict=True):
            key = key * span + (x - low)
        uniques, inverse = distinct(key)
        tuples = []
        for unique in uniques.tolist():
            digits, rest = [], unique
            for low, span in zip(reversed(lows), reversed(spans), strict=True):
                rest, digit = divmod(rest, span)
                digits.append(digit + low)
            tuples.append(tuple(reversed(digits)))
        return inverse, tuples
    stacked = np.stack(items, axis=1)
    found, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return inverse.ravel(), [tuple(row) for row in found.tolist()]


def _period_parts(p: Any) -> tuple[Any, Any, Any]:
    """(months, days, counted in months) of period codes."""
    if np.ndim(p) == 0:
        period = period_of(int(p))
        by_months = period.unit in (Unit.MONTHS, Unit.YEARS)
        months = period.amount * (12 if period.unit is Unit.YEARS else 1)
        days = period.amount * (7 if period.unit is Unit.WEEKS else 1)
        return months, days, by_months
    amount, unit = np.divmod(np.asarray(p, dtype=np.int64), 4)
    return amount * np.where(unit == 3, 12, 1), amount * np.where(unit == 1, 7, 1), unit >= 2


def add_period(d: Any, p: Any) -> tuple[Array, Any]:
    months, days, by_months = _period_parts(p)
    return clt.add_calendar(d, months, days, by_months)


def subtract_period(d: Any, p: Any) -> tuple[Array, Any]:
    _, days, by_months = _period_parts(p)
    result, invalid = clt.add_days(d, -np.asarray(days))
    return result, invalid | np.asarray(by_months)


def percent(cents: Any, rate: Any) -> tuple[Array, Any]:
    if rate.ndim:  # a column of rates: one kernel call per distinct rate
        result = np.zeros(np.shape(cents), dtype=np.int64)
        invalid = np.zeros(np.shape(cents), dtype=bool)
        for value in set(rate.tolist()):
            rows = rate == value
            part, bad = cmo.percent_of(cents, value)
            result = np.where(rows, part, result)
            invalid |= rows & np.asarray(bad)
        return result, invalid
    r = rate[()]
    assert isinstance(r, Rate)
    return cmo.percent_of(cents, r)


def _calendar_rows(
    batch: Batch, cal: Any, compute: Callable[[str], tuple[Array, Any]]
) -> tuple[Array, Array]:
    """Run ``compute`` once per calendar named in ``cal`` (codes); unknown names are invalid."""
    codes = distinct(np.asarray(cal, dtype=np.int64))[0] if np.ndim(cal) else [int(cal)]
    result: Any = np.zeros(batch.n, dtype=np.int64)
    invalid: Any = np.zeros(batch.n, dtype=bool)
    for code in codes:
        name = WORDS[int(code)]
        rows = cal == code
        if name not in CALENDARS:
            invalid = invalid | rows
            continue
        value, bad = compute(name)
        result = np.where(rows, value, result)
        if bad is not None:
            invalid = invalid | (rows & bad)
    return result, invalid


_FR = word_code("FR")


def _k_next_working_day(batch: Batch, d: Any, cal: Any = _FR) -> tuple[Array, Any]:
    return _calendar_rows(batch, cal, lambda name: clt.next_working_day(d, name))


def _k_is_working_day(batch: Batch, d: Any, cal: Any = _FR) -> tuple[Array, Any]:
    value, invalid = _calendar_rows(batch, cal, lambda name: (clt.is_working_day(d, name), None))
    return value.astype(bool), invalid


def _k_deadline(
    batch: Batch, start: Any, p: Any, extends: Any, cal: Any = _FR
) -> tuple[Array, Any]:
    last, bad_last = add_period(start, p)
    extended, bad_ext = _k_next_working_day(batch, last, cal)
    value = np.where(extends, extended, last)
    _, bad_cal = _calendar_rows(batch, cal, lambda name: (last, None))
    return value, bad_cal | np.asarray(bad_last) | (np.asarray(extends) & bad_ext)


def _k_at_least_before(batch: Batch, limit: Any, p: Any) -> tuple[Array, Any]:
    months, days, by_months = _period_parts(p)
    with_months, bad_m = clt.at_least_before(limit, months)
    with_days, bad_d = clt.add_days(limit, -np.asarray(days))
    return np.where(by_months, with_months, with_days), np.where(by_months, bad_m, bad_d)


def _k_after_period(batch: Batch, d: Any, p: Any) -> tuple[Array, Any]:
    end, bad_end = add_period(d, p)
    after, bad_after = clt.add_days(end, 1)
    return after, np.asarray(bad_end) | bad_after


def _two(kernel: Callable[[Any, Any], tuple[Array, Any]]) -> Any:
    return lambda batch, x, y: kernel(x, y)


def _k_free(index: int) -> Any:
    def kernel(batch: Batch, count: Any, free: Any) -> tuple[Array, Any]:
        parts = cmo.free_then_billed(count, free)
        return parts[index], parts[2]

    return kernel


KERNELS: dict[str, Callable[..., tuple[Array, Any]]] = {
    "add_days": _two(clt.add_days),
    "add_months": _two(clt.add_months),
    "add_years": lambda batch, d, n: clt.add_months(d, 12 * np.asarray(n, dtype=np.int64)),
    "add_period": _two(add_period),
    "deadline": _k_deadline,
    "is_working_day": _k_is_working_day,
    "anniversary": _two(clt.anniversary),
    "days_between": lambda batch, x, y: (np.asarray(x - y), None),
    "after_period": _k_after_period,
    "at_least_before": _k_at_least_before,
    "next_working_day": _k_next_working_day,
    "next_anniversary": _two(clt.next_anniversary),
    "months_touched": _two(clt.months_touched),
    "min": lambda batch, x, y: (np.minimum(x, y), None),
    "max": lambda batch, x, y: (np.maximum(x, y), None),
    "percent_of": _two(percent),
    "cap": lambda batch, x, y: (np.minimum(x, y), None),
    "floor_at": lambda batch, x, y: (np.maximum(x, y), None),
    "half": lambda batch, m: cmo.scale(m, 1, 2),
    "free_left": _k_free(0),
    "billable_count": _k_free(1),
}


def kernel_fits(node: a.Call) -> bool:
    """Kernels take integer-encoded arguments (and a scalar or column rate)."""
    return all(
        a.type_of(arg).name in INTEGER_TYPES
        or a.type_of(arg).is_enum
        or a.type_of(arg).name == "rate"
        for arg in node.args
    )


from convention_rules.columnar.counting import COUNTING_KERNELS  # noqa: E402 - after KERNELS

KERNELS.update(COUNTING_KERNELS)
