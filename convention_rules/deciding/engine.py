"""The one module that talks to durable_rules.

It uses the C binding ``durable_rules_engine`` directly, not ``durable.lang``'s
process-wide ``Host``: no timer threads, no global ruleset registry, no Python
actions that swallow exceptions.

Thread safety and isolation: each :class:`DurableMatcher` owns one engine
ruleset handle, one lock and one session. A match asserts one fact in that
session, collects every rule that fired, then retracts the very same fact, all
while holding the lock: the session is empty again before the next decision
reads it, and a test checks that nothing of one decision is seen by the next.
Calls from several threads are serialised per handle (the engine holds the GIL
throughout its calls, so threads would gain no speed from running it in
parallel anyway). Sessions are never deleted (deleting one in which no action
ran reads uninitialised memory); a session that saw an engine error or an
interrupted match is abandoned for a fresh one, as the engine leaves its state
undefined.
"""

from __future__ import annotations

import itertools
import json
import threading
from typing import Any

import durable_rules_engine as _dre

from convention_rules._errors import EvaluationError, RulesetError

_names = itertools.count(1)
_NOT_HANDLED = 1
_ACCEPTED = (0, _NOT_HANDLED)
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
        self._sessions = itertools.count(1)
        self._sid = "1"

    def match(self, fact: dict[str, Any]) -> set[str]:
        """Names of the rules whose condition holds for ``fact``."""
        return self.match_members(_encode(fact)[1:-1])

    def match_members(self, members: str) -> set[str]:
        """Names of the rules whose condition holds for the fact whose JSON members
        (``"field":value,...``, without braces and without ``sid``) are ``members``."""
        handle = self._handle
        with self._lock:
            payload = (
                f'{{"sid":"{self._sid}",{members}}}' if members else f'{{"sid":"{self._sid}"}}'
            )
            clean = False
            try:
                code, state = _dre.assert_fact(handle, payload)
                if code not in _ACCEPTED:
                    self._check(code)
                fired: set[str] = set()
                # Code 1: no rule matched the fact (nothing fired, nothing stored).
                result = _dre.start_action_for_state(handle, state) if code == 0 else None
                if result:
                    # A message is '{"<rule name>":{...}}'; rule names hold no quote
                    # (checked at load time), so the name is read without parsing JSON.
                    message = result[1]
                    fired.add(message[2 : message.index('"', 2)])
                    while message := _dre.complete_and_start_action(handle, state):
                        fired.add(message[2 : message.index('"', 2)])
                code, _ = _dre.retract_fact(handle, payload)
                clean = code == 0
            except EvaluationError:
                raise
            except Exception as exc:
                raise EvaluationError(f"durable_rules failed on {self.label}: {exc}") from exc
            finally:
                if not clean:
                    self._sid = str(next(self._sessions) + 1)
        return fired

    def _check(self, code: int) -> None:
        if code not in (0, _NOT_HANDLED):
            raise EvaluationError(f"durable_rules returned code {code} on {self.label}")
