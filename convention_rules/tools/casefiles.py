"""YAML case files: hand-computed expectations for a ruleset.

A case file (``rulesets/<id>.cases.yaml``) lists cases::

    ruleset: gsot-master
    cases:
      - name: five admitted candidates do not open the master
        decision: opening
        as_of: 2024-09-01
        facts: {admitted_candidates: 5}
        expect:
          outcome: does_not_open
          values: {missing_candidates: 1}   # all values, in their JSON form
          missing: []
          articles: ["3-1"]                 # articles the trace cites, in order
        why: 6 - 5 = 1 (art. 3-1, "un nombre minimum de 6 candidats")
        demo: true                          # shown by `convention-rules demo`

A case may expect ``error: <fact name>`` instead: the facts are invalid and
the error must name that fact. The same runner serves the pytest plugin and
``convention-rules test``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from convention_rules._errors import ConventionRulesError, FactError, Location, RulesetError
from convention_rules._registry import load_ruleset
from convention_rules.deciding.decision import Decision
from convention_rules.law.legaltime import parse_date
from convention_rules.reading.positioned import (
    YMap,
    expect_map,
    expect_seq,
    expect_text,
    load_yaml,
    to_plain,
)

_CASE_KEYS = {"name", "decision", "as_of", "facts", "expect", "why", "demo"}
_EXPECT_KEYS = {"outcome", "values", "missing", "articles", "rules", "error"}


@attrs.frozen
class Case:
    name: str
    ruleset: str
    decision: str
    as_of: str | None
    facts: dict[str, Any]
    expect: dict[str, Any]
    why: str | None
    loc: Location
    demo: bool = False


@attrs.frozen
class CaseFailure:
    case: Case
    problems: tuple[str, ...]

    def __str__(self) -> str:
        lines = [f"{self.case.loc}: case {self.case.name!r} ({self.case.decision}) failed:"]
        lines.extend(f"  - {problem}" for problem in self.problems)
        return "\n".join(lines)


def read_cases(path: Path) -> list[Case]:
    """The cases of one file; a malformed file is a RulesetError with its position."""
    display = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RulesetError(f"{display}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:  # missing, a directory, unreadable
        raise RulesetError(f"{display}: cannot read the case file ({exc.strerror})") from None
    root = expect_map(load_yaml(text, display), "a case file", Location(display, 1, 1))
    root.check_keys({"ruleset", "cases"}, {"ruleset", "cases"}, "a case file")
    ruleset = expect_text(root.get("ruleset"), "ruleset", root.loc).text
    if ruleset.endswith((".yaml", ".yml")) and not Path(ruleset).is_absolute():
        ruleset = str(path.parent / ruleset)
    cases = []
    for item in expect_seq(root.get("cases"), "cases", root.loc).items:
        body = expect_map(item, "a case", root.loc)
        body.check_keys(_CASE_KEYS, {"name", "decision", "expect"}, "a case")
        expect = expect_map(body.get("expect"), "expect", body.loc)
        expect.check_keys(_EXPECT_KEYS, set(), "expect")
        facts_node = body.get("facts")
        facts = to_plain(expect_map(facts_node, "facts", body.loc)) if facts_node else {}
        as_of = body.get("as_of")
        cases.append(
            Case(
                name=expect_text(body.get("name"), "name", body.loc).text,
                ruleset=ruleset,
                decision=expect_text(body.get("decision"), "decision", body.loc).text,
                as_of=expect_text(as_of, "as_of", body.loc).text if as_of else None,
                facts=facts,
                expect=to_plain(expect),
                why=_optional(body, "why"),
                loc=body.loc,
                demo=_optional(body, "demo") == "true",
            )
        )
    return cases


def _optional(body: YMap, key: str) -> str | None:
    node = body.get(key)
    return None if node is None else expect_text(node, key, body.loc).text


def decide_case(case: Case) -> Decision:
    """The decision a case asks for."""
    ruleset = load_ruleset(case.ruleset)
    as_of = parse_date(case.as_of, fact="as_of") if case.as_of else None
    return ruleset.decide(case.decision, case.facts, as_of=as_of)


def check_case(case: Case) -> CaseFailure | None:
    """Run one case; ``None`` when it passes."""
    expect = case.expect
    try:
        decision = decide_case(case)
    except FactError as exc:
        if "error" in expect and exc.fact == expect["error"]:
            return None
        return CaseFailure(case, (f"raised {exc}",))
    except RulesetError:
        raise
    except ConventionRulesError as exc:
        return CaseFailure(case, (f"raised {type(exc).__name__}: {exc}",))
    return compare(case, decision)


def compare(case: Case, decision: Decision) -> CaseFailure | None:
    """How ``decision`` differs from what ``case`` expects; ``None`` when it matches."""
    expect = case.expect
    problems: list[str] = []
    if "error" in expect:
        return CaseFailure(
            case, (f"expected an error on {expect['error']!r}, got {decision.outcome}",)
        )
    got = decision.to_dict()
    if "outcome" in expect and got["outcome"] != expect["outcome"]:
        problems.append(f"outcome: expected {expect['outcome']!r}, got {got['outcome']!r}")
    if "values" in expect and got["values"] != (expect["values"] or {}):
        problems.append(f"values: expected {expect['values']!r}, got {got['values']!r}")
    if "missing" in expect and got["missing"] != (expect["missing"] or []):
        problems.append(f"missing: expected {expect['missing']!r}, got {got['missing']!r}")
    if "articles" in expect:
        articles = [entry["article"] for entry in got["trace"]]
        if articles != expect["articles"]:
            problems.append(f"articles: expected {expect['articles']!r}, got {articles!r}")
    if "rules" in expect:
        rules = [entry["rule"] for entry in got["trace"]]
        if rules != expect["rules"]:
            problems.append(f"rules: expected {expect['rules']!r}, got {rules!r}")
    return CaseFailure(case, tuple(problems)) if problems else None


def run_case_files(paths: list[Path]) -> Iterator[tuple[Case, CaseFailure | None]]:
    for path in paths:
        for case in read_cases(path):
            yield case, check_case(case)
