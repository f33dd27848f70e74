"""Benchmark: the time of ``what_if`` per decision, on every demo case.

Run with ``python benchmarks/whatif.py`` (``.venv/bin/python``). For each case marked
``demo: true`` it prints the median time of ``what_if`` (max_changes=3) over a few runs, the fact
sets it tried, the counterfactuals found, and the ratio against one ``decide`` of the same case
measured in this process (the baseline).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from convention_rules import load_ruleset  # noqa: E402
from convention_rules.tools.casefiles import read_cases  # noqa: E402
from convention_rules.whatif import what_if  # noqa: E402

REPEATS = 5


def _median(call: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    rows = []
    for path in sorted((ROOT / "rulesets").glob("*.cases.yaml")):
        for case in read_cases(path):
            if not case.demo:
                continue
            rs = load_ruleset(case.ruleset)
            as_of = date.fromisoformat(case.as_of) if case.as_of else date(2025, 1, 1)
            found = what_if(rs, case.decision, case.facts, as_of=as_of)  # warm the caches

            def one_decide(rs=rs, case=case, as_of=as_of) -> object:
                return rs.decide(case.decision, case.facts, as_of=as_of)

            def one_what_if(rs=rs, case=case, as_of=as_of) -> object:
                return what_if(rs, case.decision, case.facts, as_of=as_of)

            base = _median(lambda: [one_decide() for _ in range(100)]) / 100
            took = _median(one_what_if)
            rows.append((rs.id, case.decision, found, took, base))
    header = ("ruleset/decision", "outcome", "what_if", "tried", "found", "x decide")
    print(
        f"{header[0]:46} {header[1]:16} {header[2]:>9} {header[3]:>6} {header[4]:>6} {header[5]:>9}"
    )
    for ruleset_id, decision, found, took, base in rows:
        print(
            f"{ruleset_id + '/' + decision:46} {found.decision.outcome:16} {took * 1000:7.2f}ms"
            f" {found.tried:6} {len(found.counterfactuals):6} {took / base:9.0f}"
        )
    times = [row[3] for row in rows]
    print(
        f"\n{len(rows)} demo decisions: what_if median {statistics.median(times) * 1000:.2f} ms,"
        f" max {max(times) * 1000:.2f} ms, total {sum(times) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
