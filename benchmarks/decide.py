"""Benchmark: one explained decision against a raw durable_rules post.

Run with ``bash dev.sh bench`` (or ``python benchmarks/decide.py``). Everything
is measured in this one process, and ratios are printed against baselines run
here too, so the figures compare like with like on whatever machine runs them.
Times are CPU time of this process (``time.process_time``): on a machine shared
with other work, wall time counts the time others hold the cores, CPU time does
not. The CLI's cold start is given both ways (wall time, and the child's CPU time).

- decide: ``load_ruleset("occitanie-forpro-sup").decide("eligibility", ...)``,
  facts validated, fields computed, matched by durable_rules, resolved and
  explained (a Decision with its trace).
- raw post (C binding, fresh session): the same two-year condition written by
  hand as durable_rules JSON, the date arithmetic done by hand, one fact
  asserted in a fresh session, the fired rules read, the session deleted (with
  a rule that always fires, which deleting a session safely needs).
- raw post (C binding, one session, retract): the same, in one reused session
  emptied by retracting the fact, the technique the library's engine uses: the
  least work durable_rules needs to answer the question.
- raw post (durable.lang Host): the same condition through durable_rules'
  documented Python API (``post`` with a Python action).
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import durable_rules_engine as dre  # noqa: E402

from convention_rules import load_ruleset  # noqa: E402
from convention_rules.deciding.ruleset import Ruleset  # noqa: E402
from convention_rules.reading.loader import read_ruleset  # noqa: E402

FACTS = {
    "registered_jobseeker": True,
    "initial_education_end": "2022-06-30",
    "training_entry": "2024-09-02",
}
AS_OF = date(2025, 1, 1)


def median_seconds(fn: Callable[[], object], number: int, repeat: int = 7) -> float:
    """Median over ``repeat`` runs of the mean time of one call."""
    for _ in range(min(number, 1000)):
        fn()
    runs = []
    for _ in range(repeat):
        start = time.process_time()
        for _ in range(number):
            fn()
        runs.append((time.process_time() - start) / number)
    return statistics.median(runs)


#: The two-year condition written by hand as durable_rules JSON.
HAND_RULES = {
    "eligible": {
        "all": [
            {"m": {"$and": [{"g_": 1}, {"registered": 1}, {"$gt": {"entry": {"$m": "limit"}}}]}}
        ]
    },
    "not-registered": {"all": [{"m": {"$and": [{"g_": 1}, {"registered": 0}]}}]},
    "too-recent": {"all": [{"m": {"$and": [{"g_": 1}, {"$lte": {"entry": {"$m": "limit"}}}]}}]},
}


def hand_fact(sid: str) -> str:
    """The facts, with the date arithmetic done by hand, as the engine's JSON."""
    end = date.fromisoformat(FACTS["initial_education_end"])  # type: ignore[arg-type]
    limit = end.replace(year=end.year + 2).toordinal()
    entry = date.fromisoformat(FACTS["training_entry"]).toordinal()  # type: ignore[arg-type]
    return json.dumps({"sid": sid, "g_": 1, "registered": 1, "entry": entry, "limit": limit})


def fired_rules(handle: int, payload: str) -> list[str]:
    _, state = dre.assert_fact(handle, payload)
    fired = []
    result = dre.start_action_for_state(handle, state)
    if result:
        fired.append(result[1])
        while message := dre.complete_and_start_action(handle, state):
            fired.append(message)
    return fired


def raw_c_binding() -> Callable[[], object]:
    """Fresh session, deleted after (with a rule that always fires, for a safe delete)."""
    rules = {"always": {"all": [{"m": {"g_": 1}}]}, **HAND_RULES}
    handle = dre.create_ruleset("bench-raw", json.dumps(rules))
    counter = iter(range(1, 1 << 62))

    def post() -> object:
        sid = str(next(counter))
        fired = fired_rules(handle, hand_fact(sid))
        dre.delete_state(handle, sid)
        return fired

    return post


def raw_c_binding_retract() -> Callable[[], object]:
    """One reused session, emptied by retracting the fact."""
    handle = dre.create_ruleset("bench-raw-retract", json.dumps(HAND_RULES))

    def post() -> object:
        payload = hand_fact("1")
        fired = fired_rules(handle, payload)
        dre.retract_fact(handle, payload)
        return fired

    return post


def raw_host() -> Callable[[], object]:
    from durable.lang import get_host, m, ruleset, when_all  # noqa: PLC0415

    fired: list[str] = []
    with ruleset("bench_host"):

        @when_all(m.registered == 1)
        def _always(c: object) -> None:
            fired.append("registered")

        @when_all((m.registered == 1) & (m.entry > m.limit))
        def _eligible(c: object) -> None:
            fired.append("eligible")

    host = get_host()
    counter = iter(range(1, 1 << 62))

    def post() -> object:
        end = date.fromisoformat(FACTS["initial_education_end"])  # type: ignore[arg-type]
        limit = end.replace(year=end.year + 2).toordinal()
        entry = date.fromisoformat(FACTS["training_entry"]).toordinal()  # type: ignore[arg-type]
        sid = str(next(counter))
        host.assert_fact(
            "bench_host", {"sid": sid, "registered": 1, "entry": entry, "limit": limit}
        )
        host.delete_state("bench_host", sid)
        return fired

    return post


def main() -> None:
    print(f"python {sys.version.split()[0]} on {sys.platform}; medians of 7 runs")
    ruleset = load_ruleset("occitanie-forpro-sup")
    answer = ruleset.decide("eligibility", FACTS, as_of=AS_OF)
    assert answer.outcome == "eligible" and answer.trace

    decide = median_seconds(lambda: ruleset.decide("eligibility", FACTS, as_of=AS_OF), 5000)
    kleene = median_seconds(
        lambda: ruleset.decide("eligibility", FACTS, as_of=AS_OF, engine="kleene"), 5000
    )
    c_post = median_seconds(raw_c_binding(), 5000)
    c_retract = median_seconds(raw_c_binding_retract(), 5000)
    host_post = median_seconds(raw_host(), 2000)
    explain = median_seconds(lambda: (answer.to_dict(), str(answer)), 5000)
    in_french = median_seconds(lambda: answer.explain("fr"), 500)

    print(f"decide (durable_rules, explained):     {decide * 1e6:8.1f} µs  ({1 / decide:,.0f}/s)")
    print(f"decide (direct Kleene evaluation):     {kleene * 1e6:8.1f} µs  ({1 / kleene:,.0f}/s)")
    print(f"raw post (C binding, fresh session):   {c_post * 1e6:8.1f} µs  ({1 / c_post:,.0f}/s)")
    rate = f"{1 / c_retract:,.0f}/s"
    print(f"raw post (C binding, retract):         {c_retract * 1e6:8.1f} µs  ({rate})")
    rate = f"{1 / host_post:,.0f}/s"
    print(f"raw post (durable.lang Host API):      {host_post * 1e6:8.1f} µs  ({rate})")
    print(f"to_dict() + str() of the decision:     {explain * 1e6:8.1f} µs")
    print(f"explain('fr') of the decision (text):  {in_french * 1e6:8.1f} µs")
    print(f"ratio decide / raw post, retract:       {decide / c_retract:7.2f}x   (target < 2x)")
    print(f"ratio decide / raw post, fresh session: {decide / c_post:7.2f}x")
    print(f"ratio decide / raw Host post:           {decide / host_post:7.2f}x")

    for ruleset_id in (
        "occitanie-forpro-sup",
        "gsot-master",
        "copar-alternance",
        "departement-askoria",
        "cress-paca",
    ):
        path = ROOT / "rulesets" / f"{ruleset_id}.yaml"
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        load = median_seconds(
            lambda text=text: Ruleset(read_ruleset(text, "bench.yaml")), 10, repeat=5
        )
        print(f"load {ruleset_id:<22} (parse, check, compile): {load * 1e3:7.2f} ms")

    script = Path(sys.executable).parent / "convention-rules"
    colds, cpus = [], []
    for _ in range(5):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(  # noqa: S603 - our own console script
            [str(script), "decide", "occitanie-forpro-sup", "eligibility", "--facts", "-"],
            input=json.dumps(FACTS),
            capture_output=True,
            text=True,
            check=True,
        )
        colds.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    bare = time.perf_counter() - start
    print(
        f"CLI cold start (decide, one process):  {statistics.median(colds) * 1e3:8.1f} ms wall, "
        f"{statistics.median(cpus) * 1e3:.1f} ms CPU  (target < 250 ms; "
        f"bare python: {bare * 1e3:.1f} ms wall)"
    )


if __name__ == "__main__":
    main()
