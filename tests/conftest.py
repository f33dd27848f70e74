"""Shared test configuration: hypothesis profiles.

``ci`` (the default) is derandomised, so every CI run checks the same examples;
``long`` explores far more and is selected with ``CONVENTION_RULES_HYPOTHESIS=long``;
``mutation`` is the small profile of ``benchmarks/mutation.sh``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "long",
    max_examples=20_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "mutation",  # benchmarks/mutation.sh: each mutant reruns the tests that reach it
    derandomize=True,
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("CONVENTION_RULES_HYPOTHESIS", "ci"))
