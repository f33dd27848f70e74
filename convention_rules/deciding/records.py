"""Decision records: one JSON line per decision, to prove later what was decided on which rules.

Modelled on OPA's decision logs: each line holds the library's version, the
ruleset (id, where it was read, the SHA-256 of its text, the version of the
agreement in force), ``as_of``, the facts exactly as given, the engine, and the
answer with its trace (``Decision.to_dict()``). ``convention-rules replay``
re-decides each line and reports the answers that now differ, and why.

>>> log = DecisionLog("decisions.jsonl")                        # doctest: +SKIP
>>> ruleset.decide("eligibility", facts, as_of=day, record=log)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from convention_rules._errors import ConventionRulesError
from convention_rules._version import DISTRIBUTION, library_version
from convention_rules.deciding.decision import Decision, json_value
from convention_rules.law.money import Money

#: The layout of a record line; a reader refuses any other.
RECORD_FORMAT = 1


class Writer(Protocol):
    """Anything with ``write(str)``: an open text file, ``sys.stdout``, a ``StringIO``."""

    def write(self, text: str, /) -> int: ...


class DecisionLog:
    """Appends decision records to a JSON Lines file (or any text writer), thread-safe.

    A path is opened in append mode for each record and closed again, so several
    processes may share one file (each line is one ``write``) and nothing stays open.
    """

    def __init__(self, target: str | Path | Writer) -> None:
        self.target = target
        self._lock = threading.Lock()

    def append(self, record: Mapping[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        with self._lock:
            if isinstance(self.target, str | Path):
                try:
                    with Path(self.target).open("a", encoding="utf-8") as out:
                        out.write(line)
                except OSError as exc:
                    raise ConventionRulesError(
                        f"cannot write the decision record to {self.target}: {exc.strerror}"
                    ) from None
            else:
                self.target.write(line)


def given_facts(facts: Mapping[str, Any] | None) -> Any:
    """The facts as the caller gave them, in JSON (Python dates, money and decimals as text)."""
    if facts is None:
        return {}
    return {str(name): _as_given(value) for name, value in facts.items()}


def _as_given(value: Any) -> Any:
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | Money):
        return json_value(value)
    if isinstance(value, list | tuple):
        return [_as_given(item) for item in value]
    return str(value)


def make_record(
    decision: Decision,
    facts: Mapping[str, Any] | None,
    *,
    source: str,
    content_hash: str | None,
    engine: str,
) -> dict[str, Any]:
    """The record of one decision (see the module's docstring)."""
    return {
        "format": RECORD_FORMAT,
        "decided_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "library": {"name": DISTRIBUTION, "version": library_version()},
        "ruleset": {
            "id": decision.ruleset,
            "source": source,
            "hash": content_hash,
            "version": decision.version,
        },
        "decision": decision.decision,
        "as_of": decision.as_of.isoformat(),
        "engine": engine,
        "facts": given_facts(facts),
        "answer": decision.to_dict(),
    }


def as_log(record: DecisionLog | str | Path | Writer) -> DecisionLog:
    return record if isinstance(record, DecisionLog) else DecisionLog(record)
