"""Benchmark: ``diff`` (impact of a change) on 1,000,000 generated rows.

Run with ``.venv/bin/python benchmarks/diff.py [ROWS]`` (default 1,000,000). Compares the
Département's two instruments (convention_2022_2024 -> amendment_2025) on three decisions:
the table generated (pyarrow), decided on both sides by the columnar evaluator, compared column
by column, the changed rows counted (the first 20 kept). The baseline, in the same process, is the
row-by-row diff (``decide`` on each side) on 20,000 of the rows: the ratio is per row.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from convention_rules import load_ruleset  # noqa: E402
from convention_rules.impact import Side, diff_rows, generate_rows  # noqa: E402
from convention_rules.impact.table import diff_table, generate_table  # noqa: E402

SAMPLE = 20_000


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rs = load_ruleset("departement-askoria")
    old, new = Side(rs, "convention_2022_2024"), Side(rs, "amendment_2025")
    day = date(2025, 6, 1)
    for decision in ("room_booking", "research_contribution", "progress_report"):
        inputs = rs.decision_spec(decision).inputs
        table = generate_table(rs.facts, inputs, count, day, seed=1)
        start = time.perf_counter()
        impact = diff_table(old, new, decision, table, as_of=day, keep=20)
        took = time.perf_counter() - start
        rows = generate_rows(rs.facts, inputs, SAMPLE, day, seed=1)
        start = time.perf_counter()
        diff_rows(old, new, decision, rows)
        base = (time.perf_counter() - start) / SAMPLE
        print(
            f"{decision:22} {count:>9} rows: diff {took:6.2f} s, {impact.rows_changed} changed"
            f" ({len(impact.summary)} outcome pairs); row by row {base * 1e6:6.1f} us/row"
            f" ({base * count:6.1f} s for {count} rows): x{base * count / took:.0f} faster"
        )


if __name__ == "__main__":
    main()
