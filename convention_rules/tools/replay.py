"""Replay decision records: decide every record again and say which answers now differ, and why.

A record file is JSON Lines written by ``decide --record`` or ``Ruleset.decide(record=...)``
(:mod:`convention_rules.deciding.records`). Each record is decided again with the
ruleset it names (a bundled id or a file path), the same ``as_of``, facts and engine.
An answer differs when its JSON differs; the reasons compare what the record
saw with what runs now: the ruleset's text (its SHA-256) and the library's version.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import attrs

from convention_rules._errors import ConventionRulesError
from convention_rules._registry import load_ruleset
from convention_rules._version import library_version
from convention_rules.deciding.records import RECORD_FORMAT

Status = Literal["same", "differs"]
_NO_ANSWER = "no answer now: the ruleset or the facts are refused"


@attrs.frozen
class Replayed:
    """One record decided again."""

    line: int
    ruleset: str
    decision: str
    status: Status
    #: what differs in the answer, e.g. ``outcome: does_not_open -> opens``
    changes: tuple[str, ...] = ()
    #: why: ``ruleset changed (sha256:... -> sha256:...)``, ``library changed (...)``
    reasons: tuple[str, ...] = ()


def read_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, record)`` for each non-blank line; a bad line is an error naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConventionRulesError(
            f"cannot read decision records from {path}: {exc.strerror}"
        ) from None
    except UnicodeDecodeError as exc:
        raise ConventionRulesError(f"{path}: not UTF-8 text ({exc.reason})") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConventionRulesError(f"{path}:{number}: not a JSON record ({exc.msg})") from None
        if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
            raise ConventionRulesError(
                f"{path}:{number}: not a decision record of format {RECORD_FORMAT}"
            )
        for key in ("ruleset", "decision", "as_of", "facts", "answer", "library"):
            if key not in record:
                raise ConventionRulesError(f"{path}:{number}: the record has no {key!r}")
        yield number, record


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    found = [
        f"{key}: {_show(before.get(key))} -> {_show(after.get(key))}"
        for key in ("outcome", "version", "missing")
        if before.get(key) != after.get(key)
    ]
    old_values, new_values = before.get("values", {}), after.get("values", {})
    for name in sorted(set(old_values) | set(new_values)):
        if old_values.get(name) != new_values.get(name):
            old, new = _show(old_values.get(name)), _show(new_values.get(name))
            found.append(f"value {name}: {old} -> {new}")
    old_rules = [entry.get("rule") for entry in before.get("trace", [])]
    new_rules = [entry.get("rule") for entry in after.get("trace", [])]
    if old_rules != new_rules:
        found.append(f"rules: {_show(old_rules)} -> {_show(new_rules)}")
    elif before.get("trace") != after.get("trace"):
        found.append("trace: the rules' clauses, readings or facts read changed")
    return tuple(found)


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    return str(value)


def _reasons(record: Mapping[str, Any], content_hash: str | None) -> tuple[str, ...]:
    reasons = []
    recorded_hash = record["ruleset"].get("hash")
    if recorded_hash != content_hash:
        reasons.append(f"ruleset changed ({recorded_hash} -> {content_hash})")
    recorded_version = record["library"].get("version")
    if recorded_version != library_version():
        reasons.append(f"library changed ({recorded_version} -> {library_version()})")
    return tuple(reasons) or ("same ruleset text and library version",)


def replay(path: Path) -> Iterator[Replayed]:
    """Each record of ``path`` decided again, in order."""
    for number, record in read_records(path):
        ruleset_record = record["ruleset"]
        name = ruleset_record.get("source") or ruleset_record.get("id")
        base: dict[str, Any] = {
            "line": number,
            "ruleset": str(ruleset_record.get("id")),
            "decision": str(record["decision"]),
        }
        try:
            ruleset = load_ruleset(str(name))
            answer = ruleset.decide(
                record["decision"],
                record["facts"],
                as_of=record["as_of"],
                engine=record.get("engine", "durable"),
            ).to_dict()
        except ConventionRulesError as exc:
            error = " ".join(str(exc).split())
            yield Replayed(**base, status="differs", changes=(error,), reasons=(_NO_ANSWER,))
            continue
        changes = _changes(record["answer"], answer)
        if changes:
            reasons = _reasons(record, ruleset.content_hash)
            yield Replayed(**base, status="differs", changes=changes, reasons=reasons)
        else:
            reasons = _reasons(record, ruleset.content_hash)
            unchanged = reasons == ("same ruleset text and library version",)
            yield Replayed(**base, status="same", reasons=() if unchanged else reasons)
