"""The comparison form of a paragraph (never written out).

Unicode compatibility form (NFKC), case folded, every curly quote, apostrophe
and dash mapped to one ASCII form, every whitespace run (NBSP included) made
one space. Written for speed (measured on news paragraphs in English, German,
Arabic and Chinese): ASCII text skips NFKC and the mapping, a substring test
for each mapped character finds the few to map (a C-level scan each, and none
at all for a character wider than the text's storage: a third fewer
instructions than one regex scan with a character class) and chained
``str.replace`` maps them (faster than ``str.translate`` or a ``re.sub``
callback), and text that is already one-space separated skips the split and
join.
"""

from __future__ import annotations

import re
import unicodedata

_QUOTES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u00b4": "'", "`": "'", "\u2039": "'", "\u203a": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\u300c": '"', "\u300d": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
    "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
}
_MAPPED = tuple(_QUOTES)
DIGITS = re.compile(r"\d+")
"""A run of digits: a number as the rules compare it."""


def normalize(text: str) -> str:
    """Return the comparison form of ``text``."""
    if text.isascii():
        # ASCII is already NFKC, its case folding is lower(), and the
        # backtick is the only character of it that is mapped.
        if "`" in text:
            text = text.replace("`", "'")
        text = text.lower()
    else:
        # Map before NFKC too: NFKC turns an acute accent used as an apostrophe
        # into a space and a combining mark, and a double prime into two primes.
        # Mapping again after NFKC is needed only where NFKC changed the
        # text: the first mapping leaves none of the mapped characters.
        mapped = _map_quotes(text)
        text = unicodedata.normalize("NFKC", mapped)
        if text != mapped:
            text = _map_quotes(text)
        text = text.casefold()
    # str.split() with no argument splits on every Unicode whitespace run,
    # NBSP and ideographic space included. Every whitespace character but
    # the space is unprintable, so printable text without a double, leading
    # or trailing space has nothing to collapse.
    if "  " in text or text[:1] == " " or text[-1:] == " " or not text.isprintable():
        return " ".join(text.split())
    return text


def _map_quotes(text: str) -> str:
    for src in [c for c in _MAPPED if c in text]:
        text = text.replace(src, _QUOTES[src])
    return text


def numbers(norm: str) -> list[str]:
    """Digit runs of a normalized paragraph, as ASCII digit strings.

    ``\\d`` matches every Unicode decimal digit (Arabic-Indic, Devanagari, ...);
    ``int`` reads them all, so "١٢" and "12" are the same number.
    """
    return [str(int(m)) for m in DIGITS.findall(norm)]


def number_spans(norm: str) -> list[tuple[int, int, str]]:
    """Digit runs with their positions: (start, end, value)."""
    return [(m.start(), m.end(), str(int(m.group()))) for m in DIGITS.finditer(norm)]


def wide_count(text: str) -> int:
    """How many wide characters (Chinese, Japanese, Korean: two columns in a
    terminal) ``text`` holds."""
    if text.isascii():
        return 0
    return sum(1 for c in text if unicodedata.east_asian_width(c) in "WF")
