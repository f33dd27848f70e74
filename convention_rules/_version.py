"""The library's version, from the installed distribution's metadata.

``importlib.metadata`` costs tens of milliseconds to import, so the version is
read on first use (``convention_rules.__version__`` is a lazy module attribute),
not when the package is imported. A source checkout that was never installed
has no metadata: the version is then ``0+unknown`` (a valid PEP 440 local
version that sorts before every release).
"""

from __future__ import annotations

import functools

DISTRIBUTION = "convention-rules"
UNKNOWN_VERSION = "0+unknown"


@functools.cache
def library_version() -> str:
    """The installed version of convention-rules, or ``0+unknown``."""
    from importlib import metadata  # noqa: PLC0415 (slow import, only when asked)

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return UNKNOWN_VERSION
