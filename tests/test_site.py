"""The documentation site's navigation (mkdocs_hooks.py): tolerant of pages still to come."""

from __future__ import annotations

import doctest
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import yaml

ROOT = Path(__file__).parent.parent


def _hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mkdocs_hooks", ROOT / "mkdocs_hooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PAGES = ["index.md", "lint.md", "rulesets/a.md", "rulesets/b.md", "services/http.md", "x.md"]


def test_optional_entries_globs_empty_sections_and_unlisted_pages() -> None:
    nav = [
        {"Home": "index.md"},
        {"Reference": [{"Lint": "lint.md?"}, {"Coverage": "coverage.md?"}]},
        {"Agreements": ["rulesets/*.md"]},
        {"Batch": ["batch.md?", "batch/*.md"]},
        {"Services": ["services.md?", "services/*.md"]},
    ]
    assert _hooks().navigation(nav, PAGES) == [
        {"Home": "index.md"},
        {"Reference": [{"Lint": "lint.md"}]},
        {"Agreements": ["rulesets/a.md", "rulesets/b.md"]},
        {"Services": ["services/http.md"]},
        {"More": ["x.md"]},
    ]


def test_a_glob_stays_in_its_folder_and_a_required_absent_page_is_kept_for_mkdocs() -> None:
    navigation = _hooks().navigation
    assert navigation([{"Top": "*.md"}], ["a.md", "sub/b.md"]) == [
        {"Top": ["a.md"]},
        {"More": ["sub/b.md"]},
    ]
    # mkdocs --strict then reports the missing page (validation.nav.not_found: warn)
    assert navigation([{"Gone": "gone.md"}], []) == [{"Gone": "gone.md"}]


def test_the_site_nav_lists_every_page_of_docs_in_its_section() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    pages = sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md"))
    nav = _hooks().navigation(config["nav"], pages)
    sections = {title for entry in nav for title in entry}
    assert {"Getting started", "Tutorial", "Reference", "Agreements", "Explanations"} <= sections
    [agreements] = [entry["Agreements"] for entry in nav if "Agreements" in entry]
    assert "rulesets/gsot-master.md" in agreements
    assert config["validation"]["links"]["not_found"] == "warn"  # fatal under --strict
    assert config["validation"]["nav"]["omitted_files"] == "info"  # tolerated


def test_links_to_repository_files_outside_docs_are_published_and_broken_ones_fail(
    tmp_path: Path,
) -> None:
    (tmp_path / "docs" / "rulesets").mkdir(parents=True)
    (tmp_path / "rulesets" / "sources").mkdir(parents=True)
    (tmp_path / "rulesets" / "sources" / "text.txt").write_text("Article 1\n", encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    page = tmp_path / "docs" / "rulesets" / "a.md"
    page.write_text("# A\n\n[art. 1](../../rulesets/sources/text.txt#L1)\n", encoding="utf-8")
    site_config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config = {
        "site_name": "t",
        "hooks": [str(ROOT / "mkdocs_hooks.py")],
        "nav": ["index.md", "rulesets/*.md"],
        "validation": site_config["validation"],  # the site's own: what fails the strict build
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")

    def build() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict"],  # no -q: it defeats --strict
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    built = build()
    assert built.returncode == 0, built.stderr
    site = tmp_path / "site"
    assert (site / "repository" / "rulesets" / "sources" / "text.txt").is_file()
    html = (site / "rulesets" / "a" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../repository/rulesets/sources/text.txt#L1"' in html
    page.write_text("# A\n\n[gone](../../rulesets/sources/gone.txt)\n", encoding="utf-8")
    broken = build()
    assert broken.returncode == 1
    assert "gone.txt" in broken.stderr


def test_the_python_examples_of_the_guides_run_as_shown() -> None:
    """Each ``pycon`` block of a getting-started page is a doctest, run in page order."""
    block = re.compile(r"^( *)```pycon\n(.*?)^\1```$", re.MULTILINE | re.DOTALL)
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    ran = 0
    for page in sorted((ROOT / "docs" / "getting-started").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        shared: dict[str, object] = {}
        for indent, body in block.findall(text):
            lines = [line.removeprefix(indent) for line in body.splitlines()]
            test = parser.get_doctest("\n".join(lines), shared, page.name, str(page), 0)
            result = runner.run(test, clear_globs=False)
            assert result.failed == 0, page.name
            shared.update(test.globs)  # the next block of the page goes on from this one
            ran += result.attempted
    assert ran >= 15


def test_the_home_page_links_every_bundled_agreement() -> None:
    from convention_rules import bundled_rulesets

    home = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    for ruleset_id in bundled_rulesets():
        assert f"[`{ruleset_id}`](rulesets/{ruleset_id}.md)" in home, ruleset_id
