"""The boundaries a decision's conditions draw, read from its typed AST.

A synthetic cohort (``tools/cohorts.py``) is only useful if it lands on the days and
amounts where an answer flips: the day before, of and after a deadline, 29 February
under a yearly period, the amount one cent under a ceiling, the cent that a
percentage splits in two. This module walks every expression a decision reads
(rules, values, the derived values they name, the constraints that apply) and
collects:

- **literals and constants** of type date, int and money (every dated value of a
  constant), by the fact they are compared with when the comparison says so;
- **date relations**: comparisons of two *affine dates* (a fact, ``as_of`` or a fixed
  date, plus or minus periods: ``training_entry > initial_education_end + 2 years``),
  so a generator can place one side a day before, on or after the other;
- **rates** (literals and constants, the halves of ``half``, the parts of ``share(x,
  [40, 60], i)``), whose tie cents a generator can aim at.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from fractions import Fraction

import attrs

from convention_rules.deciding.ruleset import Ruleset
from convention_rules.language import syntax as a
from convention_rules.law.legaltime import Period, Unit
from convention_rules.law.money import Money, Rate
from convention_rules.reading.model import ConstantSpec, DecisionSpec

#: A base of an affine date: ``("fact", name)``, ``("as_of", "")`` or ``("day", iso)``.
Base = tuple[str, str]


@attrs.frozen
class AffineDate:
    """``base`` plus each ``(sign, period)`` of ``offsets`` in turn (``sign`` is 1 or -1)."""

    base: Base
    offsets: tuple[tuple[int, Period], ...] = ()

    @property
    def fact(self) -> str | None:
        return self.base[1] if self.base[0] == "fact" else None

    def shifted(self, sign: int, period: Period) -> AffineDate:
        return AffineDate(self.base, (*self.offsets, (sign, period)))


@attrs.frozen
class Relation:
    """Two affine dates a condition compares (``left op right``)."""

    left: AffineDate
    right: AffineDate
    op: str


@attrs.frozen
class Thresholds:
    """What a generator aims at for one decision."""

    #: fact name -> the int, date or money values it is compared with (money as cents)
    by_fact: dict[str, frozenset[int | date]]
    #: type name (int, date, money) -> every literal and constant of that type read
    by_type: dict[str, frozenset[int | date]]
    relations: tuple[Relation, ...]
    rates: frozenset[Fraction]
    #: the relations cross-fact constraints require (a valid row satisfies them)
    required: tuple[Relation, ...] = ()
    #: money expressions compared with a fixed amount: (expression, op, cents)
    money_targets: tuple[tuple[a.Node, str, int], ...] = ()
    #: int facts a cross-fact constraint orders (``paid <= long``): (left, op, right)
    required_ints: tuple[tuple[str, str, str], ...] = ()


def _constants(ruleset: Ruleset) -> dict[str, list[ConstantSpec]]:
    found: dict[str, list[ConstantSpec]] = {n: [c] for n, c in ruleset.spec.constants.items()}
    for amendment in ruleset.spec.amendments.values():
        for name, constant in amendment.constants.items():
            found.setdefault(name, []).append(constant)
    return found


def _decision_versions(ruleset: Ruleset, decision: str) -> list[DecisionSpec]:
    specs = [ruleset.decision_spec(decision)]
    for version in ruleset.versions:
        spec = ruleset.decision_spec(decision, as_of=version.first or date.min)
        if spec not in specs:
            specs.append(spec)
    return specs


def _constraint_roots(ruleset: Ruleset, decision: str) -> list[a.Node]:
    inputs = set(ruleset.decision_spec(decision).inputs)
    return [c.require for c in ruleset.spec.constraints if c.reads <= inputs]


def roots(ruleset: Ruleset, decision: str) -> list[a.Node]:
    """Every expression ``decision`` reads, in any version, derived values included."""
    nodes: list[a.Node] = []
    for spec in _decision_versions(ruleset, decision):
        for value in spec.values:
            nodes.extend(n for n in (value.when, value.expr) if n is not None)
        for rule in spec.rules:
            nodes.append(rule.when)
            for value in rule.values:
                nodes.extend(n for n in (value.when, value.expr) if n is not None)
    nodes.extend(_constraint_roots(ruleset, decision))
    derived = ruleset.spec.derived
    seen: set[str] = set()
    pending = list(nodes)
    while pending:
        for node in pending.pop().walk():
            if isinstance(node, a.Name) and node.kind == "derived" and node.name not in seen:
                seen.add(node.name)
                nodes.append(derived[node.name])
                pending.append(derived[node.name])
    return nodes


def _scalar(value: object) -> int | date | None:
    """An int, a date, or money as cents; None for any other value."""
    if isinstance(value, Money):
        return int(value.amount * 100)
    if isinstance(value, date) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    return None


class _Collector:
    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.constants = _constants(ruleset)
        self.derived = ruleset.spec.derived

    def values_of(self, node: a.Node) -> list[object]:
        """The values a literal or constant may take (every dated value); else none."""
        if isinstance(node, a.Literal):
            return [node.value]
        if isinstance(node, a.Name) and node.kind == "constant":
            return [v for c in self.constants.get(node.name, []) for _, v in c.values]
        return []

    def periods_of(self, node: a.Node) -> list[Period]:
        return [v for v in self.values_of(node) if isinstance(v, Period)]

    def affine(self, node: a.Node) -> list[AffineDate]:
        """The affine dates ``node`` may be (one per dated value of a constant in it)."""
        if isinstance(node, a.Name):
            if node.kind == "fact":
                return [AffineDate(("fact", node.name))]
            if node.kind == "builtin" and node.name == "as_of":
                return [AffineDate(("as_of", ""))]
            if node.kind == "derived":
                return self.affine(self.derived[node.name])
        days = [v for v in self.values_of(node) if isinstance(v, date)]
        if days:
            return [AffineDate(("day", d.isoformat())) for d in days]
        if isinstance(node, a.Binary) and node.op in "+-":
            sign = 1 if node.op == "+" else -1
            return [
                form.shifted(sign, period)
                for form in self.affine(node.left)
                for period in self.periods_of(node.right)
            ]
        if isinstance(node, a.Call) and node.args:
            return self._call(node)
        return []

    def _call(self, node: a.Call) -> list[AffineDate]:
        first = self.affine(node.args[0])
        rest = node.args[1:]
        units = {"add_days": Unit.DAYS, "add_months": Unit.MONTHS, "add_years": Unit.YEARS}
        if node.function in units and rest:
            counts = [v for v in self.values_of(rest[0]) if isinstance(v, int)]
            return [f.shifted(1, Period(n, units[node.function])) for f in first for n in counts]
        if node.function in {"add_period", "after_period", "at_least_before"} and rest:
            sign = -1 if node.function == "at_least_before" else 1
            shifted = [f.shifted(sign, p) for f in first for p in self.periods_of(rest[0])]
            if node.function == "after_period":
                return [f.shifted(1, Period(1, Unit.DAYS)) for f in shifted]
            return shifted
        if node.function in {"next_working_day", "deadline"}:
            return first if node.function == "next_working_day" else []
        return []


def thresholds(ruleset: Ruleset, decision: str) -> Thresholds:
    """The thresholds, date relations and rates of ``decision`` (in every version)."""
    collector = _Collector(ruleset)
    by_fact: dict[str, set[int | date]] = {}
    by_type: dict[str, set[int | date]] = {"int": set(), "date": set(), "money": set()}
    relations: list[Relation] = []
    rates: set[Fraction] = set()
    money_targets: list[tuple[a.Node, str, int]] = []
    for node in _walk_all(roots(ruleset, decision)):
        for value in collector.values_of(node):
            if isinstance(value, Rate):
                rates.add(Fraction(value.fraction))
            scalar = _scalar(value)
            if scalar is not None:
                kind = (
                    "money"
                    if isinstance(value, Money)
                    else "date"
                    if isinstance(value, date)
                    else "int"
                )
                by_type[kind].add(scalar)
        if isinstance(node, a.Call) and node.function == "half":
            rates.add(Fraction(1, 2))
        if isinstance(node, a.Call) and node.function == "share":
            rates |= _share_fractions(node)
        pairs: list[tuple[str, a.Node, a.Node]] = []
        if isinstance(node, a.Compare):
            pairs.append((node.op, node.left, node.right))
            money_targets.extend(_money_target(collector, node))
        elif isinstance(node, a.Call) and node.function == "between" and len(node.args) == 3:
            pairs += [(">=", node.args[0], node.args[1]), ("<=", node.args[0], node.args[2])]
        for op, left, right in pairs:
            _compare(collector, op, left, right, by_fact=by_fact, relations=relations)
    required: list[Relation] = []
    required_ints: list[tuple[str, str, str]] = []
    for root in _constraint_roots(ruleset, decision):
        if isinstance(root, a.Compare):
            _compare(collector, root.op, root.left, root.right, by_fact={}, relations=required)
            sides = (root.left, root.right)
            if all(
                isinstance(side, a.Name) and side.kind == "fact" and a.type_of(side).name == "int"
                for side in sides
            ):
                assert isinstance(root.left, a.Name) and isinstance(root.right, a.Name)
                required_ints.append((root.left.name, root.op, root.right.name))
    return Thresholds(
        by_fact={k: frozenset(v) for k, v in by_fact.items()},
        by_type={k: frozenset(v) for k, v in by_type.items()},
        relations=tuple(dict.fromkeys(relations)),
        rates=frozenset(rates),
        required=tuple(dict.fromkeys(required)),
        money_targets=tuple(dict.fromkeys(money_targets)),
        required_ints=tuple(dict.fromkeys(required_ints)),
    )


def _share_fractions(node: a.Call) -> set[Fraction]:
    """``share(x, [40, 60], i)``: each part's fraction of the whole (2/5, 3/5)."""
    ratios = node.args[1] if len(node.args) > 1 else None
    if not isinstance(ratios, a.ListExpr):
        return set()
    weights = [item.value for item in ratios.items if isinstance(item, a.Literal)]
    if len(weights) != len(ratios.items) or not all(isinstance(w, int) for w in weights):
        return set()
    total = sum(weights)
    return {Fraction(w, total) for w in weights if total > 0}


def _money_target(collector: _Collector, node: a.Compare) -> list[tuple[a.Node, str, int]]:
    """``final_result > 0.00 EUR``: an expression over facts (not a lone fact, whose
    thresholds ``by_fact`` holds) against each fixed amount it may be."""
    if a.type_of(node.left).name != "money":
        return []
    found: list[tuple[a.Node, str, int]] = []
    for side, other, op in ((node.left, node.right, node.op), (node.right, node.left, None)):
        amounts = [v for v in collector.values_of(other) if isinstance(v, Money)]
        lone = isinstance(side, a.Name) and side.kind == "fact"
        if amounts and not lone and not collector.values_of(side):
            mirrored = op or {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(node.op, node.op)
            found.extend((side, mirrored, int(m.amount * 100)) for m in amounts)
    return found


def _walk_all(nodes: list[a.Node]) -> Iterator[a.Node]:
    for root in nodes:
        yield from root.walk()


def _compare(
    collector: _Collector,
    op: str,
    left: a.Node,
    right: a.Node,
    *,
    by_fact: dict[str, set[int | date]],
    relations: list[Relation],
) -> None:
    for fact_side, other in ((left, right), (right, left)):
        if isinstance(fact_side, a.Name) and fact_side.kind == "fact":
            for value in collector.values_of(other):
                scalar = _scalar(value)
                if scalar is not None:
                    by_fact.setdefault(fact_side.name, set()).add(scalar)
    if a.type_of(left).name != "date":
        return
    relations.extend(
        Relation(left_form, right_form, op)
        for left_form in collector.affine(left)
        for right_form in collector.affine(right)
        if left_form.fact is not None or right_form.fact is not None
    )
