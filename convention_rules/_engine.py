"""The one module that talks to durable_rules.

It uses the C binding ``durable_rules_engine`` directly, not ``durable.lang``'s
process-wide ``Host``: no timer threads, no global ruleset registry, no Python
actions that swallow exceptions.

Thread safety: each :class:`DurableMatcher` owns one engine ruleset handle and
one lock. A match asserts one fact in a fresh session (a new ``sid`` from a
counter), collects every rule that fired, then deletes the session, all while
holding the lock. No state survives from one decision to the next, and calls
from several threads are serialised per handle (the engine holds the GIL
throughout its calls, so threads would gain no speed from running it in
parallel anyway). A rule that always fires is part of every ruleset, because
deleting a session in which no action ran reads uninitialised memory.
"""

from __future__ import annotations

import itertools
import json
import threading
from typing import Any

import durable_rules_engine as _dre

from ._errors import EvaluationError, RulesetError

_names = itertools.count(1)
_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


class DurableMatcher:
    """A compiled durable_rules ruleset that reports which rules fired."""

    def __init__(self, label: str, rules: dict[str, Any]) -> None:
        self.label = label
        self.rules_json = json.dumps(rules, separators=(",", ":"))
        try:
            self._handle = _dre.create_ruleset(f"{label}#{next(_names)}", self.rules_json)
        except Exception as exc:  # the binding raises its own error type
            raise RulesetError(
                f"durable_rules refused the compiled ruleset {label}: {exc}"
            ) from exc
        self._lock = threading.Lock()
        self._sids = itertools.count(1)

    def match(self, fact: dict[str, Any]) -> set[str]:
        """Names of the rules whose condition holds for ``fact``."""
        with self._lock:
            sid = str(next(self._sids))
            fact["sid"] = sid
            payload = _encode(fact)
            try:
                code, state = _dre.assert_fact(self._handle, payload)
            except Exception as exc:
                raise EvaluationError(f"durable_rules failed on {self.label}: {exc}") from exc
            if code != 0:
                raise EvaluationError(f"durable_rules returned code {code} on {self.label}")
            fired: set[str] = set()
            result = _dre.start_action_for_state(self._handle, state)
            if result:
                # A message is '{"<rule name>":{...}}'; rule names hold no quote
                # (checked at load time), so the name is read without parsing JSON.
                message = result[1]
                fired.add(message[2 : message.index('"', 2)])
                while message := _dre.complete_and_start_action(self._handle, state):
                    fired.add(message[2 : message.index('"', 2)])
            _dre.delete_state(self._handle, sid)
        fired.discard("always")
        return fired

    def close(self) -> None:
        """Release the engine ruleset (it is also kept until the process ends)."""
        _dre.delete_ruleset(self._handle)
