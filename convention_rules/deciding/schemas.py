"""JSON Schemas (draft 2020-12) of what a caller sends and gets back.

``facts_schema`` describes the facts of one decision: each input with its
type (dates as ``format: date`` and a pattern, money as a string of euros or a
whole number, enums as their words, integers with their bounds), ``null`` as
absent, and no other name. No fact is ``required``: an absent fact makes the
answer *undetermined* (or, for an event fact, means it has not happened), which
the vendor keyword ``x-when-absent`` says for each fact.

``answer_schema`` describes the decision JSON (``Decision.to_dict()``): the
outcome words, the values with their types, the missing facts, the trace.

A schema is sound for the facts: facts it accepts pass the library's checks,
except the cross-fact ``constraints`` of a ruleset (``end`` before ``start``),
which no schema states. The library's own messages stay the reference for why
a fact is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from convention_rules.deciding.decision import UNDETERMINED, json_value
from convention_rules.language.datatypes import Type
from convention_rules.law.bounds import INT_LIMIT
from convention_rules.reading.model import DecisionSpec, FactSpec

Schema = dict[str, Any]

DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: The outcomes any decision may give besides its own (decisions.md, *Common semantics*).
COMMON_OUTCOMES = (UNDETERMINED, "not_covered", "not_in_force", "expires_first")

#: A date of the years the library accepts (1900 to 2200, ``law/bounds.py``).
_ISO_DATE = {
    "type": "string",
    "format": "date",
    "pattern": "^(19[0-9]{2}|2[01][0-9]{2}|2200)-[0-9]{2}-[0-9]{2}$",
}
#: A date as an answer writes it: a computed date may fall past 2200 (a period after a late
#: date), only the dates a caller gives are bounded.
_ISO_DATE_OUT = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
#: A timestamp with an offset, as strict as a pattern can be: years 1901 to 2199 (the
#: offset may not carry the day out of the accepted years), days that exist in every year
#: (29 February is only given as a date), hours and offsets that exist.
_TIMESTAMP = {
    "type": "string",
    "pattern": (
        "^(190[1-9]|19[1-9][0-9]|2[01][0-9]{2})-"
        "((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)"
        "T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,6})?)?"
        "(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
    ),
    "description": "an ISO 8601 timestamp with an offset, taken as its date in Europe/Paris",
}
#: An amount a caller gives: below 10^12 EUR (``law/bounds.py``), at most two decimals.
_AMOUNT_IN = {"type": "string", "pattern": "^[0-9]{1,12}([.][0-9]{1,2})?$"}
_AMOUNT_OUT = {"type": "string", "pattern": "^-?[0-9]+[.][0-9]{2}$"}

_ABSENT = {
    "unknown": "absent or null: not known; the answer may be undetermined",
    "not_happened": "absent or null: the event has not happened",
    "default": "absent or null: the default applies",
}


def _fact_branches(kind: Type, spec: FactSpec | None) -> list[Schema]:
    """The schemas a fact's value may match, as a caller may send it."""
    if kind.name == "bool":
        return [{"type": "boolean"}]
    if kind.name == "int":
        low = -INT_LIMIT if spec is None or spec.minimum is None else max(spec.minimum, -INT_LIMIT)
        high = INT_LIMIT if spec is None or spec.maximum is None else min(spec.maximum, INT_LIMIT)
        return [{"type": "integer", "minimum": low, "maximum": high}]
    if kind.name == "date":
        return [dict(_ISO_DATE), dict(_TIMESTAMP)]
    if kind.name == "money":
        return [dict(_AMOUNT_IN), {"type": "integer", "minimum": 0, "maximum": 10**12 - 1}]
    if kind.is_enum:
        assert kind.values is not None
        return [{"type": "string", "enum": list(kind.values)}]
    if kind.is_list:
        assert kind.item is not None
        items = _fact_branches(kind.item, None)
        return [{"type": "array", "items": items[0] if len(items) == 1 else {"anyOf": items}}]
    msg = f"facts of type {kind} have no schema"
    raise TypeError(msg)


def _answer_type(kind: Type) -> Schema:
    """The schema of a value as the decision JSON writes it."""
    if kind.name == "bool":
        return {"type": "boolean"}
    if kind.name == "int":
        return {"type": "integer"}
    if kind.name == "date":
        return dict(_ISO_DATE_OUT)
    if kind.name == "money":
        return dict(_AMOUNT_OUT)
    if kind.is_enum:
        assert kind.values is not None
        return {"type": "string", "enum": list(kind.values)}
    if kind.is_list:
        assert kind.item is not None
        return {"type": "array", "items": _answer_type(kind.item)}
    return {"type": "string"}  # text, rate ("15 %"), period


def _absence(spec: FactSpec) -> str:
    if spec.default is not None:
        return "default"
    return "not_happened" if spec.optional else "unknown"


def fact_schema(spec: FactSpec) -> Schema:
    """One fact: its type or ``null``, with its description and what absence means."""
    absence = _absence(spec)
    schema: Schema = {
        "title": spec.name,
        "anyOf": [*_fact_branches(spec.type, spec), {"type": "null"}],
        "x-type": str(spec.type),
        "x-when-absent": absence,
    }
    description = spec.description.strip()
    note = _ABSENT[absence]
    schema["description"] = f"{description} {note[0].upper()}{note[1:]}." if description else note
    if spec.default is not None:
        schema["default"] = json_value(spec.default)
    return schema


def facts_schema(ruleset: str, decision: DecisionSpec, facts: Mapping[str, FactSpec]) -> Schema:
    """The JSON Schema of the facts object of ``decision``."""
    return {
        "$schema": DIALECT,
        "$id": f"urn:convention-rules:{ruleset}:{decision.name}:facts",
        "title": f"facts of {ruleset}/{decision.name}",
        "description": decision.title,
        "type": "object",
        "properties": {name: fact_schema(facts[name]) for name in decision.inputs},
        "required": [],
        "additionalProperties": False,
    }


def _value_types(versions: Iterable[DecisionSpec]) -> dict[str, list[Type]]:
    """Every value a decision computes in any version, with its types."""
    types: dict[str, list[Type]] = {}
    for spec in versions:
        for value in (*spec.values, *(v for rule in spec.rules for v in rule.values)):
            kind = getattr(value.expr, "type", None)
            assert isinstance(kind, Type)
            known = types.setdefault(value.name, [])
            if kind not in known:
                known.append(kind)
        if spec.problems_value is not None:
            words = tuple(dict.fromkeys(p for rule in spec.rules for p in rule.problems))
            types[spec.problems_value] = [Type.list_of(Type.enum(words))]
    return types


def _one_of_types(kinds: list[Type]) -> Schema:
    schemas = [_answer_type(kind) for kind in kinds]
    return schemas[0] if len(schemas) == 1 else {"anyOf": schemas}


def answer_schema(
    ruleset: str, versions: tuple[DecisionSpec, ...], facts: Mapping[str, FactSpec]
) -> Schema:
    """The JSON Schema of the decision JSON of one decision (over all its versions)."""
    latest = versions[-1]
    outcomes: list[str] = []
    for spec in versions:
        outcomes.extend(o for o in spec.outcomes if o not in outcomes)
    outcomes.extend(o for o in COMMON_OUTCOMES if o not in outcomes)
    inputs = latest.inputs
    values = {name: _one_of_types(kinds) for name, kinds in _value_types(versions).items()}
    trace_facts = {name: _answer_type(facts[name].type) for name in inputs}
    text = {"type": "string"}
    entry = {
        "type": "object",
        "properties": {
            "rule": {"type": "string", "description": "the rule's id, or otherwise"},
            "source": {"type": "string", "description": "the source text's file"},
            "article": {"type": "string"},
            "text": {"type": "string", "description": "the verbatim clause"},
            "facts": {
                "type": "object",
                "properties": trace_facts,
                "additionalProperties": False,
                "description": "the known facts the rule read",
            },
            "reading": {"type": "string", "description": "the interpretation chosen"},
            "overridden_by": {"type": "string", "description": "the exception that applies"},
        },
        "required": ["rule", "source", "article", "text"],
        "additionalProperties": False,
    }
    return {
        "$schema": DIALECT,
        "$id": f"urn:convention-rules:{ruleset}:{latest.name}:answer",
        "title": f"answer of {ruleset}/{latest.name}",
        "description": latest.title,
        "type": "object",
        "properties": {
            "ruleset": {"const": ruleset},
            "decision": {"const": latest.name},
            "outcome": {"type": "string", "enum": outcomes},
            "values": {
                "type": "object",
                "properties": values,
                "additionalProperties": False,
                "description": "the values the known facts determine (unknown ones omitted)",
            },
            "missing": {
                "type": "array",
                "items": {"type": "string", "enum": list(inputs)},
                "uniqueItems": True,
                "description": "facts still needed; empty unless undetermined",
            },
            "trace": {"type": "array", "items": entry},
            "as_of": dict(_ISO_DATE),
            "version": {
                "type": ["string", "null"],
                "description": "the agreement's version in force (null: no versions)",
            },
            "explanation": {
                **text,
                "description": "the explanation, when the HTTP API is asked ?explain=",
            },
        },
        "required": [
            "ruleset",
            "decision",
            "outcome",
            "values",
            "missing",
            "trace",
            "as_of",
            "version",
        ],
        "additionalProperties": False,
    }
