"""docs/coverage.md is honest: what it calls encoded is cited by a rule, what it calls not
encoded is cited by none and stands in its text, and its counts add up."""

from __future__ import annotations

from pathlib import Path

import pytest

from convention_rules import RulesetError, bundled_rulesets, load_ruleset
from convention_rules._registry import SOURCES, bundled_dir
from convention_rules.tools.coverage import (
    COVERAGE,
    citations,
    coverage_page,
    encoded_clauses,
    holds,
    read_uncovered,
)

RULESETS = [load_ruleset(r) for r in bundled_rulesets()]
TEXTS = {rs.source: rs.source_text() for rs in RULESETS}
UNCOVERED = read_uncovered(bundled_dir() / SOURCES / COVERAGE, TEXTS)

# The clauses issue #10 names, each by a fragment of its text: all must be encoded.
NAMED = [
    ("004_f8a64754de9174ad.txt", "6 mois après la sortie de formation"),
    ("004_f8a64754de9174ad.txt", "Il se réunira à minima une fois par an"),
    ("004_f8a64754de9174ad.txt", "Chaque signataire désignera 2 représentants"),
    ("000_d837eb4f17f552a5.txt", "pour la durée de délivrance du Grade Master GSOT"),
    ("000_d837eb4f17f552a5.txt", "un conseil de perfectionnement est organisé une fois par an"),
    ("000_d837eb4f17f552a5.txt", "Une réunion annuelle, à destination des tuteurs de stage"),
    ("000_d837eb4f17f552a5.txt", "Pour : 22"),
    ("000_d837eb4f17f552a5.txt", "telle qu'annexée est adoptée"),
    ("002_18e0383bd0d1a712.txt", "19 stages longs dont 15 stages gratifiés en 2025"),
    ("002_18e0383bd0d1a712.txt", "le 6 mai 2025 à ASKORIA avec 50 places réservées"),
    ("003_4c8bd30e01765ea9.txt", "se réunissent une fois par an pour établir un bilan annuel"),
    ("003_4c8bd30e01765ea9.txt", "s'engagent à se réunir afin d'en examiner attentivement"),
    ("001_0644c3d982df64e1.txt", "validés par l'équipe pédagogique avant contractualisation"),
]


@pytest.mark.parametrize("ruleset", RULESETS, ids=lambda rs: rs.id)
def test_every_citation_belongs_to_an_encoded_clause(ruleset: object) -> None:
    clauses = encoded_clauses(ruleset)  # type: ignore[arg-type]
    for citation, who in citations(ruleset):  # type: ignore[arg-type]
        owners = [
            c
            for c in clauses
            if (c.source, c.article) == (citation.source, citation.article)
            and holds(c.text, citation.text)
        ]
        assert owners, f"{who}: {citation.article} « {citation.text[:50]} » is in no clause"
        assert any(who in c.cited_by for c in owners)
    assert all(clause.cited_by for clause in clauses)
    for one in clauses:  # one clause per group: none holds another of its article
        for other in clauses:
            if one is not other and (one.source, one.article) == (other.source, other.article):
                assert not holds(one.text, other.text), (one.text[:40], other.text[:40])


def test_a_clause_not_encoded_is_cited_by_no_rule() -> None:
    for clause in UNCOVERED:
        rs = next(r for r in RULESETS if r.source == clause.source)
        for citation, who in citations(rs):
            same = citation.source == clause.source
            assert not (
                same and (holds(citation.text, clause.text) or holds(clause.text, citation.text))
            ), f"« {clause.text[:50]} » is listed as not encoded but {who} cites it"


def test_the_named_clauses_are_encoded() -> None:
    for source, fragment in NAMED:
        rs = next(r for r in RULESETS if r.source == source)
        assert any(holds(c.text, fragment) for c in encoded_clauses(rs)), fragment


def test_the_counts_add_up() -> None:
    page = coverage_page(RULESETS, UNCOVERED, "../rulesets/sources/")
    encoded = sum(len(encoded_clauses(rs)) for rs in RULESETS)
    needs = sum(c.status == "needs_facts" for c in UNCOVERED)
    not_computable = len(UNCOVERED) - needs
    assert (
        f"Closing count: {encoded + needs} computable clauses found, {encoded} encoded, {needs} "
        f"computable but needing facts no one has, {not_computable} judged not computable."
    ) in page
    assert page.count("| encoded: ") == encoded
    assert page.count("**needs facts no one has**") == needs
    assert page.count("**not computable**") == not_computable


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("status: needs_facts", "status: unknown", "status is one of"),
        ("    why: ", "    reason: ", "needs exactly"),
        ("000_d837eb4f17f552a5.txt:", "999.txt:", "unknown source"),
        ("Les stagiaires seront informés", "Les stagiaires seront avertis", "quote not found"),
        ("  - article: unique", "  - article: unique: x", "invalid YAML"),
    ],
)
def test_a_bad_coverage_list_names_its_file(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = (bundled_dir() / SOURCES / COVERAGE).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / COVERAGE
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RulesetError, match=message) as caught:
        read_uncovered(path, TEXTS)
    assert str(path) in str(caught.value)
