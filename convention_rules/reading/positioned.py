"""YAML with positions, for configuration that a person writes by hand.

Built on ``yaml.compose`` with PyYAML's safe loader: no Python objects are
ever constructed from tags. Anchors, aliases, explicit tags and duplicate keys
are refused with their ``file:line:col``. Scalars stay text (a date stays
``"2025-01-01"``) together with their position, so expressions can be parsed
later with exact columns.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import attrs
import yaml

from convention_rules._errors import Location, RulesetError

#: when set (by ``convention-rules validate``), unknown and missing keys are collected
#: there instead of raised, so that the rest of the mapping is read and checked too
UNKNOWN_KEYS: ContextVar[list[RulesetError] | None] = ContextVar("UNKNOWN_KEYS", default=None)

_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"
_FLOAT_TAG = "tag:yaml.org,2002:float"
#: Levels of nested lists and mappings (a ruleset needs 6 or 7; composing is recursive).
MAX_YAML_DEPTH = 32


@attrs.frozen
class YScalar:
    text: str
    tag: str
    style: str | None
    loc: Location
    source_lines: tuple[str, ...] = attrs.field(repr=False, eq=False)

    @property
    def is_null(self) -> bool:
        return self.tag == _NULL_TAG and self.style is None

    def locator(self) -> Any:
        """Map an offset in ``text`` to (line, column) in the file."""
        line0, col0 = self.loc.line, self.loc.column
        if self.style in ("|", ">"):
            return self._block_locator()
        shift = 1 if self.style in ("'", '"') else 0

        def inline(offset: int) -> tuple[int, int]:
            before = self.text[:offset]
            lines = before.count("\n")
            if lines == 0:
                return line0, col0 + shift + offset
            return line0 + lines, len(before.rsplit("\n", 1)[-1]) + 1

        return inline

    def _block_locator(self) -> Any:
        """Offsets of a block scalar: its lines are joined by one character
        (a newline, or a space when folded), each stripped of its indentation."""
        starts: list[tuple[int, int, int]] = []  # (offset, line, indentation)
        offset = 0
        number = self.loc.line  # the indicator's line; content starts below
        while offset <= len(self.text) and number < len(self.source_lines):
            raw = self.source_lines[number]
            content = raw.strip()
            number += 1
            if not content:
                continue
            starts.append((offset, number, len(raw) - len(raw.lstrip(" "))))
            offset += len(content) + 1

        def block(position: int) -> tuple[int, int]:
            chosen = starts[0] if starts else (0, self.loc.line, self.loc.column - 1)
            for start in starts:
                if start[0] <= position:
                    chosen = start
            return chosen[1], chosen[2] + 1 + position - chosen[0]

        return block


@attrs.frozen
class YSeq:
    items: tuple[YNode, ...]
    loc: Location


@attrs.frozen
class YMap:
    entries: dict[str, tuple[Location, YNode]]
    loc: Location

    def get(self, key: str) -> YNode | None:
        entry = self.entries.get(key)
        return entry[1] if entry else None

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def items(self) -> Iterator[tuple[str, Location, YNode]]:
        for key, (loc, node) in self.entries.items():
            yield key, loc, node

    def check_keys(self, allowed: set[str], required: set[str], what: str) -> None:
        for key, loc, _ in self.items():
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                error = RulesetError(
                    f"unknown key {key!r} in {what} (allowed: {', '.join(sorted(allowed))}){hint}",
                    loc,
                )
                collected = UNKNOWN_KEYS.get()
                if collected is None:
                    raise error
                collected.append(error)  # validate: an unknown key is ignored, and reported
        for key in sorted(required - set(self.entries)):
            error = RulesetError(f"{what} needs the key {key!r}", self.loc)
            collected = UNKNOWN_KEYS.get()
            if collected is None:
                raise error
            collected.append(error)  # validate: reading goes on to what follows


YNode = YScalar | YSeq | YMap


class _StrictLoader(yaml.SafeLoader):
    """The safe loader, refusing aliases and explicit tags."""

    file = ""
    depth = 0

    def _error(self, message: str, mark: Any) -> RulesetError:
        return RulesetError(message, Location(self.file, mark.line + 1, mark.column + 1))

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise self._error("aliases (*name) are not allowed in rulesets", event.start_mark)
        event = self.peek_event()  # type: ignore[no-untyped-call]
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise self._error("anchors (&name) are not allowed in rulesets", event.start_mark)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!", "?"):
            raise self._error(
                f"explicit tags ({tag}) are not allowed in rulesets", event.start_mark
            )
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                raise self._error(
                    f"lists and mappings nested more than {MAX_YAML_DEPTH} levels deep",
                    event.start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _loc(file: str, node: yaml.Node) -> Location:
    start, end = node.start_mark, node.end_mark
    return Location(file, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def load_yaml(text: str, file: str) -> YNode:
    """Parse ``text`` (named ``file`` in errors) to a positioned tree.

    With libyaml, the C parser's events are composed here, iteratively (four
    times faster than PyYAML's Python scanner: a file of 100,000 facts or cases
    loads in seconds); a file the C path refuses is read again by the Python
    loader, whose messages the tests check, so errors are the same either way."""
    lines = tuple(text.splitlines())
    # Tabs, control and special characters (BOM, line separators) and the bare '!'
    # tag are where libyaml and PyYAML disagree: the Python loader reads those.
    if _CParser is not None and _UNUSUAL.search(text) is None:
        try:
            return _compose_events(_CParser(text), file, lines)
        except yaml.YAMLError:
            pass  # the Python loader below says what is wrong, with its position
    return _load_python(text, file, lines)


def _load_python(text: str, file: str, lines: tuple[str, ...]) -> YNode:
    try:
        loader = _StrictLoader(text)  # reads the text: may refuse a control character
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise RulesetError(
            f"invalid YAML: the control character U+{code:04X} is not allowed",
            Location(file, line, column),
        ) from None
    loader.file = file
    try:
        root = loader.get_single_node()
    except RulesetError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file, 1, 1)
        raise RulesetError(f"invalid YAML: {exc.problem or exc.context}", loc) from None
    except yaml.YAMLError as exc:
        raise RulesetError(f"invalid YAML: {exc}", Location(file, 1, 1)) from None
    finally:
        loader.dispose()
    if root is None:
        raise RulesetError("the file is empty", Location(file, 1, 1))
    return _convert(root, file, lines)


def _c_parser() -> Any:
    try:
        from yaml.cyaml import CParser  # type: ignore[attr-defined]  # noqa: PLC0415 - optional C
    except ImportError:  # PyYAML without libyaml: the Python loader reads everything
        return None
    return CParser


_CParser: Any = _c_parser()
_RESOLVER = yaml.resolver.Resolver()
_UNUSUAL = re.compile("[\t\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029\ufffe\uffff\ud800-\udfff]")


def _mark_loc(file: str, start: Any, end: Any) -> Location:
    return Location(file, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _compose_events(parser: Any, file: str, lines: tuple[str, ...]) -> YNode:
    """The positioned tree of one document from parser events, without recursion:
    the same tree (and refusals) as ``_StrictLoader`` and ``_convert``."""
    # Each open container: [is_mapping, start_mark, children].
    stack: list[tuple[bool, Any, list[YNode]]] = []
    root: YNode | None = None
    documents = 0
    try:
        while True:
            event = parser.get_event()
            if isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _event_error(file, "invalid YAML: but found another document", event)
                continue
            _check_event(file, event, len(stack))
            node: YNode
            if isinstance(event, yaml.ScalarEvent):
                if event.tag == "!":
                    raise yaml.YAMLError("the bare '!' tag: read by the Python loader")
                tag = event.tag
                if tag is None:
                    tag = _RESOLVER.resolve(  # type: ignore[no-untyped-call]
                        yaml.ScalarNode, event.value, event.implicit
                    )
                loc = _mark_loc(file, event.start_mark, event.end_mark)
                node = YScalar(str(event.value), tag, event.style or None, loc, lines)
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                stack.append((isinstance(event, yaml.MappingStartEvent), event.start_mark, []))
                continue
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                is_mapping, start, children = stack.pop()
                loc = _mark_loc(file, start, event.end_mark)
                node = _mapping(children, loc) if is_mapping else YSeq(tuple(children), loc)
            else:  # stream start, document end
                continue
            if stack:
                stack[-1][2].append(node)
            else:
                root = node
    finally:
        parser.dispose()
    if root is None:
        raise RulesetError("the file is empty", Location(file, 1, 1))
    return root


def _check_event(file: str, event: Any, depth: int) -> None:
    """Refuse what ``_StrictLoader.compose_node`` refuses: aliases, anchors, tags, depth."""
    if isinstance(event, yaml.AliasEvent):
        raise _event_error(file, "aliases (*name) are not allowed in rulesets", event)
    if not isinstance(event, yaml.NodeEvent):
        return
    if event.anchor is not None:
        raise _event_error(file, "anchors (&name) are not allowed in rulesets", event)
    tag = getattr(event, "tag", None)
    if tag not in (None, "!", "?"):
        raise _event_error(file, f"explicit tags ({tag}) are not allowed in rulesets", event)
    if depth >= MAX_YAML_DEPTH:
        raise _event_error(
            file, f"lists and mappings nested more than {MAX_YAML_DEPTH} levels deep", event
        )


def _event_error(file: str, message: str, event: Any) -> RulesetError:
    mark = event.start_mark
    return RulesetError(message, Location(file, mark.line + 1, mark.column + 1))


def _mapping(children: list[YNode], loc: Location) -> YMap:
    entries: dict[str, tuple[Location, YNode]] = {}
    for index in range(0, len(children), 2):
        key_node, value = children[index], children[index + 1]
        if not isinstance(key_node, YScalar):
            raise RulesetError("a key must be plain text", key_node.loc)
        key_loc = key_node.loc
        if key_node.text in entries:
            first = entries[key_node.text][0]
            raise RulesetError(
                f"duplicate key {key_node.text!r} (first at line {first.line})", key_loc
            )
        entries[key_node.text] = (key_loc, value)
    return YMap(entries, loc)


def _convert(node: yaml.Node, file: str, lines: tuple[str, ...]) -> YNode:
    loc = _loc(file, node)
    if isinstance(node, yaml.ScalarNode):
        return YScalar(str(node.value), node.tag, node.style, loc, lines)
    if isinstance(node, yaml.SequenceNode):
        return YSeq(tuple(_convert(item, file, lines) for item in node.value), loc)
    if isinstance(node, yaml.MappingNode):
        entries: dict[str, tuple[Location, YNode]] = {}
        for key_node, value_node in node.value:
            key_loc = _loc(file, key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                raise RulesetError("a key must be plain text", key_loc)
            key = str(key_node.value)
            if key in entries:
                first = entries[key][0]
                raise RulesetError(f"duplicate key {key!r} (first at line {first.line})", key_loc)
            entries[key] = (key_loc, _convert(value_node, file, lines))
        return YMap(entries, loc)
    raise RulesetError("unsupported YAML node", loc)  # pragma: no cover


def to_plain(node: YNode) -> Any:
    """Convert to plain JSON-like Python values: dates stay ISO strings."""
    if isinstance(node, YMap):
        return {key: to_plain(value) for key, _, value in node.items()}
    if isinstance(node, YSeq):
        return [to_plain(item) for item in node.items]
    if node.style is not None:
        return node.text
    if node.tag == _NULL_TAG:
        return None
    if node.tag == _BOOL_TAG:
        return node.text.lower() in ("true", "yes", "on")
    if node.tag == _INT_TAG:
        try:
            return int(node.text, 0) if not node.text.isdigit() else int(node.text)
        except ValueError:
            return node.text
    if node.tag == _FLOAT_TAG:
        # Kept as text: a float is never an amount; the fact checker says so.
        return float(node.text) if node.text.lower() not in (".nan", ".inf", "-.inf") else node.text
    return node.text


# -- small typed readers -------------------------------------------------------


def expect_map(node: YNode | None, what: str, where: Location) -> YMap:
    if not isinstance(node, YMap):
        loc = node.loc if node is not None else where
        raise RulesetError(f"{what} must be a mapping (key: value)", loc)
    return node


def expect_seq(node: YNode | None, what: str, where: Location) -> YSeq:
    if not isinstance(node, YSeq):
        loc = node.loc if node is not None else where
        raise RulesetError(f"{what} must be a list (- item)", loc)
    return node


def expect_text(node: YNode | None, what: str, where: Location) -> YScalar:
    if not isinstance(node, YScalar) or node.is_null:
        loc = node.loc if node is not None else where
        raise RulesetError(f"{what} must be text", loc)
    return node
