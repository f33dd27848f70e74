"""Counterfactuals: what would change the answer (issue #15)."""

from convention_rules.whatif.render import explain_what_if
from convention_rules.whatif.search import Change, Counterfactual, WhatIf, past_dates, what_if

__all__ = ["Change", "Counterfactual", "WhatIf", "explain_what_if", "past_dates", "what_if"]
