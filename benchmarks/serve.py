"""Benchmark: one decision over HTTP against the same decision in process.

Run with ``python benchmarks/serve.py`` (``.venv/bin/python``). A real uvicorn server
listens on 127.0.0.1 on a free port in a thread of this process; an httpx client with
one kept-alive connection posts the facts. Printed: the median time of one request
(plain, and with ``?explain=fr``), of ``Ruleset.decide`` in process, and their ratio,
all measured here. Bounded: a few hundred requests, a few seconds.
"""

from __future__ import annotations

import socket
import statistics
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import uvicorn  # noqa: E402

from convention_rules import load_ruleset  # noqa: E402
from convention_rules.service.app import create_app  # noqa: E402

FACTS = {
    "registered_jobseeker": True,
    "initial_education_end": "2022-06-30",
    "training_entry": "2024-09-02",
}
PATH = "/rulesets/occitanie-forpro-sup/decisions/eligibility"
ROUNDS, PER_ROUND = 7, 40


def _median_seconds(call: Callable[[], object]) -> float:
    for _ in range(10):  # warm up
        call()
    rounds = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(PER_ROUND):
            call()
        rounds.append((time.perf_counter() - start) / PER_ROUND)
    return statistics.median(rounds)


def main() -> None:
    sock = socket.socket()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    ruleset = load_ruleset("occitanie-forpro-sup")
    try:
        with httpx.Client(base_url=url) as client:
            query = {"as_of": "2025-01-01"}
            plain = _median_seconds(lambda: client.post(PATH, json=FACTS, params=query))
            query_fr = {**query, "explain": "fr"}
            explained = _median_seconds(lambda: client.post(PATH, json=FACTS, params=query_fr))
        local = _median_seconds(
            lambda: ruleset.decide("eligibility", FACTS, as_of=date(2025, 1, 1)).to_dict()
        )
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    rows = [
        ("Ruleset.decide + to_dict, in process", local),
        ("POST over HTTP (uvicorn, httpx)", plain),
        ("POST over HTTP, ?explain=fr", explained),
    ]
    for label, seconds in rows:
        print(f"{label:38} {seconds * 1e6:8.0f} µs  {seconds / local:6.1f}x in process")


if __name__ == "__main__":
    main()
