"""The batch endpoint, ``POST /rulesets/{id}/decisions/{name}/table``, against a real server.

Expected answers are hand-computed from the texts (as in the case files); every row must also
equal the single decision of the same facts through the same server.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from serving import running

from convention_rules.service.app import create_app
from convention_rules.service.tables import MAX_ROWS


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    app = create_app(["gsot-master", "occitanie-forpro-sup"])
    with running(app) as url, httpx.Client(base_url=url, timeout=10) as http:
        yield http


OPENING = "/rulesets/gsot-master/decisions/opening"


def test_columns_in_columns_out(client: httpx.Client) -> None:
    # art. 3-1 « un nombre minimum de 6 candidats »: 5 → 1 missing, 6 → opens, none → undetermined
    body = {"columns": {"admitted_candidates": [5, 6, None, -1]}}
    answer = client.post(OPENING + "/table", json=body, params={"as_of": "2024-09-01"})
    assert answer.status_code == 200, answer.text
    table = answer.json()
    assert table["rows"] == 4
    columns = table["columns"]
    assert columns["outcome"] == ["does_not_open", "opens", "undetermined", None]
    assert columns["missing_candidates"] == [1, 0, None, None]
    assert columns["missing"][:3] == [[], [], ["admitted_candidates"]]
    assert columns["error"][3].startswith("fact 'admitted_candidates'")
    assert table["outcomes"] == {"does_not_open": 1, "opens": 1, "undetermined": 1, "invalid": 1}


def test_rows_give_the_single_decisions(client: httpx.Client) -> None:
    # art. 3-2 « depuis plus de deux ans »: left 2022-06-30, entry 2024-09-02 → eligible from
    # 2024-07-01; entry 2024-06-30 (the second anniversary) → ineligible; not registered →
    # ineligible whatever the dates.
    rows = [
        {
            "registered_jobseeker": True,
            "initial_education_end": "2022-06-30",
            "training_entry": "2024-09-02",
        },
        {
            "registered_jobseeker": True,
            "initial_education_end": "2022-06-30",
            "training_entry": "2024-06-30",
        },
        {"registered_jobseeker": False},
    ]
    path = "/rulesets/occitanie-forpro-sup/decisions/eligibility"
    table = client.post(path + "/table", json={"rows": rows}, params={"as_of": "2025-01-01"}).json()
    assert table["columns"]["outcome"] == ["eligible", "ineligible", "ineligible"]
    assert table["columns"]["eligible_from"][:2] == ["2024-07-01", "2024-07-01"]
    for index, row in enumerate(rows):
        single = client.post(path, json=row, params={"as_of": "2025-01-01"}).json()
        assert single["outcome"] == table["columns"]["outcome"][index]
        assert single["missing"] == table["columns"]["missing"][index]


def test_money_is_written_to_the_cent(client: httpx.Client) -> None:
    # art. 4: 40 % of 8645.00 = 3458.00, the rest 5187.00; due 2025-01-31 and 2025-06-30 + 3 months
    body = {
        "rows": [
            {"amount": "8645.00", "first_semester_end": "2025-01-31", "jury_date": "2025-06-30"}
        ]
    }
    path = "/rulesets/gsot-master/decisions/payment_schedule/table"
    columns = client.post(path, json=body, params={"as_of": "2025-01-01"}).json()["columns"]
    assert columns["first_instalment"] == ["3458.00"]
    assert columns["second_instalment"] == ["5187.00"]
    assert columns["second_due_by"] == ["2025-09-30"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"columns": {"admitted_candidates": 5}}, "a column is a list of cells"),
        ({"columns": {"admitted_candidates": [5], "x": [1]}}, "not a fact this decision reads"),
        ({"rows": [5]}, "row 0 is not an object"),
        ({"table": []}, "the body is not a table"),
        ({"columns": {"admitted_candidates": [1] * (MAX_ROWS + 1)}}, "rows in one request"),
    ],
)
def test_a_bad_table_is_a_422_with_one_line(
    client: httpx.Client, body: dict[str, object], says: str
) -> None:
    answer = client.post(OPENING + "/table", json=body)
    assert answer.status_code in (413, 422), answer.text
    if answer.status_code == 422:
        assert says in answer.json()["error"]
        assert "\n" not in answer.json()["error"]


def test_the_table_route_is_in_the_openapi_document(client: httpx.Client) -> None:
    document = client.get("/openapi.json").json()
    assert "post" in document["paths"][OPENING + "/table"]
