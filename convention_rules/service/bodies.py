"""Request bodies read strictly: JSON text, one object of facts, nothing ambiguous.

A duplicate key is refused (``{"a": 1, "a": 2}`` means nothing sure), as is a
number with a fraction (a binary float cannot hold cents; no fact is
fractional), ``NaN`` and the infinities, text that is not UTF-8, and nesting or
numbers beyond what the parser reads. Every refusal is a ``FactError`` whose
one line names the fact when there is one.
"""

from __future__ import annotations

import json
from typing import Any

from convention_rules._errors import FactError

#: What a refused fraction is replaced by while parsing, so that the object
#: holding it can name the fact.
_EXPECTED_NUMBER = 'an integer, or an amount as a string such as "8645.50"'


class _Fraction(str):
    """A JSON number with a fraction, kept as its text until its fact is known."""

    __slots__ = ()


def _fraction(text: str) -> _Fraction:
    return _Fraction(text)


def _constant(text: str) -> Any:
    raise FactError(f"{text} is not a valid fact value", value=text)


def _refuse_fractions(name: str, value: Any) -> None:
    if isinstance(value, _Fraction):
        raise FactError(
            "a JSON number with a fraction is not accepted",
            fact=name,
            value=str(value),
            expected=_EXPECTED_NUMBER,
        )
    if isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_fractions(f"{name}[{index}]", item)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, value in pairs:
        if name in result:
            raise FactError("the key appears twice in the JSON object", fact=name)
        _refuse_fractions(name, value)
        result[name] = value
    return result


def parse_facts(body: bytes) -> dict[str, Any]:
    """The facts object of a request body; ``FactError`` for anything else."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise FactError("the body is not UTF-8 text") from None
    if not text.strip():
        raise FactError("the body is empty", expected="a JSON object of facts, such as {}")
    try:
        facts = json.loads(
            text, object_pairs_hook=_object, parse_float=_fraction, parse_constant=_constant
        )
    except FactError:
        raise
    except json.JSONDecodeError as exc:
        raise FactError(f"the body is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except (RecursionError, ValueError) as exc:  # nesting too deep, an integer too long
        raise FactError(f"the body cannot be read as JSON: {exc}") from None
    if not isinstance(facts, dict):
        raise FactError(
            "the body must be a JSON object of facts", expected='an object such as {"name": value}'
        )
    return facts
