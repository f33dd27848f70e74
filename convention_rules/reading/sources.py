"""The source texts of the agreements: articles found by their headings.

A source is the plain text of one agreement (``rulesets/sources/<file>``).
Its articles are found by their headings, as each text writes them:
« Article 8 - Durée », « ARTICLE 3 - MODALITES … », « 3-2 Publics visés »,
« 3.9 Durée de la convention », « 3/ Article 1 - Orientations … », « TITRE 3 - … »,
and named sections (« Statuts et calendriers »). An article runs from its
heading to the next heading that is not one of its sub-articles (« Article 3 »
holds 3-1 … 3-8). Citations name articles as the rulesets do: ``"3-2"``,
``"1 (3-3)"`` (point 3-3 of article 1), ``"Parcours d'accompagnement de
l'alternance, 3"`` (item 3 of that section), ``"Préambule, art. 1"`` (both).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import attrs

from convention_rules._errors import UnknownNameError

# « Article 8 », « ARTICLE 3 - », « 3/ Article 1 - », « TITRE 3 - », « Article unique »
_ARTICLE = re.compile(
    r"^(?:(?P<prefix>\d{1,2})/\s*)?(?P<kind>article|titre|annexe)\s+(?P<id>\d{1,2}|unique)\b",
    re.IGNORECASE,
)
# the signatures: « Fait en 2 exemplaires », « Effectuée en deux exemplaires originaux »
_SIGNED = re.compile(r"^(?:fait|effectu[ée]e)\s+(?:à|a|en|le)\b", re.IGNORECASE)
# « 3-2 Publics », « 3.9 Durée », « 3-3/ Coopérations », « 2.3.1 Les formations »
_NUMBERED = re.compile(r"^(?P<id>\d{1,2}(?:[-.]\d{1,2})+)/?\s+(?P<rest>\S.*)$")
# « 1/ Le contexte »: a numbered part without the word article
_PART = re.compile(r"^(?P<id>\d{1,2})/\s+(?P<rest>\S.*)$")
_MARKUP = re.compile(r"</?p>|\*\*|^#+\s*")
_LEAD = re.compile(r"^[^\w«]+")
_ITEM = re.compile(r"^(?P<n>\d{1,2})\.\s")
_COMBINED = re.compile(r"^(?P<outer>.+?)\s*\((?P<inner>[^()]+)\)$")
_WITH_ITEM = re.compile(r"^(?P<outer>.+?),\s*(?P<item>\d{1,2})$")
_BOTH = re.compile(r"^(?P<first>.+?),\s*art\.\s*(?P<second>.+)$")


@attrs.frozen
class Heading:
    line: int  # 1-based
    key: str | None  # the number that orders sub-articles ("3" for « 3/ Article 1 »)
    article: str | None  # the article number the text gives it ("1" for « 3/ Article 1 »)
    title: str  # the heading line, without markup


@attrs.frozen
class Passage:
    """Lines ``first`` to ``last`` (1-based, inclusive) of a source, as the text has them."""

    source: str
    article: str
    first: int
    last: int
    text: str


def _clean(line: str) -> str:
    """A line without markup, and without the bullets and symbols some texts put first."""
    return _LEAD.sub("", _MARKUP.sub("", line)).strip()


def _fold(text: str) -> str:
    """Case, accents, quotes and spaces folded, to compare a name or a quote with the text."""
    text = text.replace("\u2019", "'").replace("œ", "oe").replace("^", "")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_MARKUP.sub("", text).split()).casefold()


def fold_quote(text: str) -> str:
    """A quote folded as articles are compared: case, accents, quotes, spaces and markup."""
    return _fold(text)


def _is_sub(parent: str | None, child: str | None) -> bool:
    return (
        parent is not None and child is not None and child.startswith((parent + "-", parent + "."))
    )


class SourceText:
    """One agreement's text, with its headings."""

    def __init__(self, name: str, text: str, names: tuple[str, ...] = ()) -> None:
        self.name = name
        self.text = text
        self.lines = text.splitlines()
        self.headings = self._headings(names)

    @classmethod
    def read(cls, path: Path, names: tuple[str, ...] = ()) -> SourceText:
        return cls(path.name, path.read_text(encoding="utf-8"), names)

    def _headings(self, names: tuple[str, ...]) -> list[Heading]:
        folded_names = tuple(_fold(name) for name in names)
        counts: dict[str, int] = {}
        for line in self.lines:
            counts[_fold(line)] = counts.get(_fold(line), 0) + 1
        numbered = any(
            _ARTICLE.match(_clean(line)) or _NUMBERED.match(_clean(line)) for line in self.lines
        )
        found = []
        for number, raw in enumerate(self.lines, 1):
            line = _clean(raw)
            if not line:
                continue
            if match := _ARTICLE.match(line):
                kind, article = match["kind"].lower(), match["id"].lower()
                if kind == "annexe":
                    found.append(Heading(number, f"annexe {article}", f"annexe {article}", line))
                else:
                    key = match["prefix"] or article
                    found.append(Heading(number, key, article if kind == "article" else None, line))
            elif _SIGNED.match(line):
                found.append(Heading(number, "signatures", "signatures", line))
            elif (match := _NUMBERED.match(line)) and match["rest"][0].isupper():
                found.append(Heading(number, match["id"], match["id"], line))
            elif (match := _PART.match(line)) and match["rest"][0].isupper():
                found.append(Heading(number, match["id"], None, line))
            elif _is_title(line) and (
                _fold(line).startswith(folded_names)
                or (not numbered and counts.get(_fold(raw), 0) > 1)
            ):
                # a named section: a short line that a ruleset cites, or (in a text without
                # numbered articles) a title that it repeats, in its contents and its body
                found.append(Heading(number, None, None, line))
        return found

    # -- lookup -----------------------------------------------------------------
    def article(self, article: str) -> Passage:
        """The passage of ``article`` (:class:`UnknownNameError` when the text has none)."""
        cited = " ".join(article.split())
        if match := _BOTH.match(cited):
            first, second = self.article(match["first"]), self.article(match["second"])
            start, end = min(first.first, second.first), max(first.last, second.last)
            return self._passage(cited, start, end)
        if match := _COMBINED.match(cited):
            outer = self.article(match["outer"])
            inner = self._span(match["inner"], within=(outer.first, outer.last))
            if inner is not None:
                return self._passage(cited, *inner)
        if match := _WITH_ITEM.match(cited):
            outer = self.article(match["outer"])
            item = self._item(match["item"], outer.first, outer.last)
            if item is not None:
                return self._passage(cited, *item)
        span = self._span(cited)
        if span is None:
            raise UnknownNameError(
                f"{self.name} has no article {article!r} (headings: "
                + ", ".join(h.article or h.title for h in self.headings)
                + ")"
            )
        return self._passage(cited, *span)

    def locate(self, quote: str, within: tuple[int, int] | None = None) -> int | None:
        """The line where ``quote`` (its opening, up to any « [...] ») begins, if found
        (between lines ``within``, inclusive, when given)."""
        opening = _fold(quote.split("[...]", maxsplit=1)[0])[:60].strip()
        if len(opening) < 12:
            return None
        first, last = within or (1, len(self.lines))
        joined = ""
        starts = []
        for line in self.lines[first - 1 : last]:
            starts.append(len(joined))
            if folded := _fold(line):
                joined += folded + " "
        at = joined.find(opening)
        if at < 0:
            return None
        return first + max(i for i, start in enumerate(starts) if start <= at)

    def cite(self, article: str, quote: str) -> int | None:
        """The line to link a citation to: its quote in its article, else anywhere, else the
        article's heading; ``None`` when the text has neither."""
        try:
            passage: Passage | None = self.article(article)
        except UnknownNameError:
            passage = None
        if passage is not None and (line := self.locate(quote, (passage.first, passage.last))):
            return line
        line = self.locate(quote)
        if line is None and passage is not None:
            return passage.first
        return line

    def _span(self, cited: str, within: tuple[int, int] | None = None) -> tuple[int, int] | None:
        inside = [
            (i, h)
            for i, h in enumerate(self.headings)
            if within is None or within[0] <= h.line <= within[1]
        ]
        named: list[tuple[int, Heading]] = []
        for attribute in ("article", "key"):
            named = [
                (i, h)
                for i, h in inside
                if (getattr(h, attribute) or "").casefold() == cited.casefold()
            ]
            if named:
                break
        else:
            folded = _fold(cited)
            named = [(i, h) for i, h in inside if _fold(h.title).startswith(folded)]
        if not named:
            return None
        # a title listed in a table of contents and again in the body: the body's is longer
        spans = [(heading.line, self._end(i)) for i, heading in named]
        return max(spans, key=lambda span: span[1] - span[0])

    def _end(self, index: int) -> int:
        heading = self.headings[index]
        for later in self.headings[index + 1 :]:
            if not _is_sub(heading.key, later.key):
                return later.line - 1
        return len(self.lines)

    def _item(self, number: str, first: int, last: int) -> tuple[int, int] | None:
        start = None
        for line_number in range(first, last + 1):
            match = _ITEM.match(_clean(self.lines[line_number - 1]))
            if match is None:
                continue
            if start is not None:
                return start, line_number - 1
            if match["n"] == number:
                start = line_number
        return None if start is None else (start, last)

    def _passage(self, cited: str, first: int, last: int) -> Passage:
        while last > first and not self.lines[last - 1].strip():
            last -= 1
        text = "\n".join(self.lines[first - 1 : last])
        return Passage(self.name, cited, first, last, text)


def _is_title(line: str) -> bool:
    return len(line) <= 80 and line[0].isupper() and not line.endswith((".", ",", ";"))
