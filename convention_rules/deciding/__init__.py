"""Deciding one case: facts, the Kleene evaluator, the durable_rules compiler and engine,
resolution, the decision and the compiled ruleset.

Imports only ``reading``, ``language`` and ``law`` (below it).
"""
