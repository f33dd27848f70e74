"""``convention-rules show RULESET [DECISION]``: what an agreement answers, and from which facts.

:func:`describe` gathers a ruleset's metadata (title, parties, source, signature, term, versions)
and its decisions, each with the facts it reads (type, allowed values, bounds, required or
optional), its outcomes, the values it computes and its rules; :func:`render` prints that as
text. ``--json`` prints the same description as JSON.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING, Any

from convention_rules.cli.command import Command, Streams

if TYPE_CHECKING:  # imported by the command itself, for the CLI's start-up time
    from convention_rules.deciding.ruleset import Ruleset
    from convention_rules.reading.model import DecisionSpec, FactSpec


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def describe_fact(fact: FactSpec) -> dict[str, Any]:
    """One fact: its type, allowed values, bounds, and whether a decision needs it."""
    if fact.optional:
        presence = "optional event (absent: it has not happened)"
    elif fact.default is not None:
        presence = f"optional (default {_plain(fact.default)})"
    else:
        presence = "required"
    described: dict[str, Any] = {"name": fact.name, "type": fact.type.name}
    if fact.type.values is not None:
        described["values"] = list(fact.type.values)
    if fact.type.item is not None:
        described["item"] = str(fact.type.item)
    if fact.minimum is not None:
        described["min"] = fact.minimum
    if fact.maximum is not None:
        described["max"] = fact.maximum
    described["required"] = presence == "required"
    described["presence"] = presence
    described["description"] = fact.description
    return described


def _plain(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def describe_decision(ruleset: Ruleset, decision: DecisionSpec) -> dict[str, Any]:
    """One decision: title, outcomes, the facts it reads, its values and its rules."""
    from convention_rules.language.unparse import unparse  # noqa: PLC0415 (start-up time)

    values = [
        {
            "name": value.name,
            "value": unparse(value.expr),
            **({"when": unparse(value.when)} if value.when is not None else {}),
        }
        for value in decision.values
    ]
    values += [
        {"name": value.name, "value": unparse(value.expr), "rule": rule.id}
        for rule in decision.rules
        for value in rule.values
    ]
    rules = [
        {
            "id": rule.id,
            "outcome": rule.outcome,
            "article": rule.citation.article,
            **({"exception_to": rule.exception_to} if rule.exception_to else {}),
        }
        for rule in decision.rules
    ]
    if decision.otherwise is not None:
        otherwise = decision.otherwise
        rules.append(
            {"id": "otherwise", "outcome": otherwise.outcome, "article": otherwise.citation.article}
        )
    return {
        "name": decision.name,
        "title": decision.title,
        "outcomes": list(decision.outcomes),
        "facts": [describe_fact(ruleset.facts[name]) for name in decision.inputs],
        "values": values,
        "rules": rules,
    }


def describe(ruleset: Ruleset, decision: str | None = None) -> dict[str, Any]:
    """A ruleset's description; with ``decision``, only that decision (else every one).

    Decisions are shown as the latest version has them. An unknown decision is an
    :class:`~convention_rules.UnknownNameError`.
    """
    spec = ruleset.spec
    names = [decision] if decision is not None else list(ruleset.decisions)
    first, last = spec.valid
    return {
        "id": spec.id,
        "title": spec.title,
        "parties": list(spec.parties),
        "source": spec.source,
        "signed": _day(spec.signed),
        "term": {"from": _day(first), "to": _day(last)},
        "versions": [
            {
                "id": version.id,
                "title": version.title,
                "from": _day(version.first),
                "to": _day(version.last),
            }
            for version in spec.versions
        ],
        "decisions": [describe_decision(ruleset, ruleset.decision_spec(name)) for name in names],
    }


def _span(first: str | None, last: str | None) -> str:
    if first is None and last is None:
        return "not stated"
    return f"from {first or '…'} to {last or '… (no last day)'}"


def _fact_line(fact: dict[str, Any]) -> str:
    kind = fact["type"]
    if "values" in fact:
        kind += " (" + " | ".join(fact["values"]) + ")"
    if "item" in fact:
        kind += f" of {fact['item']}"
    bounds = [f"{key} {fact[key]}" for key in ("min", "max") if key in fact]
    if bounds:
        kind += ", " + ", ".join(bounds)
    line = f"{fact['name']}: {kind}; {fact['presence']}"
    return line + (f". {fact['description']}" if fact["description"] else "")


def render(description: dict[str, Any]) -> str:
    """The description as text, one section per decision."""
    lines = [f"{description['id']}: {description['title']}"]
    lines.append("parties: " + ("; ".join(description["parties"]) or "not stated"))
    lines.append(f"source: {description['source']}")
    if description["signed"]:
        lines.append(f"signed: {description['signed']}")
    term = description["term"]
    lines.append(f"term: {_span(term['from'], term['to'])}")
    if description["versions"]:
        lines.append("versions:")
        lines += [
            f"  {v['id']}: {_span(v['from'], v['to'])}. {v['title']}"
            for v in description["versions"]
        ]
    for decision in description["decisions"]:
        lines += ["", f"decision {decision['name']}: {decision['title']}"]
        lines.append("  outcomes: " + ", ".join(decision["outcomes"]))
        lines.append("  facts:" if decision["facts"] else "  facts: none")
        lines += [f"    {_fact_line(fact)}" for fact in decision["facts"]]
        if decision["values"]:
            lines.append("  values:")
        for value in decision["values"]:
            where = f" (when {value['when']})" if "when" in value else ""
            where += f" (rule {value['rule']})" if "rule" in value else ""
            lines.append(f"    {value['name']} = {value['value']}{where}")
        lines.append("  rules:")
        for rule in decision["rules"]:
            exception = f", exception to {rule['exception_to']}" if "exception_to" in rule else ""
            lines.append(
                f"    {rule['id']} -> {rule['outcome']} (art. {rule['article']}{exception})"
            )
    return "\n".join(lines) + "\n"


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ruleset", help="a bundled ruleset id or a path to a .yaml file")
    parser.add_argument("decision", nargs="?", help="only this decision (default: every one)")
    parser.add_argument("--json", action="store_true", help="print the description as JSON")


def _show(options: argparse.Namespace, streams: Streams) -> int:
    from convention_rules._registry import load_ruleset  # noqa: PLC0415 (CLI start-up time)

    description = describe(load_ruleset(options.ruleset), options.decision)
    if options.json:
        streams.stdout.write(json.dumps(description, ensure_ascii=False, indent=2) + "\n")
    else:
        streams.stdout.write(render(description))
    return 0


COMMANDS = (
    Command(
        "show",
        "an agreement's parties, term, versions and decisions (facts, outcomes, values)",
        _configure,
        _show,
    ),
)
