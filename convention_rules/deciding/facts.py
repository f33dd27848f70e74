"""Validate and coerce the facts given to a decision.

Facts come from JSON, YAML case files or Python. Each is checked against its
declaration; a value that does not fit raises :class:`FactError` naming the
fact, the value and what is accepted. ``None`` means absent. An absent
optional (event) fact is ``ABSENT``: the event has not happened. An absent
required fact is left out: the answer may be undetermined.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from convention_rules._errors import FactError
from convention_rules.deciding.kleene import ABSENT
from convention_rules.language.datatypes import Type
from convention_rules.law import legaltime as lt
from convention_rules.law.money import Money
from convention_rules.reading.model import FactSpec

#: The engine compares 64-bit integers and saturates beyond; stay well inside.
INT_LIMIT = 2**53


def _coerce(name: str, kind: Type, value: Any, spec: FactSpec | None) -> Any:
    if kind.name == "bool":
        if not isinstance(value, bool):
            raise FactError("not a boolean", fact=name, value=value, expected="true or false")
        return value
    if kind.name == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise FactError("not a whole number", fact=name, value=value, expected="an integer")
        if abs(value) > INT_LIMIT:
            raise FactError("out of range", fact=name, value=value, expected=f"|n| <= {INT_LIMIT}")
        if spec is not None and spec.minimum is not None and value < spec.minimum:
            raise FactError(
                f"{value} is below the minimum",
                fact=name,
                value=value,
                expected=f"an integer >= {spec.minimum}",
            )
        if spec is not None and spec.maximum is not None and value > spec.maximum:
            raise FactError(
                f"{value} is above the maximum",
                fact=name,
                value=value,
                expected=f"an integer <= {spec.maximum}",
            )
        return value
    if kind.name == "date":
        return lt.parse_date(value, fact=name)
    if kind.name == "money":
        try:
            amount = Money.of(value)
        except FactError as exc:
            raise FactError(exc.message, fact=name, value=value, expected=exc.expected) from None
        if amount.cents < 0:
            raise FactError(
                "an amount is never negative", fact=name, value=value, expected="an amount >= 0"
            )
        return amount
    if kind.is_enum:
        assert kind.values is not None
        if not isinstance(value, str) or value not in kind.values:
            raise FactError(
                "not an accepted value",
                fact=name,
                value=value,
                expected="one of " + ", ".join(kind.values),
            )
        return value
    if kind.is_list:
        assert kind.item is not None
        if not isinstance(value, list | tuple):
            raise FactError("not a list", fact=name, value=value, expected=f"a {kind}")
        return [_coerce(f"{name}[{i}]", kind.item, item, None) for i, item in enumerate(value)]
    raise FactError(f"facts of type {kind} are not supported", fact=name, value=value)


def coerce_fact(name: str, kind: Type, value: Any, spec: FactSpec | None) -> Any:
    """One fact's value checked and coerced (the batch evaluator reuses it per distinct cell)."""
    return _coerce(name, kind, value, spec)


class Validator:
    """Validates the facts of one decision: its inputs, and nothing else."""

    def __init__(
        self, declared: Mapping[str, FactSpec], inputs: tuple[str, ...], where: str
    ) -> None:
        self.inputs = inputs
        self.where = where
        self.specs = {name: declared[name] for name in inputs}
        #: what an absent fact becomes: its default, ABSENT (an event that has
        #: not happened), or nothing (a required fact: missing)
        self.absent = {
            name: spec.default if spec.default is not None else ABSENT
            for name, spec in self.specs.items()
            if spec.default is not None or spec.optional
        }

    def __call__(self, raw: Mapping[str, Any] | None) -> dict[str, Any]:
        """The environment of typed facts for one decision."""
        if raw is None:
            raw = {}
        if not isinstance(raw, Mapping):
            raise FactError(
                "facts must be a JSON object of name: value", value=raw, expected="an object"
            )
        specs = self.specs
        env: dict[str, Any] = {}
        for name, value in raw.items():
            spec = specs.get(name) if isinstance(name, str) else None
            if spec is None:
                listed = ", ".join(self.inputs) or "none"
                raise FactError(
                    f"unknown fact for {self.where}",
                    fact=str(name),
                    value=value,
                    expected=f"one of: {listed}",
                )
            if value is not None:
                env[name] = _coerce(name, spec.type, value, spec)
        for name, default in self.absent.items():
            if name not in env:
                env[name] = default
        return env
