"""The import-layer contract (pyproject.toml, `lint-imports`) catches a stage importing above it.

`bash dev.sh lint` (run by `.ci/run`) checks the package itself; this test plants an upward import
in a copy of the package and checks that the same contract then fails, naming the import.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_copy(tmp_path: Path, plant: tuple[str, str] | None) -> subprocess.CompletedProcess[str]:
    shutil.copytree(
        ROOT / "convention_rules",
        tmp_path / "convention_rules",
        ignore=shutil.ignore_patterns("__pycache__", "rulesets"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    if plant is not None:
        module, line = plant
        path = tmp_path / "convention_rules" / module
        path.write_text(path.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    return subprocess.run(  # noqa: S603 (our own venv's lint-imports, fixed arguments)
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_package_keeps_its_layers(tmp_path: Path) -> None:
    result = _lint_copy(tmp_path, None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "upward"),
    [
        ("law/money.py", "from convention_rules.language import syntax", "convention_rules.law"),
        (
            "language/parser.py",
            "import convention_rules.reading.loader",
            "convention_rules.language",
        ),
        (
            "deciding/kleene.py",
            "from convention_rules.tools import docs",
            "convention_rules.deciding",
        ),
        ("tools/demo.py", "from convention_rules.cli import main", "convention_rules.tools"),
        (
            "columnar/evaluator.py",
            "from convention_rules.tools import cohorts",
            "convention_rules.columnar",
        ),
    ],
)
def test_an_upward_import_fails_the_contract(
    tmp_path: Path, module: str, line: str, upward: str
) -> None:
    result = _lint_copy(tmp_path, (module, line))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "pipeline stages import only the stages below BROKEN" in result.stdout
    assert upward + "." + module.split("/")[1].removesuffix(".py") in result.stdout


def test_a_second_module_importing_durable_fails(tmp_path: Path) -> None:
    result = _lint_copy(tmp_path, ("deciding/resolve.py", "import durable_rules_engine"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "only the engine module imports durable_rules BROKEN" in result.stdout


def test_the_columnar_evaluator_importing_durable_fails(tmp_path: Path) -> None:
    result = _lint_copy(tmp_path, ("columnar/batch.py", "import durable_rules_engine"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "only the engine module imports durable_rules BROKEN" in result.stdout
