"""Timings of the inputs that hung, crashed or took minutes before issue 14 (figures).

Run with ``.venv/bin/python benchmarks/former_hangs.py`` (under a minute). Each
line times one reproduction from the issue, now answered or refused, and says
which; the issue's figures before the fix are quoted beside it.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from convention_rules import ConventionRulesError  # noqa: E402
from convention_rules.law.money import Money  # noqa: E402
from convention_rules.tools.casefiles import read_cases  # noqa: E402
from tests.hostile import make  # noqa: E402

Q = date(2025, 1, 1)
INT = "  n: {type: int}\n"


def in_list(size: int) -> str:
    rs = make(INT, [("n in [" + ", ".join(map(str, range(size))) + "]", "yes")])
    return rs.decide("d", {"n": 3}, as_of=Q).outcome


def big_and() -> str:
    rs = make(INT, [(" and ".join(f"n != {i}" for i in range(1, 601)), "yes")])
    return rs.decide("d", {"n": 0}, as_of=Q).outcome


def thousand_facts() -> str:
    facts = "".join(f"  f{i}: {{type: bool}}\n" for i in range(1000))
    rs = make(facts, [(" or ".join(f"f{i}" for i in range(1000)), "yes")])
    return rs.decide("d", {"f0": True}, as_of=Q).outcome


def or65() -> str:
    rs = make(INT, [(" or ".join(f"n < {i}" for i in range(1, 66)), "yes")])
    return rs.decide("d", {"n": 0}, as_of=Q).outcome


def derived(count: int) -> str:
    extra = "derived:\n" + "".join(f"  d{i}: n + {i}\n" for i in range(count))
    rs = make(INT, [("d1 > 3", "yes")], extra=extra)
    return rs.decide("d", {"n": 3}, as_of=Q).outcome


def declared_facts(count: int) -> str:
    facts = INT + "".join(f"  f{i}: {{type: int}}\n" for i in range(count))
    return make(facts, [("n > 3", "yes")]).decide("d", {"n": 4}, as_of=Q).outcome


def megabyte_money() -> str:
    Money.of("1" * 1_000_000)
    return "accepted?"


def case_file(count: int) -> str:
    case = (
        "  - name: case {i}\n    decision: opening\n    as_of: 2024-09-01\n"
        "    facts: {{admitted_candidates: {k}}}\n    expect: {{outcome: opens}}\n    why: x\n"
    )
    text = "ruleset: gsot-master\ncases:\n" + "".join(
        case.format(i=i, k=6 + i % 5) for i in range(count)
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.cases.yaml"
        path.write_text(text, encoding="utf-8")
        return f"{len(read_cases(path))} cases read"


CASES: list[tuple[str, str, Callable[[], str]]] = [
    ("in list of 511 items", "hung in assert_fact", lambda: in_list(511)),
    ("in list of 512 items", "hung in create_ruleset", lambda: in_list(512)),
    ("and of 600 literals", "hung in create_ruleset", big_and),
    ("or over 1,000 facts", "hung in create_ruleset", thousand_facts),
    ("65 or branches true at once", "error 303, then 1,024 leaks", or65),
    ("3,000 derived values", "13 s", lambda: derived(3000)),
    ("6,000 derived values", "32 s", lambda: derived(6000)),
    ("100,000 declared facts", "26 s", lambda: declared_facts(100_000)),
    ("1 MB money string", "minutes, then a traceback", megabyte_money),
    ("100,000-case file (read)", "119 s, 1.4 GB", lambda: case_file(100_000)),
]


def main() -> None:
    for name, before, run in CASES:
        began = time.perf_counter()
        try:
            result = run()
        except ConventionRulesError as exc:
            result = f"{type(exc).__name__} ({len(str(exc))} characters)"
        elapsed = time.perf_counter() - began
        print(f"{name:30} {elapsed:7.2f} s  {result:40}  (before: {before})")


if __name__ == "__main__":
    main()
