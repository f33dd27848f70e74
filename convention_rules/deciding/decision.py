"""The answer to a question: an outcome, its values, and why.

A :class:`Decision` is a frozen value. ``to_dict()`` gives the JSON contract
of ``decisions.md``; ``str()`` explains it in a few lines a person can read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, NamedTuple

import attrs

from convention_rules._errors import ConventionRulesError
from convention_rules.deciding.kleene import ABSENT, UNKNOWN
from convention_rules.explaining.context import ExplanationContext
from convention_rules.law.legaltime import Period
from convention_rules.law.money import Money, Rate
from convention_rules.reading.loader import RulesetSpec
from convention_rules.reading.model import Citation, DecisionSpec, Version

UNDETERMINED = "undetermined"


def json_value(value: Any) -> Any:
    """A value as the JSON contract writes it: ISO dates, money as "0.00"."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Money):
        return value.to_json()
    if isinstance(value, Rate | Period):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    msg = f"no JSON form for {value!r}"
    raise TypeError(msg)


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only copy; a read-only view is kept as it is (the library passes views of
    dicts it made for the decision and holds no other reference to)."""
    if type(value) is MappingProxyType:
        return value
    return MappingProxyType(dict(value))


@attrs.frozen
class TraceEntry:
    """A rule that fired: what it says, where it comes from, what it read."""

    rule: str
    citation: Citation
    facts: Mapping[str, Any] = attrs.field(converter=_frozen_mapping, factory=dict)
    reading: str | None = None
    overridden_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, **self.citation.to_dict()}
        if self.facts:
            out["facts"] = {name: json_value(v) for name, v in self.facts.items()}
        if self.reading:
            out["reading"] = self.reading
        if self.overridden_by:
            out["overridden_by"] = self.overridden_by
        return out


class Provenance(NamedTuple):
    """What a decision was computed from: kept (not copied) to explain it on demand.

    A named tuple, not an attrs class: one is made with every decision, and a tuple is
    the cheapest frozen value to make."""

    ruleset: RulesetSpec
    decision: DecisionSpec
    version: Version | None
    env: Mapping[str, Any]

    def context(self) -> ExplanationContext:
        known = {
            name: value
            for name, value in self.env.items()
            if value is not ABSENT and value is not UNKNOWN and not name.startswith("_")
        }
        return ExplanationContext(self.ruleset, self.decision, self.version, known)


@attrs.frozen
class Decision:
    """An explained answer of one decision of one ruleset.

    ``explain()`` writes it for a person, in French or English; ``to_dict()`` is
    the JSON contract. ``provenance`` (set by :class:`Ruleset`, left out of
    equality) holds the specs and facts it was computed from.
    """

    ruleset: str
    decision: str
    outcome: str
    values: Mapping[str, Any] = attrs.field(converter=_frozen_mapping)
    missing: tuple[str, ...]
    trace: tuple[TraceEntry, ...]
    as_of: date
    version: str | None = None
    provenance: Provenance | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def determined(self) -> bool:
        return self.outcome != UNDETERMINED

    def explain(self, lang: str = "fr", fmt: str = "text") -> str:
        """The explanation for a person: ``lang`` ``fr`` (default) or ``en``; ``fmt``
        ``text``, ``markdown`` (a web page) or ``rich`` (a terminal, ANSI styles).

        The outcome in a sentence, the values and how they were computed, each
        deciding rule with its article and verbatim clause, the facts missing and
        the rules that need them, the readings applied.
        """
        from convention_rules.explaining.explainer import explain  # noqa: PLC0415 (on demand)

        if self.provenance is None:
            from convention_rules.explaining.catalogue import messages  # noqa: PLC0415

            raise ConventionRulesError(str(messages("en")["errors"]["no_context"]))
        return explain(self, self.provenance.context(), lang, fmt)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ruleset": self.ruleset,
            "decision": self.decision,
            "outcome": self.outcome,
            "values": {name: json_value(value) for name, value in self.values.items()},
            "missing": list(self.missing),
            "trace": [entry.to_dict() for entry in self.trace],
            "as_of": self.as_of.isoformat(),
            "version": self.version,
        }
        return out

    def __str__(self) -> str:
        version = f", {self.version}" if self.version else ""
        lines = [
            f"{self.ruleset} / {self.decision} (as of {self.as_of.isoformat()}{version}): "
            f"{self.outcome}"
        ]
        for name, value in self.values.items():
            shown = value.format_fr() if isinstance(value, Money) else json_value(value)
            if isinstance(shown, list):
                shown = ", ".join(str(item) for item in shown) or "none"
            lines.append(f"  {name} = {shown}")
        if self.missing:
            lines.append("  missing facts: " + ", ".join(self.missing))
        for entry in self.trace:
            cite = entry.citation
            verb = "would apply, but" if entry.overridden_by else "because"
            lines.append(f"  {verb} rule {entry.rule} ({cite.source}, art. {cite.article}):")
            if entry.overridden_by:
                lines.append(f"    exception {entry.overridden_by} applies")
            lines.append(f"    « {cite.text} »")
            if entry.reading:
                lines.append(f"    reading: {entry.reading}")
        return "\n".join(lines)
