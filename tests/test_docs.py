"""Generated documentation: up to date, and each clause beside its rule."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import convention_rules
from convention_rules import bundled_rulesets, load_ruleset
from convention_rules.cli.main import commands
from convention_rules.cli.reference import pages
from convention_rules.language import syntax as a
from convention_rules.language.parser import parse_expression
from convention_rules.language.unparse import unparse

DOCS = Path(__file__).parent.parent / "docs"


def test_committed_generated_pages_are_up_to_date() -> None:
    generated = pages(DOCS)
    assert {"cli.md", "readings.md", "tutorial/stage-gratification.md"} <= set(generated)
    assert {f"rulesets/{ruleset_id}.md" for ruleset_id in bundled_rulesets()} <= set(generated)
    stale = [
        relative
        for relative, content in generated.items()
        if not (DOCS / relative).exists()
        or (DOCS / relative).read_text(encoding="utf-8") != content
    ]
    assert stale == [], "run `convention-rules docs` and commit the result"


def test_the_cli_reference_has_every_subcommand_and_option() -> None:
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## `([a-z-]+)`$", page, re.MULTILINE)
    assert headings == list(commands())
    for name, command in commands().items():
        section = page[page.index(f"## `{name}`") :].split("\n## ", 1)[0]
        alone = argparse.ArgumentParser()
        command.configure(alone)
        for action in alone._actions:
            for flag in action.option_strings:
                assert flag in ("-h", "--help") or f"`{flag}`" in section, (name, flag)
            if not action.option_strings:
                assert f"`{action.dest.upper()}`" in section, (name, action.dest)


def test_the_api_page_documents_exactly_the_public_names() -> None:
    page = (DOCS / "api.md").read_text(encoding="utf-8")
    documented = re.findall(r"^::: convention_rules\.(\w+)$", page, re.MULTILINE)
    public = [name for name in convention_rules.__all__ if not name.startswith("__")]
    assert sorted(documented) == sorted(public)
    assert "`convention_rules.__version__`" in page  # a string, read lazily: named in prose
    assert len(documented) == len(set(documented))


def test_every_agreement_page_has_the_table_of_its_cases() -> None:
    page = (DOCS / "rulesets" / "gsot-master.md").read_text(encoding="utf-8")
    opening = page[page.index("## Decision `opening`") : page.index("## Decision `appeal`")]
    assert "### Cases" in opening
    # rulesets/gsot-master.cases.yaml: 5 admitted, 6 - 5 = 1 missing (art. 3-1)
    row = "| five admitted candidates do not open the master | 2024-09-01 |"
    assert row in opening
    assert "`does_not_open`; missing_candidates = 1" in opening


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
