"""Typed ruleset expressions as z3 terms: what ``convention-rules lint`` reasons on.

Each fact of a decision becomes a z3 variable: ``Bool`` for bool, ``Int`` for
int, money (cents), dates (day numbers, ``date.toordinal()``) and enums (the
index of the word); an optional event fact has a ``present`` flag too. Every
fact is *known* here (lint asks about complete fact sets: a conflict with a
fact missing is also one with it given, Kleene logic being monotone).

The encoding follows ``deciding/kleene.py`` exactly, ``ABSENT`` included: a
term carries an ``absent`` flag (an optional event that has not happened),
arithmetic and calls propagate it, a comparison with an absent side is false
and its negation true, an absent bool is false for ``and``/``or``/``if``.

Month arithmetic is exact (CPC art. 641 al. 2, as ``law/legaltime.py``): see
``civil.py``. What is not encoded (public holidays, rounding of shares and
percentages, lists) becomes a fresh variable of its type, one per distinct term:
an over-approximation, so a rule proved dead stays dead, and every
counterexample is re-checked by ``Ruleset.decide`` before it is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import attrs
import z3

from convention_rules._errors import ConventionRulesError
from convention_rules.authoring.civil import FIRST_DAY, LAST_DAY, Calendar
from convention_rules.deciding.kleene import ABSENT, UNKNOWN, Closure, Compiler
from convention_rules.language import syntax as a
from convention_rules.language.datatypes import Type
from convention_rules.law.bounds import INT_LIMIT
from convention_rules.law.legaltime import Period
from convention_rules.law.money import Money
from convention_rules.reading.model import ConstantSpec, FactSpec

#: money facts are searched up to this many cents
MONEY_LIMIT = 10**11


@attrs.frozen
class Term:
    """A z3 value and whether it is ``ABSENT`` (a z3 Bool, or the Python ``False``)."""

    value: Any
    absent: Any = False


def _or(*flags: Any) -> Any:
    live = [f for f in flags if f is not False]
    if not live:
        return False
    return live[0] if len(live) == 1 else z3.Or(*live)


def _not_absent(term: Term) -> Any:
    return True if term.absent is False else z3.Not(term.absent)


def truth(term: Term) -> Any:
    """The truth of a bool term: an absent event counts as false."""
    if term.absent is False:
        return term.value
    return z3.And(z3.Not(term.absent), term.value)


class Encoder(Calendar):
    """Encodes one decision's expressions for one version (its constants) into z3."""

    def __init__(
        self,
        facts: Mapping[str, FactSpec],
        inputs: tuple[str, ...],
        constants: Mapping[str, ConstantSpec],
        derived: Mapping[str, a.Node],
    ) -> None:
        self.facts = {name: facts[name] for name in inputs}
        self.constants = constants
        self.derived = derived
        #: constraints every model must meet: fact domains, partial functions' domains
        super().__init__()
        #: names of what was over-approximated (the encoding is then not exact)
        self.approximated: set[str] = set()
        self.as_of = z3.Int("as_of")
        self.side += [self.as_of >= FIRST_DAY.toordinal(), self.as_of <= LAST_DAY.toordinal()]
        self.vars: dict[str, Any] = {}
        self.present: dict[str, Any] = {}
        for name, spec in self.facts.items():
            self.vars[name] = self._variable(name, spec.type, spec)
            if spec.optional:
                self.present[name] = z3.Bool(f"{name}?present")
        self._derived: dict[str, Term] = {}
        self._varying: dict[str, bool] = {}
        self._opaque_terms: dict[a.Node, Term] = {}

    # -- variables and their domains ------------------------------------------------
    def _variable(self, name: str, kind: Type, spec: FactSpec | None) -> Any:
        if kind.name == "bool":
            return z3.Bool(name)
        var = z3.Int(name)
        if kind.name == "int" and spec is not None:
            low = -INT_LIMIT if spec.minimum is None else spec.minimum
            high = INT_LIMIT if spec.maximum is None else spec.maximum
            self.side += [var >= low, var <= high]
        elif kind.name == "date":
            self.side += [var >= FIRST_DAY.toordinal(), var <= LAST_DAY.toordinal()]
        elif kind.name == "money":
            self.side += [var >= 0, var <= MONEY_LIMIT]
        elif kind.is_enum:
            assert kind.values is not None
            self.side += [var >= 0, var < len(kind.values)]
        elif kind.name != "int":
            self.approximated.add(f"fact {name} ({kind})")
        return var

    def fresh(self, kind: Type, why: str) -> Any:
        """A free value standing for what is not encoded."""
        self._fresh += 1
        self.approximated.add(why)
        return self._variable(f"~{why}#{self._fresh}", kind, None)

    def facts_in_model(self, model: z3.ModelRef) -> tuple[dict[str, Any], date]:
        """The facts (in their JSON form) and the ``as_of`` of a model."""
        out: dict[str, Any] = {}
        for name, spec in self.facts.items():
            if spec.optional and not z3.is_true(
                model.eval(self.present[name], model_completion=True)
            ):
                continue
            raw = model.eval(self.vars[name], model_completion=True)
            out[name] = _json_value(raw, spec.type)
        day = date.fromordinal(model.eval(self.as_of, model_completion=True).as_long())
        return out, day

    # -- expressions -----------------------------------------------------------
    def __call__(self, node: a.Node) -> Term:
        return self.term(node)

    def term(self, node: a.Node) -> Term:
        if isinstance(node, a.Call | a.Binary | a.Unary | a.Conditional) and not self._varies(node):
            folded = self._fold(node)
            if folded is not None:
                return folded
        if isinstance(node, a.Literal):
            return Term(self.literal(node.value, a.type_of(node)))
        if isinstance(node, a.Name):
            return self._name(node)
        if isinstance(node, a.Unary):
            inner = self.term(node.operand)
            if a.type_of(node).name in ("int", "money"):
                return Term(-inner.value, inner.absent)
            return self._opaque(node, "negation")
        if isinstance(node, a.Binary):
            return self._binary(node)
        if isinstance(node, a.Compare):
            return self._compare(node)
        if isinstance(node, a.Membership):
            return self._membership(node)
        if isinstance(node, a.BoolOp):
            parts = [truth(self.term(op)) for op in node.operands]
            return Term(z3.And(*parts) if node.op == "and" else z3.Or(*parts))
        if isinstance(node, a.Not):
            return Term(z3.Not(truth(self.term(node.operand))))
        if isinstance(node, a.Conditional):
            condition = truth(self.term(node.condition))
            then, otherwise = self.term(node.then), self.term(node.otherwise)
            if a.type_of(node).name in ("period", "rate", "list", "text"):
                return self._opaque(node, "if over a non-numeric value")
            absent = (
                False
                if then.absent is False and otherwise.absent is False
                else z3.If(condition, _flag(then.absent), _flag(otherwise.absent))
            )
            return Term(z3.If(condition, then.value, otherwise.value), absent)
        if isinstance(node, a.Call):
            return self._call(node)
        return self._opaque(node, type(node).__name__)

    def _varies(self, node: a.Node) -> bool:
        """Whether ``node`` reads a fact, ``as_of`` or a dated constant (else it is a
        constant of this version, computed once by the library's own evaluator)."""
        for part in node.walk():
            if not isinstance(part, a.Name):
                continue
            if part.kind in ("fact", "builtin"):
                return True
            if part.kind == "constant" and not self.constants[part.name].is_static:
                return True
            if part.kind == "derived":
                if part.name not in self._varying:
                    self._varying[part.name] = True  # a cycle cannot be: the reader refuses it
                    self._varying[part.name] = self._varies(self.derived[part.name])
                if self._varying[part.name]:
                    return True
        return False

    def _fold(self, node: a.Node) -> Term | None:
        env: dict[str, Any] = {
            name: spec.values[0][1] for name, spec in self.constants.items() if spec.is_static
        }
        try:
            value = _Evaluator(self.derived)(node)(env)
        except (ConventionRulesError, ValueError, ArithmeticError, TypeError):
            return None  # the engine would refuse it too: leave it to the solver's encoding
        if value is UNKNOWN or value is ABSENT:
            return None
        return Term(self.literal(value, a.type_of(node)))

    def literal(self, value: Any, kind: Type) -> Any:
        if kind.name == "bool":
            return z3.BoolVal(bool(value))
        if kind.name == "int":
            return z3.IntVal(value)
        if kind.name == "date":
            return z3.IntVal(value.toordinal())
        if kind.name == "money":
            return z3.IntVal(Money.of(value).cents)
        if kind.is_enum:
            assert kind.values is not None
            return z3.IntVal(kind.values.index(value))
        return _Opaque(value)  # period, rate, text: used by the functions that take them

    def _name(self, node: a.Name) -> Term:
        if node.kind == "fact":
            absent = z3.Not(self.present[node.name]) if node.name in self.present else False
            return Term(self.vars[node.name], absent)
        if node.kind == "derived":
            if node.name not in self._derived:
                self._derived[node.name] = self.term(self.derived[node.name])
            return self._derived[node.name]
        if node.name == "as_of":
            return Term(self.as_of)
        constant = self.constants[node.name]
        kind = constant.type
        if constant.is_static:
            return Term(self.literal(constant.values[0][1], kind))
        if kind.name not in ("bool", "int", "date", "money") and not kind.is_enum:
            return self._opaque(node, f"dated constant {node.name}")
        chosen = self.literal(constant.values[0][1], kind)
        for since, value in constant.values:
            if since is not None:
                chosen = z3.If(self.as_of >= since.toordinal(), self.literal(value, kind), chosen)
        return Term(chosen)

    def _opaque(self, node: a.Node, why: str) -> Term:
        # the same term (nodes compare by structure) is the same value: a function
        cached = self._opaque_terms.get(node)
        if cached is None:
            cached = self._opaque_terms[node] = self._new_opaque(node, why)
        return cached

    def _new_opaque(self, node: a.Node, why: str) -> Term:
        absent = _or(
            *(
                self._name(n).absent
                for n in node.walk()
                if isinstance(n, a.Name) and _is_optional(n, self)
            )
        )
        return Term(self.fresh(a.type_of(node), why), absent)

    def _binary(self, node: a.Binary) -> Term:
        left, right = self.term(node.left), self.term(node.right)
        absent = _or(left.absent, right.absent)
        lt, rt = a.type_of(node.left).name, a.type_of(node.right).name
        if lt == "date" and rt == "period":
            period = _period(right.value)
            if period is None:
                return self._opaque(node, "date and a computed period")
            sign = 1 if node.op == "+" else -1
            return Term(self.add_period(left.value, period, sign), absent)
        if lt == "date" and rt == "date":
            return Term(left.value - right.value, absent)
        if {lt, rt} <= {"int", "money"} and node.op in "+-*":
            if node.op == "*" and lt == rt == "int" and not (_is_value(left) or _is_value(right)):
                return self._opaque(node, "a product of two facts")
            ops: dict[str, Callable[[Any, Any], Any]] = {
                "+": lambda x, y: x + y,
                "-": lambda x, y: x - y,
                "*": lambda x, y: x * y,
            }
            return Term(ops[node.op](left.value, right.value), absent)
        return self._opaque(node, f"{lt} {node.op} {rt}")

    def _compare(self, node: a.Compare) -> Term:
        left, right = self.term(node.left), self.term(node.right)
        if isinstance(left.value, _Opaque) or isinstance(right.value, _Opaque):
            return self._opaque(node, "a comparison of periods or rates")
        ops: dict[str, Callable[[Any, Any], Any]] = {
            "==": lambda x, y: x == y,
            "!=": lambda x, y: x != y,
            "<": lambda x, y: x < y,
            "<=": lambda x, y: x <= y,
            ">": lambda x, y: x > y,
            ">=": lambda x, y: x >= y,
        }
        if a.type_of(node.left).name == "bool":
            ops["=="] = lambda x, y: x == y
        held = ops[node.op](left.value, right.value)
        absent = _or(left.absent, right.absent)
        return Term(held if absent is False else z3.And(z3.Not(absent), held))

    def _membership(self, node: a.Membership) -> Term:
        item = self.term(node.item)
        options = [self.term(option) for option in node.options]
        if isinstance(item.value, _Opaque):
            return self._opaque(node, "membership of a period")
        # An absent option never matches (and here, with every fact known, never leaves
        # the answer unknown); an absent item: false for 'in', true for 'not in'.
        hit = z3.Or(*[z3.And(_not_absent(o), item.value == o.value) for o in options])
        held = z3.Not(hit) if node.negated else hit
        if item.absent is False:
            return Term(held)
        return Term(z3.If(item.absent, z3.BoolVal(node.negated), held))

    def _call(self, node: a.Call) -> Term:
        name = node.function
        if name == "present":
            fact = node.args[0]
            assert isinstance(fact, a.Name)
            flag = self.present.get(fact.name)
            return Term(z3.BoolVal(val=True) if flag is None else flag)
        if name == "known":
            return Term(z3.BoolVal(val=True))  # lint reasons on complete fact sets
        if name == "given":  # known (always, here) and not an absent event (terms)
            inner = self.term(node.args[0])
            return Term(z3.BoolVal(val=True) if inner.absent is False else z3.Not(inner.absent))
        args = [self.term(arg) for arg in node.args]
        absent = _or(*(arg.absent for arg in args))
        values = [arg.value for arg in args]
        result = self._function(name, values, node)
        if result is None:
            return self._opaque(node, f"{name}()")
        return Term(result, absent)

    def _function(self, name: str, values: list[Any], node: a.Call) -> Any:
        if name == "add_days":
            return values[0] + values[1]
        if name in ("add_months", "add_years"):
            return self.add_months(values[0], values[1] * (12 if name == "add_years" else 1))
        if name == "add_period" or (name == "deadline" and _is_false(values[2])):
            period = _period(values[1])
            return None if period is None else self.add_period(values[0], period)
        if name == "after_period":
            period = _period(values[1])
            return None if period is None else self.add_period(values[0], period) + 1
        if name == "at_least_before":
            period = _period(values[1])
            return None if period is None else self.at_least_before(values[0], period)
        if name in ("min", "max", "cap", "floor_at"):
            low = name in ("min", "cap")
            x, y = values[0], values[1]
            return z3.If(x <= y, x, y) if low else z3.If(x >= y, x, y)
        if name == "months_touched":
            (y1, m1, _), (y2, m2, _) = self.civil(values[0]), self.civil(values[1])
            self.side.append(values[1] >= values[0])  # else the engine refuses the span
            return (y2 - y1) * 12 + m2 - m1 + 1
        if name == "anniversary":
            year, _, _ = self.civil(values[0])
            return self.add_months(values[0], (values[1] - year) * 12)
        if name == "next_anniversary":
            signature, day = values
            sig_year, _, _ = self.civil(signature)
            day_year, _, _ = self.civil(day)
            year = z3.If(day_year >= sig_year + 1, day_year, sig_year + 1)
            first = self.add_months(signature, (year - sig_year) * 12)
            second = self.add_months(signature, (year + 1 - sig_year) * 12)
            return z3.If(first < day, second, first)
        if name in ("free_left", "billable_count"):
            count, free = values
            self.side.append(count >= 1)
            self.side.append(free >= 0)
            left = z3.If(free - count > 0, free - count, 0)
            billed = z3.If(count - free > 0, count - free, 0)
            return left if name == "free_left" else billed
        del node
        return None


class _Evaluator:
    """The library's evaluator (``deciding/kleene.py``) over this ruleset's derived values."""

    def __init__(self, derived: Mapping[str, a.Node]) -> None:
        closures: dict[str, Closure] = {}
        self.compiler = Compiler(_LazyClosures(derived, closures, self))
        self.closures = closures

    def __call__(self, node: a.Node) -> Closure:
        return self.compiler.compile(node)


class _LazyClosures(dict[str, Closure]):
    def __init__(
        self, nodes: Mapping[str, a.Node], cache: dict[str, Closure], owner: _Evaluator
    ) -> None:
        super().__init__()
        self.nodes, self.owner = nodes, owner

    def __missing__(self, name: str) -> Closure:
        closure = self[name] = self.owner(self.nodes[name])
        return closure


class _Opaque:
    """A Python value (a period, a rate, a text) that functions read as a parameter."""

    def __init__(self, value: Any) -> None:
        self.value = value


def _period(value: Any) -> Period | None:
    if isinstance(value, _Opaque) and isinstance(value.value, Period):
        return value.value
    return None


def _is_false(value: Any) -> bool:
    return bool(z3.is_bool(value) and z3.is_false(z3.simplify(value)))


def _is_value(term: Term) -> bool:
    return bool(z3.is_int_value(z3.simplify(term.value)))


def _flag(absent: Any) -> Any:
    return z3.BoolVal(val=False) if absent is False else absent


def _is_optional(node: a.Node, encoder: Encoder) -> bool:
    return isinstance(node, a.Name) and node.kind == "fact" and node.name in encoder.present


def _json_value(raw: Any, kind: Type) -> Any:
    if kind.name == "bool":
        return z3.is_true(raw)
    number = raw.as_long()
    if kind.name == "date":
        return date.fromordinal(number).isoformat()
    if kind.name == "money":
        return str(Money.from_cents(number).amount)
    if kind.is_enum:
        assert kind.values is not None
        return kind.values[number]
    return number
