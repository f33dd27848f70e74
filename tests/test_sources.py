"""The agreements' texts ship in the repository: articles, citations, links, no outside paths."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from convention_rules import UnknownNameError, bundled_rulesets, load_ruleset
from convention_rules.cli.main import run
from convention_rules.reading.model import Citation
from convention_rules.reading.sources import SourceText

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "rulesets" / "sources"


def test_the_five_texts_and_their_readme_are_in_the_repository() -> None:
    texts = sorted(p.name for p in SOURCES.glob("*.txt"))
    assert len(texts) == 5
    readme = (SOURCES / "README.md").read_text(encoding="utf-8")
    for name in texts:
        assert f"`{name}`" in readme
    assert {load_ruleset(r).source for r in bundled_rulesets()} == set(texts)


@pytest.mark.parametrize(
    ("ruleset", "article", "opening", "holds"),
    [
        ("occitanie-forpro-sup", "3-2", "3-2 Publics visés", "plus de deux ans à la date"),
        ("occitanie-forpro-sup", "8", "Article 8 - Durée", "quatre années universitaires"),
        (
            "occitanie-forpro-sup",
            "10",
            "Article 10 - Dénonciation \u2013 Résiliation",
            "force majeure",
        ),
        ("cress-paca", "3.9", "3.9 Durée de la convention", "préavis de trois mois"),
        ("gsot-master", "6", "ARTICLE 6 \u2013 DUREE RENOUVELLEMENT", "Grade Master GSOT"),
        ("gsot-master", "3-1", "3-1 Admission des candidats à la formation", "6 candidats"),
        (
            "departement-askoria",
            "1 (3-3)",
            "3-3/ Coopérations stratégiques et pédagogiques",
            "6 réservations",
        ),
        (
            "departement-askoria",
            "3",
            "5/ Article 3 - Suivi et évaluation de l'avenant",
            "4^e trimestre",
        ),
        ("copar-alternance", "Statuts et calendriers", "Statuts et calendriers", "420 heures"),
        (
            "copar-alternance",
            "Parcours d'accompagnement de l'alternance, 6",
            "6. **Rapport de mission** à rendre le 24 mai 2024.",
            "24 mai 2024",
        ),
    ],
)
def test_an_article_as_the_text_has_it(
    ruleset: str, article: str, opening: str, holds: str
) -> None:
    passage = load_ruleset(ruleset).source_article(article)
    assert passage.text.splitlines()[0].strip(" \uf0b7") == opening
    assert holds in passage.text


def test_an_article_stops_before_the_next_one_and_keeps_its_sub_articles() -> None:
    forpro = load_ruleset("occitanie-forpro-sup")
    eight = forpro.source_article("8")
    assert "Article 9" not in eight.text
    assert eight.text.rstrip().endswith("2025/2026).")
    three = forpro.source_article("3")
    assert "3-8 Suivi des stagiaires" in three.text
    assert "Article 4" not in three.text
    # a table of contents entry is not the section: the body's is
    copar = load_ruleset("copar-alternance").source_article("Le cahier des charges")
    assert "22 janvier 2024" in copar.text


def test_an_unknown_article_names_the_headings() -> None:
    with pytest.raises(UnknownNameError, match=r"has no article '42'.*3-1"):
        load_ruleset("gsot-master").source_article("42")


def _citations(ruleset_id: str) -> list[Citation]:
    rs = load_ruleset(ruleset_id)
    found = [c.citation for c in rs.spec.constants.values() if c.citation is not None]
    for name in rs.decisions:
        for version in rs.versions or [None]:
            day = version.first if version is not None and version.first else None
            spec = rs.decision_spec(name, day)
            found += [rule.citation for rule in spec.rules]
            if spec.otherwise is not None:
                found.append(spec.otherwise.citation)
    return found


@pytest.mark.parametrize("ruleset_id", bundled_rulesets())
def test_every_citation_is_found_in_its_text(ruleset_id: str) -> None:
    text = load_ruleset(ruleset_id).source_text()
    for citation in _citations(ruleset_id):
        passage = text.article(citation.article)
        line = text.locate(citation.text, (passage.first, passage.last))
        assert line is not None, (
            f"quote not found in art. {citation.article} of {text.name}: {citation.text[:60]!r}"
        )


def test_the_cli_prints_an_article() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run(["source", "cress-paca", "3.9"], out, err) == 0
    assert out.getvalue().startswith("3.9 Durée de la convention\n")
    assert "trois ans à compter de sa date de signature" in out.getvalue()
    numbered = io.StringIO()
    assert run(["source", "cress-paca", "3.9", "--lines"], numbered, err) == 0
    assert numbered.getvalue().splitlines()[1] == "  191  3.9 Durée de la convention"
    whole = io.StringIO()
    assert run(["source", "gsot-master"], whole, err) == 0
    assert whole.getvalue() == (SOURCES / "000_d837eb4f17f552a5.txt").read_text(encoding="utf-8")


def test_the_cli_refuses_an_unknown_article() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run(["source", "cress-paca", "9.9"], out, err) == 2
    assert "no article '9.9'" in err.getvalue()


def test_the_generated_pages_link_each_quote_to_its_line() -> None:
    links = 0
    for page in (ROOT / "docs" / "rulesets").glob("*.md"):
        for target, line in re.findall(r"\]\(([^)#]+\.txt)#L(\d+)\)", page.read_text("utf-8")):
            path = (page.parent / target).resolve()
            assert path.is_file(), target
            assert 1 <= int(line) <= len(path.read_text("utf-8").splitlines())
            links += 1
    assert links >= 60


def test_locate_finds_a_quote_across_lines_and_markup() -> None:
    text = SourceText("t.txt", "Titre\n\nLe **stage** dure\n420 heures, au moins.\n")
    assert text.locate("Le stage dure 420 heures, au moins.") == 3
    assert text.locate("Le stage dure 421 heures") is None


# Written in two pieces, so that grepping the repository for the shared folder finds nothing.
_OUTSIDE = re.compile("shared" + "/|/work" + "/")


def test_nothing_in_the_repository_points_outside_it() -> None:
    offenders = []
    for path in ROOT.rglob("*"):
        parts = path.relative_to(ROOT).parts
        # hidden folders (.git, .venv, caches, .hypothesis) are not the repository's text; .ci is
        if any(p.startswith(".") and p != ".ci" for p in parts) or "__pycache__" in parts:
            continue
        if not path.is_file():
            continue
        if path.suffix not in {".py", ".md", ".yaml", ".toml", ".txt", ".ipynb", ".sh", ""}:
            continue
        try:
            content = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        offenders += [
            f"{path.relative_to(ROOT)}:{n}"
            for n, line in enumerate(content.splitlines(), 1)
            if _OUTSIDE.search(line) and path.name != "test_sources.py"
        ]
    assert offenders == []
