"""The command line: a thin layer over the Python API.

``main(argv)`` parses arguments and exits; ``run(args, stdout, stderr, stdin)``
does the work and returns the exit status, so it is testable without a
subprocess. Exit 0 for any outcome (``undetermined`` included), 1 when case
files fail, 2 with one line on stderr for bad input.

Each subcommand lives in a module of its own (``cli/decide.py``, ...), which lists it in
``COMMANDS``; a new command is a new module and one entry in ``_MODULES``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from convention_rules._errors import ConventionRulesError
from convention_rules.cli import batch, casework, decide, rulesets
from convention_rules.cli.command import Command, Streams, one_line

_MODULES = (decide, batch, rulesets, casework)


def commands() -> dict[str, Command]:
    """Every subcommand, by name, in the order of the help."""
    return {command.name: command for module in _MODULES for command in module.COMMANDS}


def _parser(table: dict[str, Command]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="convention-rules",
        description="Ask French partnership agreements questions, with explained answers.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for command in table.values():
        command.configure(subparsers.add_parser(command.name, help=command.help))
    return parser


def run(
    args: Sequence[str],
    stdout: TextIO,
    stderr: TextIO,
    stdin: TextIO | None = None,
) -> int:
    """Run the command line ``args``; return the exit status."""
    table = commands()
    try:
        options = _parser(table).parse_args(list(args))
    except SystemExit as exc:  # argparse already printed its usage line
        return int(exc.code or 0)
    streams = Streams(stdout, stderr, stdin or sys.stdin)
    try:
        return table[options.command].execute(options, streams)
    except ConventionRulesError as exc:
        stderr.write(f"convention-rules: {one_line(exc)}\n")
        return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``convention-rules`` console script."""
    return run(sys.argv[1:] if argv is None else argv, sys.stdout, sys.stderr, sys.stdin)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
