"""Tests of the money module: exact euros, half-up rounding, splits that lose no cent.

Expected values of the examples are computed by hand (the arithmetic is in the
comments); the properties check the module against an independent reference
written with ``fractions.Fraction``.
"""

from __future__ import annotations

import decimal
import math
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from convention_rules._errors import ConventionRulesError, FactError
from convention_rules.law.money import (
    Money,
    MoneyError,
    Rate,
    allocate,
    cap,
    floor_at,
    free_then_billed,
    half,
    percent_of,
    round_half_up,
    scale,
)

M = Money.of
EXPECTED = "an amount in euros with at most two decimals, as a string or an integer"

cents_amounts = st.integers(min_value=0, max_value=10**11)  # 0 to 10^9 euros
ratio_lists = st.lists(st.integers(0, 1000), min_size=1, max_size=6).filter(lambda r: sum(r) > 0)


def ref_half_up(value: Fraction) -> int:
    """Reference rounding to an integer, ties away from zero."""
    magnitude = math.floor(abs(value) + Fraction(1, 2))
    return -magnitude if value < 0 else magnitude


def exact_shares(total_cents: int, ratios: list[int]) -> list[Fraction]:
    return [Fraction(total_cents * r, sum(ratios)) for r in ratios]


# --- construction -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("8645", "8645.00"),
        ("8645.5", "8645.50"),
        ("8645.00", "8645.00"),
        ("-12.3", "-12.30"),
        ("0", "0.00"),
        ("007.10", "7.10"),
        (8645, "8645.00"),
        (-3, "-3.00"),
        (Decimal("8645.5"), "8645.50"),
        (Decimal("1.500"), "1.50"),
        (Decimal("1E+3"), "1000.00"),
        (Decimal("0.01"), "0.01"),
    ],
)
def test_of_accepts(value: object, text: str) -> None:
    assert str(M(value)) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value",
    [
        1.5,
        8645.0,
        True,
        False,
        None,
        Decimal("NaN"),
        Decimal("sNaN"),
        Decimal("Infinity"),
        Decimal("-Infinity"),
        Decimal("1.505"),
        "12.345",
        "1e3",
        "abc",
        "",
        " 1",
        "1 ",
        "1\n",
        "8 645",
        "8,645.00",
        "1,5",
        "+1",
        "1.",
        ".5",
        "--1",
        "NaN",
        "Infinity",
        "\u0661",  # ARABIC-INDIC DIGIT ONE, a digit for str.isdigit but not for us
        [1],
        Fraction(1, 2),
    ],
)
def test_of_refuses(value: object) -> None:
    with pytest.raises(FactError) as caught:
        M(value)  # type: ignore[arg-type]
    assert caught.value.value is value
    assert caught.value.expected == EXPECTED
    assert isinstance(caught.value, ValueError)


def test_of_float_message_says_why() -> None:
    with pytest.raises(FactError, match="float"):
        M(0.1)  # type: ignore[arg-type]


def test_of_money_is_identity() -> None:
    m = M("3.10")
    assert M(m) is m


def test_direct_construction_requires_two_places() -> None:
    assert Money(Decimal("1.50")) == M("1.5")
    for bad in (Decimal("1.5"), Decimal("1.500"), Decimal("NaN"), 1.5, 150):
        with pytest.raises(FactError):
            Money(bad)  # type: ignore[arg-type]


def test_negative_zero_is_normalised() -> None:
    assert str(M("-0")) == "0.00"
    assert str(Money(Decimal("-0.00"))) == "0.00"
    assert str(-Money.ZERO) == "0.00"
    assert str(M("1.00") - M("1.00")) == "0.00"
    assert str(M("-0.01") * 0) == "0.00"


def test_zero_and_cents() -> None:
    assert str(Money.ZERO) == "0.00"
    assert Money.ZERO.cents == 0
    assert M("8645.5").cents == 864550
    assert M("-0.07").cents == -7
    assert str(Money.from_cents(-5)) == "-0.05"
    assert str(Money.from_cents(864500)) == "8645.00"
    for bad in (1.0, True, Decimal(1), "5"):
        with pytest.raises(TypeError):
            Money.from_cents(bad)  # type: ignore[arg-type]


def test_large_amounts_stay_exact() -> None:
    big = M("1" + "0" * 40)
    assert str(big + M("0.01")) == "1" + "0" * 40 + ".01"
    assert (big * 3).cents == 3 * 10**42


# --- arithmetic ---------------------------------------------------------------


def test_add_sub_neg_abs_mul() -> None:
    assert M("0.10") + M("0.20") == M("0.30")  # 0.1 + 0.2 != 0.3 in floats
    assert str(M("100") - M("0.01")) == "99.99"
    assert str(-M("5.25")) == "-5.25"
    assert +M("5.25") == M("5.25")
    assert str(abs(M("-5.25"))) == "5.25"
    assert str(M("1.01") * 3) == "3.03"
    assert str(3 * M("1.01")) == "3.03"
    assert str(M("2.50") * -2) == "-5.00"
    assert sum([M("1.10"), M("2.20"), M("3.30")], Money.ZERO) == M("6.60")


@pytest.mark.parametrize("factor", [1.5, 2.0, Decimal("1.5"), Decimal(2), True, Fraction(1, 2)])
def test_mul_refuses_anything_but_int(factor: object) -> None:
    with pytest.raises(TypeError, match="percent_of"):
        M("10") * factor  # type: ignore[operator]
    with pytest.raises(TypeError, match="percent_of"):
        factor * M("10")  # type: ignore[operator, arg-type, unused-ignore]


def test_mixed_operands_are_type_errors() -> None:
    m = M("10")
    for other in (1, 1.5, Decimal("1.00"), "1"):
        with pytest.raises(TypeError):
            m + other  # type: ignore[operator]
        with pytest.raises(TypeError):
            m - other  # type: ignore[operator]
        with pytest.raises(TypeError):
            m < other  # type: ignore[operator]  # noqa: B015
    with pytest.raises(TypeError):
        m * m  # type: ignore[operator]
    with pytest.raises(TypeError):
        m / 2  # type: ignore[operator]
    with pytest.raises(TypeError):
        m * Rate.percent(15)  # type: ignore[operator]
    assert m != Decimal("10.00")
    assert m != 10  # type: ignore[comparison-overlap]


def test_order_equality_and_hash() -> None:
    assert M("-1") < M("0") < M("0.01") < M("10") < M("9.99") * 2
    assert sorted([M("3"), M("-1"), M("2.5")]) == [M("-1"), M("2.5"), M("3")]
    assert M("1.5") == M(Decimal("1.50")) == Money.from_cents(150)
    assert len({M("1.5"), M(Decimal("1.50")), Money.from_cents(150)}) == 1
    assert M("1.5") >= M("1.50")
    assert M("1.5") != M("1.51")


def test_text_forms() -> None:
    assert str(M(8645)) == "8645.00"
    assert M(8645).to_json() == "8645.00"
    assert M("-0.5").to_json() == "-0.50"
    assert repr(M("8645")) == "Money('8645.00')"
    assert M("0.01").to_json() == "0.01"


def test_format_fr_pins_babel_output() -> None:
    # babel (CLDR fr): U+202F NARROW NO-BREAK SPACE groups thousands, a comma
    # marks the decimals and U+00A0 NO-BREAK SPACE stands before the euro sign.
    assert M(8645).format_fr() == "8\u202f645,00\u00a0\u20ac"
    assert M("1234567.89").format_fr() == "1\u202f234\u202f567,89\u00a0\u20ac"
    assert M("-0.5").format_fr() == "-0,50\u00a0\u20ac"
    assert Money.ZERO.format_fr() == "0,00\u00a0\u20ac"
    assert M("999.99").format_fr() == "999,99\u00a0\u20ac"


# --- rounding -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        ("0.005", "0.01"),
        ("0.0049999", "0.00"),
        ("0.025", "0.03"),  # half-even would give 0.02
        ("2.675", "2.68"),  # the float 2.675 rounds to 2.67
        ("-0.005", "-0.01"),  # ties away from zero for negatives too
        ("-0.025", "-0.03"),
        ("-0.0049", "0.00"),
        ("162.625", "162.63"),
        ("7", "7.00"),
        ("1.2", "1.20"),
    ],
)
def test_round_half_up(value: str, rounded: str) -> None:
    result = round_half_up(Decimal(value))
    assert str(result) == rounded  # str also pins the two places and no "-0.00"


def test_round_half_up_refuses() -> None:
    with pytest.raises(TypeError):
        round_half_up(0.005)  # type: ignore[arg-type]
    with pytest.raises(MoneyError):
        round_half_up(Decimal("NaN"))


@given(
    q=st.integers(0, 10**12), digit=st.integers(0, 9), negative=st.booleans(), rest=st.booleans()
)
@example(q=0, digit=5, negative=True, rest=False)  # -0.005 -> -0.01
def test_round_half_up_property(q: int, digit: int, negative: bool, rest: bool) -> None:
    # |value| = q/100 + digit/1000 (+ a trailing 1 at the 6th place when rest):
    # half-up keeps q cents below 5 thousandths, adds one from 5 on.
    magnitude = Decimal(q * 10 + digit).scaleb(-3)
    if rest:
        magnitude += Decimal("0.000001")
    expected_cents = q + (1 if digit >= 5 else 0)
    if negative:
        magnitude, expected_cents = -magnitude, -expected_cents
    assert round_half_up(magnitude) == Decimal(expected_cents).scaleb(-2)


def test_ambient_decimal_context_is_ignored() -> None:
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_HALF_EVEN
        ctx.traps[decimal.Inexact] = True
        assert str(round_half_up(Decimal("0.025"))) == "0.03"
        assert str(percent_of(M("100000.01"), Rate.percent(15))) == "15000.00"
        assert str(M("123456.78") + M("0.01")) == "123456.79"
        assert allocate(M("100"), [1, 1, 1]) == (M("33.34"), M("33.33"), M("33.33"))


# --- rates and percentages ---------------------------------------------------


def test_rate_forms() -> None:
    assert Rate.percent(15).fraction == Decimal("0.15")
    assert Rate.of("15 %") == Rate.of("15%") == Rate.percent(15) == Rate(Decimal("0.15"))
    assert Rate.of("40%").fraction == Decimal("0.4")
    assert Rate.of("15\u202f%") == Rate.of("15\u00a0%") == Rate.percent(15)
    assert Rate.of("12,5 %").fraction == Decimal("0.125")
    assert Rate.percent(Decimal("12.5")) == Rate.percent("12.5") == Rate.of("12.5 %")
    assert str(Rate.percent(15)) == "15 %"
    assert str(Rate.of("12,5 %")) == "12.5 %"
    assert str(Rate.percent(100)) == "100 %"
    assert str(Rate.percent(0)) == "0 %"
    assert str(Rate.percent(Decimal("0.50"))) == "0.5 %"
    assert repr(Rate.percent(15)) == "Rate('15 %')"
    assert Rate.percent(15).percentage == Decimal(15)
    r = Rate.percent(40)
    assert Rate.of(r) is r
    assert Rate.of(str(Rate.of("7.25 %"))) == Rate.percent("7.25")


@pytest.mark.parametrize(
    "call",
    [
        lambda: Rate.percent(1.5),  # type: ignore[arg-type]
        lambda: Rate.percent(15.0),  # type: ignore[arg-type]
        lambda: Rate.percent(True),
        lambda: Rate.percent(-1),
        lambda: Rate.percent(Decimal("-0.5")),
        lambda: Rate.percent(Decimal("NaN")),
        lambda: Rate.percent("1e2"),
        lambda: Rate.percent("15 %"),
        lambda: Rate.of("15"),
        lambda: Rate.of("-5 %"),
        lambda: Rate.of("15 %%"),
        lambda: Rate.of("15  %"),
        lambda: Rate.of("%"),
        lambda: Rate.of(15),  # type: ignore[arg-type]
        lambda: Rate.of(0.15),  # type: ignore[arg-type]
    ],
)
def test_rate_refuses(call: object) -> None:
    with pytest.raises(FactError):
        call()  # type: ignore[operator]


def test_rate_direct_construction_refuses() -> None:
    for bad in (Decimal("-0.1"), 0.15, Decimal("Infinity")):
        with pytest.raises(MoneyError):
            Rate(bad)  # type: ignore[arg-type]


def test_percent_of_examples() -> None:
    # 10000001 cents * 0.15 = 1500000.15 cents -> 1500000
    assert str(percent_of(M("100000.01"), Rate.of("15 %"))) == "15000.00"
    # 120000.00 * 15 % = 18000.00 exactly
    assert str(percent_of(M("120000"), Rate.percent(15))) == "18000.00"
    # 0.10 * 15 % = 1.5 cents -> 2 cents (tie, up)
    assert str(percent_of(M("0.10"), Rate.percent(15))) == "0.02"
    # 0.30 * 15 % = 4.5 cents -> 5 cents; half-even would give 4
    assert str(percent_of(M("0.30"), Rate.percent(15))) == "0.05"
    # -0.30 * 15 % = -4.5 cents -> -5 cents
    assert str(percent_of(M("-0.30"), Rate.percent(15))) == "-0.05"
    # 8645 * 40 % = 3458; 8645 * 12.5 % = 1080.625 -> 1080.63
    assert str(percent_of(M(8645), Rate.of("40%"))) == "3458.00"
    assert str(percent_of(M(8645), Rate.of("12,5 %"))) == "1080.63"
    assert percent_of(M(8645), Rate.percent(0)) == Money.ZERO


def test_percent_of_refuses() -> None:
    with pytest.raises(TypeError):
        percent_of(M(100), 0.15)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        percent_of(M(100), Decimal("0.15"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        percent_of(100, Rate.percent(15))  # type: ignore[arg-type]


@given(
    a=st.integers(0, 6),
    b=st.integers(0, 6),
    m=st.integers(0, 10**9),
    negative=st.booleans(),
)
def test_percent_rounds_half_up_at_exact_ties(a: int, b: int, m: int, negative: bool) -> None:
    # c = 2^a 5^b cents and rate (2m+1)/(2c): the exact product is m + 1/2 cents,
    # a decimal tie, which must round away from zero to m + 1.
    c = 2**a * 5**b
    k = max(a + 1, b)
    fraction = Decimal((2 * m + 1) * 2 ** (k - a - 1) * 5 ** (k - b)).scaleb(-k)
    assert Fraction(fraction) * c == m + Fraction(1, 2)  # the construction is a tie
    amount = Money.from_cents(-c if negative else c)
    expected = -(m + 1) if negative else m + 1
    assert percent_of(amount, Rate(fraction)).cents == expected


@given(cents=st.integers(-(10**11), 10**11), basis_points=st.integers(0, 100_000))
@example(cents=10000001, basis_points=1500)
@example(cents=30, basis_points=1500)
def test_percent_matches_reference(cents: int, basis_points: int) -> None:
    rate = Rate.percent(Decimal(basis_points).scaleb(-2))
    expected = ref_half_up(Fraction(cents * basis_points, 10_000))
    assert percent_of(Money.from_cents(cents), rate).cents == expected


# --- scale and half -----------------------------------------------------------


def test_scale_and_half_examples() -> None:
    # 32525 / 2 = 16262.5 cents -> 16263
    assert str(half(M("325.25"))) == "162.63"
    assert scale(M("325.25"), 1, 2) == M("162.63")
    assert str(half(M("-325.25"))) == "-162.63"
    # 100.00 * 2 / 3 = 6666.67 cents -> 6666.67 -> 66.67
    assert str(scale(M(100), 2, 3)) == "66.67"
    # 10.00 / 3 = 333.33 cents -> 3.33
    assert str(scale(M(10), 1, 3)) == "3.33"
    assert str(scale(M(10), 1, -4)) == "-2.50"
    assert str(scale(M("0.01"), 1, -2)) == "-0.01"


def test_scale_refuses() -> None:
    with pytest.raises(MoneyError, match="zero"):
        scale(M(10), 1, 0)
    with pytest.raises(ValueError, match="zero"):
        scale(M(10), 1, 0)
    for args in ((1.5, 1), (1, 2.0), (Decimal(1), 2), (True, 2)):
        with pytest.raises(TypeError):
            scale(M(10), *args)  # type: ignore[arg-type, unused-ignore]


@given(
    cents=st.integers(-(10**11), 10**11),
    numerator=st.integers(-1000, 1000),
    denominator=st.integers(-1000, 1000).filter(bool),
)
def test_scale_matches_reference(cents: int, numerator: int, denominator: int) -> None:
    expected = ref_half_up(Fraction(cents * numerator, denominator))
    assert scale(Money.from_cents(cents), numerator, denominator).cents == expected


# --- allocate -------------------------------------------------------------------


def test_allocate_examples() -> None:
    # 8645 * 40/100 = 3458, 8645 * 60/100 = 5187: no cent left over
    assert allocate(M("8645.00"), [40, 60]) == (M("3458.00"), M("5187.00"))
    # 10000 cents / 3 = 3333 r 1 each; 1 cent left, all remainders tie -> first
    assert allocate(M("100.00"), [1, 1, 1]) == (M("33.34"), M("33.33"), M("33.33"))
    # 1 cent at 50/50: 0 r 50 each; the cent goes to the party named first
    assert allocate(M("0.01"), [50, 50]) == (M("0.01"), M("0.00"))
    # 10000 * 1/3 = 3333 r 1, 10000 * 2/3 = 6666 r 2: the cent goes to the larger remainder
    assert allocate(M("100.00"), [1, 2]) == (M("33.33"), M("66.67"))
    # 2 cents in thirds: 0 r 2 each -> the first two
    assert allocate(M("0.02"), [1, 1, 1]) == (M("0.01"), M("0.01"), M("0.00"))
    # a zero ratio never gets a cent, even when named first
    assert allocate(M("0.01"), [0, 1, 1]) == (M("0.00"), M("0.01"), M("0.00"))
    assert allocate(M("10.00"), [0, 1, 1]) == (M("0.00"), M("5.00"), M("5.00"))
    assert allocate(M("7.00"), [5]) == (M("7.00"),)
    assert allocate(Money.ZERO, [1, 2]) == (Money.ZERO, Money.ZERO)


def test_allocate_negative_total_is_mirrored() -> None:
    assert allocate(M("-100.00"), [1, 1, 1]) == (M("-33.34"), M("-33.33"), M("-33.33"))
    assert allocate(M("-0.01"), [1, 1]) == (M("-0.01"), M("0.00"))


def test_allocate_accepts_decimals_and_rates() -> None:
    expected = (M("3458.00"), M("5187.00"))
    assert allocate(M(8645), [Decimal("0.4"), Decimal("0.6")]) == expected
    assert allocate(M(8645), [Rate.of("40 %"), Rate.of("60 %")]) == expected
    assert allocate(M(8645), (2, Decimal("3.0"))) == expected
    # 300 cents at 1 : 0.5 -> 200 and 100
    assert allocate(M(3), [1, Decimal("0.5")]) == (M(2), M(1))


def test_allocate_refuses() -> None:
    with pytest.raises(MoneyError):
        allocate(M(10), [])
    with pytest.raises(MoneyError):
        allocate(M(10), [0, 0])
    with pytest.raises(MoneyError):
        allocate(M(10), [-1, 2])
    with pytest.raises(MoneyError):
        allocate(M(10), [Decimal("-0.5"), 2])
    for bad in (0.5, True, "1", Decimal("NaN"), None):
        with pytest.raises(TypeError):
            allocate(M(10), [1, bad])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        allocate(10, [1, 1])  # type: ignore[arg-type]


@given(total=cents_amounts, ratios=ratio_lists)
@example(total=1, ratios=[50, 50])
@example(total=10**11, ratios=[1, 1, 1, 1, 1, 1])
def test_allocate_sums_to_total_and_is_within_a_cent(total: int, ratios: list[int]) -> None:
    shares = allocate(Money.from_cents(total), ratios)
    assert len(shares) == len(ratios)
    assert sum(s.cents for s in shares) == total
    for share, exact in zip(shares, exact_shares(total, ratios), strict=True):
        assert math.floor(exact) <= share.cents <= math.ceil(exact)
        assert abs(share.cents - exact) < 1


@given(total=cents_amounts, ratios=ratio_lists)
def test_allocate_gives_cents_by_largest_remainder_then_first(
    total: int, ratios: list[int]
) -> None:
    exact = exact_shares(total, ratios)
    remainders = [e - math.floor(e) for e in exact]
    extra = [
        s.cents - math.floor(e)
        for s, e in zip(allocate(Money.from_cents(total), ratios), exact, strict=True)
    ]
    assert set(extra) <= {0, 1}
    for i, got in enumerate(extra):
        for j, other in enumerate(extra):
            if got and not other:
                # whoever got a cent ranks before whoever did not
                assert remainders[i] > remainders[j] or (remainders[i] == remainders[j] and i < j)


@given(total=cents_amounts, ratios=ratio_lists, data=st.data())
def test_allocate_commutes_with_relabelling_unless_tied(
    total: int, ratios: list[int], data: st.DataObject
) -> None:
    order = data.draw(st.permutations(range(len(ratios))))
    exact = exact_shares(total, ratios)
    remainders = sorted((e - math.floor(e) for e in exact), reverse=True)
    leftover = total - sum(math.floor(e) for e in exact)
    # a tie matters only where the cut between those who get a cent and those who don't falls
    assume(leftover in (0, len(ratios)) or remainders[leftover - 1] != remainders[leftover])
    shares = allocate(Money.from_cents(total), ratios)
    relabelled = allocate(Money.from_cents(total), [ratios[i] for i in order])
    assert relabelled == tuple(shares[i] for i in order)


def test_allocate_tie_goes_to_first_named_whatever_the_order() -> None:
    # same ratios, swapped parties: the cent follows the position, not the party
    assert allocate(M("0.01"), [30, 30]) == (M("0.01"), M("0.00"))
    # 3 cents at 2:1:1 -> 1.5, 0.75, 0.75: floors 1, 0, 0, remainders 0.5, 0.75, 0.75;
    # the 2 cents left go to the two largest remainders, parties 2 and 3
    assert allocate(M("0.03"), [2, 1, 1]) == (M("0.01"), M("0.01"), M("0.01"))
    # 5 cents at 1:1:2 -> 1.25, 1.25, 2.5: floors 1, 1, 2; remainders .25, .25, .5
    # 1 cent left -> the third (largest remainder)
    assert allocate(M("0.05"), [1, 1, 2]) == (M("0.01"), M("0.01"), M("0.03"))
    # 6 cents at 1:1:2 -> 1.5, 1.5, 3: 1 cent left, tie between the first two -> first
    assert allocate(M("0.06"), [1, 1, 2]) == (M("0.02"), M("0.01"), M("0.03"))
    assert allocate(M("0.06"), [2, 1, 1]) == (M("0.03"), M("0.02"), M("0.01"))


@given(total=cents_amounts, ratios=ratio_lists)
def test_allocate_negative_is_negated_positive(total: int, ratios: list[int]) -> None:
    positive = allocate(Money.from_cents(total), ratios)
    assert allocate(Money.from_cents(-total), ratios) == tuple(-s for s in positive)


# --- no floats, anywhere -------------------------------------------------------


@given(x=st.floats(allow_nan=True, allow_infinity=True))
@example(x=1.5)
def test_no_operation_accepts_a_float(x: float) -> None:
    with pytest.raises(FactError):
        Money.of(x)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money.of("1") * x  # type: ignore[operator]
    with pytest.raises(TypeError):
        x * Money.of("1")  # type: ignore[operator]
    with pytest.raises(FactError):
        Rate.percent(x)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        percent_of(Money.of("1"), x)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        scale(Money.of("1"), x, 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        allocate(Money.of("1"), [1, x])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        round_half_up(x)  # type: ignore[arg-type]


# --- round trips ---------------------------------------------------------------


@given(cents=st.integers(-(10**15), 10**15))
def test_round_trips(cents: int) -> None:
    m = Money.from_cents(cents)
    assert m.cents == cents
    assert re.fullmatch(r"-?[0-9]+\.[0-9]{2}", m.to_json())
    assert Money.of(m.to_json()) == m
    assert Money.of(str(m)) == m
    assert Money.from_cents(m.cents) == m
    assert Money.of(m.amount) == m


@given(euros=st.integers(0, 10**12), decimals=st.sampled_from(["", "5", "05", "50", "99"]))
def test_of_reads_strings_as_written(euros: int, decimals: str) -> None:
    text = f"{euros}.{decimals}" if decimals else str(euros)
    # "5" after the point is 50 cents, "05" is 5 cents
    expected = euros * 100 + (int(decimals.ljust(2, "0")) if decimals else 0)
    assert Money.of(text).cents == expected
    assert Money.of("-" + text).cents == -expected


# --- caps, floors, free uses ------------------------------------------------------


def test_cap_and_floor() -> None:
    assert cap(M("120"), M("100")) == M("100")
    assert cap(M("80"), M("100")) == M("80")
    assert floor_at(M("-5"), Money.ZERO) == Money.ZERO
    assert floor_at(M("5"), Money.ZERO) == M("5")
    with pytest.raises(TypeError):
        cap(M(1), 100)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        floor_at(Decimal(1), M(0))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("count", "free", "expected"),
    [
        (1, 6, (5, 0)),
        (5, 6, (1, 0)),
        (6, 6, (0, 0)),
        (7, 6, (0, 1)),
        (10, 6, (0, 4)),
        (1, 0, (0, 1)),
    ],
)
def test_free_then_billed(count: int, free: int, expected: tuple[int, int]) -> None:
    assert free_then_billed(count, free) == expected


def test_free_then_billed_refuses() -> None:
    with pytest.raises(MoneyError):
        free_then_billed(0, 6)
    with pytest.raises(ValueError, match="at least 1"):
        free_then_billed(-1, 6)
    with pytest.raises(MoneyError):
        free_then_billed(1, -1)
    with pytest.raises(TypeError):
        free_then_billed(1.0, 6)  # type: ignore[arg-type]


@given(count=st.integers(1, 1000), free=st.integers(0, 50))
def test_free_then_billed_properties(count: int, free: int) -> None:
    free_left, billable = free_then_billed(count, free)
    next_left, next_billable = free_then_billed(count + 1, free)
    assert free_left + count - billable == free  # each use is free or billed, once
    assert next_billable - billable == (1 if free_left == 0 else 0)
    assert next_left == max(free_left - 1, 0)


# --- the agreements' own computations ------------------------------------------


def test_gsot_financial_result_worked_example() -> None:
    turnover, iep, askoria = M("120000.00"), M("40000.00"), M("50000.01")
    levy = percent_of(turnover, Rate.of("15 %"))  # 18000.00
    result = turnover - levy - iep - askoria  # 120000 - 18000 - 40000 - 50000.01
    assert result == M("11999.99")
    # 1199999 cents / 2 = 599999 r 1 each: the odd cent goes to the IEP, named first
    assert allocate(result, [1, 1]) == (M("6000.00"), M("5999.99"))


def test_two_half_up_halves_overshoot_so_splits_use_allocate() -> None:
    fees = M("325.25")
    assert half(fees) + half(fees) == M("325.26")  # one cent too many
    subsidy = half(fees)  # occitanie: half the fees, rounded half-up
    assert (subsidy, fees - subsidy) == (M("162.63"), M("162.62"))
    assert allocate(fees, [1, 1]) == (M("162.63"), M("162.62"))


def test_payment_schedule_and_fixed_amounts() -> None:
    assert allocate(M("8645.00"), [40, 60]) == (M("3458.00"), M("5187.00"))
    # 0.05 at 40/60: 2 r 0 and 3 r 0
    assert allocate(M("0.05"), [40, 60]) == (M("0.02"), M("0.03"))
    # 0.01 at 40/60: 0 r 40, 0 r 60 -> the 60 % party
    assert allocate(M("0.01"), [40, 60]) == (M("0.00"), M("0.01"))
    assert M("5000.00") * 2 == M("10000.00")  # research contribution, implied costs


def test_errors_belong_to_the_hierarchy() -> None:
    assert issubclass(MoneyError, ConventionRulesError)
    assert issubclass(MoneyError, ValueError)
    assert issubclass(FactError, ValueError)
