"""Tokenizer and Pratt parser: expression text to an untyped AST.

The grammar, lowest precedence first::

    expr    := 'if' expr 'then' expr 'else' expr | or
    or      := and ('or' and)*
    and     := not ('and' not)*
    not     := 'not' not | compare
    compare := sum (('=='|'!='|'<'|'<='|'>'|'>=') sum | 'not'? 'in' list)?
    sum     := product (('+'|'-') product)*
    product := unary (('*'|'/') unary)*
    unary   := '-' unary | atom
    atom    := NUMBER UNIT? | DATE | STRING | 'true' | 'false' | NAME | NAME '(' args ')'
             | '(' expr ')' | '[' items ']'

``NUMBER UNIT`` is a period (``6 months``, ``15 days``), an amount
(``8500.00 EUR``) or a rate (``15 %``). Comparisons do not chain. Nothing here
evaluates text: the parser only builds nodes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import attrs

from convention_rules._errors import Location, RulesetError
from convention_rules.language import syntax as a
from convention_rules.language.datatypes import BOOL, DATE, INT, MONEY, PERIOD, RATE, TEXT
from convention_rules.language.nesting import MAX_NESTING, check_depth
from convention_rules.law.bounds import INT_LIMIT, MAX_AMOUNT_CENTS, MAX_DIGITS, MAX_TEXT
from convention_rules.law.legaltime import Period, Unit
from convention_rules.law.money import Money, Rate

#: Maps an offset in the expression text to its (line, column) in the file.
Locator = Callable[[int], tuple[int, int]]

KEYWORDS = frozenset({"and", "or", "not", "in", "if", "then", "else", "true", "false"})
PERIOD_UNITS = {
    "day": Unit.DAYS,
    "days": Unit.DAYS,
    "week": Unit.WEEKS,
    "weeks": Unit.WEEKS,
    "month": Unit.MONTHS,
    "months": Unit.MONTHS,
    "year": Unit.YEARS,
    "years": Unit.YEARS,
}
COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})
#: The longest period a literal may give, by unit: about 330 years, so a date of
#: the accepted range (1900-2200) plus or minus one never leaves the calendar.
MAX_PERIOD = {Unit.DAYS: 120_000, Unit.WEEKS: 17_000, Unit.MONTHS: 4_000, Unit.YEARS: 330}
#: Characters of one expression.
MAX_EXPRESSION = 20_000

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<date>\d{4}-\d{2}-\d{2}(?![\w-]))
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>"[^"\n]*"|'[^'\n]*')
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)|\[|\]|,|%|€)
    """,
    re.VERBOSE,
)


@attrs.frozen
class Token:
    kind: str  # date, number, string, name, keyword, op, end
    text: str
    start: int
    end: int


def tokenize(text: str, fail: Callable[[str, int], RulesetError]) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise fail(f"unexpected character {text[pos]!r}", pos)
        kind = match.lastgroup or ""
        if kind != "space":
            word = match.group()
            if kind == "name" and word in KEYWORDS:
                kind = "keyword"
            tokens.append(Token(kind, word, match.start(), match.end()))
        pos = match.end()
    tokens.append(Token("end", "", len(text), len(text)))
    return tokens


class Parser:
    """Parses one expression. Use :func:`parse_expression`."""

    def __init__(self, text: str, file: str, locate: Locator) -> None:
        self.text = text
        self.file = file
        self.locate = locate
        if len(text) > MAX_EXPRESSION:
            raise self.error(f"expression longer than {MAX_EXPRESSION} characters", 0)
        self.tokens = tokenize(text, self.error)
        self.index = 0
        self.nesting = 0

    # -- helpers -----------------------------------------------------------
    def loc(self, start: int, end: int | None = None) -> Location:
        line, column = self.locate(start)
        if end is None:
            return Location(self.file, line, column)
        end_line, end_column = self.locate(end)
        return Location(self.file, line, column, end_line, end_column)

    def error(self, message: str, offset: int) -> RulesetError:
        return RulesetError(message, self.loc(offset))

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def peek(self, offset: int = 1) -> Token:
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at(self, kind: str, text: str | None = None) -> bool:
        token = self.current
        return token.kind == kind and (text is None or token.text == text)

    def expect(self, kind: str, text: str) -> Token:
        if not self.at(kind, text):
            found = self.current.text or "end of expression"
            raise self.error(f"expected {text!r}, found {found!r}", self.current.start)
        return self.advance()

    # -- grammar -----------------------------------------------------------
    def parse(self) -> a.Node:
        if self.at("end"):
            raise self.error("empty expression", 0)
        node = self.expression()
        if not self.at("end"):
            raise self.error(
                f"unexpected {self.current.text!r} after a complete expression",
                self.current.start,
            )
        return node

    def expression(self) -> a.Node:
        self.nesting += 1
        try:
            if self.nesting > MAX_NESTING:
                raise self.error(
                    f"expression nested more than {MAX_NESTING} levels deep "
                    "(parentheses, lists, calls, if): split it into derived values",
                    self.current.start,
                )
            return self._expression()
        finally:
            self.nesting -= 1

    def _expression(self) -> a.Node:
        if self.at("keyword", "if"):
            start = self.advance().start
            condition = self.expression()
            self.expect("keyword", "then")
            then = self.expression()
            self.expect("keyword", "else")
            otherwise = self.expression()
            return a.Conditional(
                loc=self.loc(start, self.tokens[self.index - 1].end),
                condition=condition,
                then=then,
                otherwise=otherwise,
            )
        return self.disjunction()

    def _bool_chain(self, op: str, operand: Callable[[], a.Node]) -> a.Node:
        start = self.current.start
        operands = [operand()]
        while self.at("keyword", op):
            self.advance()
            operands.append(operand())
        if len(operands) == 1:
            return operands[0]
        return a.BoolOp(
            loc=self.loc(start, self.tokens[self.index - 1].end),
            op=op,
            operands=tuple(operands),
        )

    def disjunction(self) -> a.Node:
        return self._bool_chain("or", self.conjunction)

    def conjunction(self) -> a.Node:
        return self._bool_chain("and", self.negation)

    def negation(self) -> a.Node:
        # Read iteratively: 'not not x' is x in three-valued logic too, so a chain
        # keeps its parity (one or two 'not', for the type checker) at any length.
        starts: list[int] = []
        while self.at("keyword", "not"):
            starts.append(self.advance().start)
        node = self.comparison()
        if not starts:
            return node
        end = self.tokens[self.index - 1].end
        for start in starts[-1 if len(starts) % 2 else -2 :][::-1]:
            node = a.Not(loc=self.loc(start, end), operand=node)
        return node

    def comparison(self) -> a.Node:
        start = self.current.start
        left = self.sum()
        token = self.current
        if token.kind == "op" and token.text in COMPARISONS:
            self.advance()
            right = self.sum()
            node: a.Node = a.Compare(
                loc=self.loc(start, self.tokens[self.index - 1].end),
                op=token.text,
                left=left,
                right=right,
            )
            if self.current.kind == "op" and self.current.text in COMPARISONS:
                raise self.error(
                    "comparisons do not chain: write 'a <= b and b <= c'", self.current.start
                )
            return node
        negated = False
        if self.at("keyword", "not") and self.peek().kind == "keyword" and self.peek().text == "in":
            self.advance()
            negated = True
        if self.at("keyword", "in"):
            self.advance()
            if not self.at("op", "["):
                raise self.error("'in' takes a list: 'x in [a, b]'", self.current.start)
            options = self.list_items()
            return a.Membership(
                loc=self.loc(start, self.tokens[self.index - 1].end),
                item=left,
                options=options,
                negated=negated,
            )
        return left

    def sum(self) -> a.Node:
        start = self.current.start
        node = self.product()
        while self.current.kind == "op" and self.current.text in ("+", "-"):
            op = self.advance().text
            right = self.product()
            node = a.Binary(
                loc=self.loc(start, self.tokens[self.index - 1].end), op=op, left=node, right=right
            )
        return node

    def product(self) -> a.Node:
        start = self.current.start
        node = self.unary()
        while self.current.kind == "op" and self.current.text in ("*", "/"):
            op = self.advance().text
            right = self.unary()
            node = a.Binary(
                loc=self.loc(start, self.tokens[self.index - 1].end), op=op, left=node, right=right
            )
        return node

    def unary(self) -> a.Node:
        if self.at("op", "-"):
            start = self.advance().start
            self.nesting += 1
            try:
                if self.nesting > MAX_NESTING:
                    raise self.error(f"more than {MAX_NESTING} nested minus signs", start)
                operand = self.unary()
            finally:
                self.nesting -= 1
            return a.Unary(
                loc=self.loc(start, self.tokens[self.index - 1].end), op="-", operand=operand
            )
        return self.atom()

    def list_items(self) -> tuple[a.Node, ...]:
        self.expect("op", "[")
        items: list[a.Node] = []
        while not self.at("op", "]"):
            items.append(self.expression())
            if not self.at("op", "]"):
                self.expect("op", ",")
        self.expect("op", "]")
        return tuple(items)

    def atom(self) -> a.Node:
        token = self.current
        if token.kind == "number":
            return self.number()
        if token.kind == "date":
            self.advance()
            try:
                value = date.fromisoformat(token.text)
            except ValueError:
                raise self.error(f"{token.text} is not a calendar date", token.start) from None
            return a.Literal(loc=self.loc(token.start, token.end), value=value, type=DATE)
        if token.kind == "string":
            self.advance()
            if len(token.text) > MAX_TEXT + 2:
                raise self.error(f"a text longer than {MAX_TEXT} characters", token.start)
            # NFC, as enum words are: one spelling for an accented word.
            word = unicodedata.normalize("NFC", token.text[1:-1])
            return a.Literal(loc=self.loc(token.start, token.end), value=word, type=TEXT)
        if token.kind == "keyword" and token.text in ("true", "false"):
            self.advance()
            return a.Literal(
                loc=self.loc(token.start, token.end), value=token.text == "true", type=BOOL
            )
        if token.kind == "name":
            self.advance()
            if self.at("op", "("):
                self.advance()
                args: list[a.Node] = []
                while not self.at("op", ")"):
                    args.append(self.expression())
                    if not self.at("op", ")"):
                        self.expect("op", ",")
                end = self.expect("op", ")").end
                return a.Call(loc=self.loc(token.start, end), function=token.text, args=tuple(args))
            return a.Name(loc=self.loc(token.start, token.end), name=token.text)
        if token.kind == "op" and token.text == "(":
            self.advance()
            node = self.expression()
            self.expect("op", ")")
            return node
        if token.kind == "op" and token.text == "[":
            start = token.start
            items = self.list_items()
            return a.ListExpr(loc=self.loc(start, self.tokens[self.index - 1].end), items=items)
        found = token.text or "end of expression"
        raise self.error(f"expected a value, found {found!r}", token.start)

    def number(self) -> a.Node:
        token = self.advance()
        if len(token.text.replace(".", "")) > MAX_DIGITS:
            raise self.error(f"a number has at most {MAX_DIGITS} digits", token.start)
        follower = self.current
        end = follower.end
        if follower.kind == "name" and follower.text in PERIOD_UNITS:
            self.advance()
            if "." in token.text:
                raise self.error("a period is a whole number of units", token.start)
            unit = PERIOD_UNITS[follower.text]
            if int(token.text) > MAX_PERIOD[unit]:
                raise self.error(
                    f"a period of at most {MAX_PERIOD[unit]} {unit.value} (about 330 years)",
                    token.start,
                )
            period = Period(int(token.text), unit)
            return a.Literal(loc=self.loc(token.start, end), value=period, type=PERIOD)
        if (follower.kind == "name" and follower.text == "EUR") or follower.text == "€":
            self.advance()
            amount = Decimal(token.text)
            if amount.as_tuple().exponent < -2:  # type: ignore[operator]
                raise self.error("an amount has at most two decimals", token.start)
            if amount * 100 >= MAX_AMOUNT_CENTS:
                raise self.error("an amount is below 10^12 EUR", token.start)
            return a.Literal(loc=self.loc(token.start, end), value=Money.of(amount), type=MONEY)
        if follower.kind == "op" and follower.text == "%":
            self.advance()
            return a.Literal(
                loc=self.loc(token.start, end), value=Rate.percent(Decimal(token.text)), type=RATE
            )
        if "." in token.text:
            raise self.error(
                "a decimal number needs a unit: '8645.00 EUR' or '15.5 %'", token.start
            )
        if int(token.text) > INT_LIMIT:
            raise self.error(f"a whole number is at most {INT_LIMIT} (2**53)", token.start)
        return a.Literal(loc=self.loc(token.start, token.end), value=int(token.text), type=INT)


def parse_expression(text: str, file: str, locate: Locator | None = None) -> a.Node:
    """Parse ``text`` to an untyped AST whose nodes carry file positions.

    Nesting is bounded (``nesting.py``): a deeper expression is a ``RulesetError``."""
    node = Parser(text, file, locate or (lambda offset: (1, offset + 1))).parse()
    check_depth(node)
    return node
