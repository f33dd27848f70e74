"""The exception hierarchy: one root, three kinds of failure.

``ConventionRulesError`` is the root. A ruleset that cannot be loaded raises
``RulesetError`` with the ``file:line:col`` where the problem stands; facts
that do not fit the declared types raise ``FactError`` naming the fact, the
value given and what was expected; a decision that cannot be resolved (two
rules that conflict) raises ``EvaluationError``.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import attrs


def shown(value: Any) -> str:
    """A value as a message shows it: as JSON writes it, never as a Python repr.

    ``true``, ``null``, ``"text"``, ``12.5``, dates as ``2023-11-20``, decimals
    as written, lists as ``["teachers"]``; anything else by its ``str``.
    """
    if value is None or isinstance(value, bool | str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)  # numbers: the same digits as JSON
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(shown(item) for item in value) + "]"
    if isinstance(value, dict):
        items = (f"{shown(str(key))}: {shown(item)}" for key, item in value.items())
        return "{" + ", ".join(items) + "}"
    return str(value)


@attrs.frozen
class Location:
    """A position in a source file, 1-based line and column."""

    file: str
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class ConventionRulesError(Exception):
    """Root of every error this library raises on purpose."""


class RulesetError(ConventionRulesError):
    """A ruleset file is malformed, ill-typed or beyond the engine's limits."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        self.message = message
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)


class FactError(ConventionRulesError, ValueError):
    """A fact does not fit its declaration (or an amount/date is not valid).

    ``fact`` is the fact's name when known, ``value`` what was given and
    ``expected`` a short description of what is accepted; ``row`` names the
    row of a table (its index label or position).
    """

    def __init__(
        self,
        message: str,
        *,
        fact: str | None = None,
        value: Any = None,
        expected: str | None = None,
        row: Any = None,
    ) -> None:
        self.message = message = shorten(message, 400)
        self.fact = fact = None if fact is None else shorten(fact, 120)
        self.value = value
        self.expected = expected = None if expected is None else shorten(expected, 200)
        self.row = row
        text = f"fact {fact!r}: {message}" if fact else message
        text_value = shown_value(value)
        if value is not None and text_value not in message:
            text = f"{text}: got {text_value}"
        if expected:
            text = f"{text} (expected {expected})"
        if row is not None:
            text = f"row {row!r}: {text}"
        super().__init__(text)


def shorten(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters (with the count of those left out)."""
    if len(text) <= limit:
        return text
    return f"{text[: limit - 20]}... ({len(text) - limit + 20} more characters)"


def shown_value(value: Any, limit: int = 80) -> str:
    """A value given as a fact, as :func:`shown` writes it: never long, never failing.

    A huge ``int`` has no text beyond 4,300 digits (Python's own guard): it
    is shown by its size."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"<an integer of about {int(value.bit_length() * 0.30103) + 1} digits>"
    try:
        text = shown(value)
    except Exception:
        text = f"<a {type(value).__name__}>"
    return shorten(text, limit)


class EvaluationError(ConventionRulesError):
    """A decision cannot be resolved, for example two conflicting rules fired."""


class UnknownNameError(ConventionRulesError, LookupError):
    """An unknown ruleset or decision was asked for."""
