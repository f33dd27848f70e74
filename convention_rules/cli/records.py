"""``convention-rules replay``: decide recorded decisions again and report those that differ."""

from __future__ import annotations

import argparse
from pathlib import Path

from convention_rules.cli.command import Command, Streams


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a file of decision records (decide --record)")


def _replay(options: argparse.Namespace, streams: Streams) -> int:
    from convention_rules.tools.replay import replay  # noqa: PLC0415 (CLI start-up time)

    same = differ = 0
    for result in replay(Path(options.file)):
        where = f"{options.file}:{result.line}: {result.ruleset}/{result.decision}"
        if result.status == "same":
            same += 1
            if result.reasons:
                streams.stdout.write(f"{where}: same answer ({'; '.join(result.reasons)})\n")
            continue
        differ += 1
        streams.stdout.write(f"{where}: differs ({'; '.join(result.reasons)})\n")
        for change in result.changes:
            streams.stdout.write(f"  {change}\n")
    streams.stdout.write(f"{same + differ} replayed, {same} same, {differ} differ\n")
    return 1 if differ else 0


COMMANDS = (
    Command(
        "replay", "decide recorded decisions again; report any that differ", _configure, _replay
    ),
)
