"""The French counting modes (``law/counting.py``) on columns of day ordinals.

Jours ouvrables and ouvrés are counted with one cumulative sum over the days
a batch touches: the *n*-th counted day after ``d`` is the first day whose
running count reaches the count at ``d`` plus *n* (a ``searchsorted``), and
« au moins *n* jours avant D » is the day before the *n*-th counted day going
back from D. Délais francs are the CPC count plus one day. The CPC art. 642
extension is ``next_working_day``; backwards with it, the start is stepped back
while its count ends too late, then forward while the next day still fits,
as the scalar functions do. Each kernel returns its values and the mask of
the rows it cannot compute (answered one by one by ``decide``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import numpy as np

from convention_rules.columnar import legaltime as clt
from convention_rules.columnar.column import Array, Batch, word_code

__all__ = ["COUNTING_KERNELS"]

_FR: Final = word_code("FR")
_SUNDAY: Final = 6
_SATURDAY: Final = 5
_STEPS: Final = 8  # the longest run of non-working days is four; margin


def _i64(x: Any) -> Array:
    return np.asarray(x, dtype=np.int64)


def _counted(ordinals: Array, calendar: str, ouvrables: bool) -> Array:
    weekday = (ordinals - 1) % 7  # date.fromordinal(1) is a Monday
    open_day = weekday != _SUNDAY if ouvrables else weekday < _SATURDAY
    holidays = clt._holidays(ordinals, calendar)
    if holidays.size:
        at = np.clip(np.searchsorted(holidays, ordinals), 0, holidays.size - 1)
        open_day = open_day & (holidays[at] != ordinals)
    result: Array = open_day
    return result


def _forward_days(d: Any, n: Any, calendar: str, ouvrables: bool) -> tuple[Array, Array]:
    days, count = np.broadcast_arrays(_i64(d), _i64(n))
    if days.size == 0:
        return days.copy(), np.zeros(days.shape, dtype=bool)
    low = int(days.min())
    high = min(int(days.max()) + 2 * int(count.max()) + 40, clt.MAX_ORDINAL)
    span = np.arange(low, high + 1, dtype=np.int64)
    running = np.cumsum(_counted(span, calendar, ouvrables))
    target = running[days - low] + count
    index = np.searchsorted(running, target, side="left")
    bad = (index >= span.size) | (count < 0)
    end = low + np.minimum(index, span.size - 1)
    return np.where(count == 0, days, end), bad


def _backward_days(limit: Any, n: Any, calendar: str, ouvrables: bool) -> tuple[Array, Array]:
    days, count = np.broadcast_arrays(_i64(limit), _i64(n))
    if days.size == 0:
        return days.copy(), np.zeros(days.shape, dtype=bool)
    low = max(int(days.min()) - 2 * int(count.max()) - 40, clt.MIN_ORDINAL)
    high = int(days.max())
    span = np.arange(low, high + 1, dtype=np.int64)
    running = np.cumsum(_counted(span, calendar, ouvrables))
    target = running[days - low] - count + 1
    index = np.searchsorted(running, target, side="left")
    bad = (target < 1) | (count < 0)
    start = low + np.clip(index, 0, span.size - 1) - 1
    return np.where(count == 0, days, start), bad | (start < clt.MIN_ORDINAL)


def _extend(end: Array, extends: Any, calendar: str) -> tuple[Array, Array]:
    extended, bad = clt.next_working_day(end, calendar)
    flags = np.asarray(extends, dtype=bool)
    return np.where(flags, extended, end), flags & np.asarray(bad, dtype=bool)


def _fit_back(
    candidate: Array, limit: Array, forward: Callable[[Array], tuple[Array, Array]]
) -> tuple[Array, Array]:
    """The latest start whose forward count ends on or before ``limit``, from a guess."""
    current = candidate.copy()
    bad = np.zeros(current.shape, dtype=bool)
    for _ in range(_STEPS):
        end, invalid = forward(current)
        bad |= invalid
        late = end > limit
        if not late.any():
            break
        current = np.where(late, current - 1, current)
    for _ in range(_STEPS):
        following = np.minimum(current + 1, clt.MAX_ORDINAL)
        end, invalid = forward(following)
        fits = (end <= limit) & ~invalid & (following > current)
        if not fits.any():
            break
        current = np.where(fits, following, current)
    return current, bad


def _per_calendar(
    batch: Batch, cal: Any, compute: Callable[[str], tuple[Array, Any]]
) -> tuple[Array, Any]:
    from convention_rules.columnar.builtins import _calendar_rows  # noqa: PLC0415 - no cycle

    return _calendar_rows(batch, cal, compute)


def _days_after(ouvrables: bool) -> Callable[..., tuple[Array, Any]]:
    def kernel(batch: Batch, d: Any, n: Any, extends: Any = 0, cal: Any = _FR) -> Any:
        def compute(calendar: str) -> tuple[Array, Any]:
            end, bad = _forward_days(d, n, calendar, ouvrables)
            extended, bad_ext = _extend(end, extends, calendar)
            return extended, bad | bad_ext

        return _per_calendar(batch, cal, compute)

    return kernel


def _days_before(ouvrables: bool) -> Callable[..., tuple[Array, Any]]:
    def kernel(batch: Batch, limit: Any, n: Any, extends: Any = 0, cal: Any = _FR) -> Any:
        def compute(calendar: str) -> tuple[Array, Any]:
            start, bad = _backward_days(limit, n, calendar, ouvrables)
            if not np.asarray(extends).any():
                return start, bad

            def forward(s: Array) -> tuple[Array, Array]:
                end, invalid = _forward_days(s, n, calendar, ouvrables)
                extended, bad_ext = _extend(end, extends, calendar)
                return extended, invalid | bad_ext

            fitted, bad_fit = _fit_back(start, np.broadcast_to(_i64(limit), start.shape), forward)
            return fitted, bad | bad_fit

        return _per_calendar(batch, cal, compute)

    return kernel


def _franc(d: Any, p: Any) -> tuple[Array, Array]:
    from convention_rules.columnar.builtins import add_period  # noqa: PLC0415 - no cycle

    end, bad = add_period(d, p)
    after, bad_after = clt.add_days(end, 1)
    return after, np.asarray(bad, dtype=bool) | np.asarray(bad_after, dtype=bool)


def _k_franc_deadline(batch: Batch, d: Any, p: Any, extends: Any = 0, cal: Any = _FR) -> Any:
    def compute(calendar: str) -> tuple[Array, Any]:
        end, bad = _franc(d, p)
        extended, bad_ext = _extend(end, extends, calendar)
        return extended, bad | bad_ext

    return _per_calendar(batch, cal, compute)


def _k_franc_before(batch: Batch, limit: Any, p: Any, extends: Any = 0, cal: Any = _FR) -> Any:
    from convention_rules.columnar.builtins import _k_at_least_before  # noqa: PLC0415

    def compute(calendar: str) -> tuple[Array, Any]:
        shifted, bad_shift = clt.add_days(limit, -1)
        start, bad = _k_at_least_before(batch, shifted, p)
        start = np.broadcast_to(_i64(start), np.broadcast(_i64(limit), _i64(p)).shape).copy()
        bad = np.asarray(bad, dtype=bool) | np.asarray(bad_shift, dtype=bool)
        if not np.asarray(extends).any():
            return start, bad

        def forward(s: Array) -> tuple[Array, Array]:
            end, invalid = _franc(s, p)
            extended, bad_ext = _extend(end, extends, calendar)
            return extended, invalid | bad_ext

        fitted, bad_fit = _fit_back(start, np.broadcast_to(_i64(limit), start.shape), forward)
        return fitted, bad | bad_fit

    return _per_calendar(batch, cal, compute)


COUNTING_KERNELS: dict[str, Callable[..., tuple[Array, Any]]] = {
    "ouvrables_after": _days_after(ouvrables=True),
    "ouvres_after": _days_after(ouvrables=False),
    "ouvrables_before": _days_before(ouvrables=True),
    "ouvres_before": _days_before(ouvrables=False),
    "franc_deadline": _k_franc_deadline,
    "franc_before": _k_franc_before,
}
