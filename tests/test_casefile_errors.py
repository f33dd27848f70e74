"""Error cases in case files check the fact and what the error says it accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from convention_rules import RulesetError
from convention_rules.tools.casefiles import check_case, read_cases

RULESET = Path(__file__).parent / "semantics" / "connectives.yaml"


def _cases(tmp_path: Path, expect: str) -> Path:
    path = tmp_path / "t.cases.yaml"
    path.write_text(
        f"ruleset: {RULESET}\ncases:\n  - name: n is refused\n    decision: needs\n"
        f"    as_of: 2025-01-01\n    facts: {{n: -1}}\n    expect: {expect}\n",
        encoding="utf-8",
    )
    return path


def test_an_error_case_passes_when_the_error_names_the_fact_and_what_it_accepts(
    tmp_path: Path,
) -> None:
    (case,) = read_cases(_cases(tmp_path, '{error: n, accepts: [">= 0"]}'))
    assert check_case(case) is None


def test_an_error_that_does_not_say_what_it_accepts_fails_the_case(tmp_path: Path) -> None:
    (case,) = read_cases(_cases(tmp_path, '{error: n, accepts: [">= 5"]}'))
    failure = check_case(case)
    assert failure is not None
    assert "an error saying it accepts ['>= 5']" in str(failure)


def test_an_error_on_another_fact_fails_the_case(tmp_path: Path) -> None:
    (case,) = read_cases(_cases(tmp_path, '{error: p, accepts: [">= 0"]}'))
    failure = check_case(case)
    assert failure is not None
    assert "FactError on n" in str(failure)


def test_an_error_case_must_say_what_is_accepted(tmp_path: Path) -> None:
    with pytest.raises(RulesetError, match=r"t\.cases\.yaml:7:\d+: an error case names"):
        read_cases(_cases(tmp_path, "{error: n}"))
