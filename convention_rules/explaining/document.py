"""An explanation as a small document, and its three renderings: text, Markdown, rich.

The explainer builds blocks (a title, paragraphs, sections of items with their
details); each renderer writes them out. ``rich`` renders the Markdown for a
terminal (bold, colours, quotes) when the library is installed, and falls back
to plain text otherwise.
"""

from __future__ import annotations

from typing import Literal

import attrs

DetailKind = Literal["quote", "code", "plain"]


@attrs.frozen
class Detail:
    """A line under an item: a verbatim clause, a formula (``text`` then ``code``), a note."""

    kind: DetailKind
    text: str
    code: str = ""


@attrs.frozen
class Item:
    text: str
    details: tuple[Detail, ...] = ()


@attrs.frozen
class Section:
    heading: str
    items: tuple[Item, ...]
    note: str | None = None


@attrs.frozen
class Document:
    title: str
    answer: str
    context: tuple[str, ...]
    sections: tuple[Section, ...]


def to_text(doc: Document) -> str:
    lines = [doc.title, doc.answer, *doc.context]
    for section in doc.sections:
        lines += ["", section.heading]
        for item in section.items:
            lines.append(f"- {item.text}")
            for detail in item.details:
                if detail.kind == "quote":
                    lines.append(f"  « {detail.text} »")
                elif detail.kind == "code":
                    lines.append(f"  {detail.text}{detail.code}")
                else:
                    lines.append(f"  {detail.text}")
        if section.note:
            lines.append(section.note)
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    """Text that Markdown shows as written (no stray emphasis, links or headings)."""
    out = []
    for char in text:
        if char in "\\`*_[]<>#|":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def _md_code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def to_markdown(doc: Document) -> str:
    lines = [f"### {_md_escape(doc.title)}", "", f"**{_md_escape(doc.answer)}**"]
    lines += [f"\n{_md_escape(line)}" for line in doc.context]
    for section in doc.sections:
        lines += ["", f"#### {_md_escape(section.heading)}", ""]
        for item in section.items:
            lines.append(f"- {_md_escape(item.text)}" + ("  " if item.details else ""))
            for detail in item.details:
                if detail.kind == "quote":
                    lines += ["", f"  > « {_md_escape(detail.text)} »", ""]
                elif detail.kind == "code":
                    lines.append(f"  {_md_escape(detail.text)}{_md_code(detail.code)}  ")
                else:
                    lines.append(f"  {_md_escape(detail.text)}  ")
        if section.note:
            lines += ["", f"*{_md_escape(section.note)}*"]
    return "\n".join(lines) + "\n"


def to_rich(doc: Document, width: int = 100) -> str:
    """The Markdown rendered for a terminal (ANSI styles); plain text without ``rich``."""
    try:
        from rich.console import Console  # noqa: PLC0415 (optional, heavy: only when asked)
        from rich.markdown import Markdown  # noqa: PLC0415
    except ImportError:
        return to_text(doc)
    console = Console(width=width, force_terminal=True, color_system="standard", record=False)
    with console.capture() as capture:
        # rich passes control characters through: a ruleset's text never styles the terminal
        console.print(Markdown(_visible_controls(to_markdown(doc))))
    return capture.get()


def _visible_controls(text: str) -> str:
    """Control characters (but line breaks) written as ``\\xNN``, so a terminal shows them."""
    return "".join(
        f"\\x{ord(ch):02x}" if (ord(ch) < 32 and ch != "\n") or 0x7F <= ord(ch) < 0xA0 else ch
        for ch in text
    )
