"""Synthetic cohorts: tables of facts for a decision, aimed at its boundaries.

``cohort(ruleset, decision, rows, seed=...)`` draws ``rows`` fact records from the
decision's fact specs (types, enum words, ``min``/``max``) with a seeded numpy
``Generator``: the same seed gives the same table. A share of the rows
(``boundary``) is aimed at the thresholds of the decision's conditions
(``tools/thresholds.py``): the day before, of and after each compared date, both
sides of a date relation (``training_entry`` one day either side of
``initial_education_end + 2 years``), 29 February, each compared int and amount
and its neighbours, and tie cents (amounts whose percentage ends in half a cent).
A share of cells is left missing (``missing``) and a share is invalid
(``invalid``: a date that does not exist, an int under its minimum, a float amount,
an unknown enum word), as analysts' files have them.

The notebooks, the benchmarks and the tests share it. A cohort converts to a
mapping of columns (Python values), a pandas, polars or pyarrow table, or records
for ``decide_many``. Needs numpy (the ``batch`` extra); pandas, polars and pyarrow
only for their own conversions.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from convention_rules.deciding.ruleset import Ruleset
from convention_rules.language import syntax as a
from convention_rules.law.bounds import FIRST_DAY, LAST_DAY
from convention_rules.reading.model import FactSpec
from convention_rules.tools.aiming import (
    MIRROR,
    ORDERING,
    IntArray,
    MoneyTerms,
    add_period_days,
    day_number,
    holds,
    leap_days,
    tie_residue,
)
from convention_rules.tools.thresholds import AffineDate, Relation, Thresholds, thresholds

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

__all__ = ["Cohort", "add_period_days", "cohort", "day_number"]

#: cell states
VALID, MISSING, INVALID = 0, 1, 2
#: where dates fall when no threshold says otherwise
DEFAULT_FIRST, DEFAULT_LAST = date(2015, 1, 1), date(2030, 12, 31)
#: how far around the thresholds random dates spread
MARGIN_DAYS = 3 * 366
MAX_CENTS = 2_000_000_00


@attrs.frozen(eq=False)
class Cohort:
    """A synthetic table of facts for one decision.

    ``values[name]`` holds each fact's cells as numbers (bool; int; date as a day
    number; money as integer cents; enum as the index of its word), ``states[name]``
    says whether a cell is valid (0), missing (1) or invalid (2), and ``bad[name]``
    holds the raw invalid cells (an object array) for the facts that have some.
    """

    ruleset: str
    decision: str
    specs: tuple[FactSpec, ...]
    values: Mapping[str, npt.NDArray[Any]]
    states: Mapping[str, npt.NDArray[np.int8]]
    bad: Mapping[str, npt.NDArray[np.object_]]
    thresholds: Thresholds = attrs.field(repr=False)
    size: int = 0  # the number of rows (a decision that reads no fact has no column)

    def __len__(self) -> int:
        return self.size

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.specs)

    @property
    def invalid_rows(self) -> npt.NDArray[np.bool_]:
        """Rows with at least one invalid cell."""
        flags = np.zeros(len(self), dtype=bool)
        for state in self.states.values():
            flags |= state == INVALID
        return flags

    def missing_share(self, name: str) -> float:
        return float(np.mean(self.states[name] == MISSING))

    def _python(self, spec: FactSpec) -> npt.NDArray[np.object_]:
        """One column as Python values: ``date``, ``bool``, ``int``, euros as text, words."""
        raw = self.values[spec.name]
        kind = spec.type
        cells: npt.NDArray[np.object_]
        if kind.name == "date":
            cells = raw.astype("datetime64[D]").astype(object)
        elif kind.name == "money":
            cells = np.array([f"{c // 100}.{c % 100:02d}" for c in raw.tolist()], dtype=object)
        elif kind.is_enum:
            assert kind.values is not None
            cells = np.array(kind.values, dtype=object)[raw]
        else:
            cells = raw.astype(object)
        return self._with_states(spec.name, cells)

    def _with_states(self, name: str, cells: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
        state = self.states[name]
        cells[state == MISSING] = None
        if name in self.bad:
            where = state == INVALID
            cells[where] = self.bad[name][where]
        return cells

    def to_columns(self) -> dict[str, list[Any]]:
        """A mapping of column name to cells (``None`` where missing), for ``decide_table``."""
        return {spec.name: self._python(spec).tolist() for spec in self.specs}

    def to_records(self) -> list[dict[str, Any]]:
        """One fact record a row, missing facts left out (for ``decide`` / ``decide_many``)."""
        columns = self.to_columns()
        names = list(columns)
        return [
            {n: v for n, v in zip(names, row, strict=True) if v is not None}
            for row in zip(*columns.values(), strict=True)
        ]

    def to_pandas(self) -> Any:
        """A DataFrame as ``pandas.read_csv(..., parse_dates=...)`` gives it: dates as
        ``datetime64`` with ``NaT``, ints with gaps as floats with ``NaN``, bools as
        pandas' nullable ``boolean`` (``pd.NA``), words as objects with ``None``, euros
        as text. A column with invalid cells
        keeps them as objects."""
        pd = importlib.import_module("pandas")  # optional, and untyped for mypy here

        data: dict[str, Any] = {}
        for spec in self.specs:
            state = self.states[spec.name]
            raw = self.values[spec.name]
            if spec.name in self.bad:
                data[spec.name] = pd.Series(self._python(spec), dtype=object)
            elif spec.type.name == "date":
                cells = raw.astype("datetime64[D]").astype("datetime64[ns]")
                cells[state == MISSING] = np.datetime64("NaT")
                data[spec.name] = cells
            elif spec.type.name == "int" and (state == MISSING).any():
                data[spec.name] = np.where(state == MISSING, np.nan, raw.astype(np.float64))
            elif spec.type.name == "int":
                data[spec.name] = raw
            elif spec.type.name == "bool":
                data[spec.name] = pd.array(raw, dtype="boolean")
                data[spec.name][state == MISSING] = pd.NA
            else:
                data[spec.name] = pd.Series(self._python(spec), dtype=object)
        return pd.DataFrame(data)

    def to_arrow(self) -> pa.Table:
        """A pyarrow Table: ``date32``, ``bool``, ``int64``, euros and words as text, nulls
        where missing. A column with invalid cells is text, as a CSV file holds it: for a
        file that ``decide-batch`` reads (it types text cells per fact). ``decide_table``
        itself reads text dates and amounts, but a text bool or int is an invalid cell, as
        in a single decision: give it :meth:`to_pandas` or :meth:`to_columns` instead."""
        import pyarrow as pa  # noqa: PLC0415 (optional dependency)

        arrays: dict[str, pa.Array] = {}
        for spec in self.specs:
            state = self.states[spec.name]
            mask = state == MISSING
            raw = self.values[spec.name]
            if spec.name in self.bad:
                arrays[spec.name] = pa.array(
                    [None if v is None else _text(v) for v in self._python(spec).tolist()],
                    type=pa.string(),
                )
            elif spec.type.name == "date":
                arrays[spec.name] = pa.array(raw.astype(np.int32), type=pa.date32(), mask=mask)
            elif spec.type.name in ("int", "bool"):
                arrays[spec.name] = pa.array(raw, mask=mask)
            else:
                arrays[spec.name] = pa.array(self._python(spec).tolist(), type=pa.string())
        return pa.table(arrays)

    def to_polars(self) -> Any:
        """A polars DataFrame (from :meth:`to_arrow`)."""
        polars = importlib.import_module("polars")  # optional, and untyped for mypy here
        return polars.from_arrow(self.to_arrow())


def _constant_value(ruleset: Ruleset, name: str, as_of: date | None) -> object:
    constant = ruleset.spec.constants.get(name)
    if constant is None:
        return None
    return constant.value_at(as_of) if as_of is not None else constant.values[-1][1]


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if isinstance(value, date) else str(value)


def cohort(
    ruleset: Ruleset,
    decision: str,
    rows: int,
    *,
    seed: int = 0,
    missing: float = 0.05,
    invalid: float = 0.0,
    boundary: float = 0.3,
    as_of: date | None = None,
) -> Cohort:
    """A synthetic table of ``rows`` fact records for ``decision``.

    ``missing`` and ``invalid`` are the shares of cells left empty and made
    invalid (per fact, independently); ``boundary`` the share of rows aimed at the
    decision's thresholds; ``as_of`` the day of the question, when conditions
    compare a fact with it. Deterministic for a given ``seed``.
    """
    for name, share in (("missing", missing), ("invalid", invalid), ("boundary", boundary)):
        if not 0.0 <= share <= 1.0:
            msg = f"cohort(): {name} must be a share between 0 and 1, not {share!r}"
            raise ValueError(msg)
    if rows < 0:
        msg = f"cohort(): rows must be >= 0, not {rows!r}"
        raise ValueError(msg)
    spec = ruleset.decision_spec(decision)
    specs = tuple(ruleset.facts[name] for name in spec.inputs)
    found = thresholds(ruleset, decision)
    rng = np.random.default_rng(seed)
    drawer = _Drawer(rng, rows, found, as_of)
    values = {s.name: drawer.draw(s) for s in specs}
    aimed = rng.random(rows) < boundary
    for s in specs:
        drawer.aim(s, values, aimed)
    for relation in found.relations:
        drawer.relate(relation, values, aimed & (rng.random(rows) < 0.5), specs)
    money = MoneyTerms(ruleset.spec.derived, lambda name: _constant_value(ruleset, name, as_of))
    for target in found.money_targets:
        drawer.solve(money, target, values, aimed & (rng.random(rows) < 0.5), specs)
    for relation in found.required:
        drawer.require(relation, values)
    by_name = {s.name: s for s in specs}
    for left, op, right in found.required_ints:
        drawer.order(by_name, left, op, right, values)
    for s in specs:  # the days the library takes (law/bounds.py); clipping keeps <= and >=
        if s.type.name == "date":
            values[s.name] = np.clip(values[s.name], day_number(FIRST_DAY), day_number(LAST_DAY))
    states: dict[str, npt.NDArray[np.int8]] = {}
    bad: dict[str, npt.NDArray[np.object_]] = {}
    for s in specs:
        state = np.zeros(rows, dtype=np.int8)
        state[rng.random(rows) < missing] = MISSING
        broken = (rng.random(rows) < invalid) & (state == VALID)
        if broken.any():
            state[broken] = INVALID
            bad[s.name] = _invalid_cells(rng, s, broken)
        states[s.name] = state
    return Cohort(
        ruleset=ruleset.id,
        decision=decision,
        specs=specs,
        values=values,
        states=states,
        bad=bad,
        thresholds=found,
        size=rows,
    )


class _Drawer:
    def __init__(
        self, rng: np.random.Generator, rows: int, found: Thresholds, as_of: date | None
    ) -> None:
        self.rng = rng
        self.rows = rows
        self.found = found
        self.as_of = as_of
        days = [d for d in found.by_type["date"] if isinstance(d, date)]
        days += [d for v in found.by_fact.values() for d in v if isinstance(d, date)]
        if as_of is not None:
            days.append(as_of)
        first = min(days, default=DEFAULT_FIRST)
        last = max(days, default=DEFAULT_LAST)
        self.first_day = min(day_number(first) - MARGIN_DAYS, day_number(DEFAULT_FIRST))
        self.last_day = max(day_number(last) + MARGIN_DAYS, day_number(DEFAULT_LAST))

    def draw(self, spec: FactSpec) -> npt.NDArray[Any]:
        rng, rows, kind = self.rng, self.rows, spec.type
        if kind.name == "bool":
            return rng.random(rows) < 0.75
        if kind.is_enum:
            assert kind.values is not None
            return rng.integers(0, len(kind.values), rows)
        if kind.name == "date":
            return rng.integers(self.first_day, self.last_day + 1, rows)
        if kind.name == "int":
            low, high = self._int_range(spec)
            return rng.integers(low, high + 1, rows)
        if kind.name == "money":
            ceiling = max([c for c in self._candidates(spec) if isinstance(c, int)] + [2_000_000])
            ceiling *= 2
            cents = np.exp(rng.uniform(np.log(100), np.log(min(ceiling, MAX_CENTS)), rows))
            return cents.astype(np.int64)
        msg = f"cohort(): no generator for facts of type {kind}"
        raise NotImplementedError(msg)

    def _int_range(self, spec: FactSpec) -> tuple[int, int]:
        compared = [v for v in self._candidates(spec) if isinstance(v, int)]
        low = spec.minimum if spec.minimum is not None else min([0, *compared])
        high = spec.maximum if spec.maximum is not None else max([low + 30, *compared]) * 2
        return low, max(low, high)

    def _candidates(self, spec: FactSpec) -> frozenset[int | date]:
        own = self.found.by_fact.get(spec.name)
        return own if own else self.found.by_type.get(spec.type.name, frozenset())

    def aim(self, spec: FactSpec, values: dict[str, npt.NDArray[Any]], aimed: Any) -> None:
        """Move the aimed rows of one fact onto its thresholds (and their neighbours)."""
        rng, count = self.rng, int(aimed.sum())
        kind = spec.type.name
        if count == 0 or kind not in ("int", "date", "money"):
            return
        points = sorted(
            day_number(v) if isinstance(v, date) else int(v) for v in self._candidates(spec)
        )
        chosen: IntArray
        if kind == "date":
            chosen = values[spec.name][aimed]
            leap = rng.random(count) < 0.3  # 29 February, whatever else is compared
            chosen[leap] = leap_days(rng, int(leap.sum()))
            if points:
                near = np.array(points)[rng.integers(0, len(points), count)]
                near += rng.integers(-1, 2, count)
                chosen = np.where(rng.random(count) < 0.6, near, chosen)
        elif kind == "money":
            chosen = self._tie_cents(count)
            if points:
                near = np.array(points)[rng.integers(0, len(points), count)]
                near += rng.integers(-1, 2, count)
                chosen = np.where(rng.random(count) < 0.5, near, chosen)
        else:
            if not points:
                return
            chosen = np.array(points)[rng.integers(0, len(points), count)]
            chosen += rng.integers(-1, 2, count)
            low = spec.minimum if spec.minimum is not None else np.iinfo(np.int64).min
            high = spec.maximum if spec.maximum is not None else np.iinfo(np.int64).max
            chosen = np.clip(chosen, low, high)
        column = values[spec.name]
        column[aimed] = np.maximum(chosen, 0) if kind == "money" else chosen

    def _tie_cents(self, count: int) -> IntArray:
        """Amounts whose share at a rate of the decision ends in exactly half a cent."""
        rates = sorted(self.found.rates) or [Fraction(1, 2)]
        rate = [rates[i] for i in self.rng.integers(0, len(rates), count)]
        base = self.rng.integers(100, 5_000_00, count)
        tied = []
        for r, start in zip(rate, base.tolist(), strict=True):
            tie = tie_residue(r)
            if tie is None:
                tied.append(start)
            else:
                residue, modulus = tie
                tied.append(start - start % modulus + residue)
        return np.array(tied, dtype=np.int64)

    def relate(
        self,
        relation: Relation,
        values: dict[str, npt.NDArray[Any]],
        rows: Any,
        specs: tuple[FactSpec, ...],
    ) -> None:
        """Set one side's fact so both sides of ``relation`` are a day apart or equal."""
        names = {s.name for s in specs}
        count = int(rows.sum())
        if count == 0:
            return
        sides = sorted(
            [(relation.right, relation.left), (relation.left, relation.right)],
            key=lambda pair: len(pair[0].offsets),  # set the plain side from the shifted one
        )
        for target, source in sides:
            fact = target.fact
            if fact is None or fact not in names or source.fact == fact:
                continue
            origin = self._origin(source, values, rows, count)
            if origin is None:
                continue
            level = origin
            for sign, period in source.offsets:
                level = add_period_days(level, sign, period)
            for sign, period in reversed(target.offsets):
                level = add_period_days(level, -sign, period)
            values[fact][rows] = level + self.rng.integers(-1, 2, count)
            return

    def solve(
        self,
        money: MoneyTerms,
        target: tuple[a.Node, str, int],
        values: dict[str, npt.NDArray[Any]],
        rows: Any,
        specs: tuple[FactSpec, ...],
    ) -> None:
        """Set one money fact of ``expression`` so that it lands a cent below, on or above
        the amount it is compared with (``final_result`` = -0.01, 0.00, 0.01 EUR)."""
        expression, _, cents = target
        money_facts = [s.name for s in specs if s.type.name == "money"]
        for fact in money_facts:
            sign = money.sign_of(expression, fact)
            if not sign or not rows.any():
                continue
            columns = {n: values[n][rows] for n in money_facts}
            columns[fact] = np.zeros(int(rows.sum()), dtype=np.int64)
            rest = money.evaluate(expression, columns)
            if rest is None:
                return
            solved = sign * (cents - rest) + sign * self.rng.integers(-1, 2, len(rest))
            chosen = values[fact][rows]
            usable = solved >= 0  # amounts are drawn non-negative
            chosen[usable] = solved[usable]
            values[fact][rows] = chosen
            return

    def require(self, relation: Relation, values: dict[str, npt.NDArray[Any]]) -> None:
        """Make every row satisfy a relation a cross-fact constraint requires (``end >=
        start``): a row that breaks it gets the plain side moved a few days past the other."""
        target, source = relation.left, relation.right
        op = relation.op
        if target.offsets or target.fact not in values:
            target, source = source, target
            op = MIRROR.get(op, op)
        fact = target.fact
        if target.offsets or fact is None or fact not in values or op not in ORDERING:
            return
        level = self._level(source, values)
        if level is None:
            return
        held = holds(op, values[fact], level)
        broken = ~held
        count = int(broken.sum())
        if count == 0:
            return
        strict = 1 if op in ("<", ">") else 0
        gap = self.rng.integers(strict, 60, count)
        direction = 1 if op in (">", ">=") else -1
        values[fact][broken] = level[broken] + direction * gap

    def order(
        self,
        specs: Mapping[str, FactSpec],
        left: str,
        op: str,
        right: str,
        values: dict[str, npt.NDArray[Any]],
    ) -> None:
        """Make every row satisfy a constraint between two int facts (``paid <= long``):
        a row that breaks it gets the smaller side drawn again within its range, below
        the larger (or, when its range leaves no room, the larger raised to it)."""
        if op in (">", ">="):
            left, right, op = right, left, MIRROR[op]
        if op not in ("<", "<=") or left not in values or right not in values:
            return
        small, big = values[left], values[right]
        strict = 1 if op == "<" else 0
        broken = ~holds(op, small, big)
        if not broken.any():
            return
        low, _ = self._int_range(specs[left])
        ceiling = big[broken] - strict
        room = ceiling >= low
        drawn = self.rng.integers(low, np.maximum(ceiling, low) + 1)
        small[broken] = np.where(room, drawn, small[broken])
        big[broken] = np.where(room, big[broken], small[broken] + strict)

    def _level(self, side: AffineDate, values: dict[str, npt.NDArray[Any]]) -> IntArray | None:
        kind, name = side.base
        level: IntArray
        if kind == "day":
            level = np.full(self.rows, day_number(date.fromisoformat(name)), dtype=np.int64)
        elif kind == "as_of" and self.as_of is not None:
            level = np.full(self.rows, day_number(self.as_of), dtype=np.int64)
        elif kind == "fact" and name in values:
            level = values[name].astype(np.int64)
        else:
            return None
        for sign, period in side.offsets:
            level = add_period_days(level, sign, period)
        return level

    def _origin(
        self, side: AffineDate, values: dict[str, npt.NDArray[Any]], rows: Any, count: int
    ) -> IntArray | None:
        kind, name = side.base
        if kind == "day":
            return np.full(count, day_number(date.fromisoformat(name)), dtype=np.int64)
        if kind == "as_of":
            if self.as_of is None:
                return None
            return np.full(count, day_number(self.as_of), dtype=np.int64)
        if name not in values:
            return None
        origin: IntArray = values[name][rows]
        leap = self.rng.random(count) < 0.25  # 29 February under a yearly period
        origin[leap] = leap_days(self.rng, int(leap.sum()))
        values[name][rows] = origin
        return origin


def _invalid_cells(
    rng: np.random.Generator, spec: FactSpec, where: npt.NDArray[np.bool_]
) -> npt.NDArray[np.object_]:
    """Raw invalid cells for ``spec`` (only the ``where`` rows are read)."""
    kind = spec.type
    choices: list[object]
    if kind.name == "date":
        choices = ["2023-02-29", "31/12/2024", "not a date"]
    elif kind.name == "int":
        below = [spec.minimum - 1] if spec.minimum is not None else []
        above = [spec.maximum + 1] if spec.maximum is not None else []
        choices = [*below, *above, "twelve"] if below or above else ["twelve", "1.5"]
    elif kind.name == "money":
        choices = [12.5, "12.345", "douze euros"]
    elif kind.is_enum:
        choices = ["unknown_word"]
    else:
        choices = ["maybe"]
    cells = np.empty(len(where), dtype=object)
    picks = rng.integers(0, len(choices), int(where.sum()))
    cells[where] = [choices[i] for i in picks.tolist()]
    return cells
