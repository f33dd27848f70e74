"""Three-valued rule statuses from durable_rules, asserting as little as it can.

Each condition is compiled in both polarities (``compiler.py``): ``<rule>+`` fires
when it surely holds, ``<rule>-`` when it surely fails. The polarities go to two
engine rulesets. The positive one answers every decision; the negative one is
asked only when a field that some undecided rule reads is unknown:

- a field left out of the fact because its value is *unknown* is the only way
  a condition can be neither true nor false: an ``ABSENT`` field (an event that
  has not happened) is two-valued already, through its ``x_<field>`` marker;
- so a rule that reads no unknown field and did not fire positively is surely
  false, as its negation would have fired. Most decisions (every fact given)
  take one assertion with half the rules, not one with all of them.

The property tests (``durable == kleene``) hold the two paths to the same answers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from convention_rules.deciding.compiler import GUARD, CompiledConditions, encode
from convention_rules.deciding.engine import DurableMatcher
from convention_rules.deciding.kleene import ABSENT, UNKNOWN, Env
from convention_rules.law.money import Money

_NOT_READ: Any = object()
_string = json.encoder.encode_basestring  # the C encoder of JSON strings
_encode_any = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _scalar(value: Any) -> str:
    """A field's value as JSON, as ``compiler.encode`` and the JSON encoder would write it."""
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is bool:
        return "1" if value else "0"
    if kind is date:
        return str(value.toordinal())
    if kind is Money:
        return str(value.cents)
    if kind is str:
        return str(_string(value))
    return str(_encode_any(encode(value)))


def _names_in(body: Any, fields: frozenset[str]) -> set[str]:
    """The fields a compiled condition reads: its keys and ``$m`` operands."""
    found: set[str] = set()
    if isinstance(body, dict):
        for key, value in body.items():
            if key in fields:
                found.add(key)
            if key == "$m" and value in fields:
                found.add(value)
            found |= _names_in(value, fields)
    elif isinstance(body, list):
        for item in body:
            found |= _names_in(item, fields)
    return found


def flatten(body: Any) -> Any:
    """The same condition with nested ``$and`` (``$or``) folded into their parent: fewer
    engine nodes to walk, the same truth (both are associative)."""
    if isinstance(body, list):
        return [flatten(item) for item in body]
    if not isinstance(body, dict):
        return body
    out: dict[str, Any] = {}
    for key, value in body.items():
        if key in ("$and", "$or") and isinstance(value, list):
            items: list[Any] = []
            for item in (flatten(v) for v in value):
                if isinstance(item, dict) and list(item) == [key]:
                    items.extend(item[key])
                else:
                    items.append(item)
            out[key] = items
        else:
            out[key] = flatten(value)
    return out


class PolarityMatcher:
    """The status (True, False, None) of every rule of one compiled decision."""

    def __init__(self, label: str, conditions: CompiledConditions, rule_ids: Iterable[str]) -> None:
        names = conditions.names
        positive = {n: flatten(body) for n, body in conditions.rules.items() if names[n][1]}
        negative = {n: flatten(body) for n, body in conditions.rules.items() if not names[n][1]}
        self.holds = DurableMatcher(label + "+", positive)
        self.fails = DurableMatcher(label + "-", negative)
        self.fields = tuple(field.name for field in conditions.fields)
        #: (name, how to compute it, the env name it may be read from directly (a fact's
        #: ``f_<fact>``, a derived value's ``d_<name>`` once computed), its JSON key, its
        #: marker's JSON member)
        self._computed: tuple[tuple[str, Callable[[Env], Any], str, str, str], ...] = tuple(
            (
                f.name,
                f.compute,
                f.name[2:] if f.name.startswith(("f_", "d_")) else "",
                f'"{f.name}":',
                f'"x_{f.name}":1',
            )
            for f in conditions.fields
        )
        self._guard = f'"{GUARD}":1'
        known = frozenset(self.fields)
        #: (rule id, its positive name, its negative name, the fields it reads)
        self.rules = tuple(
            (
                rule_id,
                rule_id + "+",
                rule_id + "-",
                frozenset(
                    _names_in(conditions.rules[rule_id + "+"], known)
                    | _names_in(conditions.rules[rule_id + "-"], known)
                ),
            )
            for rule_id in rule_ids
        )

    def members(self, env: Env) -> tuple[str, set[str]]:
        """The fact for ``env`` as JSON members (as ``CompiledConditions.fact`` builds it,
        written straight to JSON), and the names of the fields whose value is unknown."""
        parts = [self._guard]
        unknown: set[str] = set()
        get = env.get
        for name, compute, direct, key, marker in self._computed:
            value = get(direct, _NOT_READ) if direct else _NOT_READ
            if value is _NOT_READ:
                value = compute(env)  # (a fact's closure returns UNKNOWN when it is missing)
            kind = type(value)
            if kind is int:  # the common kinds first, written inline: this runs per field
                parts.append(key + str(value))
            elif kind is date:
                parts.append(key + str(value.toordinal()))
            elif value is UNKNOWN:
                unknown.add(name)
            elif value is ABSENT:
                parts.append(marker)
            else:
                parts.append(key + _scalar(value))
        return ",".join(parts), unknown

    def status(self, env: Env) -> dict[str, bool | None]:
        """Each rule's status in ``env`` (its fields computed, unknown ones left out)."""
        members, unknown = self.members(env)
        fired = self.holds.match_members(members)
        if not unknown:
            return {rule_id: holds in fired for rule_id, holds, _, _ in self.rules}
        status: dict[str, bool | None] = {}
        undecided = False
        for rule_id, holds, _, reads in self.rules:
            if holds in fired:
                status[rule_id] = True
            elif reads & unknown:
                status[rule_id] = None
                undecided = True
            else:
                status[rule_id] = False
        if undecided:
            failed = self.fails.match_members(members)
            for rule_id, _, fails, _ in self.rules:
                if status[rule_id] is None and fails in failed:
                    status[rule_id] = False
        return status
