"""Ruleset.decide_table: table kinds, cells as analysts have them, errors, explanations,
and generic resolution on small synthetic rulesets. Expected answers are computed by
hand from the rules below (and, for a trace, compared with decide)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from convention_rules import EvaluationError, FactError, Ruleset, load_ruleset
from convention_rules.columnar import batch
from convention_rules.columnar.tables import Table
from convention_rules.reading.loader import read_ruleset

AS_OF = date(2025, 1, 1)
FORPRO = load_ruleset("occitanie-forpro-sup")

CHAIN = """\
format: 1
id: chain
title: exceptions to exceptions, an otherwise, money and a conflict
source: 000_d837eb4f17f552a5.txt
facts:
  n: {type: int, min: 0}
  fee: {type: money}
  waived: {type: bool}
  appealed: {type: date, optional: true}
  flag: {type: bool, optional: true}
  m: {type: int}
decisions:
  d:
    title: t
    outcomes: [pays, free, nothing]
    otherwise: {outcome: nothing, article: "0", text: otherwise clause}
    values:
      half_fee: half(fee)
    rules:
      - {id: base, when: n > 5, outcome: pays, article: "1", text: base clause}
      - {id: waiver, exception_to: base, when: waived, outcome: free, article: "2", text: w}
      - {id: appeal, exception_to: waiver, when: present(appealed), outcome: pays,
         article: "3", text: a}
  same_as_winner:
    title: an unknown exception with the winner's outcome
    outcomes: [pays, free]
    rules:
      - {id: base, when: n > 5, outcome: pays, article: "1", text: base clause}
      - {id: waiver, exception_to: base, when: waived, outcome: free, article: "2", text: w}
      - {id: six, when: n == 6, outcome: free, article: "4", text: six}
  optional_bool:
    title: an optional event fact of type bool
    outcomes: [flagged, unflagged]
    rules:
      - {id: on, when: flag and n > 3, outcome: flagged, article: "1", text: on}
      - {id: off, when: not flag or n <= 3, outcome: unflagged, article: "2", text: off}
  member:
    title: membership with an unknown option
    outcomes: [listed, unlisted]
    rules:
      - {id: listed, when: "n in [m, 3]", outcome: listed, article: "1", text: in}
      - {id: unlisted, when: "n not in [m, 3]", outcome: unlisted, article: "2", text: out}
  clash:
    title: t
    outcomes: [yes, no]
    rules:
      - {id: big, when: n > 5, outcome: "yes", article: "1", text: one clause}
      - {id: bigger, when: n > 7, outcome: "no", article: "2", text: another clause}
"""
RS = Ruleset(read_ruleset(CHAIN, "chain.yaml"))


def _answered_by_columns(rs: Ruleset, decision: str, table: Any, errors: list[bool]) -> None:
    """Only the rows with an error went through decide one by one: the columns answered
    every other row themselves (so these tests check the columnar evaluator)."""
    compiled, day, _ = rs._compiled_at(decision, AS_OF)
    _, one_by_one = batch.batch_for(compiled).evaluate(Table(table), day)
    assert one_by_one.tolist() == errors


def _rows(out: Any) -> list[dict[str, Any]]:
    if isinstance(out, pd.DataFrame):
        return pa.Table.from_pandas(out, preserve_index=False).to_pylist()
    if isinstance(out, pl.DataFrame):
        return out.to_arrow().to_pylist()
    return out.to_pylist()


def test_exceptions_of_exceptions_otherwise_and_unknowns_by_hand() -> None:
    table = {
        "n": [6, 6, 6, 2, None, 6, None],
        "fee": ["10.01", "10.01", None, "3.00", "1.00", "0.01", "1.00"],
        "waived": [False, True, True, False, True, None, False],
        "appealed": [None, None, "2024-05-02", None, None, None, None],
    }
    out = RS.decide_table("d", table, as_of=AS_OF)
    assert out["outcome"] == [
        "pays",  # base holds, no waiver
        "free",  # the waiver overrides base
        "pays",  # the appeal overrides the waiver, so base applies again (both say "pays")
        "nothing",  # every rule surely false: otherwise
        "free",  # n unknown, but the waiver surely applies: base is overridden either way
        "undetermined",  # base holds, the waiver is unknown: base may be overridden
        "undetermined",  # n unknown, not waived: base unknown
    ]
    # half of 10.01 is 5.005, half-up 5.01; half of 3.00 is 1.50; of 1.00, 0.50
    assert out["half_fee"] == [
        Decimal("5.01"),
        Decimal("5.01"),
        None,
        Decimal("1.50"),
        Decimal("0.50"),
        None,
        None,
    ]
    assert out["missing"] == [[], [], [], [], [], ["waived"], ["n"]]
    assert out["rules"] == [["base"], ["waiver"], ["base", "appeal"], [], ["waiver"], [], []]
    assert out["error"] == [None] * 7
    _answered_by_columns(RS, "d", table, [False] * 7)
    for row in range(7):
        single = {k: v[row] for k, v in table.items() if v[row] is not None}
        decided = RS.decide("d", single, as_of=AS_OF)
        assert RS.explain_row("d", table, row, as_of=AS_OF) == decided
        assert out["outcome"][row] == decided.outcome


def test_an_unknown_exception_of_a_blocker_lists_its_facts() -> None:
    table = {"n": [6, 6, 6, 8], "waived": [None, True, False, None]}
    out = RS.decide_table("same_as_winner", table, as_of=AS_OF)
    # n = 6, waived unknown: "six" gives free, but base (pays) may apply: it is unknown
    # only through its exception, so the exception's fact is the one missing
    assert out["outcome"][:2] == ["undetermined", "free"]
    assert out["missing"][:2] == [["waived"], []]
    assert out["rules"][:2] == [["six"], ["waiver", "six"]]
    assert "'base' (pays, art. 1) and 'six' (free, art. 4)" in out["error"][2]
    assert (out["outcome"][3], out["missing"][3]) == ("undetermined", ["waived"])
    _answered_by_columns(RS, "same_as_winner", table, [False, False, True, False])


def test_an_optional_bool_that_has_not_happened_is_false() -> None:
    out = RS.decide_table(
        "optional_bool", {"n": [5, 5, 2], "flag": [None, True, None]}, as_of=AS_OF
    )
    # flag absent: "flag and n > 3" is false, "not flag" is true
    assert out["outcome"] == ["unflagged", "flagged", "unflagged"]
    assert out["rules"] == [["off"], ["on"], ["off"]]
    _answered_by_columns(
        RS, "optional_bool", {"n": [5, 5, 2], "flag": [None, True, None]}, [False] * 3
    )


def test_a_matching_option_decides_membership_whatever_the_unknown_ones() -> None:
    table = {"n": [3, 4, 4, 5, None], "m": [None, None, 4, 4, 1]}
    out = RS.decide_table("member", table, as_of=AS_OF)
    assert out["outcome"] == ["listed", "undetermined", "listed", "unlisted", "undetermined"]
    assert out["missing"] == [[], ["m"], [], [], ["n"]]
    _answered_by_columns(RS, "member", table, [False] * 5)


def test_conflicting_rules_are_an_error_of_their_row() -> None:
    out = RS.decide_table("clash", {"n": [6, 8, 1]}, as_of=AS_OF)
    assert out["outcome"] == ["yes", None, None]
    assert "'big' (yes, art. 1) and 'bigger' (no, art. 2)" in out["error"][1]
    assert "no rule of chain/clash applies" in out["error"][2]
    with pytest.raises(EvaluationError, match=r"^row 1: "):
        RS.decide_table("clash", {"n": [6, 8, 1]}, as_of=AS_OF, errors="raise")


def _cells() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "registered_jobseeker": pd.array([True, None, True, True, True], dtype="boolean"),
            "initial_education_end": pd.to_datetime(
                ["2024-02-29", "2020-01-01", None, "2022-06-30", "2022-06-30"]
            ),
            "training_entry": [
                pd.Timestamp("2026-03-01"),  # within the term (2022-09-01 to 2026-08-31)
                pd.Timestamp("2024-01-01T23:30", tz="UTC"),  # 00:30 on 2 January in Paris
                pd.NaT,
                np.nan,
                "2024-13-01",
            ],
        },
        index=["a", "b", "c", "d", "e"],
    )


def test_pandas_cells_as_analysts_have_them() -> None:
    out = FORPRO.decide_table("eligibility", _cells(), as_of=AS_OF)
    assert list(out.index) == ["a", "b", "c", "d", "e"]
    rows = _rows(out)
    # 29 February 2024 + 2 years = 28 February 2026; entry on 1 March is strictly later
    assert rows[0]["outcome"] == "eligible"
    assert rows[0]["eligible_from"] == date(2026, 3, 1)
    assert rows[1]["outcome"] == "undetermined" and rows[1]["missing"] == ["registered_jobseeker"]
    assert rows[2]["missing"] == ["initial_education_end", "training_entry"]
    assert rows[3]["missing"] == ["training_entry"]
    assert rows[4]["outcome"] is None
    error = rows[4]["error"]
    assert error.startswith("fact 'training_entry': \"2024-13-01\" is not a calendar date")
    with pytest.raises(FactError, match=r"^row 'e': fact 'training_entry'") as caught:
        FORPRO.decide_table("eligibility", _cells(), as_of=AS_OF, errors="raise")
    assert caught.value.row == "e" and caught.value.fact == "training_entry"


def test_a_tz_aware_timestamp_is_its_date_in_paris() -> None:
    # 2024-01-01T23:30Z is 2 January in Paris: the second anniversary of 2 January 2022
    # is 2 January 2024, so this entry on that day is not "more than two years" after it.
    cells = pd.DataFrame(
        {
            "registered_jobseeker": [True],
            "initial_education_end": [date(2022, 1, 1)],
            "training_entry": pd.Series([pd.Timestamp("2024-01-01T23:30", tz="UTC")]),
        }
    )
    assert FORPRO.decide_table("eligibility", cells, as_of=AS_OF)["outcome"].tolist() == [
        "eligible"
    ]
    cells["initial_education_end"] = [date(2022, 1, 2)]
    assert FORPRO.decide_table("eligibility", cells, as_of=AS_OF)["outcome"].tolist() == [
        "ineligible"
    ]


def test_float_columns_of_whole_numbers_are_ints_and_float_money_is_refused() -> None:
    facts = pd.DataFrame(
        {"programme": ["daeu", "daeu", "other"], "registration_fees": [325.25, np.nan, 10.0]}
    )
    out = _rows(FORPRO.decide_table("registration_fee_subsidy", facts, as_of=AS_OF))
    assert "is a float" in out[0]["error"] and "registration_fees" in out[0]["error"]
    assert out[1]["outcome"] == "subsidised" and out[1]["missing"] == []
    assert "is a float" in out[2]["error"]
    years = pd.DataFrame({"programme": ["capacite_en_droit"] * 2, "programme_years": [3.0, np.nan]})
    out = _rows(FORPRO.decide_table("funded_years", years, as_of=AS_OF))
    assert out[0]["funded_years"] == 2 and out[0]["funded_year_numbers"] == [2, 3]
    assert out[1]["outcome"] == "undetermined" and out[1]["missing"] == ["programme_years"]


@pytest.mark.parametrize("kind", ["pyarrow", "polars"])
def test_arrow_and_polars_tables_answer_in_their_own_kind(kind: str) -> None:
    table = pa.table(
        {
            "registered_jobseeker": [True, False, None],
            "initial_education_end": pa.array([date(2021, 8, 31), None, None], pa.date32()),
            "training_entry": pa.array([date(2023, 9, 1), None, None], pa.date32()),
        }
    )
    source = table if kind == "pyarrow" else pl.from_arrow(table)
    out = FORPRO.decide_table("eligibility", source, as_of=AS_OF)
    assert type(out) is type(source)
    rows = _rows(out)
    assert [r["outcome"] for r in rows] == ["eligible", "ineligible", "undetermined"]
    assert rows[0]["eligible_from"] == date(2023, 9, 1)
    assert rows[2]["missing"] == ["registered_jobseeker", "initial_education_end", "training_entry"]


def test_parts_of_a_table_answer_as_the_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    cells = pd.concat([_cells()] * 3)
    whole = _rows(FORPRO.decide_table("eligibility", cells, as_of=AS_OF))
    monkeypatch.setattr(batch, "CHUNK_ROWS", 2)
    assert _rows(FORPRO.decide_table("eligibility", cells, as_of=AS_OF)) == whole
    with pytest.raises(FactError, match=r"^row 'e'"):
        FORPRO.decide_table("eligibility", cells, as_of=AS_OF, errors="raise")


def test_a_missing_column_is_named_and_extra_columns_are_ignored() -> None:
    with pytest.raises(FactError, match="no column for the facts: training_entry"):
        FORPRO.decide_table(
            "eligibility", {"registered_jobseeker": [True], "initial_education_end": [None]}
        )
    out = FORPRO.decide_table(
        "eligibility",
        {
            "id": [7],
            "registered_jobseeker": [False],
            "initial_education_end": [None],
            "training_entry": [None],
        },
        as_of=AS_OF,
    )
    assert out["outcome"] == ["ineligible"]


def test_an_empty_table_gets_an_empty_answer() -> None:
    out = FORPRO.decide_table(
        "eligibility",
        pd.DataFrame(
            {"registered_jobseeker": [], "initial_education_end": [], "training_entry": []}
        ),
        as_of=AS_OF,
    )
    assert len(out) == 0 and "outcome" in out.columns


TEXT_CELLS = ["325.25", "325.5", "325", "0.01", "-1.00", "1,5", "12.505", " 12", "1e3", "١٢", ""]


def test_amounts_as_text_are_read_as_single_decisions_read_them() -> None:
    facts = {"programme": ["daeu"] * len(TEXT_CELLS), "registration_fees": TEXT_CELLS}
    out = FORPRO.decide_table("registration_fee_subsidy", facts, as_of=AS_OF)
    for row, cell in enumerate(TEXT_CELLS):
        try:
            decided = FORPRO.decide(
                "registration_fee_subsidy",
                {"programme": "daeu", "registration_fees": cell},
                as_of=AS_OF,
            )
        except FactError as exc:
            assert out["error"][row] == str(exc), cell
            continue
        assert out["error"][row] is None, cell
        assert out["region_subsidy"][row] == decided.values["region_subsidy"].amount, cell
    assert out["region_subsidy"][0] == Decimal("162.63")  # half of 325.25, half-up


DAY_CELLS = [
    "2024-02-29",
    "2023-02-29",
    "2024-13-01",
    "2024-1-01",
    "2024-03-30T23:30:00Z",
    "2024-03-30T23:30:00",
    "0000-01-01",
    "2024-02-28",
]


def test_days_as_text_are_read_as_single_decisions_read_them() -> None:
    n = len(DAY_CELLS)
    facts = {
        "registered_jobseeker": [True] * n,
        "initial_education_end": ["2022-02-28"] * n,
        "training_entry": DAY_CELLS,
    }
    out = FORPRO.decide_table("eligibility", facts, as_of=AS_OF)
    for row, cell in enumerate(DAY_CELLS):
        single = {k: v[row] for k, v in facts.items()}
        try:
            decided = FORPRO.decide("eligibility", single, as_of=AS_OF)
        except FactError as exc:
            assert out["error"][row] == str(exc), cell
            continue
        assert (out["error"][row], out["outcome"][row]) == (None, decided.outcome), cell
    # 28 February 2022 + 2 years = 28 February 2024: an entry on 29 February is later
    assert out["outcome"][0] == "eligible" and out["outcome"][-1] == "ineligible"
