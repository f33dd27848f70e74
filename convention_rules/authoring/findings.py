"""A finding: what is wrong in a ruleset, where, and what to do about it.

Checkers yield every finding (``iter_findings``); raisers raise the best one
(``best_match``: the first in the file, as a reader meets it), as jsonschema's
``iter_errors`` and ``best_match`` do.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from convention_rules._errors import Location, RulesetError


@attrs.frozen
class Finding:
    """One problem: its kind (``schema``, ``load``, ``citation``, ``reading``...),
    where it stands, a message and a hint."""

    kind: str
    location: Location
    message: str
    hint: str = ""

    def __str__(self) -> str:
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{self.location}: {self.message}{hint}"

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.message)


def best_match(findings: Iterable[Finding]) -> Finding | None:
    """The finding to raise: the first one in the file."""
    ordered = sorted(findings, key=lambda f: f.sort_key)
    return ordered[0] if ordered else None


def raise_best(findings: Iterable[Finding]) -> None:
    """Raise the best finding as a :class:`RulesetError`, if there is any."""
    best = best_match(findings)
    if best is not None:
        message = f"{best.message} (hint: {best.hint})" if best.hint else best.message
        raise RulesetError(message, best.location)
