"""Reading decisions: rules with their clauses, exceptions, checks, values."""

from __future__ import annotations

import re
from collections.abc import Mapping

from convention_rules._errors import Location, RulesetError
from convention_rules.language import syntax as a
from convention_rules.language.datatypes import BOOL, DATE
from convention_rules.language.typecheck import Checker
from convention_rules.reading.model import (
    CheckedClause,
    DecisionSpec,
    Otherwise,
    RuleSpec,
    ValueSpec,
)
from convention_rules.reading.positioned import (
    YMap,
    YNode,
    YScalar,
    YSeq,
    expect_map,
    expect_seq,
    expect_text,
)
from convention_rules.reading.reader import CITE_KEYS, ReaderBase

#: Decision names and outcome words: safe in file names, URLs and JSON keys.
NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
#: Outcomes the library answers itself: a ruleset cannot declare them.
RESERVED_OUTCOMES = ("undetermined",)


class DecisionReader(ReaderBase):
    """Reads the ``decisions:`` section."""

    def read_decision(self, name: str, body: YMap) -> DecisionSpec:
        allowed = {
            "title",
            "outcomes",
            "rules",
            "values",
            "otherwise",
            "checks",
            "description",
            "dated_by",
            "expires_first",
            "lint",
            "calendar",
        }
        body.check_keys(allowed, {"title", "outcomes"}, f"decision {name!r}")
        if not NAME.fullmatch(name):
            raise RulesetError(
                f"decision name {name!r} may hold only lower-case letters, digits and '_' "
                "(it is part of file names and URLs)",
                body.loc,
            )
        seq = expect_seq(body.get("outcomes"), "outcomes", body.loc)
        outcomes = tuple(expect_text(item, "an outcome", seq.loc).text for item in seq.items)
        for item, word in zip(seq.items, outcomes, strict=True):
            if not NAME.fullmatch(word) or word in RESERVED_OUTCOMES:
                raise RulesetError(
                    f"outcome {word!r} is not allowed: lower-case letters, digits and '_', "
                    f"and not one the library gives itself ({', '.join(RESERVED_OUTCOMES)})",
                    item.loc,
                )
        if len(set(outcomes)) != len(outcomes):
            raise RulesetError(f"decision {name!r} lists an outcome twice", seq.loc)
        checker = self.checker()
        dated_by = None
        if "dated_by" in body:
            dated_by = checker.check(self.expr(body.get("dated_by"), "dated_by", body.loc))
            if a.type_of(dated_by) != DATE:
                raise RulesetError(
                    f"dated_by is the day that dates the question, a date, not "
                    f"{a.type_of(dated_by)}",
                    dated_by.loc,
                )
        expires_first = self.optional_text(body, "expires_first")
        values = self.read_values(body.get("values"), checker, body.loc) if "values" in body else ()
        rules: list[RuleSpec] = []
        problems_value = None
        if "rules" in body:
            for item in expect_seq(body.get("rules"), "rules", body.loc).items:
                rule = self.attempt(
                    None, self.read_rule, expect_map(item, "a rule", body.loc), checker, outcomes
                )
                if rule is not None:
                    rules.append(rule)
        if "checks" in body:
            checks = self.attempt(
                None,
                self.read_checks,
                expect_map(body.get("checks"), "checks", body.loc),
                checker,
                outcomes,
            )
            if checks is not None:
                rules.extend(checks[0])
                problems_value = checks[1]
        if not rules and "otherwise" not in body:
            # A decision with only 'otherwise' answers it until a version adds rules.
            raise RulesetError(
                f"decision {name!r} needs 'rules:', 'checks:' or 'otherwise:'", body.loc
            )
        check_rule_ids(name, rules)
        otherwise = None
        if "otherwise" in body:
            other = expect_map(body.get("otherwise"), "otherwise", body.loc)
            other.check_keys(
                {"outcome", "reading"} | CITE_KEYS, {"outcome", "article", "text"}, "otherwise"
            )
            word = self._outcome(other.get("outcome"), outcomes, other.loc)
            citation = self.citation(other, "otherwise")
            assert citation is not None
            otherwise = Otherwise(word, citation, self.optional_text(other, "reading"))
        inputs = decision_inputs(rules, values, self.facts, self.derived)
        calendar: tuple[tuple[str, str], ...] = ()
        if "calendar" in body:
            marks = expect_map(body.get("calendar"), "calendar", body.loc)
            calendar = tuple(
                (value, self.text(label, f"calendar label of {value!r}", loc))
                for value, loc, label in marks.items()
            )
        return DecisionSpec(
            name=name,
            title=self.text(body.get("title"), "title", body.loc),
            outcomes=outcomes,
            rules=tuple(rules),
            values=values,
            otherwise=otherwise,
            problems_value=problems_value,
            inputs=inputs,
            lint_allowed=self.lint_allowed(body),
            loc=body.loc,
            dated_by=dated_by,
            expires_first=expires_first,
            calendar=calendar,
        )

    def read_values(
        self, node: YNode | None, checker: Checker, where: Location
    ) -> tuple[ValueSpec, ...]:
        values = []
        for name, loc, value_node in expect_map(node, "values", where).items():
            value = self.attempt(None, self._read_value, name, loc, value_node, checker)
            if value is not None:
                values.append(value)
        return tuple(values)

    def _read_value(
        self, name: str, loc: Location, value_node: YNode, checker: Checker
    ) -> ValueSpec:
        outcomes = None
        if isinstance(value_node, YMap):
            value_node.check_keys(
                {"value", "when", "reading", "outcomes"}, {"value"}, f"value {name!r}"
            )
            if "outcomes" in value_node:
                seq = expect_seq(value_node.get("outcomes"), "outcomes", value_node.loc)
                outcomes = tuple(
                    expect_text(item, "an outcome", seq.loc).text for item in seq.items
                )
            expr = checker.check(self.expr(value_node.get("value"), "value", value_node.loc))
            when = None
            if "when" in value_node:
                when = checker.check_bool(self.expr(value_node.get("when"), "when", value_node.loc))
            reading = self.optional_text(value_node, "reading")
        else:
            expr, when, reading = checker.check(self.expr(value_node, "value", loc)), None, None
        return ValueSpec(name, expr, when, reading, loc, outcomes)

    def read_rule(self, body: YMap, checker: Checker, outcomes: tuple[str, ...]) -> RuleSpec:
        allowed = {"id", "when", "outcome", "values", "exception_to", "reading", "lint"} | CITE_KEYS
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
            exception_to=self._rule_ids(body.get("exception_to"), body.loc)
            if "exception_to" in body
            else (),
            reading=self.optional_text(body, "reading"),
            lint_allowed=self.lint_allowed(body),
            loc=body.loc,
        )

    def _rule_ids(self, node: YNode | None, where: Location) -> tuple[str, ...]:
        """``exception_to``: one rule id, or a list of them."""
        if isinstance(node, YSeq):
            return tuple(self.text(item, "a rule id", node.loc) for item in node.items)
        if isinstance(node, YScalar):
            return (self.text(node, "a rule id", where),)
        raise RulesetError("exception_to is a rule id or a list of rule ids", where)

    def read_checks(
        self, body: YMap, checker: Checker, outcomes: tuple[str, ...]
    ) -> tuple[list[RuleSpec], str]:
        """``checks:`` is sugar: one rule per failed check, one rule when all pass."""
        body.check_keys(
            {"pass", "fail", "list", "items", "reading"} | CITE_KEYS,
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
        checked: list[CheckedClause] = []
        for item in expect_seq(body.get("items"), "items", body.loc).items:
            check = expect_map(item, "a check", body.loc)
            check.check_keys(
                {"id", "facts", "require", "when", "reading"} | CITE_KEYS,
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
            checked.append(
                CheckedClause(
                    self.rule_id(check),
                    check_citation,
                    when,
                    self.optional_text(check, "reading"),
                    facts,
                )
            )
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
                checked=tuple(checked),
            )
        )
        return rules, list_name


def check_rule_ids(decision: str, rules: list[RuleSpec] | tuple[RuleSpec, ...]) -> None:
    """Rule ids are unique in a decision; exceptions name its rules, without cycles."""
    parent: dict[str, tuple[str, ...]] = {}
    for rule in rules:
        if rule.id in parent:
            raise RulesetError(f"duplicate rule id {rule.id!r}", rule.loc)
        parent[rule.id] = rule.exception_to
    for rule in rules:
        for base in rule.exception_to:
            if base not in parent:
                raise RulesetError(
                    f"rule {rule.id!r} is an exception to {base!r}, "
                    f"which is not a rule of decision {decision!r}",
                    rule.loc,
                )
    for rule in rules:
        # Depth-first over the bases: a rule reached again on its own path is a cycle.
        stack: list[tuple[str, frozenset[str]]] = [(rule.id, frozenset())]
        while stack:
            current, path = stack.pop()
            if current in path:
                raise RulesetError(f"exceptions form a cycle through {rule.id!r}", rule.loc)
            stack.extend((base, path | {current}) for base in parent[current])


def decision_inputs(
    rules: tuple[RuleSpec, ...] | list[RuleSpec],
    values: tuple[ValueSpec, ...],
    facts: Mapping[str, object],
    derived: dict[str, a.Node],
) -> tuple[str, ...]:
    """The facts that rules and values read, in the order the facts are declared."""
    nodes: list[a.Node] = []
    for rule in rules:
        nodes.append(rule.when)
        nodes.extend(v.expr for v in rule.values)
        nodes.extend(v.when for v in rule.values if v.when is not None)
    nodes.extend(v.expr for v in values)
    nodes.extend(v.when for v in values if v.when is not None)
    read = a.facts_read(nodes, derived)
    return tuple(name for name in facts if name in read)
