"""examples/dask_partitions.py: decide_table over Dask partitions, on the local scheduler,
gives the same answers as decide_table on the whole table, aligned with the index."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path
from types import ModuleType

import dask
import dask.dataframe as dd
import pandas as pd

from convention_rules import load_ruleset
from convention_rules.tools.cohorts import cohort

EXAMPLE = Path(__file__).parent.parent / "examples" / "dask_partitions.py"
AS_OF = date(2025, 1, 1)


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dask_partitions", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cells(column: pd.Series) -> list[object]:
    """Python values, None where missing (pd.NA does not compare)."""
    return [None if pd.isna(v) else v for v in column.astype(object)]


def test_partitions_give_the_whole_table_answers() -> None:
    rs = load_ruleset("occitanie-forpro-sup")
    rows = cohort(rs, "eligibility", 4_000, seed=8, missing=0.05, invalid=0.01)
    cases = rows.to_pandas()
    cases.index = pd.RangeIndex(10_000, 14_000)  # an index that is not 0..n-1
    with dask.config.set({"dataframe.convert-string": False}):  # keep cells as they are
        frame = dd.from_pandas(cases, npartitions=5)
    assert frame.npartitions == 5
    lazy = _example().decide_partitions(frame, "occitanie-forpro-sup", "eligibility", AS_OF)
    with dask.config.set(scheduler="threads"):  # the local scheduler
        answers = lazy.compute()
    whole = rs.decide_table("eligibility", cases, as_of=AS_OF)
    assert list(answers.index) == list(cases.index)
    assert list(answers.columns) == list(whole.columns)
    for column in ("outcome", "eligible_from", "error"):
        assert _cells(answers[column]) == _cells(whole[column])
    # and they are the single decisions' answers, row by row (the invalid rows marked)
    outcomes, errors = _cells(answers["outcome"]), _cells(answers["error"])
    for index, record in enumerate(rows.to_records()[:400]):
        if rows.invalid_rows[index]:
            assert isinstance(errors[index], str)
        else:
            assert outcomes[index] == rs.decide("eligibility", record, as_of=AS_OF).outcome
