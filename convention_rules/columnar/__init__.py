"""Columnar evaluation: a whole table of cases decided at once.

The same typed AST as the single-decision path, compiled once per decision
and version into numpy column operations over (value, state) pairs: see
``docs/architecture.md`` ("Batch evaluation").
"""
