"""Memory over reloads: figures, not assertions (issue 14).

Run with ``.venv/bin/python benchmarks/reload_memory.py [reloads] [files]``
(defaults 1000 and 2000; about two minutes). It prints the process's resident
memory (RSS, from /proc/self/statm) as it goes:

- reloads: one ruleset file (a copy of ``cress-paca`` under an id of its own),
  edited (a constant changes, the modification time moves) and loaded again
  through ``load_ruleset``, then decided on, ``reloads`` times. The registry
  keeps one version per path and frees the engine rulesets of the replaced one:
  the figure should stay flat.
- files: ``files`` distinct files loaded and decided on, then the cache is
  cleared (``clear_cache``), twice: the engine rulesets are freed, so the
  second round reuses the first one's memory (RSS stays at the first round's
  peak), and ``malloc_trim`` hands it back to the system.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from convention_rules import ConventionRulesError, _registry  # noqa: E402
from convention_rules._registry import load_ruleset  # noqa: E402

SOURCE = (ROOT / "rulesets" / "cress-paca.yaml").read_text(encoding="utf-8")
FACTS = {"renewal_negotiation": False}
Q = date(2024, 1, 1)


def rss_mb() -> float:
    resident = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[1])
    return resident * os.sysconf("SC_PAGE_SIZE") / 2**20


def text_for(identifier: str, edit: int) -> str:
    text = SOURCE.replace("id: cress-paca\n", f"id: {identifier}\n", 1)
    return text + f"\nnotes: edit {edit}\n"


def decide_once(path: Path) -> None:
    ruleset = load_ruleset(path)
    for name in ruleset.decisions:
        with contextlib.suppress(ConventionRulesError):  # the figure is memory, not answers
            ruleset.decide(name, FACTS, as_of=Q)


def reloads(folder: Path, count: int) -> None:
    path = folder / "edited.yaml"
    start = None
    began = time.perf_counter()
    for i in range(count):
        path.write_text(text_for("bench-edited", i), encoding="utf-8")
        os.utime(path, ns=(10**18 + i, 10**18 + i))  # a new modification time each edit
        decide_once(path)
        if i == 10:
            gc.collect()
            start = rss_mb()
        if (i + 1) % (count // 5) == 0:
            gc.collect()
            print(f"  after {i + 1:5} reloads: RSS {rss_mb():7.1f} MB")
    gc.collect()
    assert start is not None
    print(
        f"reloads of one edited file: {count} in {time.perf_counter() - began:.1f} s, "
        f"RSS {start:.1f} MB after 10 -> {rss_mb():.1f} MB after {count} "
        f"({(rss_mb() - start) * 1024 / (count - 10):.1f} KB a reload)"
    )


def _malloc_trim() -> str:
    """Ask glibc to hand freed memory back to the system (diagnostic only)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        return "n/a"
    return f"{rss_mb():.1f} MB"


def distinct(folder: Path, count: int, round_name: str) -> None:
    gc.collect()
    start = rss_mb()
    began = time.perf_counter()
    for i in range(count):
        path = folder / f"{round_name}{i}.yaml"
        path.write_text(text_for(f"bench-{round_name}{i}", 0), encoding="utf-8")
        decide_once(path)
    gc.collect()
    loaded = rss_mb()
    _registry.clear_cache()
    gc.collect()
    cleared = rss_mb()
    print(
        f"distinct files, round {round_name}: {count} in {time.perf_counter() - began:.1f} s, "
        f"RSS {start:.1f} MB -> {loaded:.1f} MB loaded -> {cleared:.1f} MB after "
        f"clear_cache() -> {_malloc_trim()} after malloc_trim"
    )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    files = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    with tempfile.TemporaryDirectory() as folder:
        reloads(Path(folder), count)
        # Two rounds: freed engine memory is reused by the second (glibc keeps
        # freed pages until malloc_trim, so RSS alone does not fall back).
        distinct(Path(folder), files, "a")
        distinct(Path(folder), files, "b")


if __name__ == "__main__":
    main()
