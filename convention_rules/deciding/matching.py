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

A decision whose rules do not fit one engine ruleset (``limits.py``) is split in
parts (``compiler.py``): each part has its two polarities, asked with the fields
it reads. A fact holding a number beyond the engine's integers is not sent at
all: :meth:`PolarityMatcher.status` returns ``None`` and the caller compares
outside the engine (with the Kleene evaluator). Words go to the engine as the
hex of their UTF-8 bytes, as ``compiler.encode`` writes them.

The property tests (``durable == kleene``) hold the two paths to the same answers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from convention_rules._errors import FactError
from convention_rules.deciding.compiler import GUARD, CompiledConditions, Part, encode
from convention_rules.deciding.engine import DurableMatcher
from convention_rules.deciding.kleene import ABSENT, UNKNOWN, Env
from convention_rules.deciding.limits import ENGINE_INT_LIMIT
from convention_rules.law.money import Money

_NOT_READ: Any = object()
_encode_any = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


class _BeyondEngineError(Exception):
    """A number the engine's integers cannot hold: compare outside the engine."""


def _int(value: int) -> str:
    if not -ENGINE_INT_LIMIT <= value <= ENGINE_INT_LIMIT:
        raise _BeyondEngineError
    return str(value)


def _scalar(value: Any) -> str:
    """A field's value as JSON, as ``compiler.encode`` and the JSON encoder would write it."""
    kind = type(value)
    if kind is int:
        return _int(value)
    if kind is bool:
        return "1" if value else "0"
    if kind is date:
        return str(value.toordinal())
    if kind is Money:
        return _int(value.cents)
    if kind is str:
        return '"' + str(encode(value)) + '"'  # "w" + hex: nothing for the engine to unescape
    encoded = encode(value)
    if type(encoded) is int:
        return _int(encoded)
    return str(_encode_any(encoded))


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


class PolarityMatcher:
    """The status (True, False, None) of every rule of one compiled decision."""

    def __init__(self, label: str, conditions: CompiledConditions, rule_ids: Iterable[str]) -> None:
        names = conditions.names
        markers = {"x_" + field.name for field in conditions.fields}
        parts = conditions.parts or (
            Part(conditions.rules, frozenset(f.name for f in conditions.fields) | markers),
        )
        #: per engine ruleset: its positive and negative matchers and the fields it reads
        self.parts = tuple(
            (
                DurableMatcher(tag + "+", {n: b for n, b in part.rules.items() if names[n][1]}),
                DurableMatcher(tag + "-", {n: b for n, b in part.rules.items() if not names[n][1]}),
                part.fields,
            )
            for tag, part in (
                (label if len(parts) == 1 else f"{label}.{i}", part)
                for i, part in enumerate(parts, 1)
            )
        )
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
        self._reads = {f.name: f.reads for f in conditions.fields}
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

    def members(self, env: Env) -> tuple[list[tuple[str, str]], set[str]]:
        """The fact for ``env`` as JSON members, each with the field it gives (as
        ``CompiledConditions.fact`` builds it, written straight to JSON), and the names
        of the fields whose value is unknown. A number beyond the engine's integers
        raises :class:`_BeyondEngineError`."""
        members = [(GUARD, self._guard)]
        unknown: set[str] = set()
        get = env.get
        for name, compute, direct, key, marker in self._computed:
            value = get(direct, _NOT_READ) if direct else _NOT_READ
            if value is _NOT_READ:
                value = self._compute(name, compute, env)
            kind = type(value)
            if kind is int:  # the common kinds first, written inline: this runs per field
                members.append((name, key + _int(value)))
            elif kind is date:
                members.append((name, key + str(value.toordinal())))
            elif value is UNKNOWN:
                unknown.add(name)
            elif value is ABSENT:
                members.append(("x_" + name, marker))
            else:
                members.append((name, key + _scalar(value)))
        return members, unknown

    def _compute(self, name: str, compute: Callable[[Env], Any], env: Env) -> Any:
        try:
            return compute(env)  # (a fact's closure returns UNKNOWN when it is missing)
        except FactError as exc:  # named as CompiledConditions.fact names it
            reads = self._reads[name]
            if exc.fact is not None or not reads:
                raise
            raise FactError(
                exc.message, fact=", ".join(reads), value=exc.value, expected=exc.expected
            ) from None

    def _fired(self, members: list[tuple[str, str]], positive: bool) -> set[str]:
        """The engine rules of one polarity that fire, over every part."""
        if len(self.parts) == 1:
            holds, fails, _ = self.parts[0]
            return (holds if positive else fails).match_members(",".join(m for _, m in members))
        fired: set[str] = set()
        for holds, fails, fields in self.parts:
            chosen = ",".join(m for f, m in members if f == GUARD or f in fields)
            fired |= (holds if positive else fails).match_members(chosen)
        return fired

    def status(self, env: Env) -> dict[str, bool | None] | None:
        """Each rule's status in ``env`` (its fields computed, unknown ones left out);
        ``None`` when a number is beyond the engine (the caller compares outside it)."""
        try:
            members, unknown = self.members(env)
        except _BeyondEngineError:
            return None
        fired = self._fired(members, positive=True)
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
            failed = self._fired(members, positive=False)
            for rule_id, _, fails, _ in self.rules:
                if status[rule_id] is None and fails in failed:
                    status[rule_id] = False
        return status
