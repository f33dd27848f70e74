"""Find and load rulesets: bundled ones by id, others by path; cached.

Bundled rulesets ship inside the installed package (``convention_rules/
rulesets/``, put there by the wheel build); in a source checkout they are
read from the top-level ``rulesets/`` folder.
"""

from __future__ import annotations

import threading
from pathlib import Path

from convention_rules._errors import RulesetError, UnknownNameError
from convention_rules.deciding.ruleset import Ruleset
from convention_rules.reading.loader import read_ruleset

_SUFFIX = ".yaml"
_CASES = ".cases.yaml"
_lock = threading.Lock()
_cache: dict[tuple[str, int], Ruleset] = {}


def bundled_dir() -> Path:
    """The folder of bundled rulesets."""
    # The package's own folder (what importlib.resources.files gives for an installed
    # wheel, without importing it: start-up time).
    installed = Path(__file__).resolve().parent / "rulesets"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "rulesets"


def bundled_rulesets() -> tuple[str, ...]:
    """Ids of the bundled rulesets, sorted."""
    return tuple(
        sorted(
            path.name[: -len(_SUFFIX)]
            for path in bundled_dir().glob("*" + _SUFFIX)
            if not path.name.endswith(_CASES)
        )
    )


def ruleset_path(name: str) -> Path:
    """The file of a bundled id, or ``name`` itself when it is a path."""
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        if not candidate.is_file():
            raise UnknownNameError(f"no ruleset file {name!r}")
        return candidate
    path = bundled_dir() / (name + _SUFFIX)
    if not path.is_file():
        known = ", ".join(bundled_rulesets()) or "none"
        raise UnknownNameError(f"unknown ruleset {name!r} (bundled: {known})")
    return path


def load_ruleset(name: str | Path) -> Ruleset:
    """Load a ruleset by bundled id or path. Cached until the file changes."""
    path = ruleset_path(str(name)).resolve()
    key = (str(path), path.stat().st_mtime_ns)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise RulesetError(f"{path}: not UTF-8 text ({exc.reason})") from None
        display = _display(path)
        by_id = not isinstance(name, Path) and not str(name).endswith((".yaml", ".yml"))
        bundled = path.parent == bundled_dir().resolve() and path.name.endswith(_SUFFIX)
        origin = (
            path.name[: -len(_SUFFIX)] if bundled and path.name.endswith(_SUFFIX) else str(path)
        )
        ruleset = Ruleset(read_ruleset(text, display), origin=origin, text=text)
        if by_id and ruleset.id != str(name):
            raise RulesetError(f"{display}: declares id {ruleset.id!r}, expected {name!r}")
        _cache[key] = ruleset
        return ruleset


def _display(path: Path) -> str:
    """A short file name for messages: relative to the working folder if inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
