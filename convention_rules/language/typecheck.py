"""Type checking: an untyped AST and the declared symbols give a typed AST.

Each node's type is derived from its children (``date + period -> date``,
``money * rate -> money``); a mismatch is a :class:`RulesetError` at the
node's ``file:line:col``. Names are resolved to facts, constants, derived
values or the builtin ``as_of``; ``between`` is rewritten to two comparisons
so that every evaluator sees the same boolean structure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import attrs

from convention_rules._errors import RulesetError
from convention_rules.language import syntax as a
from convention_rules.language.datatypes import (
    BOOL,
    DATE,
    INT,
    MONEY,
    ORDERED,
    PERIOD,
    RATE,
    TEXT,
    Type,
)
from convention_rules.language.functions import FUNCTIONS
from convention_rules.law.legaltime import Unit


@attrs.frozen
class Symbol:
    """A name visible to expressions."""

    name: str
    kind: str  # fact, constant, derived, builtin
    type: Type
    optional: bool = False  # an optional event fact: absent means "has not happened"


BUILTINS = {"as_of": Symbol("as_of", "builtin", DATE)}


class Checker:
    """Types expressions against a symbol table.

    ``resolve`` is called for names not yet typed (derived values), so that a
    derived value is checked on first use and cycles are reported.
    """

    def __init__(
        self,
        symbols: Mapping[str, Symbol],
        resolve: Callable[[str], Symbol | None] | None = None,
    ) -> None:
        self.symbols = symbols
        self.resolve = resolve

    def lookup(self, node: a.Name) -> Symbol:
        symbol = self.symbols.get(node.name) or BUILTINS.get(node.name)
        if symbol is None and self.resolve is not None:
            symbol = self.resolve(node.name)
        if symbol is None:
            raise RulesetError(f"unknown name {node.name!r}", node.loc)
        return symbol

    def check_bool(self, node: a.Node, what: str = "a condition") -> a.Node:
        typed = self.check(node)
        if a.type_of(typed) != BOOL:
            raise RulesetError(f"{what} must be true or false, not {a.type_of(typed)}", node.loc)
        return typed

    def check(self, node: a.Node) -> a.Node:
        if isinstance(node, a.Literal):
            return node
        if isinstance(node, a.Name):
            symbol = self.lookup(node)
            return attrs.evolve(node, kind=symbol.kind, type=symbol.type)
        if isinstance(node, a.Unary):
            operand = self.check(node.operand)
            if a.type_of(operand) not in (INT, MONEY):
                raise RulesetError(f"cannot negate {a.type_of(operand)}", node.loc)
            return attrs.evolve(node, operand=operand, type=a.type_of(operand))
        if isinstance(node, a.Binary):
            return self._binary(node)
        if isinstance(node, a.Compare):
            return self._compare(node)
        if isinstance(node, a.Membership):
            return self._membership(node)
        if isinstance(node, a.BoolOp):
            operands = tuple(
                self.check_bool(op, f"each side of '{node.op}'") for op in node.operands
            )
            return attrs.evolve(node, operands=operands, type=BOOL)
        if isinstance(node, a.Not):
            return attrs.evolve(node, operand=self.check_bool(node.operand, "'not'"), type=BOOL)
        if isinstance(node, a.Conditional):
            condition = self.check_bool(node.condition, "the condition of 'if'")
            then, otherwise = self.check(node.then), self.check(node.otherwise)
            then, otherwise = self._unify(then, otherwise, node)
            return attrs.evolve(
                node, condition=condition, then=then, otherwise=otherwise, type=a.type_of(then)
            )
        if isinstance(node, a.ListExpr):
            items = tuple(self.check(item) for item in node.items)
            if not items:
                raise RulesetError("an empty list has no type", node.loc)
            first = a.type_of(items[0])
            for item in items[1:]:
                if not a.type_of(item).same_kind(first):
                    raise RulesetError(f"a list mixes {first} and {a.type_of(item)}", item.loc)
            return attrs.evolve(node, items=items, type=Type.list_of(first))
        if isinstance(node, a.Call):
            return self._call(node)
        raise RulesetError(f"unsupported expression {type(node).__name__}", node.loc)

    # -- arithmetic ----------------------------------------------------------
    def _binary(self, node: a.Binary) -> a.Node:
        left, right = self.check(node.left), self.check(node.right)
        lt, rt = a.type_of(left), a.type_of(right)
        result: Type | None = None
        op = node.op
        if op in ("+", "-"):
            if lt == rt and lt in (INT, MONEY):
                result = lt
            elif lt == DATE and rt == PERIOD:
                if op == "-":
                    self._backwards(right, node)
                result = DATE
            elif lt == DATE and rt == DATE and op == "-":
                result = INT  # days between two dates
        elif op == "*":
            if lt == INT and rt == INT:
                result = INT
            elif {lt, rt} == {MONEY, INT} or {lt, rt} == {MONEY, RATE}:
                result = MONEY
        elif op == "/":
            if lt == MONEY and rt == INT:
                result = MONEY
            elif lt == INT and rt == INT:
                raise RulesetError(
                    "integer division is ambiguous in a legal text: say how to round",
                    node.loc,
                )
        if result is None:
            raise RulesetError(f"cannot compute {lt} {op} {rt}", node.loc)
        return attrs.evolve(node, left=left, right=right, type=result)

    @staticmethod
    def _backwards(period: a.Node, node: a.Node) -> None:
        if isinstance(period, a.Literal) and period.value.unit in (Unit.DAYS, Unit.WEEKS):
            return
        raise RulesetError(
            "a date minus months or years is ambiguous at month ends: use "
            "at_least_before(date, period) for 'au moins n mois avant'",
            node.loc,
        )

    # -- comparisons -----------------------------------------------------------
    def _unify(self, left: a.Node, right: a.Node, node: a.Node) -> tuple[a.Node, a.Node]:
        lt, rt = a.type_of(left), a.type_of(right)
        if lt.is_enum and rt == TEXT:
            return left, self._enum_word(right, lt)
        if rt.is_enum and lt == TEXT:
            return self._enum_word(left, rt), right
        if lt.is_enum and rt.is_enum and lt != rt:
            raise RulesetError(f"cannot compare {lt} with {rt}", node.loc)
        if not lt.same_kind(rt):
            raise RulesetError(f"cannot compare {lt} with {rt}", node.loc)
        return left, right

    @staticmethod
    def _enum_word(node: a.Node, enum: Type) -> a.Node:
        assert enum.values is not None
        if not isinstance(node, a.Literal) or node.value not in enum.values:
            shown = node.value if isinstance(node, a.Literal) else "?"
            raise RulesetError(f"{shown!r} is not one of {', '.join(enum.values)}", node.loc)
        return attrs.evolve(node, type=enum)

    def _compare(self, node: a.Compare) -> a.Node:
        left, right = self._unify(self.check(node.left), self.check(node.right), node)
        kind = a.type_of(left)
        if node.op not in ("==", "!=") and kind.name not in ORDERED:
            raise RulesetError(f"{kind} values are not ordered: only == and != apply", node.loc)
        if kind.is_list or kind in (PERIOD, RATE):
            raise RulesetError(f"{kind} values cannot be compared", node.loc)
        return attrs.evolve(node, left=left, right=right, type=BOOL)

    def _membership(self, node: a.Membership) -> a.Node:
        item = self.check(node.item)
        options = []
        for option in node.options:
            checked_item, checked = self._unify(item, self.check(option), option)
            item = checked_item
            options.append(checked)
        if a.type_of(item).is_list or a.type_of(item) in (PERIOD, RATE):
            raise RulesetError(f"'in' does not apply to {a.type_of(item)}", node.loc)
        return attrs.evolve(node, item=item, options=tuple(options), type=BOOL)

    # -- calls -------------------------------------------------------------------
    def _call(self, node: a.Call) -> a.Node:
        if node.function in ("present", "known"):
            return self._presence(node)
        if node.function == "given":
            return self._given(node)
        function = FUNCTIONS.get(node.function)
        if function is None:
            known = ", ".join(sorted([*FUNCTIONS, "given", "present", "known"]))
            raise RulesetError(f"unknown function {node.function!r} (known: {known})", node.loc)
        params = function.params
        if not len(params) - function.optional_tail <= len(node.args) <= len(params):
            raise RulesetError(
                f"{node.function}() takes {len(params)} arguments, {len(node.args)} given",
                node.loc,
            )
        args = tuple(self.check(arg) for arg in node.args)
        first = a.type_of(args[0]) if args else None
        for param, arg in zip(params, args, strict=False):
            self._check_param(node.function, param, arg, first)
        result = function.result
        result_type = first if result == "same" else result
        assert isinstance(result_type, Type)
        typed = attrs.evolve(node, args=args, type=result_type)
        if node.function == "between":
            value, low, high = args
            return a.BoolOp(
                loc=node.loc,
                op="and",
                operands=(
                    a.Compare(loc=node.loc, op="<=", left=low, right=value, type=BOOL),
                    a.Compare(loc=node.loc, op="<=", left=value, right=high, type=BOOL),
                ),
                type=BOOL,
            )
        return typed

    @staticmethod
    def _check_param(name: str, param: Type | str, arg: a.Node, first: Type | None) -> None:
        got = a.type_of(arg)
        if param == "ordered":
            if got.name not in ORDERED or (first is not None and got != first):
                raise RulesetError(
                    f"{name}() compares values of one ordered type (int, date, money), got {got}",
                    arg.loc,
                )
        elif param == "calendar":
            if not (got.is_enum or got == TEXT):
                raise RulesetError(f"{name}() takes a calendar, got {got}", arg.loc)
        elif param == "ints":
            if got != Type.list_of(INT):
                raise RulesetError(f"{name}() takes a list of whole numbers, got {got}", arg.loc)
        elif got != param:
            raise RulesetError(f"{name}() takes {param} here, got {got}", arg.loc)

    def _given(self, node: a.Call) -> a.Node:
        """``given(x)``: whether the value of ``x`` is known, never unknown.

        A missing fact then makes the test false instead of unknown: a check
        that is left unchecked when its day is missing (a term, see
        ``docs/ruleset-format.md``), not a fact read as false.
        """
        if len(node.args) != 1:
            raise RulesetError("given() takes one expression", node.loc)
        return attrs.evolve(node, args=(self.check(node.args[0]),), type=BOOL)

    def _presence(self, node: a.Call) -> a.Node:
        """``present(optional_fact)`` and ``known(required_fact)``.

        ``present`` asks whether an event has happened and is never unknown;
        ``known`` makes a rule need a fact (true when given, unknown when not).
        """
        function = node.function
        if len(node.args) != 1 or not isinstance(node.args[0], a.Name):
            raise RulesetError(f"{function}() takes the name of one fact", node.loc)
        name = node.args[0]
        symbol = self.lookup(name)
        if symbol.kind != "fact":
            raise RulesetError(
                f"{function}() applies to facts; {name.name!r} is a {symbol.kind}", name.loc
            )
        if function == "present" and not symbol.optional:
            raise RulesetError(
                f"present() applies to optional facts; {name.name!r} is required: "
                "a missing required fact makes the answer undetermined (use known())",
                name.loc,
            )
        if function == "known" and symbol.optional:
            raise RulesetError(
                f"known() applies to required facts; {name.name!r} is optional: use present()",
                name.loc,
            )
        typed_name = attrs.evolve(name, kind=symbol.kind, type=symbol.type)
        return attrs.evolve(node, args=(typed_name,), type=BOOL)
