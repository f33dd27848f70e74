"""What a subcommand is: a name, its arguments, and a function from options to an exit status.

Each module of ``cli/`` declares its subcommands in a ``COMMANDS`` tuple; ``main`` collects them.
Heavy imports happen inside ``execute``, so the CLI only loads what the command needs.
"""

from __future__ import annotations

import argparse
import re
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


#: C0 controls but tab and newline, DEL, C1 controls, and the bidirectional
#: overrides that reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    """``text`` with control characters shown as ``\\x1b`` / ``\\u202e`` escapes."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def printable(text: str, stream: TextIO) -> str:
    """``text`` as it may be written to ``stream``: on a terminal, control
    characters (escape sequences of a ruleset's text) are escaped, not obeyed."""
    isatty = getattr(stream, "isatty", None)
    return escape_controls(text) if callable(isatty) and isatty() else text


def printable_json(text: str, stream: TextIO) -> str:
    """JSON ``text`` as it may be written to ``stream``: on a terminal, control and
    bidirectional characters become ``\\uXXXX`` escapes (still the same JSON)."""
    isatty = getattr(stream, "isatty", None)
    if not (callable(isatty) and isatty()):
        return text
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
