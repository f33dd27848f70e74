"""Does a quoted clause stand in its source text? Does a constant's value stand in its clause?

Source texts are extracted from PDFs: line breaks cut words with a hyphen,
typographic quotes and spaces vary, OCR drops or doubles letters. A quote is
compared after normalising all that: Unicode compatibility forms, words joined
across a hyphenated line break, letters and digits only, lower case. An
ellipsis in a quote (``…``, ``(…)``, ``[...]``) cuts it into fragments, each
looked for on its own. A fragment still not found is accepted when nine tenths of
its characters match a window of the source placed by one of its 12-character
pieces (OCR noise); otherwise it is reported.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

_HYPHENATED = re.compile(r"(\w)[-\u00ad\u2010\u2011]\s*\n\s*(\w)")
_NOT_ALNUM = re.compile(r"[\W_]+")
_CUT = re.compile(r"\(\s*(?:…|\.\.\.)\s*\)|\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.")
_PIECE = 12
_NOISE_TOLERANCE = 0.9  # share of a quote's characters that must match when OCR noise is allowed


def normalise(text: str) -> str:
    """Letters and digits only, lower case, words joined across hyphenated line breaks."""
    text = unicodedata.normalize("NFKC", text)
    text = _HYPHENATED.sub(r"\1\2", text)
    return _NOT_ALNUM.sub("", text.casefold())


def fragments(quote: str) -> list[str]:
    """The parts of a quote between its ellipses, normalised (empty parts dropped)."""
    return [part for part in (normalise(p) for p in _CUT.split(quote)) if part]


def missing_fragment(quote: str, source_normalised: str) -> str | None:
    """The first fragment of ``quote`` not found in the (normalised) source, or None."""
    for raw in _CUT.split(quote):
        part = normalise(raw)
        if not part or part in source_normalised:
            continue
        if len(part) >= 2 * _PIECE and _near(part, source_normalised):
            continue
        return " ".join(raw.split())
    return None


def _near(part: str, source: str) -> bool:
    """Whether ``source`` holds ``part`` but for a little OCR noise: a window placed by one
    of its 12-character pieces that is found, and nearly the same (difflib's ratio)."""
    for index in range(0, len(part) - _PIECE + 1, _PIECE):
        at = source.find(part[index : index + _PIECE])
        if at < 0:
            continue
        start = max(0, at - index)
        window = source[start : start + len(part) + _PIECE // 2]
        matcher = difflib.SequenceMatcher(None, part, window, autojunk=False)
        matched = sum(block.size for block in matcher.get_matching_blocks())
        if matched >= _NOISE_TOLERANCE * len(part):
            return True
    return False


_NUMBER_WORDS = {
    0: ("zero", "aucun", "aucune", "sans"),
    1: ("un", "une", "premier", "premiere"),
    2: ("deux",),
    3: ("trois",),
    4: ("quatre",),
    5: ("cinq",),
    6: ("six",),
    7: ("sept",),
    8: ("huit",),
    9: ("neuf",),
    10: ("dix",),
    12: ("douze",),
    15: ("quinze",),
    20: ("vingt",),
    30: ("trente",),
}
_MONTHS = (
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
)
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _plain(text: str) -> str:
    """Lower case without accents, words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " " + " ".join(re.sub(r"[^\w/,.]+", " ", bare).split()) + " "


def value_in_clause(value: str, clause: str) -> bool:
    """Whether a constant's literal (``2024-01-22``, ``8500.00 EUR``, ``6 months``,
    ``15 %``) is written in its quoted clause (digits, French words, dates in words)."""
    text = _plain(clause)
    digits_only = re.sub(r"(?<=\d)[ .](?=\d{3}\b)", "", text)  # 8 500 -> 8500
    found_date = _DATE.fullmatch(value.strip())
    if found_date:
        _year, month, day = (int(g) for g in found_date.groups())
        day_words = ("1er", "premier") if day == 1 else ()
        days = "|".join(re.escape(d) for d in (str(day), f"{day:02d}", *day_words))
        # "le 8 ou 9 février 2024": the day may stand a few words before its month
        spelled = re.compile(rf" (?:{days})(?: [\w,]+){{0,3}} {_MONTHS[month - 1]} ")
        numeric = [f"{day:02d}/{month:02d}/", f"{day}/{month}/", f"{day:02d}/{month:02d} "]
        return bool(spelled.search(text)) or any(n in text for n in numeric)
    numbers = _NUMBER.findall(value)
    if not numbers:
        return True  # true, false: nothing to find
    amount = numbers[0]
    whole = int(float(amount))
    if re.search(rf"(?<![\d]){whole}(?![\d])", digits_only):
        return True
    return any(f" {word} " in text for word in _NUMBER_WORDS.get(whole, ()))
