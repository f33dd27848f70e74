"""Read facts given as JSON text (a file, standard input, a request body), bounded.

JSON facts come from outside: the text is at most 1 MB, nested at most 16
levels, numbers have at most 20 digits, keys appear once, and ``NaN``,
``Infinity`` and fractions are refused. Each refusal is a one-line
:class:`FactError` naming the fact when there is one.
"""

from __future__ import annotations

import json
from typing import Any, Final

from convention_rules._errors import FactError
from convention_rules.law.bounds import MAX_DIGITS

#: Bytes (UTF-8) of one JSON text of facts.
MAX_JSON_BYTES: Final = 2**20
#: Levels of nested arrays and objects.
MAX_JSON_DEPTH: Final = 16

__all__ = ["MAX_JSON_BYTES", "MAX_JSON_DEPTH", "decode_facts", "parse_facts"]


class _Refused(str):
    """A JSON value refused once its key is known: the reason is the text."""

    __slots__ = ()


def _number(text: str) -> Any:
    if len(text) > MAX_DIGITS + 1:
        return _Refused(f"a number of {len(text)} characters (at most {MAX_DIGITS} digits)")
    return int(text)


def _fraction(text: str) -> Any:
    if len(text) > MAX_DIGITS + 2:
        return _Refused(f"a number of {len(text)} characters (at most {MAX_DIGITS} digits)")
    # A binary float cannot hold cents, and no fact is a fractional number.
    return _Refused(
        f"the JSON number {text} has a fraction: give an integer, "
        'or an amount as a string such as "8645.50"'
    )


def _constant(text: str) -> Any:
    return _Refused(f"{text} is not a number a fact may hold")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise FactError("given twice in one JSON object", fact=key)
        if isinstance(value, _Refused):
            raise FactError(str(value), fact=key)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, _Refused):
                    raise FactError(str(item), fact=key)
        found[key] = value
    return found


_DECODER = json.JSONDecoder(
    object_pairs_hook=_pairs, parse_int=_number, parse_float=_fraction, parse_constant=_constant
)


def _depth(text: str) -> int:
    """Deepest nesting of arrays and objects, strings skipped (linear, no recursion)."""
    deepest = level = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            level += 1
            deepest = max(deepest, level)
        elif char in "]}":
            level -= 1
    return deepest


def parse_facts(text: str, source: str) -> Any:
    """The facts in JSON ``text`` (named ``source`` in errors), or a ``FactError``."""
    if len(text) > MAX_JSON_BYTES:
        raise FactError(f"facts from {source}: more than {MAX_JSON_BYTES} characters")
    brackets = text.count("[") + text.count("{")
    if brackets > MAX_JSON_DEPTH and _depth(text) > MAX_JSON_DEPTH:
        raise FactError(f"facts from {source}: nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        facts = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise FactError(
            f"facts from {source} are not valid JSON: {exc.msg} at line {exc.lineno}"
        ) from None
    if isinstance(facts, _Refused):
        raise FactError(f"facts from {source}: {facts}")
    return facts


def decode_facts(data: bytes, source: str) -> Any:
    """The facts in JSON ``data`` (UTF-8 bytes), or a ``FactError`` (also for bad UTF-8)."""
    if len(data) > MAX_JSON_BYTES:
        raise FactError(f"facts from {source}: more than {MAX_JSON_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FactError(
            f"facts from {source} are not UTF-8 text (byte {exc.start}: {exc.reason})"
        ) from None
    return parse_facts(text, source)
