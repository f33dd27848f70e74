"""The shared part of reading a ruleset file: text, citations, types, literals.

:class:`ReaderBase` holds what every section reader needs: the file, the
declared symbols, and helpers that parse expressions with their positions,
read citations and outcome words, and type-check against the symbols.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any, ParamSpec, TypeVar

from convention_rules._errors import Location, RulesetError
from convention_rules.language import syntax as a
from convention_rules.language.datatypes import DATE, Type
from convention_rules.language.nesting import MAX_NESTING, check_depth
from convention_rules.language.parser import parse_expression
from convention_rules.language.typecheck import Checker, Symbol
from convention_rules.reading.model import Citation, ConstantSpec, EventMark, FactSpec
from convention_rules.reading.positioned import (
    YMap,
    YNode,
    YScalar,
    YSeq,
    expect_map,
    expect_text,
    load_yaml,
)

_P = ParamSpec("_P")
_R = TypeVar("_R")
_UNKNOWN_NAME = re.compile(r"unknown (?:name|fact|decision|rule|constant) '([^']*)'")

RULE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
CITE_KEYS = {"source", "article", "text"}
#: what ``convention-rules lint`` reports, and a ruleset may allow as a documented reading
LINT_KINDS = ("overlap", "gap", "dead", "shadowed", "uncomputed")


def parse_date_text(node: YNode | None, what: str, where: Location) -> date:
    text = expect_text(node, what, where)
    try:
        return date.fromisoformat(text.text)
    except ValueError:
        raise RulesetError(
            f"{what} must be a date YYYY-MM-DD, not {text.text!r}", text.loc
        ) from None


class ReaderBase:
    """State and helpers shared by the section readers."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.root = expect_map(load_yaml(text, path), "a ruleset", Location(path, 1, 1))
        self.facts: dict[str, FactSpec] = {}
        self.constants: dict[str, ConstantSpec] = {}
        self.derived_raw: dict[str, tuple[YScalar, Location]] = {}
        self.derived: dict[str, a.Node] = {}
        #: the depth of each derived value, those it reads included (``nesting.py``)
        self.derived_depth: dict[str, int] = {}
        self._resolving: list[str] = []
        self._symbols: dict[str, Symbol] = {}
        self._seen = {"fact": 0, "constant": 0, "derived": 0}
        self.source = ""
        #: ``None``: raise the first error (loading); a list: collect every error
        #: of an item and go on with the next one (``convention-rules validate``)
        self.findings: list[RulesetError] | None = None
        #: names whose declaration failed: their uses are not reported again
        self.broken: set[str] = set()

    def attempt(
        self, name: str | None, read: Callable[_P, _R], *args: _P.args, **kwargs: _P.kwargs
    ) -> _R | None:
        """``read(*args)``; when collecting, a ``RulesetError`` is recorded (and ``name``
        marked broken) and ``None`` returned instead of raising."""
        if self.findings is None:
            return read(*args, **kwargs)
        try:
            return read(*args, **kwargs)
        except RulesetError as exc:
            if name is not None:
                self.broken.add(name)
            match = _UNKNOWN_NAME.search(exc.message)
            if match is None or match.group(1) not in self.broken:
                self.findings.append(exc)
            return None

    # -- helpers -----------------------------------------------------------
    def expr(self, node: YNode | None, what: str, where: Location) -> a.Node:
        scalar = expect_text(node, what, where)
        return parse_expression(scalar.text, self.path, scalar.locator())

    def text(self, node: YNode | None, what: str, where: Location) -> str:
        return " ".join(expect_text(node, what, where).text.split())

    def optional_text(self, mapping: YMap, key: str) -> str | None:
        node = mapping.get(key)
        return None if node is None else self.text(node, key, mapping.loc)

    def citation(self, mapping: YMap, what: str, *, required: bool = True) -> Citation | None:
        if "article" not in mapping and "text" not in mapping and not required:
            return None
        for key in ("article", "text"):
            if key not in mapping:
                raise RulesetError(
                    f"{what} must cite its clause: add '{key}:' "
                    "(the article and its verbatim text)",
                    mapping.loc,
                )
        source = self.optional_text(mapping, "source") or self.source
        return Citation(
            source=source,
            article=self.text(mapping.get("article"), "article", mapping.loc),
            text=self.text(mapping.get("text"), "text", mapping.loc),
        )

    def checker(self) -> Checker:
        """A checker over the symbols declared so far. The table grows as names are
        declared (never replaced), so it is extended, not rebuilt: 3,000 derived
        values would otherwise cost 9 million symbols."""
        symbols = self._symbols
        for kind, source in (("fact", self.facts), ("constant", self.constants)):
            for name in itertools.islice(source, self._seen[kind], None):
                spec = source[name]
                optional = kind == "fact" and bool(getattr(spec, "optional", False))
                symbols[name] = Symbol(name, kind, spec.type, optional=optional)
            self._seen[kind] = len(source)
        for name in itertools.islice(self.derived, self._seen["derived"], None):
            symbols[name] = Symbol(name, "derived", a.type_of(self.derived[name]))
        self._seen["derived"] = len(self.derived)
        return Checker(symbols, self.resolve_derived)

    def resolve_derived(self, name: str) -> Symbol | None:
        if name not in self.derived_raw:
            return None
        if name in self._resolving:
            cycle = " -> ".join([*self._resolving[self._resolving.index(name) :], name])
            raise RulesetError(
                f"derived values depend on each other: {cycle}", self.derived_raw[name][1]
            )
        if len(self._resolving) >= MAX_NESTING:
            raise RulesetError(
                f"derived values read one another more than {MAX_NESTING} deep "
                f"({' -> '.join(self._resolving[:3])} -> ...): flatten the chain",
                self.derived_raw[name][1],
            )
        self._resolving.append(name)
        scalar, _ = self.derived_raw[name]
        node = self.checker().check(parse_expression(scalar.text, self.path, scalar.locator()))
        self._resolving.pop()
        self.derived_depth[name] = check_depth(node, self.derived_depth)
        self.derived[name] = node
        return Symbol(name, "derived", a.type_of(node))

    def lint_allowed(self, body: YMap) -> tuple[str, ...]:
        """``lint: {allow: [overlap, ...], reading: ...}``: lint findings that are a documented
        reading of the text, which the linter stops reporting."""
        if "lint" not in body:
            return ()
        lint = expect_map(body.get("lint"), "lint", body.loc)
        lint.check_keys({"allow", "reading"}, {"allow", "reading"}, "lint")
        allow = lint.get("allow")
        if not isinstance(allow, YSeq) or not allow.items:
            raise RulesetError("lint.allow must be a list of finding kinds", lint.loc)
        kinds = tuple(self.text(item, "a finding kind", lint.loc) for item in allow.items)
        for kind, item in zip(kinds, allow.items, strict=True):
            if kind not in LINT_KINDS:
                raise RulesetError(
                    f"unknown lint finding {kind!r} (kinds: {', '.join(LINT_KINDS)})", item.loc
                )
        return kinds

    def rule_id(self, body: YMap) -> str:
        """A rule's id: letters, digits, '-', '_' and '.', so it is safe everywhere."""
        node = expect_text(body.get("id"), "id", body.loc)
        if not RULE_ID.fullmatch(node.text):
            raise RulesetError(
                f"rule id {node.text!r} may hold only letters, digits, '-', '_' and '.'", node.loc
            )
        return node.text

    def _outcome(self, node: YNode | None, outcomes: tuple[str, ...], where: Location) -> str:
        word = expect_text(node, "outcome", where)
        if word.text not in outcomes:
            raise RulesetError(
                f"outcome {word.text!r} is not declared (outcomes: {', '.join(outcomes)})",
                word.loc,
            )
        return word.text

    def coerce_literal(self, node: YScalar, expected: Type | None) -> Any:
        """A literal value in the expression syntax (``8500.00 EUR``, ``6 months``)."""
        if expected is not None and expected.is_enum:
            assert expected.values is not None
            word = unicodedata.normalize("NFC", node.text)
            if word not in expected.values:
                raise RulesetError(
                    f"{node.text!r} is not one of {', '.join(expected.values)}", node.loc
                )
            return word
        typed = self.checker().check(parse_expression(node.text, self.path, node.locator()))
        if not isinstance(typed, a.Literal):
            raise RulesetError("a literal value is expected here (no expression)", node.loc)
        if expected is not None and a.type_of(typed) != expected:
            raise RulesetError(f"expected a {expected} value, got {a.type_of(typed)}", node.loc)
        return typed.value

    def read_constant(self, name: str, node: YNode, loc: Location) -> ConstantSpec:
        body = expect_map(node, f"constant {name!r}", loc) if isinstance(node, YMap) else None
        if body is None:
            scalar = expect_text(node, f"constant {name!r}", loc)
            value = self.coerce_literal(scalar, None)
            return ConstantSpec(name, self._literal_type(scalar), ((None, value),))
        body.check_keys(
            {
                "value",
                "values",
                "reading",
                "source",
                "article",
                "text",
                "type",
                "interpretation",
                "event",
            },
            set(),
            f"constant {name!r}",
        )
        values: list[tuple[date | None, Any]] = []
        kind: Type | None = None
        if "value" in body:
            scalar = expect_text(body.get("value"), "value", body.loc)
            kind = self._literal_type(scalar)
            values.append((None, self.coerce_literal(scalar, None)))
        elif "values" in body:
            dated = expect_map(body.get("values"), "values", body.loc)
            for since_text, since_loc, value_node in dated.items():
                try:
                    since = date.fromisoformat(since_text)
                except ValueError:
                    raise RulesetError(
                        f"a dated value needs a YYYY-MM-DD key, not {since_text!r}", since_loc
                    ) from None
                scalar = expect_text(value_node, "value", since_loc)
                scalar_type = self._literal_type(scalar)
                if kind is not None and scalar_type != kind:
                    raise RulesetError(f"dated values mix {kind} and {scalar_type}", scalar.loc)
                kind = scalar_type
                values.append((since, self.coerce_literal(scalar, None)))
            values.sort(key=lambda pair: pair[0] or date.min)
        else:
            raise RulesetError(
                f"constant {name!r} needs 'value:' or 'values: {{date: value}}'", body.loc
            )
        assert kind is not None
        event = self._event(body, name) if "event" in body else None
        if event is not None and kind != DATE:
            raise RulesetError(
                f"constant {name!r} is an event but holds {kind}, not a date", body.loc
            )
        return ConstantSpec(
            name,
            kind,
            tuple(values),
            citation=self.citation(body, f"constant {name!r}", required=False),
            reading=self.optional_text(body, "reading"),
            event=event,
        )

    def _event(self, body: YMap, name: str) -> EventMark:
        """``event: label`` or ``event: {label, until, yearly}`` (a calendar event)."""
        node = body.get("event")
        if not isinstance(node, YMap):
            return EventMark(self.text(node, "event", body.loc), loc=body.loc)
        node.check_keys({"label", "until", "yearly"}, {"label"}, f"event of constant {name!r}")
        yearly = False
        if "yearly" in node:
            flag = expect_text(node.get("yearly"), "yearly", node.loc)
            if flag.text not in ("true", "false"):
                raise RulesetError(f"yearly is true or false, not {flag.text!r}", flag.loc)
            yearly = flag.text == "true"
        return EventMark(
            self.text(node.get("label"), "label", node.loc),
            self.optional_text(node, "until"),
            yearly,
            node.loc,
        )

    def _literal_type(self, scalar: YScalar) -> Type:
        typed = self.checker().check(parse_expression(scalar.text, self.path, scalar.locator()))
        if not isinstance(typed, a.Literal):
            raise RulesetError("a constant is a literal value (no expression)", scalar.loc)
        return a.type_of(typed)
