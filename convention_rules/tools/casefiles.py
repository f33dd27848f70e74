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
the error must name that fact, and ``accepts: [...]``, words that the error's
one-line message must contain to say what is accepted (the enum's values, the
date format, the bound; decisions.md: "an error naming the fact and the
accepted values"). An error case without ``accepts`` does not load.
The same runner serves the pytest plugin and ``convention-rules test``.

A case pins ``as_of`` (the day the question is asked) whenever its answer can
depend on it: a case without one is decided on two distant days
(:data:`PROBE_DAYS`) and on every day its ruleset names (term, versions, date
constants), never today, and fails when the answers differ.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, Final

import attrs

from convention_rules._errors import (
    ConventionRulesError,
    FactError,
    Location,
    RulesetError,
    UnknownNameError,
)
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

#: a case without ``as_of`` must answer the same on both days
PROBE_DAYS: Final = (date(2000, 1, 1), date(2100, 1, 1))
_CASE_KEYS = {"name", "decision", "as_of", "facts", "expect", "why", "demo"}
_EXPECT_KEYS = {"outcome", "values", "missing", "articles", "rules", "error", "accepts"}


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
class Difference:
    """One part of a decision that is not what the case expects, both sides rendered as text."""

    part: str  # "outcome", "values.<name>", "missing", "articles", "rules" or "error"
    expected: str
    actual: str
    note: str = ""  # for lists: what only one side has


@attrs.frozen
class CaseFailure:
    """A case whose decision differs from its expectation: the differences, part by part."""

    case: Case
    differences: tuple[Difference, ...]

    @property
    def problems(self) -> tuple[str, ...]:
        """Each difference on one line (``part: expected …, actual …``)."""
        return tuple(
            f"{d.part}: expected {d.expected}, actual {d.actual}" for d in self.differences
        )

    def __str__(self) -> str:
        return render_failure(self)


_WIDE = 32  # wider than this, a side goes on a line of its own


def render_failure(failure: CaseFailure) -> str:
    """A readable report: where the case is, what it asked, and expected beside actual."""
    case = failure.case
    lines = [f"{case.loc}: FAIL {case.decision}: {case.name}"]
    asked = f"facts {_json(case.facts)}"
    lines.append(f"    {asked}" + (f", as_of {case.as_of}" if case.as_of else ""))
    width = max([len("expected"), *(len(d.part) for d in failure.differences)])
    narrow = [d for d in failure.differences if max(len(d.expected), len(d.actual)) <= _WIDE]
    column = max([len("expected"), *(len(d.expected) for d in narrow)])
    if narrow:
        lines.append(f"    {'':<{width}}  {'expected':<{column}}  actual")
    for diff in failure.differences:
        if diff in narrow:
            lines.append(f"    {diff.part:<{width}}  {diff.expected:<{column}}  {diff.actual}")
        else:
            lines.append(f"    {diff.part}")
            lines.append(f"      - expected  {diff.expected}")
            lines.append(f"      + actual    {diff.actual}")
        if diff.note:
            lines.append(f"    {'':<{width}}  ({diff.note})")
    if case.why:
        lines.append(f"    why (hand computation): {case.why}")
    return "\n".join(lines)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _listing(items: list[Any]) -> str:
    return "[" + ", ".join(str(item) for item in items) + "]"


def _list_difference(part: str, expected: list[Any], actual: list[Any]) -> Difference:
    only_expected = [item for item in expected if item not in actual]
    only_actual = [item for item in actual if item not in expected]
    notes = []
    if only_expected:
        notes.append("only expected: " + ", ".join(map(str, only_expected)))
    if only_actual:
        notes.append("only actual: " + ", ".join(map(str, only_actual)))
    if not notes:
        notes.append("same items, another order")
    return Difference(part, _listing(expected), _listing(actual), "; ".join(notes))


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
        if "error" in expect.entries and "accepts" not in expect.entries:
            raise RulesetError(
                "an error case names what the error must say it accepts: "
                "accepts: [words of the accepted values]",
                expect.loc,
            )
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


def decide_case(case: Case, as_of: date | None = None) -> Decision:
    """The decision a case asks for (on ``as_of`` when the case pins none)."""
    ruleset = load_ruleset(case.ruleset)
    day = parse_date(case.as_of, fact="as_of") if case.as_of else as_of
    return ruleset.decide(case.decision, case.facts, as_of=day)


def probe_days(case: Case) -> tuple[date, ...]:
    """Two distant days, and every day the ruleset names (its terms, versions, date constants)."""
    spec = load_ruleset(case.ruleset).spec
    days = set(PROBE_DAYS)
    terms = [spec.term, *(amendment.term for amendment in spec.amendments.values())]
    for term in terms:
        if term is not None:
            days.update(d for d in (term.first_day, term.last_day) if d is not None)
    for version in spec.versions:
        days.update(d for d in (version.first, version.last) if d is not None)
    for constant in spec.constants.values():
        for since, value in constant.values:
            days.update(d for d in (since, value) if isinstance(d, date))
    return tuple(sorted(days))


def _unpinned(case: Case) -> tuple[Decision, str | None]:
    """A case without ``as_of``, decided on the probe days; how its answer varies, if it does."""
    decisions = [decide_case(case, day) for day in probe_days(case)]
    answers = []
    for decision in decisions:
        answer = decision.to_dict()
        del answer["as_of"]
        answer.pop("version", None)
        answers.append(answer)
    first = decisions[0]
    other = next((d for d, a in zip(decisions, answers, strict=True) if a != answers[0]), None)
    if other is None:
        return first, None
    return first, (
        f"the answer depends on as_of ({first.outcome} on {first.as_of.isoformat()}, "
        f"{other.outcome} on {other.as_of.isoformat()}): pin 'as_of:', the day the "
        "question is asked"
    )


def check_case(case: Case) -> CaseFailure | None:
    """Run one case; ``None`` when it passes."""
    expect = case.expect
    wanted = f"an error on {expect['error']}" if "error" in expect else "a decision"
    try:
        if case.as_of is None:
            decision, unpinned = _unpinned(case)
            if unpinned is not None:
                return CaseFailure(
                    case, (Difference("as_of", "the same answer on every day", unpinned),)
                )
        else:
            decision = decide_case(case)
    except FactError as exc:
        if "error" in expect and exc.fact == expect["error"]:
            message = " ".join(str(exc).split())
            absent = [word for word in expect["accepts"] if str(word) not in message]
            if absent:
                said = f"FactError on {exc.fact}: {exc}"
                accepts = f"an error saying it accepts {absent}"
                return CaseFailure(case, (Difference("error", accepts, said),))
            return None
        return CaseFailure(case, (Difference("error", wanted, f"FactError on {exc.fact}: {exc}"),))
    except RulesetError:
        raise
    except ConventionRulesError as exc:
        actual = f"{type(exc).__name__}: {exc}"
        return CaseFailure(case, (Difference("error", wanted, actual),))
    return compare(case, decision)


def compare(case: Case, decision: Decision) -> CaseFailure | None:
    """How ``decision`` differs from what ``case`` expects; ``None`` when it matches.

    Only the parts the case names are compared; values are compared one by one, in
    their JSON form (a value the case does not list, or lists and the decision lacks,
    is a difference too).
    """
    expect = case.expect
    if "error" in expect:
        actual = f"outcome {decision.outcome}"
        return CaseFailure(case, (Difference("error", f"an error on {expect['error']}", actual),))
    got = decision.to_dict()
    differences: list[Difference] = []
    if "outcome" in expect and got["outcome"] != expect["outcome"]:
        differences.append(Difference("outcome", str(expect["outcome"]), str(got["outcome"])))
    if "values" in expect:
        wanted, values = expect["values"] or {}, got["values"]
        differences.extend(
            Difference(
                f"values.{name}",
                _json(wanted[name]) if name in wanted else "(absent)",
                _json(values[name]) if name in values else "(absent)",
            )
            for name in [*wanted, *(n for n in values if n not in wanted)]
            if wanted.get(name, _ABSENT) != values.get(name, _ABSENT)
        )
    if "missing" in expect and got["missing"] != (expect["missing"] or []):
        differences.append(_list_difference("missing", expect["missing"] or [], got["missing"]))
    for part, key in (("articles", "article"), ("rules", "rule")):
        if part in expect:
            fired = [entry[key] for entry in got["trace"]]
            if fired != (expect[part] or []):
                differences.append(_list_difference(part, expect[part] or [], fired))
    return CaseFailure(case, tuple(differences)) if differences else None


_ABSENT = object()


def case_files(paths: list[Path]) -> list[Path]:
    """The case files named: files as given, folders searched for ``*.cases.yaml``.

    A path that does not exist, or a folder that holds no case file, is a
    :class:`~convention_rules.UnknownNameError`.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.rglob("*.cases.yaml"))
            if not found:
                raise UnknownNameError(f"no case file (*.cases.yaml) in the folder {str(path)!r}")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise UnknownNameError(f"no case file or folder {str(path)!r}")
    return files


def run_case_files(paths: list[Path]) -> Iterator[tuple[Case, CaseFailure | None]]:
    """Every case of ``paths`` (files), with its failure or ``None`` when it passes."""
    for path in paths:
        for case in read_cases(path):
            yield case, check_case(case)
