"""Documentation of rulesets: each clause beside the rule that encodes it.

``convention-rules docs`` writes ``docs/rulesets/<id>.md`` for every bundled
ruleset and ``docs/readings.md``, the interpretations chosen where the texts
leave room. A test checks that the committed pages are up to date.
"""

from __future__ import annotations

import os
from pathlib import Path

from convention_rules._errors import ConventionRulesError
from convention_rules._registry import bundled_rulesets, load_ruleset
from convention_rules.deciding.ruleset import Ruleset
from convention_rules.language.unparse import unparse
from convention_rules.reading.loader import RulesetSpec
from convention_rules.reading.model import Citation, DecisionSpec, RuleSpec


def _quote(citation: Citation) -> list[str]:
    return [f"> « {citation.text} »", f"> — {citation.source}, art. {citation.article}"]


def _rule(rule: RuleSpec, since: str | None = None) -> list[str]:
    origin = f" (from version `{since}`)" if since else ""
    lines = [f"#### `{rule.id}` → `{rule.outcome}`{origin}", ""]
    lines += _quote(rule.citation)
    lines += ["", "```", f"when {unparse(rule.when)}"]
    if rule.exception_to:
        lines.append(f"exception to {rule.exception_to}")
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


def _decision(decision: DecisionSpec, since: dict[str, str]) -> list[str]:
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
    for rule in decision.rules:
        lines += _rule(rule, since.get(rule.id))
    if decision.otherwise is not None:
        lines += [f"#### otherwise → `{decision.otherwise.outcome}`", ""]
        lines += [*_quote(decision.otherwise.citation), ""]
        if decision.otherwise.reading:
            lines += [f"*Reading:* {decision.otherwise.reading}", ""]
    return lines


def ruleset_page(ruleset: Ruleset) -> str:
    """One ruleset's page: its versions, declarations and decisions, clause by rule."""
    spec = ruleset.spec
    signed = f", signed {spec.signed.isoformat()}" if spec.signed else ""
    lines = [
        f"# {spec.id}",
        "",
        f"{spec.title}. Source: `{spec.source}`{signed}. Generated from "
        f"`rulesets/{spec.id}.yaml` by `convention-rules docs`.",
        "",
    ]
    versions, since = _versions(spec)
    lines += versions
    lines += _declarations(spec)
    for name in spec.decisions:
        lines += _decision(ruleset.decision_spec(name), since)
    return "\n".join(lines).rstrip() + "\n"


def readings_page(rulesets: list[Ruleset]) -> str:
    lines = [
        "# Readings: where the texts leave room",
        "",
        "Every interpretation chosen in the bundled rulesets, gathered from their `reading:` notes "
        "(generated by `convention-rules docs`; the catalogue's own readings are in "
        "`../shared/domain/decisions.md`).",
        "",
    ]
    for ruleset in rulesets:
        spec = ruleset.spec
        lines += [f"## {spec.id}", ""]
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


def generate() -> dict[str, str]:
    """Relative path -> content of every generated page."""
    rulesets = [load_ruleset(ruleset_id) for ruleset_id in bundled_rulesets()]
    pages = {f"rulesets/{rs.id}.md": ruleset_page(rs) for rs in rulesets}
    pages["readings.md"] = readings_page(rulesets)
    return pages


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


def write(out: Path) -> list[Path]:
    """Write every page under ``out``; never through a symbolic link."""
    written = []
    for relative, content in generate().items():
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
