"""Deciding a CSV or Parquet file chunk by chunk, in bounded memory.

``decide_file`` streams the input (pyarrow's streaming CSV reader, or a Parquet
file's ``iter_batches``), hands each chunk of ``chunk_size`` rows to
``Ruleset.decide_table`` and appends the answers to the output as it goes, so
memory depends on the chunk size, never on the file's size. The output holds the
input's columns, then ``outcome``, one column per value, ``missing``, ``rules`` and
``error`` (lists joined by ``;`` in CSV; an input column with one of these names, as in
a previous run's output, is replaced). Invalid rows are marked (``error``),
never fatal; an unreadable file, an unknown extension or a missing column raise
``FactError`` naming the file. Needs pyarrow (the ``batch`` extra).
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from convention_rules._errors import FactError
from convention_rules.deciding.ruleset import Ruleset
from convention_rules.language import syntax as a
from convention_rules.reading.model import FactSpec

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
#: decide_table's own columns, after the values
RESULT_COLUMNS = ("outcome", "missing", "rules", "error")
_VALUE_TYPES = {"date": pa.date32(), "int": pa.int64(), "bool": pa.bool_()}


@attrs.frozen
class Summary:
    """What a run decided: rows, rows per outcome, invalid rows."""

    rows: int
    outcomes: dict[str, int]
    invalid: int

    def line(self, target: str) -> str:
        counts = ", ".join(f"{outcome} {n:,}" for outcome, n in sorted(self.outcomes.items()))
        return (
            f"decide-batch: {self.rows:,} rows ({counts or 'none'}); "
            f"{self.invalid:,} invalid rows; written to {target}"
        )


def file_format(path: str, role: str) -> str:
    """``csv`` or ``parquet`` from the file's extension; else a FactError."""
    kind = FORMATS.get(Path(path).suffix.lower())
    if kind is None:
        raise FactError(
            f"{role} file {path}: unknown extension",
            value=path,
            expected=".csv or .parquet",
        )
    return kind


class _Reader:
    """Chunks of at most ``chunk_size`` rows of one file, as pyarrow record batches."""

    def __init__(
        self,
        path: str,
        specs: tuple[FactSpec, ...],
        chunk_size: int,
        delimiter: str = ",",
        encoding: str = "utf-8",
    ) -> None:
        self.path = path
        self.kind = file_format(path, "input")
        self.chunk_size = chunk_size
        names = [spec.name for spec in specs]
        try:
            if self.kind == "parquet":
                self.parquet = pq.ParquetFile(path)
                self.columns = list(self.parquet.schema_arrow.names)
            else:
                # every cell as text (typed per fact later, chunk by chunk: a bad cell in
                # row 2,000,000 must mark that row, not stop the reader)
                parse = pacsv.ParseOptions(delimiter=delimiter)
                read = pacsv.ReadOptions(block_size=_block_size(chunk_size), encoding=encoding)
                with pacsv.open_csv(path, read_options=read, parse_options=parse) as probe:
                    self.columns = list(probe.schema.names)  # read from the first block
                self.csv = pacsv.open_csv(
                    path,
                    read_options=read,
                    parse_options=parse,
                    convert_options=pacsv.ConvertOptions(
                        column_types=dict.fromkeys(self.columns, pa.string()),
                        strings_can_be_null=True,
                        quoted_strings_can_be_null=True,
                    ),
                )
        except (OSError, pa.ArrowException, LookupError) as exc:  # LookupError: encoding
            raise _unreadable(path, exc) from None
        # an event fact (optional) or a fact with a default may be left out, as in decide_table
        absent = [
            spec.name
            for spec in specs
            if spec.name not in self.columns and not spec.optional and spec.default is None
        ]
        if absent:
            raise FactError(
                f"input file {path} has no column {', '.join(absent)} "
                f"(the decision reads {', '.join(names)})",
                fact=absent[0],
                expected="a column per fact the decision reads",
            )

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        batches: Iterator[pa.RecordBatch]
        if self.kind == "parquet":
            batches = self.parquet.iter_batches(batch_size=self.chunk_size)
        else:
            batches = iter(self.csv)
        pending: list[pa.RecordBatch] = []
        size = 0
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                break
            except (OSError, pa.ArrowException) as exc:
                raise _unreadable(self.path, exc) from None
            while batch.num_rows:
                room = self.chunk_size - size
                pending.append(batch.slice(0, room))
                size += min(room, batch.num_rows)
                batch = batch.slice(room)
                if size == self.chunk_size:
                    yield _concat(pending)
                    pending, size = [], 0
        if size:
            yield _concat(pending)


def _concat(batches: list[pa.RecordBatch]) -> pa.RecordBatch:
    if len(batches) == 1:
        return batches[0]
    return pa.Table.from_batches(batches).combine_chunks().to_batches()[0]


def _block_size(chunk_size: int) -> int:
    """Bytes a CSV block reads: 1 MiB (Arrow's default), less for small chunks. Measured:
    with 10 MiB blocks the streaming reader's read-ahead grew with the file (168 MiB of
    Arrow memory for 5M rows, 263 MiB for 10M); with 1 MiB blocks it stays at 40 MiB."""
    return max(64 << 10, min(1 << 20, chunk_size * 100))


def _unreadable(path: str, exc: BaseException) -> FactError:
    reason = getattr(exc, "strerror", None) or " ".join(str(exc).split())
    return FactError(f"cannot read input file {path}: {reason}", value=path)


def decide_chunk(
    ruleset: Ruleset,
    decision: str,
    batch: pa.RecordBatch,
    specs: tuple[FactSpec, ...],
    as_of: date | None,
) -> pa.Table:
    """The answers of one chunk, in its row order.

    Text cells (CSV) are cast to each fact's type with Arrow's vectorised casts. The rows
    whose every cell converts go to ``decide_table`` as a typed Arrow table; the few rows
    with a cell that does not (``twelve`` in an int column, ``2023-02-29``) go as a small
    DataFrame of their raw cells, so each is marked invalid with its own message."""
    good = np.ones(batch.num_rows, dtype=bool)
    for spec in specs:
        good &= _convertible(_column(batch, spec.name), spec)
    if good.all():
        return _answers(ruleset, decision, _typed_table(batch, specs), as_of)
    clean = np.flatnonzero(good)
    broken = np.flatnonzero(~good)
    parts = [
        _answers(ruleset, decision, _typed_table(batch.take(pa.array(clean)), specs), as_of),
        _answers(ruleset, decision, _raw_frame(batch.take(pa.array(broken)), specs), as_of),
    ]
    first = _plain(parts[0])
    second = _plain(parts[1]).select(first.column_names)
    schema = pa.unify_schemas([first.schema, second.schema], promote_options="permissive")
    joined = pa.concat_tables([first.cast(schema), second.cast(schema)])
    order = np.argsort(np.concatenate([clean, broken]), kind="stable")
    return joined.take(pa.array(order))


def _answers(ruleset: Ruleset, decision: str, table: Any, as_of: date | None) -> pa.Table:
    return _as_table(ruleset.decide_table(decision, table, as_of=as_of, errors="mark"))


def row_count(path: str) -> int | None:
    """The number of rows of a Parquet file (from its footer); None for CSV or on error."""
    if FORMATS.get(Path(path).suffix.lower()) != "parquet":
        return None
    try:
        return int(pq.ParquetFile(path).metadata.num_rows)
    except (OSError, pa.ArrowException):
        return None  # decide_file reports the unreadable file


def _column(batch: pa.RecordBatch, name: str) -> pa.Array:
    """A fact column, dictionary-decoded and with large strings as strings (pandas'
    categories and Arrow's large strings are typed like any text)."""
    column = batch.column(batch.schema.get_field_index(name))
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    if pa.types.is_large_string(column.type):
        column = column.cast(pa.string())
    return column


#: text an int64 or a bool cast surely takes (19 digits and more may overflow: left as text)
_CONVERTIBLE = {"int": r"^\s*[+-]?[0-9]{1,18}\s*$", "bool": r"^\s*(?i:true|false|1|0)\s*$"}


def _convertible(column: pa.Array, spec: FactSpec) -> Any:
    """Rows whose cell casts to the fact's type (or is empty, or needs no cast)."""
    kind = spec.type.name
    every = np.ones(len(column), dtype=bool)
    if kind not in _VALUE_TYPES or not pa.types.is_string(column.type):
        return every
    if kind == "date":
        try:
            pc.cast(column, pa.date32())  # the usual case: every cell is a date
        except pa.ArrowException:
            pass
        else:
            return every
        # strptime rolls 2023-02-29 over to 1 March: a day is kept only if its day reads back
        text = pc.utf8_trim_whitespace(column)
        parsed = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
        day_text = pc.utf8_slice_codeunits(text, 8, 10)
        two_digits = pc.fill_null(
            pc.match_substring_regex(day_text, "^[0-9]{2}$"), fill_value=False
        )
        day = pc.cast(pc.if_else(two_digits, day_text, pa.scalar(None, pa.string())), pa.int64())
        same = pc.fill_null(pc.equal(pc.day(parsed), day), fill_value=False)
        whole = pc.fill_null(pc.equal(pc.utf8_length(text), 10), fill_value=False)
        ok = pc.or_(pc.and_(same, whole), pc.is_null(column))
    else:
        matched = pc.match_substring_regex(column, _CONVERTIBLE[kind])
        ok = pc.fill_null(matched, fill_value=True)
    return np.asarray(ok.to_numpy(zero_copy_only=False), dtype=bool)


def _typed_table(batch: pa.RecordBatch, specs: tuple[FactSpec, ...]) -> pa.Table:
    """The fact columns cast to their types (every cell is known to convert)."""
    columns: dict[str, pa.Array] = {}
    for spec in specs:
        column = _column(batch, spec.name)
        target = _VALUE_TYPES.get(spec.type.name)
        if target is not None and pa.types.is_string(column.type):
            column = pc.utf8_trim_whitespace(column)
            if target == pa.date32():
                column = pc.strptime(column, format="%Y-%m-%d", unit="s")
            elif target == pa.bool_():
                column = pc.utf8_lower(column)
            column = pc.cast(column, target)
        columns[spec.name] = column
    return pa.table(columns)


def _raw_frame(batch: pa.RecordBatch, specs: tuple[FactSpec, ...]) -> Any:
    """A few rows as a DataFrame of Python cells: what converts converted, the rest as text."""
    pd = importlib.import_module("pandas")
    cells: dict[str, Any] = {}
    for spec in specs:
        column = _column(batch, spec.name)
        values = column.to_pylist()
        if spec.type.name in _VALUE_TYPES and pa.types.is_string(column.type):
            ok = _convertible(column, spec)
            kept = pc.if_else(pa.array(ok), column, pa.scalar(None, pa.string()))
            only = pa.RecordBatch.from_arrays([kept], [spec.name])
            typed = _typed_table(only, (spec,)).column(0).to_pylist()
            values = [typed[i] if ok[i] else text for i, text in enumerate(values)]
        cells[spec.name] = pd.Series(values, dtype=object)
    return pd.DataFrame(cells)


class _Writer:
    """Appends result chunks to a CSV or Parquet file, with one schema for the whole file."""

    def __init__(
        self, path: str, kind: str, value_types: dict[str, pa.DataType], delimiter: str = ","
    ) -> None:
        self.path = path
        self.kind = kind
        self.delimiter = delimiter
        self.value_types = value_types
        self.schema: pa.Schema | None = None
        self.sink: Any = None

    def write(self, table: pa.Table) -> None:
        table = _plain(table)
        if self.kind == "csv":
            table = _flat_lists(table)
        if self.schema is None:
            self.schema = pa.schema(
                [
                    pa.field(f.name, self.value_types.get(f.name, pa.string()))
                    if _has_null(f.type)
                    else f
                    for f in table.schema
                ]
            )
            try:
                if self.kind == "parquet":
                    self.sink = pq.ParquetWriter(self.path, self.schema)
                else:
                    options = pacsv.WriteOptions(delimiter=self.delimiter)
                    self.sink = pacsv.CSVWriter(self.path, self.schema, write_options=options)
            except (OSError, pa.ArrowException) as exc:
                reason = getattr(exc, "strerror", None) or str(exc)
                target = self.path.removesuffix(".partial")
                raise FactError(f"cannot write output file {target}: {reason}") from None
        self.sink.write_table(table.select(self.schema.names).cast(self.schema))

    def close(self) -> None:
        if self.sink is not None:
            self.sink.close()


def _plain(table: pa.Table) -> pa.Table:
    """Dictionary columns (``outcome``) decoded: each chunk has its own dictionary."""
    for index, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            decoded = table.column(index).cast(field.type.value_type)
            table = table.set_column(index, field.name, decoded)
    return table


def _has_null(kind: pa.DataType) -> bool:
    """A type a chunk infers when a column is empty throughout (null, list of null)."""
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return _has_null(kind.value_type)
    return bool(pa.types.is_null(kind))


def _flat_lists(table: pa.Table) -> pa.Table:
    """List columns joined by ``;`` (CSV has no lists)."""
    for index, field in enumerate(table.schema):
        if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
            texts = table.column(index).cast(pa.list_(pa.string()))
            joined = pc.binary_join(texts, ";")
            table = table.set_column(index, field.name, joined)
    return table


def _as_table(result: Any) -> pa.Table:
    if isinstance(result, pa.Table):
        return result
    return pa.Table.from_pandas(result, preserve_index=False)


def value_types(ruleset: Ruleset, decision: str) -> dict[str, pa.DataType]:
    """Arrow types of the decision's values (for a chunk where a value is always empty)."""
    spec = ruleset.decision_spec(decision)
    found: dict[str, pa.DataType] = {}
    values = list(spec.values) + [v for rule in spec.rules for v in rule.values]
    for value in values:
        kind = a.type_of(value.expr)
        if kind.name in _VALUE_TYPES:
            found[value.name] = _VALUE_TYPES[kind.name]
        elif kind.name == "money":
            found[value.name] = pa.decimal128(20, 2)
        elif kind.is_list:
            found[value.name] = pa.list_(pa.string())
    found["missing"] = found["rules"] = pa.list_(pa.string())
    return found


def decide_file(
    ruleset: Ruleset,
    decision: str,
    source: str,
    target: str,
    *,
    as_of: date | None = None,
    chunk_size: int = 100_000,
    progress: Callable[[int], None] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Summary:
    """Decide every row of ``source`` into ``target`` (CSV or Parquet), chunk by chunk;
    ``delimiter`` separates the fields of CSV files (``;`` in many French exports),
    ``encoding`` is the input CSV's (``cp1252`` for many spreadsheet exports; the output is
    UTF-8)."""
    if chunk_size < 1:
        raise FactError(f"--chunk-size must be at least 1, not {chunk_size}", value=chunk_size)
    spec = ruleset.decision_spec(decision)
    specs = tuple(ruleset.facts[name] for name in spec.inputs)
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise FactError(f"--delimiter must be one character, not {delimiter!r}", value=delimiter)
    reader = _Reader(source, specs, chunk_size, delimiter, encoding)
    specs = tuple(spec for spec in specs if spec.name in reader.columns)
    partial = f"{target}.partial"
    types = value_types(ruleset, decision)
    writer = _Writer(partial, file_format(target, "output"), types, delimiter)
    outcomes: Counter[str] = Counter()
    rows = invalid = 0
    try:
        for batch in reader:
            result = decide_chunk(ruleset, decision, batch, specs, as_of)
            answers = result
            # an input column named like an answer (a previous run's output) is replaced
            stale = [n for n in batch.schema.names if n in answers.column_names]
            merged = pa.Table.from_batches([batch]).drop_columns(stale)
            for name in answers.column_names:
                merged = merged.append_column(name, answers.column(name))
            writer.write(merged)
            valid = pc.is_null(answers.column("error"))
            invalid += len(answers) - answers.column("error").null_count
            decided = pc.filter(answers.column("outcome"), valid)
            for entry in pc.value_counts(decided).to_pylist():
                if entry["values"] is not None:
                    outcomes[entry["values"]] += entry["counts"]
            rows += batch.num_rows
            if progress is not None:
                progress(batch.num_rows)
        if writer.sink is None:  # an input with a header and no row
            writer.write(_empty_answers(reader.columns, writer.value_types))
        writer.close()
        Path(partial).replace(target)
    except BaseException:
        writer.close()
        with contextlib.suppress(OSError):
            os.remove(partial)  # noqa: PTH107 (same as Path.unlink, in a cleanup path)
        raise
    return Summary(rows, dict(outcomes), invalid)


def _empty_answers(columns: list[str], types: dict[str, pa.DataType]) -> pa.Table:
    values = [n for n in types if n not in RESULT_COLUMNS]
    answers = ["outcome", *values, "missing", "rules", "error"]
    names = [*(c for c in columns if c not in answers), *answers]
    return pa.table({n: pa.array([], type=types.get(n, pa.string())) for n in names})
