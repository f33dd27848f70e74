"""Read a ruleset file: YAML with positions, to typed specs.

The reader checks the shape of each section (unknown keys are errors, with a
suggestion), parses every expression with its exact ``file:line:col``, and
type-checks it against the declared facts, constants and derived values.
Section readers: ``reader`` (shared helpers), ``decisions``,
``versions``; this module reads the rest and puts it together.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import attrs

from convention_rules._errors import Location, RulesetError
from convention_rules.language import syntax as a
from convention_rules.language.datatypes import DATE, SCALAR_NAMES, Type
from convention_rules.reading.decisions import decision_inputs
from convention_rules.reading.model import (
    Amendment,
    ConstantSpec,
    ConstraintSpec,
    DecisionSpec,
    FactSpec,
    TermSpec,
    Version,
)
from convention_rules.reading.positioned import (
    YMap,
    YNode,
    YScalar,
    expect_map,
    expect_seq,
    expect_text,
)
from convention_rules.reading.reader import parse_date_text
from convention_rules.reading.versions import VersionReader, effective_versions

FORMAT_VERSION = 1
_TOP_KEYS = {
    "format",
    "id",
    "title",
    "source",
    "parties",
    "signed",
    "valid",
    "versions",
    "facts",
    "constants",
    "derived",
    "constraints",
    "decisions",
    "notes",
    "term",
}


@attrs.frozen
class RulesetSpec:
    """Everything a ruleset file declares, typed."""

    id: str
    title: str
    source: str
    parties: tuple[str, ...]
    signed: date | None
    valid: tuple[date | None, date | None]
    facts: dict[str, FactSpec]
    constants: dict[str, ConstantSpec]
    derived: dict[str, a.Node]
    decisions: dict[str, DecisionSpec]
    versions: tuple[Version, ...]
    constraints: tuple[ConstraintSpec, ...]
    #: what each version changes, by version id
    amendments: dict[str, Amendment]
    path: str
    #: the agreement's term (a version may declare its own, ``amends: term:``)
    term: TermSpec | None = None

    def in_force(
        self,
    ) -> dict[str | None, tuple[dict[str, ConstantSpec], dict[str, DecisionSpec]]]:
        """Constants and decisions of each version, amended and scoped by the term.

        ``decisions`` holds them as declared; every evaluator reads these."""
        return effective_versions(
            self.decisions, self.constants, self.versions, self.amendments, self.term
        )


class Reader(VersionReader):
    """Reads one ruleset file. Use :func:`read_ruleset`."""

    def read(self) -> RulesetSpec:
        root = self.root
        root.check_keys(
            _TOP_KEYS, {"format", "id", "title", "source", "facts", "decisions"}, "a ruleset"
        )
        fmt = expect_text(root.get("format"), "format", root.loc)
        if fmt.text != str(FORMAT_VERSION):
            raise RulesetError(
                f"unsupported format {fmt.text!r} (this library reads format 1)", fmt.loc
            )
        ruleset_id = self.text(root.get("id"), "id", root.loc)
        self.source = self.text(root.get("source"), "source", root.loc)
        self.read_facts(expect_map(root.get("facts"), "facts", root.loc))
        if "constants" in root:
            for name, loc, node in expect_map(root.get("constants"), "constants", root.loc).items():
                constant = self.attempt(name, self._new_constant, name, loc, node)
                if constant is not None:
                    self.constants[name] = constant
        if "derived" in root:
            for name, loc, node in expect_map(root.get("derived"), "derived", root.loc).items():
                self.attempt(name, self._new_derived, name, loc, node)
            for name in self.derived_raw:
                if name not in self.derived:
                    self.attempt(name, self.resolve_derived, name)
        constraints = (
            self.read_constraints(root.get("constraints"), root.loc)
            if "constraints" in root
            else ()
        )
        decisions = {}
        for name, loc, node in expect_map(root.get("decisions"), "decisions", root.loc).items():
            decision = self.attempt(
                name, self.read_decision, name, expect_map(node, f"decision {name!r}", loc)
            )
            if decision is not None:
                decisions[name] = decision
        term = (
            self.attempt(None, self.read_term, expect_map(root.get("term"), "term", root.loc))
            if "term" in root
            else None
        )
        versions, amendments = self.attempt(None, self.read_versions, root, decisions) or ((), {})
        self._check_dated(decisions, term, amendments)
        self._check_calendar(decisions, amendments)
        decisions = self._inputs_in_every_version(decisions, versions, amendments, term)
        parties: tuple[str, ...] = ()
        if "parties" in root:
            seq = expect_seq(root.get("parties"), "parties", root.loc)
            parties = tuple(self.text(item, "a party", seq.loc) for item in seq.items)
        valid: tuple[date | None, date | None] = (None, None)
        if "valid" in root:
            span = expect_map(root.get("valid"), "valid", root.loc)
            span.check_keys({"from", "to"}, set(), "valid")
            valid = (
                parse_date_text(span.get("from"), "valid.from", span.loc)
                if "from" in span
                else None,
                parse_date_text(span.get("to"), "valid.to", span.loc) if "to" in span else None,
            )
        return RulesetSpec(
            id=ruleset_id,
            title=self.text(root.get("title"), "title", root.loc),
            source=self.source,
            parties=parties,
            signed=parse_date_text(root.get("signed"), "signed", root.loc)
            if "signed" in root
            else None,
            valid=valid,
            facts=self.facts,
            constants=self.constants,
            derived=self.derived,
            decisions=decisions,
            versions=versions,
            constraints=constraints,
            amendments=amendments,
            path=self.path,
            term=term,
        )

    @staticmethod
    def _check_dated(
        decisions: dict[str, DecisionSpec],
        term: TermSpec | None,
        amendments: dict[str, Amendment],
    ) -> None:
        """``dated_by`` needs a term; ``expires_first`` names a date value of a rule."""
        has_term = term is not None or any(am.term is not None for am in amendments.values())
        for name, decision in decisions.items():
            if decision.dated_by is not None and not has_term:
                raise RulesetError(
                    f"decision {name!r} is dated_by a day but the ruleset declares no 'term:'",
                    decision.dated_by.loc,
                )
            if decision.expires_first is not None:
                if decision.dated_by is None:
                    raise RulesetError(
                        f"decision {name!r}: expires_first needs dated_by", decision.loc
                    )
                rules = [*decision.rules]
                for amendment in amendments.values():
                    rules.extend(amendment.added_rules.get(name, ()))
                    rules.extend(amendment.rules.values())
                if not any(v.name == decision.expires_first for rule in rules for v in rule.values):
                    raise RulesetError(
                        f"decision {name!r}: expires_first names {decision.expires_first!r}, "
                        "which is not a value of any of its rules",
                        decision.loc,
                    )

    def _check_calendar(
        self, decisions: dict[str, DecisionSpec], amendments: dict[str, Amendment]
    ) -> None:
        """``calendar:`` names values of the decision; ``event: until:`` a date constant."""
        constants = dict(self.constants)
        for amendment in amendments.values():
            constants.update(amendment.constants)
        for name, constant in constants.items():
            event = constant.event
            if event is None or event.until is None:
                continue
            if event.until not in constants or constants[event.until].type != DATE:
                raise RulesetError(
                    f"constant {name!r}: event until {event.until!r}, which is not a date constant",
                    event.loc,
                )
        for name, decision in decisions.items():
            values = {v.name for v in decision.values}
            values |= {v.name for rule in decision.rules for v in rule.values}
            for amendment in amendments.values():
                values |= {v.name for v in amendment.values.get(name, ())}
                for rule in amendment.added_rules.get(name, ()):
                    values |= {v.name for v in rule.values}
            for value, _label in decision.calendar:
                if value not in values:
                    raise RulesetError(
                        f"decision {name!r}: calendar names {value!r}, which is not one of its "
                        f"values ({', '.join(sorted(values)) or 'none'})",
                        decision.loc,
                    )

    def _inputs_in_every_version(
        self,
        decisions: dict[str, DecisionSpec],
        versions: tuple[Version, ...],
        amendments: dict[str, Amendment],
        term: TermSpec | None,
    ) -> dict[str, DecisionSpec]:
        """A decision accepts the facts it reads in any version of the agreement."""
        in_force = effective_versions(decisions, self.constants, versions, amendments, term)
        out = {}
        for name, decision in decisions.items():
            read: set[str] = set()
            for _, effective in in_force.values():
                spec = effective[name]
                read.update(decision_inputs(spec.rules, spec.values, self.facts, self.derived))
            inputs = tuple(fact for fact in self.facts if fact in read)
            out[name] = attrs.evolve(decision, inputs=inputs)
        return out

    def _new_constant(self, name: str, loc: Location, node: YNode) -> ConstantSpec:
        self._check_new_name(name, loc)
        return self.read_constant(name, node, loc)

    def _new_derived(self, name: str, loc: Location, node: YNode) -> None:
        self._check_new_name(name, loc)
        body = expect_map(node, f"derived value {name!r}", loc) if isinstance(node, YMap) else None
        if body is not None:
            body.check_keys(
                {"value", "reading", "source", "article", "text"},
                {"value"},
                f"derived value {name!r}",
            )
            scalar = expect_text(body.get("value"), "value", body.loc)
        else:
            scalar = expect_text(node, f"derived value {name!r}", loc)
        self.derived_raw[name] = (scalar, loc)

    def read_constraints(self, node: YNode | None, where: Location) -> tuple[ConstraintSpec, ...]:
        """``constraints:``: checks across facts that make the input invalid."""
        found = []
        for item in expect_seq(node, "constraints", where).items:
            constraint = self.attempt(None, self._read_constraint, item, where)
            if constraint is not None:
                found.append(constraint)
        return tuple(found)

    def _read_constraint(self, item: YNode, where: Location) -> ConstraintSpec:
        body = expect_map(item, "a constraint", where)
        body.check_keys(
            {"id", "require", "fact", "message"},
            {"id", "require", "fact", "message"},
            "a constraint",
        )
        require = self.checker().check_bool(self.expr(body.get("require"), "require", body.loc))
        fact_node = expect_text(body.get("fact"), "fact", body.loc)
        if fact_node.text not in self.facts:
            raise RulesetError(f"unknown fact {fact_node.text!r}", fact_node.loc)
        return ConstraintSpec(
            id=self.text(body.get("id"), "id", body.loc),
            require=require,
            fact=fact_node.text,
            message=self.text(body.get("message"), "message", body.loc),
            reads=frozenset(a.facts_read([require], self.derived)),
        )

    def _check_new_name(self, name: str, loc: Location) -> None:
        if (
            name in self.facts
            or name in self.constants
            or name in self.derived_raw
            or name == "as_of"
        ):
            raise RulesetError(f"the name {name!r} is already declared", loc)
        if not name.isidentifier() or name in {"and", "or", "not", "in", "if", "then", "else"}:
            raise RulesetError(f"{name!r} is not a valid name (letters, digits, _)", loc)

    def read_facts(self, facts: YMap) -> None:
        for name, loc, node in facts.items():
            fact = self.attempt(name, self._read_fact, name, loc, node)
            if fact is not None:
                self.facts[name] = fact

    def _read_fact(self, name: str, loc: Location, node: YNode) -> FactSpec:
        allowed = {"type", "description", "optional", "default", "min", "max", "values", "item"}
        self._check_new_name(name, loc)
        body = expect_map(node, f"fact {name!r}", loc)
        body.check_keys(allowed, {"type"}, f"fact {name!r}")
        type_node = expect_text(body.get("type"), "type", body.loc)
        fact_type = self.read_type(type_node, body)
        optional = False
        if "optional" in body:
            flag = expect_text(body.get("optional"), "optional", body.loc)
            if flag.text not in ("true", "false"):
                raise RulesetError("optional must be true or false", flag.loc)
            optional = flag.text == "true"
        default = None
        if "default" in body:
            default_node = expect_text(body.get("default"), "default", body.loc)
            default = self.coerce_literal(default_node, fact_type)
        bounds = {}
        for key in ("min", "max"):
            if key in body:
                bound = expect_text(body.get(key), key, body.loc)
                if fact_type.name not in ("int",) or not bound.text.lstrip("-").isdigit():
                    raise RulesetError(f"{key} applies to int facts, as a whole number", bound.loc)
                bounds[key] = int(bound.text)
        return FactSpec(
            name=name,
            type=fact_type,
            description=self.optional_text(body, "description") or "",
            optional=optional,
            default=default,
            minimum=bounds.get("min"),
            maximum=bounds.get("max"),
            loc=loc,
        )

    def read_type(self, node: YScalar, body: YMap) -> Type:
        name = node.text
        if name in SCALAR_NAMES:
            return SCALAR_NAMES[name]
        if name == "enum":
            seq = expect_seq(body.get("values"), "an enum's values", body.loc)
            # NFC: an accented word has one spelling however it was typed.
            words = tuple(
                unicodedata.normalize("NFC", expect_text(item, "an enum value", seq.loc).text)
                for item in seq.items
            )
            if not words or len(set(words)) != len(words):
                raise RulesetError("an enum needs distinct values", seq.loc)
            return Type.enum(words)
        if name == "list":
            item = expect_text(body.get("item"), "a list's item type", body.loc)
            if item.text not in SCALAR_NAMES:
                raise RulesetError(f"unknown item type {item.text!r}", item.loc)
            return Type.list_of(SCALAR_NAMES[item.text])
        known = ", ".join([*SCALAR_NAMES, "enum", "list"])
        raise RulesetError(f"unknown type {name!r} (known: {known})", node.loc)


def read_ruleset(text: str, path: str) -> RulesetSpec:
    """Parse and type-check one ruleset file's text."""
    try:
        return Reader(text, path).read()
    except RecursionError:  # a last guard: the nesting bounds (nesting.py) come first
        raise RulesetError(
            "nested too deeply to read: split expressions into derived values",
            Location(path, 1, 1),
        ) from None


__all__ = ["RulesetSpec", "read_ruleset"]
