"""``normalize`` is written for speed; it must give exactly what the
straightforward definition gives (SPEC section 2): quotes, apostrophes and
dashes mapped (before and after NFKC), NFKC, case folded, every whitespace
run one space."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsdedupe.normalize import _QUOTES, normalize


def reference(text: str) -> str:
    """One character at a time, no shortcuts."""

    def mapped(t: str) -> str:
        return "".join(_QUOTES.get(c, c) for c in t)

    text = mapped(unicodedata.normalize("NFKC", mapped(text)))
    return " ".join(text.casefold().split())


WHITESPACE = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
TRICKY = [
    *_QUOTES,
    *WHITESPACE,
    "\u0301",  # combining acute
    "\ufb01",  # fi ligature
    "\uff21",  # fullwidth A
    "\uff02",  # fullwidth quotation mark
    "\u2460",  # circled digit one
    "\u00b2",  # superscript two
    "\u00df",  # sharp s
    "\u0130",  # capital I with dot
    "\u03a3",  # capital sigma
    "\u0661",  # Arabic-Indic digit one
    "\u5317",  # CJK
    "\U0001f600",  # emoji
    "\u2026",  # ellipsis
    "\u1e9e",  # capital sharp s
    "`",
    "'",
    '"',
    "-",
]
CHARS = st.one_of(
    st.sampled_from(TRICKY),
    st.characters(min_codepoint=32, max_codepoint=126),
    st.characters(),
)


@settings(max_examples=1000)
@given(st.text(CHARS, max_size=40))
@example("")
@example("  ")
@example("plain ascii text")
@example(" leading and trailing ")
@example("tab\tand\nnewline")
@example("double  space")
@example("\x1c file separator")
@example("back`tick")
@example("Caf\u00e9 \u201cquoted\u201d \u2014 it\u2019s")
@example("acute\u00b4s and double prime\u2033")
@example("e\u200b\u0301")
@example("\u00a0nbsp\u3000ideographic\u2028line")
def test_normalize_matches_the_reference(text: str) -> None:
    assert normalize(text) == reference(text)


@given(st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60))
def test_ascii_matches_the_reference(text: str) -> None:
    assert normalize(text) == reference(text)


def test_every_whitespace_but_space_is_unprintable() -> None:
    """The fast path skips split/join for printable text without double,
    leading or trailing spaces; that is only right while this holds for the
    running Python's Unicode database."""
    assert [c for c in WHITESPACE if c.isprintable() and c != " "] == []


def test_known_forms() -> None:
    assert normalize("  The \u201cQuick\u201d\u00a0fox \u2014 it\u2019s  here\n") == (
        'the "quick" fox - it\'s here'
    )
    assert normalize("\ufb01ne \uff21\u00b2 STRASSE Stra\u00dfe") == "fine a2 strasse strasse"
    assert normalize("soft\u00adhyphen zero\u200bwidth") == "softhyphen zerowidth"
