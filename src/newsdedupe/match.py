"""Similarity measures: the only module that imports rapidfuzz.

Scores are 0-100. ``ratio`` compares two whole paragraphs (near-duplicates);
``containment`` finds the best-aligned stretch of a longer text for a shorter
one (teasers, pull quotes, re-split copies) and says where it is, so the
numbers guard can look at just that stretch.
"""

from __future__ import annotations

from typing import NamedTuple

from rapidfuzz import fuzz


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
