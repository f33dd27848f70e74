"""Every construct and builtin of the expression language, on tables, equals decide.

A synthetic ruleset (not a bundled agreement) reads every builtin, a period chosen
by a condition, lists, an optional event fact, membership, exceptions and an
``otherwise``; hypothesis draws tables and each row of ``decide_table`` must equal
``decide`` on that row (values, outcome, missing facts, rules; or the same error:
a span that ends before it starts, a division by zero, a date beyond the calendar).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from convention_rules import ConventionRulesError, Ruleset
from convention_rules.columnar.batch import batch_for
from convention_rules.columnar.tables import Table
from convention_rules.deciding.decision import json_value
from convention_rules.reading.loader import read_ruleset

EVERYTHING = """\
format: 1
id: everything
title: every builtin of the language
source: 000_d837eb4f17f552a5.txt
facts:
  d: {type: date}
  e: {type: date, optional: true}
  n: {type: int, min: 0}
  fee: {type: money}
  waived: {type: bool}
  cal: {type: enum, values: [FR, FR-ALSACE-MOSELLE]}
  flag: {type: bool, optional: true}
  m: {type: int, min: 0}
decisions:
  all:
    title: t
    outcomes: [a, b, c, zero, none]
    otherwise: {outcome: none, article: "0", text: otherwise}
    values:
      v_days: add_days(d, n)
      v_months: add_months(d, n)
      v_years: add_years(d, n)
      v_period: "d + (if waived then 6 months else 1 year)"
      v_deadline: deadline(d, 2 months, waived, cal)
      v_working: is_working_day(d, cal)
      v_anniversary: anniversary(d, 2024)
      v_next_anniversary: next_anniversary(d, e)
      v_days_between: days_between(e, d)
      v_after: after_period(d, 15 days)
      v_before: at_least_before(d, 3 months)
      v_next_working: next_working_day(d + 1 month, cal)
      v_touched: months_touched(min(d, e), max(d, e))
      v_min: min(d, e)
      v_max: max(fee, 50.00 EUR)
      v_percent: percent_of(fee, 12.5 %)
      v_rate: fee * 15 %
      v_cap: cap(fee, 100.00 EUR)
      v_floor: floor_at(fee, 10.00 EUR)
      v_half: half(fee)
      v_share: share(fee, [1, 2, 3], 3)
      v_share_n: share(fee, [n, 1], 1)
      v_times: fee * n
      v_free: free_left(n + 1, 3)
      v_billed: billable_count(n + 1, 3)
      v_list: "[fee, half(fee)]"
      v_ints: "if n > 2 then [n, n + 1] else [n]"
      v_back: d - 15 days
      v_negative: -n
      v_word: "if waived then cal else cal"
      v_flag: "if flag and n > 3 then 1 else if not flag then 2 else 3"
      v_member: "if n in [m, 3] then 1 else 2"
      v_not_member: "if n not in [m, 3] then 1 else 2"
    rules:
      - id: low
        when: between(n, 1, 9) and known(fee)
        outcome: a
        values:
          v_divided: fee / n
        article: "1"
        text: one
      - id: high
        when: n > 9 and not present(e) and cal in ["FR", "FR-ALSACE-MOSELLE"]
        outcome: b
        article: "2"
        text: two
      - id: waived-low
        exception_to: low
        when: waived and d + 1 month <= as_of
        outcome: c
        article: "3"
        text: three
      - id: nothing
        when: n == 0 or (present(e) and e < d - 7 days)
        outcome: zero
        article: "4"
        text: four
"""
RS = Ruleset(read_ruleset(EVERYTHING, "everything.yaml"))

DAYS = st.one_of(
    st.dates(date(2019, 1, 1), date(2026, 12, 31)),
    st.sampled_from([date(2024, 2, 29), date(2024, 1, 31), date(2024, 12, 25), date(2200, 12, 20)]),
)
ROW = st.fixed_dictionaries(
    {
        "d": st.none() | DAYS,
        "e": st.none() | DAYS,
        "n": st.none() | st.integers(0, 12),
        "fee": st.none() | st.integers(0, 10**7).map(lambda c: f"{c // 100}.{c % 100:02d}"),
        "waived": st.none() | st.booleans(),
        "cal": st.none() | st.sampled_from(["FR", "FR-ALSACE-MOSELLE"]),
        "flag": st.none() | st.booleans(),
        "m": st.none() | st.integers(0, 5),
    }
)


def _json(cell: Any) -> Any:
    if isinstance(cell, Decimal):
        return format(cell, "f")
    if isinstance(cell, list):
        return [_json(c) for c in cell]
    return json_value(cell)


AS_OF = st.sampled_from([date(2024, 6, 1), date(2025, 1, 1)])


@settings(max_examples=60)
@given(st.lists(ROW, min_size=1, max_size=15), AS_OF)
def test_every_builtin_on_a_table_equals_decide(rows: list[dict[str, Any]], as_of: date) -> None:
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    out = RS.decide_table("all", pa.table(columns), as_of=as_of).to_pylist()
    compiled, day, _ = RS._compiled_at("all", as_of)
    _, one_by_one = batch_for(compiled).evaluate(Table(pa.table(columns)), day)
    for i, (got, row) in enumerate(zip(out, rows, strict=True)):
        facts = {k: v for k, v in row.items() if v is not None}
        try:
            decided = RS.decide("all", facts, as_of=as_of)
        except ConventionRulesError as exc:
            assert got["error"] == str(exc).splitlines()[0], facts
            continue
        assert got["error"] is None, facts
        # one by one: only a day near the last the library takes (1900-2200)
        assert not one_by_one[i] or date(2200, 12, 20) in (row["d"], row["e"]), facts
        assert got["outcome"] == decided.outcome, facts
        values = {k: _json(v) for k, v in got.items() if k.startswith("v_") and v is not None}
        assert values == {k: json_value(v) for k, v in decided.values.items()}, facts
        assert got["missing"] == list(decided.missing), facts
        winners = [e.rule for e in decided.trace if e.overridden_by is None]
        assert got["rules"] == [w for w in winners if w != "otherwise"], facts
