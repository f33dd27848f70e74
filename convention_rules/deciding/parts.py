"""Match a decision's conditions over the engine rulesets they were split into.

A decision's compiled rules may not fit one engine ruleset (``limits.py``):
they are grouped in parts, each its own :class:`DurableMatcher`, and each part
is asked with the fields it reads. A fact holding a number beyond the engine's
integers is not sent at all: :meth:`PartsMatcher.match` returns ``None`` and
the caller compares outside the engine (with the Kleene evaluator).
"""

from __future__ import annotations

from typing import Any

from convention_rules.deciding.compiler import GUARD, CompiledConditions
from convention_rules.deciding.engine import DurableMatcher
from convention_rules.deciding.limits import ENGINE_INT_LIMIT


class PartsMatcher:
    """The engine rulesets of one decision's conditions."""

    def __init__(self, label: str, conditions: CompiledConditions) -> None:
        parts = conditions.parts
        self.matchers = tuple(
            (DurableMatcher(label if len(parts) == 1 else f"{label}.{i}", part.rules), part.fields)
            for i, part in enumerate(parts, 1)
        )

    def match(self, fact: dict[str, Any]) -> set[str] | None:
        """The engine rules that fired, or ``None`` when a value is beyond the engine."""
        for value in fact.values():
            if type(value) is int and not -ENGINE_INT_LIMIT <= value <= ENGINE_INT_LIMIT:
                return None
        if len(self.matchers) == 1:
            return self.matchers[0][0].match(fact)
        fired: set[str] = set()
        for matcher, fields in self.matchers:
            part = {name: fact[name] for name in fields if name in fact}
            part[GUARD] = 1
            fired |= matcher.match(part)
        return fired
