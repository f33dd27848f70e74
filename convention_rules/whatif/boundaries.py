"""The boundary values of a decision's conditions, for one variable, in one environment.

A variable is a fact the decision reads, or ``as_of``. Walking the typed AST of
every rule (following derived values), each comparison ``L op R`` where one
side reads the variable and the other does not gives the values at which the
comparison changes its truth: the other side is evaluated in the environment,
and the first and last values of the variable that put the first side below,
at and above it are found by bisection (the side is taken to be monotone in the
variable: dates plus periods, sums, ``min``/``max``, the counting modes are).
Those values and their neighbours (± one day, one unit, one cent) are the
candidates; enums give their words, booleans both values, an event fact its
absence. A missing fact with no boundary in this environment is seeded with
``as_of`` (dates), its minimum (whole numbers) or zero euros.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, timedelta
from typing import Any, Final

from convention_rules._errors import ConventionRulesError
from convention_rules.deciding.kleene import ABSENT, UNKNOWN, Closure, Env
from convention_rules.language import syntax as a
from convention_rules.language.datatypes import Type
from convention_rules.law.money import Money
from convention_rules.reading.model import FactSpec

__all__ = ["AS_OF", "Domain", "boundary_values", "comparisons", "domain_of", "reads"]

AS_OF: Final = "as_of"
_YEARS_AROUND: Final = 80
_INT_SPAN: Final = 10**6
_MONEY_SPAN: Final = 10**11  # cents: one billion euros


def reads(node: a.Node, derived: Mapping[str, a.Node]) -> frozenset[str]:
    """The facts a node reads, following derived values, and ``as_of`` if it reads it."""
    found: set[str] = set()
    seen: set[str] = set()
    stack = [node]
    while stack:
        for sub in stack.pop().walk():
            if isinstance(sub, a.Name):
                if sub.kind == "fact" or sub.name == AS_OF:
                    found.add(sub.name)
                elif sub.kind == "derived" and sub.name not in seen:
                    seen.add(sub.name)
                    stack.append(derived[sub.name])
            elif isinstance(sub, a.Call) and sub.function in ("present", "known"):
                arg = sub.args[0]
                if isinstance(arg, a.Name):
                    found.add(arg.name)
    return frozenset(found)


def comparisons(roots: Iterable[a.Node], derived: Mapping[str, a.Node]) -> list[a.Compare]:
    """Every comparison under ``roots``, derived values followed, each once."""
    found: dict[a.Compare, None] = {}
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        for sub in stack.pop().walk():
            if isinstance(sub, a.Compare):
                found.setdefault(sub)
            elif isinstance(sub, a.Name) and sub.kind == "derived" and sub.name not in seen:
                seen.add(sub.name)
                stack.append(derived[sub.name])
    return list(found)


class Domain:
    """An ordered variable's values as whole numbers: day numbers, units or cents."""

    def __init__(self, kind: str, low: int, high: int) -> None:
        self.kind = kind
        self.low = low
        self.high = high

    def key(self, value: Any) -> int:
        if self.kind == "date":
            return int(value.toordinal())
        if self.kind == "money":
            return int(value.cents)
        return int(value)

    def value(self, key: int) -> Any:
        if self.kind == "date":
            return date.fromordinal(key)
        if self.kind == "money":
            return Money.from_cents(key)
        return key


def domain_of(spec: FactSpec | None, kind: Type, around: date) -> Domain | None:
    """The search range of an ordered variable; ``None`` for enums, booleans, lists."""
    if kind.name == "date":
        center = around.toordinal()
        span = 365 * _YEARS_AROUND
        return Domain("date", max(1, center - span), min(date.max.toordinal(), center + span))
    if kind.name == "int":
        low = spec.minimum if spec is not None and spec.minimum is not None else -_INT_SPAN
        high = spec.maximum if spec is not None and spec.maximum is not None else _INT_SPAN
        return Domain("int", low, high)
    if kind.name == "money":
        return Domain("money", 0, _MONEY_SPAN)
    return None


def _sign(value: Any, reference: Any) -> int | None:
    if value is UNKNOWN or value is ABSENT or value is None:
        return None
    try:
        return int(value > reference) - int(value < reference)
    except TypeError:
        return None


def _first_at_least(sign: Callable[[int], int | None], low: int, high: int, level: int) -> int:
    """The first key in [low, high] with sign >= level (sign non-decreasing), else high + 1."""
    lo, hi = low, high + 1
    while lo < hi:
        mid = (lo + hi) // 2
        found = sign(mid)
        if found is not None and found >= level:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _thresholds(side: Closure, reference: Any, env: Env, name: str, domain: Domain) -> set[int]:
    """Keys around which ``side`` (a function of ``name``) crosses ``reference``."""

    def sign(key: int) -> int | None:
        trial = dict(env)
        trial[name] = domain.value(key)
        try:
            return _sign(side(trial), reference)
        except (ConventionRulesError, OverflowError, ValueError):
            return None

    at_low, at_high = sign(domain.low), sign(domain.high)
    if at_low is None or at_high is None or at_low == at_high:
        return set()
    keys: set[int] = set()
    if at_low < at_high:
        for level in (0, 1):
            first = _first_at_least(sign, domain.low, domain.high, level)
            keys.update({first - 1, first})
    else:

        def flipped(key: int) -> int | None:  # non-decreasing when side decreases
            return sign(domain.high + domain.low - key)

        for level in (0, 1):
            first = _first_at_least(flipped, domain.low, domain.high, level)
            mirrored = domain.high + domain.low - first
            keys.update({mirrored, mirrored + 1})
    return {key for key in keys if domain.low <= key <= domain.high}


def boundary_values(
    name: str,
    kind: Type,
    spec: FactSpec | None,
    env: Env,
    *,
    compares: list[a.Compare],
    closures: Callable[[a.Node], Closure],
    derived: Mapping[str, a.Node],
    as_of: date,
) -> Iterator[Any]:
    """The candidate values of ``name`` in ``env`` (each once, in a stable order)."""
    yielded: set[Any] = set()

    def fresh(values: Iterable[Any]) -> Iterator[Any]:
        for value in values:
            if value not in yielded:
                yielded.add(value)
                yield value

    if spec is not None and spec.optional:
        yield from fresh([ABSENT])
    if kind.name == "bool":
        yield from fresh([True, False])
        return
    if kind.is_enum and kind.values is not None:
        yield from fresh(kind.values)
        return
    domain = domain_of(spec, kind, as_of)
    if domain is None:
        return
    keys: set[int] = set()
    for compare in compares:
        for side, other in ((compare.left, compare.right), (compare.right, compare.left)):
            if name not in reads(side, derived) or name in reads(other, derived):
                continue
            try:
                reference = closures(other)(dict(env))
            except (ConventionRulesError, OverflowError, ValueError):
                continue
            if reference is UNKNOWN or reference is ABSENT:
                continue
            keys |= _thresholds(closures(side), reference, env, name, domain)
    if not keys and (name not in env or env.get(name) is ABSENT):
        seed = {"date": as_of.toordinal(), "int": max(domain.low, 0), "money": 0}[domain.kind]
        keys.add(seed)
    yield from fresh(domain.value(key) for key in sorted(keys))


def one_step_toward(value: Any, target: Any) -> Any:
    """``value`` moved one day, unit or cent toward ``target`` (for the minimality check)."""
    if isinstance(value, date):
        return value + timedelta(days=1 if target > value else -1)
    if isinstance(value, Money):
        return Money.from_cents(value.cents + (1 if target > value else -1))
    return value + (1 if target > value else -1)
