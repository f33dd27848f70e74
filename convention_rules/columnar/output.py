"""The answer of a batch as a pyarrow Table, built from column masks and codes.

Outcomes become a dictionary column; dates ``date32``; money
``decimal128(20, 2)`` (exact: Decimal values); enum values dictionary
columns; ``missing``, ``rules`` and a checks decision's problems list
columns built from bit masks, one Python step per distinct mask. Rows
answered one by one (the ``fixes``) are written over their row first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np

from convention_rules.columnar.column import LISTS, WORDS, Array, distinct, period_of
from convention_rules.columnar.evaluator import encode
from convention_rules.columnar.tables import _pa
from convention_rules.language.datatypes import Type
from convention_rules.law.legaltime import Period
from convention_rules.law.money import Money, Rate

if TYPE_CHECKING:
    from convention_rules.deciding.decision import Decision

_EPOCH: Final = 719163
UNDETERMINED: Final = "undetermined"


@attrs.define
class Answer:
    """Every row's answer as arrays (values: encoded values and a mask of the rows with one)."""

    outcomes: tuple[str, ...]
    outcome: Array
    determined: Array
    otherwise: str | None
    fell_through: Array
    values: dict[str, tuple[Array, Array]]
    value_types: dict[str, Type]
    missing: Array
    inputs: tuple[str, ...]
    winners: Array
    rules: tuple[str, ...]
    problems_value: str | None
    problems: tuple[tuple[str, ...], ...]


def build_answer(answer: Answer, n: int, fixes: dict[int, Decision | str]) -> Any:
    pa = _pa()
    names = [*answer.outcomes]
    for extra in (answer.otherwise, UNDETERMINED):
        if extra is not None and extra not in names:
            names.append(extra)
    index = {name: i for i, name in enumerate(names)}
    codes = np.where(answer.determined, answer.outcome, index[UNDETERMINED])
    if answer.otherwise is not None:
        codes = np.where(answer.fell_through, index[answer.otherwise], codes)
    codes = codes.astype(np.int32)
    values = {name: (np.array(v), np.array(p)) for name, (v, p) in answer.values.items()}
    missing, winners = answer.missing.copy(), answer.winners.copy()
    errors = np.full(n, None, dtype=object)
    failed = np.zeros(n, dtype=bool)
    has_problems = answer.determined.copy()
    rule_bits = {rule: i for i, rule in enumerate(answer.rules)}
    input_bits = {name: i for i, name in enumerate(answer.inputs)}
    for row, fix in fixes.items():
        if isinstance(fix, str):
            errors[row], failed[row] = fix, True
            continue
        if fix.outcome not in index:
            index[fix.outcome] = len(names)
            names.append(fix.outcome)
        codes[row] = index[fix.outcome]
        has_problems[row] = answer.problems_value in fix.values
        missing[row] = sum(1 << input_bits[name] for name in fix.missing)
        winners[row] = sum(
            1 << rule_bits[e.rule]
            for e in fix.trace
            if e.overridden_by is None and e.rule in rule_bits
        )
        for name, (encoded, present) in values.items():
            present[row] = name in fix.values
            if name in fix.values:
                encoded[row] = encode(fix.values[name], answer.value_types[name])
    columns: dict[str, Any] = {
        "outcome": pa.DictionaryArray.from_arrays(
            pa.array(codes, mask=failed), pa.array(names, pa.string())
        )
    }
    for name, (encoded, present) in values.items():
        if name != answer.problems_value:
            columns[name] = _value_array(encoded, present & ~failed, answer.value_types[name])
    if answer.problems_value is not None:

        def problems(mask: int) -> list[str]:
            listed: list[str] = []
            for bit, found in enumerate(answer.problems):
                if mask >> bit & 1:
                    listed.extend(p for p in found if p not in listed)
            return listed

        columns[answer.problems_value] = mask_lists(winners, problems, has_problems & ~failed)
    columns["missing"] = mask_lists(
        missing, lambda m: [name for i, name in enumerate(answer.inputs) if m >> i & 1], ~failed
    )
    columns["rules"] = mask_lists(
        winners, lambda m: [rule for i, rule in enumerate(answer.rules) if m >> i & 1], ~failed
    )
    columns["error"] = pa.array(errors, pa.string())
    return pa.table(columns)


def mask_lists(masks: Array, listing: Any, present: Array) -> Any:
    """A list<string> column: each row's bit mask listed, one call per distinct mask."""
    pa = _pa()
    uniques, inverse = distinct(masks)
    lists = [listing(int(m)) for m in uniques.tolist()]
    names = sorted({item for x in lists for item in x})
    code = {name: i for i, name in enumerate(names)}
    width = max((len(x) for x in lists), default=0)
    padded = np.zeros((len(lists), max(width, 1)), dtype=np.int32)
    for i, items in enumerate(lists):
        padded[i, : len(items)] = [code[item] for item in items]
    lengths_u = np.array([len(x) for x in lists], dtype=np.int64)
    lengths = lengths_u[inverse]
    lengths[~present] = 0
    offsets = np.zeros(masks.size + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    # each row's items, row after row: one gather per position and a compress
    cells = np.empty((masks.size, width), dtype=np.int32)
    keep = np.empty((masks.size, width), dtype=bool)
    for j in range(width):
        cells[:, j] = padded[:, j][inverse]
        keep[:, j] = lengths > j
    flat_codes = cells[keep]
    # items as codes into the distinct names (no copy of the strings)
    flat = pa.DictionaryArray.from_arrays(pa.array(flat_codes), pa.array(names, pa.string()))
    mask = pa.array(~present) if not present.all() else None
    return pa.ListArray.from_arrays(pa.array(offsets), flat, mask=mask)


def _value_array(encoded: Array, present: Array, kind: Type) -> Any:
    pa = _pa()
    mask = ~present
    name = "enum" if kind.is_enum else kind.name
    if name == "date":
        days = np.where(present, encoded - _EPOCH, 0).astype(np.int32)
        validity = pa.py_buffer(np.packbits(present, bitorder="little")) if mask.any() else None
        return pa.Array.from_buffers(
            pa.date32(), days.size, [validity, pa.py_buffer(days)], int(mask.sum())
        )
    if name == "money":
        return cents_to_decimal(np.where(present, encoded, 0).astype(np.int64), mask)
    if name == "bool":
        return pa.array(encoded.astype(bool), pa.bool_(), mask=mask)
    if name == "int":
        return pa.array(encoded.astype(np.int64), pa.int64(), mask=mask)
    if name in ("enum", "text"):
        codes = np.where(present, encoded, 0).astype(np.int32)
        return pa.DictionaryArray.from_arrays(
            pa.array(codes, mask=mask), pa.array(WORDS, pa.string())
        )
    if name == "period":
        uniques, inverse = np.unique(np.where(present, encoded, 0), return_inverse=True)
        words = pa.array([str(period_of(int(u))) for u in uniques.tolist()], pa.string())
        return words.take(pa.array(inverse.ravel(), mask=mask))
    if name == "list":  # codes of distinct lists: each distinct list converted once
        assert kind.item is not None
        item_type = {
            "int": pa.int64(),
            "bool": pa.bool_(),
            "date": pa.date32(),
            "money": pa.decimal128(20, 2),
        }.get(kind.item.name, pa.string())
        codes = encoded.astype(np.int64)
        uniques, inverse = distinct(
            np.where(present, codes, codes[present][0] if present.any() else 0)
        )
        lists = pa.array(
            [[_plain(item) for item in LISTS[int(u)]] for u in uniques.tolist()]
            if present.any()
            else [],
            pa.list_(item_type),
        )
        if not present.any():
            return pa.nulls(encoded.size, lists.type)
        return lists.take(pa.array(inverse, mask=mask))
    cells = [c if p else None for c, p in zip(encoded.tolist(), present.tolist(), strict=True)]
    # rates (objects): as text
    return pa.array([None if c is None else str(c) for c in cells], pa.string())


def _plain(item: Any) -> Any:
    if isinstance(item, Money):
        return item.amount
    if isinstance(item, Period | Rate):
        return str(item)
    return item


def cents_to_decimal(cents: Array, mask: Array) -> Any:
    """int64 cents as an exact ``decimal128(20, 2)`` array (two's complement words)."""
    pa = _pa()
    words = np.empty((cents.size, 2), dtype=np.int64)
    words[:, 0] = cents
    words[:, 1] = np.where(cents < 0, -1, 0)
    validity = pa.py_buffer(np.packbits(~mask, bitorder="little")) if mask.any() else None
    return pa.Array.from_buffers(
        pa.decimal128(20, 2), cents.size, [validity, pa.py_buffer(words)], int(mask.sum())
    )
