"""Message catalogues: the phrases of each language, and the labels of each ruleset.

Both are YAML files read with ``yaml.safe_load`` and cached: ``messages/<lang>.yaml``
(the sentences of an explanation, with ``{fields}``) and ``labels/<ruleset>.yaml``
(per language: what each outcome, fact, value and version is called, enum words,
and the readings translated). The outcomes and values every dated decision gains
from its term (``not_in_force``, ``first_day``...) are named once, in the messages.
A name with no label is shown as it is written.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

_HERE = Path(__file__).resolve().parent


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else {}


@functools.cache
def messages(lang: str) -> Mapping[str, Any]:
    """The phrases of ``lang`` (``fr`` or ``en``)."""
    return _read(_HERE / "messages" / f"{lang}.yaml")


@functools.cache
def _ruleset_labels(ruleset_id: str) -> Mapping[str, Any]:
    return _read(_HERE / "labels" / f"{ruleset_id}.yaml")


class Phrases:
    """The phrases of one language and the labels of one ruleset in it."""

    def __init__(self, lang: str, ruleset_id: str) -> None:
        self.lang = lang
        self.table = messages(lang)
        self.labels: Mapping[str, Any] = _ruleset_labels(ruleset_id).get(lang, {})

    def say(self, key: str, **fields: str) -> str:
        """The phrase ``key`` with its fields filled in."""
        template = self.table[key]
        assert isinstance(template, str), key
        return template.format_map(fields)

    def word(self, key: str) -> str:
        value = self.table[key]
        assert isinstance(value, str), key
        return value

    def unit(self, unit: str, amount: int) -> str:
        one, many = self.table["units"][unit]
        return str(one if amount == 1 else many)

    def _label(self, section: str, name: str) -> str | None:
        found = self.labels.get(section, {}).get(name)
        return found if isinstance(found, str) else None

    def fact(self, name: str) -> str:
        """A fact as a person reads it: its label and its name, or its name."""
        label = self._label("facts", name)
        if name == "as_of":
            label = self.word("as_of")
        return self.say("fact", label=label, name=name) if label else name

    def value(self, name: str) -> str:
        """A value's label: the ruleset's, else the common one (the term's days), else its name."""
        common = self.table["term_values"].get(name)
        return self._label("values", name) or (str(common) if common else name)

    def version(self, version_id: str, title: str) -> str:
        return self._label("versions", version_id) or title

    def enum_word(self, fact: str, word: str) -> str:
        words = self.labels.get("words", {}).get(fact, {})
        found = words.get(word) if isinstance(words, dict) else None
        return found if isinstance(found, str) else word

    def title(self, decision: str, fallback: str) -> str:
        found = self.labels.get("decisions", {}).get(decision, {}).get("title")
        return found if isinstance(found, str) else fallback

    def outcome(self, decision: str, outcome: str) -> str:
        """The outcome as the end of a sentence ("la personne est éligible")."""
        found = self.labels.get("decisions", {}).get(decision, {}).get("outcomes", {}).get(outcome)
        if isinstance(found, str):
            return found
        common = self.table["outcomes"].get(outcome)
        return str(common) if common else f"« {outcome} »"

    def reading(self, decision: str, rule: str, original: str) -> str:
        """A rule's reading in this language: translated when the labels have it."""
        readings = self.labels.get("readings", {}).get(decision, {})
        found = readings.get(rule) if isinstance(readings, dict) else None
        if isinstance(found, str):
            return self.say("reading", reading=found)
        key = "reading" if self.lang == "en" else "reading_in_english"
        return self.say(key, reading=original)

    def join(self, items: list[str], conjunction: str = "list_and") -> str:
        if not items:
            return self.word("empty_list")
        if len(items) == 1:
            return items[0]
        return ", ".join(items[:-1]) + self.word(conjunction) + items[-1]
