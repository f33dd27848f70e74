"""convention-rules lint: overlaps, gaps and dead rules, each shown by decide.

The expected findings come from the fixtures' text (what each was written to break) and
hand computations (CPC art. 641: 31 January 2023 + 1 month = 28 February 2023, 28 days
later); every counterexample is checked by deciding it, never by reading the linter.
"""

from __future__ import annotations

import json
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest
from authoring_helpers import FIXTURES, call, line_of, rule, write

from convention_rules import EvaluationError, load_ruleset
from convention_rules._registry import bundled_dir, bundled_rulesets
from convention_rules.authoring.lint import LintFinding, lint_ruleset


def _lint(path: Path, **options: float) -> dict[str, list[LintFinding]]:
    report = lint_ruleset(path, **options)
    kinds: dict[str, list[LintFinding]] = {}
    for finding in report.findings:
        kinds.setdefault(finding.kind, []).append(finding)
    return kinds


def test_lint_finds_the_overlap_the_gap_and_the_dead_rule_once_each() -> None:
    path = FIXTURES / "broken-lint.yaml"
    kinds = _lint(path)
    assert sorted(kinds) == ["dead", "gap", "overlap"]
    assert all(len(found) == 1 for found in kinds.values())
    assert kinds["overlap"][0].rules == ("eligible", "too-short")
    assert kinds["dead"][0].rules == ("impossible",)
    assert kinds["dead"][0].location.line == line_of(path, "- id: impossible")


def test_each_counterexample_shows_its_problem_through_decide() -> None:
    path = FIXTURES / "broken-lint.yaml"
    ruleset = load_ruleset(path)
    kinds = _lint(path)
    overlap, gap = kinds["overlap"][0], kinds["gap"][0]
    assert overlap.facts is not None and gap.facts is not None
    # overlap: registered with 420 <= hours < 500 (the fixture's two conditions)
    assert overlap.facts["registered"] is True and 420 <= overlap.facts["hours"] < 500
    with pytest.raises(EvaluationError, match=r"'eligible'.*'too-short'.*both apply"):
        ruleset.decide("eligibility", overlap.facts, as_of=overlap.as_of)
    # gap: a trainee not registered, with 500 hours or more
    assert gap.facts["registered"] is False and gap.facts["hours"] >= 500
    with pytest.raises(EvaluationError, match="no rule"):
        ruleset.decide("eligibility", gap.facts, as_of=gap.as_of)


def test_the_printed_command_reproduces_the_overlap_on_the_command_line() -> None:
    finding = _lint(FIXTURES / "broken-lint.yaml")["overlap"][0]
    command = finding.command()
    assert command is not None
    facts = command.split("'")[1]
    assert json.loads(facts) == finding.facts
    assert finding.as_of is not None
    status, _, err = call(
        "decide",
        finding.target,
        "eligibility",
        "--as-of",
        finding.as_of.isoformat(),
        "--facts",
        "-",
        stdin=facts,
    )
    assert status == 2
    assert "both apply" in err


def test_the_dead_rule_never_fires_on_any_fact_combination() -> None:
    ruleset = load_ruleset(FIXTURES / "broken-lint.yaml")
    fired = set()
    for hours in range(0, 1001, 7):
        for registered in (True, False):
            try:
                answer = ruleset.decide(
                    "eligibility",
                    {"hours": hours, "registered": registered},
                    as_of=date(2025, 1, 1),
                )
            except EvaluationError:
                continue
            fired.update(entry.rule for entry in answer.trace)
    assert "impossible" not in fired
    assert {"eligible", "too-short"} <= fired  # the loop does reach the live rules


def test_lint_exits_1_and_prints_the_command(tmp_path: Path) -> None:
    status, out, _ = call("lint", str(FIXTURES / "broken-lint.yaml"))
    assert status == 1
    assert "convention-rules decide" in out
    assert out.rstrip().endswith("3 findings")


def test_a_hit_time_bound_is_a_finding_that_says_so() -> None:
    kinds = _lint(FIXTURES / "broken-lint.yaml", timeout=0.0)
    assert list(kinds) == ["timeout"]
    assert "did not finish within 0 s" in kinds["timeout"][0].message


def test_month_arithmetic_is_exact_at_month_ends(tmp_path: Path) -> None:
    # start + 1 month is 28 to 31 days later (CPC art. 641 clamp), so 27 days never.
    # In late January 2023: 29 Jan -> 28 Feb is 30 days, 30 Jan -> 29 days, 31 Jan -> 28.
    path = write(
        tmp_path,
        textwrap.dedent(
            """\
        facts:
          start: {type: date}
        decisions:
          d:
            title: D
            outcomes: [short, other]
            otherwise: {outcome: other, article: "1", text: clause}
            rules:
        """
        )
        + rule("never", "start + 1 month == start + 27 days", "short")
        + rule("february", "start + 1 month == start + 28 days and start < 2024-01-01", "short")
        + rule("late-january", "start >= 2023-01-29 and start <= 2023-01-31", "other"),
    )
    kinds = _lint(path)
    assert sorted(kinds) == ["dead", "overlap"]
    assert kinds["dead"][0].rules == ("never",)
    overlap = kinds["overlap"][0]
    # only 31 January 2023 is both within late January and 28 days before its +1 month
    assert overlap.facts == {"start": "2023-01-31"}
    with pytest.raises(EvaluationError, match="both apply"):
        load_ruleset(path).decide("d", overlap.facts, as_of=overlap.as_of)


def test_an_absent_event_makes_comparisons_false_not_unknown(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        textwrap.dedent(
            """\
        facts:
          appeal: {type: date, optional: true}
        decisions:
          d:
            title: D
            outcomes: [pending, decided]
            rules:
        """
        )
        + rule("no-appeal", "not present(appeal)", "pending")
        + rule("appealed", "appeal <= as_of", "decided"),
    )
    kinds = _lint(path)
    # no overlap (an absent appeal is not <= as_of); a gap: an appeal after as_of
    assert list(kinds) == ["gap"]
    gap = kinds["gap"][0]
    assert gap.facts is not None and gap.as_of is not None
    assert date.fromisoformat(gap.facts["appeal"]) > gap.as_of


def test_exceptions_resolve_overlaps_and_a_base_always_beaten_is_shadowed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        textwrap.dedent(
            """\
        facts:
          hours: {type: int, min: 0}
        decisions:
          d:
            title: D
            outcomes: [low, high]
            rules:
        """
        )
        + rule("small", "hours < 10", "low")
        + rule("medium", "hours >= 10", "high")
        + rule("capped", "hours >= 20", "low", ", exception_to: medium")
        + rule("over-fifty", "hours >= 50", "low")
        + rule("over-forty", "hours >= 40", "low", ", exception_to: over-fifty"),
    )
    kinds = _lint(path)
    assert list(kinds) == ["shadowed"]
    assert kinds["shadowed"][0].rules == ("over-fifty",)


def test_an_allowed_overlap_is_a_documented_reading(tmp_path: Path) -> None:
    body = textwrap.dedent(
        """\
        facts:
          hours: {type: int, min: 0}
        decisions:
          d:
            title: D
            outcomes: [low, high]
            rules:
        """
    )
    path = write(
        tmp_path,
        body + rule("low", "hours < 20", "low") + rule("high", "hours >= 10", "high"),
    )
    assert list(_lint(path)) == ["overlap"]
    allowed = rule(
        "high", "hours >= 10", "high", ", lint: {allow: [overlap], reading: both on purpose}"
    )
    path = write(tmp_path, body + rule("low", "hours < 20", "low") + allowed)
    assert _lint(path) == {}


def test_an_unread_fact_and_an_uncomputed_value(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        textwrap.dedent(
            """\
        facts:
          hours: {type: int, min: 0}
          unused: {type: bool}
        decisions:
          d:
            title: D
            outcomes: [low]
            values:
              extra: {value: hours + 1, when: hours < 0}
            rules:
        """
        )
        + rule("all", "hours >= 0", "low"),
    )
    kinds = _lint(path)
    assert sorted(kinds) == ["uncomputed", "unread"]
    assert "'unused'" in kinds["unread"][0].message
    assert "'extra'" in kinds["uncomputed"][0].message


def test_public_holidays_are_over_approximated_and_decide_refutes_the_models(
    tmp_path: Path,
) -> None:
    # next_working_day(d) is d itself on a working day (CPC art. 642), so a day that is not
    # a working day never has next_working_day(d) == d: the two rules never overlap. The
    # solver, which knows no holidays, finds models; decide refutes each, and lint says so.
    path = write(
        tmp_path,
        textwrap.dedent(
            """\
        facts:
          d: {type: date}
        decisions:
          x:
            title: X
            outcomes: [same, other]
            otherwise: {outcome: other, article: "1", text: clause}
            rules:
        """
        )
        + rule("same", 'next_working_day(d, "FR") == d', "same")
        + rule("closed", 'not is_working_day(d, "FR")', "other")
        + rule("never", 'next_working_day(d, "FR") < next_working_day(d, "FR")', "same"),
    )
    report = lint_ruleset(path)
    # one term is one value: 'never' is dead even through the over-approximation
    assert [(f.kind, f.rules) for f in report.findings] == [("dead", ("never",))]
    assert len(report.notes) == 1
    assert "decide refutes" in report.notes[0]
    assert "next_working_day()" in report.notes[0]


def test_the_linter_sees_a_broken_exception_in_a_bundled_ruleset(tmp_path: Path) -> None:
    source = bundled_dir() / "occitanie-forpro-sup.yaml"
    text = source.read_text()
    assert "exception_to: breach-after-formal-notice" in text
    path = tmp_path / "occitanie.yaml"
    path.write_text(text.replace("exception_to: breach-after-formal-notice", "reading: cut"))
    kinds = _lint(path)
    assert "overlap" in kinds
    ruleset = load_ruleset(path)
    for finding in kinds["overlap"]:
        with pytest.raises(EvaluationError, match="both apply"):
            ruleset.decide(finding.decision, finding.facts, as_of=finding.as_of)


@pytest.mark.parametrize("ruleset_id", bundled_rulesets())
def test_the_bundled_rulesets_lint_clean(ruleset_id: str) -> None:
    report = lint_ruleset(bundled_dir() / f"{ruleset_id}.yaml")
    assert [f.render() for f in report.findings] == []


def test_month_arithmetic_in_z3_equals_legal_time_at_month_ends() -> None:
    import z3

    from convention_rules.authoring.smt import Encoder
    from convention_rules.law import legaltime as lt

    ends = [
        date(y, m, 1) - timedelta(days=k)
        for y in (2023, 2024, 2101)
        for m in range(1, 13)
        for k in (1, 3)
    ]
    days = [*ends, date(2000, 2, 29), date(2024, 2, 29), date(2100, 2, 28), date(1950, 1, 1)]
    shifts = (-13, -1, 1, 6, 12, 25)
    for day in days:
        encoder = Encoder({}, (), {}, {})
        x = z3.Int("x")
        added = {n: encoder.add_months(x, n) for n in shifts}
        before = {
            n: encoder.at_least_before(x, lt.Period(n, lt.Unit.MONTHS)) for n in shifts if n > 0
        }
        solver = z3.Solver()
        solver.add(*encoder.side, x == day.toordinal())
        assert solver.check() == z3.sat
        model = solver.model()
        for n, term in added.items():
            assert date.fromordinal(model.eval(term).as_long()) == lt.add_months(day, n), (day, n)
        for n, term in before.items():
            expected = lt.at_least_before(day, lt.Period(n, lt.Unit.MONTHS))
            assert date.fromordinal(model.eval(term).as_long()) == expected, (day, n)


def test_lint_without_z3_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.delitem(sys.modules, "convention_rules.authoring.lint", raising=False)
    monkeypatch.delitem(sys.modules, "convention_rules.authoring.smt", raising=False)
    monkeypatch.setitem(sys.modules, "z3", None)  # import z3 now raises ModuleNotFoundError
    status, _, err = call("lint", str(FIXTURES / "broken-lint.yaml"))
    assert status == 2
    assert "pip install 'convention-rules[lint]'" in err


def test_an_amendment_overlap_is_found_in_its_version_only(tmp_path: Path) -> None:
    # The base version has one rule; the 2025 amendment adds a rule that overlaps it.
    # The counterexample's day must select the amendment (Ruleset.version_at).
    path = write(
        tmp_path,
        textwrap.dedent(
            """\
        versions:
          - {id: base, title: Base, from: 2022-01-01, to: 2024-12-31}
          - id: amendment
            title: Avenant
            from: 2025-01-01
            to: 2025-12-31
            article: "3"
            text: clause
            amends:
              decisions:
                d:
                  rules:
                    - {id: added, when: hours >= 5, outcome: high, article: "3", text: clause}
        facts:
          hours: {type: int, min: 0}
        decisions:
          d:
            title: D
            outcomes: [low, high]
            otherwise: {outcome: high, article: "1", text: clause}
            rules:
        """
        )
        + rule("low", "hours < 10", "low"),
    )
    overlap = _lint(path)["overlap"]
    assert len(overlap) == 1
    found = overlap[0]
    assert found.rules == ("low", "added")
    assert found.as_of is not None and found.as_of >= date(2025, 1, 1)
    assert found.facts is not None and 5 <= found.facts["hours"] < 10
    ruleset = load_ruleset(path)
    with pytest.raises(EvaluationError, match="both apply"):
        ruleset.decide("d", found.facts, as_of=found.as_of)
    assert ruleset.decide("d", found.facts, as_of=date(2024, 6, 1)).outcome == "low"


def test_lint_json_gives_each_finding_with_its_facts() -> None:
    status, out, _ = call("lint", "--json", str(FIXTURES / "broken-lint.yaml"))
    assert status == 1
    document = json.loads(out)
    kinds = {finding["kind"]: finding for finding in document["findings"]}
    assert sorted(kinds) == ["dead", "gap", "overlap"]
    gap = kinds["gap"]
    assert gap["facts"]["registered"] is False and gap["facts"]["hours"] >= 500
    assert "facts" not in kinds["dead"]
    assert document["queries"] > 0
