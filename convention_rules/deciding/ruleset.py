"""A loaded ruleset: compiled decisions, one set per version of the agreement.

Loading compiles every decision of every version: conditions to
durable_rules rulesets (one engine ruleset per decision and version),
expressions to closures. Deciding validates the facts, computes the fields,
asks the engine which rules hold, resolves exceptions and computes values;
nothing is parsed again.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from convention_rules._errors import EvaluationError, FactError, UnknownNameError
from convention_rules.agenda.events import Calendar, calendar, sources_of
from convention_rules.deciding.compiler import CompiledConditions, ConditionCompiler
from convention_rules.deciding.decision import UNDETERMINED, Decision, Provenance, TraceEntry
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
from convention_rules.deciding.matching import PolarityMatcher
from convention_rules.deciding.records import DecisionLog, Writer, as_log, make_record
from convention_rules.deciding.resolve import resolve
from convention_rules.deciding.schemas import Schema, answer_schema, facts_schema
from convention_rules.language import syntax as a
from convention_rules.law import legaltime as lt
from convention_rules.law.bounds import check_day
from convention_rules.reading.loader import RulesetSpec
from convention_rules.reading.model import (
    ConstantSpec,
    DecisionSpec,
    FactSpec,
    RuleSpec,
    ValueSpec,
    Version,
)
from convention_rules.reading.sources import Passage, SourceText

Engine = Literal["durable", "kleene"]


_CompiledValues = tuple[tuple[str, Closure | None, Closure, tuple[str, ...] | None], ...]


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

        def facts_read(node: a.Node) -> tuple[str, ...]:
            read = a.facts_read([node], ruleset.derived)
            return tuple(name for name in ruleset.facts if name in read)

        compiler = ConditionCompiler(closures, reads_optional, self.static_env, facts_read)
        for rule in rules:
            compiler.add(rule.id, rule.when, rule.when.loc)
        self.conditions: CompiledConditions = compiler.result()
        self.matcher = PolarityMatcher(label, self.conditions, (rule.id for rule in rules))
        self.validate = Validator(ruleset.facts, spec.inputs, f"{ruleset.id}/{spec.name}")
        self.when = {rule.id: closures(rule.when) for rule in rules}
        self.exceptions: dict[str, tuple[str, ...]] = {}
        for rule in rules:
            for base in rule.exception_to:
                self.exceptions[base] = (*self.exceptions.get(base, ()), rule.id)
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
        if engine == "kleene":
            self.conditions.fact(env)  # both engines compute (and may refuse) every field
            return {rule_id: truth(when(env)) for rule_id, when in self.when.items()}
        status = self.matcher.status(env)
        if status is None:  # a number beyond the engine's integers: compared outside it
            return {rule_id: truth(when(env)) for rule_id, when in self.when.items()}
        return status

    def decide(self, env: Env, as_of: date, version: Version | None, engine: Engine) -> Decision:
        spec = self.spec
        status = self.status(env, engine)
        if None not in status.values():
            # Every rule surely true or false, and one alone holds: it applies (none of its
            # exceptions holds) and overrides nothing. The common case, resolved here
            # without building the general resolution.
            winners = [rule for rule in self.rules if status[rule.id]]
            if len(winners) == 1:
                return self._answer(env, as_of, version, winners[0])
        resolution = resolve(spec.name, self.rules, status, self.exceptions)
        outcome = resolution.outcome
        missing: tuple[str, ...] = ()
        if outcome is None and not resolution.fell_through:
            outcome = UNDETERMINED
            values: dict[str, Any] = {}
            missing = self._missing(resolution.unknown, env, status)
            trace = tuple([self._entry(rule, env) for rule in resolution.winners])
        elif resolution.fell_through:
            if spec.otherwise is None:
                raise EvaluationError(
                    f"no rule of {self.ruleset.id}/{spec.name} applies to these facts "
                    "and the decision declares no 'otherwise'"
                )
            other = spec.otherwise
            outcome = other.outcome
            values = self._values(self.values, env, outcome)
            trace = (TraceEntry("otherwise", other.citation, reading=other.reading),)
        else:
            assert outcome is not None
            values = self._values(self.values, env, outcome) if self.values else {}
            for rule in resolution.winners:
                if self.rule_values[rule.id]:
                    values.update(self._values(self.rule_values[rule.id], env, outcome))
            if spec.problems_value is not None:
                # The faults the known facts establish. With a fact missing the
                # outcome may already be decided (one fault suffices) while other
                # checks are unknown: those are not listed (docs/ruleset-format.md).
                problems: list[str] = []
                for rule in resolution.winners:
                    problems.extend(p for p in rule.problems if p not in problems)
                values[spec.problems_value] = problems
            trace = tuple([self._entry(rule, env) for rule in resolution.winners])
            trace += tuple(
                entry for rule in resolution.winners for entry in self._checked_entries(rule, env)
            )
            if resolution.overridden:
                trace += tuple(
                    [self._entry(rule, env, winner) for rule, winner in resolution.overridden]
                )
        assert outcome is not None
        return Decision(
            self.ruleset.id,
            spec.name,
            outcome,
            MappingProxyType(values),
            missing,
            trace,
            as_of,
            None if version is None else version.id,
            Provenance(self.ruleset, spec, version, env),
        )

    def _answer(self, env: Env, as_of: date, version: Version | None, winner: RuleSpec) -> Decision:
        """The decision when ``winner`` alone applies (no exception, nothing unknown)."""
        spec = self.spec
        outcome = winner.outcome
        values: dict[str, Any] = {}
        for compiled in (self.values, self.rule_values[winner.id]):
            for name, when, expr, outcomes in compiled:  # as _values, inline: runs per decision
                if outcomes is not None and outcome not in outcomes:
                    continue
                if when is not None and truth(when(env)) is not True:
                    continue
                result = expr(env)
                if result is not UNKNOWN and result is not ABSENT:
                    values[name] = result
        if spec.problems_value is not None:
            values[spec.problems_value] = list(dict.fromkeys(winner.problems))
        trace: tuple[TraceEntry, ...] = (self._entry(winner, env),)
        if winner.checked:
            trace += self._checked_entries(winner, env)
        return Decision(
            self.ruleset.id,
            spec.name,
            outcome,
            MappingProxyType(values),
            (),
            trace,
            as_of,
            None if version is None else version.id,
            Provenance(self.ruleset, spec, version, env),
        )

    def _checked_entries(self, rule: RuleSpec, env: Env) -> tuple[TraceEntry, ...]:
        """The checks a passing rule checked, each citing its clause (when it applied)."""
        entries = []
        for check in rule.checked:
            if check.when is not None and truth(self.closures(check.when)(env)) is not True:
                continue
            facts = {
                name: env[name] for name in check.facts if name in env and env[name] is not ABSENT
            }
            entries.append(TraceEntry(check.id, check.citation, facts, check.reading))
        return tuple(entries)

    def _compile_values(self, specs: tuple[ValueSpec, ...]) -> _CompiledValues:
        closures = self.closures
        return tuple(
            (v.name, None if v.when is None else closures(v.when), closures(v.expr), v.outcomes)
            for v in specs
        )

    @staticmethod
    def _values(compiled: _CompiledValues, env: Env, outcome: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, when, expr, outcomes in compiled:
            if outcomes is not None and outcome not in outcomes:
                continue
            if when is not None and truth(when(env)) is not True:
                continue
            result = expr(env)
            if result is not UNKNOWN and result is not ABSENT:
                values[name] = result
        return values

    def _missing(
        self, unknown: tuple[RuleSpec, ...], env: Env, status: Mapping[str, bool | None]
    ) -> tuple[str, ...]:
        """The absent facts of the unknown rules, less those of branches already settled.

        A missing enum fact selects a branch (``ground``, ``status``): each of
        its words is tried in turn, and a branch that the known facts settle
        adds nothing (decisions.md, Fine points). The facts listed are those
        that some unsettled branch of every such fact still needs."""
        found = self._missing_in(unknown, env, status)
        facts = self.ruleset.facts
        for selector in self.spec.inputs:
            kind = facts[selector].type
            if selector in env or selector not in found or not kind.is_enum:
                continue
            needed = {selector}
            for word in kind.values or ():
                branch = {k: v for k, v in env.items() if k not in self.ruleset.derived}
                branch[selector] = word
                branch_status = {rid: truth(when(branch)) for rid, when in self.when.items()}
                try:
                    settled = resolve(self.spec.name, self.rules, branch_status, self.exceptions)
                except EvaluationError:  # a conflict in that branch: keep what it reads
                    needed |= found
                    continue
                if settled.outcome is None and not settled.fell_through:
                    needed |= self._missing_in(settled.unknown, branch, branch_status)
            found &= needed
        return tuple(name for name in self.spec.inputs if name in found)

    def _missing_in(
        self, unknown: tuple[RuleSpec, ...], env: Env, status: Mapping[str, bool | None]
    ) -> set[str]:
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
        return found

    def _entry(self, rule: RuleSpec, env: Env, overridden_by: str | None = None) -> TraceEntry:
        get = env.get
        facts = {
            name: value
            for name in self.reads[rule.id]
            if (value := get(name, ABSENT)) is not ABSENT
        }
        return TraceEntry(
            rule.id, rule.citation, MappingProxyType(facts), rule.reading, overridden_by
        )


def _facts_in(rule: RuleSpec, ruleset: RulesetSpec) -> tuple[str, ...]:
    """The facts a rule reads: its condition and its values."""
    nodes = [rule.when, *(v.expr for v in rule.values)]
    nodes.extend(v.when for v in rule.values if v.when is not None)
    read = a.facts_read(nodes, ruleset.derived)
    return tuple(name for name in ruleset.facts if name in read)


class Ruleset:
    """An agreement's rules, loaded, checked and compiled.

    >>> rs = load_ruleset("occitanie-forpro-sup")            # doctest: +SKIP
    >>> rs.decide("eligibility", {...}, as_of=date(2025, 1, 1))  # doctest: +SKIP
    """

    def __init__(
        self,
        spec: RulesetSpec,
        *,
        origin: str | None = None,
        text: str | None = None,
        source_path: Path | None = None,
    ) -> None:
        self.spec = spec
        #: how to load it again (a bundled id, or a file's absolute path), for records
        self.origin = origin if origin is not None else spec.path
        self._text = text
        self.id = spec.id
        self.title = spec.title
        self.source = spec.source
        #: the agreement's text (``rulesets/sources/<source>`` for a bundled ruleset)
        self.source_path = source_path
        self._source_text: SourceText | None = None
        self.versions: tuple[Version, ...] = spec.versions
        closures = _Closures(spec.derived)
        self._compiled: dict[str | None, dict[str, CompiledDecision]] = {}
        in_force = self._in_force = spec.in_force()
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

    @functools.cached_property
    def _unversioned(self) -> dict[str, CompiledDecision]:
        """The compiled decisions when the agreement has no versions (none otherwise)."""
        return {} if self.versions else self._compiled[None]

    @functools.cached_property
    def content_hash(self) -> str | None:
        """``sha256:<hex>`` of the ruleset file's text, when it was read from one."""
        if self._text is None:
            return None
        import hashlib  # noqa: PLC0415 (start-up time: only records need it)

        return "sha256:" + hashlib.sha256(self._text.encode("utf-8")).hexdigest()

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

    def source_text(self) -> SourceText:
        """The agreement's text, with its articles (:class:`UnknownNameError` if not shipped)."""
        if self._source_text is None:
            path = self.source_path
            if path is None or not path.is_file():
                raise UnknownNameError(
                    f"ruleset {self.id!r}: its source text {self.source!r} is not beside it "
                    "(expected in sources/ next to the ruleset file)"
                )
            self._source_text = SourceText.read(path, self._articles())
        return self._source_text

    def source_article(self, article: str) -> Passage:
        """An article of the agreement's text, as the text has it (e.g. ``"3-2"``)."""
        return self.source_text().article(article)

    def _articles(self) -> tuple[str, ...]:
        """The articles the ruleset cites, from its own source (named sections included)."""
        cited: dict[str, None] = {}
        citations = [c.citation for c in self.spec.constants.values() if c.citation]
        if self.spec.term is not None:
            citations.append(self.spec.term.citation)
        for _, decisions in self._in_force.values():
            for decision in decisions.values():
                citations.extend(rule.citation for rule in decision.rules)
                if decision.otherwise is not None:
                    citations.append(decision.otherwise.citation)
        for citation in citations:
            if citation.source == self.source:
                cited[citation.article] = None
        return tuple(cited)

    def facts_schema(self, decision: str) -> Schema:
        """The JSON Schema (draft 2020-12) of the facts of ``decision``."""
        return facts_schema(self.id, self.decision_spec(decision), self.spec.facts)

    def answer_schema(self, decision: str) -> Schema:
        """The JSON Schema (draft 2020-12) of the decision JSON of ``decision``,
        over every version of the agreement."""
        self.decision_spec(decision)
        versions = tuple(decisions[decision] for _, decisions in self._in_force.values())
        return answer_schema(self.id, versions, self.spec.facts)

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
        record: DecisionLog | str | Path | Writer | None = None,
    ) -> Decision:
        """Answer ``decision`` for ``facts`` on ``as_of`` (default: today in Paris).

        ``record`` (a :class:`DecisionLog`, a path or a text writer) appends the
        decision's record, one JSON line (``convention_rules.deciding.records``).
        """
        compiled = self._unversioned.get(decision) if type(as_of) is date else None
        if compiled is not None:  # no versions, a date given: the common case, without lookups
            day: date = as_of  # type: ignore[assignment]
            version = None
        else:
            compiled, day, version = self._compiled_at(decision, as_of)
        answer = compiled.decide(compiled.environment(facts, day), day, version, engine)
        if record is not None:
            self._record(as_log(record), answer, facts, engine)
        return answer

    def decide_many(
        self,
        decision: str,
        records: Iterable[Mapping[str, Any] | None],
        *,
        as_of: date | None = None,
        engine: Engine = "durable",
        record: DecisionLog | str | Path | Writer | None = None,
    ) -> list[Decision]:
        """Answer ``decision`` for each fact record (a table's rows), in order.

        Same answers as :meth:`decide` row by row; the decision and version are
        looked up once. An invalid row raises its ``FactError``. ``record``: as
        for :meth:`decide`, one line per row.
        """
        compiled, day, version = self._compiled_at(decision, as_of)
        log = as_log(record) if record is not None else None
        answers = []
        for facts in records:
            answer = compiled.decide(compiled.environment(facts, day), day, version, engine)
            if log is not None:
                self._record(log, answer, facts, engine)
            answers.append(answer)
        return answers

    def _record(
        self,
        log: DecisionLog,
        answer: Decision,
        facts: Mapping[str, Any] | None,
        engine: Engine,
    ) -> None:
        log.append(
            make_record(
                answer, facts, source=self.origin, content_hash=self.content_hash, engine=engine
            )
        )

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

        compiled, day, version = self._compiled_at(decision, as_of)
        return decide_table(compiled, day, version, table, errors)

    def explain_row(
        self, decision: str, table: Any, row: int, *, as_of: date | None = None
    ) -> Decision:
        """The explained :class:`Decision` of row ``row`` (a position) of a table."""
        from convention_rules.columnar.batch import decide_row  # noqa: PLC0415 - numpy on use

        compiled, day, version = self._compiled_at(decision, as_of)
        return decide_row(compiled, day, version, table, row)

    def _compiled_at(
        self, decision: str, as_of: date | None
    ) -> tuple[CompiledDecision, date, Version | None]:
        """The compiled decision of the version in force on ``as_of``, that day, the version."""
        self.decision_spec(decision)
        day = (
            lt.today_in_paris()
            if as_of is None
            else check_day(lt.parse_date(as_of, fact="as_of"), "as_of")
        )
        version = self.version_at(day)
        version_id = version.id if version is not None else None
        return self._compiled[version_id][decision], day, version

    def calendar(
        self, period: int | tuple[Any, Any], facts: Mapping[str, Any] | None = None
    ) -> Calendar:
        """The dated obligations and deadlines of the agreement in ``period`` (a year, or a
        pair of days, inclusive), each with its clause: the terms, the date constants
        marked ``event:``, and the date values of decisions marked ``calendar:`` decided on
        ``facts`` (those the facts do not settle are listed as pending, with what they need).
        """
        return calendar(
            sources_of(self.spec),
            period,
            facts,
            lambda name, given, day: self.decide(name, given, as_of=day),
        )

    def __repr__(self) -> str:
        return f"<Ruleset {self.id} ({len(self.decisions)} decisions)>"
