"""Documentation of rulesets: each clause beside the rule that encodes it.

``convention-rules docs`` writes ``docs/rulesets/<id>.md`` for every bundled
ruleset (its rules beside their clauses, the readings, and the table of its
hand-computed cases), ``docs/readings.md``, the interpretations chosen where the
texts leave room, and ``docs/coverage.md`` (``tools/coverage.py``). A test checks
that the committed pages are up to date.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from convention_rules._errors import ConventionRulesError
from convention_rules._registry import SOURCES, bundled_dir, bundled_rulesets, load_ruleset
from convention_rules.deciding.ruleset import Ruleset
from convention_rules.language.unparse import unparse
from convention_rules.reading.loader import RulesetSpec
from convention_rules.reading.model import Citation, DecisionSpec, RuleSpec
from convention_rules.tools.casefiles import Case, read_cases
from convention_rules.tools.coverage import COVERAGE, coverage_page, read_uncovered

#: from docs/rulesets/<id>.md to the texts in rulesets/sources/
SOURCES_LINK = f"../../rulesets/{SOURCES}/"
_Quote = Callable[[Citation], list[str]]


def _quoter(ruleset: Ruleset, link: str = SOURCES_LINK) -> _Quote:
    """Quotes each citation, linked to its line in the source text (the quote's opening when
    the text has it, else the article's heading)."""
    text = ruleset.source_text()

    def quote(citation: Citation) -> list[str]:
        where = f"{citation.source}, art. {citation.article}"
        line = text.cite(citation.article, citation.text) if citation.source == text.name else None
        if line is not None:
            where = f"[{where}]({link}{citation.source}#L{line})"
        return [f"> « {citation.text} »", f"> — {where}"]

    return quote


def _rule(rule: RuleSpec, quote: _Quote, since: str | None = None) -> list[str]:
    origin = f" (from version `{since}`)" if since else ""
    lines = [f"#### `{rule.id}` → `{rule.outcome}`{origin}", ""]
    lines += quote(rule.citation)
    lines += ["", "```", f"when {unparse(rule.when)}"]
    if rule.exception_to:
        lines.append("exception to " + ", ".join(rule.exception_to))
    lines += [f"{value.name} = {unparse(value.expr)}" for value in rule.values]
    lines += ["```", ""]
    if rule.problems:
        lines += [f"Fails on: {', '.join(rule.problems)}.", ""]
    if rule.reading:
        lines += [f"*Reading:* {rule.reading}", ""]
    return lines


def _versions(spec: RulesetSpec) -> tuple[list[str], dict[str, str]]:
    """The versions section, and which version added or replaced each rule."""
    since: dict[str, str] = {}
    if not spec.versions:
        return [], since
    lines = [
        "## Versions",
        "",
        "Decisions below are shown as the latest version has them; each rule that a "
        "version added or replaced says which.",
        "",
    ]
    for version in spec.versions:
        first = version.first.isoformat() if version.first else "…"
        last = version.last.isoformat() if version.last else "…"
        lines.append(f"- `{version.id}` ({first} to {last}): {version.title}")
        amendment = spec.amendments.get(version.id)
        if amendment is None:
            continue
        changes = [f"constant `{name}`" for name in amendment.constants]
        changes += [f"rule `{rule_id}`" for rule_id in amendment.rules]
        for decision_name, rules in amendment.added_rules.items():
            changes += [f"adds rule `{r.id}` to `{decision_name}`" for r in rules]
        for decision_name, values in amendment.values.items():
            changes += [f"value `{v.name}` of `{decision_name}`" for v in values]
        if changes:
            lines.append("  amends: " + "; ".join(changes))
        since.update(dict.fromkeys(amendment.rules, version.id))
        for rules in amendment.added_rules.values():
            since.update({r.id: version.id for r in rules})
    lines.append("")
    return lines, since


def _term(spec: RulesetSpec, quote: _Quote) -> list[str]:
    """The term: the days in force, and which decisions it dates (``reading/terms.py``)."""
    terms = [("", spec.term)] + [
        (f" (from version `{version}`)", amendment.term)
        for version, amendment in spec.amendments.items()
    ]
    lines: list[str] = []
    for origin, term in terms:
        if term is None:
            continue
        first = term.first_day.isoformat() if term.first_day else "no first day"
        last = term.last_day.isoformat() if term.last_day else "no last day"
        lines += [f"## Term{origin}", "", f"In force from {first} to {last}.", ""]
        lines += [*quote(term.citation), ""]
        if term.reading:
            lines += [f"*Reading:* {term.reading}", ""]
    dated = [(n, d) for n, d in spec.decisions.items() if d.dated_by is not None]
    if dated and lines:
        lines += ["Dated decisions (`not_in_force` outside the term, checked before any rule):", ""]
        for name, decision in dated:
            assert decision.dated_by is not None
            expires = " (`expires_first` when it would take effect after the last day)"
            lines.append(
                f"- `{name}`: dated by `{unparse(decision.dated_by)}`"
                + (expires if decision.expires_first else "")
            )
        lines.append("")
    return lines


def _declarations(spec: RulesetSpec) -> list[str]:
    lines = ["## Facts", "", "| fact | type | description |", "|---|---|---|"]
    for fact in spec.facts.values():
        kind = str(fact.type) + (" (optional event)" if fact.optional else "")
        lines.append(f"| `{fact.name}` | {kind} | {fact.description} |")
    lines.append("")
    if spec.constants:
        lines += ["## Constants", ""]
        for constant in spec.constants.values():
            values = ", ".join(
                (f"from {day.isoformat()}: " if day else "") + str(value)
                for day, value in constant.values
            )
            lines.append(f"- `{constant.name}` = {values}")
            if constant.citation:
                lines.append(f"  (art. {constant.citation.article}: « {constant.citation.text} »)")
            if constant.reading:
                lines.append(f"  *Reading:* {constant.reading}")
        lines.append("")
    if spec.derived:
        lines += ["## Derived values", ""]
        lines += [f"- `{name} = {unparse(node)}`" for name, node in spec.derived.items()]
        lines.append("")
    return lines


def _decision(
    decision: DecisionSpec, since: dict[str, str], quote: _Quote, cases: list[Case] | None = None
) -> list[str]:
    lines = [
        f"## Decision `{decision.name}`",
        "",
        decision.title,
        "",
        f"Outcomes: {', '.join(f'`{o}`' for o in decision.outcomes)}. "
        f"Inputs: {', '.join(f'`{i}`' for i in decision.inputs) or 'none'}.",
        "",
    ]
    for value in decision.values:
        when = f" (when {unparse(value.when)})" if value.when is not None else ""
        lines.append(f"- value `{value.name} = {unparse(value.expr)}`{when}")
        if value.reading:
            lines.append(f"  *Reading:* {value.reading}")
    if decision.values:
        lines.append("")
    lines += ["### Rules", ""]
    for rule in decision.rules:
        lines += _rule(rule, quote, since.get(rule.id))
    if decision.otherwise is not None:
        lines += [f"#### otherwise → `{decision.otherwise.outcome}`", ""]
        lines += [*quote(decision.otherwise.citation), ""]
        if decision.otherwise.reading:
            lines += [f"*Reading:* {decision.otherwise.reading}", ""]
    if cases is not None:
        lines += _case_table([case for case in cases if case.decision == decision.name])
    return lines


def _cell(text: str) -> str:
    """Text for one cell of a Markdown table."""
    return " ".join(text.split()).replace("|", "\\|")


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _expected(expect: Mapping[str, Any]) -> str:
    if "error" in expect:
        return f"error on `{expect['error']}`"
    parts = [f"`{expect['outcome']}`"] if "outcome" in expect else []
    parts += [f"{name} = {_plain(value)}" for name, value in (expect.get("values") or {}).items()]
    if expect.get("missing"):
        parts.append("missing: " + ", ".join(f"`{name}`" for name in expect["missing"]))
    return "; ".join(parts)


def _case_table(cases: list[Case]) -> list[str]:
    """The hand-computed cases of one decision, as a table."""
    if not cases:
        return ["### Cases", "", "No case in the case file yet.", ""]
    lines = [
        "### Cases",
        "",
        "| case | as of | facts | expected | why (hand computation) |",
        "|---|---|---|---|---|",
    ]
    for case in cases:
        facts = json.dumps(case.facts, ensure_ascii=False) if case.facts else "none"
        row = [case.name, case.as_of or "any day", f"`{facts}`", _expected(case.expect)]
        row.append(case.why or "")
        lines.append("| " + " | ".join(_cell(cell) for cell in row) + " |")
    lines.append("")
    return lines


def ruleset_page(
    ruleset: Ruleset,
    cases: list[Case] | None = None,
    stem: str | None = None,
    sources_link: str = SOURCES_LINK,
) -> str:
    """One ruleset's page: its versions, declarations and decisions, clause by rule.

    With ``cases`` (those of its case file), each decision ends with the table of its cases.
    ``stem`` is where its files are, without ``.yaml`` (default ``rulesets/<id>``);
    ``sources_link`` the link from the page to the folder of its source texts.
    """
    spec = ruleset.spec
    signed = f", signed {spec.signed.isoformat()}" if spec.signed else ""
    parties = f" Parties: {'; '.join(spec.parties)}." if spec.parties else ""
    stem = stem or f"rulesets/{spec.id}"
    cases_note = f" and `{stem}.cases.yaml`" if cases is not None else ""
    lines = [
        f"# {spec.id}",
        "",
        f"{spec.title}. Source: [`{spec.source}`]({sources_link}{spec.source}){signed}.{parties} "
        f"Generated from `{stem}.yaml`{cases_note} by `convention-rules docs`; each quote links "
        f"to its line in the text (`convention-rules source {spec.id} ARTICLE` prints an article).",
        "",
    ]
    quote = _quoter(ruleset, sources_link)
    versions, since = _versions(spec)
    lines += versions
    lines += _term(spec, quote)
    lines += _declarations(spec)
    for name in spec.decisions:
        lines += _decision(ruleset.decision_spec(name), since, quote, cases)
    return "\n".join(lines).rstrip() + "\n"


def readings_page(rulesets: list[Ruleset]) -> str:
    lines = [
        "# Readings: where the texts leave room",
        "",
        "Every interpretation chosen in the bundled rulesets, gathered from their `reading:` notes "
        "(generated by `convention-rules docs`; the decision catalogue, the public contract, "
        "states its own readings too). Each agreement's page shows them beside the rules they "
        "qualify.",
        "",
    ]
    for ruleset in rulesets:
        spec = ruleset.spec
        lines += [f"## {spec.id}", ""]
        for origin, term in [("", spec.term)] + [
            (f" ({version})", amendment.term) for version, amendment in spec.amendments.items()
        ]:
            if term is not None and term.reading:
                lines.append(f"- term{origin}: {term.reading}")
        for constant in spec.constants.values():
            if constant.reading:
                lines.append(f"- constant `{constant.name}`: {constant.reading}")
        for name in spec.decisions:
            decision = ruleset.decision_spec(name)
            for value in decision.values:
                if value.reading:
                    lines.append(f"- `{decision.name}` value `{value.name}`: {value.reading}")
            for rule in decision.rules:
                if rule.reading:
                    lines.append(f"- `{decision.name}` rule `{rule.id}`: {rule.reading}")
            if decision.otherwise is not None and decision.otherwise.reading:
                lines.append(f"- `{decision.name}` otherwise: {decision.otherwise.reading}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def generate(docs: Path | None = None) -> dict[str, str]:
    """Relative path -> content of every generated page.

    With ``docs`` (the documentation folder), also the page of each example ruleset of
    its tutorial (``tutorial/<name>.yaml`` beside ``tutorial/<name>.cases.yaml``).
    """
    rulesets = [load_ruleset(ruleset_id) for ruleset_id in bundled_rulesets()]
    pages = {f"rulesets/{rs.id}.md": ruleset_page(rs, _bundled_cases(rs.id)) for rs in rulesets}
    pages["readings.md"] = readings_page(rulesets)
    if docs is not None:
        for path in sorted((docs / "tutorial").glob("*.cases.yaml")):
            example = load_ruleset(path.with_name(path.name.removesuffix(".cases.yaml") + ".yaml"))
            relative = f"tutorial/{example.id}.md"
            # its texts sit beside it, in tutorial/sources/
            pages[relative] = ruleset_page(
                example, read_cases(path), f"docs/{relative[:-3]}", f"{SOURCES}/"
            )
    texts = {rs.source: rs.source_text() for rs in rulesets}
    uncovered = read_uncovered(bundled_dir() / SOURCES / COVERAGE, texts)
    pages["coverage.md"] = coverage_page(rulesets, uncovered, f"../rulesets/{SOURCES}/")
    return pages


def _bundled_cases(ruleset_id: str) -> list[Case] | None:
    path = bundled_dir() / f"{ruleset_id}.cases.yaml"
    return read_cases(path) if path.is_file() else None


def default_out(cwd: Path) -> Path:
    """``docs/`` of the checkout run from (it holds ``ruleset-format.md``), else an error:
    ``docs`` never creates a ``./docs`` wherever it happens to be run."""
    docs = cwd / "docs"
    if (docs / "ruleset-format.md").is_file() and (cwd / "pyproject.toml").is_file():
        return docs
    raise ConventionRulesError(
        f"{cwd} is not a checkout of convention_rules (no docs/ruleset-format.md): "
        "run from the checkout or give --out FOLDER"
    )


def write(out: Path, pages: Mapping[str, str] | None = None) -> list[Path]:
    """Write ``pages`` (default: :func:`generate`) under ``out``; never through a symbolic link."""
    written = []
    for relative, content in (generate() if pages is None else pages).items():
        path = out / relative
        try:
            for step in (out, path.parent, path):
                if step.is_symlink():
                    raise ConventionRulesError(f"{step} is a symbolic link: not written through")
            path.parent.mkdir(parents=True, exist_ok=True)
            # O_NOFOLLOW: a link planted after the check is refused too.
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
            with os.fdopen(os.open(path, flags, 0o644), "w", encoding="utf-8") as handle:
                handle.write(content)
        except OSError as exc:
            raise ConventionRulesError(f"cannot write {path}: {exc.strerror}") from None
        written.append(path)
    return written
