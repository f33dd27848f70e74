"""The typed abstract syntax tree of ruleset expressions.

Nodes are frozen attrs values. Each keeps the ``Location`` of its source text,
so the type checker and every later pass can say ``file:line:col``. The parser
builds nodes with ``type=None``; the type checker returns the same tree with
every ``type`` filled in and every name resolved (``Name.kind``). Later
consumers (the durable_rules compiler, the Kleene evaluator, a vectorised batch
evaluator) read only typed trees.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from convention_rules._errors import Location
from convention_rules.language.datatypes import Type


@attrs.frozen(kw_only=True, cache_hash=True)
class Node:
    loc: Location = attrs.field(eq=False, repr=False)

    def children(self) -> tuple[Node, ...]:
        return ()

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children():
            yield from child.walk()


@attrs.frozen(kw_only=True, cache_hash=True)
class Literal(Node):
    """A literal: int, date, money, rate, period, bool or text."""

    value: Any
    type: Type | None = None


@attrs.frozen(kw_only=True, cache_hash=True)
class Name(Node):
    """A reference to a fact, constant, derived value or ``as_of``.

    ``kind`` is set by the type checker: ``fact``, ``constant``, ``derived`` or
    ``builtin``.
    """

    name: str
    kind: str | None = None
    type: Type | None = None


@attrs.frozen(kw_only=True, cache_hash=True)
class Unary(Node):
    """Arithmetic negation ``-x``."""

    op: str
    operand: Node
    type: Type | None = None

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@attrs.frozen(kw_only=True, cache_hash=True)
class Binary(Node):
    """Arithmetic ``+ - * /`` between two terms."""

    op: str
    left: Node
    right: Node
    type: Type | None = None

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@attrs.frozen(kw_only=True, cache_hash=True)
class Compare(Node):
    """A comparison ``== != < <= > >=``; its type is bool."""

    op: str
    left: Node
    right: Node
    type: Type | None = None

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@attrs.frozen(kw_only=True, cache_hash=True)
class Membership(Node):
    """``item in [a, b]`` or ``item not in [a, b]``."""

    item: Node
    options: tuple[Node, ...]
    negated: bool = False
    type: Type | None = None

    def children(self) -> tuple[Node, ...]:
        return (self.item, *self.options)


@attrs.frozen(kw_only=True, cache_hash=True)
class BoolOp(Node):
    """``and`` / ``or`` over two or more operands (Kleene logic)."""

    op: str
    operands: tuple[Node, ...]
    type: Type | None = None

    def children(self) -> tuple[Node, ...]:
        return self.operands


@attrs.frozen(kw_only=True, cache_hash=True)
class Not(Node):
    operand: Node
    type: Type | None = None

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@attrs.frozen(kw_only=True, cache_hash=True)
class Conditional(Node):
    """``if c then a else b``."""

    condition: Node
    then: Node
    otherwise: Node
    type: Type | None = None

    def children(self) -> tuple[Node, ...]:
        return (self.condition, self.then, self.otherwise)


@attrs.frozen(kw_only=True, cache_hash=True)
class Call(Node):
    """A call of a builtin function (``add_months(d, 6)``, ``min(a, b)``)."""

    function: str
    args: tuple[Node, ...]
    type: Type | None = None

    def children(self) -> tuple[Node, ...]:
        return self.args


@attrs.frozen(kw_only=True, cache_hash=True)
class ListExpr(Node):
    """A list literal ``[a, b, c]``."""

    items: tuple[Node, ...]
    type: Type | None = None

    def children(self) -> tuple[Node, ...]:
        return self.items


def type_of(node: Node) -> Type:
    """The type of a checked node (raises if the tree was not type-checked)."""
    node_type: Type | None = getattr(node, "type", None)
    if node_type is None:
        msg = f"untyped node {node!r}: run the type checker first"
        raise AssertionError(msg)
    return node_type


def facts_read(nodes: list[Node], derived: dict[str, Node]) -> set[str]:
    """Facts read by ``nodes``, following derived values."""
    found: set[str] = set()
    seen: set[str] = set()
    stack = list(nodes)
    while stack:
        for node in stack.pop().walk():
            if isinstance(node, Name):
                if node.kind == "fact":
                    found.add(node.name)
                elif node.kind == "derived" and node.name not in seen:
                    seen.add(node.name)
                    stack.append(derived[node.name])
    return found
