"""Benchmark: ``diff`` (impact of a change) on generated case tables.

Run with ``.venv/bin/python benchmarks/diff.py [ROWS]`` (default 20,000). Compares the
Département's two instruments (convention_2022_2024 -> amendment_2025) on ``room_booking`` and
``research_contribution``: rows generated, decided on both sides, the changed rows kept. Prints
the time, rows per second, the ratio against deciding the same rows once with ``decide_many``
(the baseline, same process), and the time 1,000,000 rows take at that rate.
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


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    rs = load_ruleset("departement-askoria")
    old, new = Side(rs, "convention_2022_2024"), Side(rs, "amendment_2025")
    day = date(2025, 6, 1)
    for decision in ("room_booking", "research_contribution"):
        rows = generate_rows(rs.facts, rs.decision_spec(decision).inputs, count, day, seed=1)
        start = time.perf_counter()
        rs.decide_many(decision, [facts for facts, _ in rows], as_of=day)
        base = time.perf_counter() - start
        start = time.perf_counter()
        impact = diff_rows(old, new, decision, rows)
        took = time.perf_counter() - start
        print(
            f"{decision:22} {count:>9} rows: diff {took:7.2f} s ({count / took:9.0f} rows/s),"
            f" {len(impact.rows)} changed; x{took / base:.2f} one decide_many;"
            f" 1,000,000 rows at this rate: {took * 1_000_000 / count:6.1f} s"
        )


if __name__ == "__main__":
    main()
