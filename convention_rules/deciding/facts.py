"""Validate and coerce the facts given to a decision.

Facts come from JSON, YAML case files or Python. Each is checked against its
declaration; a value that does not fit raises :class:`FactError` naming the
fact, the value and what is accepted. ``None`` means absent. An absent
optional (event) fact is ``ABSENT``: the event has not happened. An absent
required fact is left out: the answer may be undetermined.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from convention_rules._errors import FactError
from convention_rules.deciding.kleene import ABSENT
from convention_rules.language.datatypes import Type
from convention_rules.law import legaltime as lt
from convention_rules.law.bounds import INT_LIMIT, MAX_AMOUNT_CENTS, MAX_TEXT, check_day
from convention_rules.law.money import Money
from convention_rules.reading.model import FactSpec


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
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise FactError("not a date (too long)", fact=name, value=value, expected="YYYY-MM-DD")
        return check_day(lt.parse_date(value, fact=name), name)
    if kind.name == "money":
        try:
            amount = Money.of(value)
        except FactError as exc:
            raise FactError(exc.message, fact=name, value=value, expected=exc.expected) from None
        if amount.cents < 0:
            raise FactError(
                "an amount is never negative", fact=name, value=value, expected="an amount >= 0"
            )
        if amount.cents >= MAX_AMOUNT_CENTS:
            raise FactError(
                "the amount is beyond 10^12 EUR",
                fact=name,
                value=value,
                expected="an amount below 1000000000000.00 EUR",
            )
        return amount
    if kind.is_enum:
        assert kind.values is not None
        if isinstance(value, str) and len(value) <= MAX_TEXT:
            # Enum words are NFC in rulesets (the reader normalises them): a
            # decomposed accent given as a fact is the same word.
            value = unicodedata.normalize("NFC", value)
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


def _coercer(name: str, spec: FactSpec) -> Callable[[Any], Any]:
    """The coercion of one declared fact, chosen once (dates and booleans take a short path)."""
    kind = spec.type
    if kind.name == "date":

        def date_fact(value: Any) -> Any:
            if (
                type(value) is str
                and len(value) == 10
                and value[4] == value[7] == "-"
                and value.isascii()
            ):
                try:  # "YYYY-MM-DD", the common form, without parse_date's dispatch
                    return check_day(date.fromisoformat(value), name)
                except ValueError:
                    pass  # parse_date says what is wrong
            elif type(value) is date:
                return check_day(value, name)
            return _coerce(name, kind, value, spec)

        return date_fact
    if kind.name == "bool":

        def bool_fact(value: Any) -> Any:
            if value is True or value is False:
                return value
            return _coerce(name, kind, value, spec)

        return bool_fact
    return lambda value: _coerce(name, kind, value, spec)


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
        self.coercers = {name: _coercer(name, spec) for name, spec in self.specs.items()}
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
        if type(raw) is not dict and not isinstance(raw, Mapping):  # (the ABC check is slow)
            raise FactError(
                "facts must be a JSON object of name: value", value=raw, expected="an object"
            )
        coercers = self.coercers
        env: dict[str, Any] = {}
        for name, value in raw.items():
            coerce = coercers.get(name)  # a key that is not a str is never a fact's name
            if coerce is None:
                listed = ", ".join(self.inputs) or "none"
                raise FactError(
                    f"unknown fact for {self.where}",
                    fact=str(name),
                    value=value,
                    expected=f"one of: {listed}",
                )
            if value is not None:
                env[name] = coerce(value)
        if self.absent:
            for name, default in self.absent.items():
                if name not in env:
                    env[name] = default
        return env
