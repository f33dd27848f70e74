"""What an answer says: the facts each rule read, the clauses it checked, what is missing,
and the demo's commands, which run as printed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from convention_rules import load_ruleset
from convention_rules.tools.demo import demo

ENGINES = ("durable", "kleene")
_SEPARATOR = "--8-cut-8--"
FORPRO = load_ruleset("occitanie-forpro-sup")
COPAR = load_ruleset("copar-alternance")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_trace_entry_lists_the_facts_its_values_read(engine: str) -> None:
    facts = {"programme": "daeu", "registration_fees": "325.25"}
    d = FORPRO.decide("registration_fee_subsidy", facts, as_of=date(2025, 1, 1), engine=engine)
    entry = d.to_dict()["trace"][0]
    assert entry["rule"] == "half-of-fees-daeu-capacite"
    assert entry["facts"] == {"programme": "daeu", "registration_fees": "325.25"}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_compliant_internship_cites_every_clause_it_checked(engine: str) -> None:
    facts = {"status": "internship", "hours": 420, "start": "2023-11-20", "end": "2024-04-30"}
    d = COPAR.decide("placement", facts, as_of=date(2023, 11, 15), engine=engine)
    assert d.outcome == "compliant"
    rules = [e.rule for e in d.trace]
    assert rules == ["all-checks-pass", "internship-420-hours", "internship-six-months"]
    assert "420 heures sur 6 mois" in d.trace[1].citation.text
    assert d.trace[1].facts == {"hours": 420}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_compliant_contract_cites_only_the_checks_that_applied(engine: str) -> None:
    facts = {"status": "apprenticeship", "contract_end": "2024-09-30"}
    d = COPAR.decide("placement", facts, as_of=date(2023, 11, 15), engine=engine)
    assert [e.rule for e in d.trace] == ["all-checks-pass", "contract-to-graduation"]


@pytest.mark.parametrize("engine", ENGINES)
def test_missing_leaves_out_a_breach_branch_the_cure_settles(engine: str) -> None:
    facts = {"cured_within_period": True, "force_majeure": False}
    d = FORPRO.decide("termination", facts, as_of=date(2025, 1, 1), engine=engine)
    assert d.outcome == "undetermined"
    assert d.missing == ("ground", "terminating_party", "notice_date")


@pytest.mark.parametrize("engine", ENGINES)
def test_missing_leaves_out_an_internship_branch_the_hours_settle(engine: str) -> None:
    d = COPAR.decide("placement", {"hours": 350}, as_of=date(2023, 11, 15), engine=engine)
    assert d.outcome == "undetermined"
    assert d.missing == ("status", "contract_end")


@pytest.mark.parametrize("engine", ENGINES)
def test_missing_still_lists_every_branch_nothing_settles(engine: str) -> None:
    d = COPAR.decide("placement", {}, as_of=date(2023, 11, 15), engine=engine)
    assert d.missing == ("status", "hours", "start", "end", "contract_end")


def test_the_demo_commands_run_as_printed() -> None:
    bash = shutil.which("bash")
    assert bash is not None
    text = demo()
    lines = text.splitlines()
    commands = [(i, line[2:]) for i, line in enumerate(lines) if line.startswith("$ ")]
    assert len(commands) >= 10
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    # one bash for all of them (each would pay the CLI's start-up): stop at the first failure
    script = "set -e\n" + "".join(f"{command}\necho {_SEPARATOR}\n" for _, command in commands)
    done = subprocess.run(  # noqa: S603 - the demo's own commands, in bash as a reader would
        [bash, "-c", script], capture_output=True, text=True, check=False, env=env
    )
    assert done.returncode == 0, done.stderr
    outputs = done.stdout.split(_SEPARATOR + "\n")[:-1]
    assert len(outputs) == len(commands)
    for (index, command), output in zip(commands, outputs, strict=True):
        # the command prints the very explanation the demo shows under it (up to its verdict)
        shown = []
        for line in lines[index + 1 :]:
            if line.startswith("  [") and "the hand computation" in line:
                break
            shown.append(line)
        assert output.rstrip("\n") == "\n".join(shown), command
