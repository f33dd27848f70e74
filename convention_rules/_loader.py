"""Read a ruleset file: YAML with positions, to typed specs.

The reader checks the shape of each section (unknown keys are errors, with a
suggestion), parses every expression with its exact ``file:line:col``, and
type-checks it against the declared facts, constants and derived values.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import attrs

from . import _ast as a
from ._errors import Location, RulesetError
from ._model import (
    Citation,
    ConstantSpec,
    ConstraintSpec,
    DecisionSpec,
    FactSpec,
    Otherwise,
    RuleSpec,
    ValueSpec,
    Version,
)
from ._parser import parse_expression
from ._typecheck import Checker, Symbol
from ._types import BOOL, SCALAR_NAMES, Type
from ._yaml import YMap, YNode, YScalar, expect_map, expect_seq, expect_text, load_yaml

FORMAT_VERSION = 1
_RULE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
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
}
_CITE_KEYS = {"source", "article", "text"}


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
    #: per version id: constant overrides and rule replacements
    amendments: dict[str, tuple[dict[str, ConstantSpec], dict[str, RuleSpec]]]
    path: str


def parse_date_text(node: YNode | None, what: str, where: Location) -> date:
    text = expect_text(node, what, where)
    try:
        return date.fromisoformat(text.text)
    except ValueError:
        raise RulesetError(
            f"{what} must be a date YYYY-MM-DD, not {text.text!r}", text.loc
        ) from None


class Reader:
    """Reads one ruleset file. Use :func:`read_ruleset`."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.root = expect_map(load_yaml(text, path), "a ruleset", Location(path, 1, 1))
        self.facts: dict[str, FactSpec] = {}
        self.constants: dict[str, ConstantSpec] = {}
        self.derived_raw: dict[str, tuple[YScalar, Location]] = {}
        self.derived: dict[str, a.Node] = {}
        self._resolving: list[str] = []
        self.source = ""

    # -- helpers -----------------------------------------------------------
    def expr(self, node: YNode | None, what: str, where: Location) -> a.Node:
        scalar = expect_text(node, what, where)
        return parse_expression(scalar.text, self.path, scalar.locator())

    def text(self, node: YNode | None, what: str, where: Location) -> str:
        return " ".join(expect_text(node, what, where).text.split())

    def optional_text(self, mapping: YMap, key: str) -> str | None:
        node = mapping.get(key)
        return None if node is None else self.text(node, key, mapping.loc)

    def citation(self, mapping: YMap, what: str, *, required: bool = True) -> Citation | None:
        if "article" not in mapping and "text" not in mapping and not required:
            return None
        for key in ("article", "text"):
            if key not in mapping:
                raise RulesetError(
                    f"{what} must cite its clause: add '{key}:' "
                    "(the article and its verbatim text)",
                    mapping.loc,
                )
        source = self.optional_text(mapping, "source") or self.source
        return Citation(
            source=source,
            article=self.text(mapping.get("article"), "article", mapping.loc),
            text=self.text(mapping.get("text"), "text", mapping.loc),
        )

    def checker(self) -> Checker:
        symbols = {
            name: Symbol(name, "fact", spec.type, optional=spec.optional)
            for name, spec in self.facts.items()
        }
        symbols.update(
            {name: Symbol(name, "constant", spec.type) for name, spec in self.constants.items()}
        )
        symbols.update(
            {name: Symbol(name, "derived", a.type_of(node)) for name, node in self.derived.items()}
        )
        return Checker(symbols, self.resolve_derived)

    def resolve_derived(self, name: str) -> Symbol | None:
        if name not in self.derived_raw:
            return None
        if name in self._resolving:
            cycle = " -> ".join([*self._resolving[self._resolving.index(name) :], name])
            raise RulesetError(
                f"derived values depend on each other: {cycle}", self.derived_raw[name][1]
            )
        self._resolving.append(name)
        scalar, _ = self.derived_raw[name]
        node = self.checker().check(parse_expression(scalar.text, self.path, scalar.locator()))
        self._resolving.pop()
        self.derived[name] = node
        return Symbol(name, "derived", a.type_of(node))

    # -- sections ------------------------------------------------------------
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
                self._check_new_name(name, loc)
                self.constants[name] = self.read_constant(name, node, loc)
        if "derived" in root:
            for name, loc, node in expect_map(root.get("derived"), "derived", root.loc).items():
                self._check_new_name(name, loc)
                body = (
                    expect_map(node, f"derived value {name!r}", loc)
                    if isinstance(node, YMap)
                    else None
                )
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
            for name in self.derived_raw:
                if name not in self.derived:
                    self.resolve_derived(name)
        constraints = (
            self.read_constraints(root.get("constraints"), root.loc)
            if "constraints" in root
            else ()
        )
        decisions = {}
        for name, loc, node in expect_map(root.get("decisions"), "decisions", root.loc).items():
            decisions[name] = self.read_decision(name, expect_map(node, f"decision {name!r}", loc))
        versions, amendments = self.read_versions(root, decisions)
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
        )

    def read_constraints(self, node: YNode | None, where: Location) -> tuple[ConstraintSpec, ...]:
        """``constraints:``: checks across facts that make the input invalid."""
        found = []
        for item in expect_seq(node, "constraints", where).items:
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
            found.append(
                ConstraintSpec(
                    id=self.text(body.get("id"), "id", body.loc),
                    require=require,
                    fact=fact_node.text,
                    message=self.text(body.get("message"), "message", body.loc),
                    reads=frozenset(facts_read([require], self.derived)),
                )
            )
        return tuple(found)

    def rule_id(self, body: YMap) -> str:
        """A rule's id: letters, digits, '-', '_' and '.', so it is safe everywhere."""
        node = expect_text(body.get("id"), "id", body.loc)
        if not _RULE_ID.fullmatch(node.text):
            raise RulesetError(
                f"rule id {node.text!r} may hold only letters, digits, '-', '_' and '.'", node.loc
            )
        return node.text

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
        allowed = {"type", "description", "optional", "default", "min", "max", "values", "item"}
        for name, loc, node in facts.items():
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
                        raise RulesetError(
                            f"{key} applies to int facts, as a whole number", bound.loc
                        )
                    bounds[key] = int(bound.text)
            self.facts[name] = FactSpec(
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
            words = tuple(expect_text(item, "an enum value", seq.loc).text for item in seq.items)
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

    def coerce_literal(self, node: YScalar, expected: Type | None) -> Any:
        """A literal value in the expression syntax (``8500.00 EUR``, ``6 months``)."""
        if expected is not None and expected.is_enum:
            assert expected.values is not None
            if node.text not in expected.values:
                raise RulesetError(
                    f"{node.text!r} is not one of {', '.join(expected.values)}", node.loc
                )
            return node.text
        typed = self.checker().check(parse_expression(node.text, self.path, node.locator()))
        if not isinstance(typed, a.Literal):
            raise RulesetError("a literal value is expected here (no expression)", node.loc)
        if expected is not None and a.type_of(typed) != expected:
            raise RulesetError(f"expected a {expected} value, got {a.type_of(typed)}", node.loc)
        return typed.value

    def read_constant(self, name: str, node: YNode, loc: Location) -> ConstantSpec:
        body = expect_map(node, f"constant {name!r}", loc) if isinstance(node, YMap) else None
        if body is None:
            scalar = expect_text(node, f"constant {name!r}", loc)
            value = self.coerce_literal(scalar, None)
            return ConstantSpec(name, self._literal_type(scalar), ((None, value),))
        body.check_keys(
            {"value", "values", "reading", "source", "article", "text", "type"},
            set(),
            f"constant {name!r}",
        )
        values: list[tuple[date | None, Any]] = []
        kind: Type | None = None
        if "value" in body:
            scalar = expect_text(body.get("value"), "value", body.loc)
            kind = self._literal_type(scalar)
            values.append((None, self.coerce_literal(scalar, None)))
        elif "values" in body:
            dated = expect_map(body.get("values"), "values", body.loc)
            for since_text, since_loc, value_node in dated.items():
                try:
                    since = date.fromisoformat(since_text)
                except ValueError:
                    raise RulesetError(
                        f"a dated value needs a YYYY-MM-DD key, not {since_text!r}", since_loc
                    ) from None
                scalar = expect_text(value_node, "value", since_loc)
                scalar_type = self._literal_type(scalar)
                if kind is not None and scalar_type != kind:
                    raise RulesetError(f"dated values mix {kind} and {scalar_type}", scalar.loc)
                kind = scalar_type
                values.append((since, self.coerce_literal(scalar, None)))
            values.sort(key=lambda pair: pair[0] or date.min)
        else:
            raise RulesetError(
                f"constant {name!r} needs 'value:' or 'values: {{date: value}}'", body.loc
            )
        assert kind is not None
        return ConstantSpec(
            name,
            kind,
            tuple(values),
            citation=self.citation(body, f"constant {name!r}", required=False),
            reading=self.optional_text(body, "reading"),
        )

    def _literal_type(self, scalar: YScalar) -> Type:
        typed = self.checker().check(parse_expression(scalar.text, self.path, scalar.locator()))
        if not isinstance(typed, a.Literal):
            raise RulesetError("a constant is a literal value (no expression)", scalar.loc)
        return a.type_of(typed)

    # -- decisions -----------------------------------------------------------
    def read_decision(self, name: str, body: YMap) -> DecisionSpec:
        allowed = {"title", "outcomes", "rules", "values", "otherwise", "checks", "description"}
        body.check_keys(allowed, {"title", "outcomes"}, f"decision {name!r}")
        seq = expect_seq(body.get("outcomes"), "outcomes", body.loc)
        outcomes = tuple(expect_text(item, "an outcome", seq.loc).text for item in seq.items)
        checker = self.checker()
        values = self.read_values(body.get("values"), checker, body.loc) if "values" in body else ()
        rules: list[RuleSpec] = []
        problems_value = None
        if "rules" in body:
            rules.extend(
                self.read_rule(expect_map(item, "a rule", body.loc), checker, outcomes)
                for item in expect_seq(body.get("rules"), "rules", body.loc).items
            )
        if "checks" in body:
            check_rules, problems_value = self.read_checks(
                expect_map(body.get("checks"), "checks", body.loc), checker, outcomes
            )
            rules.extend(check_rules)
        if not rules:
            raise RulesetError(f"decision {name!r} needs 'rules:' or 'checks:'", body.loc)
        ids = {}
        for rule in rules:
            if rule.id in ids:
                raise RulesetError(f"duplicate rule id {rule.id!r}", rule.loc)
            ids[rule.id] = rule
        for rule in rules:
            if rule.exception_to is not None and rule.exception_to not in ids:
                raise RulesetError(
                    f"rule {rule.id!r} is an exception to {rule.exception_to!r}, "
                    f"which is not a rule of decision {name!r}",
                    rule.loc,
                )
        self._check_exception_cycles(rules)
        otherwise = None
        if "otherwise" in body:
            other = expect_map(body.get("otherwise"), "otherwise", body.loc)
            other.check_keys(
                {"outcome", "reading"} | _CITE_KEYS, {"outcome", "article", "text"}, "otherwise"
            )
            word = self._outcome(other.get("outcome"), outcomes, other.loc)
            citation = self.citation(other, "otherwise")
            assert citation is not None
            otherwise = Otherwise(word, citation, self.optional_text(other, "reading"))
        inputs = self._inputs(rules, values)
        return DecisionSpec(
            name=name,
            title=self.text(body.get("title"), "title", body.loc),
            outcomes=outcomes,
            rules=tuple(rules),
            values=values,
            otherwise=otherwise,
            problems_value=problems_value,
            inputs=inputs,
            loc=body.loc,
        )

    def _outcome(self, node: YNode | None, outcomes: tuple[str, ...], where: Location) -> str:
        word = expect_text(node, "outcome", where)
        if word.text not in outcomes:
            raise RulesetError(
                f"outcome {word.text!r} is not declared (outcomes: {', '.join(outcomes)})", word.loc
            )
        return word.text

    def read_values(
        self, node: YNode | None, checker: Checker, where: Location
    ) -> tuple[ValueSpec, ...]:
        values = []
        for name, loc, value_node in expect_map(node, "values", where).items():
            if isinstance(value_node, YMap):
                value_node.check_keys({"value", "when", "reading"}, {"value"}, f"value {name!r}")
                expr = checker.check(self.expr(value_node.get("value"), "value", value_node.loc))
                when = None
                if "when" in value_node:
                    when = checker.check_bool(
                        self.expr(value_node.get("when"), "when", value_node.loc)
                    )
                reading = self.optional_text(value_node, "reading")
            else:
                expr, when, reading = checker.check(self.expr(value_node, "value", loc)), None, None
            values.append(ValueSpec(name, expr, when, reading, loc))
        return tuple(values)

    def read_rule(self, body: YMap, checker: Checker, outcomes: tuple[str, ...]) -> RuleSpec:
        allowed = {"id", "when", "outcome", "values", "exception_to", "reading"} | _CITE_KEYS
        body.check_keys(allowed, {"id", "when", "outcome", "article", "text"}, "a rule")
        citation = self.citation(body, "a rule")
        assert citation is not None
        return RuleSpec(
            id=self.rule_id(body),
            when=checker.check_bool(self.expr(body.get("when"), "when", body.loc)),
            outcome=self._outcome(body.get("outcome"), outcomes, body.loc),
            citation=citation,
            values=self.read_values(body.get("values"), checker, body.loc)
            if "values" in body
            else (),
            exception_to=self.optional_text(body, "exception_to"),
            reading=self.optional_text(body, "reading"),
            loc=body.loc,
        )

    def read_checks(
        self, body: YMap, checker: Checker, outcomes: tuple[str, ...]
    ) -> tuple[list[RuleSpec], str]:
        """``checks:`` is sugar: one rule per failed check, one rule when all pass."""
        body.check_keys(
            {"pass", "fail", "list", "items", "reading"} | _CITE_KEYS,
            {"pass", "fail", "list", "items", "article", "text"},
            "checks",
        )
        passed = self._outcome(body.get("pass"), outcomes, body.loc)
        failed = self._outcome(body.get("fail"), outcomes, body.loc)
        list_name = self.text(body.get("list"), "list", body.loc)
        citation = self.citation(body, "checks")
        assert citation is not None
        rules: list[RuleSpec] = []
        satisfied: list[a.Node] = []
        for item in expect_seq(body.get("items"), "items", body.loc).items:
            check = expect_map(item, "a check", body.loc)
            check.check_keys(
                {"id", "facts", "require", "when", "reading"} | _CITE_KEYS,
                {"id", "facts", "require", "article", "text"},
                "a check",
            )
            require = checker.check_bool(self.expr(check.get("require"), "require", check.loc))
            when = None
            if "when" in check:
                when = checker.check_bool(self.expr(check.get("when"), "when", check.loc))
            facts_seq = expect_seq(check.get("facts"), "facts", check.loc)
            facts = tuple(self.text(f, "a fact name", facts_seq.loc) for f in facts_seq.items)
            for fact, fact_node in zip(facts, facts_seq.items, strict=True):
                if fact not in self.facts:
                    raise RulesetError(f"unknown fact {fact!r}", fact_node.loc)
            loc = check.loc
            violated: a.Node = a.Not(loc=loc, operand=require, type=BOOL)
            ok: a.Node = require
            if when is not None:
                violated = a.BoolOp(loc=loc, op="and", operands=(when, violated), type=BOOL)
                ok = a.BoolOp(
                    loc=loc,
                    op="or",
                    operands=(a.Not(loc=loc, operand=when, type=BOOL), require),
                    type=BOOL,
                )
            satisfied.append(ok)
            check_citation = self.citation(check, "a check")
            assert check_citation is not None
            rules.append(
                RuleSpec(
                    id=self.rule_id(check),
                    when=violated,
                    outcome=failed,
                    citation=check_citation,
                    reading=self.optional_text(check, "reading"),
                    problems=facts,
                    loc=loc,
                )
            )
        all_ok: a.Node = (
            satisfied[0]
            if len(satisfied) == 1
            else a.BoolOp(loc=body.loc, op="and", operands=tuple(satisfied), type=BOOL)
        )
        rules.append(
            RuleSpec(
                id="all-checks-pass",
                when=all_ok,
                outcome=passed,
                citation=citation,
                reading=self.optional_text(body, "reading"),
                loc=body.loc,
            )
        )
        return rules, list_name

    @staticmethod
    def _check_exception_cycles(rules: list[RuleSpec]) -> None:
        parent = {rule.id: rule.exception_to for rule in rules}
        for rule in rules:
            seen = {rule.id}
            current = rule.exception_to
            while current is not None:
                if current in seen:
                    raise RulesetError(f"exceptions form a cycle through {rule.id!r}", rule.loc)
                seen.add(current)
                current = parent[current]

    def _inputs(self, rules: list[RuleSpec], values: tuple[ValueSpec, ...]) -> tuple[str, ...]:
        nodes: list[a.Node] = []
        for rule in rules:
            nodes.append(rule.when)
            nodes.extend(v.expr for v in rule.values)
            nodes.extend(v.when for v in rule.values if v.when is not None)
        nodes.extend(v.expr for v in values)
        nodes.extend(v.when for v in values if v.when is not None)
        read = facts_read(nodes, self.derived)
        return tuple(name for name in self.facts if name in read)

    # -- versions ------------------------------------------------------------
    def read_versions(
        self, root: YMap, decisions: dict[str, DecisionSpec]
    ) -> tuple[tuple[Version, ...], dict[str, tuple[dict[str, ConstantSpec], dict[str, RuleSpec]]]]:
        if "versions" not in root:
            return (), {}
        versions = []
        amendments: dict[str, tuple[dict[str, ConstantSpec], dict[str, RuleSpec]]] = {}
        rules_by_id = {(rule.id): (name, rule) for name, d in decisions.items() for rule in d.rules}
        for item in expect_seq(root.get("versions"), "versions", root.loc).items:
            body = expect_map(item, "a version", root.loc)
            body.check_keys(
                {"id", "title", "from", "to", "amends", "reading"} | _CITE_KEYS,
                {"id", "title"},
                "a version",
            )
            version = Version(
                id=self.text(body.get("id"), "id", body.loc),
                title=self.text(body.get("title"), "title", body.loc),
                first=parse_date_text(body.get("from"), "from", body.loc)
                if "from" in body
                else None,
                last=parse_date_text(body.get("to"), "to", body.loc) if "to" in body else None,
                citation=self.citation(body, "a version", required=False),
            )
            versions.append(version)
            constants: dict[str, ConstantSpec] = {}
            replaced: dict[str, RuleSpec] = {}
            if "amends" in body:
                amends = expect_map(body.get("amends"), "amends", body.loc)
                amends.check_keys({"constants", "rules"}, set(), "amends")
                if "constants" in amends:
                    for name, loc, node in expect_map(
                        amends.get("constants"), "constants", amends.loc
                    ).items():
                        if name not in self.constants:
                            raise RulesetError(f"amends an unknown constant {name!r}", loc)
                        new = self.read_constant(name, node, loc)
                        if new.type != self.constants[name].type:
                            raise RulesetError(
                                f"constant {name!r} is {self.constants[name].type}, not {new.type}",
                                loc,
                            )
                        constants[name] = new
                if "rules" in amends:
                    for rule_id, loc, node in expect_map(
                        amends.get("rules"), "rules", amends.loc
                    ).items():
                        if rule_id not in rules_by_id:
                            raise RulesetError(f"amends an unknown rule {rule_id!r}", loc)
                        decision_name, old = rules_by_id[rule_id]
                        replaced[rule_id] = self._amended_rule(
                            old, expect_map(node, "a rule", loc), decisions[decision_name]
                        )
            amendments[version.id] = (constants, replaced)
        return tuple(versions), amendments

    def _amended_rule(self, old: RuleSpec, body: YMap, decision: DecisionSpec) -> RuleSpec:
        body.check_keys(
            {"when", "outcome", "values", "reading"} | _CITE_KEYS,
            {"article", "text"},
            "an amended rule",
        )
        checker = self.checker()
        citation = self.citation(body, "an amended rule")
        assert citation is not None
        return attrs.evolve(
            old,
            when=checker.check_bool(self.expr(body.get("when"), "when", body.loc))
            if "when" in body
            else old.when,
            outcome=self._outcome(body.get("outcome"), decision.outcomes, body.loc)
            if "outcome" in body
            else old.outcome,
            values=self.read_values(body.get("values"), checker, body.loc)
            if "values" in body
            else old.values,
            citation=citation,
            reading=self.optional_text(body, "reading") or old.reading,
        )


def facts_read(nodes: list[a.Node], derived: dict[str, a.Node]) -> set[str]:
    """Facts read by ``nodes``, following derived values."""
    found: set[str] = set()
    seen: set[str] = set()
    stack = list(nodes)
    while stack:
        for node in stack.pop().walk():
            if isinstance(node, a.Name):
                if node.kind == "fact":
                    found.add(node.name)
                elif node.kind == "derived" and node.name not in seen:
                    seen.add(node.name)
                    stack.append(derived[node.name])
    return found


def read_ruleset(text: str, path: str) -> RulesetSpec:
    """Parse and type-check one ruleset file's text."""
    return Reader(text, path).read()


__all__ = ["RulesetSpec", "facts_read", "read_ruleset"]
