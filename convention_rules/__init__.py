"""convention_rules: French partnership agreements as executable, explained rules.

>>> from datetime import date
>>> from convention_rules import load_ruleset
>>> rs = load_ruleset("gsot-master")
>>> rs.decide("opening", {"admitted_candidates": 5}, as_of=date(2024, 9, 1)).outcome
'does_not_open'
"""

from convention_rules._errors import (
    ConventionRulesError,
    EvaluationError,
    FactError,
    Location,
    RulesetError,
    UnknownNameError,
)
from convention_rules._registry import BundledIdWarning, bundled_rulesets, load_ruleset
from convention_rules._version import library_version
from convention_rules.agenda.events import Calendar, Event, Pending
from convention_rules.deciding.decision import Decision, TraceEntry
from convention_rules.deciding.ruleset import Ruleset
from convention_rules.law.legaltime import Period
from convention_rules.law.money import Money, Rate
from convention_rules.reading.model import Citation, FactSpec, Version
from convention_rules.whatif import Counterfactual, WhatIf, explain_what_if, what_if

__all__ = [
    "BundledIdWarning",
    "Calendar",
    "Citation",
    "ConventionRulesError",
    "Counterfactual",
    "Decision",
    "EvaluationError",
    "Event",
    "FactError",
    "FactSpec",
    "Location",
    "Money",
    "Pending",
    "Period",
    "Rate",
    "Ruleset",
    "RulesetError",
    "TraceEntry",
    "UnknownNameError",
    "Version",
    "WhatIf",
    "__version__",
    "bundled_rulesets",
    "explain_what_if",
    "load_ruleset",
    "what_if",
]


def __getattr__(name: str) -> str:
    # PEP 562: ``__version__`` is read from the package metadata on first use
    # (importing importlib.metadata at start-up would slow every command).
    if name == "__version__":
        return library_version()
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
