"""``convention-rules lint``: fact combinations where a decision goes wrong.

For each decision of each version of the agreement, over complete fact sets
(see ``smt.py`` for the encoding):

- **overlap**: two rules with different outcomes both *apply* (hold, and no
  exception of theirs applies, as ``deciding/resolve.py``): ``decide`` raises
  ``EvaluationError``;
- **gap**: every fact known, no rule applies and no ``otherwise``: ``decide``
  raises ``EvaluationError``;
- **dead**: a rule whose condition never holds; **shadowed**: one that holds
  only where one of its exceptions applies;
- **unread**: a fact no decision nor constraint reads;
- **uncomputed**: a value whose ``when`` never holds with a decided outcome.

An overlap or gap comes with its counterexample (JSON facts and ``as_of``),
reported only after ``Ruleset.decide`` confirmed it: where the encoding is an
over-approximation a model may be spurious, and is then excluded and the
solver asked again. A rule or decision may allow a kind as a documented
reading (``lint: {allow: [overlap], reading: ...}``). Each decision has a
time budget; when the solver hits it, the finding says what was not checked.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import z3

from convention_rules._errors import ConventionRulesError, EvaluationError, Location
from convention_rules._registry import bundled_dir, load_ruleset
from convention_rules.authoring.smt import Encoder, truth
from convention_rules.deciding.ruleset import Ruleset
from convention_rules.reading.model import ConstantSpec, DecisionSpec, RuleSpec, Version

#: models tried before an over-approximated overlap or gap is given up as unconfirmed
_RETRIES = 4
#: the day a counterexample takes when the ruleset names none (no version, no signature)
_DEFAULT_DAY = date(2025, 1, 1)


@attrs.frozen
class LintFinding:
    """One problem of a decision, with facts that show it when there are some."""

    kind: str  # overlap, gap, dead, shadowed, unread, uncomputed, timeout, unconfirmed
    location: Location
    ruleset: str
    decision: str
    message: str
    rules: tuple[str, ...] = ()
    facts: dict[str, Any] | None = None
    as_of: date | None = None
    target: str = ""  # what ``decide`` takes: the bundled id, or the file

    @property
    def problem(self) -> str:
        """``file:line:col: kind: message``, without the counterexample."""
        return f"{self.location}: {self.kind}: {self.message}"

    def command(self) -> str | None:
        """The ``decide`` command line that shows the problem."""
        if self.facts is None or self.as_of is None:
            return None
        facts = json.dumps(self.facts, ensure_ascii=False, sort_keys=True)
        return (
            f"echo '{facts}' | convention-rules decide {self.target} {self.decision} "
            f"--as-of {self.as_of.isoformat()} --facts -"
        )

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data (``convention-rules lint --json``)."""
        loc = self.location
        out: dict[str, Any] = {
            "kind": self.kind,
            "file": loc.file,
            "line": loc.line,
            "column": loc.column,
            "decision": self.decision,
            "message": self.message,
            "rules": list(self.rules),
        }
        if self.facts is not None and self.as_of is not None:
            out.update(facts=self.facts, as_of=self.as_of.isoformat(), command=self.command())
        return out

    def render(self) -> str:
        command = self.command()
        return f"{self.problem}\n    {command}" if command else self.problem


@attrs.frozen
class LintReport:
    path: Path
    findings: tuple[LintFinding, ...]
    seconds: float
    queries: int
    #: what lint could not settle and does not report (a spurious model it gave up on)
    notes: tuple[str, ...] = ()


def lint_ruleset(path: Path | str, *, timeout: float = 20.0) -> LintReport:
    """Lint one ruleset file: every finding, and the time it took."""
    started = time.perf_counter()
    ruleset = load_ruleset(Path(path))
    linter = _Linter(ruleset, timeout, Path(path))
    findings = tuple(linter.run())
    return LintReport(
        Path(path),
        findings,
        time.perf_counter() - started,
        linter.queries,
        tuple(linter.notes),
    )


def _exceptions(rules: tuple[RuleSpec, ...]) -> dict[str, tuple[str, ...]]:
    """Each rule's exceptions (generic: a rule may be an exception to several rules)."""
    out: dict[str, tuple[str, ...]] = {}
    for rule in rules:
        bases: Any = rule.exception_to
        for base in (bases,) if isinstance(bases, str) else tuple(bases or ()):
            out[base] = (*out.get(base, ()), rule.id)
    return out


def version_selected(versions: tuple[Version, ...], index: int, as_of: Any) -> Any:
    """``Ruleset.version_at(as_of) is versions[index]``, as a z3 condition."""
    if not versions:
        return z3.BoolVal(val=True)

    def begun(v: Version) -> Any:
        return z3.BoolVal(val=True) if v.first is None else as_of >= v.first.toordinal()

    def in_force(v: Version) -> Any:
        return z3.And(
            begun(v), z3.BoolVal(val=True) if v.last is None else as_of <= v.last.toordinal()
        )

    forces = [in_force(v) for v in versions]
    starts = [begun(v) for v in versions]
    first_in_force = z3.And(forces[index], *[z3.Not(f) for f in forces[:index]])
    none_in_force = z3.Not(z3.Or(*forces))
    latest_begun = z3.And(starts[index], *[z3.Not(s) for s in starts[index + 1 :]])
    none_begun = z3.Not(z3.Or(*starts))
    options = [first_in_force, z3.And(none_in_force, latest_begun)]
    if index == 0:
        options.append(z3.And(none_in_force, none_begun))
    return z3.Or(*options)


class _SolverTimeoutError(Exception):
    """The solver hit the decision's time budget."""


class _Linter:
    def __init__(self, ruleset: Ruleset, timeout: float, path: Path) -> None:
        self.ruleset = ruleset
        self.spec = ruleset.spec
        self.timeout = timeout
        self.queries = 0
        self.notes: list[str] = []
        bundled = bundled_dir() / f"{ruleset.id}.yaml"
        same = bundled.is_file() and bundled.resolve() == path.resolve()
        self.target = ruleset.id if same else str(path)

    def run(self) -> Iterator[LintFinding]:
        spec = self.spec
        versions = list(spec.in_force().items())  # amended, and scoped by the term
        for name, base in spec.decisions.items():
            yield from self._decision(name, base, versions)
        yield from self._unread()

    def _finding(
        self, kind: str, loc: Location | None, decision: str, message: str, **more: Any
    ) -> LintFinding:
        where = loc or Location(self.spec.path, 1, 1)
        return LintFinding(kind, where, self.spec.id, decision, message, target=self.target, **more)

    def _unread(self) -> Iterator[LintFinding]:
        read: set[str] = set()
        for decision in self.spec.decisions.values():
            read.update(decision.inputs)
        for constraint in self.spec.constraints:
            read.update(constraint.reads)
        for name, fact in self.spec.facts.items():
            if name not in read:
                yield self._finding(
                    "unread", fact.loc, "", f"fact {name!r} is declared but no decision reads it"
                )

    # -- one decision over every version ------------------------------------------
    def _decision(
        self,
        name: str,
        base: DecisionSpec,
        versions: list[tuple[str | None, tuple[dict[str, ConstantSpec], dict[str, DecisionSpec]]]],
    ) -> Iterator[LintFinding]:
        deadline = time.perf_counter() + self.timeout
        holds_somewhere: set[str] = set()
        applies_somewhere: set[str] = set()
        present: dict[str, RuleSpec] = {}
        reported: set[tuple[str, ...]] = set()
        computed: set[str] = set()
        values: dict[str, Location | None] = {}
        try:
            for index, (_, (constants, decisions)) in enumerate(versions):
                decision = decisions[name]
                check = _Check(self, decision, constants, index, deadline)
                for rule in decision.rules:
                    present.setdefault(rule.id, rule)
                    if rule.id not in holds_somewhere and check.sat(check.holds[rule.id]):
                        holds_somewhere.add(rule.id)
                    if rule.id not in applies_somewhere and check.sat(check.applies[rule.id]):
                        applies_somewhere.add(rule.id)
                yield from check.overlaps(reported)
                if decision.otherwise is None and ("gap",) not in reported:
                    gap = check.gap()
                    if gap is not None:
                        reported.add(("gap",))
                        yield gap
                for value, loc, ok in check.values():
                    values.setdefault(value, loc)
                    if ok:
                        computed.add(value)
        except _SolverTimeoutError:
            yield self._finding(
                "timeout",
                base.loc,
                name,
                f"decision {name!r}: the solver did not finish within {self.timeout:g} s; "
                "the rest of this decision is not checked (raise --timeout)",
            )
            return
        for rule_id, rule in present.items():
            if rule_id not in holds_somewhere:
                if "dead" in rule.lint_allowed:  # a documented reading: nothing more to say
                    continue
                yield self._finding(
                    "dead",
                    rule.loc,
                    name,
                    f"rule {rule_id!r} can never apply: its condition never holds",
                    rules=(rule_id,),
                )
            elif rule_id not in applies_somewhere and "shadowed" not in rule.lint_allowed:
                yield self._finding(
                    "shadowed",
                    rule.loc,
                    name,
                    f"rule {rule_id!r} never applies: wherever it holds, "
                    "an exception to it applies",
                    rules=(rule_id,),
                )
        for value, loc in values.items():
            if value not in computed and "uncomputed" not in base.lint_allowed:
                yield self._finding(
                    "uncomputed",
                    loc,
                    name,
                    f"value {value!r} is never computed: its 'when' never holds "
                    "where the decision answers",
                )


class _Check:
    """The solver for one decision in one version."""

    def __init__(
        self,
        linter: _Linter,
        decision: DecisionSpec,
        constants: dict[str, ConstantSpec],
        index: int,
        deadline: float,
    ) -> None:
        self.linter = linter
        self.decision = decision
        self.deadline = deadline
        spec = linter.spec
        self.encoder = encoder = Encoder(spec.facts, decision.inputs, constants, spec.derived)
        self.holds = {rule.id: truth(encoder(rule.when)) for rule in decision.rules}
        exceptions = _exceptions(decision.rules)
        self.applies: dict[str, Any] = {}

        def applies(rule_id: str) -> Any:
            if rule_id not in self.applies:
                beaten = [applies(e) for e in exceptions.get(rule_id, ())]
                self.applies[rule_id] = (
                    z3.And(self.holds[rule_id], z3.Not(z3.Or(*beaten)))
                    if beaten
                    else self.holds[rule_id]
                )
            return self.applies[rule_id]

        for rule in decision.rules:
            applies(rule.id)
        inputs = set(decision.inputs)
        valid = [truth(encoder(c.require)) for c in spec.constraints if c.reads <= inputs]
        self.solver = z3.Solver()
        self.solver.add(*encoder.side, *valid)
        self.solver.add(version_selected(spec.versions, index, encoder.as_of))
        version = spec.versions[index] if spec.versions else None
        self.preferred_day = (
            (version.first if version is not None else None)
            or spec.signed
            or spec.valid[0]
            or _DEFAULT_DAY
        )
        self.solver.add(*encoder.side)  # terms encoded above may have added constraints

    def _check(self, *goal: Any) -> z3.CheckSatResult:
        remaining = self.deadline - time.perf_counter()
        if remaining <= 0:
            raise _SolverTimeoutError
        self.solver.push()
        self.solver.add(*self.encoder.side)
        self.solver.set("timeout", max(1, int(remaining * 1000)))
        self.linter.queries += 1
        result = self.solver.check(*goal)
        if result == z3.unknown:
            self.solver.pop()
            raise _SolverTimeoutError
        return result

    def sat(self, goal: Any) -> bool:
        result = self._check(goal)
        self.solver.pop()
        return bool(result == z3.sat)

    def _confirmed(self, goal: Any, expected: str) -> tuple[dict[str, Any], date] | None:
        """A model of ``goal`` that ``decide`` confirms (its error mentions ``expected``)."""
        blocked: list[Any] = []
        if not self.sat(goal):
            return None
        preferred = self.encoder.as_of == self.preferred_day.toordinal()
        if self.sat(z3.And(goal, preferred)):  # a day the agreement speaks of, if it can
            blocked.append(preferred)
        for _ in range(_RETRIES):
            result = self._check(goal, *blocked)
            if result != z3.sat:
                self.solver.pop()
                return None
            model = self.solver.model()
            self.solver.pop()
            facts, as_of = self.encoder.facts_in_model(model)
            if self._decide_raises(facts, as_of, expected):
                return facts, as_of
            blocked.append(self._other_than(model))
        approximated = ", ".join(sorted(self.encoder.approximated)) or "nothing"
        self.linter.notes.append(
            f"{self.decision.name}: the solver finds '{expected}' models where it "
            f"over-approximates ({approximated}), but decide refutes the {_RETRIES} tried: "
            "not reported"
        )
        return None

    def _other_than(self, model: z3.ModelRef) -> Any:
        enc = self.encoder
        terms = [enc.as_of, *enc.vars.values(), *enc.present.values()]
        return z3.Or(*[t != model.eval(t, model_completion=True) for t in terms])

    def _decide_raises(self, facts: dict[str, Any], as_of: date, expected: str) -> bool:
        try:
            self.linter.ruleset.decide(self.decision.name, facts, as_of=as_of)
        except EvaluationError as exc:
            return expected in str(exc)
        except ConventionRulesError:
            return False
        return False

    def overlaps(self, reported: set[tuple[str, ...]]) -> Iterator[LintFinding]:
        rules = self.decision.rules
        for i, first in enumerate(rules):
            for second in rules[i + 1 :]:
                pair = (first.id, second.id)
                if first.outcome == second.outcome or pair in reported:
                    continue
                if "overlap" in first.lint_allowed or "overlap" in second.lint_allowed:
                    continue
                goal = z3.And(self.applies[first.id], self.applies[second.id])
                shown = self._confirmed(goal, "both apply")
                if shown is None:
                    continue
                reported.add(pair)
                yield self.linter._finding(
                    "overlap",
                    second.loc,
                    self.decision.name,
                    f"rules {first.id!r} ({first.outcome}) and {second.id!r} ({second.outcome}) "
                    "both apply; make their conditions exclusive or one an exception "
                    "to the other",
                    rules=pair,
                    facts=shown[0],
                    as_of=shown[1],
                )

    def gap(self) -> LintFinding | None:
        if "gap" in self.decision.lint_allowed:
            return None
        none = z3.And(*[z3.Not(applies) for applies in self.applies.values()])
        shown = self._confirmed(none, "no rule")
        if shown is None:
            return None
        return self.linter._finding(
            "gap",
            self.decision.loc,
            self.decision.name,
            f"decision {self.decision.name!r}: no rule applies to these facts and there is "
            "no 'otherwise'",
            facts=shown[0],
            as_of=shown[1],
        )

    def values(self) -> Iterator[tuple[str, Location | None, bool]]:
        """Each value with a ``when``: whether it is computed somewhere."""
        answered = z3.Or(*self.applies.values()) if self.decision.otherwise is None else True
        for value in self.decision.values:
            if value.when is not None:
                when = truth(self.encoder(value.when))
                yield value.name, value.loc, self.sat(z3.And(answered, when))
        for rule in self.decision.rules:
            for value in rule.values:
                if value.when is not None:
                    when = truth(self.encoder(value.when))
                    ok = self.sat(z3.And(self.applies[rule.id], when))
                    yield f"{rule.id}.{value.name}", value.loc, ok
