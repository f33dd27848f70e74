"""Table cells as analysts have them, read into encoded fact columns.

A column of a pandas or polars DataFrame, a pyarrow Table or a plain
sequence becomes, for one declared fact, a :class:`Col` (encoded values,
per-row state) and a mask of the rows whose cell is invalid. None, NaN, NaT
and ``pd.NA`` are missing facts; datetimes are dates (a tz-aware one taken in
Europe/Paris, a naive one by its calendar date); a float column of whole
numbers is an int column. Typed columns (bool, int, float, dates) are read
with vectorised checks; any other column is validated once per distinct
cell by ``deciding/facts.py``'s own coercion, so the accepted values and the
error messages are the single-decision ones. An invalid row is decided by
the single-decision path, which raises that fact's ``FactError``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Final

import numpy as np

from convention_rules._errors import FactError
from convention_rules.columnar.column import ABSENT, KNOWN, UNKNOWN, Array, Col
from convention_rules.columnar.evaluator import encode
from convention_rules.deciding.facts import coerce_fact
from convention_rules.law.bounds import FIRST_DAY, INT_LIMIT, LAST_DAY, MAX_AMOUNT_CENTS
from convention_rules.law.legaltime import paris
from convention_rules.reading.model import FactSpec

_EPOCH: Final = 719163  # date(1970, 1, 1).toordinal()
_NS_PER_DAY: Final = 86_400 * 10**9
#: The days a date fact may hold (law/bounds.py): a cell beyond goes to decide, which names it.
_FIRST: Final = FIRST_DAY.toordinal()
_LAST: Final = LAST_DAY.toordinal()
#: A safe encoded value under missing or invalid cells (never read as a value).
_FILLER: Final = {"date": 730120, "bool": False}


class Raw:
    """A column as numpy arrays: its kind, values and missing cells.

    ``kind`` is ``bool``, ``int``, ``float``, ``days`` (day ordinals),
    ``utc_ns`` (instants, to be read in Europe/Paris) or ``object``.
    """

    def __init__(self, kind: str, values: Array, missing: Array, cell: Callable[[int], Any]):
        self.kind = kind
        self.values = values
        self.missing = missing
        self.cell = cell  # the row's cell as a Python value (for row-by-row decisions)


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, np.datetime64) and np.isnat(value):
        return True
    text = type(value).__name__
    return text in ("NAType", "NaTType")


def python_cell(value: Any, kind_name: str) -> Any:
    """A cell as a single decision takes the fact: None when missing, dates as dates."""
    if _is_missing(value):
        return None
    if isinstance(value, np.generic):
        value = value.item() if not isinstance(value, np.datetime64) else value
    if isinstance(value, np.datetime64):
        days = int(value.astype("datetime64[D]").astype(np.int64))
        return date.fromordinal(days + _EPOCH)
    if isinstance(value, datetime):
        if kind_name == "date" and value.utcoffset() is None:
            return value.date()  # a naive timestamp: its calendar date
        if hasattr(value, "to_pydatetime"):
            value = value.to_pydatetime()
        return value
    if kind_name == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _paris_days(utc_ns: Array) -> Array:
    """Calendar days in Europe/Paris of UTC instants (offsets change on whole UTC hours)."""
    seconds = utc_ns // 10**9
    hours = seconds // 3600
    unique_hours, inverse = np.unique(hours, return_inverse=True)
    offsets = np.array(
        [
            datetime.fromtimestamp(int(h) * 3600, paris()).utcoffset() // timedelta(seconds=1)  # type: ignore[operator]
            for h in unique_hours.tolist()
        ],
        dtype=np.int64,
    )
    local = seconds + offsets[inverse.ravel()]
    result: Array = local // 86_400 + _EPOCH
    return result


def read_fact(name: str, spec: FactSpec, raw: Raw, n: int) -> tuple[Col, Array]:
    """The fact's column and the mask of rows whose cell is invalid."""
    kind = spec.type
    type_name = "enum" if kind.is_enum else kind.name
    values: Array | None = None
    invalid = np.zeros(n, dtype=bool)
    missing = raw.missing.copy()
    if type_name == "bool" and raw.kind == "bool":
        values = raw.values.astype(bool)
    elif type_name == "int" and raw.kind in ("int", "float"):
        values, invalid = _ints(raw, spec, missing)
    elif type_name == "date" and raw.kind in ("days", "utc_ns"):
        values = raw.values if raw.kind == "days" else _paris_days(raw.values)
        bad = (values < _FIRST) | (values > _LAST)
        invalid = bad & ~missing
    elif type_name == "money" and raw.kind == "int":
        euros = raw.values.astype(np.int64)
        invalid = ((euros < 0) | (euros >= MAX_AMOUNT_CENTS // 100)) & ~missing
        values = euros * 100
    elif raw.kind == "float" and type_name in ("money", "bool", "date", "enum"):
        # A float cell is never one of these facts (money refuses floats): invalid unless NaN.
        invalid = ~missing
        values = np.zeros(n, dtype=np.int64)
    elif raw.kind == "object" and type_name in ("money", "date"):
        found = _from_text(name, spec, raw, n)
        if found is not None:
            values, invalid, missing = found
    if values is None:
        values, invalid, missing = _by_distinct_cell(name, spec, raw, n)
    values = np.where(invalid | missing, _FILLER.get(type_name, 0), values)
    return _with_absence(spec, values, missing | invalid, n), invalid


#: ``Money.of``'s euros and ``parse_date``'s plain day, as whole-cell patterns.
_TEXT_PATTERNS: Final = {
    "money": r"^-?[0-9]+(\.[0-9]{1,2})?$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
}


def _from_text(name: str, spec: FactSpec, raw: Raw, n: int) -> tuple[Array, Array, Array] | None:
    """A column of text read with Arrow's compute kernels: amounts ``"8645.50"`` and days
    ``"2024-02-29"``. Cells of another shape (timestamps, typos, other types) go through
    the distinct-cell path; ``None`` when the column is not text at all."""
    try:
        import pyarrow as pa  # noqa: PLC0415 - the tables extra
        import pyarrow.compute as pc  # noqa: PLC0415

        text = pa.array(raw.values, type=pa.string(), from_pandas=True)
    except (ImportError, TypeError, ValueError, ArithmeticError):
        return None
    type_name = spec.type.name
    shaped = pc.fill_null(
        pc.match_substring_regex(text, _TEXT_PATTERNS[type_name]), fill_value=False
    )
    values = np.zeros(n, dtype=np.int64)
    invalid = np.zeros(n, dtype=bool)
    try:
        if type_name == "money":
            amounts = pc.cast(pc.if_else(shaped, text, "0"), pa.decimal128(38, 2))
            # the unscaled 128-bit integers are the cents: low and high 64-bit words
            words = np.frombuffer(amounts.buffers()[1], dtype=np.int64)[: 2 * n]
            values = words[0::2].copy()
            fits = words[1::2] == np.where(values < 0, -1, 0)
            values = np.where(fits, values, -1)
            invalid = (values < 0) | (values >= MAX_AMOUNT_CENTS)
        else:
            days = pc.strptime(
                pc.if_else(shaped, text, "2000-01-01"),
                format="%Y-%m-%d",
                unit="s",
                error_is_null=True,
            )
            # a lenient parser may roll "2024-02-30" over: the day must print back as given
            same = pc.equal(pc.strftime(days, format="%Y-%m-%d"), text)
            days = pc.if_else(
                pc.fill_null(same, fill_value=False), days, pa.scalar(None, days.type)
            )
            calendar = pc.cast(pc.cast(days, pa.date32()), pa.int32())
            read = np.asarray(
                pc.fill_null(calendar, -(10**6)).to_numpy(zero_copy_only=False), dtype=np.int64
            )
            invalid = read == -(10**6)  # "2024-02-30": the distinct-cell path names it
            values = read + _EPOCH
            invalid |= (values < _FIRST) | (values > _LAST)  # named below
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OverflowError):
        return None
    shaped_np = np.asarray(shaped.to_numpy(zero_copy_only=False), dtype=bool)
    missing = np.asarray(text.is_null().to_numpy(zero_copy_only=False), dtype=bool) | raw.missing
    others = ~shaped_np & ~missing | (shaped_np & invalid)
    if others.any():
        rows = np.nonzero(others)[0]
        part = Raw("object", raw.values[rows], raw.missing[rows], raw.cell)
        part_values, part_invalid, part_missing = _by_distinct_cell(name, spec, part, rows.size)
        values[rows], invalid[rows], missing[rows] = part_values, part_invalid, part_missing
    return values, invalid & ~missing, missing


def _ints(raw: Raw, spec: FactSpec, missing: Array) -> tuple[Array, Array]:
    if raw.kind == "float":
        floats = np.where(missing, 0.0, raw.values)
        whole = np.isfinite(floats) & (np.floor(floats) == floats) & (np.abs(floats) <= INT_LIMIT)
        values = np.where(whole, floats, 0).astype(np.int64)
        invalid = ~whole
    else:
        values = raw.values.astype(np.int64)
        invalid = np.abs(values) > INT_LIMIT
    if spec.minimum is not None:
        invalid |= values < spec.minimum
    if spec.maximum is not None:
        invalid |= values > spec.maximum
    return values, invalid & ~missing


def _with_absence(spec: FactSpec, values: Array, empty: Array, n: int) -> Col:
    """A missing cell is the fact's default, ABSENT (an event fact) or UNKNOWN."""
    if not empty.any():
        return Col(values)
    if spec.default is not None:
        return Col(np.where(empty, encode(spec.default, spec.type), values))
    state = np.where(empty, ABSENT if spec.optional else UNKNOWN, KNOWN).astype(np.int8)
    return Col(values, state)


def _by_distinct_cell(name: str, spec: FactSpec, raw: Raw, n: int) -> tuple[Array, Array, Array]:
    """Validate each distinct cell once with the single-decision coercion."""
    type_name = "enum" if spec.type.is_enum else spec.type.name
    codes, uniques = factorize(raw)
    encoded = np.zeros(len(uniques) + 1, dtype=np.int64)
    bad = np.zeros(len(uniques) + 1, dtype=bool)
    empty = np.zeros(len(uniques) + 1, dtype=bool)
    empty[-1] = True  # code -1: a missing cell
    for i, cell in enumerate(uniques):
        value = python_cell(cell, type_name)
        if value is None:
            empty[i] = True
            continue
        try:
            coerced = coerce_fact(name, spec.type, value, spec)
        except FactError:
            bad[i] = True
            continue
        if isinstance(coerced, list) or (type_name == "money" and abs(coerced.cents) > 10**15):
            bad[i] = True  # list facts and huge amounts: decided row by row
            continue
        encoded[i] = encode(coerced, spec.type)
    return encoded[codes], bad[codes], empty[codes] | raw.missing


def factorize(raw: Raw) -> tuple[Array, list[Any]]:
    """Codes (-1 for missing) and distinct cells; cells equal but of different types
    (``True`` and ``1``, ``Decimal('1.5')`` and ``1.5``) stay distinct."""
    values = raw.values
    if raw.kind != "object":
        uniques_arr, inverse = np.unique(values, return_inverse=True)
        codes = np.where(raw.missing, -1, inverse.ravel())
        return codes, list(uniques_arr.tolist())
    try:
        import pandas as pd  # noqa: PLC0415 - optional, and only for object columns

        codes, found = pd.factorize(values)
    except (ImportError, TypeError):  # no pandas, or unhashable cells: one pass in Python
        return _factorize_in_python(values)
    codes = np.asarray(codes, dtype=np.int64)
    cells = list(found)
    # Only numbers compare equal across types (True == 1 == 1.0 == Decimal(1)): when no
    # distinct cell is a number, no cell was merged with one of another type.
    if values.size and any(_type_key(c) for c in cells):
        row_types = np.frompyfunc(_type_key, 1, 1)(values)
        cell_types = np.array([_type_key(c) for c in cells] + [""], dtype=object)
        mixed = np.nonzero((codes >= 0) & (row_types != cell_types[codes]))[0]
        for row in mixed.tolist():  # equal cells of different types: one code each
            codes[row] = len(cells)
            cells.append(values[row])
    return codes, cells


def _factorize_in_python(values: Array) -> tuple[Array, list[Any]]:
    index: dict[tuple[str, Any], int] = {}
    cells: list[Any] = []
    out = np.empty(values.size, dtype=np.int64)
    for i, cell in enumerate(values.tolist()):
        if _is_missing(cell):
            out[i] = -1
            continue
        key = (_type_key(cell), cell if _hashable(cell) else repr(cell))
        code = index.get(key)
        if code is None:
            code = index[key] = len(cells)
            cells.append(cell)
        out[i] = code
    return out, cells


def _type_key(cell: Any) -> str:
    if isinstance(cell, bool | int | float | Decimal | np.generic):
        return type(cell).__name__
    return ""


def _hashable(cell: Any) -> bool:
    try:
        hash(cell)
    except TypeError:
        return False
    return True
