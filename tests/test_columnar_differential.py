"""decide_table equals decide, row by row, on every decision of every bundled ruleset.

Hypothesis draws whole tables: each cell a valid value aimed at the boundaries the
decision's typed AST holds (date literals and constants, a day before/on/after
another date fact plus each period the rules use, 29 February, as_of), tie cents,
int thresholds, missing cells in every form analysts have them (None, NaN, NaT,
pd.NA), and invalid cells. Each cell is drawn with the fact ``decide`` is given for
it, so the reference never goes through the batch path's own reading of cells.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convention_rules import ConventionRulesError, Ruleset, bundled_rulesets, load_ruleset
from convention_rules.columnar.batch import batch_for
from convention_rules.columnar.tables import Table
from convention_rules.deciding.decision import json_value
from convention_rules.language import syntax as a
from convention_rules.law.legaltime import Period, add_period
from convention_rules.law.money import Money

RULESETS = {name: load_ruleset(name) for name in bundled_rulesets()}
CASES = [(name, decision) for name, rs in RULESETS.items() for decision in rs.decisions]
MISSING = st.sampled_from([None, float("nan"), pd.NaT, pd.NA])


def _boundaries(rs: Ruleset, decision: str) -> dict[str, list[Any]]:
    """Dates, periods, ints and amounts the decision's expressions name."""
    found: dict[str, list[Any]] = {"date": [], "period": [], "int": [], "money": []}
    nodes: list[a.Node] = []
    for version in [None, *(v.first for v in rs.versions if v.first)]:
        spec = rs.decision_spec(decision, version)
        for rule in spec.rules:
            nodes.append(rule.when)
            nodes.extend(v.expr for v in rule.values)
        nodes.extend(v.expr for v in spec.values)
    nodes.extend(rs.spec.derived.values())
    for node in nodes:
        for sub in node.walk():
            if isinstance(sub, a.Literal):
                _add(found, sub.value)
    for constant in rs.spec.constants.values():
        for since, value in constant.values:
            _add(found, value)
            if since is not None:
                found["date"].append(since)
    for version in rs.versions:
        found["date"].extend(d for d in (version.first, version.last) if d is not None)
    return found


def _add(found: dict[str, list[Any]], value: Any) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, date):
        found["date"].append(value)
    elif isinstance(value, Period):
        found["period"].append(value)
    elif isinstance(value, int):
        found["int"].append(value)
    elif isinstance(value, Money):
        found["money"].append(value.cents)


BOUNDS = {case: _boundaries(RULESETS[case[0]], case[1]) for case in CASES}
LEAP_DAYS = [date(2020, 2, 29), date(2024, 2, 29), date(2024, 2, 28), date(2023, 2, 28)]


@st.composite
def a_date(draw: st.DrawFn, bounds: dict[str, list[Any]], drawn: list[date]) -> date:
    choice = draw(st.integers(0, 4))
    near = 0
    if choice == 0 and bounds["date"]:
        base = draw(st.sampled_from(bounds["date"]))
    elif choice == 1 and drawn:
        base = draw(st.sampled_from(drawn))
        if bounds["period"] and draw(st.booleans()):
            base = add_period(base, draw(st.sampled_from(bounds["period"])))
    elif choice == 2:
        base = draw(st.sampled_from(LEAP_DAYS))
    else:
        base = draw(st.dates(date(2015, 1, 1), date(2030, 12, 31)))
    near = draw(st.sampled_from([-1, 0, 0, 1]))
    return base + timedelta(days=near)


def a_date_cell(draw: st.DrawFn, day: date) -> tuple[Any, Any]:
    form = draw(st.integers(0, 3))
    if form == 0:
        return day, day.isoformat()
    if form == 1:
        return day.isoformat(), day.isoformat()
    if form == 2:
        return pd.Timestamp(day), day.isoformat()
    # a tz-aware timestamp late in the Paris evening: its date is the Paris one
    moment = pd.Timestamp(day.isoformat() + "T23:30:00", tz="Europe/Paris")
    return moment, moment.to_pydatetime()


@st.composite
def a_cell(
    draw: st.DrawFn, rs: Ruleset, name: str, bounds: dict[str, list[Any]], drawn: list[date]
) -> tuple[Any, Any]:
    """(the table's cell, the fact decide is given)."""
    spec = rs.facts[name]
    kind = spec.type
    roll = draw(st.integers(0, 19))
    if roll < 3:
        return draw(MISSING), None
    if roll == 3:  # an invalid cell
        bad = {
            "bool": ["yes", 1],
            "int": ["five", 2.5],
            "date": ["2024-02-30", "tomorrow"],
            "money": [12.5, "-1.00", "1,5"],
        }.get(kind.name, ["no-such-word"])
        if kind.name == "int" and spec.minimum is not None:
            bad.append(spec.minimum - 1)
        cell = draw(st.sampled_from(bad))
        return cell, cell
    if kind.name == "bool":
        value = draw(st.booleans())
        return value, value
    if kind.name == "int":
        low = spec.minimum if spec.minimum is not None else 0
        near = [n + d for n in bounds["int"] for d in (-1, 0, 1)]
        value = draw(st.sampled_from([n for n in near if n >= low] or [low]) | st.integers(low, 40))
        if spec.maximum is not None:
            value = min(value, spec.maximum)
        return (float(value) if draw(st.booleans()) else value), value
    if kind.name == "date":
        day = draw(a_date(bounds, drawn))
        drawn.append(day)
        return a_date_cell(draw, day)
    if kind.name == "money":
        near = [max(c + d, 0) for c in bounds["money"] for d in (-1, 0, 1)]
        cents = draw(
            st.sampled_from(near or [0])
            | st.integers(0, 5_000_000)
            | st.integers(0, 500_000).map(lambda c: 2 * c + 1)  # an odd cent: a tie in halves
        )
        text = f"{cents // 100}.{cents % 100:02d}"
        form = draw(st.integers(0, 2))
        cell: Any = text if form == 0 else Decimal(text) if form == 1 else cents // 100
        return cell, (text if form < 2 else cents // 100)
    assert kind.values is not None
    value = draw(st.sampled_from(kind.values))
    return value, value


@st.composite
def a_table(
    draw: st.DrawFn, case: tuple[str, str]
) -> tuple[dict[str, list[Any]], list[dict[str, Any]]]:
    rs = RULESETS[case[0]]
    inputs = rs.decision_spec(case[1]).inputs
    rows = draw(st.integers(1, 12))
    # an extra column (ignored): a decision may read no fact at all
    columns: dict[str, list[Any]] = {"case_id": list(range(rows))} | {name: [] for name in inputs}
    facts: list[dict[str, Any]] = []
    for _ in range(rows):
        drawn: list[date] = []
        row: dict[str, Any] = {}
        for name in inputs:
            cell, fact = draw(a_cell(rs, name, BOUNDS[case], drawn))
            columns[name].append(cell)
            if fact is not None:
                row[name] = fact
        facts.append(row)
    return columns, facts


def _as_kind(columns: dict[str, list[Any]], kind: str) -> Any:
    if kind == "mapping":
        return columns
    if kind in ("pyarrow", "polars"):
        table = pa.table({n: _arrow_column(v) for n, v in columns.items()})
        return table if kind == "pyarrow" else pl.from_arrow(table)
    frame = pd.DataFrame({n: pd.Series(v, dtype=object) for n, v in columns.items()})
    frame.index = [f"r{i}" for i in range(len(frame))]
    if kind == "pandas-typed":  # columns as read_csv(parse_dates=...) gives them, when it can
        for name in frame.columns:
            if _all_dates(columns[name]):
                frame[name] = pd.to_datetime(frame[name])
    return frame


def _arrow_column(cells: list[Any]) -> Any:
    """An Arrow column of the cells: typed when they share a type, else as text."""
    cells = [None if _missing(c) else c for c in cells]
    try:
        return pa.array(cells)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if c is None else str(c) for c in cells])


def _all_dates(cells: list[Any]) -> bool:
    return all(
        _missing(c) or (isinstance(c, pd.Timestamp) and c.tzinfo is None) for c in cells
    ) and any(isinstance(c, pd.Timestamp) for c in cells)


def _missing(cell: Any) -> bool:
    return (
        cell is None
        or cell is pd.NaT
        or cell is pd.NA
        or (isinstance(cell, float) and math.isnan(cell))
    )


def _rows(out: Any) -> list[dict[str, Any]]:
    if isinstance(out, pd.DataFrame):
        return pa.Table.from_pandas(out, preserve_index=False).to_pylist()
    if isinstance(out, pa.Table):
        return out.to_pylist()
    if isinstance(out, pl.DataFrame):
        return out.to_arrow().to_pylist()
    names = list(out)
    return [dict(zip(names, cells, strict=True)) for cells in zip(*out.values(), strict=True)]


def _json(cell: Any) -> Any:
    if isinstance(cell, Decimal):
        return format(cell, "f")
    if isinstance(cell, list):
        return [_json(c) for c in cell]
    return json_value(cell)


def _expected(rs: Ruleset, decision: str, facts: dict[str, Any], as_of: date) -> dict[str, Any]:
    try:
        d = rs.decide(decision, facts, as_of=as_of)
    except ConventionRulesError as exc:
        return {"error": str(exc).splitlines()[0], "fact": getattr(exc, "fact", None)}
    rules = rs.decision_spec(decision, as_of).rules
    cited = [e.rule for e in d.trace if e.overridden_by is None and e.rule != "otherwise"]
    # the winning rules: the passing checks a winner cites after it in the trace are not
    checked = {check.id for rule in rules if rule.id in cited for check in rule.checked}
    return {
        "outcome": d.outcome,
        "values": {name: json_value(v) for name, v in d.values.items()},
        "missing": list(d.missing),
        "rules": [rule for rule in cited if rule not in checked],
        "error": None,
    }


def _arrow_facts(
    rs: Ruleset, decision: str, table: Any, facts: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The facts of an Arrow table's rows: cells as Arrow holds them (timestamps with
    their zone, numbers as their column's type), taken as decide takes them."""
    arrow = table if isinstance(table, pa.Table) else table.to_arrow()
    out = []
    for i in range(len(facts)):
        fixed = {}
        for name in rs.decision_spec(decision).inputs:
            cell = arrow.column(name)[i].as_py()
            if cell is None:
                continue
            if isinstance(cell, datetime) and cell.tzinfo is None:
                cell = cell.date()
            if isinstance(cell, float) and cell.is_integer() and rs.facts[name].type.name == "int":
                cell = int(cell)
            fixed[name] = cell
        out.append(fixed)
    return out


def _check(case: tuple[str, str], table: Any, facts: list[dict[str, Any]], as_of: date) -> None:
    rs = RULESETS[case[0]]
    out = rs.decide_table(case[1], table, as_of=as_of)
    # the columns answer every valid row themselves (only invalid rows go one by one),
    # so these equalities test the columnar evaluator, not decide against itself
    compiled, day, _ = rs._compiled_at(case[1], as_of)
    _, one_by_one = batch_for(compiled).evaluate(Table(table), day)
    value_names = {
        v.name
        for version in [None, *(x.first for x in rs.versions if x.first)]
        for spec in [rs.decision_spec(case[1], version)]
        for v in (*spec.values, *(v for r in spec.rules for v in r.values))
    } | {rs.decision_spec(case[1]).problems_value or "error"}
    for i, (row, fact_row) in enumerate(zip(_rows(out), facts, strict=True)):
        expected = _expected(rs, case[1], fact_row, as_of)
        where = f"{case} row {i} facts {fact_row} as_of {as_of}"
        if expected["error"] is not None:
            assert row["error"] == expected["error"], where
            assert row["outcome"] is None, where
            if expected["fact"]:
                assert repr(expected["fact"]) in row["error"], where
            continue
        got_values = {
            name: _json(row[name])
            for name in sorted(value_names - {"error"})
            if row.get(name) is not None
        }
        assert row["error"] is None, where
        assert not one_by_one[i], where
        assert row["outcome"] == expected["outcome"], where
        assert got_values == expected["values"], where
        assert row["missing"] == expected["missing"], where
        assert row["rules"] == expected["rules"], where


AS_OF = st.sampled_from(
    [date(2022, 9, 1), date(2024, 2, 29), date(2025, 1, 1), date(2026, 8, 31), date(2026, 9, 1)]
)


@pytest.mark.parametrize("case", CASES, ids=[f"{r}/{d}" for r, d in CASES])
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_decide_table_equals_decide_on_every_row(
    case: tuple[str, str], data: st.DataObject
) -> None:
    columns, facts = data.draw(a_table(case))
    kind = data.draw(st.sampled_from(["mapping", "pandas", "pandas-typed", "pyarrow", "polars"]))
    table = _as_kind(columns, kind)
    if kind in ("pyarrow", "polars"):  # an Arrow column holds cells as their common type
        facts = _arrow_facts(RULESETS[case[0]], case[1], table, facts)
    _check(case, table, facts, data.draw(AS_OF))


def test_every_bundled_decision_is_covered() -> None:
    assert len(CASES) >= 23
