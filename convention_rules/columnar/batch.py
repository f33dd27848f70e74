"""A compiled decision, evaluated over a whole table.

:class:`BatchDecision` compiles one decision of one version (its rules,
exceptions, values, constraints and missing-fact analysis) once, from the
same typed AST and the same ``CompiledDecision`` the single path uses.
:func:`decide_table` reads the table's cells, evaluates every row at once,
and answers the rows no kernel can (invalid cells, conflicts, dates beyond
the calendar) through the single-decision path, so their answers and errors
are ``decide``'s own.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from convention_rules._errors import ConventionRulesError, FactError
from convention_rules.columnar import resolution
from convention_rules.columnar.cells import python_cell, read_fact
from convention_rules.columnar.column import KNOWN, UNKNOWN, Array, Batch, Col
from convention_rules.columnar.evaluator import Compiler, const_col
from convention_rules.columnar.output import Answer, build_answer
from convention_rules.columnar.tables import Table
from convention_rules.language import syntax as a
from convention_rules.language.datatypes import DATE, Type

if TYPE_CHECKING:
    from convention_rules.deciding.decision import Decision
    from convention_rules.deciding.ruleset import CompiledDecision
    from convention_rules.reading.model import Version

Errors = Literal["mark", "raise"]

#: Rows evaluated together (a part of the table); its arrays fit in the caches.
CHUNK_ROWS = 1 << 16

_COMPILERS: weakref.WeakKeyDictionary[Any, Compiler] = weakref.WeakKeyDictionary()
_BATCHES: weakref.WeakKeyDictionary[Any, BatchDecision] = weakref.WeakKeyDictionary()


class BatchDecision:
    """One decision of one version, compiled to column operations."""

    def __init__(self, compiled: CompiledDecision) -> None:
        self.compiled = compiled
        spec = compiled.spec
        ruleset = compiled.ruleset
        # one compiler per loaded ruleset (its closures' owner), shared by its decisions
        compiler = _COMPILERS.get(compiled.closures)
        if compiler is None:
            compiler = _COMPILERS[compiled.closures] = Compiler(ruleset.derived)
        self.compiler = compiler
        self.inputs = spec.inputs
        self.bits = {name: i for i, name in enumerate(spec.inputs)}
        self.enum_bits = np.int64(
            sum(
                1 << i
                for i, name in enumerate(spec.inputs)
                if compiled.ruleset.facts[name].type.is_enum
            )
        )
        self.rules = compiled.rules
        self.when = {rule.id: compiler(rule.when) for rule in self.rules}
        self.exceptions = compiled.exceptions
        outcomes = list(spec.outcomes)
        for rule in self.rules:
            if rule.outcome not in outcomes:
                outcomes.append(rule.outcome)
        self.outcomes = tuple(outcomes)
        self.values = [(v, compiler(v.expr), _maybe(compiler, v.when)) for v in spec.values]
        self.rule_values = [
            (bit, v, compiler(v.expr), _maybe(compiler, v.when))
            for bit, rule in enumerate(self.rules)
            for v in rule.values
        ]
        self.value_types: dict[str, Type] = {}
        for v in (*spec.values, *(v for rule in self.rules for v in rule.values)):
            self.value_types.setdefault(v.name, a.type_of(v.expr))
        self.constraints = [compiler(c.require) for c, _ in compiled.constraints]
        # the rules whose missing facts a pending rule lists: itself and its exceptions
        self.reach: dict[str, set[str]] = {}
        for rule in self.rules:
            seen, stack = set(), [rule.id]
            while stack:
                current = stack.pop()
                if current not in seen:
                    seen.add(current)
                    stack.extend(self.exceptions.get(current, ()))
            self.reach[rule.id] = seen

    # -- evaluation ----------------------------------------------------------
    def evaluate(self, table: Table, day: date) -> tuple[Answer, Array]:
        """The answer of every row, and the rows to decide one by one."""
        n = table.n
        compiled = self.compiled
        facts: dict[str, Col] = {}
        bad = np.zeros(n, dtype=bool)
        declared = compiled.validate.specs
        for name in self.inputs:
            spec = declared[name]
            if name not in table.columns:
                if spec.default is None and not spec.optional:
                    listed = ", ".join(c for c in self.inputs if c not in table.columns)
                    raise FactError(
                        f"the table has no column for the facts: {listed}",
                        fact=name,
                        expected="a column per input fact (cells may be empty)",
                    )
                empty = _empty_column(n)
                col, invalid = read_fact(name, spec, empty, n)
            else:
                col, invalid = read_fact(name, spec, table.raw(name), n)
            facts[name] = col
            bad |= invalid
        constants = {
            name: const_col(value, compiled.constant_types[name])
            for name, value in compiled.static_env.items()
        }
        for constant in compiled.dated:
            constants[constant.name] = const_col(constant.value_at(day), constant.type)
        constants["as_of"] = const_col(day, DATE)
        batch = Batch(n, facts, constants)
        for require in self.constraints:
            col = require(batch)
            truth = col.v.astype(bool) & (True if col.s is None else col.s == KNOWN)
            bad |= ~truth & (True if col.s is None else col.s != UNKNOWN)
        status, resolved = self._resolve(batch)
        bad |= resolved.conflict
        if compiled.spec.otherwise is None:
            bad |= resolved.fell_through
        answered = resolved.determined | resolved.fell_through
        values: dict[str, tuple[Array, Array]] = {}
        for value, expr, condition in self.values:
            rows = answered & self._with_outcome(resolved, value.outcomes)
            self._value(values, value.name, batch=batch, expr=expr, when=condition, rows=rows)
        winners = np.where(resolved.fell_through, 0, resolved.winners)
        for bit, value, expr, condition in self.rule_values:
            won = ((winners >> bit) & 1).astype(bool) & resolved.determined
            won &= self._with_outcome(resolved, value.outcomes)
            self._value(values, value.name, batch=batch, expr=expr, when=condition, rows=won)
        missing = self._settled_branches(batch, self._missing(batch, status, resolved.pending))
        bad |= batch.bad
        answer = Answer(
            outcomes=self.outcomes,
            outcome=resolved.outcome,
            determined=resolved.determined,
            otherwise=compiled.spec.otherwise.outcome if compiled.spec.otherwise else None,
            fell_through=resolved.fell_through,
            values=values,
            value_types=self.value_types,
            missing=missing,
            inputs=self.inputs,
            winners=winners,
            rules=tuple(rule.id for rule in self.rules),
            problems_value=compiled.spec.problems_value,
            problems=tuple(rule.problems for rule in self.rules),
        )
        return answer, bad

    def _resolve(self, batch: Batch) -> tuple[dict[str, resolution.Status], resolution.Resolved]:
        """Each rule's status on every row, and the resolution of the rules."""
        n = batch.n
        status = {}
        for rule_id, when in self.when.items():
            col = when(batch)
            true = np.broadcast_to(_truth(col), (n,))
            unknown = np.broadcast_to(False if col.s is None else col.s == UNKNOWN, (n,))
            status[rule_id] = resolution.Status(true, unknown)
        applied = (
            resolution.applies(self.rules, status, self.exceptions) if self.exceptions else status
        )
        return status, resolution.resolve(self.rules, self.outcomes, applied, n)

    def _settled_branches(self, batch: Batch, found: Array) -> Array:
        """``CompiledDecision._missing``'s branches: a missing enum fact selects a branch;
        each of its words is tried on every row at once, and the facts listed are those
        some unsettled branch still needs (a branch the known facts settle adds none)."""
        if not (found & self.enum_bits).any():
            return found
        n = batch.n
        for selector in self.inputs:
            kind = self.compiled.ruleset.facts[selector].type
            bit = np.int64(1 << self.bits[selector])
            rows = (found & bit) != 0
            if not kind.is_enum or not rows.any():
                continue
            needed = np.full(n, bit, dtype=np.int64)
            for word in kind.values or ():
                facts = dict(batch.facts)
                facts[selector] = Col(np.full(n, const_col(word, kind).v, dtype=np.int64))
                branch = Batch(n, facts, batch.constants)
                status, settled = self._resolve(branch)
                listed = self._missing(branch, status, settled.pending)
                needed |= np.where(settled.conflict, found, listed)
            found = np.where(rows, found & needed, found)
        return found

    def _with_outcome(self, resolved: resolution.Resolved, outcomes: Any) -> Array:
        """The rows whose outcome is one of ``outcomes`` (every row when None)."""
        if outcomes is None:
            return np.ones(resolved.outcome.shape, dtype=bool)
        codes = [i for i, outcome in enumerate(self.outcomes) if outcome in outcomes]
        rows = np.isin(resolved.outcome, codes) & resolved.determined
        otherwise = self.compiled.spec.otherwise
        if otherwise is not None and otherwise.outcome in outcomes:
            rows |= resolved.fell_through
        return np.asarray(rows)

    @staticmethod
    def _value(
        values: dict[str, tuple[Array, Array]],
        name: str,
        *,
        batch: Batch,
        expr: Callable[[Batch], Col],
        when: Callable[[Batch], Col] | None,
        rows: Array,
    ) -> None:
        # A value is computed only where it is used (decide computes it only then): a row
        # its kernels cannot compute counts only if it uses the value. Each part runs in a
        # scope of its own, so a result cached there never carries another scope's rows.
        if when is not None:
            scope = batch.scope()
            condition = when(scope)
            batch.bad |= scope.bad & rows
            rows = rows & _truth(condition)
        scope = batch.scope()
        col = expr(scope)
        batch.bad |= scope.bad & rows
        if col.s is not None:
            rows = rows & (col.s == KNOWN)
        rows = np.broadcast_to(rows, (batch.n,))
        encoded = np.broadcast_to(col.v, (batch.n,))
        if name in values:
            old, present = values[name]
            values[name] = (np.where(rows, encoded, old), present | rows)
        else:
            values[name] = (encoded, rows)

    def _missing(
        self, batch: Batch, status: Mapping[str, resolution.Status], pending: Array
    ) -> Array:
        """Bit masks of the missing facts that keep each row undetermined."""
        found = np.zeros(batch.n, dtype=np.int64)
        rows = np.nonzero(pending)[0]
        if rows.size == 0:
            return found
        own: dict[str, Array] = {}
        memo: dict[a.Node, Any] = {}
        for rule in self.rules:
            unknown = status[rule.id].unknown[rows]
            own[rule.id] = np.where(unknown, self._bits(rule.when, batch, rows, memo), 0)
        listed_rows = np.zeros(rows.size, dtype=np.int64)
        waiting = pending[rows]
        for bit, rule in enumerate(self.rules):
            listed = np.zeros(rows.size, dtype=np.int64)
            for other in self.reach[rule.id]:
                listed |= own[other]
            listed_rows |= np.where((waiting >> bit) & 1 == 1, listed, 0)
        found[rows] = listed_rows
        return found

    def _bits(self, node: a.Node, batch: Batch, rows: Array, memo: dict[a.Node, Any]) -> Any:
        """``kleene.missing_facts`` for the rows ``rows``, as bit masks of inputs."""
        found = memo.get(node)
        if found is not None:
            return found
        col = self.compiler(node)(batch)
        if col.s is None:
            memo[node] = np.int64(0)
            return memo[node]
        unknown = col.s[rows] == UNKNOWN
        inner: Any = np.int64(0)
        if not unknown.any():
            pass
        elif isinstance(node, a.Name):
            if node.kind == "derived":
                inner = self._bits(self.compiler.derived[node.name], batch, rows, memo)
            elif node.kind == "fact" and node.name in self.bits:
                inner = np.int64(1 << self.bits[node.name])
        elif isinstance(node, a.Conditional):
            cond = self.compiler(node.condition)(batch)
            pick = np.broadcast_to(_truth(cond), (batch.n,))[rows]
            then = self._bits(node.then, batch, rows, memo)
            otherwise = self._bits(node.otherwise, batch, rows, memo)
            branch = np.where(pick, then, otherwise)
            if cond.s is not None:
                every = self._bits(node.condition, batch, rows, memo) | then | otherwise
                branch = np.where(cond.s[rows] == UNKNOWN, every, branch)
            inner = branch
        else:
            for child in node.children():
                inner = inner | self._bits(child, batch, rows, memo)
        memo[node] = np.where(unknown, inner, 0)
        return memo[node]


def _maybe(compiler: Compiler, node: a.Node | None) -> Callable[[Batch], Col] | None:
    return None if node is None else compiler(node)


def _truth(col: Col) -> Array:
    v = col.v.astype(bool, copy=False)
    return v if col.s is None else v & (col.s == KNOWN)


def _empty_column(n: int) -> Any:
    from convention_rules.columnar.cells import Raw  # noqa: PLC0415

    return Raw("object", np.full(n, None, dtype=object), np.ones(n, dtype=bool), lambda row: None)


def batch_for(compiled: CompiledDecision) -> BatchDecision:
    """The decision compiled for tables (once per decision and version)."""
    found = _BATCHES.get(compiled)
    if found is None:
        found = _BATCHES[compiled] = BatchDecision(compiled)
    return found


def row_facts(
    table: Table, inputs: tuple[str, ...], types: Mapping[str, Type], row: int
) -> dict[str, Any]:
    """One row's facts as ``decide`` takes them."""
    facts: dict[str, Any] = {}
    for name in inputs:
        if name in table.columns:
            kind = types[name]
            facts[name] = python_cell(
                table.raw_cell(name, row), "enum" if kind.is_enum else kind.name
            )
    return facts


def decide_table(
    compiled: CompiledDecision,
    day: date,
    version: Version | None,
    source: Any,
    errors: Errors,
) -> Any:
    """Answer every row of ``source`` (see :meth:`Ruleset.decide_table`)."""
    if errors not in ("mark", "raise"):
        raise ValueError(f"errors must be 'mark' or 'raise', not {errors!r}")
    table = Table(source)
    batch = batch_for(compiled)
    types = {name: spec.type for name, spec in compiled.validate.specs.items()}
    parts = []
    # Parts of CHUNK_ROWS rows: the working arrays of a part stay in the processor's
    # caches, and memory beyond the answer is bounded by the part, not the table.
    for part in table.slices(CHUNK_ROWS):
        answer, bad = batch.evaluate(part, day)
        fixes: dict[int, Decision | str] = {}
        for row in np.nonzero(bad)[0].tolist():
            facts = row_facts(part, batch.inputs, types, row)
            try:
                fixes[row] = compiled.decide(
                    compiled.environment(facts, day), day, version, "durable"
                )
            except ConventionRulesError as exc:
                if errors == "raise":
                    raise _with_row(exc, part.label(row)) from None
                fixes[row] = str(exc).splitlines()[0]
        parts.append(build_answer(answer, part.n, fixes))
    return table.answer(parts)


def decide_row(
    compiled: CompiledDecision, day: date, version: Version | None, source: Any, row: int
) -> Decision:
    """The explained decision of one row of a table (what ``decide`` gives for it)."""
    table = Table(source)
    if not 0 <= row < table.n:
        raise IndexError(f"row {row} is not in a table of {table.n} rows")
    types = {name: spec.type for name, spec in compiled.validate.specs.items()}
    facts = row_facts(table, compiled.spec.inputs, types, row)
    try:
        return compiled.decide(compiled.environment(facts, day), day, version, "durable")
    except ConventionRulesError as exc:
        raise _with_row(exc, table.label(row)) from None


def _with_row(exc: ConventionRulesError, label: Any) -> ConventionRulesError:
    if isinstance(exc, FactError):
        return FactError(
            exc.message, fact=exc.fact, value=exc.value, expected=exc.expected, row=label
        )
    return type(exc)(f"row {label}: {exc}")
