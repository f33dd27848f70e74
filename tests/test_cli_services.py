"""The command line's version, closed pipes, and explain."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import convention_rules
from convention_rules.cli.main import run

SCRIPT = Path(sys.executable).parent / "convention-rules"


def call(*args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run(list(args), out, err, io.StringIO(stdin))
    return status, out.getvalue(), err.getvalue()


def test_version_option_and_attribute() -> None:
    from importlib.metadata import version

    assert convention_rules.__version__ == version("convention-rules")
    assert call("--version") == (0, f"convention-rules {version('convention-rules')}\n", "")


def test_a_closed_pipe_ends_quietly_without_a_traceback() -> None:
    # as in `convention-rules list | head -1`: the reader is gone before the command writes
    child = subprocess.Popen(  # noqa: S603 - our own console script
        [SCRIPT, "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdout is not None
    child.stdout.close()
    _, err = child.communicate(timeout=60)
    assert err == b""
    assert child.returncode == 1


def test_explain_is_french_by_default_and_plain_text_when_piped() -> None:
    status, out, err = call(
        "explain", "gsot-master", "opening", "--facts", "-", "--as-of", "2024-09-01",
        stdin='{"admitted_candidates": 5}',
    )  # fmt: skip
    assert (status, err) == (0, "")
    lines = out.splitlines()
    # art. 3-1: "un nombre minimum de 6 candidats": 6 - 5 = 1 lacking
    assert lines[1] == "Au 1 septembre 2024, le Master n'ouvre pas pour cette promotion."
    assert "- candidats manquants : 1" in lines
    assert "\x1b[" not in out


def test_explain_in_english_as_markdown() -> None:
    status, out, _ = call(
        "explain", "gsot-master", "opening", "--facts", "-", "--as-of", "2024-09-01",
        "--lang", "en", "--format", "markdown", stdin='{"admitted_candidates": 5}',
    )  # fmt: skip
    assert status == 0
    assert "**On 1 September 2024, the Master does not open for this promotion.**" in out


def test_every_answer_has_a_version_key() -> None:
    status, out, _ = call(
        "decide", "gsot-master", "opening", "--facts", "-", stdin='{"admitted_candidates": 5}'
    )
    assert status == 0
    assert json.loads(out)["version"] is None


def test_a_checkout_never_installed_has_a_fallback_version() -> None:
    from importlib import metadata

    from convention_rules import _version

    def missing(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(metadata, "version", missing)
        assert _version.library_version.__wrapped__() == "0+unknown"


def test_decide_explain_prints_the_explanation_in_the_language_asked() -> None:
    status, out, _ = call(
        "decide", "gsot-master", "opening", "--facts", "-", "--as-of", "2024-09-01",
        "--explain", "--lang", "en", stdin='{"admitted_candidates": 6}',
    )  # fmt: skip
    assert status == 0
    # art. 3-1: "à partir d'un nombre minimum de 6 candidats": six open it
    assert out.splitlines()[1] == "On 1 September 2024, the Master opens for this promotion."
