"""Which clauses a change of the rules touches: rule specs compared by id.

Two sides are two rulesets (two files, a file and a git revision of it) or two
versions of one ruleset. For each decision, rules are matched by id and
compared on their condition (as text, ``language/unparse.py``), outcome,
values, exception and citation; constants on their value.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs

from convention_rules.deciding.decision import json_value
from convention_rules.deciding.ruleset import Ruleset
from convention_rules.language.unparse import unparse
from convention_rules.reading.model import ConstantSpec, DecisionSpec, RuleSpec

__all__ = ["ClauseChange", "ConstantChange", "Side", "clause_changes", "constant_changes"]


@attrs.frozen
class Side:
    """One side of a comparison: a ruleset, and the version whose rules it uses
    (``None``: the version in force on each row's ``as_of``)."""

    ruleset: Ruleset
    version: str | None = None
    label: str = ""

    def decision(self, name: str, as_of: date | None) -> DecisionSpec | None:
        if name not in self.ruleset.decisions:
            return None
        if self.version is not None:
            version = next(v for v in self.ruleset.versions if v.id == self.version)
            return self.ruleset.decision_spec(name, version.first or date.min)
        return self.ruleset.decision_spec(name, as_of)

    def constants(self, as_of: date | None) -> Mapping[str, ConstantSpec]:
        """The constants of the side's version (or of the version in force on ``as_of``)."""
        version_id = self.version
        if version_id is None and self.ruleset.versions:
            day = as_of or self.ruleset.versions[-1].first or date.min
            found = self.ruleset.version_at(day)
            version_id = found.id if found is not None else None
        constants: Mapping[str, ConstantSpec] = self.ruleset._in_force[version_id][0]
        return constants


@attrs.frozen
class ClauseChange:
    """A rule added, removed or changed (``fields`` says which parts)."""

    decision: str
    rule: str
    kind: str  # "added", "removed" or "changed"
    fields: tuple[str, ...]
    old: RuleSpec | None
    new: RuleSpec | None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"decision": self.decision, "rule": self.rule, "kind": self.kind}
        if self.fields:
            out["fields"] = list(self.fields)
        for side, rule in (("old", self.old), ("new", self.new)):
            if rule is not None:
                out[side] = _shape(rule)
        return out

    def __str__(self) -> str:
        line = f"{self.kind} {self.decision}/{self.rule}"
        if self.fields:
            line += " (" + ", ".join(self.fields) + ")"
        for side, rule in (("-", self.old), ("+", self.new)):
            if rule is not None:
                shape = _shape(rule)
                line += f"\n  {side} when {shape['when']} -> {shape['outcome']}"
                line += f"  [art. {shape['article']}]"
        return line


def _shape(rule: RuleSpec) -> dict[str, Any]:
    return {
        "when": unparse(rule.when),
        "outcome": rule.outcome,
        "values": {
            v.name: unparse(v.expr) + ("" if v.when is None else f" when {unparse(v.when)}")
            for v in rule.values
        },
        "exception_to": rule.exception_to,
        "article": rule.citation.article,
        "text": rule.citation.text,
        "source": rule.citation.source,
    }


_FIELDS = (
    ("condition", "when"),
    ("outcome", "outcome"),
    ("values", "values"),
    ("exception", "exception_to"),
    ("citation", "article"),
    ("citation", "text"),
    ("citation", "source"),
)


def _compare(decision: str, old: RuleSpec | None, new: RuleSpec | None) -> ClauseChange | None:
    if old is None and new is not None:
        return ClauseChange(decision, new.id, "added", (), None, new)
    if new is None and old is not None:
        return ClauseChange(decision, old.id, "removed", (), old, None)
    assert old is not None and new is not None
    before, after = _shape(old), _shape(new)
    fields: list[str] = []
    for label, key in _FIELDS:
        if before[key] != after[key] and label not in fields:
            fields.append(label)
    if not fields:
        return None
    return ClauseChange(decision, old.id, "changed", tuple(fields), old, new)


def clause_changes(
    old: Side, new: Side, decisions: tuple[str, ...] | None = None, as_of: date | None = None
) -> list[ClauseChange]:
    """The rules that differ between the two sides, decision by decision, in rule order."""
    names = decisions or tuple(dict.fromkeys((*old.ruleset.decisions, *new.ruleset.decisions)))
    changes: list[ClauseChange] = []
    for name in names:
        before, after = old.decision(name, as_of), new.decision(name, as_of)
        old_rules = _by_id(before)
        new_rules = _by_id(after)
        for rule_id in dict.fromkeys((*old_rules, *new_rules)):
            change = _compare(name, old_rules.get(rule_id), new_rules.get(rule_id))
            if change is not None:
                changes.append(change)
    return changes


def _by_id(spec: DecisionSpec | None) -> Mapping[str, RuleSpec]:
    return {} if spec is None else {rule.id: rule for rule in spec.rules}


@attrs.frozen
class ConstantChange:
    """A constant whose value (or dated values) differs between the sides."""

    name: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"constant": self.name, "old": self.old, "new": self.new}

    def __str__(self) -> str:
        return f"constant {self.name}: {self.old} -> {self.new}"


def _values_of(spec: ConstantSpec | None) -> Any:
    if spec is None:
        return None
    shown = [(None if d is None else d.isoformat(), json_value(v)) for d, v in spec.values]
    return shown[0][1] if len(shown) == 1 else dict(shown)


def constant_changes(old: Side, new: Side, as_of: date | None = None) -> list[ConstantChange]:
    """The constants added, removed or given another value."""
    before, after = old.constants(as_of), new.constants(as_of)
    changes = []
    for name in dict.fromkeys((*before, *after)):
        was, now = _values_of(before.get(name)), _values_of(after.get(name))
        if was != now:
            changes.append(ConstantChange(name, was, now))
    return changes
