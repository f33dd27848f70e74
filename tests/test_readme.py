"""The README's shell examples run as written, after the quick start.

Each ``bash`` block of the README except the quick start's runs with ``bash -e``
in a scratch folder laid out like the repository (its ``.venv`` is the environment running
these tests, ``examples/`` the repository's), so a file an example writes lands there.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLOCKS = re.findall(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
EXAMPLES = [block for block in BLOCKS if "bash dev.sh" not in block]


def test_the_readme_has_shell_examples() -> None:
    assert len(EXAMPLES) >= 2
    assert all(".venv/bin/convention-rules" in block for block in EXAMPLES)


@pytest.mark.parametrize("block", EXAMPLES, ids=[b.split("\n")[0][:40] for b in EXAMPLES])
def test_a_readme_example_runs_as_written(block: str, tmp_path: Path) -> None:
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parent.parent)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    env["PATH"] = "/usr/bin:/bin"  # not the virtual environment: the README says .venv/bin/
    done = subprocess.run(  # noqa: S603 - the README's own examples
        ["/bin/bash", "-e", "-c", block],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
