"""Which clauses of the agreements the rulesets encode, and why the others are not.

The encoded clauses come from the rulesets themselves: every citation of a rule,
a check, an ``otherwise``, a constant, a term or a version, grouped into clauses
(two quotes of the same article are one clause when one holds the other, the
parts around « [...] » included). The clauses not encoded are kept by hand in
``rulesets/sources/coverage.yaml``, each with its verbatim quote, a status
(``not_computable``: nothing a program can check or compute; ``needs_facts``:
computable, but on facts no one records) and why. ``convention-rules docs``
writes ``docs/coverage.md`` from both; tests check that each side is honest (a
clause listed as not encoded is cited by no rule, and is found in its text).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import attrs
import yaml

from convention_rules._errors import Location, RulesetError
from convention_rules.deciding.ruleset import Ruleset
from convention_rules.reading.model import Citation
from convention_rules.reading.sources import SourceText, fold_quote

#: the hand-kept list of clauses not encoded, in ``rulesets/sources/``
COVERAGE = "coverage.yaml"
STATUSES = ("not_computable", "needs_facts")
_KEYS = {"article", "text", "status", "why"}


@attrs.frozen
class Clause:
    """One clause of a text: encoded (``cited_by`` names who cites it) or not (``status``)."""

    source: str
    article: str
    text: str
    line: int | None
    cited_by: tuple[str, ...] = ()
    status: str = "encoded"
    why: str = ""


def citations(ruleset: Ruleset) -> Iterable[tuple[Citation, str]]:
    """Every citation of the ruleset with who makes it (``decision/rule``, ``constant x``…)."""
    spec = ruleset.spec
    constants = dict(spec.constants)
    terms = [spec.term] if spec.term is not None else []
    for version in spec.versions:
        if version.citation is not None:
            yield version.citation, f"version {version.id}"
        amendment = spec.amendments.get(version.id)
        if amendment is not None:
            constants.update({f"{n}@{version.id}": c for n, c in amendment.constants.items()})
            terms += [amendment.term] if amendment.term is not None else []
    for name, constant in constants.items():
        if constant.citation is not None:
            yield constant.citation, f"constant {name.split('@')[0]}"
    for term in terms:
        yield term.citation, "term"
    for _constants, decisions in spec.in_force().values():
        for name, decision in decisions.items():
            for rule in decision.rules:
                yield rule.citation, f"{name}/{rule.id}"
                for checked in rule.checked:
                    yield checked.citation, f"{name}/{checked.id}"
            if decision.otherwise is not None:
                yield decision.otherwise.citation, f"{name}/otherwise"


def _parts(quote: str) -> list[str]:
    return [part for part in (fold_quote(p) for p in quote.split("[...]")) if part]


def holds(outer: str, inner: str) -> bool:
    """Whether the quote ``outer`` holds every part of the quote ``inner``."""
    joined = " ".join(_parts(outer))
    return all(part in joined for part in _parts(inner))


def encoded_clauses(ruleset: Ruleset) -> list[Clause]:
    """The clauses the ruleset cites, one per group of quotes that hold one another."""
    groups: list[tuple[Citation, set[str]]] = []
    for citation, who in citations(ruleset):
        groups.append((citation, {who}))
        merged = True
        while merged:  # merge until no quote holds another of its article
            merged = False
            for i, (one, one_names) in enumerate(groups):
                for j, (other, other_names) in enumerate(groups):
                    same = (one.source, one.article) == (other.source, other.article)
                    if i != j and same and holds(one.text, other.text):
                        groups[i] = (one, one_names | other_names)
                        del groups[j]
                        merged = True
                        break
                if merged:
                    break
    text = ruleset.source_text()
    return [
        Clause(
            kept.source,
            kept.article,
            kept.text,
            text.cite(kept.article, kept.text) if kept.source == text.name else None,
            tuple(sorted(names)),
        )
        for kept, names in groups
    ]


def read_uncovered(path: Path, texts: dict[str, SourceText]) -> list[Clause]:
    """The hand-kept clauses not encoded, checked: known keys, a status, a quote in its text."""
    where = Location(str(path), 1, 1)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise RulesetError(f"coverage: invalid YAML: {exc}", Location(str(path), line, 1)) from None
    if not isinstance(data, dict):
        raise RulesetError("coverage: a mapping of source files to lists of clauses", where)
    out = []
    for source, items in data.items():
        if source not in texts:
            raise RulesetError(f"coverage: unknown source {source!r}", where)
        for number, item in enumerate(items or [], 1):
            what = f"coverage: {source}, clause {number}"
            if not isinstance(item, dict) or set(item) != _KEYS:
                raise RulesetError(f"{what} needs exactly {', '.join(sorted(_KEYS))}", where)
            if item["status"] not in STATUSES:
                raise RulesetError(f"{what}: status is one of {', '.join(STATUSES)}", where)
            article, quote = str(item["article"]), " ".join(str(item["text"]).split())
            passage = texts[source].article(article)
            line = texts[source].locate(quote, (passage.first, passage.last))
            if line is None:
                raise RulesetError(f"{what}: quote not found in art. {article}", where)
            out.append(
                Clause(
                    source, article, quote, line, (), item["status"], " ".join(item["why"].split())
                )
            )
    return out


def _row(clause: Clause) -> str:
    quote = clause.text.replace("|", "\\|")
    if clause.status == "encoded":
        verdict = "encoded: " + ", ".join(f"`{who}`" for who in clause.cited_by)
    else:
        label = "not computable" if clause.status == "not_computable" else "needs facts no one has"
        verdict = f"**{label}**: {clause.why}"
    line = clause.line if clause.line is not None else ""
    return f"| {line} | {clause.article} | « {quote} » | {verdict} |"


def coverage_page(rulesets: list[Ruleset], uncovered: list[Clause], link: str) -> str:
    """``docs/coverage.md``: counts per text, then every clause in the order of its text."""
    by_text = {rs.source: (rs, encoded_clauses(rs)) for rs in rulesets}
    rows = ["| text | ruleset | computable found | encoded | needs facts | not computable |"]
    rows.append("|---|---|---|---|---|---|")
    totals = [0, 0, 0, 0]
    sections: list[str] = []
    for source, (ruleset, encoded) in sorted(by_text.items()):
        others = [c for c in uncovered if c.source == source]
        needs = sum(c.status == "needs_facts" for c in others)
        not_computable = len(others) - needs
        counts = [len(encoded) + needs, len(encoded), needs, not_computable]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        rows.append(
            f"| [{source}]({link}{source}) | `{ruleset.id}` | "
            + " | ".join(map(str, counts))
            + " |"
        )
        sections += [
            f"## `{ruleset.id}`: {source}",
            "",
            "| line | art. | clause | |",
            "|---|---|---|---|",
        ]
        ordered = sorted([*encoded, *others], key=lambda c: (c.line or 0, c.article, c.text))
        sections += [_row(c) for c in ordered]
        sections.append("")
    rows.append("| **all five** | | " + " | ".join(f"**{n}**" for n in totals) + " |")
    head = [
        "# Coverage: every computable clause of the five texts",
        "",
        "Generated by `convention-rules docs` from the rulesets (what they cite is encoded) and",
        "`rulesets/sources/coverage.yaml` (the clauses not encoded, with why). A clause is a",
        "quote of its article; quotes of one article that hold one another are one clause.",
        "*Computable found* = encoded + needs facts; clauses judged not computable (no number,",
        "date or condition to check) are listed too: every obligation read is accounted for.",
        "",
        *rows,
        "",
        f"Closing count: {totals[0]} computable clauses found, {totals[1]} encoded, {totals[2]} "
        f"computable but needing facts no one has, {totals[3]} judged not computable.",
        "",
    ]
    return "\n".join(head + sections).rstrip() + "\n"
