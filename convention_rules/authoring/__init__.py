"""Tools for ruleset authors: ``validate`` (every finding, with hints) and ``lint``
(overlaps, gaps and dead rules with counterexamples), and the JSON Schemas."""
