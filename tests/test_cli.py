"""The command line, through run() and once through the installed script."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from convention_rules import bundled_rulesets
from convention_rules.cli.main import run


def call(*args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run(list(args), out, err, io.StringIO(stdin))
    return status, out.getvalue(), err.getvalue()


def decide(facts: object, *extra: str) -> tuple[int, str, str]:
    return call(
        "decide",
        "occitanie-forpro-sup",
        "eligibility",
        "--facts",
        "-",
        *extra,
        stdin=json.dumps(facts),
    )


def test_decide_prints_the_json_contract() -> None:
    facts = {
        "registered_jobseeker": True,
        "initial_education_end": "2022-06-30",
        "training_entry": "2024-09-02",
    }
    status, out, err = decide(facts, "--as-of", "2025-01-01")
    assert (status, err) == (0, "")
    answer = json.loads(out)
    assert answer["ruleset"] == "occitanie-forpro-sup"
    assert answer["decision"] == "eligibility"
    assert answer["outcome"] == "eligible"
    assert answer["values"] == {"eligible_from": "2024-07-01"}
    assert answer["missing"] == []
    (entry,) = answer["trace"]
    assert entry["rule"] == "two-year-rule"
    assert entry["source"] == "004_f8a64754de9174ad.txt"
    assert entry["article"] == "3-2"
    assert "depuis plus de deux ans à la date d'entrée en formation" in entry["text"]


def test_undetermined_is_an_answer_with_exit_zero() -> None:
    status, out, _ = decide({"registered_jobseeker": True})
    assert status == 0
    assert json.loads(out)["missing"] == ["initial_education_end", "training_entry"]


@pytest.mark.parametrize(
    ("facts", "fact"),
    [
        ({"training_entry": "2025-02-30"}, "training_entry"),
        ({"registered_jobseeker": "true"}, "registered_jobseeker"),
        ({"registered": True}, "registered"),
        ({"initial_education_end": "2025-01-01T10:00:00"}, "initial_education_end"),
        ({"registered_jobseeker": 1}, "registered_jobseeker"),
    ],
)
def test_bad_facts_exit_2_with_one_line_naming_the_fact(facts: object, fact: str) -> None:
    status, out, err = decide(facts)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert f"'{fact}'" in err


def test_money_as_a_json_fraction_is_refused() -> None:
    status, _, err = call(
        "decide",
        "occitanie-forpro-sup",
        "registration_fee_subsidy",
        "--facts",
        "-",
        stdin='{"programme": "daeu", "registration_fees": 325.25}',
    )
    assert status == 2
    assert "'registration_fees'" in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("decide", "nope", "eligibility", "--facts", "-"), "unknown ruleset 'nope'"),
        (("decide", "occitanie-forpro-sup", "nope", "--facts", "-"), "no decision 'nope'"),
        (
            (
                "decide",
                "occitanie-forpro-sup",
                "eligibility",
                "--facts",
                "-",
                "--as-of",
                "2025-13-01",
            ),
            "--as-of",
        ),
    ],
)
def test_unknown_names_exit_2(args: tuple[str, ...], words: str) -> None:
    status, _, err = call(*args, stdin="{}")
    assert status == 2
    assert words in err


def test_invalid_json_exits_2() -> None:
    status, _, err = call(
        "decide", "occitanie-forpro-sup", "eligibility", "--facts", "-", stdin="{nope"
    )
    assert status == 2
    assert "not valid JSON" in err


def test_facts_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_text('{"registered_jobseeker": false}', encoding="utf-8")
    status, out, _ = call("decide", "occitanie-forpro-sup", "eligibility", "--facts", str(path))
    assert status == 0
    assert json.loads(out)["outcome"] == "ineligible"


def test_list_names_every_bundled_ruleset_and_decision() -> None:
    status, out, _ = call("list")
    assert status == 0
    for ruleset_id in bundled_rulesets():
        assert f"{ruleset_id}:" in out
    assert "eligibility -> eligible, ineligible" in out


def test_demo_explains_decisions_of_every_agreement() -> None:
    status, out, _ = call("demo")
    assert status == 0
    for ruleset_id in bundled_rulesets():
        assert f"{ruleset_id}:" in out
    assert "DOES NOT MATCH" not in out
    assert out.count("matches the hand computation") >= len(bundled_rulesets())
    # GSOT art. 3-1, minimum of 6 candidates: the demo's 5 would open with one more.
    assert "would be opens with admitted_candidates 6 (instead of 5)" in out


def test_check_reports_a_broken_ruleset_with_its_position(tmp_path: Path) -> None:
    source = Path(__file__).parent.parent / "rulesets" / "occitanie-forpro-sup.yaml"
    broken = tmp_path / "broken.yaml"
    text = source.read_text(encoding="utf-8").replace(
        "when: registered_jobseeker and training_entry > two_years_out",
        "when: registered_jobseeker and training_entry > 2",
    )
    broken.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "training_entry > 2" in row)
    status, out, _ = call("check", str(broken))  # validate, under its old name
    assert status == 1
    assert f"broken.yaml:{line}:" in out
    assert "cannot compare date with int" in out


def test_test_command_runs_case_files() -> None:
    status, out, _ = call("test")
    assert status == 0
    assert out.rstrip().endswith("0 failed")


def test_the_installed_console_script() -> None:
    script = Path(sys.executable).parent / "convention-rules"
    assert script.exists(), "the package is installed with its console script"
    done = subprocess.run(  # noqa: S603 - our own console script, no shell
        [script, "decide", "gsot-master", "opening", "--facts", "-"],
        input='{"admitted_candidates": 5}',
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert (answer["outcome"], answer["values"]) == ("does_not_open", {"missing_candidates": 1})
    assert answer["trace"][0]["article"] == "3-1"
