"""The counting modes vectorised (``columnar/counting.py``) against the scalar functions."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from convention_rules import load_ruleset
from convention_rules.columnar.builtins import KERNELS
from convention_rules.columnar.column import Batch, period_code, word_code
from convention_rules.law import counting as co
from convention_rules.law.legaltime import Period, Unit

N = 4000


def _inputs(seed: int) -> tuple[list[date], list[int], list[bool], list[str]]:
    rng = random.Random(seed)  # noqa: S311 - test data
    days = [date(2000, 1, 1) + timedelta(days=rng.randint(0, 40 * 365)) for _ in range(N)]
    counts = [rng.randint(0, 80) for _ in range(N)]
    extends = [rng.random() < 0.5 for _ in range(N)]
    calendars = [rng.choice(["FR", "FR-ALSACE-MOSELLE"]) for _ in range(N)]
    return days, counts, extends, calendars


def test_the_day_count_kernels_are_the_scalar_functions() -> None:
    days, counts, extends, calendars = _inputs(1)
    batch = Batch(N, {}, {})
    d = np.array([x.toordinal() for x in days])
    e = np.array(extends, dtype=np.int64)
    c = np.array([word_code(x) for x in calendars])
    for name in ("ouvrables_after", "ouvres_after", "ouvrables_before", "ouvres_before"):
        scalar = getattr(co, name)
        values, invalid = KERNELS[name](batch, d, np.array(counts), e, c)
        expected = [
            scalar(x, n, ext, cal).toordinal()
            for x, n, ext, cal in zip(days, counts, extends, calendars, strict=True)
        ]
        assert values.tolist() == expected, name
        assert not np.asarray(invalid).any()
        alone, _ = KERNELS[name](batch, d, 5)  # scalar count, default calendar
        assert alone.tolist() == [scalar(x, 5).toordinal() for x in days], name


def test_the_franc_kernels_are_the_scalar_functions() -> None:
    days, _, extends, calendars = _inputs(2)
    rng = random.Random(3)  # noqa: S311 - test data
    units = [Unit.DAYS, Unit.WEEKS, Unit.MONTHS, Unit.YEARS]
    periods = [Period(rng.randint(0, 30), rng.choice(units)) for _ in range(N)]
    batch = Batch(N, {}, {})
    d = np.array([x.toordinal() for x in days])
    p = np.array([period_code(x) for x in periods])
    e = np.array(extends, dtype=np.int64)
    c = np.array([word_code(x) for x in calendars])
    for name in ("franc_deadline", "franc_before"):
        scalar = getattr(co, name)
        values, invalid = KERNELS[name](batch, d, p, e, c)
        expected = [
            scalar(x, per, ext, cal).toordinal()
            for x, per, ext, cal in zip(days, periods, extends, calendars, strict=True)
        ]
        assert values.tolist() == expected, name
        assert not np.asarray(invalid).any()


def test_decide_table_on_the_counting_ruleset_is_decide(tmp_path: Path) -> None:
    from tests.test_counting import RULESET

    path = tmp_path / "synthetic-counting.yaml"
    path.write_text(RULESET, encoding="utf-8")
    rs = load_ruleset(path)
    rng = random.Random(4)  # noqa: S311 - test data
    presented = [date(2024, 1, 1) + timedelta(days=rng.randint(0, 700)) for _ in range(500)]
    interview = [p + timedelta(days=rng.randint(0, 12)) for p in presented]
    calendars = [rng.choice(["FR", "FR-ALSACE-MOSELLE"]) for _ in range(500)]
    table = {
        "presented": [p.isoformat() for p in presented],
        "interview": [i.isoformat() for i in interview],
        "calendar": calendars,
    }
    answer = rs.decide_table("interview", table, as_of=date(2024, 1, 1))
    for row in range(500):
        facts = {name: column[row] for name, column in table.items()}
        decided = rs.decide("interview", facts, as_of=date(2024, 1, 1))
        assert answer["outcome"][row] == decided.outcome
        for name, value in decided.values.items():
            assert answer[name][row] == value, (row, name)
