"""lint against the library itself: random small rulesets, sampled with decide.

For each ruleset (conditions over an int, a bool, an enum, a date with month arithmetic
and an optional event, with exceptions), facts are sampled around every boundary the
conditions name, and each is decided. Whatever decide shows, lint must have found:
a conflict on a sample means lint reports an overlap, a gap on a sample means it reports
a gap, and a rule seen holding is never reported dead (nor seen applying, shadowed).
The reference is the library's own answers, computed without the solver.
"""

from __future__ import annotations

import random
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest
from authoring_helpers import write

from convention_rules import EvaluationError, load_ruleset
from convention_rules.authoring.lint import lint_ruleset

ATOMS = (
    "n < 5",
    "n >= 5",
    "n == 12",
    "n > 15",
    "flag",
    "not flag",
    'kind == "a"',
    'kind in ["a", "b"]',
    'kind != "c"',
    "d + 1 month <= 2024-02-29",
    "d + 1 month == d + 29 days",
    "d >= 2024-01-31",
    "after_period(d, 15 days) > as_of",
    "present(e)",
    "e <= as_of",
    "not (e <= as_of)",
    "e + 2 months > d",
    "d < at_least_before(2024-03-31, 1 month)",
)
DAYS = [date(2024, 1, 1) + timedelta(days=k) for k in range(0, 120, 3)]
DAYS += [date(2023, 12, 31), date(2024, 1, 29), date(2024, 1, 30), date(2024, 1, 31)]
DAYS += [date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1), date(2024, 3, 31)]
AS_OF = (date(2024, 1, 15), date(2024, 2, 15), date(2024, 3, 1), date(2024, 4, 30))


def _condition(rng: random.Random) -> str:
    parts = rng.sample(ATOMS, rng.choice((1, 2, 2, 3)))
    joined = f" {rng.choice(('and', 'or'))} ".join(f"({p})" for p in parts)
    return f"not ({joined})" if rng.random() < 0.15 else joined


def _ruleset(tmp_path: Path, seed: int) -> Path:
    rng = random.Random(seed)  # noqa: S311 - reproducible rulesets, not secrets
    rules = []
    count = rng.randint(2, 5)
    for index in range(count):
        extra = ""
        if index and rng.random() < 0.3:
            extra = f", exception_to: r{rng.randrange(index)}"
        when = _condition(rng).replace("'", "''")
        outcome = rng.choice(("x", "y"))
        rules.append(
            f"      - {{id: r{index}, when: '{when}', outcome: {outcome}, "
            f'article: "1", text: clause{extra}}}\n'
        )
    otherwise = '    otherwise: {outcome: x, article: "1", text: clause}\n'
    body = textwrap.dedent(
        """\
        facts:
          n: {type: int, min: 0}
          flag: {type: bool}
          kind: {type: enum, values: [a, b, c]}
          d: {type: date}
          e: {type: date, optional: true}
        decisions:
          q:
            title: Q
            outcomes: [x, y]
        """
    )
    body += otherwise if rng.random() < 0.3 else ""
    body += "    rules:\n" + "".join("  " + r for r in rules)
    return write(tmp_path, body)


def _samples(rng: random.Random, count: int) -> list[tuple[dict[str, object], date]]:
    out = []
    for _ in range(count):
        facts: dict[str, object] = {
            "n": rng.choice((0, 4, 5, 6, 11, 12, 13, 15, 16, 20)),
            "flag": rng.random() < 0.5,
            "kind": rng.choice("abc"),
            "d": rng.choice(DAYS).isoformat(),
        }
        if rng.random() < 0.6:
            facts["e"] = rng.choice(DAYS).isoformat()
        out.append((facts, rng.choice(AS_OF)))
    return out


@pytest.mark.parametrize("seed", range(40))
def test_what_decide_shows_lint_has_found(tmp_path: Path, seed: int) -> None:
    path = _ruleset(tmp_path, seed)
    ruleset = load_ruleset(path)
    report = lint_ruleset(path)
    kinds = {f.kind for f in report.findings}
    dead = {f.rules[0] for f in report.findings if f.kind == "dead"}
    shadowed = {f.rules[0] for f in report.findings if f.kind == "shadowed"}
    assert "timeout" not in kinds
    rng = random.Random(1000 + seed)  # noqa: S311 - reproducible samples
    held: set[str] = set()
    applied: set[str] = set()
    inputs = set(ruleset.decision_spec("q").inputs)
    for all_facts, as_of in _samples(rng, 400):
        facts = {name: value for name, value in all_facts.items() if name in inputs}
        try:
            answer = ruleset.decide("q", facts, as_of=as_of)
        except EvaluationError as exc:
            kind = "overlap" if "both apply" in str(exc) else "gap"
            assert kind in kinds, (path.read_text(), facts, as_of, str(exc))
            continue
        for entry in answer.trace:
            held.add(entry.rule)
            if entry.overridden_by is None:
                applied.add(entry.rule)
    assert not held & dead, path.read_text()
    assert not applied & shadowed, path.read_text()
    for finding in report.findings:
        if finding.kind in ("overlap", "gap"):
            with pytest.raises(EvaluationError):
                ruleset.decide("q", finding.facts, as_of=finding.as_of)
