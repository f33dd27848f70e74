"""How deep an expression may nest, and its depth measured without recursion.

Every pass over an expression (type checking, compiling, evaluating,
explaining) walks it recursively; Python's stack allows about 1,000 frames.
Parentheses, lists, calls, ``if`` and unary ``-`` may nest 32 levels (the
parser counts them); a whole expression, derived values it reads included,
may be 128 levels deep (a sum of 128 terms, a chain of derived values).
Beyond that a ruleset is refused with a ``RulesetError`` at the expression's
position, telling its author to split it into derived values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from convention_rules._errors import RulesetError
from convention_rules.language import syntax as a

#: Levels of parentheses, lists, calls, ``if`` and unary minus.
MAX_NESTING: Final = 32
#: Depth of an expression tree, counting the derived values it reads.
MAX_DEPTH: Final = 128


def tree_depth(node: a.Node, derived: Mapping[str, int] | None = None) -> int:
    """Levels of ``node``; a derived value counts its own depth (from ``derived``)."""
    deepest = 0
    stack = [(node, 1)]
    while stack:
        item, level = stack.pop()
        if derived and isinstance(item, a.Name) and item.name in derived:
            level += derived[item.name]
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in item.children())
    return deepest


def check_depth(node: a.Node, derived: Mapping[str, int] | None = None) -> int:
    """The depth of ``node``, or a ``RulesetError`` at its position beyond ``MAX_DEPTH``."""
    depth = tree_depth(node, derived)
    if depth > MAX_DEPTH:
        raise RulesetError(
            f"expression nested too deeply ({depth} levels, derived values included; "
            f"limit {MAX_DEPTH}): split it into derived values",
            node.loc,
        )
    return depth
