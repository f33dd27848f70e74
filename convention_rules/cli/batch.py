"""``convention-rules decide-batch``: a whole CSV or Parquet file, in bounded memory.

Reads the input chunk by chunk (``--chunk-size`` rows at a time), answers each chunk
with ``Ruleset.decide_table`` and appends the answers to the output; a tqdm progress
bar on standard error when it is a terminal (none when piped); one summary line on
standard output at the end. An unreadable file, an unknown extension or a missing
column exit 2 with one line on standard error; invalid rows are marked in the
``error`` column and counted, never fatal.
"""

from __future__ import annotations

import argparse
from typing import Any

from convention_rules.cli.command import Command, Streams


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ruleset", help="bundled ruleset id or path to a .yaml file")
    parser.add_argument("decision", help="decision name, e.g. eligibility")
    parser.add_argument("--input", required=True, help="a .csv or .parquet file, one row a case")
    parser.add_argument("--output", required=True, help="a .csv or .parquet file to write")
    parser.add_argument("--as-of", help="date of the question, YYYY-MM-DD (default: today)")
    parser.add_argument(
        "--chunk-size",
        type=int,
        default=100_000,
        help="rows decided at a time; memory grows with it, not with the file (default 100000)",
    )
    parser.add_argument(
        "--delimiter", default=",", help="field separator of CSV files (default ','; often ';')"
    )
    parser.add_argument(
        "--encoding", default="utf-8", help="input CSV encoding (default utf-8; often cp1252)"
    )


def _execute(options: argparse.Namespace, streams: Streams) -> int:
    from convention_rules._registry import load_ruleset  # noqa: PLC0415 (CLI start-up time)
    from convention_rules.law.legaltime import parse_date  # noqa: PLC0415 (same)
    from convention_rules.tools.batchfiles import (  # noqa: PLC0415 (pyarrow)
        decide_file,
        row_count,
    )

    ruleset = load_ruleset(options.ruleset)
    ruleset.decision_spec(options.decision)  # an unknown decision fails before any reading
    as_of = parse_date(options.as_of, fact="--as-of") if options.as_of else None
    bar = _progress_bar(streams, row_count(options.input))
    try:
        summary = decide_file(
            ruleset,
            options.decision,
            options.input,
            options.output,
            as_of=as_of,
            chunk_size=options.chunk_size,
            progress=None if bar is None else bar.update,
            delimiter=options.delimiter,
            encoding=options.encoding,
        )
    except KeyboardInterrupt:  # Ctrl-C: the partial output is already removed
        streams.stderr.write("convention-rules: decide-batch interrupted; no output written\n")
        return 130
    finally:
        if bar is not None:
            bar.close()
    streams.stdout.write(summary.line(options.output) + "\n")
    return 0


def _progress_bar(streams: Streams, total: int | None) -> Any:
    """A tqdm bar on standard error when it is a terminal; None when piped or redirected."""
    isatty = getattr(streams.stderr, "isatty", None)
    if isatty is None or not isatty():
        return None
    from tqdm import tqdm  # noqa: PLC0415 (only on a terminal)

    return tqdm(
        file=streams.stderr, total=total, unit=" rows", unit_scale=True, desc="decide-batch"
    )


COMMANDS = (
    Command(
        "decide-batch",
        "decide every row of a CSV or Parquet file, chunk by chunk",
        _configure,
        _execute,
    ),
)
