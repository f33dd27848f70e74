"""Which cases a change of the rules moves: a case table decided on both sides.

Each row is decided by the old and the new side; a row whose outcome, values
or missing facts differ is listed with both answers, and every row counts in
the summary of (old outcome, new outcome) pairs. An invalid row is an answer
of its own (``error``, with the message) on the side that refuses it.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs

from convention_rules._errors import ConventionRulesError, FactError
from convention_rules.deciding.decision import Decision, json_value
from convention_rules.deciding.ruleset import Engine
from convention_rules.impact.clauses import ClauseChange, Side
from convention_rules.law.legaltime import parse_date, today_in_paris
from convention_rules.reading.model import FactSpec

__all__ = ["Answer", "Impact", "RowChange", "diff_rows", "generate_rows", "read_table"]

Row = tuple[dict[str, Any], date | None]


@attrs.frozen
class Answer:
    """What one side answers for one row: outcome, values (JSON form), missing facts."""

    outcome: str
    values: Mapping[str, Any]
    missing: tuple[str, ...]

    @classmethod
    def of(cls, decision: Decision) -> Answer:
        values = {name: json_value(value) for name, value in decision.values.items()}
        return cls(decision.outcome, values, decision.missing)

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "values": dict(self.values), "missing": list(self.missing)}


@attrs.frozen
class RowChange:
    """A row whose answer changes: its number (1 = the first data row), facts and both answers."""

    row: int
    facts: Mapping[str, Any]
    old: Answer
    new: Answer

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "facts": {k: json_value(v) for k, v in self.facts.items()},
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
        }


@attrs.frozen
class Impact:
    """The clauses that changed, the rows they move, and a count per outcome pair."""

    clauses: tuple[ClauseChange, ...]
    rows: tuple[RowChange, ...]
    summary: Mapping[tuple[str, str], int]
    total: int
    changed: int | None = None  # every changed row; ``rows`` may hold only the first ones

    @property
    def rows_changed(self) -> int:
        return len(self.rows) if self.changed is None else self.changed

    def to_dict(self) -> dict[str, Any]:
        return {
            "clauses": [c.to_dict() for c in self.clauses],
            "rows_changed": self.rows_changed,
            "rows": [r.to_dict() for r in self.rows],
            "summary": [
                {"old": old, "new": new, "rows": count}
                for (old, new), count in sorted(self.summary.items())
            ],
            "total": self.total,
        }


def _answers(side: Side, decision: str, rows: list[Row], engine: Engine) -> Iterator[Answer]:
    ruleset = side.ruleset
    if decision not in ruleset.decisions:
        for _ in rows:
            yield Answer("no_such_decision", {}, ())
        return
    for facts, as_of in rows:
        try:
            if side.version is None:
                decided = ruleset.decide(decision, facts, as_of=as_of, engine=engine)
            else:
                compiled = ruleset._compiled[side.version][decision]  # that version's rules
                day = as_of if as_of is not None else today_in_paris()
                version = next(v for v in ruleset.versions if v.id == side.version)
                decided = compiled.decide(compiled.environment(facts, day), day, version, engine)
        except ConventionRulesError as exc:
            yield Answer("error", {"error": str(exc)}, ())
            continue
        yield Answer.of(decided)


def diff_rows(
    old: Side,
    new: Side,
    decision: str,
    rows: Iterable[Row],
    *,
    clauses: Iterable[ClauseChange] = (),
    engine: Engine = "durable",
) -> Impact:
    """Decide every row on both sides; keep the rows whose answer differs."""
    table = list(rows)
    changed: list[RowChange] = []
    summary: Counter[tuple[str, str]] = Counter()
    pairs = zip(
        _answers(old, decision, table, engine), _answers(new, decision, table, engine), strict=True
    )
    for number, (before, after) in enumerate(pairs, start=1):
        summary[before.outcome, after.outcome] += 1
        if before != after:
            changed.append(RowChange(number, table[number - 1][0], before, after))
    return Impact(tuple(clauses), tuple(changed), dict(summary), len(table))


# --------------------------------------------------------------------------- tables


def _cell(name: str, spec: FactSpec | None, text: str, where: str) -> Any:
    if spec is None:
        return text
    kind = spec.type.name
    if kind == "bool":
        if text.lower() not in ("true", "false"):
            raise FactError(
                f"{where}: not a boolean", fact=name, value=text, expected="true or false"
            )
        return text.lower() == "true"
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            raise FactError(
                f"{where}: not a whole number", fact=name, value=text, expected="an integer"
            ) from None
    return text


def read_table(path: Path, facts: Mapping[str, FactSpec]) -> list[Row]:
    """The rows of a CSV case table: a header of fact names (and ``as_of``); an empty cell is
    a missing fact. A cell that does not fit raises ``FactError`` naming the file and row."""
    rows: list[Row] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, record in enumerate(csv.DictReader(handle), start=1):
            where = f"{path}: row {number}"
            row: dict[str, Any] = {}
            as_of = None
            for name, text in record.items():
                if name is None or text is None or text == "":
                    continue
                if name == "as_of":
                    as_of = parse_date(text, fact=f"as_of ({where})")
                    continue
                row[name] = _cell(name, facts.get(name), text, where)
            rows.append((row, as_of))
    return rows


def generate_rows(
    facts: Mapping[str, FactSpec], inputs: tuple[str, ...], count: int, as_of: date, seed: int = 0
) -> list[Row]:
    """``count`` random rows of a decision's inputs around ``as_of`` (a fact left out in one row
    of ten; events absent in one of three), reproducible from ``seed``."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    rows: list[Row] = []
    for _ in range(count):
        row: dict[str, Any] = {}
        for name in inputs:
            spec = facts[name]
            if rng.random() < (1 / 3 if spec.optional else 0.1):
                continue
            kind = spec.type
            if kind.name == "bool":
                row[name] = rng.random() < 0.5
            elif kind.name == "int":
                low = spec.minimum if spec.minimum is not None else 0
                high = spec.maximum if spec.maximum is not None else low + 20
                row[name] = rng.randint(low, high)
            elif kind.name == "date":
                row[name] = (as_of + timedelta(days=rng.randint(-800, 800))).isoformat()
            elif kind.name == "money":
                cents = rng.randint(0, 2_000_000)
                row[name] = f"{cents // 100}.{cents % 100:02d}"
            elif kind.is_enum and kind.values:
                row[name] = rng.choice(kind.values)
        rows.append((row, as_of))
    return rows
