"""What the durable_rules engine holds, measured, and how a compiled rule is sized.

Measured on durable_rules 2.0.28 (``benchmarks/`` and ``tests/test_engine_limits.py``
exercise each one):

============================  ==========================================  =========
limit                         what happens beyond                         kept under
============================  ==========================================  =========
expression nodes in one rule  error 113 at ``create_ruleset``             28
literal comparisons (atoms)   ``create_ruleset``/``assert_fact`` hang     64
                              (near 511 atoms, uninterruptible)
``or`` branches true at once  error 303 at ``assert_fact`` (65 branches)  32
fields of one fact            error 302 at ``assert_fact`` (253)          200
rules of one engine ruleset   error 303 when more than 64 hold at once    60
integers                      64-bit, saturating silently                 2**53
============================  ==========================================  =========

Nothing beyond these reaches the engine. A rule whose condition is too large
for it is compiled to one boolean field, computed by the Kleene closure (so it
answers exactly as the Kleene evaluator does); a decision with more rules or
fields than one engine ruleset holds is split over several (``parts``); a term
whose value exceeds the integer range is compared outside the engine.
"""

from __future__ import annotations

from typing import Any, Final

#: durable_rules fails (error 113) near 32 expression nodes in one rule.
MAX_NODES_PER_RULE: Final = 28
#: Literal comparisons in one rule: near 511 the engine hangs.
MAX_ATOMS_PER_RULE: Final = 64
#: Alternatives of one rule that may hold at once (error 303 beyond 64).
MAX_BRANCHES_PER_RULE: Final = 32
#: Fields of one asserted fact, markers included (error 302 at 253).
MAX_FIELDS_PER_PART: Final = 200
#: Engine rules of one engine ruleset (two per rule: it and its negation).
MAX_RULES_PER_PART: Final = 60
#: The engine's integers are 64-bit and saturate: keep every compared number inside.
ENGINE_INT_LIMIT: Final = 2**53


def count_nodes(body: Any) -> int:
    """Expression nodes as durable_rules counts them: $and/$or and $m operands."""
    count = 0
    stack = [body]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            count += sum(1 for key in item if key in ("$and", "$or", "$m"))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def count_atoms(body: Any) -> int:
    """Comparisons of a field with a value or another field."""
    if isinstance(body, list):
        return sum(count_atoms(item) for item in body)
    if not isinstance(body, dict):
        return 0
    return sum(count_atoms(value) if key in ("$and", "$or") else 1 for key, value in body.items())


def count_branches(body: Any) -> int:
    """Alternatives of a condition in disjunctive form: what may hold at once."""
    if not isinstance(body, dict):
        return 1
    branches = 1
    for key, value in body.items():
        if key == "$or":
            branches *= sum(count_branches(item) for item in value)
        elif key == "$and":
            for item in value:
                branches *= count_branches(item)
        if branches > 1_000_000:
            return branches
    return branches


def fits_one_rule(body: Any) -> bool:
    """Whether a compiled condition stays inside the engine's limits for one rule."""
    return (
        count_nodes(body) <= MAX_NODES_PER_RULE
        and count_atoms(body) <= MAX_ATOMS_PER_RULE
        and count_branches(body) <= MAX_BRANCHES_PER_RULE
    )


def fits_engine(value: Any) -> bool:
    """Whether an encoded field value is one the engine compares exactly."""
    return not isinstance(value, int) or -ENGINE_INT_LIMIT <= value <= ENGINE_INT_LIMIT
