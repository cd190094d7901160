"""Similarity measures: the only module that imports rapidfuzz.

Scores are 0-100. ``ratio`` compares two whole paragraphs (near-duplicates);
``containment`` finds the best-aligned stretch of a longer text for a shorter
one (teasers, pull quotes, re-split copies) and says where it is, so the
numbers guard can look at just that stretch. ``containment`` first asks
``may_reach`` whether any alignment can reach its cutoff, a proof from
common-subsequence lengths that costs a small part of an alignment; most
alignments tried on real text cannot, and the answer is the same either
way.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, LCSseq, Levenshtein

from newsdedupe.normalize import wide_count

_QUICK_BELOW = 65
"""Needles shorter than this are aligned by rapidfuzz at once: its search
for them is cheap. For longer ones :func:`may_reach` comes first."""

_FINEST = 8
""":func:`may_reach` narrows the window starts down to stretches of a
``1/_FINEST`` of the needle's length before it gives up proving."""

_SLACK = 1e-9


class Alignment(NamedTuple):
    score: float
    start: int
    end: int


def ratio(a: str, b: str, cutoff: float = 0.0) -> float:
    """Whole-text similarity (normalized Indel distance), 0 when under cutoff."""
    return float(fuzz.ratio(a, b, score_cutoff=cutoff))


def containment(
    needle: str,
    haystack: str,
    cutoff: float = 0.0,
    refused: Callable[[str, str], bool] | None = None,
) -> Alignment:
    """How well ``needle`` stands inside ``haystack``, and where.

    ``needle`` must not be longer than ``haystack``. The score is 100 when it
    occurs verbatim. ``refused``: the caller's proof that it would turn down
    any alignment that is not verbatim; when it says so, a long needle is
    not aligned and the score is 0 (asked only after :func:`may_reach`,
    which is cheaper and settles most).
    """
    start = haystack.find(needle)
    if start >= 0:
        return Alignment(100.0, start, start + len(needle))
    if proves(needle, haystack, cutoff):
        if not may_reach(needle, haystack, cutoff):
            return Alignment(0.0, 0, 0)
        if refused is not None and refused(needle, haystack):
            return Alignment(0.0, 0, 0)
    found = fuzz.partial_ratio_alignment(needle, haystack, score_cutoff=cutoff)
    if found is None:
        return Alignment(0.0, 0, 0)
    return Alignment(float(found.score), found.dest_start, found.dest_end)


def proves(needle: str, haystack: str, cutoff: float) -> bool:
    """Whether :func:`containment` of ``needle`` in ``haystack``, when the
    needle is not verbatim in it, asks :func:`may_reach` and then its
    caller's ``refused`` before it aligns: so a caller that knows
    ``refused`` would say True knows the score is 0."""
    return cutoff > 0 and _QUICK_BELOW <= len(needle) < len(haystack)


def may_reach(needle: str, haystack: str, cutoff: float) -> bool:
    """False when no alignment of ``needle`` (shorter than ``haystack``) can
    score ``cutoff`` or more: a proof from longest common subsequences,
    which cost a small part of an alignment.

    rapidfuzz aligns a needle of length ``L`` with every stretch of
    ``L`` characters of the haystack (score ``100 * lcs / L``) and with its
    prefixes and suffixes shorter than that (``200 * lcs / (L + length)``).
    A stretch's common subsequence with the needle is no longer than that
    of any longer text holding the stretch: the first and last ``L``
    characters bound the prefixes and suffixes (at most
    ``200 * c / (L + c)``), and text of ``L + span`` characters bounds the
    ``span + 1`` stretches starting in its first ``span + 1`` places. The
    starts are halved while a piece may pass, down to ``L / _FINEST``.
    (The lengths are computed in full: rapidfuzz's ``score_cutoff`` for them
    is not used, it can answer 0 for a length at the cutoff.)"""
    lcs = LCSseq.similarity
    size, total = len(needle), len(haystack)
    least = cutoff / 100 - _SLACK
    edge = math.ceil(least * size / (2 - least))
    if edge <= 0 or lcs(needle, haystack[: size - 1]) >= edge:
        return True
    if lcs(needle, haystack[total - size :]) >= edge:
        return True
    need = math.ceil(least * size)
    finest = max(1, size // _FINEST)
    last = total - size  # the last start of a full stretch
    todo = [(s, min(size, last - s)) for s in range(0, last + 1, size + 1)]
    while todo:
        start, span = todo.pop()
        if lcs(needle, haystack[start : start + size + span]) < need:
            continue
        if span <= finest:
            return True
        half = span // 2
        todo.append((start + half + 1, span - half - 1))
        todo.append((start, half))
    return False


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
    added, dropped or two swapped in a word of four letters or more
    ("recieve", "runing"), one letter changed in a word of five or more, or
    two swapped in a shorter one ("teh"). A short word changed ("a"/"b",
    "men"/"women") is another word, and so is a four-letter word with one
    letter changed: "Iran"/"Iraq", "rose"/"rise", "Anna"/"Anne"."""
    if wide_count(x + y):
        return False  # (in Chinese or Japanese one character changed is another word)
    if min(len(x), len(y)) >= 4:
        if len(x) == len(y) == 4 and sorted(x) != sorted(y):
            return False  # (one letter changed: another word)
        return OSA.distance(x, y, score_cutoff=1) <= 1
    return x != y and sorted(x) == sorted(y) and OSA.distance(x, y) == 1  # "teh"


def one_edit_from(word: str, others: list[str]) -> bool:
    """Whether one of ``others`` is within one edit of ``word`` (a letter
    added, dropped, changed, or two neighbours swapped): every :func:`typo`
    is, and rapidfuzz answers for all of them in one call."""
    return process.extractOne(word, others, scorer=OSA.distance, score_cutoff=1) is not None
