"""Direct three-valued evaluation of typed expressions.

A typed AST is compiled once into Python closures. A closure reads an
environment (fact and constant values by name) and returns a value,
``UNKNOWN`` when a required fact it needs is missing, or ``ABSENT`` when it
reads an optional event fact that has not happened. Logic is Kleene's:
``false and unknown`` is false, ``true or unknown`` is true. A comparison
with an ``ABSENT`` side is false (the event did not happen), and its
negation true.

These closures compute derived values and computed values for every
decision, feed the durable_rules matcher its fields, and are the reference
the matcher is property-tested against.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any, Final

from convention_rules.language import syntax as a
from convention_rules.language.functions import FUNCTIONS
from convention_rules.law import legaltime as lt
from convention_rules.law import money as mo


class _Sentinel:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


UNKNOWN: Final = _Sentinel("UNKNOWN")
ABSENT: Final = _Sentinel("ABSENT")

Env = dict[str, Any]
Closure = Callable[[Env], Any]

COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _arith(op: str, node: a.Binary) -> Callable[[Any, Any], Any]:
    left, right = a.type_of(node.left).name, a.type_of(node.right).name
    if left == "date" and right == "period":
        return lt.add_period if op == "+" else lt.subtract_period
    if left == "date" and right == "date":
        return lt.days_between
    if op == "*" and "rate" in (left, right):
        return lambda x, y: mo.percent_of(x, y) if left == "money" else mo.percent_of(y, x)
    if op == "/":
        return lambda m, n: mo.scale(m, 1, n)
    return {"+": operator.add, "-": operator.sub, "*": operator.mul}[op]


class Compiler:
    """Compiles typed nodes to closures; ``derived`` maps names to closures."""

    def __init__(self, derived: Mapping[str, Closure]) -> None:
        self.derived = derived

    def compile(self, node: a.Node) -> Closure:
        if isinstance(node, a.Literal):
            value = node.value
            return lambda env: value
        if isinstance(node, a.Name):
            return self._name(node)
        if isinstance(node, a.Unary):
            inner = self.compile(node.operand)

            def negate(env: Env) -> Any:
                value = inner(env)
                return value if value is UNKNOWN or value is ABSENT else -value

            return negate
        if isinstance(node, a.Binary):
            shifted = self._shift(node)
            if shifted is not None:
                return shifted
            return _strict2(
                _arith(node.op, node), self.compile(node.left), self.compile(node.right)
            )
        if isinstance(node, a.Compare):
            return _comparison(COMPARE[node.op], self.compile(node.left), self.compile(node.right))
        if isinstance(node, a.Membership):
            return self._membership(node)
        if isinstance(node, a.BoolOp):
            parts = [self.compile(op) for op in node.operands]
            return _conjunction(parts) if node.op == "and" else _disjunction(parts)
        if isinstance(node, a.Not):
            inner = self.compile(node.operand)

            def negation(env: Env) -> Any:
                value = inner(env)
                return value if value is UNKNOWN else not _truth(value)

            return negation
        if isinstance(node, a.Conditional):
            cond, then, otherwise = (
                self.compile(node.condition),
                self.compile(node.then),
                self.compile(node.otherwise),
            )

            def choose(env: Env) -> Any:
                c = cond(env)
                if c is UNKNOWN:
                    return UNKNOWN
                return then(env) if _truth(c) else otherwise(env)

            return choose
        if isinstance(node, a.ListExpr):
            items = [self.compile(item) for item in node.items]

            def build(env: Env) -> Any:
                values = [item(env) for item in items]
                for value in values:
                    if value is UNKNOWN or value is ABSENT:
                        return value
                return values

            return build
        if isinstance(node, a.Call):
            return self._call(node)
        msg = f"cannot evaluate {type(node).__name__}"
        raise TypeError(msg)

    def _shift(self, node: a.Binary) -> Closure | None:
        """``date + <literal period>``: the period's kind is known when compiling, so the
        closure calls the law's month or day arithmetic directly (the same functions
        ``add_period`` dispatches to)."""
        right = node.right
        if node.op != "+" or not isinstance(right, a.Literal):
            return None
        period = right.value
        if a.type_of(node.left).name != "date" or not isinstance(period, lt.Period):
            return None
        if period.unit in (lt.Unit.MONTHS, lt.Unit.YEARS):
            add, amount = lt.add_months, period.amount * (12 if period.unit is lt.Unit.YEARS else 1)
        else:
            add, amount = lt.add_days, period.amount * (7 if period.unit is lt.Unit.WEEKS else 1)
        left = self.compile(node.left)

        def shift(env: Env) -> Any:
            day = left(env)
            if day is ABSENT or day is UNKNOWN:
                return day
            return add(day, amount)

        return shift

    def _name(self, node: a.Name) -> Closure:
        name = node.name
        if node.kind == "derived":
            derived = self.derived

            def read_derived(env: Env) -> Any:
                value = env.get(name, _NOT_YET)
                if value is _NOT_YET:
                    value = env[name] = derived[name](env)
                return value

            return read_derived
        return lambda env: env.get(name, UNKNOWN)

    def _membership(self, node: a.Membership) -> Closure:
        item = self.compile(node.item)
        options = [self.compile(option) for option in node.options]
        negated = node.negated

        def member(env: Env) -> Any:
            value = item(env)
            if value is ABSENT:
                return negated
            if value is UNKNOWN:
                return UNKNOWN
            unknown = False
            for option in options:
                candidate = option(env)
                if candidate is UNKNOWN or candidate is ABSENT:
                    unknown = unknown or candidate is UNKNOWN
                elif candidate == value:
                    return not negated
            return UNKNOWN if unknown else negated

        return member

    def _call(self, node: a.Call) -> Closure:
        if node.function == "present":
            name = node.args[0]
            assert isinstance(name, a.Name)
            fact = name.name
            return lambda env: env.get(fact, ABSENT) is not ABSENT
        if node.function == "given":
            inner = self.compile(node.args[0])
            return lambda env: (value := inner(env)) is not UNKNOWN and value is not ABSENT
        if node.function == "known":
            name = node.args[0]
            assert isinstance(name, a.Name)
            fact = name.name
            return lambda env: True if fact in env else UNKNOWN
        impl = FUNCTIONS[node.function].impl
        args = [self.compile(arg) for arg in node.args]

        def call(env: Env) -> Any:
            values = [arg(env) for arg in args]
            if ABSENT in values:
                return ABSENT
            if UNKNOWN in values:
                return UNKNOWN
            return impl(*values)

        return call


_NOT_YET: Final = _Sentinel("NOT_YET")


def _truth(value: Any) -> bool:
    """A boolean value; an absent optional bool counts as false."""
    return value is not ABSENT and bool(value)


def _strict2(fn: Callable[[Any, Any], Any], left: Closure, right: Closure) -> Closure:
    def apply(env: Env) -> Any:
        x, y = left(env), right(env)
        if x is ABSENT or y is ABSENT:
            return ABSENT
        if x is UNKNOWN or y is UNKNOWN:
            return UNKNOWN
        return fn(x, y)

    return apply


def _comparison(fn: Callable[[Any, Any], bool], left: Closure, right: Closure) -> Closure:
    def compare(env: Env) -> Any:
        x, y = left(env), right(env)
        if x is ABSENT or y is ABSENT:
            return False
        if x is UNKNOWN or y is UNKNOWN:
            return UNKNOWN
        return fn(x, y)

    return compare


def _conjunction(parts: list[Closure]) -> Closure:
    def conjunction(env: Env) -> Any:
        result: Any = True
        for part in parts:
            value = part(env)
            if value is UNKNOWN:
                result = UNKNOWN
            elif not _truth(value):
                return False
        return result

    return conjunction


def _disjunction(parts: list[Closure]) -> Closure:
    def disjunction(env: Env) -> Any:
        result: Any = False
        for part in parts:
            value = part(env)
            if value is UNKNOWN:
                result = UNKNOWN
            elif _truth(value):
                return True
        return result

    return disjunction


def truth(value: Any) -> bool | None:
    """Three-valued truth of a condition's result: True, False or None."""
    if value is UNKNOWN:
        return None
    return _truth(value)


def missing_facts(
    node: a.Node,
    env: Env,
    closures: Callable[[a.Node], Closure],
    derived_nodes: Mapping[str, a.Node],
) -> set[str]:
    """The missing facts that make ``node`` unknown in ``env``.

    Only sub-expressions that are themselves unknown contribute, so a fact
    read by a part already settled by known facts is not listed.
    """
    if closures(node)(env) is not UNKNOWN:
        return set()
    if isinstance(node, a.Name):
        if node.kind == "derived":
            return missing_facts(derived_nodes[node.name], env, closures, derived_nodes)
        return {node.name} if node.kind == "fact" else set()
    if isinstance(node, a.Conditional):
        condition = closures(node.condition)(env)
        if condition is not UNKNOWN:
            branch = node.then if _truth(condition) else node.otherwise
            return missing_facts(branch, env, closures, derived_nodes)
    found: set[str] = set()
    for child in node.children():
        found |= missing_facts(child, env, closures, derived_nodes)
    return found
