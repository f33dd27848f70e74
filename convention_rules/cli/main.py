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
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from convention_rules._errors import ConventionRulesError
from convention_rules.cli import (
    agenda,
    authoring,
    batch,
    casework,
    decide,
    impact,
    records,
    rulesets,
    schema,
    serve,
    show,
    sources,
)
from convention_rules.cli.command import Command, Streams, escape_controls, one_line

_MODULES = (
    decide,
    batch,
    impact,
    records,
    rulesets,
    show,
    sources,
    agenda,
    schema,
    authoring,
    serve,
    casework,
)


def commands() -> dict[str, Command]:
    """Every subcommand, by name, in the order of the help."""
    return {command.name: command for module in _MODULES for command in module.COMMANDS}


def _parser(table: dict[str, Command]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="convention-rules",
        description="Ask French partnership agreements questions, with explained answers.",
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for command in table.values():
        command.configure(subparsers.add_parser(command.name, help=command.help))
    return parser


def argument_parser() -> argparse.ArgumentParser:
    """The parser of the whole command line (``docs/cli.md`` is generated from it)."""
    return _parser(commands())


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
    except _VersionRequested:
        from convention_rules._version import library_version  # noqa: PLC0415 (start-up time)

        stdout.write(f"convention-rules {library_version()}\n")
        return 0
    streams = Streams(stdout, stderr, stdin or sys.stdin)
    try:
        return table[options.command].execute(options, streams)
    except ConventionRulesError as exc:
        stderr.write(f"convention-rules: {escape_controls(one_line(exc))}\n")
        return 2


class _VersionRequested(Exception):  # noqa: N818 (a signal, not an error)
    """``--version`` was given: ``run`` prints the version on its standard output."""


class _VersionAction(argparse.Action):
    """``--version``: stop parsing; ``run`` prints the version (read only when asked)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **options: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **options)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        raise _VersionRequested


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``convention-rules`` console script.

    A reader that closes the pipe early (``convention-rules list | head -1``)
    ends the command quietly, as the Python documentation recommends
    (library/signal.html, *Note on SIGPIPE*): standard output is pointed at
    ``os.devnull`` so the interpreter's final flush cannot fail again.
    """
    try:
        status = run(sys.argv[1:] if argv is None else argv, sys.stdout, sys.stderr, sys.stdin)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
