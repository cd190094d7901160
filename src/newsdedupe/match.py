"""Similarity measures: the only module that imports rapidfuzz.

Scores are 0-100. ``ratio`` compares two whole paragraphs (near-duplicates);
``containment`` finds the best-aligned stretch of a longer text for a shorter
one (teasers, pull quotes, re-split copies) and says where it is, so the
numbers guard can look at just that stretch.
"""

from __future__ import annotations

from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein


class Alignment(NamedTuple):
    score: float
    start: int
    end: int


def ratio(a: str, b: str, cutoff: float = 0.0) -> float:
    """Whole-text similarity (normalized Indel distance), 0 when under cutoff."""
    return float(fuzz.ratio(a, b, score_cutoff=cutoff))


def containment(needle: str, haystack: str, cutoff: float = 0.0) -> Alignment:
    """How well ``needle`` stands inside ``haystack``, and where.

    ``needle`` must not be longer than ``haystack``. The score is 100 when it
    occurs verbatim.
    """
    if needle in haystack:
        start = haystack.index(needle)
        return Alignment(100.0, start, start + len(needle))
    found = fuzz.partial_ratio_alignment(needle, haystack, score_cutoff=cutoff)
    if found is None:
        return Alignment(0.0, 0, 0)
    return Alignment(float(found.score), found.dest_start, found.dest_end)


def word_edits(a: list[str], b: list[str]) -> list[tuple[list[str], list[str]]]:
    """The word groups that differ between two word lists, as (words of
    ``a``, words of ``b``) pairs: a replaced group has words on both sides,
    an inserted or deleted one on one side only."""
    groups: list[tuple[list[str], list[str]]] = []
    joined = False  # the last group ends where this one starts
    for op in Levenshtein.opcodes(a, b):
        tag, i1, i2, j1, j2 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
        if tag == "equal":
            joined = False
        elif joined:  # ("camp outs" -> "campouts": a replace and a delete)
            xs, ys = groups[-1]
            groups[-1] = (xs + a[i1:i2], ys + b[j1:j2])
        else:
            groups.append((a[i1:i2], b[j1:j2]))
            joined = True
    return groups


def typo(x: str, y: str) -> bool:
    """One word written two ways by a slip of the keyboard: one letter
    added, dropped, changed or two swapped, in a word of four letters or more
    ("recieve", "runing"), or two swapped in a shorter one ("teh"). A short
    word changed ("a"/"b", "men"/"women") is another word."""
    if min(len(x), len(y)) >= 4:
        return OSA.distance(x, y, score_cutoff=1) <= 1
    return x != y and sorted(x) == sorted(y) and OSA.distance(x, y) == 1  # "teh"
