"""The exception hierarchy: one root, three kinds of failure.

``ConventionRulesError`` is the root. A ruleset that cannot be loaded raises
``RulesetError`` with the ``file:line:col`` where the problem stands; facts
that do not fit the declared types raise ``FactError`` naming the fact, the
value given and what was expected; a decision that cannot be resolved (two
rules that conflict) raises ``EvaluationError``.
"""

from __future__ import annotations

from typing import Any

import attrs


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
        self.message = message
        self.fact = fact
        self.value = value
        self.expected = expected
        self.row = row
        text = f"fact {fact!r}: {message}" if fact else message
        if value is not None and repr(value) not in message and str(value) not in message:
            text = f"{text}: got {value!r}"
        if expected:
            text = f"{text} (expected {expected})"
        if row is not None:
            text = f"row {row!r}: {text}"
        super().__init__(text)


class EvaluationError(ConventionRulesError):
    """A decision cannot be resolved, for example two conflicting rules fired."""


class UnknownNameError(ConventionRulesError, LookupError):
    """An unknown ruleset or decision was asked for."""
