"""A column of the batch evaluator: values and a per-row state.

A :class:`Col` holds the encoded values of one expression for every row
(or one scalar value shared by all rows) and, per row, the state the Kleene
evaluator gives a value: known, ``UNKNOWN`` (a required fact is missing) or
``ABSENT`` (an optional event fact has not happened). Encodings are exact
integers: dates as day ordinals (``date.toordinal``), money as cents, periods
as ``amount * 4 + unit``, enum words as codes of a shared vocabulary.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

from convention_rules.law.legaltime import Period, Unit

if TYPE_CHECKING:
    from collections.abc import Mapping

    from convention_rules.language import syntax as a

Array = npt.NDArray[Any]

KNOWN: Final = 0
UNKNOWN: Final = 1
ABSENT: Final = 2

#: The units of a period, in the order of their code (``amount * 4 + index``).
UNITS: Final = (Unit.DAYS, Unit.WEEKS, Unit.MONTHS, Unit.YEARS)


class Col:
    """Encoded values ``v`` (shape ``(n,)`` or ``()``) and states ``s`` (``None``: all known)."""

    __slots__ = ("s", "v")

    def __init__(self, v: Array, s: Array | None = None) -> None:
        self.v = v
        self.s = s

    @property
    def scalar(self) -> bool:
        return self.v.ndim == 0

    def known(self) -> Array | bool:
        """Rows whose value is known (``True`` when all are)."""
        return True if self.s is None else self.s == KNOWN

    def state(self, n: int) -> Array:
        """The states as an int8 array of length ``n``."""
        if self.s is None:
            return np.zeros(n, dtype=np.int8)
        return self.s


class Batch:
    """One call's columns: facts by name, constants on ``as_of``, memoised results."""

    def __init__(self, n: int, facts: Mapping[str, Col], constants: Mapping[str, Col]) -> None:
        self.n = n
        self.facts = facts
        self.constants = constants
        self.cache: dict[a.Node, Col] = {}
        #: rows the kernels cannot answer: decided one by one
        self.bad = np.zeros(n, dtype=bool)

    def scope(self) -> Batch:
        """A batch reading the results computed so far, flagging rows of its own."""
        child = Batch(self.n, self.facts, self.constants)
        child.cache = dict(self.cache)
        return child

    def flag(self, invalid: Array | None, *cols: Col) -> None:
        """Mark rows where ``invalid`` holds and every argument is known."""
        if invalid is None:
            return
        mask = np.broadcast_to(np.asarray(invalid, dtype=bool), (self.n,))
        state = combine(*cols)
        if state is not None:
            mask = mask & (state == KNOWN)
        self.bad |= mask


def scalar(value: Any, dtype: Any = None) -> Col:
    """A column holding one known value for every row."""
    return Col(np.asarray(value, dtype=dtype))


def combine(*cols: Col) -> Array | None:
    """The state of a strict operation: ``ABSENT`` beats ``UNKNOWN`` beats known."""
    states = [c.s for c in cols if c.s is not None]
    if not states:
        return None
    out = states[0]
    for s in states[1:]:
        out = np.maximum(out, s)
    return out


def known_rows(state: Array | None) -> Array | bool:
    return True if state is None else state == KNOWN


VOCABULARY: dict[str, int] = {}
WORDS: list[str] = []
_WORDS_LOCK = threading.Lock()


def word_code(word: str) -> int:
    """The code of an enum word (or text), shared by every compiled decision (thread-safe:
    tables may be decided in several threads, as Dask's local scheduler does)."""
    code = VOCABULARY.get(word)
    if code is None:
        with _WORDS_LOCK:
            code = VOCABULARY.get(word)
            if code is None:
                WORDS.append(word)
                code = VOCABULARY[word] = len(WORDS) - 1
    return code


#: Distinct list values, by code: a list column holds codes (equal lists, equal codes).
LISTS: list[tuple[Any, ...]] = []
_LIST_CODES: dict[tuple[Any, ...], int] = {}


def list_code(items: Any) -> int:
    """The code of a list value (its items as the language's Python values)."""
    key = tuple(items)
    code = _LIST_CODES.get(key)
    if code is None:
        with _WORDS_LOCK:
            code = _LIST_CODES.get(key)
            if code is None:
                LISTS.append(key)
                code = _LIST_CODES[key] = len(LISTS) - 1
    return code


def period_code(period: Period) -> int:
    return period.amount * 4 + UNITS.index(period.unit)


def period_of(code: int) -> Period:
    amount, unit = divmod(int(code), 4)
    return Period(amount, UNITS[unit])


def distinct(masks: Array) -> tuple[Array, Array]:
    """``np.unique(masks, return_inverse=True)``, without sorting when the masks are small."""
    if masks.size and masks.min() >= 0 and masks.max() < 1 << 16:
        seen = np.bincount(masks)
        uniques = np.nonzero(seen)[0]
        position = np.zeros(seen.size, dtype=np.int64)
        position[uniques] = np.arange(uniques.size)
        return uniques, position[masks]
    uniques, inverse = np.unique(masks, return_inverse=True)
    return uniques, inverse.ravel()
