"""Explanations for people: a decision in French or English, as a caseworker writes it.

This stage sits between ``reading`` and ``deciding`` in the layer contract: it
knows the specs of a ruleset (``reading``), expressions (``language``) and the
formats of values (``law``), and reads a decision through the small protocol of
:mod:`convention_rules.explaining.context`, so that ``Decision.explain`` (in
``deciding``) calls down into it and nothing here imports ``deciding``.

Words and sentences live in message catalogues (``messages/fr.yaml``,
``messages/en.yaml``) and the labels of each bundled ruleset (its outcomes,
facts and values, and the readings translated) in ``labels/<ruleset id>.yaml``.

The package imports nothing on its own: ``deciding`` imports ``context`` (a few
protocols) with every decision, and the explainer, its catalogues and babel only
when a decision is explained (``explainer.explain``).
"""
