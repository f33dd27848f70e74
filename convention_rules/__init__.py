"""convention_rules: French partnership agreements as executable, explained rules.

>>> from datetime import date
>>> from convention_rules import load_ruleset
>>> rs = load_ruleset("gsot-master")
>>> rs.decide("opening", {"admitted_candidates": 5}, as_of=date(2024, 9, 1)).outcome
'does_not_open'
"""

from ._decision import Decision, TraceEntry
from ._errors import (
    ConventionRulesError,
    EvaluationError,
    FactError,
    Location,
    RulesetError,
    UnknownNameError,
)
from ._legaltime import Period
from ._model import Citation, FactSpec, Version
from ._money import Money, Rate
from ._registry import bundled_rulesets, load_ruleset
from ._ruleset import Ruleset

__all__ = [
    "Citation",
    "ConventionRulesError",
    "Decision",
    "EvaluationError",
    "FactError",
    "FactSpec",
    "Location",
    "Money",
    "Period",
    "Rate",
    "Ruleset",
    "RulesetError",
    "TraceEntry",
    "UnknownNameError",
    "Version",
    "bundled_rulesets",
    "load_ruleset",
]
