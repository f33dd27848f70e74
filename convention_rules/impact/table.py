"""``diff`` over the columnar evaluator: a whole case table decided at once on each side.

Each side answers with ``decide_table`` (a version's compiled decision when the
side names one); the two answers are compared column by column (outcome, each
value, missing, error: not the trace), so only the rows that change become
Python objects. Rows are grouped by their ``as_of`` (one evaluator call per
day). The summary counts (old outcome, new outcome) pairs with pyarrow's
group-by.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from convention_rules.columnar.batch import decide_table
from convention_rules.deciding.decision import json_value
from convention_rules.impact.clauses import ClauseChange, Side
from convention_rules.impact.rows import Answer, Impact, RowChange
from convention_rules.law.legaltime import today_in_paris
from convention_rules.law.money import Money
from convention_rules.reading.model import FactSpec

__all__ = ["diff_table", "generate_table"]

_ANSWER = ("outcome", "missing", "error")


def _pa() -> Any:
    import pyarrow  # noqa: PLC0415 - an optional dependency, on use

    return pyarrow


def _side_answer(side: Side, decision: str, table: Any, day: date) -> Any:
    ruleset = side.ruleset
    if decision not in ruleset.decisions:
        pa = _pa()
        return pa.table({"outcome": pa.array(["no_such_decision"] * table.num_rows)})
    if side.version is None:
        return ruleset.decide_table(decision, table, as_of=day)
    compiled = ruleset._compiled[side.version][decision]  # that version's rules
    version = next(v for v in ruleset.versions if v.id == side.version)
    return decide_table(compiled, day, version, table, "mark")


def _comparable(column: Any) -> Any:
    """A column as plain values equality can compare: dictionaries decoded, lists joined."""
    pa = _pa()
    kind = column.type
    if pa.types.is_dictionary(kind):
        return column.cast(kind.value_type)
    if pa.types.is_list(kind):
        item = kind.value_type
        if pa.types.is_dictionary(item):
            column = column.cast(pa.list_(item.value_type))
        import pyarrow.compute as pc  # noqa: PLC0415

        return pc.binary_join(column.cast(pa.list_(pa.string())), "\x1f")
    return column


def _changed(old: Any, new: Any) -> Any:
    """Rows where the two answers differ in outcome, a value, missing facts or the error."""
    import pyarrow.compute as pc  # noqa: PLC0415

    names = [n for n in dict.fromkeys((*old.column_names, *new.column_names)) if n != "rules"]
    changed = np.zeros(old.num_rows, dtype=bool)
    for name in names:
        if name not in old.column_names or name not in new.column_names:
            present = (new if name in new.column_names else old).column(name)
            changed |= pc.is_valid(present).to_numpy(zero_copy_only=False)
            continue
        before, after = _comparable(old.column(name)), _comparable(new.column(name))
        if before.type != after.type:
            before, after = before.cast(_pa().string()), after.cast(_pa().string())
        equal = pc.equal(before, after)
        both_null = pc.and_(pc.is_null(before), pc.is_null(after))
        same = pc.or_(pc.fill_null(equal, fill_value=False), both_null)
        changed |= ~same.to_numpy(zero_copy_only=False)
    return changed


def _cell_json(value: Any) -> Any:
    """A cell of the evaluator's answer in the JSON form of ``Decision.values``."""
    if isinstance(value, Decimal):
        return json_value(Money.of(value))
    return json_value(value)


def _answer(row: Mapping[str, Any]) -> Answer:
    values = {
        name: _cell_json(value)
        for name, value in row.items()
        if name not in (*_ANSWER, "rules") and value is not None
    }
    if row.get("error"):
        return Answer("error", {"error": row["error"]}, ())
    return Answer(str(row["outcome"]), values, tuple(row.get("missing") or ()))


def diff_table(
    old: Side,
    new: Side,
    decision: str,
    table: Any,
    *,
    as_of: date | None = None,
    clauses: tuple[ClauseChange, ...] = (),
    keep: int | None = None,
) -> Impact:
    """Decide a pyarrow table on both sides; keep (up to ``keep``) the rows that change.

    An ``as_of`` column (dates) gives each row its day; otherwise ``as_of`` (default: today in
    Paris). ``Impact.changed`` counts every changed row, ``Impact.rows`` holds the first ``keep``.
    """
    pa = _pa()
    import pyarrow.compute as pc  # noqa: PLC0415

    n = table.num_rows
    groups: list[tuple[date, Any]] = []
    if "as_of" in table.column_names:
        days = table.column("as_of")
        facts_table = table.drop_columns(["as_of"])
        for day in pc.unique(days).to_pylist():
            rows = np.flatnonzero(pc.equal(days, day).to_numpy(zero_copy_only=False))
            groups.append((day, rows))
    else:
        facts_table = table
        groups.append((as_of or today_in_paris(), np.arange(n)))
    changed_rows: list[RowChange] = []
    total_changed = 0
    pairs: dict[tuple[str, str], int] = {}
    for day, rows in groups:
        part = facts_table if len(groups) == 1 else facts_table.take(pa.array(rows))
        before = _side_answer(old, decision, part, day)
        after = _side_answer(new, decision, part, day)
        outcomes = pa.table(
            {
                "old": _comparable(before.column("outcome")).fill_null("error"),
                "new": _comparable(after.column("outcome")).fill_null("error"),
            }
        )
        for record in outcomes.group_by(["old", "new"]).aggregate([([], "count_all")]).to_pylist():
            key = (record["old"], record["new"])
            pairs[key] = pairs.get(key, 0) + record["count_all"]
        moved = np.flatnonzero(_changed(before, after))
        total_changed += moved.size
        room = moved if keep is None else moved[: max(keep - len(changed_rows), 0)]
        if room.size:
            index = pa.array(room)
            facts = part.take(index).to_pylist()
            olds, news = before.take(index).to_pylist(), after.take(index).to_pylist()
            for at, fact_row, old_row, new_row in zip(
                room.tolist(), facts, olds, news, strict=True
            ):
                shown = {k: v for k, v in fact_row.items() if v is not None}
                changed_rows.append(
                    RowChange(int(rows[at]) + 1, shown, _answer(old_row), _answer(new_row))
                )
    changed_rows.sort(key=lambda change: change.row)
    return Impact(tuple(clauses), tuple(changed_rows), pairs, n, total_changed)


def generate_table(
    facts: Mapping[str, FactSpec], inputs: tuple[str, ...], count: int, as_of: date, seed: int = 0
) -> Any:
    """``count`` random rows as a pyarrow table (the distribution of ``generate_rows``)."""
    pa = _pa()
    rng = np.random.default_rng(seed)
    columns: dict[str, Any] = {}
    for name in inputs:
        spec = facts[name]
        absent = rng.random(count) < (1 / 3 if spec.optional else 0.1)
        kind = spec.type
        if kind.name == "bool":
            columns[name] = pa.array(rng.random(count) < 0.5, mask=absent)
        elif kind.name == "int":
            low = spec.minimum if spec.minimum is not None else 0
            high = spec.maximum if spec.maximum is not None else low + 20
            columns[name] = pa.array(rng.integers(low, high + 1, count), mask=absent)
        elif kind.name == "date":
            offsets = rng.integers(-800, 801, count)
            epoch = (as_of - date(1970, 1, 1)).days
            days = pa.array(epoch + offsets, type=pa.int32(), mask=absent)
            columns[name] = days.cast(pa.date32())
        elif kind.name == "money":
            cents = rng.integers(0, 2_000_001, count)
            euros = np.char.mod("%d", cents // 100)
            text = np.char.add(
                np.char.add(euros, "."), np.char.zfill(np.char.mod("%d", cents % 100), 2)
            )
            columns[name] = pa.array(text.astype(object), mask=absent)
        elif kind.is_enum and kind.values:
            codes = rng.integers(0, len(kind.values), count)
            words = np.array(kind.values, dtype=object)[codes]
            columns[name] = pa.array(words, mask=absent)
    return pa.table(columns)
