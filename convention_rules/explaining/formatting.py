"""Values as a person reads them in a language: babel's dates, money and numbers."""

from __future__ import annotations

from datetime import date
from typing import Any

from convention_rules.explaining.catalogue import Phrases
from convention_rules.law.legaltime import Period
from convention_rules.law.money import Money, Rate


class ValueFormatter:
    """Formats values of the language in one locale (``fr_FR``, ``en_GB``)."""

    def __init__(self, phrases: Phrases) -> None:
        self.phrases = phrases
        self.locale = str(phrases.table["locale"])

    def date(self, day: date) -> str:
        from babel.dates import format_date  # noqa: PLC0415 (babel on first use: start-up time)

        return str(format_date(day, format="long", locale=self.locale))

    def __call__(self, value: Any, fact: str | None = None) -> str:
        """``value`` in this locale; ``fact`` names the enum it is a word of, if any."""
        from babel.numbers import (  # noqa: PLC0415 (babel on first use: start-up time)
            format_currency,
            format_decimal,
            format_percent,
        )

        phrases = self.phrases
        if isinstance(value, bool):
            return phrases.word("yes" if value else "no")
        if isinstance(value, int):
            return str(format_decimal(value, locale=self.locale))
        if isinstance(value, date):
            return self.date(value)
        if isinstance(value, Money):
            return str(format_currency(value.amount, "EUR", locale=self.locale))
        if isinstance(value, Rate):
            return str(
                format_percent(value.fraction, locale=self.locale, decimal_quantization=False)
            )
        if isinstance(value, Period):
            return f"{value.amount} {phrases.unit(value.unit.value, value.amount)}"
        if isinstance(value, str):
            return phrases.enum_word(fact, value) if fact else value
        if isinstance(value, list | tuple):
            return phrases.join([self(item, fact) for item in value])
        return str(value)
