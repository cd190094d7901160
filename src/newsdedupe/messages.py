"""How the command words its stderr lines, in one place.

The rule: a line about one input starts with that input's name
(``crawl/a.txt: 2 repeated paragraphs``); every other line (usage problems
found while running, summaries, progress, hints) starts with ``dedupe:``.
Counts read as a person writes them: singular for one, plural otherwise,
thousands separated by commas (``1 file``, ``5,000 files``).
"""

from __future__ import annotations

PREFIX = "dedupe: "

EVENTS_MAX_CHARS = 300
"""The longest list of "paragraph 5 repeats 2" events a ``-v`` line shows;
a long document with hundreds of removals would otherwise print one line of
tens of kilobytes. The line then says how many more events there are."""


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``1 file``, ``2 files``, ``5,000 files``."""
    word = singular if n == 1 else (plural if plural is not None else singular + "s")
    return f"{n:,} {word}"


def run_line(text: str) -> str:
    """A line about the whole run: ``dedupe: ...``."""
    return PREFIX + text


def events_text(events: list[str] | tuple[str, ...], limit: int = EVENTS_MAX_CHARS) -> str:
    """The ``-v`` list of events, joined with ``; `` and cut at ``limit``
    characters on an event boundary, ending with ``... and N more``."""
    shown: list[str] = []
    used = 0
    for i, event in enumerate(events):
        cost = len(event) + (2 if shown else 0)
        rest = len(events) - i
        if used + cost > limit and rest > 0:
            tail = f"... and {count(rest, 'more event')}"
            return "; ".join([*shown, tail])
        shown.append(event)
        used += cost
    return "; ".join(shown)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` fit for one line of a terminal: control characters (a newline
    that would forge a second message, an ESC that would steer the terminal)
    and lone surrogates (the bytes of a name that is not UTF-8) are written
    as backslash escapes, the way Python's ``repr`` writes them."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 name (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x20 or 0x7F <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif 0xD800 <= code <= 0xDFFF or code in _INVISIBLE:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


_INVISIBLE = frozenset([0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
"""Line separators and bidirectional overrides: they would move or reorder
what the terminal shows."""
