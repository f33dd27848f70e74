"""Deciding a Dask DataFrame, partition by partition, with ``Ruleset.decide_table``.

``decide_table`` answers a pandas DataFrame and returns a DataFrame aligned with its
index, so it maps over the partitions of a Dask DataFrame as it is: each partition is
an independent table, each worker loads the ruleset once (``load_ruleset`` caches
it) and answers its rows. Nothing is collected on the client until ``compute()``.

Run it on the local scheduler (``pip install 'convention-rules[dask]'``)::

    python examples/dask_partitions.py --rows 200000 --partitions 8

or on a cluster, giving the scheduler's address (``pip install distributed`` and
the same ``convention-rules[dask]`` on every worker)::

    python examples/dask_partitions.py --scheduler tcp://scheduler:8786

``tests/test_dask_example.py`` runs ``decide_partitions`` on the local scheduler and
checks it against ``decide_table`` on the whole table; docs/batch.md explains it.
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from typing import Any

import dask
import dask.dataframe as dd
import pandas as pd

from convention_rules import load_ruleset
from convention_rules.tools.cohorts import cohort


def _decide(partition: pd.DataFrame, ruleset: str, decision: str, as_of: date) -> pd.DataFrame:
    # Runs on a worker: the ruleset is loaded (and cached) there, not pickled from the client.
    answers = load_ruleset(ruleset).decide_table(decision, partition, as_of=as_of)
    # ``outcome`` is categorical, with the categories each partition meets: as text, the
    # partitions share one dtype (Dask would otherwise cast them to the meta's categories).
    categorical = [c for c in answers.columns if isinstance(answers[c].dtype, pd.CategoricalDtype)]
    return answers.astype(dict.fromkeys(categorical, "string"))


def decide_partitions(frame: dd.DataFrame, ruleset: str, decision: str, as_of: date) -> Any:
    """A lazy Dask DataFrame of the answers (``outcome``, values, ``missing``, ``rules``,
    ``error``), one partition per input partition, aligned with the input's index."""
    meta = _decide(frame._meta, ruleset, decision, as_of)  # the answers' columns and types
    return frame.map_partitions(_decide, ruleset, decision, as_of, meta=meta)


def main() -> None:
    parser = argparse.ArgumentParser(description="ForPro Sup eligibility over Dask partitions")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--scheduler", help="address of a dask.distributed scheduler")
    options = parser.parse_args()
    if options.scheduler:
        from dask.distributed import Client  # noqa: PLC0415 (only for a cluster)

        Client(options.scheduler)  # becomes the default scheduler of compute()
    rs = load_ruleset("occitanie-forpro-sup")
    cases = cohort(rs, "eligibility", options.rows, seed=2025).to_pandas()
    # Dask turns object columns into strings by default (True becomes "True", a date its
    # text): keep the cells as the analyst has them.
    with dask.config.set({"dataframe.convert-string": False}):
        frame = dd.from_pandas(cases, npartitions=options.partitions)
    start = time.perf_counter()
    answers = decide_partitions(frame, "occitanie-forpro-sup", "eligibility", date(2025, 1, 1))
    counts = answers["outcome"].value_counts().compute()
    seconds = time.perf_counter() - start
    print(counts.to_string())
    print(f"{options.rows:,} rows over {options.partitions} partitions in {seconds:.2f} s")


if __name__ == "__main__":
    main()
