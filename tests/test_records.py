"""Decision records (decide --record, Ruleset.decide(record=...)) and convention-rules replay."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

import convention_rules
from convention_rules import ConventionRulesError, load_ruleset
from convention_rules._registry import bundled_dir
from convention_rules.cli.main import run
from convention_rules.deciding.records import DecisionLog
from convention_rules.tools.replay import replay


def call(*args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run(list(args), out, err, io.StringIO(stdin))
    return status, out.getvalue(), err.getvalue()


def test_a_record_holds_versions_hash_as_of_the_facts_as_given_and_the_answer(
    tmp_path: Path,
) -> None:
    log = tmp_path / "decisions.jsonl"
    ruleset = load_ruleset("departement-askoria")
    facts = {"synthesis_shared": date(2025, 11, 15)}
    answer = ruleset.decide("research_contribution", facts, as_of=date(2025, 11, 20), record=log)
    (line,) = log.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["library"] == {
        "name": "convention-rules",
        "version": convention_rules.__version__,
    }
    text = (bundled_dir() / "departement-askoria.yaml").read_bytes()
    assert record["ruleset"] == {
        "id": "departement-askoria",
        "source": "departement-askoria",
        "hash": "sha256:" + hashlib.sha256(text).hexdigest(),
        "version": "amendment_2025",
    }
    assert (record["decision"], record["as_of"], record["engine"]) == (
        "research_contribution",
        "2025-11-20",
        "durable",
    )
    assert record["facts"] == {"synthesis_shared": "2025-11-15"}
    assert record["answer"] == answer.to_dict()
    assert record["answer"]["trace"][0]["article"] == "2"


def test_decide_many_records_one_line_per_row_to_a_writer() -> None:
    out = io.StringIO()
    rows = [{"admitted_candidates": 5}, {"admitted_candidates": 6}]
    load_ruleset("gsot-master").decide_many(
        "opening", rows, as_of=date(2024, 9, 1), record=DecisionLog(out)
    )
    outcomes = [json.loads(line)["answer"]["outcome"] for line in out.getvalue().splitlines()]
    assert outcomes == ["does_not_open", "opens"]  # art. 3-1: "un nombre minimum de 6"


def test_record_then_replay_is_clean(tmp_path: Path) -> None:
    log = tmp_path / "decisions.jsonl"
    for facts, as_of in (({"admitted_candidates": 5}, "2024-09-01"), ({}, "2024-09-01")):
        status, _, err = call(
            "decide", "gsot-master", "opening", "--facts", "-", "--as-of", as_of,
            "--record", str(log), stdin=json.dumps(facts),
        )  # fmt: skip
        assert (status, err) == (0, "")
    status, out, _ = call(
        "explain", "gsot-master", "opening", "--facts", "-", "--as-of", "2024-09-01",
        "--record", str(log), stdin='{"admitted_candidates": 7}',
    )  # fmt: skip
    assert status == 0
    assert "Au 1 septembre 2024, le Master ouvre pour cette promotion." in out
    assert len(log.read_text(encoding="utf-8").splitlines()) == 3
    status, out, _ = call("replay", str(log))
    assert (status, out) == (0, "3 replayed, 3 same, 0 differ\n")


def test_replay_flags_a_changed_ruleset_and_says_why(tmp_path: Path) -> None:
    copy = tmp_path / "gsot-master.yaml"
    shutil.copy(bundled_dir() / "gsot-master.yaml", copy)
    log = tmp_path / "decisions.jsonl"
    ruleset = load_ruleset(copy)
    before = ruleset.content_hash
    ruleset.decide("opening", {"admitted_candidates": 5}, as_of=date(2024, 9, 1), record=log)
    ruleset.decide("opening", {"admitted_candidates": 9}, as_of=date(2024, 9, 1), record=log)
    # the copy now asks for 5 candidates instead of 6: five admitted open the Master
    text = copy.read_text(encoding="utf-8")
    marker = "minimum_candidates:"
    start = text.index(marker)
    end = text.index("\n", text.index("value:", start))
    block = text[start:end]
    copy.write_text(text.replace(block, block.replace("6", "5")), encoding="utf-8")
    after = load_ruleset(copy).content_hash
    assert after != before

    results = list(replay(log))
    assert [r.status for r in results] == ["differs", "same"]
    assert results[0].reasons == (f"ruleset changed ({before} -> {after})",)
    assert "outcome: does_not_open -> opens" in results[0].changes
    assert "value missing_candidates: 1 -> 0" in results[0].changes
    assert results[1].reasons == (f"ruleset changed ({before} -> {after})",)

    status, out, _ = call("replay", str(log))
    assert status == 1
    assert f"{log}:1: gsot-master/opening: differs (ruleset changed" in out
    assert out.endswith("2 replayed, 1 same, 1 differ\n")


def test_replay_says_when_the_library_changed(tmp_path: Path) -> None:
    log = tmp_path / "decisions.jsonl"
    out = io.StringIO()
    load_ruleset("gsot-master").decide(
        "opening", {"admitted_candidates": 5}, as_of=date(2024, 9, 1), record=out
    )
    record = json.loads(out.getvalue())
    record["library"]["version"] = "0.0.1"
    record["answer"]["outcome"] = "opens"  # as an older library might have answered
    log.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (result,) = replay(log)
    assert result.status == "differs"
    assert result.reasons == (f"library changed (0.0.1 -> {convention_rules.__version__})",)


def test_a_damaged_record_file_names_the_line(tmp_path: Path) -> None:
    log = tmp_path / "decisions.jsonl"
    log.write_text('{"format": 1}\nnot json\n', encoding="utf-8")
    with pytest.raises(ConventionRulesError, match=r"decisions.jsonl:1: the record has no"):
        list(replay(log))
    status, _, err = call("replay", str(log))
    assert status == 2
    assert "decisions.jsonl:1:" in err


def test_a_missing_record_file_is_one_line_without_a_python_repr(tmp_path: Path) -> None:
    missing = tmp_path / "none.jsonl"
    status, _, err = call("replay", str(missing))
    assert status == 2
    expected = f"cannot read decision records from {missing}: No such file or directory"
    assert err == f"convention-rules: {expected}\n"
