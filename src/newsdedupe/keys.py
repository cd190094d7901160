"""What the candidate index files a paragraph under, and the bounds its
searches prune with.

Keys are the paragraph's tokens (the words the core's "could this be inside
that" prefilter counts, or character pairs for text written without spaces),
plus the character pairs of any word longer than :data:`LONG_WORD`
characters, so text without spaces and code lines find each other whichever
kind of token set they got. Each key has a posting list of the paragraphs
that hold it, in document order (or the key sets of a short document).
Keys are the strings themselves, and every cut through a list of keys is
made at a document frequency, never between two keys of the same
frequency, so nothing depends on Python's per-process salted ``hash()`` or
on set order: a document gets the same candidates in every process.
"""

from __future__ import annotations

import functools
import math
import operator
import sys
from collections.abc import Collection, Iterable, Sequence

LONG_WORD = 12
"""Words longer than this (text written without spaces, dotted code names)
are also keyed by their character pairs."""

_SLACK = 1e-6


def token_set(norm: str) -> frozenset[str]:
    """Words, or character pairs for text written without spaces (Chinese,
    Japanese), for a cheap "could this be inside that" check."""
    return frozenset(tokens_of(norm))


def tokens_of(norm: str, shared: bool = False) -> Collection[str]:
    """The members of :func:`token_set`, each once (in no particular order:
    nothing here depends on it). ``shared`` (for a long document) interns
    them and gives a tuple, so its tokens take one string per distinct word
    and a fifth of a set's memory; otherwise they are the set itself."""
    words = norm.split()
    if not words or len(norm) > LONG_WORD * len(words):  # (words_are_tokens, inline)
        words = [norm[k : k + 2] for k in range(max(1, len(norm) - 1))]
    if shared:
        return tuple(map(sys.intern, frozenset(words)))  # (interns each word once)
    return frozenset(words)


def words_are_tokens(norm: str, words: Sequence[str]) -> bool:
    """Whether :func:`tokens_of` gives the words (``norm.split()``) of
    ``norm``, not its character pairs: words of at most :data:`LONG_WORD`
    characters on average."""
    return bool(words) and len(norm) / len(words) <= LONG_WORD


def extra_keys(norm: str, tokens: Collection[str]) -> tuple[str, ...]:
    """Character pairs of long words that ``tokens`` does not hold (in set
    order: nothing depends on it, see the module)."""
    if len(norm) <= LONG_WORD:
        return ()
    words_are_tokens = tokens and len(norm) <= LONG_WORD * (norm.count(" ") + 1)
    # (a comparison form has no leading, trailing or double spaces)
    words = tokens if words_are_tokens else norm.split()
    if max(map(len, words), default=0) <= LONG_WORD:  # (most paragraphs: no long word)
        return ()
    pairs: set[str] = set()
    for word in words:
        if len(word) > LONG_WORD:
            pairs.update(map(operator.add, word, word[1:]))  # (its character pairs)
    if not pairs:
        return ()
    pairs.difference_update(tokens)
    return tuple(map(sys.intern, pairs))


def max_missing(size: int, fraction: float) -> int:
    """The most tokens of a set of ``size`` that may be missing when a
    prefilter allows ``missing <= fraction * size`` (the same float test)."""
    return int(fraction * size)


def ratio_length_bounds(length: int, threshold: float) -> tuple[float, float]:
    """Lengths of the texts that can reach ``threshold`` (0-100) with a text
    of ``length`` characters: a normalized Indel similarity is at most
    ``200 * min(a, b) / (a + b)``, whatever the characters."""
    if threshold <= 0 or length == 0:
        return 0.0, math.inf
    t = min(threshold, 100.0) / 100
    slack = _SLACK * (length + 1)
    return length * t / (2 - t) - slack, length * (2 - t) / t + slack


@functools.lru_cache(maxsize=4096)
def probe_count(size: int, threshold: float) -> int:
    """How many rare keys of a paragraph with ``size`` keys the similarity
    search reads: one more than an edited copy at ``threshold`` could have
    changed (about twice ``100 - threshold`` percent of its words, one
    character in each, and a tenth more for punctuation stuck to words), and
    at least four."""
    share = 0.1 + 3 * max(0.0, 100 - threshold) / 100
    return max(4, min(size, math.ceil(size * share)))


BLOOM_BITS = 1024
"""Bits of a token set's :func:`bloom`: a paragraph of 60 words sets
about 6% of them, so few of one set's bits are in another by chance."""

_BITS = [1 << k for k in range(BLOOM_BITS)]


def bloom(tokens: Iterable[str]) -> int:
    """The bits of ``tokens``' string hashes (each modulo
    :data:`BLOOM_BITS`), as one integer; the bloom of a union of sets is
    the bitwise or of theirs. It serves only :func:`surely_missing`, a
    bound, so the salted ``hash()`` changes how much it prunes in a
    process, never an answer."""
    mask = 0
    for token in tokens:
        mask |= _BITS[hash(token) & (BLOOM_BITS - 1)]
    return mask


def surely_missing(tokens: int, held: int) -> int:
    """A lower bound on how many of a token set are not in another: the
    blooms of the set (``tokens``) and of the other (``held``). Each bit of
    ``tokens`` that ``held`` lacks was set by a token that no member of the
    other set shares a hash with, so by one the other does not hold, and
    distinct bits are distinct tokens."""
    return (tokens & ~held).bit_count()


class Hits:
    """Members found by :meth:`CandidateIndex.covering`: how many of the
    searched tokens each holds (``counts``), how many a paragraph or window
    must hold in all to have a chance of passing the prefilter (``need``),
    and whether that is a proof (``exact``) or the rare-word search."""

    __slots__ = ("counts", "need", "exact")

    def __init__(self, counts: dict[int, int], need: int, exact: bool) -> None:
        self.counts = counts
        self.need = need
        self.exact = exact

    def members(self) -> list[int]:
        """The paragraphs that hold a searched token, in document order."""
        return sorted(self.counts)

    def anchors(self, width: int = 1) -> list[int]:
        """The paragraphs, in document order, one of which is in any text of
        up to ``width`` paragraphs that may pass: one member holds at least
        its share of ``need`` (all of them when nothing is needed)."""
        if self.need <= 0:
            return sorted(self.counts)
        least = -(-self.need // width) if self.exact else self.need
        return sorted(k for k, c in self.counts.items() if c >= least)

    def passes(self, members: Sequence[int]) -> bool:
        """Whether text made of ``members`` may pass; when False it cannot
        (for an exact search) and is not worth verifying."""
        get = self.counts.get
        return sum(get(k, 0) for k in members) >= self.need


NO_HITS = Hits({}, 1, True)
"""Nothing can pass."""
