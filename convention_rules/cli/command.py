"""What a subcommand is: a name, its arguments, and a function from options to an exit status.

Each module of ``cli/`` declares its subcommands in a ``COMMANDS`` tuple; ``main`` collects them.
Heavy imports happen inside ``execute``, so the CLI only loads what the command needs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TextIO

import attrs


@attrs.frozen
class Streams:
    """The standard streams a command writes to and reads from."""

    stdout: TextIO
    stderr: TextIO
    stdin: TextIO


@attrs.frozen
class Command:
    """One ``convention-rules`` subcommand."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    execute: Callable[[argparse.Namespace, Streams], int]


def one_line(exc: BaseException) -> str:
    """An error's message on one line, for standard error."""
    return " ".join(str(exc).split())
