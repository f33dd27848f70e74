"""validate and lint: fixture rulesets with known faults, each found once and shown by decide.

The expected findings come from the fixtures' text (what each was written to break) and
hand computations (CPC art. 641: 31 January 2023 + 1 month = 28 February 2023, 28 days
later); every counterexample is checked by deciding it, never by reading the linter.
"""

from __future__ import annotations

import io
import json
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convention_rules import EvaluationError, RulesetError, load_ruleset
from convention_rules._registry import bundled_dir, bundled_rulesets
from convention_rules.authoring.lint import LintFinding, lint_ruleset
from convention_rules.authoring.quotes import missing_fragment, normalise, value_in_clause
from convention_rules.authoring.validate import iter_findings, validate
from convention_rules.cli.main import run

FIXTURES = Path(__file__).parent / "fixtures" / "authoring"


def line_of(path: Path, needle: str) -> int:
    return next(i for i, row in enumerate(path.read_text().splitlines(), 1) if needle in row)


def call(*args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run(list(args), out, err, io.StringIO(stdin))
    return status, out.getvalue(), err.getvalue()


# -- validate ---------------------------------------------------------------------------


def test_validate_reports_each_fault_of_the_fixture_once() -> None:
    path = FIXTURES / "broken-validate.yaml"
    found = list(iter_findings(path))
    by_kind = {f.kind: f for f in found}
    assert sorted(f.kind for f in found) == ["citation", "load", "reading", "uncited"]
    type_error = by_kind["load"]
    assert type_error.location.line == line_of(path, 'hours >= "420"')
    assert type_error.message == "cannot compare int with text"
    uncited = by_kind["uncited"]
    assert uncited.location.line == line_of(path, "- id: too-short")
    assert "does not cite its clause" in uncited.message
    misquote = by_kind["citation"]
    assert misquote.location.line == line_of(path, "France Travail est toujours")
    assert "not in fixture-agreement.txt" in misquote.message
    reading = by_kind["reading"]
    assert reading.location.line == line_of(path, "refund_delay:")
    assert "'30 days'" in reading.message


def test_load_ruleset_still_raises_the_first_error_and_validate_the_best() -> None:
    path = FIXTURES / "broken-validate.yaml"
    with pytest.raises(RulesetError) as raised:
        load_ruleset(path)
    assert raised.value.location is not None
    assert raised.value.location.line == line_of(path, 'hours >= "420"')
    with pytest.raises(RulesetError) as best:
        validate(path)
    assert best.value.location is not None
    assert best.value.location.line == line_of(path, "refund_delay:")  # first in the file


def test_validate_gives_did_you_mean_hints_and_every_unknown_key(tmp_path: Path) -> None:
    source = FIXTURES / "broken-lint.yaml"
    text = source.read_text().replace("registered and hours", "registred and hours")
    text = text.replace("outcome: not_eligible", "outcom: not_eligible")
    text = text.replace("title: Is the trainee eligible?", "titel: Is the trainee eligible?")
    path = tmp_path / "typos.yaml"
    path.write_text(text)
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "fixture-agreement.txt").write_text(
        (FIXTURES / "sources" / "fixture-agreement.txt").read_text()
    )
    shown = [str(f) for f in iter_findings(path)]
    assert any("unknown name 'registred'" in s and "did you mean 'registered'?" in s for s in shown)
    assert any("'outcom'" in s and "did you mean 'outcome'?" in s for s in shown)
    assert any("'titel'" in s and "did you mean 'title'?" in s for s in shown)


def test_a_missing_source_text_is_one_finding(tmp_path: Path) -> None:
    path = tmp_path / "alone.yaml"
    path.write_text((FIXTURES / "broken-lint.yaml").read_text())
    found = list(iter_findings(path))
    assert [f.message for f in found if f.kind == "citation"] == [
        "source text not found: 'fixture-agreement.txt'"
    ]


def test_the_bundled_files_validate_clean() -> None:
    status, out, _ = call("validate")
    assert status == 0, out
    assert "finding" not in out


def test_validate_and_its_alias_exit_1_on_findings() -> None:
    for command in ("validate", "check"):
        status, out, _ = call(command, str(FIXTURES / "broken-validate.yaml"))
        assert status == 1
        assert out.rstrip().endswith("4 findings")


def test_quotes_are_compared_across_hyphenation_spacing_and_ocr_noise() -> None:
    source = normalise(
        "Le stagiaire est inscrit comme deman-\n  deur d\u2019emploi  depuis douze mois."
    )
    assert missing_fragment("inscrit comme demandeur d'emploi", source) is None
    assert missing_fragment("Le stagiaire (…) demandeur d'emploi", source) is None
    # one letter misread in a long stretch is OCR noise, another sentence is not
    assert (
        missing_fragment("Le stagiaire est inscrit comme demandeur d'emplol depuis", source) is None
    )
    assert missing_fragment("Le stagiaire est salarié depuis douze ans", source) is not None


def test_a_value_is_found_in_its_clause_in_words_digits_or_dates() -> None:
    assert value_in_clause("6 months", "moyennant un préavis de six mois")
    assert value_in_clause("8500.00 EUR", "soit 8 500 € par contrat")
    assert value_in_clause("2024-02-09", "à planifier le 8 ou 9 février 2024")
    assert not value_in_clause("2024-02-10", "à planifier le 8 ou 9 février 2024")
    assert not value_in_clause("30 days", "Les frais sont remboursés sur justificatif.")


# -- lint: the broken fixture ---------------------------------------------------------


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


# -- lint semantics on small synthetic rulesets ------------------------------------------

HEADER = """\
format: 1
id: synthetic
title: Synthetic
source: none.txt
"""


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "synthetic.yaml"
    path.write_text(HEADER + body)
    return path


def rule(rule_id: str, when: str, outcome: str, extra: str = "") -> str:
    return (
        f"      - {{id: {rule_id}, when: '{when}', outcome: {outcome}, "
        f'article: "1", text: clause{extra}}}\n'
    )


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


# -- the encoding against the library's own date arithmetic -----------------------------


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


# -- the JSON Schemas ---------------------------------------------------------------------


def _bundled_files() -> list[Path]:
    return sorted(bundled_dir().glob("*.yaml"))


@pytest.mark.parametrize("path", _bundled_files(), ids=lambda p: p.name)
def test_every_bundled_file_names_its_schema_and_validates_against_it(path: Path) -> None:
    import jsonschema

    from convention_rules.reading.positioned import load_yaml, to_plain

    kind = "cases" if path.name.endswith(".cases.yaml") else "ruleset"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    schema_path = (path.parent / first[len(prefix) :]).resolve()
    assert schema_path.name == f"{kind}.schema.json"
    assert schema_path.is_file()  # the relative path works from the repository
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    document = to_plain(load_yaml(path.read_text(encoding="utf-8"), str(path)))
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)


def test_the_schema_refuses_what_the_format_refuses() -> None:
    import jsonschema

    from convention_rules.authoring.schema import schema

    validator = jsonschema.Draft202012Validator(schema("ruleset"))
    rule = {"id": "r", "when": "true", "outcome": "x", "article": "1", "text": "t"}
    good = {
        "format": 1,
        "id": "x",
        "title": "X",
        "source": "s.txt",
        "facts": {"n": {"type": "int"}},
        "decisions": {"d": {"title": "D", "outcomes": ["x"], "rules": [rule]}},
    }
    assert list(validator.iter_errors(good)) == []
    uncited = {key: value for key, value in rule.items() if key != "text"}
    bad = {**good, "decisions": {"d": {"title": "D", "outcomes": ["x"], "rules": [uncited]}}}
    assert [e.validator for e in validator.iter_errors(bad)] == ["required"]
    typo = {**good, "facts": {"n": {"type": "integer"}}}
    assert [e.validator for e in validator.iter_errors(typo)] == ["enum"]


# -- robustness -----------------------------------------------------------------------------

_VALID = (FIXTURES / "broken-lint.yaml").read_text(encoding="utf-8")


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=len(_VALID) - 1), st.text(max_size=8))
def test_a_damaged_ruleset_gives_findings_never_a_traceback(
    tmp_path_factory: pytest.TempPathFactory, cut: int, insert: str
) -> None:
    folder = tmp_path_factory.mktemp("damaged")
    path = folder / "damaged.yaml"
    path.write_text(_VALID[:cut] + insert + _VALID[cut + len(insert) :], encoding="utf-8")
    for finding in iter_findings(path):
        assert finding.location.file == str(path)
        assert finding.location.line >= 1


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


def test_each_dated_value_and_each_amended_constant_needs_its_reading(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "s.txt").write_text(
        "Article 2. Les frais sont de 8 500 euros, puis de 8 600 euros.\n"
    )
    path = tmp_path / "dated.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            format: 1
            id: dated
            title: Dated
            source: s.txt
            versions:
              - {id: v1, title: V1, from: 2023-01-01}
              - id: v2
                title: V2
                from: 2025-01-01
                amends:
                  constants:
                    fee: {value: 9000.00 EUR, article: "2", text: "Les frais sont de 8 500 euros"}
            facts:
              n: {type: int}
            constants:
              fee:
                values: {2023-01-01: 8500.00 EUR, 2024-01-01: 8700.00 EUR}
                article: "2"
                text: Les frais sont de 8 500 euros, puis de 8 600 euros.
            decisions:
              d:
                title: D
                outcomes: [a]
                rules:
                  - {id: r, when: n > 0, outcome: a, article: "2", text: Les frais sont}
            """
        )
    )
    found = [f for f in iter_findings(path) if f.kind == "reading"]
    # 8700 is in neither clause (8 500 and 8 600 are); 9000 is not in the amending clause
    assert sorted(f.message for f in found) == [
        "the value '8700.00 EUR' of constant 'fee' is not written in its clause",
        "the value '9000.00 EUR' of constant 'fee' is not written in its clause",
    ]
