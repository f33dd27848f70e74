"""The HTTP API fuzzed from its own OpenAPI document (schemathesis), against a real server.

Every operation gets a bounded number of generated requests, valid and invalid ones. Every
response must be no server error, of a status code and content type the document declares, and
of the declared schema (the answer schema for a decision); facts invalid by the schema must be
refused. Facts valid by the schema must be accepted, except those a ruleset's cross-fact
constraint refuses (``end`` before ``start``), which no schema states: schemathesis's own
acceptance check is replaced by one that knows that exception. Offline: the document comes from
the app itself and the requests go to 127.0.0.1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from serving import running

from convention_rules.service.app import AS_OF_PATTERN, create_app

#: Generated requests per API operation (about 27 operations).
EXAMPLES = 25

APP = create_app()
DOCUMENT = APP.app.openapi()
schema = schemathesis.openapi.from_dict(DOCUMENT)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with running(APP) as url:
        yield url


def _facts_schema(path: str) -> dict[str, Any] | None:
    """The facts schema of a single decision's route (``None`` for other routes: a table's
    rows are checked one by one, an invalid row answered with its error)."""
    body = DOCUMENT["paths"].get(path, {}).get("post", {}).get("requestBody")
    if body is None or path.endswith("/table"):
        return None
    ref = body["content"]["application/json"]["schema"]["$ref"]
    return dict(DOCUMENT["components"]["schemas"][ref.rsplit("/", 1)[1]])


def _has_float(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_float(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_float(item) for item in value)
    return isinstance(value, float)


def _schema_valid(case: schemathesis.Case) -> bool:
    """Whether the request is valid by the document: facts by their schema, as_of a date.

    A number written with a fraction (``5.0``) is refused by the API, though JSON Schema's
    data model counts it as the integer 5: the schema cannot see how a number is written.
    """
    facts = _facts_schema(case.path)
    if facts is None or case.method != "POST" or _has_float(case.body):
        return False
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    if not jsonschema.Draft202012Validator(facts, format_checker=checker).is_valid(case.body):
        return False
    as_of = (case.query or {}).get("as_of")
    date_schema = {"type": "string", "format": "date", "pattern": AS_OF_PATTERN}
    date = jsonschema.Draft202012Validator(date_schema, format_checker=checker)
    if as_of is not None and not date.is_valid(as_of):
        return False
    return (case.query or {}).get("explain") in (None, "fr", "en")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_no_input_makes_the_api_fail(case: schemathesis.Case, base_url: str) -> None:
    response = case.call_and_validate(
        base_url=base_url, timeout=10, excluded_checks=[positive_data_acceptance]
    )
    assert response.status_code < 500, response.text
    if response.status_code == 422 and _schema_valid(case):
        body = response.json()
        assert re.match("constraint ", body.get("expected") or ""), (
            f"schema-valid facts refused: {case.body} {case.query}: {body}"
        )
