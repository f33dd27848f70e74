"""Find and load rulesets: bundled ones by id, others by path; cached.

Bundled rulesets ship inside the installed package (``convention_rules/
rulesets/``, put there by the wheel build); in a source checkout they are
read from the top-level ``rulesets/`` folder.
"""

from __future__ import annotations

import os
import re
import threading
import warnings
from pathlib import Path

from convention_rules._errors import RulesetError, UnknownNameError
from convention_rules.deciding.ruleset import Ruleset
from convention_rules.reading.loader import read_ruleset

_SUFFIX = ".yaml"
#: the agreements' texts, beside the rulesets that cite them
SOURCES = "sources"
_CASES = ".cases.yaml"
#: A bundled id: lower-case words joined by '-', never a path.
BUNDLED_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
#: Ruleset files are small: a larger one is refused before it is read.
MAX_RULESET_BYTES = 4 * 2**20
_lock = threading.Lock()
#: One version per file: (mtime, ruleset) by resolved path. A reload of an edited
#: file replaces its entry, and the engine rulesets of the old one are freed.
_cache: dict[str, tuple[int, Ruleset]] = {}


class BundledIdWarning(UserWarning):
    """A ruleset loaded by path declares the id of a bundled ruleset."""


def _reset_lock_in_child() -> None:
    global _lock  # noqa: PLW0603 - a fork's child needs a lock no thread holds
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_reset_lock_in_child)


def clear_cache() -> None:
    """Forget every loaded ruleset (their engine rulesets are freed once unused)."""
    with _lock:
        _cache.clear()


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


def _is_path(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) or "/" in name or os.sep in name


def ruleset_path(name: str) -> Path:
    """The file of a bundled id, or ``name`` itself when it is a path (ends in
    ``.yaml``/``.yml`` or holds a ``/``). A bundled id never resolves outside the
    bundled folder: it is lower-case letters, digits and ``-``."""
    if _is_path(name):
        candidate = Path(name)
        if not candidate.is_file():
            raise UnknownNameError(f"no ruleset file {name!r}")
        return candidate
    if not BUNDLED_ID.fullmatch(name):
        raise UnknownNameError(
            f"{name!r} is neither a bundled ruleset id (lower-case letters, digits, '-') "
            "nor a path to a .yaml file"
        )
    path = bundled_dir() / (name + _SUFFIX)
    if not path.is_file():
        known = ", ".join(bundled_rulesets()) or "none"
        raise UnknownNameError(f"unknown ruleset {name!r} (bundled: {known})")
    return path


def load_ruleset(name: str | Path) -> Ruleset:
    """Load a ruleset by bundled id or path. Cached until the file changes."""
    path = ruleset_path(str(name)).resolve()
    stat = path.stat()
    key = str(path)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == stat.st_mtime_ns:
            return cached[1]
        display = _display(path)
        if stat.st_size > MAX_RULESET_BYTES:
            raise RulesetError(
                f"{display}: {stat.st_size} bytes, beyond the {MAX_RULESET_BYTES} "
                "a ruleset may hold"
            )
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise RulesetError(f"{display}: not UTF-8 text ({exc.reason})") from None
        except OSError as exc:
            raise RulesetError(f"{display}: cannot be read ({exc.strerror})") from None
        by_id = not isinstance(name, Path) and not _is_path(str(name))
        spec = read_ruleset(text, display)
        if by_id and spec.id != str(name):
            raise RulesetError(f"{display}: declares id {spec.id!r}, expected {name!r}")
        bundled = bundled_dir().resolve()
        if not by_id and path.parent != bundled and spec.id in bundled_rulesets():
            # Not silent: an edited copy (lint, diff, a draft) may keep its id, but its
            # answers carry that id although its rules may differ from the bundled ones.
            warnings.warn(
                f"{display}: declares id {spec.id!r}, the id of a bundled ruleset; "
                f"load_ruleset({spec.id!r}) still gives the bundled one",
                BundledIdWarning,
                stacklevel=2,
            )
        bundled_file = path.parent == bundled and path.name.endswith(_SUFFIX)
        origin = path.name[: -len(_SUFFIX)] if bundled_file else str(path)
        ruleset = Ruleset(
            spec, origin=origin, text=text, source_path=path.parent / SOURCES / spec.source
        )
        _cache[key] = (stat.st_mtime_ns, ruleset)
        return ruleset


def _display(path: Path) -> str:
    """A short file name for messages: relative to the working folder if inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
