"""The analysts' notebooks in examples/ run from top to bottom (on a small table)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbclient  # the 'examples' extra, installed by dev.sh
import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "examples").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    monkeypatch.setenv("CONVENTION_RULES_ROWS", "2000")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(copy, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    assert (tmp_path / "forpro_eligibility.png").exists() or path.name != "forpro_eligibility.ipynb"
    errors = [
        o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert errors == []
    assert os.environ["CONVENTION_RULES_ROWS"] == "2000"
