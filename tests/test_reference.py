"""The test references themselves, on literal values taken from decisions.md."""

from __future__ import annotations

from datetime import date

from reference import add_months, add_years, percent_cents


def test_month_addition_clamps_to_the_month_end() -> None:
    # decisions.md: 31 January + 1 month = 29 February 2024 or 28 February 2023.
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    # 31 Jan + 2 months = 31 March; month addition from the event in one step.
    assert add_months(date(2024, 1, 31), 2) == date(2024, 3, 31)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)


def test_year_addition_from_29_february() -> None:
    # decisions.md: 29 February 2020 + 2 years = 28 February 2022.
    assert add_years(date(2020, 2, 29), 2) == date(2022, 2, 28)
    assert add_years(date(2020, 2, 29), 4) == date(2024, 2, 29)


def test_percentages_round_half_up() -> None:
    assert percent_cents(10, 15) == 2  # 1.5 cents -> 2
    assert percent_cents(864500, 15) == 129675
    assert percent_cents(1, 50) == 1  # half a cent -> 1
