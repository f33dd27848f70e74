"""``convention-rules decide-batch``: CSV and Parquet files, chunk by chunk, with a summary."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from convention_rules import load_ruleset
from convention_rules.cli.main import run
from convention_rules.tools.cohorts import cohort

AS_OF = "2025-01-01"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(*args: str, stderr: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), stderr if stderr is not None else io.StringIO()
    status = run(["decide-batch", *args], out, err)
    return status, out.getvalue(), err.getvalue()


# ForPro Sup art. 3-2: registered, out of initial education « depuis plus de deux ans ».
# Expected answers by hand: the second anniversary of 2022-06-30 is 2024-06-30, so an entry
# on 2024-09-02 is eligible and eligible_from is 2024-07-01; an entry on the anniversary
# itself is not; an unregistered person is not; a missing date with a registered person
# leaves the answer open; 2023-02-29 does not exist.
FORPRO_CSV = """registered_jobseeker,initial_education_end,training_entry,file_id
true,2022-06-30,2024-09-02,A1
false,2020-01-01,2024-01-01,A2
true,2022-06-30,2024-06-30,A3
true,,2024-09-02,A4
true,2023-02-29,2024-09-02,A5
"""


def test_csv_to_csv_hand_computed(tmp_path: Path) -> None:
    source, target = tmp_path / "cases.csv", tmp_path / "answers.csv"
    source.write_text(FORPRO_CSV, encoding="utf-8")
    status, out, err = _run(
        "occitanie-forpro-sup", "eligibility", "--input", str(source), "--output", str(target),
        "--as-of", AS_OF, "--chunk-size", "2",
    )  # fmt: skip
    assert (status, err) == (0, "")
    assert out == (
        "decide-batch: 5 rows (eligible 1, ineligible 2, undetermined 1); "
        f"1 invalid rows; written to {target}\n"
    )
    rows = pa.csv.read_csv(target, convert_options=pa.csv.ConvertOptions(strings_can_be_null=True))
    answers = rows.to_pylist()
    assert [r["file_id"] for r in answers] == ["A1", "A2", "A3", "A4", "A5"]  # input kept, in order
    assert [r["outcome"] for r in answers[:4]] == [
        "eligible",
        "ineligible",
        "ineligible",
        "undetermined",
    ]
    assert answers[0]["eligible_from"] == date(2024, 7, 1)
    assert answers[3]["missing"] == "initial_education_end"
    assert answers[4]["error"] is not None and "initial_education_end" in answers[4]["error"]
    assert all(r["error"] is None for r in answers[:4])
    assert not (tmp_path / "answers.csv.partial").exists()


def test_parquet_chunks_agree_with_single_decisions(tmp_path: Path) -> None:
    rs = load_ruleset("occitanie-forpro-sup")
    rows = cohort(rs, "eligibility", 3_000, seed=21, missing=0.08, invalid=0.01)
    source = tmp_path / "cohort.parquet"
    pq.write_table(rows.to_arrow(), source)
    small, large = tmp_path / "small.parquet", tmp_path / "large.parquet"
    for target, chunk in ((small, "257"), (large, "100000")):
        status, out, _ = _run(
            "occitanie-forpro-sup", "eligibility", "--input", str(source), "--output",
            str(target), "--as-of", AS_OF, "--chunk-size", chunk,
        )  # fmt: skip
        assert status == 0
        assert out.startswith("decide-batch: 3,000 rows (")
    answers = pq.read_table(small)
    assert answers.equals(pq.read_table(large))  # chunking changes nothing
    for index, record in enumerate(rows.to_records()):
        row = answers.slice(index, 1).to_pylist()[0]
        if rows.invalid_rows[index]:
            assert row["error"] is not None
            continue
        expected = rs.decide("eligibility", record, as_of=date(2025, 1, 1))
        assert row["outcome"] == expected.outcome
        assert row["eligible_from"] == expected.values.get("eligible_from")
        assert list(row["missing"] or []) == list(expected.missing)


def test_bad_cell_in_a_later_chunk_marks_its_row_only(tmp_path: Path) -> None:
    """GSOT art. 3-1 (opens from 6 admitted candidates): the text 'twelve' in an int
    column, after a chunk of clean rows, is one invalid row, not a failed file."""
    source, target = tmp_path / "opening.csv", tmp_path / "opening.parquet"
    source.write_text("id,admitted_candidates\n1,6\n2,5\n3,7\n4,twelve\n5,\n", encoding="utf-8")
    status, out, _ = _run(
        "gsot-master", "opening", "--input", str(source), "--output", str(target),
        "--as-of", AS_OF, "--chunk-size", "3",
    )  # fmt: skip
    assert status == 0
    assert "(does_not_open 1, opens 2, undetermined 1); 1 invalid rows" in out
    answers = pq.read_table(target).to_pylist()
    assert [r["outcome"] for r in answers[:3]] == ["opens", "does_not_open", "opens"]
    assert "admitted_candidates" in answers[3]["error"]
    assert answers[4]["outcome"] == "undetermined"


def test_missing_column_exits_2_with_one_line(tmp_path: Path) -> None:
    source, target = tmp_path / "cases.csv", tmp_path / "answers.csv"
    source.write_text("registered_jobseeker,training_entry\ntrue,2024-09-02\n", encoding="utf-8")
    status, out, err = _run(
        "occitanie-forpro-sup", "eligibility", "--input", str(source), "--output", str(target)
    )
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert "initial_education_end" in err and str(source) in err
    assert not target.exists() and not Path(f"{target}.partial").exists()


@pytest.mark.parametrize("kind", ["absent", "garbage", "extension", "empty"])
def test_unreadable_input_exits_2_with_one_line(tmp_path: Path, kind: str) -> None:
    source = {
        "absent": tmp_path / "nowhere.csv",
        "garbage": tmp_path / "broken.parquet",
        "extension": tmp_path / "cases.xlsx",
        "empty": tmp_path / "empty.csv",
    }[kind]
    if kind == "garbage":
        source.write_bytes(b"PAR1 this is not a parquet file")
    elif kind in ("extension", "empty"):
        source.write_text("", encoding="utf-8")
    target = tmp_path / "answers.parquet"
    status, out, err = _run(
        "gsot-master", "opening", "--input", str(source), "--output", str(target)
    )
    assert (status, out) == (2, "")
    assert err.startswith("convention-rules: ") and err.count("\n") == 1
    assert str(source) in err
    assert "Traceback" not in err
    assert not target.exists()


def test_unknown_output_extension_exits_2(tmp_path: Path) -> None:
    source = tmp_path / "opening.csv"
    source.write_text("admitted_candidates\n6\n", encoding="utf-8")
    status, _, err = _run(
        "gsot-master", "opening", "--input", str(source), "--output", str(tmp_path / "out.json")
    )
    assert status == 2 and "out.json" in err and err.count("\n") == 1


def test_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    source = tmp_path / "opening.csv"
    source.write_text("admitted_candidates\n" + "6\n" * 50, encoding="utf-8")
    piped = _run(
        "gsot-master", "opening", "--input", str(source), "--output", str(tmp_path / "a.csv")
    )
    assert piped[0] == 0 and piped[2] == ""
    terminal = _Terminal()
    shown = _run(
        "gsot-master", "opening", "--input", str(source), "--output", str(tmp_path / "b.csv"),
        "--chunk-size", "10", stderr=terminal,
    )  # fmt: skip
    assert shown[0] == 0
    assert "decide-batch" in terminal.getvalue() and "50" in terminal.getvalue()


def test_malformed_csv_row_exits_2_and_leaves_no_output(tmp_path: Path) -> None:
    source, target = tmp_path / "ragged.csv", tmp_path / "answers.parquet"
    source.write_text("id,admitted_candidates\n1,6\n2,5,extra\n", encoding="utf-8")
    status, out, err = _run(
        "gsot-master", "opening", "--input", str(source), "--output", str(target)
    )
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and str(source) in err and "Traceback" not in err
    assert not target.exists() and not Path(f"{target}.partial").exists()


@pytest.mark.parametrize(
    ("argument", "value", "named"),
    [("--chunk-size", "0", "--chunk-size"), ("--output", "missing-dir/out.csv", "missing-dir")],
)
def test_bad_arguments_exit_2(tmp_path: Path, argument: str, value: str, named: str) -> None:
    source = tmp_path / "opening.csv"
    source.write_text("admitted_candidates\n6\n", encoding="utf-8")
    args = {"--input": str(source), "--output": str(tmp_path / "out.csv"), argument: value}
    if argument == "--output":
        args["--output"] = str(tmp_path / value)
    flat = [item for pair in args.items() for item in pair]
    status, out, err = _run("gsot-master", "opening", *flat)
    assert (status, out) == (2, "")
    assert named in err and err.count("\n") == 1


def test_money_as_text_and_as_decimal(tmp_path: Path) -> None:
    """ForPro Sup art. 6-2: the Région pays half of the fees for the DAEU. Half of
    100.01 EUR is 50.005, rounded half-up to 50.01; the trainee pays the other 50.00."""
    source, target = tmp_path / "fees.csv", tmp_path / "fees.out.csv"
    source.write_text(
        "programme,registration_fees\ndaeu,100.01\nother,50.00\ndaeu,12.345\n", encoding="utf-8"
    )
    status, out, _ = _run(
        "occitanie-forpro-sup", "registration_fee_subsidy", "--input", str(source),
        "--output", str(target), "--as-of", AS_OF,
    )  # fmt: skip
    assert status == 0 and "1 invalid rows" in out
    text = target.read_text(encoding="utf-8").splitlines()
    assert text[1].startswith('"daeu","100.01","subsidised",50.01,50.00,')
    assert text[2].startswith('"other","50.00","not_subsidised",0.00,50.00,')
    assert "registration_fees" in text[3]
    typed = tmp_path / "fees.parquet"
    fees = pa.array([Decimal("100.01"), Decimal("50.00")], type=pa.decimal128(10, 2))
    pq.write_table(pa.table({"programme": ["daeu", "other"], "registration_fees": fees}), typed)
    status, _, _ = _run(
        "occitanie-forpro-sup", "registration_fee_subsidy", "--input", str(typed),
        "--output", str(tmp_path / "fees.out.parquet"), "--as-of", AS_OF,
    )  # fmt: skip
    answers = pq.read_table(tmp_path / "fees.out.parquet").to_pylist()
    assert status == 0
    assert [(r["region_subsidy"], r["trainee_pays"]) for r in answers] == [
        (Decimal("50.01"), Decimal("50.00")),
        (Decimal("0.00"), Decimal("50.00")),
    ]


def test_interrupt_leaves_no_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from convention_rules.tools import batchfiles

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(batchfiles, "decide_chunk", interrupted)
    source, target = tmp_path / "opening.csv", tmp_path / "out.csv"
    source.write_text("admitted_candidates\n6\n", encoding="utf-8")
    status, out, err = _run(
        "gsot-master", "opening", "--input", str(source), "--output", str(target)
    )
    assert (status, out) == (130, "")
    assert err == "convention-rules: decide-batch interrupted; no output written\n"
    assert not target.exists() and not Path(f"{target}.partial").exists()


def test_deciding_an_output_again_replaces_its_answers(tmp_path: Path) -> None:
    source, first, second = tmp_path / "cases.csv", tmp_path / "one.csv", tmp_path / "two.csv"
    source.write_text(FORPRO_CSV, encoding="utf-8")
    common = ("occitanie-forpro-sup", "eligibility", "--as-of", AS_OF)
    assert _run(*common, "--input", str(source), "--output", str(first))[0] == 0
    assert _run(*common, "--input", str(first), "--output", str(second))[0] == 0
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")


def test_semicolon_separated_files(tmp_path: Path) -> None:
    source, target = tmp_path / "export.csv", tmp_path / "answers.csv"
    source.write_text(FORPRO_CSV.replace(",", ";"), encoding="utf-8")
    status, out, _ = _run(
        "occitanie-forpro-sup", "eligibility", "--input", str(source), "--output", str(target),
        "--as-of", AS_OF, "--delimiter", ";",
    )  # fmt: skip
    assert status == 0 and "(eligible 1, ineligible 2, undetermined 1); 1 invalid rows" in out
    header = target.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith('"registered_jobseeker";"initial_education_end";')
    status, _, err = _run(
        "occitanie-forpro-sup", "eligibility", "--input", str(source), "--output", str(target),
        "--delimiter", ";;",
    )  # fmt: skip
    assert status == 2 and "--delimiter" in err


def test_an_optional_fact_may_have_no_column(tmp_path: Path) -> None:
    """GSOT art. 7: notice 3 months before the 9 June anniversary; cursus_end is an event
    fact (absent: no cursus engaged). A notice delivered on 2025-03-09 counts for
    2025-06-09 (2025-03-09 + 3 months = 2025-06-09, on or before the anniversary)."""
    source, target = tmp_path / "notices.csv", tmp_path / "answers.parquet"
    source.write_text("notice_date\n2025-03-09\n2025-03-10\n", encoding="utf-8")
    status, _, err = _run(
        "gsot-master", "termination", "--input", str(source), "--output", str(target),
        "--as-of", AS_OF,
    )  # fmt: skip
    assert (status, err) == (0, "")
    answers = pq.read_table(target).to_pylist()
    assert [r["effective_date"] for r in answers] == [date(2025, 6, 9), date(2026, 6, 9)]


def test_parquet_text_as_categories_and_large_strings(tmp_path: Path) -> None:
    """A Parquet file written from pandas categories (dictionary columns) and large strings:
    the cells are typed like any text. GSOT art. 3-1: opens from 6 admitted candidates."""
    source, target = tmp_path / "opening.parquet", tmp_path / "answers.parquet"
    counts = pa.array(["6", "5", None], type=pa.large_string())
    pq.write_table(pa.table({"admitted_candidates": counts.dictionary_encode()}), source)
    status, out, _ = _run("gsot-master", "opening", "--input", str(source), "--output", str(target))
    assert status == 0 and "(does_not_open 1, opens 1, undetermined 1); 0 invalid rows" in out


def test_spreadsheet_export_in_cp1252(tmp_path: Path) -> None:
    source, target = tmp_path / "export.csv", tmp_path / "answers.csv"
    source.write_bytes("id;admitted_candidates;promotion\n1;6;Été 2025\n".encode("cp1252"))
    status, out, err = _run(
        "gsot-master", "opening", "--input", str(source), "--output", str(target),
        "--delimiter", ";", "--encoding", "cp1252",
    )  # fmt: skip
    assert (status, err) == (0, "") and "(opens 1)" in out
    assert '"Été 2025";"opens"' in target.read_text(encoding="utf-8")  # written as UTF-8
    status, _, err = _run("gsot-master", "opening", "--input", str(source), "--output", str(target))
    assert status == 2 and "UTF8" in err and err.count("\n") == 1
