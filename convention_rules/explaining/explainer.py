"""Build the explanation of a decision: the answer, the values and how they were
computed, the deciding rules with their clauses, what is missing and why.

Every word comes from the catalogues (:mod:`convention_rules.explaining.catalogue`);
values are formatted by babel in the language's locale; expressions are shown as
the ruleset writes them (:func:`convention_rules.language.unparse.unparse`), with
the values of the names they read.
"""

from __future__ import annotations

from collections.abc import Iterator

from convention_rules._errors import ConventionRulesError
from convention_rules.explaining.catalogue import Phrases, messages
from convention_rules.explaining.context import Explainable, ExplanationContext, TraceLike
from convention_rules.explaining.document import (
    Detail,
    Document,
    Item,
    Section,
    to_markdown,
    to_rich,
    to_text,
)
from convention_rules.explaining.formatting import ValueFormatter
from convention_rules.language import syntax as a
from convention_rules.language.unparse import unparse
from convention_rules.reading.model import RuleSpec, ValueSpec
from convention_rules.reading.terms import EXPIRES_FIRST

LANGUAGES = ("fr", "en")
FORMATS = ("text", "markdown", "rich")
UNDETERMINED = "undetermined"
OTHERWISE = "otherwise"
_GENERATED = ".expires-first"  # the id suffix of the rules convention_rules.reading.terms adds


def explain(
    decision: Explainable, context: ExplanationContext, lang: str = "fr", fmt: str = "text"
) -> str:
    """The explanation of ``decision`` in ``lang`` (fr, en), as ``fmt`` (text, markdown, rich)."""
    if lang not in LANGUAGES:
        raise ConventionRulesError(
            messages("en")["errors"]["unknown_language"].format(
                lang=lang, known=", ".join(LANGUAGES)
            )
        )
    if fmt not in FORMATS:
        raise ConventionRulesError(
            messages(lang)["errors"]["unknown_format"].format(format=fmt, known=", ".join(FORMATS))
        )
    document = _Explainer(decision, context, Phrases(lang, decision.ruleset)).document()
    if fmt == "markdown":
        return to_markdown(document)
    if fmt == "rich":
        return to_rich(document)
    return to_text(document)


def _names_in(node: a.Node) -> Iterator[a.Name]:
    """The names an expression reads directly, once each, in reading order."""
    seen: set[str] = set()
    for sub in node.walk():
        if isinstance(sub, a.Name) and sub.name not in seen:
            seen.add(sub.name)
            yield sub


class _Explainer:
    def __init__(
        self, decision: Explainable, context: ExplanationContext, phrases: Phrases
    ) -> None:
        self.decision = decision
        self.context = context
        self.phrases = phrases
        self.show = ValueFormatter(phrases)
        self.rules = {rule.id: rule for rule in context.decision.rules}

    def document(self) -> Document:
        decision, phrases, spec = self.decision, self.phrases, self.context.decision
        as_of = self.show.date(decision.as_of)
        if decision.outcome == UNDETERMINED:
            answer = phrases.say("answer_undetermined", as_of=as_of)
        else:
            outcome = phrases.outcome(spec.name, decision.outcome)
            answer = phrases.say("answer", as_of=as_of, outcome=outcome)
        answer = answer[0].upper() + answer[1:]
        title = f"{self.context.ruleset.title} — {phrases.title(spec.name, spec.title)}"
        context: list[str] = []
        version = self.context.version
        if version is not None:
            in_force = phrases.version(version.id, version.title)
            context.append(phrases.say("version", version=in_force))
        sections = [
            section
            for section in (self._values(), self._rules(), self._missing())
            if section is not None
        ]
        return Document(title, answer, tuple(context), tuple(sections))

    # -- values --------------------------------------------------------------
    def _value_spec(self, name: str) -> ValueSpec | None:
        for entry in self.decision.trace:
            rule = self.rules.get(entry.rule)
            if rule is not None and entry.overridden_by is None:
                for value in rule.values:
                    if value.name == name:
                        return value
        return next((v for v in self.context.decision.values if v.name == name), None)

    def _values(self) -> Section | None:
        phrases, spec = self.phrases, self.context.decision
        items = []
        for name, value in self.decision.values.items():
            label = phrases.value(name)
            if name == spec.problems_value:
                faults = [phrases.fact(fact) for fact in value]
                shown = (
                    phrases.say("problems", items=phrases.join(faults))
                    if faults
                    else phrases.word("no_problem")
                )
                items.append(Item(phrases.say("value", label=label, value=shown)))
                continue
            value_spec = self._value_spec(name)
            shown = self.show(value, self._enum_of(value_spec) or name)
            details = self._computation(value_spec) if value_spec is not None else ()
            items.append(Item(phrases.say("value", label=label, value=shown), details))
        if not items:
            return None
        return Section(phrases.word("values"), tuple(items))

    def _enum_of(self, value_spec: ValueSpec | None) -> str | None:
        """The fact whose enum words a value shows, when it is that fact itself."""
        expr = value_spec.expr if value_spec is not None else None
        if isinstance(expr, a.Name) and expr.kind == "fact":
            return expr.name
        return None

    def _computation(self, value_spec: ValueSpec) -> tuple[Detail, ...]:
        phrases, expr = self.phrases, value_spec.expr
        derived = self.context.ruleset.derived
        while isinstance(expr, a.Name) and expr.kind == "derived" and expr.name in derived:
            expr = derived[expr.name]  # a value that is a derived one: show how that is computed
        details: list[Detail] = []
        if isinstance(expr, a.Name) and expr.kind == "constant":
            details.append(Detail("plain", phrases.say("constant", name=expr.name)))
        elif not isinstance(expr, a.Literal):
            details.append(Detail("code", phrases.say("computed_as", expression=""), unparse(expr)))
            bindings = self._bindings(expr)
            if bindings:
                details.append(Detail("plain", phrases.say("computed_from", bindings=bindings)))
        if value_spec.reading:
            key = f"value {value_spec.name}"
            reading = phrases.reading(self.context.decision.name, key, value_spec.reading)
            details.append(Detail("plain", reading))
        return tuple(details)

    def _bindings(self, expr: a.Node) -> str:
        phrases, known = self.phrases, self.context.bindings
        shown = []
        for name in _names_in(expr):
            if name.name not in known:
                continue
            fact = name.name if name.kind == "fact" else None
            value = self.show(known[name.name], fact)
            label = phrases.fact(name.name) if name.kind in ("fact", "builtin") else name.name
            shown.append(phrases.say("binding", name=label, value=value))
        return phrases.word("separator").join(shown)

    # -- rules ---------------------------------------------------------------
    def _rules(self) -> Section | None:
        items = [self._rule(entry) for entry in self.decision.trace]
        if not items:
            return None
        return Section(self.phrases.word("rules"), tuple(items))

    def _rule(self, entry: TraceLike) -> Item:
        phrases, cite = self.phrases, entry.citation
        if entry.rule == OTHERWISE:
            head = phrases.say("otherwise", article=cite.article, source=cite.source)
        elif entry.overridden_by:
            head = phrases.say(
                "overridden",
                rule=entry.rule,
                article=cite.article,
                source=cite.source,
                exception=entry.overridden_by,
            )
        else:
            head = phrases.say("rule", rule=entry.rule, article=cite.article, source=cite.source)
        details = [Detail("quote", cite.text)]
        if entry.facts:
            facts = phrases.word("separator").join(
                phrases.say("binding", name=phrases.fact(name), value=self.show(value, name))
                for name, value in entry.facts.items()
            )
            details.append(Detail("plain", phrases.say("facts_read", facts=facts)))
        if entry.reading:
            details.append(Detail("plain", self._reading(entry, entry.reading)))
        return Item(head, tuple(details))

    def _reading(self, entry: TraceLike, reading: str) -> str:
        """A rule's reading; the one generated for ``<rule>.expires-first`` from the catalogue."""
        rule = self.rules.get(entry.rule)
        if rule is not None and rule.outcome == EXPIRES_FIRST and rule.id.endswith(_GENERATED):
            last_day = next((v.expr for v in rule.values if v.name == "last_day"), None)
            if isinstance(last_day, a.Literal):
                generated = self.phrases.say(
                    "expires_first_reading", last_day=self.show.date(last_day.value)
                )
                return self.phrases.say("reading", reading=generated)
        return self.phrases.reading(self.context.decision.name, entry.rule, reading)

    # -- missing facts -------------------------------------------------------
    def _missing(self) -> Section | None:
        phrases = self.phrases
        if not self.decision.missing:
            return None
        derived = self.context.ruleset.derived
        items = []
        for fact in self.decision.missing:
            needing = [
                rule
                for rule in self.context.decision.rules
                if fact in a.facts_read([rule.when], derived)
            ]
            rules = phrases.join([self._needs(rule) for rule in needing]) if needing else "—"
            items.append(Item(phrases.say("missing_fact", fact=phrases.fact(fact), rules=rules)))
        return Section(phrases.word("missing"), tuple(items), note=phrases.word("missing_why"))

    def _needs(self, rule: RuleSpec) -> str:
        outcome = self.phrases.outcome(self.context.decision.name, rule.outcome)
        return self.phrases.say(
            "missing_rule", rule=rule.id, article=rule.citation.article, outcome=outcome
        )
