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
parallel anyway).

Memory: each session holds about 0.5 MB that only ``delete_state`` frees, and
deleting a session in which no action ever ran reads uninitialised memory. So
every session is opened with a warm-up: a fact that fires the ruleset's own
``~warm`` rule (no decision's fact has its field). A session that saw an engine
error or an interrupted match is deleted and replaced by a fresh one (the
engine leaves its state undefined); an engine ruleset is deleted, with its
session, when its matcher is garbage collected (``weakref.finalize``).

Fork: a child process gets fresh locks (``os.register_at_fork``), as a lock
held by a thread of the parent at the fork would never be released there, and
each matcher builds an engine ruleset of its own on first use in the child.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
import weakref
from typing import Any

import durable_rules_engine as _dre

from convention_rules._errors import EvaluationError, RulesetError

_names = itertools.count(1)
_NOT_HANDLED = 1
_ACCEPTED = (0, _NOT_HANDLED)
_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_WARM_RULE = "~warm"
_WARM_FIELD = "w_"
_live: weakref.WeakSet[DurableMatcher] = weakref.WeakSet()


def _free(handle: Any, session: list[str]) -> None:
    """Delete an engine ruleset and its current session (if one was opened)."""
    try:
        if session[0]:
            _dre.delete_state(handle, session[0])
        _dre.delete_ruleset(handle)
    except Exception:  # noqa: S110 - at collection or exit nothing can be reported
        pass


#: How many forks this process descends from: a matcher opened in an earlier
#: generation builds an engine ruleset of its own on first use (no syscall a match).
_generation = [0]


def _after_fork_in_child() -> None:
    _generation[0] += 1
    for matcher in list(_live):
        matcher._lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)


class DurableMatcher:
    """A compiled durable_rules ruleset that reports which rules fired."""

    def __init__(self, label: str, rules: dict[str, Any]) -> None:
        self.label = label
        with_warm_up = {**rules, _WARM_RULE: {"all": [{"m": {_WARM_FIELD: 1}}]}}
        self.rules_json = json.dumps(with_warm_up, separators=(",", ":"), ensure_ascii=False)
        self._lock = threading.Lock()
        self._open()
        _live.add(self)

    def _open(self) -> None:
        """Create the engine ruleset and its first session; free them with this object.

        Also called on first use in a forked child: the engine ruleset it
        inherited may be mid-match in another thread of the parent, so it is
        left alone (never deleted) and replaced."""
        finalizer = getattr(self, "_finalizer", None)
        if finalizer is not None:
            finalizer.detach()
        try:
            self._handle = _dre.create_ruleset(f"{self.label}#{next(_names)}", self.rules_json)
        except Exception as exc:  # the binding raises its own error type
            raise RulesetError(
                f"durable_rules refused the compiled ruleset {self.label}: {exc}"
            ) from exc
        self._sessions = itertools.count(1)
        #: the current session id ("" until the first match opens it), in a
        #: list the finalizer shares; a session costs 0.5 MB, so it is opened lazily
        self._session = [""]
        self._finalizer = weakref.finalize(self, _free, self._handle, self._session)
        self._generation = _generation[0]

    @property
    def _sid(self) -> str:
        return self._session[0]

    def _warm_up(self) -> None:
        """Open a session by running one action in it, so it can be deleted later."""
        payload = _encode({_WARM_FIELD: 1, "sid": self._sid})
        code, state = _dre.assert_fact(self._handle, payload)
        self._check(code)
        if _dre.start_action_for_state(self._handle, state):
            while _dre.complete_and_start_action(self._handle, state):
                pass
        _dre.retract_fact(self._handle, payload)

    def _renew_session(self) -> None:
        """Delete the current session (its state is undefined); the next match opens another."""
        try:
            _dre.delete_state(self._handle, self._sid)
        finally:
            self._session[0] = ""

    def match(self, fact: dict[str, Any]) -> set[str]:
        """Names of the rules whose condition holds for ``fact``."""
        return self.match_members(_encode(fact)[1:-1])

    def match_members(self, members: str) -> set[str]:
        """Names of the rules whose condition holds for the fact whose JSON members
        (``"field":value,...``, without braces and without ``sid``) are ``members``."""
        with self._lock:
            if self._generation != _generation[0]:  # a forked child: an engine ruleset of its own
                self._open()
            handle = self._handle
            if not self._sid:
                self._session[0] = str(next(self._sessions))
                self._warm_up()
            sid = self._sid
            payload = f'{{"sid":"{sid}",{members}}}' if members else f'{{"sid":"{sid}"}}'
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
                    self._renew_session()
        return fired

    def _check(self, code: int) -> None:
        if code not in (0, _NOT_HANDLED):
            raise EvaluationError(f"durable_rules returned code {code} on {self.label}")
