"""Versions of an agreement in time, and what each amendment changes.

A ruleset may declare ``versions:``, the instruments of the agreement with the
days they are in force. A later version ``amends`` the earlier ones from its
first day: it replaces constants and rules (by id) and adds rules and values
to decisions, without copying the rest of the ruleset.
"""

from __future__ import annotations

import attrs

from convention_rules._errors import RulesetError
from convention_rules.reading.decisions import DecisionReader, check_rule_ids
from convention_rules.reading.model import (
    Amendment,
    ConstantSpec,
    DecisionSpec,
    RuleSpec,
    TermSpec,
    ValueSpec,
    Version,
)
from convention_rules.reading.positioned import YMap, expect_map, expect_seq
from convention_rules.reading.reader import CITE_KEYS, parse_date_text
from convention_rules.reading.terms import scope


class VersionReader(DecisionReader):
    """Reads the ``versions:`` section."""

    def read_versions(
        self, root: YMap, decisions: dict[str, DecisionSpec]
    ) -> tuple[tuple[Version, ...], dict[str, Amendment]]:
        if "versions" not in root:
            return (), {}
        versions = []
        amendments: dict[str, Amendment] = {}
        rules_by_id = {(rule.id): (name, rule) for name, d in decisions.items() for rule in d.rules}
        for item in expect_seq(root.get("versions"), "versions", root.loc).items:
            body = expect_map(item, "a version", root.loc)
            body.check_keys(
                {"id", "title", "from", "to", "amends", "reading"} | CITE_KEYS,
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
            added: dict[str, tuple[RuleSpec, ...]] = {}
            values: dict[str, tuple[ValueSpec, ...]] = {}
            term = None
            if "amends" in body:
                amends = expect_map(body.get("amends"), "amends", body.loc)
                amends.check_keys({"constants", "rules", "decisions", "term"}, set(), "amends")
                if "term" in amends:
                    term = self.read_term(expect_map(amends.get("term"), "term", amends.loc))
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
                if "decisions" in amends:
                    added, values = self._additions(
                        expect_map(amends.get("decisions"), "decisions", amends.loc),
                        decisions,
                        rules_by_id,
                    )
            amendments[version.id] = Amendment(constants, replaced, added, values, term)
        return tuple(versions), amendments

    def read_term(self, body: YMap) -> TermSpec:
        """``term: {first_day, last_day, article, text, reading}`` (either day may be open)."""
        body.check_keys({"first_day", "last_day", "reading"} | CITE_KEYS, set(), "term")
        if "first_day" not in body and "last_day" not in body:
            raise RulesetError("a term needs 'first_day:', 'last_day:' or both", body.loc)
        citation = self.citation(body, "term")
        assert citation is not None
        first = (
            parse_date_text(body.get("first_day"), "first_day", body.loc)
            if "first_day" in body
            else None
        )
        last = (
            parse_date_text(body.get("last_day"), "last_day", body.loc)
            if "last_day" in body
            else None
        )
        if first is not None and last is not None and last < first:
            raise RulesetError("the term's last_day is before its first_day", body.loc)
        return TermSpec(first, last, citation, self.optional_text(body, "reading"), body.loc)

    def _additions(
        self,
        body: YMap,
        decisions: dict[str, DecisionSpec],
        rules_by_id: dict[str, tuple[str, RuleSpec]],
    ) -> tuple[dict[str, tuple[RuleSpec, ...]], dict[str, tuple[ValueSpec, ...]]]:
        """``amends: {decisions: {name: {rules: [...], values: {...}}}}``: rules and values
        that a version adds to a decision."""
        added: dict[str, tuple[RuleSpec, ...]] = {}
        values: dict[str, tuple[ValueSpec, ...]] = {}
        for name, loc, node in body.items():
            if name not in decisions:
                raise RulesetError(f"amends an unknown decision {name!r}", loc)
            part = expect_map(node, f"decision {name!r}", loc)
            part.check_keys({"rules", "values"}, set(), f"amended decision {name!r}")
            decision = decisions[name]
            checker = self.checker()
            if "values" in part:
                values[name] = self.read_values(part.get("values"), checker, part.loc)
            if "rules" in part:
                new_rules = []
                for item in expect_seq(part.get("rules"), "rules", part.loc).items:
                    rule = self.read_rule(
                        expect_map(item, "a rule", part.loc), checker, decision.outcomes
                    )
                    if rule.id in rules_by_id:
                        raise RulesetError(f"duplicate rule id {rule.id!r}", rule.loc)
                    rules_by_id[rule.id] = (name, rule)
                    new_rules.append(rule)
                added[name] = tuple(new_rules)
        for name, rules in added.items():
            check_rule_ids(name, (*decisions[name].rules, *rules))
        return added, values

    def _amended_rule(self, old: RuleSpec, body: YMap, decision: DecisionSpec) -> RuleSpec:
        body.check_keys(
            {"when", "outcome", "values", "reading"} | CITE_KEYS,
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


def effective_versions(
    decisions: dict[str, DecisionSpec],
    constants: dict[str, ConstantSpec],
    versions: tuple[Version, ...],
    amendments: dict[str, Amendment],
    term: TermSpec | None = None,
) -> dict[str | None, tuple[dict[str, ConstantSpec], dict[str, DecisionSpec]]]:
    """Constants and decisions in force in each version (``None``: no versions).

    Amendments apply cumulatively, in the order the versions are declared; a
    version's term replaces the earlier one. Each dated decision gets the
    rules of the term in force (``reading/terms.py``).
    """
    out: dict[str | None, tuple[dict[str, ConstantSpec], dict[str, DecisionSpec]]] = {}
    if not versions:
        return {None: (dict(constants), {n: scope(d, term) for n, d in decisions.items()})}
    current_constants = dict(constants)
    replaced: dict[str, RuleSpec] = {}
    added: dict[str, tuple[RuleSpec, ...]] = {}
    values: dict[str, dict[str, ValueSpec]] = {}
    for version in versions:
        amendment = amendments.get(version.id, Amendment())
        term = amendment.term or term
        current_constants.update(amendment.constants)
        replaced.update(amendment.rules)
        for name, rules in amendment.added_rules.items():
            added[name] = added.get(name, ()) + rules
        for name, new_values in amendment.values.items():
            values.setdefault(name, {}).update({v.name: v for v in new_values})
        effective = {}
        for name, decision in decisions.items():
            rules = tuple(replaced.get(r.id, r) for r in (*decision.rules, *added.get(name, ())))
            merged = {v.name: v for v in decision.values} | values.get(name, {})
            effective[name] = scope(
                attrs.evolve(decision, rules=rules, values=tuple(merged.values())), term
            )
        out[version.id] = (dict(current_constants), effective)
    return out
