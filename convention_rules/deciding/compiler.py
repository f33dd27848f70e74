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

The engine's measured limits are checked here, at load time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import attrs

from convention_rules._errors import Location, RulesetError
from convention_rules.deciding.kleene import ABSENT, COMPARE, UNKNOWN, Closure, Env
from convention_rules.language import syntax as a
from convention_rules.law.money import Money

GUARD = "g_"
TRUE: dict[str, Any] = {GUARD: 1}
FALSE: dict[str, Any] = {GUARD: 0}
#: durable_rules fails (error 113) near 32 expression nodes in one rule.
MAX_NODES_PER_RULE = 28
#: More than 64 sibling rules true for one fact corrupts a session (error 303).
MAX_RULES_PER_RULESET = 60

_OPS = {"==": None, "!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_NEGATE = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def encode(value: Any) -> Any:
    """A value as the engine compares it: ordinals, cents, 1/0, words."""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, date):
        return value.toordinal()
    if isinstance(value, Money):
        return value.cents
    return value


@attrs.frozen
class Field:
    """A field of the asserted fact and how to compute it."""

    name: str
    compute: Closure
    may_be_absent: bool


@attrs.frozen
class CompiledConditions:
    """The durable_rules JSON of a set of conditions and how to feed it."""

    rules: dict[str, Any]
    fields: tuple[Field, ...]
    #: durable rule name -> (condition key, polarity)
    names: dict[str, tuple[str, bool]]

    def fact(self, env: Env) -> dict[str, Any]:
        """The fact to assert for ``env``: unknown fields left out."""
        fact: dict[str, Any] = {GUARD: 1}
        for field in self.fields:
            value = field.compute(env)
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
    ) -> None:
        self.closure = closure
        self.reads_optional = reads_optional
        self.static_constants = static_constants
        self.fields: dict[a.Node, Field] = {}
        self.rules: dict[str, Any] = {}
        self.names: dict[str, tuple[str, bool]] = {}

    def add(self, key: str, condition: a.Node, loc: Location) -> None:
        for polarity, suffix in ((True, "+"), (False, "-")):
            body = {"$and": [TRUE, self.nnf(condition, positive=polarity)]}
            count = _count_nodes(body)
            if count > MAX_NODES_PER_RULE:
                raise RulesetError(
                    f"condition too large for durable_rules ({count} expression nodes, "
                    f"limit {MAX_NODES_PER_RULE}): move parts into derived values",
                    loc,
                )
            name = key + suffix
            self.rules[name] = {"all": [{"m": body}]}
            self.names[name] = (key, polarity)
        if len(self.rules) > MAX_RULES_PER_RULESET:
            raise RulesetError(
                f"too many rules in one decision for durable_rules "
                f"({len(self.rules) // 2}, limit {MAX_RULES_PER_RULESET // 2})",
                loc,
            )

    def result(self) -> CompiledConditions:
        return CompiledConditions(dict(self.rules), tuple(self.fields.values()), dict(self.names))

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
            field = Field(name, self.closure(node), self.reads_optional(node))
            self.fields[key] = field
        return field.name


def _count_nodes(body: Any) -> int:
    """Expression nodes as durable_rules counts them: $and/$or and $m operands."""
    if isinstance(body, dict):
        own = sum(1 for key in body if key in ("$and", "$or", "$m"))
        return own + sum(_count_nodes(value) for value in body.values())
    if isinstance(body, list):
        return sum(_count_nodes(item) for item in body)
    return 0
