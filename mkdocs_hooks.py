"""mkdocs hooks (``hooks:`` in mkdocs.yml): a navigation that tolerates pages still to come.

The ``nav:`` of mkdocs.yml names each kind of page in its section. Before mkdocs reads it,
:func:`on_config` rewrites it:

- an entry ending in ``?`` is optional: dropped when its page does not exist (a page another
  part of the project adds later), kept otherwise;
- an entry with ``*`` stands for every page it matches, sorted (``rulesets/*.md``);
- a section left empty is dropped;
- a page that no entry lists is added under "More", so every page can be found.

A link to a page that does not exist still fails ``mkdocs build --strict`` (``validation:``).

Pages may also link to files of the repository outside ``docs/`` (a generated page links each
quote to its line in ``rulesets/sources/<text>.txt``). mkdocs only publishes ``docs/``, so
:func:`on_files` publishes each such file (not a Markdown page) under ``repository/`` and
:func:`on_page_markdown` points the link there. A link to a file that does not exist, or to a
Markdown file outside ``docs/``, is left as written, and fails the strict build.
"""

from __future__ import annotations

import os
import re
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File

OPTIONAL = "?"
PUBLISHED = "repository"  # where files of the repository outside docs/ are published
_LINK = re.compile(r"(\]\()([^)\s]+)(\))")  # an inline Markdown link: ](target)


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


def _folders(config: Any) -> tuple[Path, Path]:
    """The documentation folder and the repository's root (the folder of mkdocs.yml)."""
    return Path(config.docs_dir).resolve(), Path(config.config_file_path).parent.resolve()


def outside_target(page: Path, target: str, docs: Path, root: Path) -> Path | None:
    """The repository file a page's link points to when it lies outside ``docs``, else None."""
    path = target.split("#", 1)[0]
    if not path or "://" in path or path.startswith(("/", "mailto:")) or path.endswith(".md"):
        return None
    found = (page.parent / path).resolve()
    if found.is_relative_to(docs) or not found.is_relative_to(root) or not found.is_file():
        return None
    return found


def on_files(files: Any, config: Any) -> Any:
    """mkdocs event: publish the repository files that pages link to outside ``docs``."""
    docs, root = _folders(config)
    for page in list(files.documentation_pages()):
        if page.abs_src_path is None:
            continue
        source = Path(page.abs_src_path)
        for _, target, _ in _LINK.findall(source.read_text(encoding="utf-8")):
            found = outside_target(source, target, docs, root)
            uri = f"{PUBLISHED}/{found.relative_to(root).as_posix()}" if found else None
            if found and uri and files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, abs_src_path=str(found)))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """mkdocs event: point links to repository files at their published copies."""
    del files
    if page.file.abs_src_path is None:
        return markdown
    docs, root = _folders(config)
    source = Path(page.file.abs_src_path)

    def published(match: re.Match[str]) -> str:
        target = match.group(2)
        found = outside_target(source, target, docs, root)
        if found is None:
            return match.group(0)
        anchor = target[len(target.split("#", 1)[0]) :]
        copy = docs / PUBLISHED / found.relative_to(root)
        link = Path(os.path.relpath(copy, source.parent)).as_posix()
        return f"{match.group(1)}{link}{anchor}{match.group(3)}"

    return _LINK.sub(published, markdown)
