"""Generated documentation: up to date, and each clause beside its rule."""

from __future__ import annotations

from pathlib import Path

from convention_rules import bundled_rulesets, load_ruleset
from convention_rules.language import syntax as a
from convention_rules.language.parser import parse_expression
from convention_rules.language.unparse import unparse
from convention_rules.tools.docs import generate

DOCS = Path(__file__).parent.parent / "docs"


def test_committed_ruleset_docs_are_up_to_date() -> None:
    stale = [
        relative
        for relative, content in generate().items()
        if not (DOCS / relative).exists()
        or (DOCS / relative).read_text(encoding="utf-8") != content
    ]
    assert stale == [], "run `convention-rules docs` and commit the result"


def test_every_rule_sits_beside_its_verbatim_clause() -> None:
    rs = load_ruleset("occitanie-forpro-sup")
    page = (DOCS / "rulesets" / "occitanie-forpro-sup.md").read_text(encoding="utf-8")
    for rule in rs.spec.decisions["termination"].rules:
        heading = f"#### `{rule.id}` → `{rule.outcome}`"
        assert heading in page
        start = page.index(heading)
        following = page.find("#### ", start + len(heading))
        section = page[start : following if following != -1 else len(page)]
        assert f"> « {rule.citation.text} »" in section


def test_unparse_round_trips_every_condition_of_every_bundled_ruleset() -> None:
    for ruleset_id in bundled_rulesets():
        rs = load_ruleset(ruleset_id)
        for decision in rs.spec.decisions.values():
            for rule in decision.rules:
                text = unparse(rule.when)
                again = parse_expression(text, "again")
                assert _shape(again) == _shape(rule.when), (ruleset_id, rule.id, text)


def _shape(node: a.Node) -> object:
    """Structure without types, positions or resolved kinds."""
    if isinstance(node, a.Literal):
        return ("lit", str(node.value))
    if isinstance(node, a.Name):
        return ("name", node.name)
    return (
        type(node).__name__,
        getattr(node, "op", None),
        getattr(node, "function", None),
        getattr(node, "negated", None),
        tuple(_shape(c) for c in node.children()),
    )
