"""JSON Schemas of facts and answers (``Ruleset.facts_schema``, ``answer_schema``, ``schema``).

Every case file is the reference: its facts validate against their decision's facts schema, the
facts of a case that expects an error fail it (unless the error is a cross-fact constraint, which no
schema states), and every answer validates against the answer schema.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from convention_rules import FactError, UnknownNameError, bundled_rulesets, load_ruleset
from convention_rules._registry import bundled_dir
from convention_rules.cli.main import run
from convention_rules.tools.casefiles import Case, decide_case, read_cases

CASES = [case for path in sorted(bundled_dir().glob("*.cases.yaml")) for case in read_cases(path)]
DECISIONS = [(rid, name) for rid in bundled_rulesets() for name in load_ruleset(rid).decisions]


def _validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _facts_validator(ruleset: str, decision: str) -> jsonschema.Draft202012Validator:
    return _validator(load_ruleset(ruleset).facts_schema(decision))


def _case_id(case: Case) -> str:
    return f"{Path(case.ruleset).stem}:{case.loc.line}"


@pytest.mark.parametrize(("ruleset", "decision"), DECISIONS)
def test_schemas_are_valid_draft_2020_12(ruleset: str, decision: str) -> None:
    rs = load_ruleset(ruleset)
    facts = rs.facts_schema(decision)
    answer = rs.answer_schema(decision)
    jsonschema.Draft202012Validator.check_schema(facts)
    jsonschema.Draft202012Validator.check_schema(answer)
    assert facts["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert facts["additionalProperties"] is False
    assert list(facts["properties"]) == list(rs.decision_spec(decision).inputs)
    assert facts["required"] == []


@pytest.mark.parametrize("case", [c for c in CASES if "error" not in c.expect], ids=_case_id)
def test_case_facts_validate_and_answers_fit_the_answer_schema(case: Case) -> None:
    errors = list(_facts_validator(case.ruleset, case.decision).iter_errors(case.facts))
    assert errors == [], [e.message for e in errors]
    answer = decide_case(case).to_dict()
    answer_errors = list(
        _validator(load_ruleset(case.ruleset).answer_schema(case.decision)).iter_errors(answer)
    )
    assert answer_errors == [], [e.message for e in answer_errors]


@pytest.mark.parametrize("case", [c for c in CASES if "error" in c.expect], ids=_case_id)
def test_invalid_case_facts_fail_the_schema_unless_a_constraint_refuses_them(case: Case) -> None:
    with pytest.raises(FactError) as raised:
        decide_case(case)
    errors = list(_facts_validator(case.ruleset, case.decision).iter_errors(case.facts))
    expected = raised.value.expected or ""
    if expected.startswith("constraint "):  # a cross-fact check: beyond what a schema states
        assert errors == []
    else:
        assert errors, f"the schema accepts {case.facts} but the library refuses: {raised.value}"
        # the schema faults the same fact the library names
        assert _faulted(errors, case) == {case.expect["error"]}


def _faulted(errors: list[jsonschema.ValidationError], case: Case) -> set[str]:
    """The facts the schema errors name: the path, or the stray name of an unknown fact."""
    known = load_ruleset(case.ruleset).decision_spec(case.decision).inputs
    names: set[str] = set()
    for error in errors:
        if error.absolute_path:
            names.add(str(error.absolute_path[0]))
        elif error.validator == "additionalProperties":
            names.update(name for name in case.facts if name not in known)
    return names


@pytest.mark.parametrize(
    ("facts", "valid"),
    [
        ({"registration_fees": "8645.50", "programme": "daeu"}, True),
        ({"registration_fees": 8645}, True),
        ({"registration_fees": None, "programme": None}, True),
        ({}, True),
        ({"registration_fees": "8645.505"}, False),  # a third decimal
        ({"registration_fees": 8645.5}, False),  # a JSON number with a fraction
        ({"registration_fees": "-1.00"}, False),  # money facts are never negative
        ({"registration_fees": -1}, False),
        ({"registration_fees": "1e3"}, False),
        ({"programme": "master"}, False),  # not a word of the enum
        ({"programme": True}, False),
        ({"programme_years": 1}, False),  # a fact of another decision
    ],
)
def test_facts_schema_of_money_and_enums(facts: dict[str, Any], valid: bool) -> None:
    validator = _facts_validator("occitanie-forpro-sup", "registration_fee_subsidy")
    assert validator.is_valid(facts) is valid


@pytest.mark.parametrize(
    ("facts", "valid"),
    [
        ({"decision_notified": "2024-02-29"}, True),
        ({"decision_notified": "2024-06-30T23:30:00+02:00"}, True),
        ({"decision_notified": "2024-06-30T23:30Z"}, True),
        ({"decision_notified": "2023-02-29"}, False),  # not a calendar date
        ({"decision_notified": "2024-06-30T23:30:00"}, False),  # a timestamp without an offset
        ({"decision_notified": "30/06/2024"}, False),
        ({"decision_notified": 20240630}, False),
        ({"calendar": "FR-ALSACE-MOSELLE", "appeal_lodged": None}, True),
        ({"calendar": "DE"}, False),
    ],
)
def test_facts_schema_of_dates(facts: dict[str, Any], valid: bool) -> None:
    assert _facts_validator("gsot-master", "appeal").is_valid(facts) is valid


def test_int_bounds_and_booleans() -> None:
    validator = _facts_validator("gsot-master", "jury_composition")
    assert validator.is_valid({"teachers": 0, "president_is_iep_lead": False})
    assert not validator.is_valid({"teachers": -1})  # declared minimum 0
    assert not validator.is_valid({"teachers": True})  # a boolean is not a count
    assert not validator.is_valid({"teachers": 2**53 + 1})  # beyond the engine's range
    assert not validator.is_valid({"president_is_iep_lead": "yes"})
    schema = load_ruleset("gsot-master").facts_schema("jury_composition")
    assert schema["properties"]["teachers"]["anyOf"][0]["minimum"] == 0


def test_absence_and_defaults_are_stated() -> None:
    props = load_ruleset("gsot-master").facts_schema("appeal")["properties"]
    assert props["decision_notified"]["x-when-absent"] == "unknown"
    assert props["appeal_lodged"]["x-when-absent"] == "not_happened"
    assert props["calendar"]["x-when-absent"] == "default"
    assert props["calendar"]["default"] == "FR"


def test_answer_schema_lists_outcomes_values_and_refuses_strays() -> None:
    rs = load_ruleset("gsot-master")
    schema = rs.answer_schema("financial_result")
    outcomes = schema["properties"]["outcome"]["enum"]
    assert outcomes[:2] == ["profit", "not_covered"]
    assert {"undetermined", "not_in_force", "expires_first"} <= set(outcomes)
    values = schema["properties"]["values"]["properties"]
    assert set(values) == {"management_levy", "result", "iep_share", "askoria_share"}
    validator = _validator(schema)
    good = {
        "ruleset": "gsot-master",
        "decision": "financial_result",
        "outcome": "undetermined",
        "values": {},
        "missing": ["turnover"],
        "trace": [],
        "as_of": "2024-09-01",
        "version": None,
    }
    assert validator.is_valid(good)
    assert not validator.is_valid({k: v for k, v in good.items() if k != "version"})
    assert not validator.is_valid({**good, "outcome": "maybe"})
    assert not validator.is_valid({**good, "values": {"result": 12.5}})  # money is a string
    assert not validator.is_valid({**good, "values": {"profit": "1.00"}})  # no such value
    assert not validator.is_valid({**good, "missing": ["teachers"]})  # not an input
    assert not validator.is_valid({**good, "extra": 1})


def test_unknown_decision_is_an_unknown_name() -> None:
    with pytest.raises(UnknownNameError):
        load_ruleset("gsot-master").facts_schema("nothing")
    with pytest.raises(UnknownNameError):
        load_ruleset("gsot-master").answer_schema("nothing")


def test_schema_command_prints_both_schemas() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run(["schema", "gsot-master", "opening"], out, err) == 0
    facts = json.loads(out.getvalue())
    assert facts["properties"]["admitted_candidates"]["anyOf"][0]["type"] == "integer"
    out = io.StringIO()
    assert run(["schema", "gsot-master", "opening", "--answer"], out, err) == 0
    assert json.loads(out.getvalue())["properties"]["outcome"]["enum"][:2] == [
        "opens",
        "does_not_open",
    ]
    err = io.StringIO()
    assert run(["schema", "gsot-master", "nothing"], io.StringIO(), err) == 2
    assert "no decision 'nothing'" in err.getvalue()
