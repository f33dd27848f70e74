"""Tables in and out: pandas, polars, pyarrow or a mapping of columns.

Input columns become :class:`Raw` numpy arrays without a pass in Python
over typed columns. The answer is built as a pyarrow Table (outcome as a
dictionary column, dates as ``date32``, money as ``decimal128(20, 2)``,
lists as list columns) and handed back in the kind of the input: a pandas
DataFrame with Arrow-backed columns aligned with the input index, a polars
DataFrame, the pyarrow Table, or a dict of lists.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final

import numpy as np

from convention_rules._errors import FactError
from convention_rules.columnar.cells import Raw
from convention_rules.columnar.column import Array

_EPOCH: Final = 719163
_UNIT_NS: Final = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}


def _pa() -> Any:
    try:
        import pyarrow as pa  # noqa: PLC0415 - optional dependency, imported on use
    except ImportError as exc:  # pragma: no cover - installed with the tables extra
        raise ImportError(
            "decide_table needs pyarrow: pip install 'convention-rules[tables]'"
        ) from exc
    return pa


class Table:
    """The input table: its kind, row count, columns and row labels."""

    def __init__(self, table: Any) -> None:
        self.source = table
        self.offset = 0  # of this part's first row in the whole table
        self._raw: dict[str, Raw] = {}
        module = type(table).__module__.split(".")[0]
        self.kind = {"pandas": "pandas", "polars": "polars", "pyarrow": "pyarrow"}.get(module)
        if self.kind is None:
            if not isinstance(table, Mapping):
                raise FactError(
                    "a table is a pandas or polars DataFrame, a pyarrow Table or a mapping "
                    "of column name to sequence",
                    value=type(table).__name__,
                    expected="a table",
                )
            self.kind = "mapping"
            lengths = {len(v) for v in table.values()}
            if len(lengths) > 1:
                raise FactError(
                    "the columns of a table have different lengths",
                    value=sorted(lengths),
                    expected="columns of one length",
                )
            self.n = lengths.pop() if lengths else 0
            self.columns: tuple[str, ...] = tuple(table)
        else:
            self.n = len(table)
            names = table.column_names if self.kind == "pyarrow" else table.columns
            self.columns = tuple(str(c) for c in names)

    def label(self, row: int) -> Any:
        """The row's name in messages: its index label in pandas, else its position."""
        if self.kind == "pandas":
            label = self.source.index[row]
            return label.item() if isinstance(label, np.generic) else label
        return self.offset + row

    def slices(self, rows: int) -> Iterator[Table]:
        """The table in consecutive parts of at most ``rows`` rows (views, not copies)."""
        if self.n <= rows:
            yield self
            return
        for start in range(0, self.n, rows):
            stop = min(start + rows, self.n)
            part = copy.copy(self)
            part._raw = {}
            part.n, part.offset = stop - start, self.offset + start
            if self.kind == "pandas":
                part.source = self.source.iloc[start:stop]
            elif self.kind in ("polars", "pyarrow"):
                part.source = self.source.slice(start, stop - start)
            else:
                part.source = {name: self.source[name][start:stop] for name in self.columns}
            yield part

    def raw(self, name: str) -> Raw:
        """The column of ``name`` as numpy arrays (read once)."""
        found = self._raw.get(name)
        if found is None:
            found = self._raw[name] = self._read(name)
        return found

    def raw_cell(self, name: str, row: int) -> Any:
        """One cell as a Python value (the column is not read when it was not yet)."""
        found = self._raw.get(name)
        if found is not None:
            return found.cell(row)
        column = self.source[name]
        if self.kind == "pandas":
            return column.iloc[row]
        if self.kind == "polars":
            return column.to_arrow()[row].as_py()
        if self.kind == "pyarrow":
            return column[row].as_py()
        return column[row]

    def _read(self, name: str) -> Raw:
        column = self.source[name]
        if self.kind == "pandas":
            return _from_pandas(column)
        if self.kind == "polars":
            return _from_arrow(column.to_arrow())
        if self.kind == "pyarrow":
            return _from_arrow(column)
        return _from_sequence(column)

    def answer(self, parts: list[Any]) -> Any:
        """The pyarrow answer (in parts) as the input's kind."""
        table = _pa().concat_tables(parts) if len(parts) != 1 else parts[0]
        if self.kind == "pyarrow":
            return table
        if self.kind == "polars":
            import polars as pl  # noqa: PLC0415 - only for polars input

            return pl.from_arrow(table)
        if self.kind == "pandas":
            import pandas as pd  # noqa: PLC0415 - only for pandas input

            pa = _pa()

            def mapper(kind: Any) -> Any:
                return None if pa.types.is_dictionary(kind) else pd.ArrowDtype(kind)

            frame = table.to_pandas(types_mapper=mapper)
            frame.index = self.source.index
            return frame
        return {name: table.column(name).to_pylist() for name in table.column_names}


def _from_sequence(column: Any) -> Raw:
    # A sequence's cells are read as they are (np.asarray would turn [nan, "yes"] into
    # strings and [True, 2] into ints); a numpy array keeps its dtype.
    if isinstance(column, np.ndarray) and column.ndim == 1:
        values = column
    else:
        values = np.fromiter(column, dtype=object, count=len(column))
    cell: Callable[[int], Any] = values.__getitem__
    kind = values.dtype.kind
    if kind == "M":
        return Raw("days", _days(values), np.isnat(values), cell)
    if kind == "b":
        return Raw("bool", values, np.zeros(values.size, bool), cell)
    if kind in "iu":
        return Raw("int", values, np.zeros(values.size, bool), cell)
    if kind == "f":
        return Raw("float", values, np.isnan(values), cell)
    objects = values.astype(object)
    return Raw("object", objects, np.zeros(values.size, bool), objects.__getitem__)


def _days(values: Array) -> Array:
    days: Array = values.astype("datetime64[D]").astype(np.int64) + _EPOCH
    return days


def _from_pandas(series: Any) -> Raw:
    import pandas as pd  # noqa: PLC0415 - pandas input only

    dtype = series.dtype
    cell = series.iloc.__getitem__
    missing = series.isna().to_numpy()
    if isinstance(dtype, pd.ArrowDtype):
        raw = _from_arrow(_pa().array(series))
        return Raw(raw.kind, raw.values, raw.missing, cell)
    if isinstance(dtype, pd.DatetimeTZDtype):
        utc = series.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[ns]")
        return Raw("utc_ns", np.where(missing, 0, utc.astype(np.int64)), missing, cell)
    if isinstance(dtype, np.dtype) and dtype.kind in "Mbiuf":
        raw = _from_sequence(series.to_numpy())
        return Raw(raw.kind, raw.values, raw.missing, cell)
    if isinstance(dtype, pd.BooleanDtype):
        return Raw("bool", series.to_numpy(bool, na_value=False), missing, cell)
    if pd.api.types.is_integer_dtype(dtype):
        return Raw("int", series.to_numpy("int64", na_value=0), missing, cell)
    if pd.api.types.is_float_dtype(dtype):
        return Raw("float", series.to_numpy("float64", na_value=np.nan), missing, cell)
    return Raw("object", series.to_numpy(dtype=object), missing, cell)


def _from_arrow(column: Any) -> Raw:
    pa = _pa()
    import pyarrow.compute as pc  # noqa: PLC0415 - with pyarrow

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    kind = column.type
    missing = np.asarray(column.is_null().to_numpy(zero_copy_only=False), dtype=bool)

    def cell(row: int) -> Any:
        return column[row].as_py()

    def filled(target: Any, value: Any = 0) -> Array:
        return np.asarray(pc.fill_null(column.cast(target), value).to_numpy(zero_copy_only=False))

    if pa.types.is_date32(kind) or pa.types.is_date64(kind):
        days = filled(pa.date32()).astype("datetime64[D]").astype(np.int64) + _EPOCH
        return Raw("days", days, missing, cell)
    if pa.types.is_timestamp(kind):
        ticks = np.asarray(pc.fill_null(column.cast(pa.int64()), 0).to_numpy(zero_copy_only=False))
        ns = ticks * _UNIT_NS[kind.unit]
        if kind.tz is not None:
            return Raw("utc_ns", ns, missing, cell)
        return Raw("days", ns // (86_400 * 10**9) + _EPOCH, missing, cell)
    if pa.types.is_boolean(kind):
        return Raw("bool", filled(pa.bool_(), value=False), missing, cell)
    if pa.types.is_integer(kind):
        return Raw("int", filled(pa.int64()), missing, cell)
    if pa.types.is_floating(kind):
        return Raw("float", filled(pa.float64(), float("nan")), missing, cell)
    if pa.types.is_dictionary(kind):
        column = column.dictionary_decode()
    objects = np.asarray(column.to_numpy(zero_copy_only=False), dtype=object)
    return Raw("object", objects, missing, cell)
