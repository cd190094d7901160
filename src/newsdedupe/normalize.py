"""The comparison form of a paragraph (never written out).

Unicode compatibility form (NFKC), case folded, every curly quote, apostrophe
and dash mapped to one ASCII form, every whitespace run (NBSP included) made
one space. Chained ``str.replace`` on the few characters that occur beats a
regex or ``str.translate`` on typical news text, and the ``in`` checks make the
common case (nothing to map) nearly free.
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
_QUOTE_CHARS = frozenset(_QUOTES)
_DIGITS = re.compile(r"\d+")


def normalize(text: str) -> str:
    """Return the comparison form of ``text``."""
    if not text.isascii():
        # Map before NFKC too: NFKC turns an acute accent used as an apostrophe
        # into a space and a combining mark, and a double prime into two primes.
        text = _map_quotes(unicodedata.normalize("NFKC", _map_quotes(text)))
    elif "`" in text:
        text = text.replace("`", "'")
    # str.split() with no argument splits on every Unicode whitespace run,
    # NBSP and ideographic space included.
    return " ".join(text.casefold().split())


def _map_quotes(text: str) -> str:
    if not _QUOTE_CHARS.isdisjoint(text):
        for src, dst in _QUOTES.items():
            if src in text:
                text = text.replace(src, dst)
    return text


def numbers(norm: str) -> list[str]:
    """Digit runs of a normalized paragraph, as ASCII digit strings.

    ``\\d`` matches every Unicode decimal digit (Arabic-Indic, Devanagari, ...);
    ``int`` reads them all, so "١٢" and "12" are the same number.
    """
    return [str(int(m)) for m in _DIGITS.findall(norm)]


def number_spans(norm: str) -> list[tuple[int, int, str]]:
    """Digit runs with their positions: (start, end, value)."""
    return [(m.start(), m.end(), str(int(m.group()))) for m in _DIGITS.finditer(norm)]
