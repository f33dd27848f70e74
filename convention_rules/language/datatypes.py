"""The types of the expression language.

Every fact, constant, derived value and expression has one of these types,
checked when a ruleset is loaded. Money and dates are types of their own, so a
date compared with an amount, or a float mixed with euros, fails to load.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class Type:
    """A type of the language: a name, and for enums and lists their details."""

    name: str
    values: tuple[str, ...] | None = None  # the allowed words of an enum
    item: Type | None = None  # the element type of a list

    @classmethod
    def enum(cls, values: tuple[str, ...]) -> Type:
        return cls("enum", values=values)

    @classmethod
    def list_of(cls, item: Type) -> Type:
        return cls("list", item=item)

    @property
    def is_enum(self) -> bool:
        return self.name == "enum"

    @property
    def is_list(self) -> bool:
        return self.name == "list"

    def __str__(self) -> str:
        if self.is_enum and self.values is not None:
            return "enum(" + ", ".join(self.values) + ")"
        if self.is_list and self.item is not None:
            return f"list of {self.item}"
        return self.name

    def same_kind(self, other: Type) -> bool:
        """True when values of the two types can be compared for equality."""
        if self.is_enum or other.is_enum:
            return (self.is_enum or other.name == "text") and (other.is_enum or self.name == "text")
        if self.is_list or other.is_list:
            return self.is_list and other.is_list
        return self.name == other.name


BOOL = Type("bool")
INT = Type("int")
DATE = Type("date")
MONEY = Type("money")
RATE = Type("rate")
PERIOD = Type("period")
TEXT = Type("text")  # a string literal, before it is checked against an enum

ORDERED = frozenset({"int", "date", "money"})
SCALAR_NAMES = {t.name: t for t in (BOOL, INT, DATE, MONEY, RATE, PERIOD)}
