"""Case-file failures: a diff of expected and actual, the same from the CLI and from pytest.

The actual figures come from the agreement text: gsot-master art. 3-1 opens the master "à partir de
6" admitted candidates, so 5 admitted do not open it and 6 - 5 = 1 candidate is missing.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from convention_rules.cli.main import run
from convention_rules.tools.casefiles import check_case, read_cases, render_failure

WRONG = """\
ruleset: gsot-master
cases:
  - name: wrong on every part
    decision: opening
    as_of: 2024-09-01
    facts: {admitted_candidates: 5}
    expect:
      outcome: opens
      values: {missing_candidates: 0, surplus: 1}
      missing: []
      rules: [cohort-reached]
    why: a deliberately wrong expectation
  - name: right
    decision: opening
    as_of: 2024-09-01
    facts: {admitted_candidates: 5}
    expect: {outcome: does_not_open, values: {missing_candidates: 1}, rules: [minimum-cohort]}
  - name: the count is missing
    decision: opening
    as_of: 2024-09-01
    facts: {}
    expect: {outcome: undetermined, missing: []}
  - name: an error that does not come
    decision: opening
    as_of: 2024-09-01
    facts: {admitted_candidates: 6}
    expect: {error: admitted_candidates, accepts: [">= 0"]}
  - name: an error on another fact
    decision: opening
    as_of: 2024-09-01
    facts: {admitted_candidates: -1}
    expect: {error: jury_date, accepts: [YYYY-MM-DD]}
"""


def _cases(tmp_path: Path) -> Path:
    path = tmp_path / "wrong.cases.yaml"
    path.write_text(WRONG, encoding="utf-8")
    return path


def test_each_part_that_differs_is_one_difference(tmp_path: Path) -> None:
    every, right, count_missing, no_error, other_error = read_cases(_cases(tmp_path))
    failure = check_case(every)
    assert failure is not None
    parts = {d.part: d for d in failure.differences}
    assert list(parts) == ["outcome", "values.missing_candidates", "values.surplus", "rules"]
    assert (parts["outcome"].expected, parts["outcome"].actual) == ("opens", "does_not_open")
    assert (
        parts["values.missing_candidates"].expected,
        parts["values.missing_candidates"].actual,
    ) == ("0", "1")
    assert (parts["values.surplus"].expected, parts["values.surplus"].actual) == ("1", "(absent)")
    assert parts["rules"].expected == "[cohort-reached]"
    assert parts["rules"].actual == "[minimum-cohort]"
    assert parts["rules"].note == "only expected: cohort-reached; only actual: minimum-cohort"
    assert check_case(right) is None
    missing = check_case(count_missing)
    assert missing is not None
    [difference] = missing.differences
    assert (difference.part, difference.expected, difference.actual) == (
        "missing",
        "[]",
        "[admitted_candidates]",
    )
    refused = check_case(no_error)
    assert refused is not None
    assert refused.problems == (
        "error: expected an error on admitted_candidates, actual outcome opens",
    )
    wrong_fact = check_case(other_error)
    assert wrong_fact is not None
    assert wrong_fact.differences[0].actual.startswith("FactError on admitted_candidates")


def test_the_report_puts_expected_beside_actual(tmp_path: Path) -> None:
    failure = check_case(read_cases(_cases(tmp_path))[0])
    assert failure is not None
    lines = render_failure(failure).splitlines()
    assert lines[0].endswith("wrong.cases.yaml:3:5: FAIL opening: wrong on every part")
    assert lines[1] == '    facts {"admitted_candidates": 5}, as_of 2024-09-01'
    assert lines[2].split() == ["expected", "actual"]
    assert lines[3].split() == ["outcome", "opens", "does_not_open"]
    assert lines[4].split() == ["values.missing_candidates", "0", "1"]
    # the columns line up: every actual starts where the header's "actual" does
    column = lines[2].index("actual")
    assert all(line[column - 2 : column] == "  " and line[column] != " " for line in lines[3:6])
    assert lines[-1] == "    why (hand computation): a deliberately wrong expectation"


def test_the_command_reports_failures_a_summary_and_exit_1(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    status = run(["test", str(_cases(tmp_path))], out, err, io.StringIO())
    assert status == 1
    text = out.getvalue()
    assert text.splitlines()[-1] == "1 passed, 4 failed"
    assert text.count(": FAIL opening: ") == 4
    folder = io.StringIO()
    assert run(["test", str(tmp_path)], folder, err, io.StringIO()) == 1  # a folder of case files
    assert folder.getvalue() == text


def test_an_unknown_path_exits_2_naming_it(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run(["test", str(tmp_path / "nowhere.cases.yaml")], out, err, io.StringIO()) == 2
    assert "nowhere.cases.yaml" in err.getvalue()


def test_pytest_reports_the_same_diff(tmp_path: Path) -> None:
    path = _cases(tmp_path)
    result = subprocess.run(  # noqa: S603 - this interpreter's pytest, no shell
        [sys.executable, "-m", "pytest", str(path), "-p", "no:cacheprovider", "-q"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout
    failure = check_case(read_cases(path)[0])
    assert failure is not None
    report = render_failure(failure).splitlines()
    body = result.stdout
    for line in report[1:]:  # the first line names the file as pytest was given it
        assert line in body, line
    assert "1 passed" in body
    assert "4 failed" in body
