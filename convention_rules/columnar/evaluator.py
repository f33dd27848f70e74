"""Typed AST to column operations, with the Kleene evaluator's semantics.

A node compiles once into a function of a :class:`Batch` (the table's fact
columns, the constants on ``as_of``) that returns a :class:`Col`; results are
memoised per node for the batch, so a term written twice, or a derived value
read by several rules, is computed once. The three-valued logic is
``deciding/kleene.py``'s, row by row: ``false and unknown`` is false, a
comparison with an ``ABSENT`` side is false, ``ABSENT`` beats ``UNKNOWN`` in a
strict operation. Builtins run a vectorised kernel; a builtin without one
runs its law function once per distinct combination of arguments.

Rows a kernel cannot compute (a date beyond the calendar, an overflow) are
flagged in ``Batch.bad`` and answered by the single-decision path, which
raises the law module's own error or gives the answer.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import numpy as np

from convention_rules._errors import ConventionRulesError
from convention_rules.columnar import money as cmo
from convention_rules.columnar.builtins import (
    INTEGER_TYPES,
    KERNELS,
    add_period,
    kernel_fits,
    percent,
    row_key,
    subtract_period,
)
from convention_rules.columnar.column import (
    ABSENT,
    KNOWN,
    LISTS,
    UNKNOWN,
    WORDS,
    Array,
    Batch,
    Col,
    combine,
    list_code,
    period_code,
    period_of,
    word_code,
)
from convention_rules.language import syntax as a
from convention_rules.language.datatypes import Type
from convention_rules.language.functions import FUNCTIONS
from convention_rules.law.legaltime import Period
from convention_rules.law.money import Money

ColFn = Callable[["Batch"], Col]

_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


# --------------------------------------------------------------------------- encoding


def encode(value: Any, kind: Type) -> Any:
    """A Python value of the language as the columns hold it."""
    if isinstance(value, bool):
        return value
    if isinstance(value, date):
        return value.toordinal()
    if isinstance(value, Money):
        return value.cents
    if isinstance(value, Period):
        return period_code(value)
    if isinstance(value, str):
        return word_code(value)
    if isinstance(value, int):
        return value
    if isinstance(value, list | tuple):
        return list_code(value)
    return value  # rates: objects


def decoder(kind: Type) -> Callable[[Any], Any]:
    """Encoded scalar back to the language's Python value."""
    name = "enum" if kind.is_enum else kind.name
    decoders: dict[str, Callable[[Any], Any]] = {
        "bool": bool,
        "int": int,
        "date": lambda v: date.fromordinal(int(v)),
        "money": lambda v: Money.from_cents(int(v)),
        "period": period_of,
        "enum": lambda v: WORDS[int(v)],
        "text": lambda v: WORDS[int(v)],
        "list": lambda v: list(LISTS[int(v)]),
    }
    return decoders.get(name, lambda v: v)


def const_col(value: Any, kind: Type) -> Col:
    encoded = encode(value, kind)
    if kind.name in INTEGER_TYPES or kind.is_enum:
        return Col(np.asarray(encoded, dtype=bool if kind.name == "bool" else np.int64))
    holder = np.empty((), dtype=object)
    holder[()] = encoded
    return Col(holder)


# --------------------------------------------------------------------------- Kleene logic


def _truth(col: Col) -> Array:
    """Surely true rows (an absent optional bool counts as false)."""
    v = col.v.astype(bool, copy=False)
    return v if col.s is None else v & (col.s == KNOWN)


def _is(col: Col, state: int) -> Array:
    return np.zeros((), dtype=bool) if col.s is None else col.s == state


def _bool_col(value: Array, unknown: Array, n: int) -> Col:
    """A boolean column; ``unknown`` rows get the UNKNOWN state (never ABSENT)."""
    if unknown.ndim == 0:
        if not unknown:
            return Col(value if value.ndim == 0 else np.broadcast_to(value, (n,)))
        unknown = np.broadcast_to(unknown, (n,))
    return Col(np.broadcast_to(value, (n,)), unknown.astype(np.int8))


class Compiler:
    """Compiles typed nodes of one ruleset to column functions (cached per node)."""

    def __init__(self, derived: Mapping[str, a.Node]) -> None:
        self.derived = derived
        self.cache: dict[a.Node, ColFn] = {}

    def __call__(self, node: a.Node) -> ColFn:
        fn = self.cache.get(node)
        if fn is None:
            inner = self._compile(node)

            def memo(batch: Batch, node: a.Node = node, inner: ColFn = inner) -> Col:
                col = batch.cache.get(node)
                if col is None:
                    col = batch.cache[node] = inner(batch)
                return col

            fn = self.cache[node] = memo
        return fn

    def _compile(self, node: a.Node) -> ColFn:
        if isinstance(node, a.Literal):
            col = const_col(node.value, a.type_of(node))
            return lambda batch: col
        if isinstance(node, a.Name):
            return self._name(node)
        if isinstance(node, a.Unary):
            inner = self(node.operand)

            def negate(batch: Batch) -> Col:
                x = inner(batch)
                return Col(-x.v, x.s)

            return negate
        if isinstance(node, a.Binary):
            return self._binary(node)
        if isinstance(node, a.Compare):
            return self._compare(node)
        if isinstance(node, a.Membership):
            return self._membership(node)
        if isinstance(node, a.BoolOp):
            return self._boolop(node)
        if isinstance(node, a.Not):
            inner = self(node.operand)

            def negation(batch: Batch) -> Col:
                x = inner(batch)
                state = None if x.s is None else (x.s == UNKNOWN).astype(np.int8)
                return Col(~_truth(x), state)

            return negation
        if isinstance(node, a.Conditional):
            return self._conditional(node)
        if isinstance(node, a.ListExpr):
            return self._list(node)
        if isinstance(node, a.Call):
            return self._call(node)
        msg = f"cannot evaluate {type(node).__name__}"
        raise TypeError(msg)

    def _name(self, node: a.Name) -> ColFn:
        name = node.name
        if node.kind == "derived":
            return self(self.derived[name])
        if node.kind == "fact":
            return lambda batch: batch.facts[name]
        return lambda batch: batch.constants[name]

    # -- logic ---------------------------------------------------------------
    def _boolop(self, node: a.BoolOp) -> ColFn:
        parts = [self(op) for op in node.operands]
        conjunction = node.op == "and"

        def boolop(batch: Batch) -> Col:
            decided: Any = False  # a false part (and) or a true part (or)
            unknown: Any = False
            for part in parts:
                col = part(batch)
                if conjunction:
                    decided = decided | ~_truth(col) & ~_is(col, UNKNOWN)
                else:
                    decided = decided | _truth(col)
                unknown = unknown | _is(col, UNKNOWN)
            value = ~decided if conjunction else decided
            return _bool_col(np.asarray(value), np.asarray(unknown & ~decided), batch.n)

        return boolop

    def _compare(self, node: a.Compare) -> ColFn:
        op = _COMPARE[node.op]
        left, right = self(node.left), self(node.right)

        def compare(batch: Batch) -> Col:
            x, y = left(batch), right(batch)
            value = op(x.v, y.v)
            state = combine(x, y)
            if state is None:
                return Col(np.asarray(value))
            absent = state == ABSENT
            return Col(np.where(absent, np.False_, value), (state == UNKNOWN).astype(np.int8))

        return compare

    def _membership(self, node: a.Membership) -> ColFn:
        item = self(node.item)
        options = [self(option) for option in node.options]
        negated = node.negated

        def member(batch: Batch) -> Col:
            x = item(batch)
            found: Any = False
            unknown: Any = False
            for option in options:
                o = option(batch)
                found = found | ((x.v == o.v) & (True if o.s is None else o.s == KNOWN))
                unknown = unknown | _is(o, UNKNOWN)
            value = np.where(found, not negated, negated)
            unknown = unknown & ~found
            if x.s is not None:
                value = np.where(x.s == ABSENT, negated, value)
                unknown = np.where(x.s == KNOWN, unknown, x.s == UNKNOWN)
            return _bool_col(np.asarray(value), np.asarray(unknown), batch.n)

        return member

    def _conditional(self, node: a.Conditional) -> ColFn:
        cond, then, otherwise = self(node.condition), self(node.then), self(node.otherwise)

        def choose(batch: Batch) -> Col:
            c, t, o = cond(batch), then(batch), otherwise(batch)
            pick = _truth(c)
            value = np.broadcast_to(np.where(pick, t.v, o.v), (batch.n,))
            if t.s is None and o.s is None and c.s is None:
                return Col(value)
            state = np.where(pick, t.state(batch.n), o.state(batch.n)).astype(np.int8)
            if c.s is not None:
                state = np.where(c.s == UNKNOWN, np.int8(UNKNOWN), state)
            return Col(value, state)

        return choose

    def _list(self, node: a.ListExpr) -> ColFn:
        items = [self(item) for item in node.items]
        kind = a.type_of(node).item
        assert kind is not None
        decode = decoder(kind)

        def build(batch: Batch) -> Col:
            cols = [item(batch) for item in items]
            state = np.zeros(batch.n, dtype=np.int8)
            for col in reversed(cols):  # the first item not known gives the state
                if col.s is not None:
                    state = np.where(col.s != KNOWN, col.s, state)
            if batch.n == 0:
                return Col(np.empty(0, dtype=object), state)
            encoded = [np.broadcast_to(c.v, (batch.n,)).astype(np.int64) for c in cols]
            key, keys = row_key(encoded)
            codes = np.array([list_code([decode(v) for v in row]) for row in keys], np.int64)
            return Col(codes[key], state if state.any() else None)

        return build

    # -- arithmetic ----------------------------------------------------------
    def _binary(self, node: a.Binary) -> ColFn:
        left_t, right_t = a.type_of(node.left).name, a.type_of(node.right).name
        left, right = self(node.left), self(node.right)
        op = node.op
        kernel: Callable[[Any, Any], tuple[Array, Any]]
        if left_t == "date" and right_t == "period":
            kernel = add_period if op == "+" else subtract_period
        elif left_t == "date" and right_t == "date":
            kernel = lambda x, y: (np.asarray(x - y), None)  # noqa: E731
        elif op == "*" and "rate" in (left_t, right_t):
            kernel = percent if left_t == "money" else lambda x, y: percent(y, x)
        elif op == "/":
            kernel = lambda m, n: cmo.scale(m, 1, n)  # noqa: E731
        elif op == "*":
            kernel = cmo.checked_mul
        else:
            kernel = cmo.checked_add if op == "+" else lambda x, y: cmo.checked_add(x, y, -1)

        def binary(batch: Batch) -> Col:
            x, y = left(batch), right(batch)
            value, invalid = kernel(x.v, y.v)
            batch.flag(invalid, x, y)
            return Col(value, combine(x, y))

        return binary

    # -- calls ---------------------------------------------------------------
    def _call(self, node: a.Call) -> ColFn:
        if node.function in ("present", "known"):
            name = node.args[0]
            assert isinstance(name, a.Name)
            fact, present = name.name, node.function == "present"

            def presence(batch: Batch) -> Col:
                col = batch.facts[fact]
                if col.s is None:
                    return Col(np.asarray(np.True_))
                if present:
                    return Col(col.s != ABSENT)
                unknown = col.s == UNKNOWN
                return Col(np.ones(batch.n, dtype=bool), unknown.astype(np.int8))

            return presence
        if node.function == "given":  # whether the value is known: never unknown
            inner = self(node.args[0])

            def given(batch: Batch) -> Col:
                col = inner(batch)
                if col.s is None:
                    return Col(np.asarray(np.True_))
                return Col(np.broadcast_to(col.s == KNOWN, (batch.n,)))

            return given
        if node.function == "share" and isinstance(node.args[1], a.ListExpr):
            total, party = self(node.args[0]), self(node.args[2])
            weights = [self(item) for item in node.args[1].items]

            def share(batch: Batch) -> Col:
                t, p = total(batch), party(batch)
                ws = [w(batch) for w in weights]
                value, invalid = cmo.share(t.v, [w.v for w in ws], p.v)
                batch.flag(invalid, t, p, *ws)
                return Col(value, combine(t, *ws, p))

            return share
        args = [self(arg) for arg in node.args]
        kernel = KERNELS.get(node.function)
        if kernel is None or not kernel_fits(node):
            return self._per_unique(node, args)

        def call(batch: Batch) -> Col:
            cols = [arg(batch) for arg in args]
            value, invalid = kernel(batch, *[c.v for c in cols])
            batch.flag(invalid, *cols)
            return Col(value, combine(*cols))

        return call

    def _per_unique(self, node: a.Call, args: list[ColFn]) -> ColFn:
        """A builtin without a kernel: its law function once per distinct argument tuple."""
        impl = FUNCTIONS[node.function].impl
        decoders = [decoder(a.type_of(arg)) for arg in node.args]
        result_type = a.type_of(node)
        integer = result_type.name in INTEGER_TYPES or result_type.is_enum

        def per_unique(batch: Batch) -> Col:
            cols = [arg(batch) for arg in args]
            state = combine(*cols)
            n = batch.n
            if any(c.v.dtype == object and c.v.ndim for c in cols):
                batch.flag(np.ones(n, dtype=bool), *cols)  # objects: row by row
                return Col(np.zeros(n, dtype=np.int64), state)
            rows = np.nonzero(np.ones(n, dtype=bool) if state is None else state == KNOWN)[0]
            stacked = np.stack(
                [np.broadcast_to(c.v, (n,))[rows].astype(np.int64) for c in cols], axis=1
            )
            out = np.zeros(n, dtype=np.int64 if integer else object)
            if rows.size == 0:
                return Col(out, state)
            uniques, inverse = np.unique(stacked, axis=0, return_inverse=True)
            results = np.zeros(len(uniques), dtype=out.dtype)
            failed = np.zeros(len(uniques), dtype=bool)
            for i, row in enumerate(uniques.tolist()):
                try:
                    value = impl(*[d(v) for d, v in zip(decoders, row, strict=True)])
                except (ConventionRulesError, ArithmeticError):
                    failed[i] = True
                    continue
                results[i] = encode(value, result_type)
            out[rows] = results[inverse.ravel()]
            bad = np.zeros(n, dtype=bool)
            bad[rows] = failed[inverse.ravel()]
            batch.bad |= bad
            if result_type.name == "bool":
                out = out.astype(bool)
            return Col(out, state)

        return per_unique
