"""Benchmark: ``convention-rules lint`` on every bundled ruleset.

Run with ``.venv/bin/python benchmarks/lint.py``. For each ruleset it prints the
time lint takes (median of a few runs, every decision of every version, solver
queries and confirmations by ``decide`` included), the number of solver queries,
and the ratio to a baseline measured in this process: reading and compiling the
same ruleset (``Ruleset(read_ruleset(...))``), what every load costs.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from convention_rules._registry import bundled_dir, bundled_rulesets  # noqa: E402
from convention_rules.authoring.lint import lint_ruleset  # noqa: E402
from convention_rules.deciding.ruleset import Ruleset  # noqa: E402
from convention_rules.reading.loader import read_ruleset  # noqa: E402

RUNS = 3


def _median(measure: list[float]) -> float:
    return statistics.median(measure)


def main() -> None:
    print(f"{'ruleset':<24} {'lint':>9} {'queries':>8} {'load':>9} {'lint/load':>10}")
    for ruleset_id in bundled_rulesets():
        path = bundled_dir() / f"{ruleset_id}.yaml"
        text = path.read_text(encoding="utf-8")
        loads = []
        for _ in range(RUNS):
            started = time.perf_counter()
            Ruleset(read_ruleset(text, str(path)))
            loads.append(time.perf_counter() - started)
        lints = []
        queries = 0
        for _ in range(RUNS):
            report = lint_ruleset(path)
            assert not report.findings, [f.render() for f in report.findings]
            lints.append(report.seconds)
            queries = report.queries
        lint, load = _median(lints), _median(loads)
        print(
            f"{ruleset_id:<24} {lint * 1000:>7.0f}ms {queries:>8} {load * 1000:>7.1f}ms "
            f"{lint / load:>9.1f}x"
        )


if __name__ == "__main__":
    main()
