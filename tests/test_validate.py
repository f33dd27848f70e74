"""convention-rules validate: every finding of a ruleset or case file, and the JSON Schemas.

The fixture ``broken-validate.yaml`` was written with four faults (a type error, an uncited
rule, a quote not in its source text, a constant that is a choice without its reading): each
must be found once, at its line.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from authoring_helpers import FIXTURES, call, line_of
from hypothesis import given, settings
from hypothesis import strategies as st

from convention_rules import RulesetError, load_ruleset
from convention_rules._registry import bundled_dir
from convention_rules.authoring.quotes import missing_fragment, normalise, value_in_clause
from convention_rules.authoring.validate import iter_findings, validate


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
    text = text.replace(
        "registered: {type: bool}",
        "registered: {type: bool}\n  kind: {type: enum, values: [initial, continuing]}",
    )
    text = text.replace("when: hours < 100 and", 'when: kind == "continuing" and hours < 100 and')
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
    assert not any("continuing" in s for s in shown)  # the enum word is right
    text = text.replace('kind == "continuing"', 'kind == "continuinq"')
    path.write_text(text)
    shown = [str(f) for f in iter_findings(path)]
    assert any("'continuinq'" in s and "did you mean 'continuing'?" in s for s in shown)


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


def test_a_case_file_with_a_misspelt_decision_and_fact(tmp_path: Path) -> None:
    path = tmp_path / "typos.cases.yaml"
    ruleset = (FIXTURES / "broken-lint.yaml").resolve()
    path.write_text(
        textwrap.dedent(
            f"""\
            ruleset: {ruleset}
            cases:
              - name: misspelt decision
                decision: eligibilty
                facts: {{hours: 5, registered: true}}
                expect: {{outcome: not_eligible}}
              - name: misspelt fact
                decision: eligibility
                facts: {{hour: 5, registered: true}}
                expect: {{outcome: not_eligible}}
              - name: an unknown fact on purpose
                decision: eligibility
                facts: {{colour: blue}}
                expect: {{error: colour, accepts: [hours]}}
            """
        )
    )
    found = [str(f) for f in iter_findings(path)]
    assert len(found) == 2
    assert "has no decision 'eligibilty' (hint: did you mean 'eligibility'?)" in found[0]
    assert (
        "'hour' is not a fact decision 'eligibility' reads (hint: did you mean 'hours'?)"
        in (found[1])
    )
