"""Benchmark: ``Ruleset.decide_table`` against the case-by-case path and hand-written numpy.

Run with ``bash dev.sh bench`` (after ``benchmarks/decide.py``) or ``python
benchmarks/batch.py [--rows N] [--small-rows N] [--sample N]``. Everything runs in
this one process on the same generated table (``tools/cohorts.py``, seeded, 5 %
missing cells, aimed at the thresholds), so the ratios compare like with like:

- decide_table: occitanie-forpro-sup/eligibility on a 1,000,000-row pandas
  DataFrame as ``read_csv(parse_dates=...)`` gives it (nullable booleans,
  ``datetime64`` with ``NaT``), answered with ``outcome``, ``eligible_from``,
  ``missing``, ``rules`` and ``error`` columns (best of 5 runs);
- case by case: ``decide_many`` on a sample of the rows, extrapolated;
- hand-written numpy: the same rule written by hand for this one decision
  (the CPC art. 641 month-end clamp, ``eligible_from``, Kleene logic, the
  missing facts as masks), reading the same DataFrame: the floor a batch
  evaluator can hope for, without its output table;
- peak memory of one decide_table call (tracemalloc, which numpy reports to)
  against the input table's own size;
- then every bundled decision on 100,000 rows against its case-by-case path.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from convention_rules import bundled_rulesets, load_ruleset  # noqa: E402
from convention_rules.tools.cohorts import cohort  # noqa: E402

AS_OF = date(2025, 1, 1)
EPOCH = date(1970, 1, 1)


def best_seconds(fn: Callable[[], object], repeat: int) -> float:
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return min(runs)


def hand_written(frame: Any) -> tuple[Any, ...]:
    """occitanie-forpro-sup/eligibility written by hand in numpy, for this decision only."""
    registered_na = frame["registered_jobseeker"].isna().to_numpy()
    registered = frame["registered_jobseeker"].to_numpy(bool, na_value=False)
    left = frame["initial_education_end"].to_numpy("datetime64[D]")
    entry = frame["training_entry"].to_numpy("datetime64[D]")
    left_na, entry_na = np.isnat(left), np.isnat(entry)
    # two_years_out = left + 2 years, the same-numbered day or the month's last (CPC 641)
    month = left.astype("datetime64[M]")
    day = (left - month.astype("datetime64[D]")).astype(np.int64)
    target = month + 24
    first = target.astype("datetime64[D]")
    length = ((target + 1).astype("datetime64[D]") - first).astype(np.int64)
    two_years_out = first + np.minimum(day, length - 1)
    eligible_from = two_years_out + 1
    dates_known = ~left_na & ~entry_na
    late = entry > two_years_out
    eligible = registered & ~registered_na & dates_known & late
    ineligible = (~registered & ~registered_na) | (dates_known & ~late)
    outcome = np.where(eligible, 0, np.where(ineligible, 1, 2)).astype(np.int8)
    # art. 8's term (2022-09-01 to 2026-08-31), dated by the entry: an exception to every rule
    first_day, last_day = np.datetime64("2022-09-01"), np.datetime64("2026-08-31")
    outside = ~entry_na & ((entry < first_day) | (entry > last_day))
    outcome = np.where(outside, 3, outcome).astype(np.int8)
    undetermined = outcome == 2
    missing = (
        (undetermined & registered_na).astype(np.int8)
        | (undetermined & left_na).astype(np.int8) << 1
        | (undetermined & entry_na).astype(np.int8) << 2
    )
    shown = ~undetermined & ~outside & ~left_na  # eligible_from: for the rule's outcomes only
    return outcome, np.where(shown, eligible_from, np.datetime64("NaT")), missing


def check_hand_written(rs: Any, frame: Any, answer: Any) -> None:
    """The hand-written baseline answers as decide_table does (so the ratio is fair)."""
    outcome, eligible_from, _ = hand_written(frame)
    names = np.array(["eligible", "ineligible", "undetermined", "not_in_force"], dtype=object)
    assert (answer["outcome"].astype(object).to_numpy() == names[outcome]).all()
    arrow = answer["eligible_from"].array._pa_array.combine_chunks()  # date32 days
    got = np.asarray(arrow.cast("int32").fill_null(-(2**31)).to_numpy()).astype(np.int64)
    got = np.where(got == -(2**31), np.datetime64("NaT"), got.astype("datetime64[D]"))
    assert ((got == eligible_from) | (np.isnat(got) & np.isnat(eligible_from))).all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small-rows", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2_000)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}; best of 5 runs")

    rs = load_ruleset("occitanie-forpro-sup")
    table = cohort(rs, "eligibility", args.rows, seed=11, missing=0.05, as_of=AS_OF)
    frame = table.to_pandas()
    records = table.to_records()[: args.sample]
    input_bytes = int(frame.memory_usage(deep=True, index=True).sum())

    answer = rs.decide_table("eligibility", frame, as_of=AS_OF)
    check_hand_written(rs, frame, answer)
    batch = best_seconds(lambda: rs.decide_table("eligibility", frame, as_of=AS_OF), 5)
    numpy_s = best_seconds(lambda: hand_written(frame), 5)
    by_case = best_seconds(lambda: rs.decide_many("eligibility", records, as_of=AS_OF), 3)
    by_case = by_case / len(records) * args.rows
    tracemalloc.start()
    rs.decide_table("eligibility", frame, as_of=AS_OF)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    rows = args.rows
    print(f"occitanie-forpro-sup/eligibility, {rows:,} rows (pandas, 5 % missing cells):")
    print(f"  decide_table:                  {rows / batch:>13,.0f} rows/s  (target >= 2,000,000)")
    print(
        f"  case by case (decide_many):    {rows / by_case:>13,.0f} rows/s  ({len(records):,} rows)"
    )
    print(f"  hand-written numpy:            {rows / numpy_s:>13,.0f} rows/s")
    print(f"  ratio decide_table / case:     {by_case / batch:>10.0f}x     (target >= 200x)")
    print(f"  ratio decide_table / numpy:    {batch / numpy_s:>10.2f}x time (target <= 2x)")
    print(f"  ratio hand-written numpy / case: {by_case / numpy_s:>8.0f}x     (the ceiling)")
    print(
        f"  peak memory (tracemalloc):     {peak / 1e6:>10.1f} MB for an input of "
        f"{input_bytes / 1e6:.1f} MB: {peak / input_bytes:.2f}x (target < 2x)"
    )

    small = args.small_rows
    print(f"every bundled decision, {small:,} rows, against its case-by-case path:")
    for ruleset_id in bundled_rulesets():
        ruleset = load_ruleset(ruleset_id)
        for decision in ruleset.decisions:
            cases = cohort(ruleset, decision, small, seed=5, missing=0.05, as_of=AS_OF)
            cells = cases.to_pandas()
            sample = cases.to_records()[: max(args.sample // 4, 100)]
            seconds = best_seconds(
                lambda rs=ruleset, d=decision, c=cells: rs.decide_table(d, c, as_of=AS_OF), 2
            )
            start = time.perf_counter()
            try:
                ruleset.decide_many(decision, sample, as_of=AS_OF)
            except Exception:
                sample = [r for r in sample if _valid(ruleset, decision, r)]
                start = time.perf_counter()
                ruleset.decide_many(decision, sample, as_of=AS_OF)
            per_case = (time.perf_counter() - start) / max(len(sample), 1)
            name = f"{ruleset_id}/{decision}"
            print(
                f"  {name:<46} {small / seconds:>11,.0f} rows/s  "
                f"{per_case * small / seconds:>6.0f}x case by case (target >= 100x)"
            )


def _valid(ruleset: Any, decision: str, record: Any) -> bool:
    try:
        ruleset.decide(decision, record, as_of=AS_OF)
    except Exception:
        return False
    return True


if __name__ == "__main__":
    main()
