"""The options of one deduplication run, in one frozen dataclass.

Every knob of the matching rules lives here with its default and the reason for
it, so the command line, the Python API and the tests share one definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SplitMode = Literal["auto", "blank", "line"]
KeepMode = Literal["first", "longest"]

DEFAULT_THRESHOLD = 90.0
"""Similarity (rapidfuzz, 0-100) at or above which two paragraphs are copies.
90 accepts a changed word, curly/straight quotes or a typo in a sentence-long
paragraph, and rejects two different sentences that share a formula."""

DEFAULT_MIN_LENGTH = 50
"""Normalized length under which a paragraph is never dropped on its own:
headings, "Q:", "***", bylines, credits and list items repeat on purpose."""

CONTAINED_MIN_LENGTH = 60
"""A paragraph inside a longer one (teaser, pull quote) is dropped only from
this normalized length on: shorter fragments are titles, names or labels."""


@dataclass(frozen=True)
class Options:
    """How :func:`newsdedupe.dedupe_text` decides.

    threshold: similarity 0-100 for near-duplicates; 100 means identical after
        normalization.
    min_length: paragraphs shorter than this (normalized characters, a wide
        Chinese, Japanese or Korean character counting as two) are only
        dropped as part of a repeated run.
    split: ``auto`` detects paragraphs per block (one paragraph per line, or a
        hard-wrapped block as one paragraph); ``blank`` uses blank lines only;
        ``line`` makes every non-blank line a paragraph.
    keep: ``first`` keeps the earliest copy of a near-duplicate, ``longest``
        keeps the longest one.
    """

    threshold: float = DEFAULT_THRESHOLD
    min_length: int = DEFAULT_MIN_LENGTH
    split: SplitMode = "auto"
    keep: KeepMode = "first"

    def __post_init__(self) -> None:
        if not 0 <= self.threshold <= 100:
            raise ValueError(f"threshold must be between 0 and 100, not {self.threshold}")
        if self.min_length < 0:
            raise ValueError(f"min_length must not be negative, not {self.min_length}")
        if self.split not in ("auto", "blank", "line"):
            raise ValueError(f"split must be auto, blank or line, not {self.split!r}")
        if self.keep not in ("first", "longest"):
            raise ValueError(f"keep must be first or longest, not {self.keep!r}")
