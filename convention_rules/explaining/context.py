"""What the explainer reads: a decision (a protocol) and the specs it was decided on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Protocol

import attrs

from convention_rules.reading.loader import RulesetSpec
from convention_rules.reading.model import Citation, DecisionSpec, Version


class TraceLike(Protocol):
    """A rule of the trace: ``convention_rules.TraceEntry`` has this shape."""

    @property
    def rule(self) -> str: ...
    @property
    def citation(self) -> Citation: ...
    @property
    def facts(self) -> Mapping[str, Any]: ...
    @property
    def reading(self) -> str | None: ...
    @property
    def overridden_by(self) -> str | None: ...


class Explainable(Protocol):
    """A decision: ``convention_rules.Decision`` has this shape."""

    @property
    def ruleset(self) -> str: ...
    @property
    def decision(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def values(self) -> Mapping[str, Any]: ...
    @property
    def missing(self) -> tuple[str, ...]: ...
    @property
    def trace(self) -> Sequence[TraceLike]: ...
    @property
    def as_of(self) -> date: ...


@attrs.frozen
class ExplanationContext:
    """The specs a decision was computed from, and the values it saw.

    ``bindings`` holds every known value by name: the facts as coerced, the
    constants in force, ``as_of`` and the derived values computed; a fact that
    was missing (or an event that has not happened) is not in it.
    """

    ruleset: RulesetSpec
    decision: DecisionSpec
    version: Version | None
    bindings: Mapping[str, Any]
