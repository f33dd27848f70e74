"""Compile typed conditions to durable_rules JSON rulesets.

Each rule condition is compiled twice, to negation normal form: once as
itself and once negated. Atoms are comparisons between *fields* of one fact;
a field is a fact, a derived value, a dated constant, ``as_of``, or any other
term (``initial_education_end + 2 years``), which the Kleene closures compute
before the fact is asserted. Dates are sent as day ordinals, money as cents,
booleans as 1/0, enums as their word.

Three values out of a two-valued matcher: a field whose value is unknown is
left out of the fact, and every comparison on an absent field is false, so
the condition fires only when it is surely true and its negation only when
it is surely false; neither firing means unknown. A field that reads an
optional event fact which has not happened is left out too, with a marker
``x_<field>`` that makes negated atoms true, as the Kleene evaluator does.

The engine's measured limits (``limits.py``) are applied here, at load time:
a condition too large for one engine rule becomes one boolean field, and the
rules are split over engine rulesets (``parts``) that each fit the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import attrs

from convention_rules._errors import FactError, Location, RulesetError
from convention_rules.deciding import limits
from convention_rules.deciding.kleene import ABSENT, COMPARE, UNKNOWN, Closure, Env
from convention_rules.language import syntax as a
from convention_rules.language.datatypes import BOOL
from convention_rules.law.money import Money

GUARD = "g_"
TRUE: dict[str, Any] = {GUARD: 1}
FALSE: dict[str, Any] = {GUARD: 0}

_OPS = {"==": None, "!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_NEGATE = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def encode(value: Any) -> Any:
    """A value as the engine compares it: ordinals, cents, 1/0, words as hex.

    A word (an enum value, a text literal) is sent as the hex digits of its
    UTF-8 bytes: the engine parses the rules' JSON and the facts' JSON with
    different escaping (an accent written ``\\u00e9`` in one and raw in the
    other never compared equal), and hex leaves it nothing to unescape.
    Words are only ever compared for equality, which hex preserves."""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, date):
        return value.toordinal()
    if isinstance(value, Money):
        return value.cents
    if isinstance(value, str):
        return "w" + value.encode("utf-8", "surrogatepass").hex()
    return value


@attrs.frozen
class Field:
    """A field of the asserted fact and how to compute it."""

    name: str
    compute: Closure
    may_be_absent: bool
    #: the facts the term reads, named when computing it fails (a date overflow)
    reads: tuple[str, ...] = ()


@attrs.frozen
class Part:
    """Engine rules that fit one engine ruleset, and the fact fields they read."""

    rules: dict[str, Any]
    fields: frozenset[str]


@attrs.frozen
class CompiledConditions:
    """The durable_rules JSON of a set of conditions and how to feed it."""

    rules: dict[str, Any]
    fields: tuple[Field, ...]
    #: durable rule name -> (condition key, polarity)
    names: dict[str, tuple[str, bool]]
    #: the rules split over engine rulesets small enough for the engine
    parts: tuple[Part, ...] = ()

    def fact(self, env: Env) -> dict[str, Any]:
        """The fact to assert for ``env``: unknown fields left out."""
        fact: dict[str, Any] = {GUARD: 1}
        for field in self.fields:
            try:
                value = field.compute(env)
            except FactError as exc:
                if exc.fact is not None or not field.reads:
                    raise
                raise FactError(
                    exc.message,
                    fact=", ".join(field.reads),
                    value=exc.value,
                    expected=exc.expected,
                ) from None
            if value is UNKNOWN:
                continue
            if value is ABSENT:
                fact["x_" + field.name] = 1
                continue
            fact[field.name] = encode(value)
        return fact


class ConditionCompiler:
    """Compiles named boolean conditions of one decision."""

    def __init__(
        self,
        closure: Callable[[a.Node], Closure],
        reads_optional: Callable[[a.Node], bool],
        static_constants: Mapping[str, Any],
        facts_read: Callable[[a.Node], tuple[str, ...]] | None = None,
    ) -> None:
        self.facts_read = facts_read or (lambda _node: ())
        self.closure = closure
        self.reads_optional = reads_optional
        self.static_constants = static_constants
        self.fields: dict[a.Node, Field] = {}
        self.rules: dict[str, Any] = {}
        self.names: dict[str, tuple[str, bool]] = {}
        self._rule_fields: dict[str, frozenset[str]] = {}

    def add(self, key: str, condition: a.Node, loc: Location) -> None:
        """Compile ``condition`` as the rules ``key+`` (it holds) and ``key-`` (it fails).

        A condition beyond the engine's limits for one rule (``limits.py``) is
        compiled as one boolean field that its Kleene closure computes: the
        engine then reads its truth value, and the answer is the Kleene one."""
        if not isinstance(key, str) or '"' in key:
            raise RulesetError(f"rule id {key!r} cannot hold a quote", loc)
        bodies = [self.nnf(condition, positive=polarity) for polarity in (True, False)]
        if not all(limits.fits_one_rule(body) for body in bodies):
            whole = a.Literal(loc=condition.loc, value=True, type=BOOL)
            bodies = [self.atom("==", condition, whole, positive=p) for p in (True, False)]
        rule_fields: set[str] = set()
        for polarity, body in zip((True, False), bodies, strict=True):
            name = key + ("+" if polarity else "-")
            self.rules[name] = {"all": [{"m": {"$and": [TRUE, body]}}]}
            self.names[name] = (key, polarity)
            rule_fields |= _fields_of(body)
        self._rule_fields[key] = frozenset(rule_fields)

    def result(self) -> CompiledConditions:
        # Fields only an oversized condition read (before it became one field) are dropped.
        used = set().union(*self._rule_fields.values()) if self._rule_fields else set()
        fields = tuple(f for f in self.fields.values() if f.name in used or "x_" + f.name in used)
        return CompiledConditions(dict(self.rules), fields, dict(self.names), self._parts())

    def _parts(self) -> tuple[Part, ...]:
        """The rules, in order, grouped so each group fits one engine ruleset."""
        parts: list[Part] = []
        rules: dict[str, Any] = {}
        fields: set[str] = set()
        for key, used in self._rule_fields.items():
            if rules and (
                len(rules) + 2 > limits.MAX_RULES_PER_PART
                or len(fields | used) > limits.MAX_FIELDS_PER_PART
            ):
                parts.append(Part(rules, frozenset(fields)))
                rules, fields = {}, set()
            for name in (key + "+", key + "-"):
                rules[name] = self.rules[name]
            fields |= used
        if rules:
            parts.append(Part(rules, frozenset(fields)))
        return tuple(parts)

    # -- negation normal form ------------------------------------------------
    def nnf(self, node: a.Node, *, positive: bool) -> dict[str, Any]:
        if isinstance(node, a.BoolOp):
            parts = [self.nnf(op, positive=positive) for op in node.operands]
            conjunctive = (node.op == "and") == positive
            return {"$and" if conjunctive else "$or": parts}
        if isinstance(node, a.Not):
            return self.nnf(node.operand, positive=not positive)
        if isinstance(node, a.Literal):
            return TRUE if bool(node.value) == positive else FALSE
        if isinstance(node, a.Compare):
            return self.atom(node.op, node.left, node.right, positive=positive)
        if isinstance(node, a.Membership):
            member = positive != node.negated
            atoms = [self.atom("==", node.item, option, positive=member) for option in node.options]
            return {"$or" if member else "$and": atoms}
        if isinstance(node, a.Call) and node.function == "present":
            field = self.term(node.args[0])
            assert isinstance(field, str)
            return {"$ex" if positive else "$nex": {field: 1}}
        if isinstance(node, a.Call) and node.function == "given":
            # Never unknown: a field left out (unknown or absent) is not given.
            term = self.term(node.args[0])
            if not isinstance(term, str):
                return TRUE if positive else FALSE
            return {"$ex" if positive else "$nex": {term: 1}}
        if isinstance(node, a.Call) and node.function == "known":
            # Needs the fact: true when it is given, never surely false.
            field = self.term(node.args[0])
            assert isinstance(field, str)
            return {"$ex": {field: 1}} if positive else FALSE
        if isinstance(node, a.Conditional):
            desugared = a.BoolOp(
                loc=node.loc,
                op="or",
                operands=(
                    a.BoolOp(loc=node.loc, op="and", operands=(node.condition, node.then)),
                    a.BoolOp(
                        loc=node.loc,
                        op="and",
                        operands=(a.Not(loc=node.loc, operand=node.condition), node.otherwise),
                    ),
                ),
            )
            return self.nnf(desugared, positive=positive)
        # A boolean term (a bool fact or derived value): compare it with true.
        literal_true = a.Literal(loc=node.loc, value=True, type=a.type_of(node))
        return self.atom("==", node, literal_true, positive=positive)

    def atom(self, op: str, left: a.Node, right: a.Node, *, positive: bool) -> dict[str, Any]:
        lhs, rhs = self.term(left), self.term(right)
        if not positive:
            op = _NEGATE[op]
        if not isinstance(lhs, str) and not isinstance(rhs, str):
            return TRUE if COMPARE[op](lhs[0], rhs[0]) else FALSE
        if not isinstance(lhs, str):
            lhs, rhs, op = rhs, lhs, _FLIP[op]
        assert isinstance(lhs, str)
        if isinstance(rhs, str):
            operand: Any = {"$m": rhs}
        else:
            operand = rhs[0]
        comparison: dict[str, Any] = {lhs: operand}
        if op != "==":
            comparison = {_OPS[op] or "": comparison}
        if isinstance(rhs, str):
            comparison = {"$and": [{"$ex": {rhs: 1}}, comparison]}
        if positive:
            return comparison
        markers = [
            {"x_" + side: 1}
            for side in (lhs, rhs)
            if isinstance(side, str) and self._field_may_be_absent(side)
        ]
        return {"$or": [*markers, comparison]} if markers else comparison

    def _field_may_be_absent(self, name: str) -> bool:
        return any(f.may_be_absent for f in self.fields.values() if f.name == name)

    def term(self, node: a.Node) -> str | tuple[Any]:
        """A field name, or a one-tuple holding an encoded literal."""
        if isinstance(node, a.Literal):
            return (encode(node.value),)
        if (
            isinstance(node, a.Name)
            and node.kind == "constant"
            and node.name in self.static_constants
        ):
            return (encode(self.static_constants[node.name]),)
        key = node  # nodes compare by structure, not by position
        field = self.fields.get(key)
        if field is None:
            if isinstance(node, a.Name):
                prefix = {"fact": "f_", "derived": "d_", "constant": "c_"}.get(
                    node.kind or "", "b_"
                )
                name = prefix + node.name
            else:
                name = f"t{len(self.fields)}"
            field = Field(
                name, self.closure(node), self.reads_optional(node), self.facts_read(node)
            )
            self.fields[key] = field
        return field.name


def _fields_of(body: Any) -> set[str]:
    """The fact fields (and absence markers) a compiled condition reads."""
    found: set[str] = set()
    stack = [body]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if not key.startswith("$"):
                    found.add(key)
                elif key == "$m":
                    found.add(value)
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return found
