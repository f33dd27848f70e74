"""Typed AST back to expression text, for documentation and messages."""

from __future__ import annotations

from datetime import date

from convention_rules.language import syntax as a
from convention_rules.law.legaltime import Period
from convention_rules.law.money import Money, Rate

_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "compare": 4, "+": 5, "-": 5, "*": 6, "/": 6}


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, Money):
        return f"{value} EUR"
    if isinstance(value, Rate | Period | date):
        return str(value)
    return str(value)


def unparse(node: a.Node, parent: int = 0) -> str:
    """The expression text of ``node``, with the parentheses its structure needs."""
    text, own = _unparse(node)
    return f"({text})" if own < parent else text


def _unparse(node: a.Node) -> tuple[str, int]:
    if isinstance(node, a.Literal):
        return _literal(node.value), 9
    if isinstance(node, a.Name):
        return node.name, 9
    if isinstance(node, a.Unary):
        return "-" + unparse(node.operand, 7), 7
    if isinstance(node, a.Binary):
        own = _PRECEDENCE[node.op]
        return f"{unparse(node.left, own)} {node.op} {unparse(node.right, own + 1)}", own
    if isinstance(node, a.Compare):
        own = _PRECEDENCE["compare"]
        return f"{unparse(node.left, own + 1)} {node.op} {unparse(node.right, own + 1)}", own
    if isinstance(node, a.Membership):
        options = ", ".join(unparse(o) for o in node.options)
        word = "not in" if node.negated else "in"
        return f"{unparse(node.item, 5)} {word} [{options}]", _PRECEDENCE["compare"]
    if isinstance(node, a.BoolOp):
        own = _PRECEDENCE[node.op]
        return f" {node.op} ".join(unparse(o, own + 1) for o in node.operands), own
    if isinstance(node, a.Not):
        return "not " + unparse(node.operand, 3), 3
    if isinstance(node, a.Conditional):
        return (
            f"if {unparse(node.condition)} then {unparse(node.then)} "
            f"else {unparse(node.otherwise)}",
            0,
        )
    if isinstance(node, a.ListExpr):
        return "[" + ", ".join(unparse(i) for i in node.items) + "]", 9
    if isinstance(node, a.Call):
        return f"{node.function}(" + ", ".join(unparse(x) for x in node.args) + ")", 9
    msg = f"cannot unparse {type(node).__name__}"
    raise TypeError(msg)
