"""Hardening of the inputs: nesting, literal and fact sizes, JSON, names, the CLI.

Each test reproduces a finding of issue 14 and checks a one-line typed error
(or the right answer) in bounded time; what could hang runs in a subprocess.
"""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from convention_rules import (
    BundledIdWarning,
    FactError,
    RulesetError,
    UnknownNameError,
    load_ruleset,
)
from convention_rules.cli.main import run
from convention_rules.law.money import Money, MoneyError
from convention_rules.reading.loader import read_ruleset
from convention_rules.reading.positioned import load_yaml
from tests.hostile import make, ruleset_text, run_bounded

Q = date(2025, 1, 1)
INT = "  n: {type: int}\n"


def call(*args: str, stdin: str = "", tty: bool = False) -> tuple[int, str, str]:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return tty

    out, err = Terminal(), io.StringIO()
    status = run(list(args), out, err, io.StringIO(stdin))
    return status, out.getvalue(), err.getvalue()


def one_line(err: str) -> str:
    assert err.count("\n") == 1, err[:500]
    assert "Traceback" not in err
    assert len(err) < 600, err[:600]
    return err


# -- expressions and YAML ------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("(" * 89 + "n > 3" + ")" * 89, "nested more than 32 levels"),
        (" + ".join(["n"] * 492) + " > 3", "nested too deeply (493 levels"),
        ("-" * 200 + "n > 3", "nested minus signs"),
        ("n > " + "9" * 5000, "at most 20 digits"),
        ("n > 9007199254740993", "at most 9007199254740992"),
        ("n > " + "'" + "x" * 2000 + "'", "longer than 1000"),
    ],
)
def test_hostile_expressions_are_one_ruleset_error(when: str, message: str) -> None:
    text = ruleset_text(INT, [(when.replace("'", "''"), "yes")])
    with pytest.raises(RulesetError) as info:
        read_ruleset(text, "t.yaml")
    assert message in str(info.value)
    assert info.value.location is not None
    assert info.value.location.line == 13  # the rule's 'when:' line


def test_a_long_chain_of_not_keeps_its_parity() -> None:
    # 492 'not' is an even number: 'not ... not b' is b. 491 is 'not b'.
    rs = make("  b: {type: bool}\n", [("not " * 492 + "b", "yes"), ("not " * 491 + "b", "no")])
    for engine in ("durable", "kleene"):
        assert rs.decide("d", {"b": True}, as_of=Q, engine=engine).outcome == "yes"
        assert rs.decide("d", {"b": False}, as_of=Q, engine=engine).outcome == "no"


def test_a_sum_of_a_hundred_terms_is_legitimate() -> None:
    # 100 x n with n = 1 is 100 > 99: yes; n = 0 gives 0 <= 99: no.
    total = " + ".join(["n"] * 100)
    rs = make(INT, [(f"{total} > 99", "yes"), (f"{total} <= 99", "no")])
    assert rs.decide("d", {"n": 1}, as_of=Q).outcome == "yes"
    assert rs.decide("d", {"n": 0}, as_of=Q).outcome == "no"


def test_a_long_chain_of_derived_values_is_refused_at_its_line() -> None:
    derived = "derived:\n  d0: n + 1\n" + "".join(f"  d{i}: d{i - 1} + 1\n" for i in range(1, 196))
    with pytest.raises(RulesetError) as info:
        make(INT, [("d195 > 3", "yes")], extra=derived)
    assert "nested too deeply" in str(info.value) or "more than 32 deep" in str(info.value)
    assert info.value.location is not None


def test_deeply_nested_yaml_is_refused() -> None:
    with pytest.raises(RulesetError) as info:
        load_yaml("a: " + "[" * 328 + "]" * 328 + "\n", "x.yaml")
    assert "nested more than 32 levels" in str(info.value)


# -- facts ---------------------------------------------------------------------


def test_a_huge_value_gives_a_short_error_naming_the_fact() -> None:
    rs = make("  m: {type: money}\n  e: {type: enum, values: [a, b]}\n", [("m > 0 EUR", "yes")])
    for facts in ({"m": "1" * 1_000_000}, {"e": "x" * 1_000_000}, {"m": 10**5000}):
        with pytest.raises(FactError) as info:
            rs.decide("d", facts, as_of=Q)
        assert info.value.fact in facts
        assert len(str(info.value)) < 600
        assert len(repr(info.value)) < 700


def test_a_fact_error_holding_a_huge_int_has_a_short_repr() -> None:
    error = FactError("out of range", fact="n", value=10**5000)
    assert "digits" in str(error)
    assert len(repr(error)) < 300


def test_money_refuses_a_megabyte_amount_quickly() -> None:
    out = run_bounded(
        """
        from convention_rules.law.money import Money
        from convention_rules import FactError
        try:
            Money.of("1" * 1_000_000)
        except FactError as exc:
            print(len(str(exc)) < 600)
        """,
        timeout=20,
    )
    assert out.strip() == "True"
    with pytest.raises(FactError):
        Money.of(Decimal("1E+100000"))


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01"])
def test_dates_outside_1900_2200_are_refused_by_name(day: str) -> None:
    rs = make("  s: {type: date}\n", [("s > 2000-01-01", "yes"), ("s <= 2000-01-01", "no")])
    with pytest.raises(FactError) as info:
        rs.decide("d", {"s": day}, as_of=Q)
    assert info.value.fact == "s"
    with pytest.raises(FactError) as info:
        rs.decide("d", {"s": "2020-01-01"}, as_of=day)
    assert info.value.fact == "as_of"


def test_a_period_literal_is_bounded() -> None:
    # A period literal is at most ~330 years, so 1900-2200 plus one stays in the calendar.
    with pytest.raises(RulesetError) as info:
        make("  s: {type: date}\n", [("s + 100000 years > s", "yes")])
    assert "a period of at most 330 years" in str(info.value)


def test_share_outside_the_split_is_a_money_error() -> None:
    from convention_rules.language.functions import _share

    with pytest.raises(MoneyError) as info:
        _share(Money.of("10.00"), [1, 1], 7)
    assert "party 7 of a split between 2" in str(info.value)


# -- JSON facts on the command line -------------------------------------------


def _decide_file(path: Path) -> tuple[int, str, str]:
    return call("decide", "occitanie-forpro-sup", "eligibility", "--facts", str(path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested more than 16 levels"),
        (b'{"registered_jobseeker": ' + b"7" * 5000 + b"}", "'registered_jobseeker'"),
        (b'{"registered_jobseeker": true, "registered_jobseeker": false}', "given twice"),
        (b'{"registered_jobseeker": NaN}', "'registered_jobseeker': NaN is not a number"),
        (b'{"registered_jobseeker": -Infinity}', "-Infinity is not a number"),
        (b'{"registered_jobseeker": 1.5}', "has a fraction"),
        (b" " * (2**20 + 10), "more than 1048576 bytes"),
    ],
)
def test_hostile_facts_files_are_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "facts.json"
    path.write_bytes(content)
    status, _, err = _decide_file(path)
    assert status == 2
    assert message in one_line(err)


def test_an_empty_as_of_is_refused() -> None:
    status, _, err = call(
        "decide", "occitanie-forpro-sup", "eligibility", "--facts", "-", "--as-of", "", stdin="{}"
    )
    assert status == 2
    assert "--as-of" in one_line(err)


def test_explanations_escape_terminal_sequences_on_a_terminal(tmp_path: Path) -> None:
    text = ruleset_text(INT, [("n > 3", "yes"), ("n <= 3", "no")]).replace(
        "text: t", 'text: "\\e[31mred\\e]0;title\\a"'
    )
    text = text.replace("id: t\n", "id: escapes\n", 1)
    path = tmp_path / "escapes.yaml"
    path.write_text(text, encoding="utf-8")
    args = ("decide", str(path), "d", "--facts", "-", "--as-of", "2025-01-01", "--explain")
    status, out, _ = call(*args, "--format", "text", stdin='{"n": 5}', tty=True)
    assert status == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b[31mred" in out
    # rich (the default on a terminal) writes its own styles, never the ruleset's sequences
    status, styled, _ = call(*args, stdin='{"n": 5}', tty=True)
    assert status == 0
    assert "\x1b[31mred" not in styled and "\x1b]0;title" not in styled and "\x07" not in styled
    _, piped, _ = call(*args, stdin='{"n": 5}', tty=False)
    assert "\x1b[31mred" in piped  # a pipe gets the text as written


# -- names ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../../rulesets/gsot-master", "..", "GSOT-MASTER", "a b"])
def test_bundled_ids_never_resolve_to_a_path(name: str) -> None:
    with pytest.raises(UnknownNameError):
        load_ruleset(name)
    status, _, err = call("decide", name, "d", "--facts", "-", stdin="{}")
    assert status == 2
    one_line(err)


def test_a_file_cannot_take_a_bundled_id_silently(tmp_path: Path) -> None:
    # An edited copy may keep its id (lint, diff, drafts), never silently, and never in
    # place of the bundled ruleset: the id still names the bundled one.
    path = tmp_path / "mine.yaml"
    path.write_text(
        ruleset_text(INT, [("n > 3", "yes")]).replace("id: t\n", "id: gsot-master\n", 1)
    )
    with pytest.warns(BundledIdWarning, match="the id of a bundled ruleset"):
        mine = load_ruleset(path)
    assert mine.decisions != load_ruleset("gsot-master").decisions
    assert "opening" in load_ruleset("gsot-master").decisions


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("outcomes: [yes, no]", "outcomes: [undetermined, no]", "'undetermined' is not allowed"),
        ("outcomes: [yes, no]", 'outcomes: ["", no]', "'' is not allowed"),
        ("outcomes: [yes, no]", "outcomes: [yes, yes]", "an outcome twice"),
        ("  d:\n", '  "../d":\n', "decision name '../d'"),
        ("  d:\n", '  "d\\nx":\n', "decision name 'd\\nx'"),
    ],
)
def test_outcome_and_decision_names_are_checked(old: str, new: str, message: str) -> None:
    text = ruleset_text(INT, [("n > 3", "yes")]).replace(old, new, 1)
    with pytest.raises(RulesetError) as info:
        read_ruleset(text, "t.yaml")
    assert message in str(info.value)


# -- docs and test commands ---------------------------------------------------------


def test_docs_never_creates_a_stray_docs_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    status, _, err = call("docs")
    assert status == 2
    assert "--out" in one_line(err)
    assert not (tmp_path / "docs").exists()


def test_docs_never_writes_through_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "rulesets").symlink_to(target)
    status, _, err = call("docs", "--out", str(tmp_path / "out"))
    assert status == 2
    assert "symbolic link" in one_line(err)
    assert list(target.iterdir()) == []


def test_docs_into_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    status, _, err = call("docs", "--out", str(tmp_path / "file"))
    assert status == 2
    assert "cannot write" in one_line(err)


@pytest.mark.parametrize("kind", ["missing", "directory", "latin-1"])
def test_test_command_file_errors_are_one_line(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x.cases.yaml"
    if kind == "directory":
        path.mkdir()
    elif kind == "latin-1":
        path.write_bytes("ruleset: gsot-master\ncases: []\n# été\n".encode("latin-1"))
    status, _, err = call("test", str(path))
    assert status == 2
    assert str(path) in one_line(err)


def test_json_facts_reader_is_exact_on_ordinary_input() -> None:
    from convention_rules.reading.jsonfacts import parse_facts

    assert parse_facts('{"a": [1, "2"], "b": {"c": null}}', "x") == {
        "a": [1, "2"],
        "b": {"c": None},
    }
    assert parse_facts(json.dumps({"s": "[[[[[[[[[[[[[[[[[[[[[["}), "x") == {
        "s": "[[[[[[[[[[[[[[[[[[[[[["
    }


def test_a_date_overflow_in_a_computed_term_names_its_facts() -> None:
    # 2020-01-01 + 10**15 days is beyond year 9999: the term reads s and n.
    rs = make(
        "  s: {type: date}\n  n: {type: int}\n",
        [("add_days(s, n) > s", "yes"), ("add_days(s, n) <= s", "no")],
    )
    with pytest.raises(FactError) as info:
        rs.decide("d", {"s": "2020-01-01", "n": 10**15}, as_of=Q)
    assert info.value.fact == "s, n"
    assert "outside the calendar" in str(info.value)
    assert rs.decide("d", {"s": "2020-01-01", "n": 3}, as_of=Q).outcome == "yes"


YAML_PIECES = st.sampled_from(
    [
        *"abc:-[]{}#&*!|>'\"\n\t ,?%@`\\",
        "\x85",
        "\u2028",
        "\ufeff",
        "\x07",
        "é",
        "😀",
        "  ",
        "- ",
        ": ",
        "key: value\n",
        "!!str ",
        "&a ",
        "*a",
        "---\n",
        "...\n",
        "|\n  x\n",
    ]
)


@settings(max_examples=500)
@given(st.lists(YAML_PIECES, max_size=30).map("".join))
def test_the_c_and_python_yaml_paths_agree(text: str) -> None:
    from convention_rules.reading import positioned

    if positioned._CParser is None:
        pytest.skip("PyYAML built without libyaml")
    lines = tuple(text.splitlines())
    if positioned._UNUSUAL.search(text):
        return
    try:
        python = positioned._load_python(text, "f.yaml", lines)
    except RulesetError:
        python = None
    try:
        fast = positioned._compose_events(positioned._CParser(text), "f.yaml", lines)
    except (RulesetError, yaml.YAMLError):
        fast = None
    # What one accepts the other reads the same (a refusal by the C path alone would
    # be fine: load_yaml then reports the Python loader's error).
    if fast is not None:
        assert python is not None, "the C path accepts what the Python loader refuses"
        assert _shape(fast) == _shape(python)


def _shape(node: object) -> object:
    """A tree's texts, tags and positions; an empty (null) scalar's position is left
    out (libyaml puts it after the indicator, PyYAML at it)."""
    from convention_rules.reading.positioned import YMap, YScalar, YSeq

    if isinstance(node, YScalar):
        return ("s", node.text, node.tag, node.style, node.loc if node.text else None)
    if isinstance(node, YSeq):
        return ("l", tuple(_shape(item) for item in node.items))
    if isinstance(node, YMap):
        return ("m", tuple((k, loc, _shape(v)) for k, loc, v in node.items()))
    return node


def test_json_output_escapes_controls_on_a_terminal_and_stays_the_same_json(
    tmp_path: Path,
) -> None:
    text = ruleset_text(INT, [("n > 3", "yes"), ("n <= 3", "no")]).replace(
        "text: t", 'text: "left\\u202eright\\x9b"'
    )
    path = tmp_path / "bidi.yaml"
    path.write_text(text.replace("id: t\n", "id: bidi\n", 1), encoding="utf-8")
    args = ("decide", str(path), "d", "--facts", "-", "--as-of", "2025-01-01")
    status, out, _ = call(*args, stdin='{"n": 5}', tty=True)
    assert status == 0
    assert "\u202e" not in out and "\x9b" not in out
    _, piped, _ = call(*args, stdin='{"n": 5}', tty=False)
    assert json.loads(out) == json.loads(piped)
    assert "left\u202eright\x9b" in json.dumps(json.loads(out), ensure_ascii=False)
