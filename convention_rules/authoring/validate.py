"""``convention-rules validate``: every finding in a ruleset or case file.

A ruleset is checked in layers, each finding at its ``file:line:col`` with a
hint: the YAML itself; the JSON Schema (shape, unknown keys); the reader in
its collecting mode (types, unknown names, rules without their clause, every
item on its own, so one error does not hide the next); the compiler's limits;
each citation against the source text it names (``sources/<file>`` beside the
ruleset); each constant whose value is a choice without its ``reading:``.

:func:`iter_findings` yields them all; :func:`validate` raises the best one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path

from convention_rules._errors import ConventionRulesError, Location, RulesetError
from convention_rules._registry import load_ruleset
from convention_rules.authoring.findings import Finding, raise_best
from convention_rules.authoring.quotes import missing_fragment, normalise, value_in_clause
from convention_rules.authoring.schema import iter_schema_findings
from convention_rules.deciding.ruleset import Ruleset
from convention_rules.language.functions import FUNCTIONS
from convention_rules.reading.loader import Reader
from convention_rules.reading.positioned import (
    UNKNOWN_KEYS,
    YMap,
    YNode,
    YScalar,
    YSeq,
    load_yaml,
)
from convention_rules.tools.casefiles import read_cases

SOURCES_DIR = "sources"
_QUOTED = re.compile(r"'([^']*)'")
_UNCITED = re.compile(
    r"(a rule|a check|checks|otherwise|an amended rule) needs the key '(article|text)'"
)


def is_case_file(path: Path) -> bool:
    return path.name.endswith((".cases.yaml", ".cases.yml"))


def iter_findings(path: Path, display: str | None = None) -> Iterator[Finding]:
    """Every finding in the ruleset or case file at ``path``, in file order."""
    shown = display or str(path)
    start = Location(shown, 1, 1)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        yield Finding("file", start, f"cannot read the file: {exc}")
        return
    try:
        root = load_yaml(text, shown)
    except RulesetError as exc:
        yield Finding("yaml", exc.location or start, exc.message)
        return
    kind = "cases" if is_case_file(path) else "ruleset"
    found = list(iter_schema_findings(root, kind))
    if kind == "cases":
        found.extend(_case_findings(path, found))
    else:
        found = _merge(_load_findings(text, shown), found)
        found.extend(_citation_findings(root, path, shown))
        found.extend(_reading_findings(root))
    yield from sorted(set(found), key=lambda f: f.sort_key)


def validate(path: Path, display: str | None = None) -> None:
    """Raise the best finding of ``path`` as a :class:`RulesetError` (nothing when clean)."""
    raise_best(iter_findings(path, display))


def _merge(loaded: list[Finding], schema: list[Finding]) -> list[Finding]:
    """The reader's findings, and the schema's where the reader said nothing at that place
    (the reader's message is the more precise)."""
    places = {(f.location.line, f.location.column) for f in loaded}
    lines = {f.location.line for f in loaded}
    kept = [
        f
        for f in schema
        if (f.location.line, f.location.column) not in places and f.location.line not in lines
    ]
    return [*loaded, *kept]


def _load_findings(text: str, shown: str) -> list[Finding]:
    try:
        reader = Reader(text, shown)
    except RulesetError as exc:
        return [Finding("yaml", exc.location or Location(shown, 1, 1), exc.message)]
    reader.findings = []
    spec = None
    token = UNKNOWN_KEYS.set(reader.findings)
    try:
        spec = reader.read()
    except RulesetError as exc:
        reader.findings.append(exc)
    finally:
        UNKNOWN_KEYS.reset(token)
    names = sorted({*reader.facts, *reader.constants, *reader.derived_raw, "as_of"})
    seen: set[Location | None] = set()
    found = []
    for error in reader.findings:
        if error.location in seen:
            continue  # one finding a place: what follows a missing key is its consequence
        seen.add(error.location)
        message, hint = error.message, _hint(error, names)
        kind = "load"
        uncited = _UNCITED.fullmatch(message)
        if uncited or "must cite its clause" in message:
            kind, hint = (
                "uncited",
                "quote the clause verbatim under 'text:' and name its 'article:'",
            )
        if uncited:
            message = f"{uncited.group(1)} does not cite its clause: no '{uncited.group(2)}:'"
        found.append(Finding(kind, error.location or Location(shown, 1, 1), message, hint))
    if spec is not None and not found and not reader.findings:
        try:
            Ruleset(spec)
        except ConventionRulesError as exc:
            location = getattr(exc, "location", None) or Location(shown, 1, 1)
            found.append(Finding("compile", location, getattr(exc, "message", str(exc))))
    return found


def _hint(error: RulesetError, names: list[str]) -> str:
    """A "did you mean" for an unknown name, function or outcome."""
    message = error.message
    quoted = _QUOTED.findall(message)
    if not quoted:
        return ""
    word = quoted[0]
    if message.startswith(("unknown name", "unknown fact")):
        candidates = names
    elif message.startswith("unknown function"):
        candidates = sorted(FUNCTIONS)
    elif message.startswith("outcome") and "(outcomes: " in message:
        candidates = message.split("(outcomes: ", 1)[1].rstrip(")").split(", ")
    elif " is not one of " in message:  # an enum word
        candidates = message.split(" is not one of ", 1)[1].split(", ")
    else:
        return ""
    close = difflib.get_close_matches(word, candidates, n=1)
    return f"did you mean {close[0]!r}?" if close else ""


def _citations(node: YNode, source: str) -> Iterator[tuple[YScalar, str]]:
    """Every quoted clause (a mapping with ``article`` and ``text``) and its source file."""
    if isinstance(node, YMap):
        here = source
        named = node.get("source")
        if isinstance(named, YScalar) and not named.is_null:
            here = named.text
        quote = node.get("text")
        if "article" in node and isinstance(quote, YScalar) and not quote.is_null:
            yield quote, here
        for key, _, child in node.items():
            if key != "text":
                yield from _citations(child, source)
    elif isinstance(node, YSeq):
        for item in node.items:
            yield from _citations(item, source)


def _citation_findings(root: YNode, path: Path, shown: str) -> Iterator[Finding]:
    if not isinstance(root, YMap):
        return
    top = root.get("source")
    default = top.text if isinstance(top, YScalar) else ""
    texts: dict[str, str | None] = {}
    for quote, source in _citations(root, default):
        if source not in texts:
            file = path.parent / SOURCES_DIR / source
            texts[source] = normalise(file.read_text(encoding="utf-8")) if file.is_file() else None
            if texts[source] is None:
                yield Finding(
                    "citation",
                    quote.loc,
                    f"source text not found: {source!r}",
                    f"put the agreement's text in {SOURCES_DIR}/{source} beside the ruleset",
                )
        source_text = texts[source]
        if source_text is None:
            continue
        fragment = missing_fragment(quote.text, source_text)
        if fragment is not None:
            shown_fragment = fragment if len(fragment) <= 60 else fragment[:57] + "..."
            yield Finding(
                "citation",
                quote.loc,
                f"the quoted text is not in {source}: {shown_fragment!r}",
                "quote the clause verbatim (mark a cut with …)",
            )


def _constant_nodes(root: YMap) -> Iterator[tuple[str, Location, YNode]]:
    """The constants of the ruleset and those its versions amend."""
    constants = root.get("constants")
    if isinstance(constants, YMap):
        yield from constants.items()
    versions = root.get("versions")
    for version in versions.items if isinstance(versions, YSeq) else ():
        amends = version.get("amends") if isinstance(version, YMap) else None
        amended = amends.get("constants") if isinstance(amends, YMap) else None
        if isinstance(amended, YMap):
            yield from amended.items()


def _reading_findings(root: YNode) -> Iterator[Finding]:
    """A constant whose value is a choice needs its ``reading:``: one marked
    ``interpretation: true``, or one whose value (each dated value) is not written in
    its clause."""
    if not isinstance(root, YMap):
        return
    for name, loc, node in _constant_nodes(root):
        if not isinstance(node, YMap) or "reading" in node:
            continue
        flag = node.get("interpretation")
        if isinstance(flag, YScalar) and flag.text == "true":
            yield Finding(
                "reading",
                loc,
                f"constant {name!r} is marked as an interpretation but has no 'reading:'",
                "say which reading of the clause the value takes, and why",
            )
            continue
        clause = node.get("text")
        if not isinstance(clause, YScalar):
            continue
        dated = node.get("values")
        values = [node.get("value")]
        if isinstance(dated, YMap):
            values = [value for _, _, value in dated.items()]
        for value in values:
            if isinstance(value, YScalar) and not value_in_clause(value.text, clause.text):
                yield Finding(
                    "reading",
                    loc,
                    f"the value {value.text!r} of constant {name!r} is not written in its clause",
                    "add a 'reading:' saying how the clause gives this value",
                )
                break


def _case_findings(path: Path, schema: list[Finding]) -> Iterator[Finding]:
    if schema:
        return
    try:
        cases = read_cases(path)
    except RulesetError as exc:
        yield Finding("load", exc.location or Location(str(path), 1, 1), exc.message)
        return
    rulesets: dict[str, Ruleset | None] = {}
    for case in cases:
        if case.ruleset not in rulesets:
            try:
                rulesets[case.ruleset] = load_ruleset(case.ruleset)
            except ConventionRulesError as exc:
                rulesets[case.ruleset] = None
                yield Finding("cases", case.loc, f"the ruleset does not load: {exc}")
        ruleset = rulesets[case.ruleset]
        if ruleset is None:
            continue
        if case.decision not in ruleset.decisions:
            close = difflib.get_close_matches(case.decision, list(ruleset.decisions), n=1)
            yield Finding(
                "cases",
                case.loc,
                f"{ruleset.id} has no decision {case.decision!r}",
                f"did you mean {close[0]!r}?"
                if close
                else "decisions: " + ", ".join(ruleset.decisions),
            )
            continue
        inputs = ruleset.decision_spec(case.decision).inputs
        if "error" in case.expect:
            continue  # a case about invalid facts: an unknown fact may be what it tests
        for fact in case.facts:
            if fact not in inputs:
                close = difflib.get_close_matches(fact, list(inputs), n=1)
                yield Finding(
                    "cases",
                    case.loc,
                    f"case {case.name!r}: {fact!r} is not a fact decision {case.decision!r} reads",
                    f"did you mean {close[0]!r}?" if close else "inputs: " + ", ".join(inputs),
                )
