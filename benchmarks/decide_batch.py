"""Benchmark: ``convention-rules decide-batch`` on a 5,000,000-row Parquet file.

Run with ``python benchmarks/decide_batch.py`` (``--rows``, ``--small-rows``,
``--chunk-size`` to change the sizes). It generates synthetic cohorts for
``occitanie-forpro-sup``/``eligibility`` (``tools/cohorts.py``, seeded, 5 % missing cells,
0.1 % invalid cells by default: the columns that hold one are text, as from a CSV file;
``--invalid 0`` gives typed columns) into a temporary directory, in row groups of 500,000
rows, then runs, each in a
fresh process so that its peak resident memory is its own:

- baseline: the same file read with ``iter_batches`` and written back to Parquet,
  chunk by chunk, with no deciding (the I/O floor of any streaming pass);
- decide-batch on the small file (default 1,000,000 rows) and on the large one
  (default 5,000,000 rows), with the same chunk size; with ``--csv``, also the same rows
  as a CSV file, CSV in and CSV out.

It prints rows/s, the ratio to the baseline, and the peak RSS of each run beside the
size of the whole input table in memory: peak memory is bounded by the chunk size and
the file's row-group size (it does not grow from 1M to 5M rows), not by the file.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyarrow.csv as pacsv  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from convention_rules import load_ruleset  # noqa: E402
from convention_rules.tools.cohorts import cohort  # noqa: E402

RULESET, DECISION, AS_OF = "occitanie-forpro-sup", "eligibility", "2025-01-01"
GENERATE_CHUNK = 500_000

# Each measured run is a fresh interpreter that reports its own peak RSS (ru_maxrss, KiB).
_CHILD = """
import json, resource, sys, time
mode, source, target, chunk = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
start = time.perf_counter()
if mode == "baseline":
    import pyarrow.parquet as pq
    reader = pq.ParquetFile(source)
    with pq.ParquetWriter(target, reader.schema_arrow) as writer:
        for batch in reader.iter_batches(batch_size=chunk):
            writer.write_batch(batch)
    status = 0
elif mode == "idle":
    from convention_rules import load_ruleset
    from convention_rules.tools import batchfiles
    load_ruleset("occitanie-forpro-sup")
    status = 0
else:
    import io
    from convention_rules.cli.main import run
    out = io.StringIO()
    status = run(["decide-batch", "occitanie-forpro-sup", "eligibility", "--input", source,
                  "--output", target, "--as-of", "2025-01-01", "--chunk-size", str(chunk)],
                 out, sys.stderr)
    sys.stderr.write(out.getvalue())
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"status": status, "seconds": seconds, "peak": peak}))
"""


def generate(path: Path, rows: int, invalid: float) -> int:
    """A cohort of ``rows`` rows written chunk by chunk; returns its in-memory Arrow size."""
    ruleset = load_ruleset(RULESET)
    size = 0
    writer = None
    for index, first in enumerate(range(0, rows, GENERATE_CHUNK)):
        count = min(GENERATE_CHUNK, rows - first)
        table = cohort(ruleset, DECISION, count, seed=index, invalid=invalid).to_arrow()
        size += table.nbytes
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    assert writer is not None
    writer.close()
    return size


def to_csv(source: Path, target: Path, chunk: int) -> None:
    """The Parquet file as CSV text, written batch by batch."""
    reader = pq.ParquetFile(source)
    with pacsv.CSVWriter(target, reader.schema_arrow) as writer:
        for batch in reader.iter_batches(batch_size=chunk):
            writer.write_batch(batch)


def measure(mode: str, source: Path, target: Path, chunk: int) -> dict[str, float]:
    done = subprocess.run(  # noqa: S603 (this interpreter, our own script, our own paths)
        [sys.executable, "-c", _CHILD, mode, str(source), str(target), str(chunk)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        sys.exit(f"{mode} run failed:\n{done.stderr}")
    report: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    if done.stderr.strip():
        print("   ", done.stderr.strip().splitlines()[-1])
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--small-rows", type=int, default=1_000_000)
    parser.add_argument("--chunk-size", type=int, default=100_000)
    parser.add_argument(
        "--invalid", type=float, default=0.001, help="share of invalid cells (0: typed columns)"
    )
    parser.add_argument("--csv", action="store_true", help="also CSV in, CSV out")
    options = parser.parse_args()
    chunk = options.chunk_size
    mib = 1024 * 1024
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        idle = measure("idle", base, base, chunk)
        print(
            f"{RULESET}/{DECISION}, chunk size {chunk:,} rows, invalid cells {options.invalid:.1%}"
        )
        print(f"  process after import and load (no data): peak RSS {idle['peak'] / mib:,.0f} MiB")
        for rows in (options.small_rows, options.rows):
            source = base / f"cohort-{rows}.parquet"
            start = time.perf_counter()
            in_memory = generate(source, rows, options.invalid)
            made = time.perf_counter() - start
            print(
                f"\n{rows:,} rows: Parquet file {source.stat().st_size / mib:,.0f} MiB "
                f"(whole table in memory {in_memory / mib:,.0f} MiB), generated in {made:.1f} s"
            )
            floor = measure("baseline", source, base / "copy.parquet", chunk)
            run = measure("decide", source, base / "answers.parquet", chunk)
            floor_rate = rows / floor["seconds"]
            rate = rows / run["seconds"]
            print(
                f"  baseline (read + write, no deciding): {floor_rate:12,.0f} rows/s, "
                f"peak RSS {floor['peak'] / mib:,.0f} MiB"
            )
            print(
                f"  decide-batch:                         {rate:12,.0f} rows/s "
                f"({floor_rate / rate:.1f}x the baseline's time), "
                f"peak RSS {run['peak'] / mib:,.0f} MiB "
                f"({(run['peak'] - idle['peak']) / mib:,.0f} MiB above the idle process)"
            )
            if options.csv:
                text = base / f"cohort-{rows}.csv"
                to_csv(source, text, chunk)
                run = measure("decide", text, base / "answers.csv", chunk)
                print(
                    f"  decide-batch CSV to CSV ({text.stat().st_size / mib:,.0f} MiB): "
                    f"{rows / run['seconds']:12,.0f} rows/s, peak RSS {run['peak'] / mib:,.0f} MiB"
                )


if __name__ == "__main__":
    main()
