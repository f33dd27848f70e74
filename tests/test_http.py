"""The HTTP API against a real uvicorn server on 127.0.0.1 (httpx; every loop bounded).

Expected answers are the agreements' (hand-computed, as in the case files); the API is a
transport, so for every case file the server's JSON must equal the library's own answer.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from serving import running

from convention_rules import bundled_rulesets, load_ruleset
from convention_rules._registry import bundled_dir
from convention_rules.deciding.ruleset import Ruleset
from convention_rules.service.app import create_app, explanation
from convention_rules.tools.casefiles import Case, decide_case, read_cases

CASES = [case for path in sorted(bundled_dir().glob("*.cases.yaml")) for case in read_cases(path)]


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with running(create_app()) as url, httpx.Client(base_url=url, timeout=10) as http:
        yield http


def _decide(client: httpx.Client, path: str, facts: Any, **params: str) -> httpx.Response:
    return client.post(f"/rulesets/{path}", json=facts, params=params)


def test_lists_the_bundled_rulesets(client: httpx.Client) -> None:
    listed = client.get("/rulesets").json()
    assert [item["id"] for item in listed] == list(bundled_rulesets())
    gsot = next(item for item in listed if item["id"] == "gsot-master")
    assert gsot["decisions"][:2] == ["opening", "appeal"]


def test_describes_a_ruleset_with_its_schemas(client: httpx.Client) -> None:
    body = client.get("/rulesets/gsot-master").json()
    rs = load_ruleset("gsot-master")
    assert body["id"] == "gsot-master"
    assert list(body["decisions"]) == list(rs.decisions)
    opening = body["decisions"]["opening"]
    assert opening["inputs"] == ["admitted_candidates"]
    assert opening["outcomes"] == ["opens", "does_not_open"]
    assert opening["facts_schema"] == rs.facts_schema("opening")
    assert opening["answer_schema"] == rs.answer_schema("opening")


def test_a_decision_art_3_1(client: httpx.Client) -> None:
    # « un nombre minimum de 6 candidats »: 5 admitted, 6 - 5 = 1 missing
    response = _decide(
        client, "gsot-master/decisions/opening", {"admitted_candidates": 5}, as_of="2024-09-01"
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["outcome"] == "does_not_open"
    assert body["values"] == {"missing_candidates": 1}
    assert body["missing"] == []
    assert [entry["article"] for entry in body["trace"]] == ["3-1"]
    assert body["as_of"] == "2024-09-01"


def test_eligibility_strictly_more_than_two_years(client: httpx.Client) -> None:
    # art. 3-2: left initial education 2022-06-30, + 2 years = 2024-06-30; eligible from 07-01
    facts = {
        "registered_jobseeker": True,
        "initial_education_end": "2022-06-30",
        "training_entry": "2024-09-02",
    }
    body = _decide(
        client, "occitanie-forpro-sup/decisions/eligibility", facts, as_of="2025-01-01"
    ).json()
    assert (body["outcome"], body["values"]) == ("eligible", {"eligible_from": "2024-07-01"})


def test_a_missing_fact_is_undetermined_not_false(client: httpx.Client) -> None:
    facts = {"registered_jobseeker": True, "initial_education_end": None}
    body = _decide(
        client, "occitanie-forpro-sup/decisions/eligibility", facts, as_of="2025-01-01"
    ).json()
    assert body["outcome"] == "undetermined"
    assert body["missing"] == ["initial_education_end", "training_entry"]


def _case_id(case: Case) -> str:
    return f"{Path(case.ruleset).stem}:{case.loc.line}"


def test_every_case_file_answer_is_the_librarys(client: httpx.Client) -> None:
    assert len(CASES) > 100
    for case in CASES:  # bounded: one request per case
        params = {"as_of": case.as_of} if case.as_of else {}
        ruleset = Path(case.ruleset).stem
        response = _decide(client, f"{ruleset}/decisions/{case.decision}", case.facts, **params)
        if "error" in case.expect:
            assert response.status_code == 422, (_case_id(case), response.text)
            assert response.json()["fact"] == case.expect["error"], _case_id(case)
        else:
            assert response.status_code == 200, (_case_id(case), response.text)
            assert response.json() == decide_case(case).to_dict(), _case_id(case)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_explain_adds_the_explanation(client: httpx.Client, lang: str) -> None:
    facts = {"admitted_candidates": 5}
    body = _decide(
        client, "gsot-master/decisions/opening", facts, as_of="2024-09-01", explain=lang
    ).json()
    clause = "Il est convenu que le Master ouvre à partir d'un nombre minimum de 6 candidats."
    assert clause in body["explanation"]
    decision = load_ruleset("gsot-master").decide("opening", facts, as_of=_day("2024-09-01"))
    assert body["explanation"] == explanation(decision, lang)
    del body["explanation"]
    assert body == decision.to_dict()


def _day(text: str) -> Any:
    from datetime import date

    return date.fromisoformat(text)


@pytest.mark.parametrize(
    ("content", "fact", "words"),
    [
        ('{"admitted_candidates": 5.5}', "admitted_candidates", "fraction"),
        ('{"admitted_candidates": 5, "admitted_candidates": 6}', "admitted_candidates", "twice"),
        ('{"admitted_candidates": -1}', "admitted_candidates", "minimum"),
        ('{"admitted_candidates": "five"}', "admitted_candidates", "whole number"),
        ('{"teachers": 1}', "teachers", "unknown fact"),
        ('{"admitted_candidates": NaN}', None, "NaN"),
        ('{"admitted_candidates": 5', None, "not valid JSON"),
        ("[5]", None, "JSON object"),
        ("", None, "empty"),
        ('"' + "9" * 5000 + '"', None, "JSON object"),
        ("[" * 100_00 + "]" * 100_00, None, "JSON"),
    ],
)
def test_bad_facts_are_422_with_one_line(
    client: httpx.Client, content: str, fact: str | None, words: str
) -> None:
    response = client.post(
        "/rulesets/gsot-master/decisions/opening",
        content=content.encode(),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert words in body["error"]
    assert "\n" not in body["error"]
    assert body.get("fact") == fact


def test_bytes_that_are_not_utf8_are_422(client: httpx.Client) -> None:
    response = client.post("/rulesets/gsot-master/decisions/opening", content=b'{"\xff": 1}')
    assert response.status_code == 422
    assert "UTF-8" in response.json()["error"]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"as_of": "2024-02-30"}, "not a calendar date"),
        ({"as_of": "tomorrow"}, "as_of"),
        ({"explain": "de"}, "explain"),
    ],
)
def test_bad_query_is_422(client: httpx.Client, params: dict[str, str], words: str) -> None:
    response = _decide(client, "gsot-master/decisions/opening", {}, **params)
    assert response.status_code == 422
    assert words in response.json()["error"]


@pytest.mark.parametrize(
    "path",
    [
        "/rulesets/nothing",
        "/rulesets/nothing/decisions/opening",
        "/rulesets/gsot-master/decisions/nothing",
        "/rulesets/..%2Frulesets%2Fgsot-master/decisions/opening",
        "/rulesets/rulesets%2Fgsot-master.yaml",
        "/rulesets/%2Fetc%2Fpasswd",
        "/rulesets/gsot-master.yaml",
        "/ui/gsot-master/nothing",
        "/nothing",
    ],
)
def test_unknown_names_are_404_and_never_a_path(client: httpx.Client, path: str) -> None:
    for method in ("GET", "POST"):
        response = client.request(method, path, json={})
        assert response.status_code in (404, 405), (method, path, response.text)
        assert "error" in response.json()
    assert client.get(path).status_code == 404


def test_a_ruleset_path_is_not_served_even_if_the_file_exists(client: httpx.Client) -> None:
    # load_ruleset accepts a path; the server must not: only the bundled ids it loaded
    path = str(bundled_dir() / "gsot-master.yaml")
    response = client.get("/rulesets/" + path.replace("/", "%2F"))
    assert response.status_code == 404
    response = client.post("/rulesets/" + path.replace("/", "%2F") + "/decisions/opening", json={})
    assert response.status_code == 404


def test_the_body_size_limit_is_413(client: httpx.Client) -> None:
    padding = " " * (64 * 1024)
    response = client.post(
        "/rulesets/gsot-master/decisions/opening",
        content=("{" + padding + "}").encode(),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert "65536 bytes" in response.json()["error"]
    # a chunked body states no length: the bytes received are counted
    chunks = (b" " * 8192 for _ in range(10))
    response = client.post("/rulesets/gsot-master/decisions/opening", content=chunks)
    assert response.status_code == 413
    # just under the limit is read
    small = ("{" + " " * (64 * 1024 - 2) + "}").encode()
    response = client.post("/rulesets/gsot-master/decisions/opening", content=small)
    assert response.status_code == 200


SYNTHETIC = """\
format: 1
id: synthetic-cohort
title: A synthetic agreement
source: 000_d837eb4f17f552a5.txt
facts:
  admitted:
    type: int
    min: 0
decisions:
  opening:
    title: Does it open?
    outcomes: [opens, does_not_open]
    rules:
      - id: enough
        when: admitted >= 3
        outcome: opens
        article: "1"
        text: Le cursus ouvre à partir de 3 inscrits.
      - id: too-few
        when: admitted < 3
        outcome: does_not_open
        article: "1"
        text: Le cursus ouvre à partir de 3 inscrits.
"""


def test_a_program_may_serve_its_own_file_under_its_declared_id(tmp_path: Path) -> None:
    path = tmp_path / "cohort.yaml"
    path.write_text(SYNTHETIC, encoding="utf-8")
    with (
        running(create_app([str(path)])) as url,
        httpx.Client(base_url=url, timeout=10) as http,
    ):
        assert [item["id"] for item in http.get("/rulesets").json()] == ["synthetic-cohort"]
        answer = http.post("/rulesets/synthetic-cohort/decisions/opening", json={"admitted": 2})
        assert answer.json()["outcome"] == "does_not_open"  # 2 < 3
        assert http.get("/rulesets/cohort").status_code == 404  # not its file's name
        assert http.get("/rulesets/gsot-master").status_code == 404  # nor what it does not serve


def test_the_time_limit_is_503(monkeypatch: pytest.MonkeyPatch) -> None:
    original = Ruleset.decide

    def slow(self: Ruleset, *args: Any, **kwargs: Any) -> Any:
        time.sleep(1.5)
        return original(self, *args, **kwargs)

    app = create_app(["gsot-master"], time_limit=0.2)
    monkeypatch.setattr(Ruleset, "decide", slow)
    with running(app) as url, httpx.Client(base_url=url, timeout=10) as http:
        response = http.post("/rulesets/gsot-master/decisions/opening", json={})
        assert response.status_code == 503
        assert "time limit" in response.json()["error"]


def test_the_openapi_document_carries_the_facts_schemas(client: httpx.Client) -> None:
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    schemas = document["components"]["schemas"]
    for rid in bundled_rulesets():
        rs = load_ruleset(rid)
        for name in rs.decisions:
            post = document["paths"][f"/rulesets/{rid}/decisions/{name}"]["post"]
            ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            facts = schemas[ref.rsplit("/", 1)[1]]
            expected = rs.facts_schema(name)
            del expected["$schema"], expected["$id"]
            assert facts == expected
            answer = post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
            assert schemas[answer.rsplit("/", 1)[1]]["properties"]["decision"] == {"const": name}
    assert "/docs" not in client.get("/openapi.json").text  # no CDN-backed pages


def test_content_negotiation_on_a_decision(client: httpx.Client) -> None:
    path = "/rulesets/gsot-master/decisions/appeal"
    as_json = client.get(path, headers={"accept": "application/json"})
    assert as_json.json()["inputs"] == ["decision_notified", "appeal_lodged", "calendar"]
    as_html = client.get(path, headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert as_html.headers["content-type"].startswith("text/html")
    page = as_html.text
    assert '<input type="date" id="fact-decision_notified"' in page
    assert '<option value="FR-ALSACE-MOSELLE">' in page
    policy = as_html.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "http" not in policy  # nothing from another origin
    assert "src=" not in page  # no external script, image or frame
    assert client.get("/ui/gsot-master/appeal").text.count("<fieldset>") == 4  # 3 facts, as_of


def test_the_home_page_links_every_decision_page(client: httpx.Client) -> None:
    response = client.get("/")
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    for rid in bundled_rulesets():
        for name in load_ruleset(rid).decisions:
            assert f'href="/ui/{rid}/{name}"' in response.text
            assert client.get(f"/ui/{rid}/{name}").status_code == 200  # bounded: 23 pages


def test_wrong_methods_are_405_json(client: httpx.Client) -> None:
    response = client.delete("/rulesets")
    assert response.status_code == 405
    assert response.json() == {"error": "Method Not Allowed"}


def test_the_serve_command_listens_where_it_is_told(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "convention_rules.cli.main", "serve", "--port", str(port)]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        body: Any = None
        for _ in range(100):  # at most about 20 s
            try:
                body = httpx.get(f"http://127.0.0.1:{port}/rulesets", timeout=2).json()
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert body is not None, "the server did not answer"
        assert [item["id"] for item in body] == list(bundled_rulesets())
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=10)
    assert f"serving on http://127.0.0.1:{port}/" in err
    assert "Traceback" not in err


def test_json_answers_are_utf8_json(client: httpx.Client) -> None:
    response = _decide(
        client, "gsot-master/decisions/opening", {"admitted_candidates": 6}, as_of="2024-09-01"
    )
    assert json.loads(response.content.decode("utf-8"))["outcome"] == "opens"


def test_serve_without_the_http_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from convention_rules.cli.main import run

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if the extra were not installed
    err = io.StringIO()
    assert run(["serve"], io.StringIO(), err) == 2
    assert "pip install 'convention-rules[http]'" in err.getvalue()
    assert "uvicorn" in err.getvalue()


def test_a_body_sent_too_slowly_is_cut_at_the_time_limit() -> None:
    def slow_body() -> Iterator[bytes]:
        yield b'{"admitted_candidates": '
        time.sleep(1.0)  # a client that stalls in the middle of its body
        yield b"5}"

    with (
        running(create_app(["gsot-master"], time_limit=0.3)) as url,
        httpx.Client(base_url=url, timeout=10) as http,
    ):
        response = http.post("/rulesets/gsot-master/decisions/opening", content=slow_body())
        assert response.status_code == 503
        fast = http.post("/rulesets/gsot-master/decisions/opening", json={})
        assert fast.status_code == 200  # the limit is per request
