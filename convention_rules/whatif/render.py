"""The counterfactuals as lines of the explanation ("would be eligible with …").

Kept apart from the search so another renderer (French explanations) can take
its place: ``explain_what_if(what_if)`` is all a renderer needs to provide.
"""

from __future__ import annotations

from typing import Any

from convention_rules.deciding.decision import json_value
from convention_rules.law.money import Money
from convention_rules.whatif.boundaries import AS_OF
from convention_rules.whatif.search import Change, WhatIf

__all__ = ["explain_what_if"]


def _value(value: Any) -> str:
    if isinstance(value, Money):
        return value.format_fr()
    return str(json_value(value)).lower() if isinstance(value, bool) else str(json_value(value))


def _change(change: Change) -> str:
    name = "as of" if change.fact == AS_OF else change.fact
    if change.after is None:
        return f"no {change.fact} (instead of {_value(change.before)})"
    shown = f"{name} {_value(change.after)}"
    if change.before is None:
        return f"{shown} (not given)"
    return f"{shown} (instead of {_value(change.before)})"


def explain_what_if(what_if: WhatIf) -> str:
    """The counterfactuals, one per line, with the rule and clause that would decide."""
    lines = [f"  what would change the answer (at most {what_if.max_changes} changes):"]
    for counterfactual in what_if.counterfactuals:
        changes = ", ".join(_change(change) for change in counterfactual.changes)
        lines.append(f"    would be {counterfactual.outcome} with {changes}")
        if counterfactual.decision.trace:
            entry = counterfactual.decision.trace[0]
            cite = entry.citation
            lines.append(
                f"      then rule {entry.rule} ({cite.source}, art. {cite.article}) decides:"
            )
            lines.append(f"      « {cite.text} »")
    lines.extend(
        f"    never {outcome} by changing at most {what_if.max_changes} facts "
        "among the conditions' boundary values"
        for outcome in what_if.unreached
    )
    if not what_if.counterfactuals and not what_if.unreached:
        lines.append("    no other outcome")
    return "\n".join(lines)
