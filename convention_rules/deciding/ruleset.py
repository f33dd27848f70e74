"""A loaded ruleset: compiled decisions, one set per version of the agreement.

Loading compiles every decision of every version: conditions to
durable_rules rulesets (one engine ruleset per decision and version),
expressions to closures. Deciding validates the facts, computes the fields,
asks the engine which rules hold, resolves exceptions and computes values;
nothing is parsed again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Literal

import attrs

from convention_rules._errors import EvaluationError, FactError, UnknownNameError
from convention_rules.deciding.compiler import CompiledConditions, ConditionCompiler
from convention_rules.deciding.decision import UNDETERMINED, Decision, TraceEntry
from convention_rules.deciding.engine import DurableMatcher
from convention_rules.deciding.facts import Validator
from convention_rules.deciding.kleene import (
    ABSENT,
    UNKNOWN,
    Closure,
    Compiler,
    Env,
    missing_facts,
    truth,
)
from convention_rules.deciding.resolve import resolve
from convention_rules.language import syntax as a
from convention_rules.law import legaltime as lt
from convention_rules.reading.loader import RulesetSpec
from convention_rules.reading.model import (
    ConstantSpec,
    DecisionSpec,
    FactSpec,
    RuleSpec,
    ValueSpec,
    Version,
)
from convention_rules.reading.versions import effective_versions

Engine = Literal["durable", "kleene"]


_CompiledValues = tuple[tuple[str, Closure | None, Closure], ...]


class _Closures:
    """Closures of a ruleset's expressions, compiled once per distinct node.

    Nodes compare by structure (not position) and cache their hash, so the
    same term written twice shares one closure."""

    def __init__(self, derived: Mapping[str, a.Node]) -> None:
        self.derived_nodes = derived
        self.derived: dict[str, Closure] = {}
        self.compiler = Compiler(self.derived)
        self.cache: dict[a.Node, Closure] = {}
        for name, node in derived.items():
            self.derived[name] = self(node)

    def __call__(self, node: a.Node) -> Closure:
        closure = self.cache.get(node)
        if closure is None:
            closure = self.cache[node] = self.compiler.compile(node)
        return closure


class CompiledDecision:
    """One decision of one version, ready to answer."""

    def __init__(
        self,
        spec: DecisionSpec,
        *,
        rules: tuple[RuleSpec, ...],
        constants: Mapping[str, ConstantSpec],
        ruleset: RulesetSpec,
        closures: _Closures,
        label: str,
    ) -> None:
        self.spec = spec
        self.rules = rules
        self.ruleset = ruleset
        self.closures = closures
        self.static_env = {n: c.values[0][1] for n, c in constants.items() if c.is_static}
        self.constant_types = {n: c.type for n, c in constants.items()}
        self.dated = tuple(c for c in constants.values() if not c.is_static)
        optional = {name for name, fact in ruleset.facts.items() if fact.optional}

        def reads_optional(node: a.Node) -> bool:
            return bool(a.facts_read([node], ruleset.derived) & optional)

        compiler = ConditionCompiler(closures, reads_optional, self.static_env)
        for rule in rules:
            compiler.add(rule.id, rule.when, rule.when.loc)
        self.conditions: CompiledConditions = compiler.result()
        self.matcher = DurableMatcher(label, self.conditions.rules)
        self.validate = Validator(ruleset.facts, spec.inputs, f"{ruleset.id}/{spec.name}")
        self.when = {rule.id: closures(rule.when) for rule in rules}
        self.polarities = tuple((rule.id, rule.id + "+", rule.id + "-") for rule in rules)
        self.exceptions: dict[str, tuple[str, ...]] = {}
        for rule in rules:
            if rule.exception_to is not None:
                self.exceptions[rule.exception_to] = (
                    *self.exceptions.get(rule.exception_to, ()),
                    rule.id,
                )
        self.reads = {rule.id: _facts_in(rule, ruleset) for rule in rules}
        self.values = self._compile_values(spec.values)
        self.rule_values = {rule.id: self._compile_values(rule.values) for rule in rules}
        inputs = set(spec.inputs)
        self.constraints = tuple(
            (c, closures(c.require)) for c in ruleset.constraints if c.reads <= inputs
        )

    def environment(self, facts: Mapping[str, Any] | None, as_of: date) -> Env:
        env = self.validate(facts)
        env.update(self.static_env)
        for constant in self.dated:
            env[constant.name] = constant.value_at(as_of)
        env["as_of"] = as_of
        for constraint, require in self.constraints:
            if truth(require(env)) is False:
                raise FactError(
                    constraint.message,
                    fact=constraint.fact,
                    value=env.get(constraint.fact),
                    expected=f"constraint {constraint.id}",
                )
        return env

    def status(self, env: Env, engine: Engine) -> dict[str, bool | None]:
        fact = self.conditions.fact(env)  # both engines compute (and may refuse) every field
        if engine == "kleene":
            return {rule_id: truth(when(env)) for rule_id, when in self.when.items()}
        fired = self.matcher.match(fact)
        return {
            rule_id: True if holds in fired else False if fails in fired else None
            for rule_id, holds, fails in self.polarities
        }

    def decide(self, env: Env, as_of: date, version: str | None, engine: Engine) -> Decision:
        spec = self.spec
        status = self.status(env, engine)
        resolution = resolve(spec.name, self.rules, status, self.exceptions)
        base = _Base(self.ruleset.id, spec.name, as_of, version)
        if resolution.outcome is None and not resolution.fell_through:
            missing = self._missing(resolution.unknown, env, status)
            trace = tuple(self._entry(rule, env) for rule in resolution.winners)
            return base.answer(UNDETERMINED, {}, missing, trace)
        if resolution.fell_through:
            if spec.otherwise is None:
                raise EvaluationError(
                    f"no rule of {self.ruleset.id}/{spec.name} applies to these facts "
                    "and the decision declares no 'otherwise'"
                )
            other = spec.otherwise
            values = self._values(self.values, env)
            entry = TraceEntry("otherwise", other.citation, reading=other.reading)
            return base.answer(other.outcome, values, (), (entry,))
        values = self._values(self.values, env)
        for rule in resolution.winners:
            values.update(self._values(self.rule_values[rule.id], env))
        if spec.problems_value is not None:
            # The faults the known facts establish. With a fact missing the
            # outcome may already be decided (one fault suffices) while other
            # checks are unknown: those are not listed (docs/ruleset-format.md).
            problems: list[str] = []
            for rule in resolution.winners:
                problems.extend(p for p in rule.problems if p not in problems)
            values[spec.problems_value] = problems
        trace = tuple(self._entry(rule, env) for rule in resolution.winners) + tuple(
            self._entry(rule, env, overridden_by=winner) for rule, winner in resolution.overridden
        )
        assert resolution.outcome is not None
        return base.answer(resolution.outcome, values, (), trace)

    def _compile_values(self, specs: tuple[ValueSpec, ...]) -> _CompiledValues:
        closures = self.closures
        return tuple(
            (v.name, None if v.when is None else closures(v.when), closures(v.expr)) for v in specs
        )

    @staticmethod
    def _values(compiled: _CompiledValues, env: Env) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, when, expr in compiled:
            if when is not None and truth(when(env)) is not True:
                continue
            result = expr(env)
            if result is not UNKNOWN and result is not ABSENT:
                values[name] = result
        return values

    def _missing(
        self, unknown: tuple[RuleSpec, ...], env: Env, status: Mapping[str, bool | None]
    ) -> tuple[str, ...]:
        found: set[str] = set()
        by_id = {rule.id: rule for rule in self.rules}
        pending = list(unknown)
        seen: set[str] = set()
        while pending:
            rule = pending.pop()
            if rule.id in seen:
                continue
            seen.add(rule.id)
            if status[rule.id] is None:
                found |= missing_facts(rule.when, env, self.closures, self.ruleset.derived)
            pending.extend(by_id[e] for e in self.exceptions.get(rule.id, ()))
        return tuple(name for name in self.spec.inputs if name in found)

    def _entry(self, rule: RuleSpec, env: Env, overridden_by: str | None = None) -> TraceEntry:
        facts = {
            name: env[name]
            for name in self.reads[rule.id]
            if name in env and env[name] is not ABSENT
        }
        return TraceEntry(rule.id, rule.citation, facts, rule.reading, overridden_by)


@attrs.frozen
class _Base:
    """What every decision of one call shares."""

    ruleset: str
    decision: str
    as_of: date
    version: str | None

    def answer(
        self,
        outcome: str,
        values: dict[str, Any],
        missing: tuple[str, ...],
        trace: tuple[TraceEntry, ...],
    ) -> Decision:
        return Decision(
            ruleset=self.ruleset,
            decision=self.decision,
            outcome=outcome,
            values=values,
            missing=missing,
            trace=trace,
            as_of=self.as_of,
            version=self.version,
        )


def _facts_in(rule: RuleSpec, ruleset: RulesetSpec) -> tuple[str, ...]:
    read = a.facts_read([rule.when], ruleset.derived)
    return tuple(name for name in ruleset.facts if name in read)


class Ruleset:
    """An agreement's rules, loaded, checked and compiled.

    >>> rs = load_ruleset("occitanie-forpro-sup")            # doctest: +SKIP
    >>> rs.decide("eligibility", {...}, as_of=date(2025, 1, 1))  # doctest: +SKIP
    """

    def __init__(self, spec: RulesetSpec) -> None:
        self.spec = spec
        self.id = spec.id
        self.title = spec.title
        self.source = spec.source
        self.versions: tuple[Version, ...] = spec.versions
        closures = _Closures(spec.derived)
        self._compiled: dict[str | None, dict[str, CompiledDecision]] = {}
        in_force = self._in_force = effective_versions(
            spec.decisions, spec.constants, spec.versions, spec.amendments
        )
        for version_id, (constants, decisions) in in_force.items():
            self._compiled[version_id] = {
                name: CompiledDecision(
                    decision,
                    rules=decision.rules,
                    constants=constants,
                    ruleset=spec,
                    closures=closures,
                    label=f"{spec.id}/{name}/{version_id or 'base'}",
                )
                for name, decision in decisions.items()
            }

    @property
    def decisions(self) -> tuple[str, ...]:
        """The names of the decisions this ruleset answers."""
        return tuple(self.spec.decisions)

    @property
    def facts(self) -> Mapping[str, FactSpec]:
        return self.spec.facts

    def decision_spec(self, name: str, as_of: date | None = None) -> DecisionSpec:
        """A decision as the version in force on ``as_of`` has it (default: the latest
        version). Its ``inputs`` are the facts it reads in any version."""
        if name not in self.spec.decisions:
            raise UnknownNameError(
                f"ruleset {self.id!r} has no decision {name!r} "
                f"(decisions: {', '.join(self.decisions)})"
            )
        if as_of is None:
            return self._in_force[self.versions[-1].id if self.versions else None][1][name]
        version = self.version_at(as_of)
        return self._in_force[version.id if version is not None else None][1][name]

    def version_at(self, as_of: date) -> Version | None:
        """The instrument in force on ``as_of``; else the latest begun; else the first."""
        if not self.versions:
            return None
        for version in self.versions:
            if version.in_force(as_of):
                return version
        begun = [v for v in self.versions if v.first is None or v.first <= as_of]
        return begun[-1] if begun else self.versions[0]

    def decide(
        self,
        decision: str,
        facts: Mapping[str, Any] | None = None,
        *,
        as_of: date | None = None,
        engine: Engine = "durable",
    ) -> Decision:
        """Answer ``decision`` for ``facts`` on ``as_of`` (default: today in Paris)."""
        compiled, day, version_id = self._compiled_at(decision, as_of)
        return compiled.decide(compiled.environment(facts, day), day, version_id, engine)

    def decide_many(
        self,
        decision: str,
        records: Iterable[Mapping[str, Any] | None],
        *,
        as_of: date | None = None,
        engine: Engine = "durable",
    ) -> list[Decision]:
        """Answer ``decision`` for each fact record (a table's rows), in order.

        Same answers as :meth:`decide` row by row; the decision and version are
        looked up once. An invalid row raises its ``FactError``.
        """
        compiled, day, version_id = self._compiled_at(decision, as_of)
        return [
            compiled.decide(compiled.environment(facts, day), day, version_id, engine)
            for facts in records
        ]

    def decide_table(
        self,
        decision: str,
        table: Any,
        *,
        as_of: date | None = None,
        errors: Literal["mark", "raise"] = "mark",
    ) -> Any:
        """Answer ``decision`` for every row of a table, all rows at once.

        ``table`` is a pandas or polars DataFrame, a pyarrow Table or a mapping
        of column name to sequence (a column per input fact; other columns are
        ignored). The answer is a table of the same kind (pandas: aligned with
        the input index) with ``outcome``, a column per value, ``missing``,
        ``rules`` and ``error`` (an invalid row's message; ``errors="raise"``
        raises the first, naming its row). Every row gets :meth:`decide`'s
        answer; :meth:`explain_row` gives a row's explained ``Decision``.
        """
        from convention_rules.columnar.batch import decide_table  # noqa: PLC0415 - numpy on use

        compiled, day, version_id = self._compiled_at(decision, as_of)
        return decide_table(compiled, day, version_id, table, errors)

    def explain_row(
        self, decision: str, table: Any, row: int, *, as_of: date | None = None
    ) -> Decision:
        """The explained :class:`Decision` of row ``row`` (a position) of a table."""
        from convention_rules.columnar.batch import decide_row  # noqa: PLC0415 - numpy on use

        compiled, day, version_id = self._compiled_at(decision, as_of)
        return decide_row(compiled, day, version_id, table, row)

    def _compiled_at(
        self, decision: str, as_of: date | None
    ) -> tuple[CompiledDecision, date, str | None]:
        """The compiled decision of the version in force on ``as_of``, that day, the version."""
        self.decision_spec(decision)
        day = lt.today_in_paris() if as_of is None else lt.parse_date(as_of, fact="as_of")
        version = self.version_at(day)
        version_id = version.id if version is not None else None
        return self._compiled[version_id][decision], day, version_id

    def __repr__(self) -> str:
        return f"<Ruleset {self.id} ({len(self.decisions)} decisions)>"
