"""Explanations for people: a decision in French or English, as a caseworker writes it.

This stage sits between ``reading`` and ``deciding`` in the layer contract: it
knows the specs of a ruleset (``reading``), expressions (``language``) and the
formats of values (``law``), and reads a decision through the small protocol of
:mod:`convention_rules.explaining.context`, so that ``Decision.explain`` (in
``deciding``) calls down into it and nothing here imports ``deciding``.

Words and sentences live in message catalogues (``messages/fr.yaml``,
``messages/en.yaml``) and the labels of each bundled ruleset (its outcomes,
facts and values, and the readings translated) in ``labels/<ruleset id>.yaml``.
"""

from convention_rules.explaining.context import ExplanationContext
from convention_rules.explaining.explainer import FORMATS, LANGUAGES, explain

__all__ = ["FORMATS", "LANGUAGES", "ExplanationContext", "explain"]
