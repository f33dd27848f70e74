"""Parser and type checker: the expression language and its errors.

Every error must carry the ``file:line:col`` of the offending text.
"""

from __future__ import annotations

from datetime import date

import pytest

from convention_rules import Money, Period, RulesetError
from convention_rules.language import syntax as a
from convention_rules.language.datatypes import BOOL, DATE, INT, MONEY, Type
from convention_rules.language.parser import parse_expression
from convention_rules.language.typecheck import Checker, Symbol
from convention_rules.law.legaltime import Unit

SYMBOLS = {
    "entry": Symbol("entry", "fact", DATE),
    "left": Symbol("left", "fact", DATE),
    "count": Symbol("count", "fact", INT),
    "fees": Symbol("fees", "fact", MONEY),
    "registered": Symbol("registered", "fact", BOOL),
    "programme": Symbol("programme", "fact", Type.enum(("daeu", "other"))),
    "lodged": Symbol("lodged", "fact", DATE, optional=True),
}


def parse(text: str) -> a.Node:
    return parse_expression(text, "t.yaml")


def check(text: str) -> a.Node:
    return Checker(SYMBOLS).check(parse(text))


def error_of(text: str) -> RulesetError:
    with pytest.raises(RulesetError) as info:
        check(text)
    return info.value


def test_precedence_and_before_or_and_comparison_before_and() -> None:
    node = parse("a or b and c < 2")
    assert isinstance(node, a.BoolOp)
    assert node.op == "or"
    right = node.operands[1]
    assert isinstance(right, a.BoolOp)
    assert right.op == "and"
    assert isinstance(right.operands[1], a.Compare)


def test_arithmetic_is_left_associative_with_products_first() -> None:
    node = parse("1 - 2 - 3 * 4")
    assert isinstance(node, a.Binary)
    assert node.op == "-"
    assert isinstance(node.left, a.Binary)
    assert isinstance(node.right, a.Binary)
    assert node.right.op == "*"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("6 months", Period(6, Unit.MONTHS)),
        ("1 day", Period(1, Unit.DAYS)),
        ("2 years", Period(2, Unit.YEARS)),
        ("8645.00 EUR", Money.of("8645.00")),
        ("12 €", Money.of(12)),
        ("2026-08-31", date(2026, 8, 31)),
        ("42", 42),
        ("true", True),
    ],
)
def test_literals(text: str, value: object) -> None:
    node = parse(text)
    assert isinstance(node, a.Literal)
    assert node.value == value


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("count < 2 < 3", 11, "do not chain"),
        ("count $ 2", 7, "unexpected character"),
        ("12.5", 1, "needs a unit"),
        ("2025-02-30", 1, "not a calendar date"),
        ("(count", 7, "expected ')'"),
        ("count +", 8, "expected a value"),
        ("count 3", 7, "unexpected '3'"),
    ],
)
def test_syntax_errors_point_at_the_column(text: str, column: int, words: str) -> None:
    with pytest.raises(RulesetError) as info:
        parse(text)
    assert info.value.location is not None
    assert info.value.location.column == column
    assert words in str(info.value)
    assert str(info.value).startswith(f"t.yaml:1:{column}:")


def test_types_derive_from_children() -> None:
    assert a.type_of(check("entry + 6 months")) == DATE
    assert a.type_of(check("fees * 15 %")) == MONEY
    assert a.type_of(check("fees / 2")) == MONEY
    assert a.type_of(check("entry - left")) == INT
    assert a.type_of(check("max(entry, left)")) == DATE
    assert a.type_of(check("registered and entry > left + 2 years")) == BOOL


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("entry > 3", 1, "cannot compare date with int"),
        ("fees + 3", 1, "cannot compute money + int"),
        ("count / 2", 1, "integer division"),
        ("entry - 6 months", 1, "at_least_before"),
        ('programme == "master"', 14, "'master' is not one of daeu, other"),
        ("registered and count", 16, "must be true or false"),
        ("unknown_fact > 2", 1, "unknown name 'unknown_fact'"),
        ("add_month(entry, 1)", 1, "unknown function 'add_month'"),
        ("add_months(entry)", 1, "takes 2 arguments"),
        ("add_months(entry, fees)", 19, "takes int here, got money"),
        ("present(entry)", 9, "present() applies to optional facts"),
        ("known(lodged)", 7, "known() applies to required facts"),
        ("registered < true", 1, "not ordered"),
        ("min(entry, count)", 12, "one ordered type"),
    ],
)
def test_type_errors_name_the_position(text: str, column: int, words: str) -> None:
    err = error_of(text)
    assert err.location is not None
    assert (err.location.line, err.location.column) == (1, column)
    assert words in str(err)


def test_between_becomes_two_comparisons() -> None:
    node = check("between(entry, left, 2026-08-31)")
    assert isinstance(node, a.BoolOp)
    assert [type(op) for op in node.operands] == [a.Compare, a.Compare]


def test_every_node_keeps_its_source_span() -> None:
    node = parse("registered and entry > left + 2 years")
    for sub in node.walk():
        assert sub.loc.file == "t.yaml"
        assert sub.loc.line == 1
        assert sub.loc.column >= 1
    names = [n for n in node.walk() if isinstance(n, a.Name)]
    assert [(n.name, n.loc.column) for n in names] == [
        ("registered", 1),
        ("entry", 16),
        ("left", 24),
    ]


def test_legal_time_functions_have_their_python_names_in_the_language() -> None:
    from convention_rules.language.functions import FUNCTIONS
    from convention_rules.law import legaltime as lt

    for name in (
        "add_days",
        "add_months",
        "add_years",
        "add_period",
        "after_period",
        "at_least_before",
        "next_working_day",
        "is_working_day",
        "deadline",
        "anniversary",
        "next_anniversary",
        "month_of",
        "months_touched",
    ):
        assert FUNCTIONS[name].impl is getattr(lt, name)


def test_a_bool_function_is_a_condition() -> None:
    assert a.type_of(check("is_working_day(entry + 1 month) and registered")) == BOOL
    assert a.type_of(check("deadline(entry, 1 month, true)")) == DATE
    assert a.type_of(check("cap(fees, 5000.00 EUR)")) == MONEY
    err = error_of("deadline(entry, 1 month, 3)")
    assert "takes bool here, got int" in str(err)
