"""`convention-rules show`: an agreement's metadata and each decision's facts, outcomes, values.

Expected figures are read off the ruleset files (and the agreements they encode), not the code.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from convention_rules import load_ruleset
from convention_rules.cli.main import run
from convention_rules.cli.show import describe, render


def call(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run(list(args), out, err, io.StringIO())
    return status, out.getvalue(), err.getvalue()


FIXTURE = """\
format: 1
id: show-fixture
title: Stage gratifié (fixture)
source: fixture.txt
parties: [Université, Entreprise]
valid: {from: 2024-01-01, to: 2025-12-31}
facts:
  hours: {type: int, min: 1, max: 35, description: Weekly hours.}
  status: {type: enum, values: [intern, employee], default: intern}
  left: {type: date, optional: true, description: Day the intern left.}
  unused: {type: money}
decisions:
  paid:
    title: Is the intern paid?
    outcomes: [paid, unpaid]
    values:
      weekly: {value: hours * 4.35 EUR}
    rules:
      - id: long-enough
        when: hours >= 20 and status == "intern" and not present(left)
        outcome: paid
        values: {bonus: 10.00 EUR}
        article: "1"
        text: "Le stagiaire est gratifié."
      - id: short
        when: hours < 20
        outcome: unpaid
        article: "2"
        text: "En deçà de 20 heures, il ne l'est pas."
    otherwise: {outcome: unpaid, article: "3", text: "Dans les autres cas non plus."}
"""


def _fixture(tmp_path: Path) -> Path:
    path = tmp_path / "show-fixture.yaml"
    path.write_text(FIXTURE, encoding="utf-8")
    return path


def test_metadata_and_one_decision_of_a_bundled_agreement() -> None:
    described = describe(load_ruleset("gsot-master"), "opening")
    # gsot-master.yaml: parties, signed 2023-06-09, valid from the signature with no last day
    assert described["parties"] == ["Institut d'études politiques de Rennes", "ASKORIA"]
    assert described["signed"] == "2023-06-09"
    assert described["term"] == {"from": "2023-06-09", "to": None}
    assert described["source"] == "000_d837eb4f17f552a5.txt"
    [opening] = described["decisions"]
    assert opening["outcomes"] == ["opens", "does_not_open"]
    assert [f["name"] for f in opening["facts"]] == ["admitted_candidates"]
    assert opening["facts"][0]["type"] == "int"
    assert opening["facts"][0]["min"] == 0
    assert opening["facts"][0]["required"] is True
    assert [v["name"] for v in opening["values"]] == ["missing_candidates"]
    assert [(r["id"], r["article"]) for r in opening["rules"]] == [
        ("cohort-reached", "3-1"),
        ("minimum-cohort", "3-1"),
    ]


def test_every_kind_of_fact_type_bound_and_presence(tmp_path: Path) -> None:
    described = describe(load_ruleset(_fixture(tmp_path)))
    [paid] = described["decisions"]
    facts = {fact["name"]: fact for fact in paid["facts"]}
    assert list(facts) == ["hours", "status", "left"]  # `unused` is read by no rule
    assert (facts["hours"]["min"], facts["hours"]["max"], facts["hours"]["required"]) == (
        1,
        35,
        True,
    )
    assert facts["status"]["values"] == ["intern", "employee"]
    assert facts["status"]["required"] is False
    assert facts["status"]["presence"] == "optional (default intern)"
    assert facts["left"]["required"] is False
    assert facts["left"]["presence"].startswith("optional event")
    assert [(v["name"], v.get("rule")) for v in paid["values"]] == [
        ("weekly", None),
        ("bonus", "long-enough"),
    ]
    assert paid["rules"][-1] == {"id": "otherwise", "outcome": "unpaid", "article": "3"}
    text = render(described)
    assert "parties: Université; Entreprise" in text
    assert "term: from 2024-01-01 to 2025-12-31" in text
    assert "    hours: int, min 1, max 35; required. Weekly hours." in text
    assert "    status: enum (intern | employee); optional (default intern)" in text
    assert "    bonus = 10.00 EUR (rule long-enough)" in text
    assert "    short -> unpaid (art. 2)" in text


def test_versions_are_listed_with_their_spans() -> None:
    described = describe(load_ruleset("departement-askoria"), "room_booking")
    # departement-askoria.yaml: the 2022-2024 convention, then the 2025 amendment
    assert [(v["id"], v["from"], v["to"]) for v in described["versions"]] == [
        ("convention_2022_2024", "2022-01-01", "2024-12-31"),
        ("amendment_2025", "2025-01-01", "2025-12-31"),
    ]


def test_the_command_prints_text_or_json_and_refuses_an_unknown_decision() -> None:
    status, out, _ = call("show", "cress-paca")
    assert status == 0
    assert out.startswith("cress-paca: ")
    assert "decision term:" in out
    assert "decision termination:" in out
    status, out, _ = call("show", "cress-paca", "termination", "--json")
    assert status == 0
    assert [d["name"] for d in json.loads(out)["decisions"]] == ["termination"]
    status, out, err = call("show", "cress-paca", "nope")
    assert status == 2
    assert out == ""
    assert "no decision 'nope'" in err
    status, out, err = call("show", "no-such-agreement")
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert "unknown ruleset 'no-such-agreement'" in err
