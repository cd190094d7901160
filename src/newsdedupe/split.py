"""Paragraphs and the bytes between them, so the output is rebuilt exactly.

A document is cut into spans that tile the text: a lead (BOM, leading blank
lines), paragraphs, the separator after each paragraph but the last, and a tail
(trailing newline or blank lines). Rebuilding with every paragraph kept gives
the input back character for character.

Which lines form a paragraph (``--split auto``): blocks are runs of non-blank
lines; a block whose lines are themselves paragraphs (one paragraph per line,
the common scraper output) is split into its lines, and a hard-wrapped block
(lines broken at a fixed width, each line full up to that width) stays one
paragraph. So a title, a blank line and a line-per-paragraph body, or
blank-line paragraphs with a hard-wrapped one among them, come out right.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

from newsdedupe.config import SplitMode

_SENTENCE_END = frozenset(".!?\"'\u201d\u2019\u00bb:;)]\u3002\uff01\uff1f\u061f")
_WRAP_MIN_WIDTH = 40
_WRAP_MAX_WIDTH = 120


class Layout(NamedTuple):
    """Spans of a document: ``paragraphs[i]`` is ``text[starts[i]:ends[i]]``."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @property
    def paragraphs(self) -> list[str]:
        return [self.text[s:e] for s, e in zip(self.starts, self.ends, strict=True)]

    def rebuild(self, keep: Sequence[bool], moved: Mapping[int, int] | None = None) -> str:
        """The text with the paragraphs where ``keep`` is false removed.

        A removed paragraph goes together with the separator that follows it;
        a removed last paragraph takes the separator before it instead, so the
        output always ends the way the input ends. ``moved`` maps a kept
        paragraph to another one whose bytes stand in its place (``--keep
        longest``: the longest copy's text where the first copy was).
        """
        if len(self.starts) == sum(keep) and not moved:
            return self.text
        text = self.text
        return "".join([text[s:e] for s, e in self.pieces(keep, moved)])

    def pieces(
        self, keep: Sequence[bool], moved: Mapping[int, int] | None = None
    ) -> Iterator[tuple[int, int]]:
        """The spans of :attr:`text` that :meth:`rebuild` joins, in order (so
        the rebuilt text can be measured or encoded a piece at a time)."""
        kept = [i for i, k in enumerate(keep) if k]
        text, starts, ends = self.text, self.starts, self.ends
        if not kept or (len(kept) == len(starts) and not moved):
            # All kept; or only the lead and the tail remain (callers never
            # empty a document, but the layout stays well defined).
            if kept or not starts:
                yield 0, len(text)
            else:
                yield 0, starts[0]
                yield ends[-1], len(text)
            return
        moved = moved or {}
        # the lead, then each kept paragraph (or the one moved into its place)
        # with the separator that followed it
        yield 0, starts[0]
        for i in kept[:-1]:
            shown = moved.get(i, i)
            yield starts[shown], ends[shown]
            yield ends[i], starts[i + 1]
        shown = moved.get(kept[-1], kept[-1])
        yield starts[shown], ends[shown]
        yield ends[-1], len(text)


def _is_hard_wrapped(lines: Sequence[str]) -> bool:
    """True when a block's lines were broken at a fixed width.

    Greedy wrapping at width W fills every line but the last: the next line's
    first word would not have fit. Lines that are paragraphs of their own end
    in sentence punctuation and vary freely in length.
    """
    if len(lines) < 2:
        return False
    body = [line.rstrip() for line in lines]
    inner = body[:-1]
    width = max(len(line) for line in inner)
    if not _WRAP_MIN_WIDTH <= width <= _WRAP_MAX_WIDTH:
        return False
    full = 0
    ends_sentence = 0
    for line, nxt in zip(inner, body[1:], strict=True):
        first_word = nxt.split(maxsplit=1)[0] if nxt.split() else ""
        if len(line) + 1 + len(first_word) > width and len(line) >= 0.6 * width:
            full += 1
        if line and line[-1] in _SENTENCE_END:
            ends_sentence += 1
    return full >= 0.8 * len(inner) and ends_sentence <= 0.5 * len(inner)


def split_text(text: str, mode: SplitMode = "auto") -> Layout:
    """Cut ``text`` into paragraphs; see the module docstring for ``auto``."""
    blocks = _blocks(text)
    edges = _block_edges(text, blocks) if mode == "auto" else {}
    starts: list[int] = []
    ends: list[int] = []
    for number, block in enumerate(blocks):
        if mode == "line":
            pieces = [[line] for line in block]
        elif mode == "blank" or len(block) == 1:
            pieces = [block]
        elif not _is_hard_wrapped([text[s:e] for s, e in block]):
            pieces = [[line] for line in block]
        elif _has_repeated_lines(text, block):
            # A hard-wrapped body pasted twice inside one block: its lines
            # are the only units in which the copy can be seen.
            pieces = [[line] for line in block]
        else:
            pieces = _cut_at_glued_copies(text, block, number, edges)
        for piece in pieces:
            starts.append(piece[0][0])
            ends.append(piece[-1][1])
    return Layout(text, tuple(starts), tuple(ends))


def _blocks(text: str) -> list[list[tuple[int, int]]]:
    """Runs of non-blank lines, as (start, end) spans of line content."""
    blocks: list[list[tuple[int, int]]] = []
    block: list[tuple[int, int]] = []
    s = 0  # where the line starts; its content ends before "\n" and a final "\r"
    for line in text.split("\n"):
        end = s + len(line)
        if line.strip() and line.lstrip("\ufeff").strip():  # (a final "\r" is a space)
            e = end - 1 if line[-1] == "\r" else end
            if not block and s == 0 and line[0] == "\ufeff":
                block.append((1, e))  # the BOM belongs to the lead, not to the paragraph
            else:
                block.append((s, e))
        elif block:
            blocks.append(block)
            block = []
        s = end + 1
    if block:
        blocks.append(block)
    return blocks


def _flat(text: str, span: tuple[int, int]) -> str:
    return " ".join(text[span[0] : span[1]].split())


def _block_edges(
    text: str, blocks: Sequence[Sequence[tuple[int, int]]]
) -> dict[tuple[str, str, str], int]:
    """The first two and last two lines of every multi-line block."""
    edges: dict[tuple[str, str, str], int] = {}
    for number, block in enumerate(blocks):
        if len(block) >= 2:
            edges.setdefault(("head", _flat(text, block[0]), _flat(text, block[1])), number)
            edges.setdefault(("tail", _flat(text, block[-2]), _flat(text, block[-1])), number)
    return edges


def _cut_at_glued_copies(
    text: str,
    block: list[tuple[int, int]],
    number: int,
    edges: dict[tuple[str, str, str], int],
) -> list[list[tuple[int, int]]]:
    """A hard-wrapped paragraph copied with no blank line before or after it
    ends up glued to its neighbour in one block. Cut the block where two lines
    begin or end another block, so the copy is a paragraph of its own."""
    cuts = set()
    flat = [_flat(text, span) for span in block]
    for k in range(len(block) - 1):
        if k > 0 and edges.get(("head", flat[k], flat[k + 1]), number) != number:
            cuts.add(k)
        if k + 2 < len(block) and edges.get(("tail", flat[k], flat[k + 1]), number) != number:
            cuts.add(k + 2)
    pieces = []
    previous = 0
    for cut in sorted(cuts):
        pieces.append(block[previous:cut])
        previous = cut
    pieces.append(block[previous:])
    return pieces


def _has_repeated_lines(text: str, block: Sequence[tuple[int, int]]) -> bool:
    seen: set[str] = set()
    repeats = 0
    for span in block:
        line = _flat(text, span)
        if len(line) < _WRAP_MIN_WIDTH:
            continue
        if line in seen:
            repeats += 1
            if repeats >= 2:
                return True
        seen.add(line)
    return False
