"""The tutorial (docs/tutorial/index.md) cannot rot: its files load and pass, its commands print
what the page shows, and the failure it shows is the one its mistake produces."""

from __future__ import annotations

import io
import re
import shlex
import shutil
from pathlib import Path

import pytest

from convention_rules import load_ruleset
from convention_rules.cli.main import run
from convention_rules.tools.casefiles import read_cases, run_case_files

ROOT = Path(__file__).parent.parent
TUTORIAL = ROOT / "docs" / "tutorial"
PAGE = (TUTORIAL / "index.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _blocks(kind: str) -> list[str]:
    return [body for language, body in BLOCK.findall(PAGE) if language == kind]


def _sessions() -> list[tuple[str, str]]:
    """Each ``$ command`` of the page's console blocks, with the output shown after it."""
    sessions = []
    for body in _blocks("console"):
        for chunk in body.split("$ ")[1:]:
            command, _, output = chunk.partition("\n")
            sessions.append((command, output))
    return sessions


def call(command: str) -> tuple[int, str, str]:
    stdin = ""
    if command.startswith("echo "):
        echoed, _, command = command.partition(" | ")
        stdin = shlex.split(echoed)[1]
    argv = shlex.split(command)
    assert argv[0] == "convention-rules"
    out, err = io.StringIO(), io.StringIO()
    status = run(argv[1:], out, err, io.StringIO(stdin))
    return status, out.getvalue(), err.getvalue()


def test_the_tutorial_ruleset_loads_and_its_cases_pass() -> None:
    ruleset = load_ruleset(TUTORIAL / "stage-gratification.yaml")
    assert ruleset.decisions == ("gratification",)
    results = list(run_case_files([TUTORIAL / "stage-gratification.cases.yaml"]))
    assert len(results) == 6
    assert [failure for _, failure in results if failure is not None] == []


def test_the_page_shows_commands_to_run() -> None:
    commands = [command.split()[1] for command, _ in _sessions() if "|" not in command]
    assert commands == ["validate", "show", "test", "lint"]


@pytest.mark.parametrize(("command", "output"), _sessions())
def test_each_command_prints_what_the_page_shows(
    command: str, output: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    status, out, err = call(command)
    assert (status, err) == (0, "")
    assert out == output


def test_the_failure_shown_is_what_the_mistake_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [shown] = [b for b in _blocks("text") if b.startswith("docs/tutorial/")]
    copy = tmp_path / "docs" / "tutorial"
    shutil.copytree(TUTORIAL, copy)
    ruleset = copy / "stage-gratification.yaml"
    text = ruleset.read_text(encoding="utf-8")
    for right, wrong in (("end >= threshold", "end > threshold"), ("end < thr", "end <= thr")):
        assert text.count(right) == 1
        text = text.replace(right, wrong)
    ruleset.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, _ = call("convention-rules test docs/tutorial/stage-gratification.cases.yaml")
    assert status == 1
    report, summary = out.rsplit("\n\n", 1)
    assert report + "\n" == shown
    assert summary == "5 passed, 1 failed\n"


def test_the_mistake_lint_finds_is_a_gap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "tutorial"
    shutil.copytree(TUTORIAL, copy)
    ruleset = copy / "stage-gratification.yaml"
    text = ruleset.read_text(encoding="utf-8")
    assert text.count("internship_end >= threshold_day") == 1
    ruleset.write_text(text.replace("end >= threshold", "end > threshold"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, _ = call("convention-rules lint tutorial/stage-gratification.yaml")
    assert status == 1
    assert "gap: decision 'gratification'" in out
    assert out.endswith("1 finding\n")


def test_every_snippet_names_a_file_and_section_that_exist() -> None:
    snippets = re.findall(r'^--8<-- "([^"]+)"$', PAGE, re.MULTILINE)
    assert len(snippets) == 8
    for snippet in snippets:
        name, _, section = snippet.partition(":")
        path = ROOT / "docs" / name
        assert path.is_file(), snippet
        text = path.read_text(encoding="utf-8")
        if section and not section[0].isdigit():
            assert f"# --8<-- [start:{section}]" in text, snippet
        elif section:  # a range of lines: the clause the page goes on to encode
            first, last = (int(n) for n in section.split(":"))
            shown = text.splitlines()[first - 1 : last]
            assert shown[0].startswith("Article 4 "), snippet
            assert shown[-1] == "", snippet  # the whole article, up to the blank line


def test_the_case_file_names_its_ruleset_beside_it() -> None:
    cases = read_cases(TUTORIAL / "stage-gratification.cases.yaml")
    assert {case.ruleset for case in cases} == {str(TUTORIAL / "stage-gratification.yaml")}
