"""Impact of a change (``convention-rules diff``): the clauses changed and the rows they move.

Expected changes come from the texts: the Département's 2025 amendment (seed 002) adds the room
booking clause « la gratuité sera accordée à concurrence de 6 réservations de salles. Au-delà, les
réservations feront l'objet d'une facturation » and the research contribution of art. 2, which the
2022-2024 convention does not have (not_covered there); the edited GSOT copy lowers the minimum
cohort of art. 3-1 from 6 to 5.
"""

from __future__ import annotations

import io
import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from convention_rules import FactError, load_ruleset
from convention_rules.cli.main import run
from convention_rules.impact import (
    Side,
    clause_changes,
    constant_changes,
    diff_rows,
    generate_rows,
    read_table,
)

RULESETS = Path(__file__).parent.parent / "rulesets"


def call(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run(list(args), out, err, io.StringIO()), out.getvalue(), err.getvalue()


def test_the_amendment_adds_the_room_booking_and_research_clauses() -> None:
    rs = load_ruleset("departement-askoria")
    old, new = Side(rs, "convention_2022_2024"), Side(rs, "amendment_2025")
    changes = {(c.decision, c.rule): c for c in clause_changes(old, new)}
    for rule in ("first-six-free", "beyond-six-billed"):
        assert changes["room_booking", rule].kind == "added"
    assert changes["research_contribution", "synthesis-shared-in-time"].kind == "added"
    assert changes["progress_report", "no-day-meets-both"].kind == "added"
    instrument = changes["instrument", "instrument-in-force"]
    assert instrument.kind == "changed"
    assert "outcome" in instrument.fields
    assert instrument.old is not None and instrument.old.outcome == "convention_2022_2024"
    assert instrument.new is not None and instrument.new.outcome == "amendment_2025"
    constants = {c.name: (c.old, c.new) for c in constant_changes(old, new)}
    assert constants["instrument_last_day"] == ("2024-12-31", "2025-12-31")


def test_the_amendment_moves_the_room_booking_rows(tmp_path: Path) -> None:
    table = tmp_path / "rooms.csv"
    table.write_text(
        "reservations_in_year,as_of\n6,2025-06-01\n7,2025-06-01\n,2025-06-01\n", encoding="utf-8"
    )
    rs = load_ruleset("departement-askoria")
    old, new = Side(rs, "convention_2022_2024"), Side(rs, "amendment_2025")
    impact = diff_rows(old, new, "room_booking", read_table(table, rs.facts))
    assert impact.total == 3
    rows = {change.row: change for change in impact.rows}
    assert rows[1].old.outcome == "not_covered"
    # 6 <= 6: free, none left; 7 > 6: billed, the first billed one.
    assert (rows[1].new.outcome, dict(rows[1].new.values)) == (
        "free",
        {"free_left": 0, "billable_count": 0},
    )
    assert (rows[2].new.outcome, dict(rows[2].new.values)) == (
        "billable",
        {"free_left": 0, "billable_count": 1},
    )
    assert rows[3].new.outcome == "undetermined"
    assert rows[3].new.missing == ("reservations_in_year",)
    assert impact.summary == {
        ("not_covered", "free"): 1,
        ("not_covered", "billable"): 1,
        ("not_covered", "undetermined"): 1,
    }


def _edited_gsot(tmp_path: Path) -> Path:
    text = (RULESETS / "gsot-master.yaml").read_text(encoding="utf-8")
    edited = text.replace(
        "minimum_candidates:\n    value: 6\n", "minimum_candidates:\n    value: 5\n", 1
    ).replace(
        "when: admitted_candidates >= minimum_candidates",
        "when: admitted_candidates > minimum_candidates - 1",
        1,
    )
    assert edited.count("value: 5\n") >= 1 and edited != text
    path = tmp_path / "gsot-master.yaml"
    path.write_text(edited, encoding="utf-8")
    return path


def test_an_edited_copy_lists_its_clause_and_the_rows_it_moves(tmp_path: Path) -> None:
    edited = _edited_gsot(tmp_path)
    table = tmp_path / "cohorts.csv"
    table.write_text(
        "admitted_candidates,as_of\n4,2024-09-01\n5,2024-09-01\n6,2024-09-01\n", encoding="utf-8"
    )
    status, out, err = call(
        "diff",
        "gsot-master",
        str(edited),
        "--decision",
        "opening",
        "--cases",
        str(table),
        "--json",
    )
    assert status == 0, err
    body = json.loads(out)
    assert [(c["rule"], c["kind"], c["fields"]) for c in body["clauses"]] == [
        ("cohort-reached", "changed", ["condition"])
    ]
    assert {"constant": "minimum_candidates", "old": 6, "new": 5} in body["constants"]
    moved = {row["row"]: row for row in body["rows"]}
    # 4 admitted: still does_not_open, but 5 - 4 = 1 missing instead of 6 - 4 = 2.
    assert moved[1]["old"]["values"] == {"missing_candidates": 2}
    assert moved[1]["new"]["values"] == {"missing_candidates": 1}
    # 5 admitted: does_not_open -> opens (5 >= 5).
    assert (moved[2]["old"]["outcome"], moved[2]["new"]["outcome"]) == ("does_not_open", "opens")
    assert 3 not in moved  # 6 opens on both sides, nothing missing
    assert {"old": "does_not_open", "new": "opens", "rows": 1} in body["summary"]


def test_against_a_git_revision_of_itself(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    path = repo / "gsot-master.yaml"
    path.write_text((RULESETS / "gsot-master.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)  # noqa: S603
    subprocess.run([*git, "add", "gsot-master.yaml"], cwd=repo, check=True)  # noqa: S603
    subprocess.run([*git, "commit", "-qm", "v1"], cwd=repo, check=True)  # noqa: S603
    path.write_text(_edited_gsot(tmp_path).read_text(encoding="utf-8"), encoding="utf-8")
    status, out, err = call(
        "diff",
        str(path),
        "--rev",
        "HEAD",
        "--decision",
        "opening",
        "--generate",
        "200",
        "--as-of",
        "2024-09-01",
    )
    assert status == 0, err
    assert "changed opening/cohort-reached (condition)" in out
    assert "constant minimum_candidates: 6 -> 5" in out
    assert "does_not_open ->" in out
    status, _, err = call("diff", str(path), "--rev", "no-such-rev")
    assert status == 2
    assert "no-such-rev" in err


def test_bad_input_is_a_clear_error(tmp_path: Path) -> None:
    status, _, err = call("diff", "departement-askoria", "--from-version", "v9")
    assert status == 2
    assert "convention_2022_2024" in err
    table = tmp_path / "bad.csv"
    table.write_text("reservations_in_year\n3\nmany\n", encoding="utf-8")
    with pytest.raises(FactError, match="row 2") as info:
        read_table(table, load_ruleset("departement-askoria").facts)
    assert info.value.fact == "reservations_in_year"


def test_generated_rows_are_reproducible_and_a_ruleset_against_itself_moves_none() -> None:
    rs = load_ruleset("occitanie-forpro-sup")
    inputs = rs.decision_spec("eligibility").inputs
    rows = generate_rows(rs.facts, inputs, 300, date(2025, 1, 1), seed=3)
    assert rows == generate_rows(rs.facts, inputs, 300, date(2025, 1, 1), seed=3)
    impact = diff_rows(Side(rs), Side(rs), "eligibility", rows)
    assert impact.rows == ()
    assert sum(impact.summary.values()) == 300
    assert all(old == new for old, new in impact.summary)


def test_the_columnar_diff_agrees_with_the_row_by_row_diff(tmp_path: Path) -> None:
    from convention_rules.impact.table import diff_table, generate_table

    cases = [
        ("departement-askoria", "convention_2022_2024", "amendment_2025", None, "room_booking"),
        ("departement-askoria", "convention_2022_2024", "amendment_2025", None, "progress_report"),
        ("gsot-master", None, None, _edited_gsot(tmp_path), "opening"),
        ("gsot-master", None, None, None, "jury_composition"),
    ]
    day = date(2025, 6, 1)
    for ruleset_id, from_version, to_version, edited, decision in cases:
        rs = load_ruleset(ruleset_id)
        old = Side(rs, from_version)
        if edited is None:
            new = Side(rs, to_version)
        else:
            with pytest.warns(UserWarning, match="bundled ruleset"):
                new = Side(load_ruleset(edited), to_version)
        table = generate_table(rs.facts, rs.decision_spec(decision).inputs, 1500, day, seed=5)
        rows = [
            (
                {
                    k: (v.isoformat() if isinstance(v, date) else v)
                    for k, v in r.items()
                    if v is not None
                },
                day,
            )
            for r in table.to_pylist()
        ]
        columnar = diff_table(old, new, decision, table, as_of=day)
        scalar = diff_rows(old, new, decision, rows)
        assert columnar.summary == scalar.summary, decision
        assert [(c.row, c.old, c.new) for c in columnar.rows] == [
            (c.row, c.old, c.new) for c in scalar.rows
        ], decision
        assert columnar.rows_changed == scalar.rows_changed


def test_a_parquet_table(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "rooms.parquet"
    pq.write_table(pa.table({"reservations_in_year": pa.array([6, 7, None])}), path)
    status, out, err = call(
        "diff",
        "departement-askoria",
        "--from-version",
        "convention_2022_2024",
        "--to-version",
        "amendment_2025",
        "--decision",
        "room_booking",
        "--cases",
        str(path),
        "--as-of",
        "2025-06-01",
        "--json",
    )
    assert status == 0, err
    body = json.loads(out)
    assert body["rows_changed"] == 3
    assert body["rows"][1]["new"] == {
        "outcome": "billable",
        "values": {"free_left": 0, "billable_count": 1},
        "missing": [],
    }


def test_a_decision_the_columnar_evaluator_cannot_take_is_diffed_row_by_row() -> None:
    # Occitanie eligibility is dated by its term (given(training_entry)), which decide_table
    # does not evaluate yet: diff answers it row by row; a ruleset against itself moves nothing.
    status, out, err = call(
        "diff",
        "occitanie-forpro-sup",
        "--decision",
        "eligibility",
        "--generate",
        "300",
        "--as-of",
        "2025-01-01",
    )
    assert status == 0, err
    assert "0 of 300 rows change (eligibility)" in out
