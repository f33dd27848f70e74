"""mkdocs hooks (``hooks:`` in mkdocs.yml): a navigation that tolerates pages still to come.

The ``nav:`` of mkdocs.yml names each kind of page in its section. Before mkdocs reads it,
:func:`on_config` rewrites it:

- an entry ending in ``?`` is optional: dropped when its page does not exist (a page another
  part of the project adds later), kept otherwise;
- an entry with ``*`` stands for every page it matches, sorted (``rulesets/*.md``);
- a section left empty is dropped;
- a page that no entry lists is added under "More", so every page can be found.

A link to a page that does not exist still fails ``mkdocs build --strict`` (``validation:``).
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

OPTIONAL = "?"


def _pages(docs: Path) -> list[str]:
    return sorted(path.relative_to(docs).as_posix() for path in docs.rglob("*.md"))


def _entry(value: str, pages: list[str]) -> list[str]:
    """The pages one entry stands for (none when an optional page is absent)."""
    if "*" in value:
        depth = value.count("/")  # `*` stays inside one folder
        return [p for p in pages if fnmatchcase(p, value) and p.count("/") == depth]
    path = value.removesuffix(OPTIONAL)
    if path in pages or "://" in path:
        return [path]
    if value.endswith(OPTIONAL):
        return []
    return [path]  # a required page that is absent: mkdocs reports it (validation.nav)


def _expand(items: list[Any], pages: list[str], listed: set[str]) -> list[Any]:
    expanded: list[Any] = []
    for item in items:
        if isinstance(item, str):
            found = _entry(item, pages)
            listed.update(found)
            expanded.extend(found)
            continue
        [(title, value)] = item.items()
        if isinstance(value, list):
            section = _expand(value, pages, listed)
            if section:
                expanded.append({title: section})
            continue
        found = _entry(value, pages)
        listed.update(found)
        if len(found) == 1 and "*" not in value:
            expanded.append({title: found[0]})
        elif found:
            expanded.append({title: found})
    return expanded


def navigation(nav: list[Any], pages: list[str]) -> list[Any]:
    """``nav`` with optional entries resolved, globs expanded and unlisted pages under More."""
    listed: set[str] = set()
    expanded = _expand(nav, pages, listed)
    unlisted = [page for page in pages if page not in listed]
    if unlisted:
        expanded.append({"More": unlisted})
    return expanded


def on_config(config: Any) -> Any:
    """mkdocs event: rewrite the nav before the pages are read."""
    if config.nav:
        config.nav = navigation(config.nav, _pages(Path(config.docs_dir)))
    return config
