"""The proofs that let verification skip an alignment: ``match.may_reach``
says False only when rapidfuzz's alignment cannot reach the cutoff, so
``match.containment`` answers exactly as rapidfuzz alone would."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz

from newsdedupe import keys, match

_SENTENCE = (
    "the council met on tuesday evening to discuss a new budget for harbour district and "
    "after three hours of debate members agreed postpone final vote until spring while "
    "residents asked whether ferry would keep running through winter months mayor said"
)
WORDS = _SENTENCE.split()


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _edited(rng: random.Random, text: str, edits: int) -> str:
    chars = list(text)
    for _ in range(edits):
        k = rng.randrange(len(chars))
        if rng.random() < 0.5:
            del chars[k]
        else:
            chars.insert(k, rng.choice("abcdefghij "))
    return "".join(chars)


def _pairs(seed: int, count: int) -> list[tuple[str, str]]:
    """Needles of 65 to 400 characters against haystacks that hold an edited
    copy of them, a piece of them, or other text of the same words."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        needle = _text(rng, rng.randint(12, 60))
        kind = rng.randrange(3)
        if kind == 0:
            inner = _edited(rng, needle, rng.randint(1, max(1, len(needle) // 8)))
        elif kind == 1:
            cut = rng.randrange(len(needle) // 2)
            inner = needle[cut:] + " " + _text(rng, rng.randint(1, 8))
        else:
            inner = _text(rng, rng.randint(10, 60))
        hay = _text(rng, rng.randint(0, 40)) + " " + inner + " " + _text(rng, rng.randint(0, 40))
        hay = hay.strip()
        if 65 <= len(needle) < len(hay):
            out.append((needle, hay))
    return out


@pytest.mark.parametrize("cutoff", [90.0, 95.0, 99.5])
def test_a_refused_alignment_is_one_rapidfuzz_refuses(cutoff: float) -> None:
    refused = 0
    for needle, hay in _pairs(int(cutoff), 600):
        if not match.may_reach(needle, hay, cutoff):
            refused += 1
            found = fuzz.partial_ratio_alignment(needle, hay, score_cutoff=cutoff)
            assert found is None or found.score < cutoff, (needle, hay, found)
    assert refused > 100  # the proof does its work on text of the same words


def test_containment_equals_rapidfuzz() -> None:
    for needle, hay in _pairs(7, 400):
        for cutoff in (90.0, 95.0):
            found = fuzz.partial_ratio_alignment(needle, hay, score_cutoff=cutoff)
            expected = (
                match.Alignment(100.0, hay.index(needle), hay.index(needle) + len(needle))
                if needle in hay
                else match.Alignment(0.0, 0, 0)
                if found is None
                else match.Alignment(found.score, found.dest_start, found.dest_end)
            )
            assert match.containment(needle, hay, cutoff) == expected


def test_a_prefix_exactly_at_the_cutoff_may_reach() -> None:
    # The best alignment is a prefix of the haystack scoring exactly 90:
    # 2 * 189 / (231 + 189). The proof must not refuse it.
    tail = "the members agreed to postpone the final vote until the early spring, " * 3
    inner = tail[:189]
    needle = ("x" * 42) + inner
    hay = inner + " and the ferry kept running through the winter months as before. " * 3
    assert len(needle) == 231
    found = fuzz.partial_ratio_alignment(needle, hay, score_cutoff=90.0)
    assert found is not None and found.score >= 90.0
    assert match.may_reach(needle, hay, 90.0)
    assert match.containment(needle, hay, 90.0).score == found.score


def test_surely_missing_never_counts_more_than_is_missing() -> None:
    """``keys.surely_missing`` is a lower bound: on random token sets (many
    sharing words, some with colliding hashes) it never exceeds the true
    number of tokens of one set that a union of others lacks, and it finds
    most of them when the sets are small."""
    rng = random.Random(3)
    vocabulary = [f"{w}{k}" for w in WORDS for k in range(40)]
    found = true = 0
    for _ in range(3000):
        ours = set(rng.sample(vocabulary, rng.randint(0, 80)))
        others = [set(rng.sample(vocabulary, rng.randint(0, 80))) for _ in range(rng.randint(1, 5))]
        if rng.random() < 0.5 and ours:  # others that hold much of ours
            others[0] |= set(rng.sample(sorted(ours), len(ours) // 2))
        held = 0
        for other in others:
            held |= keys.bloom(other)
        bound = keys.surely_missing(keys.bloom(ours), held)
        missing = len(ours.difference(*others))
        assert bound <= missing
        found, true = found + bound, true + missing
    assert found > 0.6 * true, (found, true)
    assert keys.surely_missing(keys.bloom(["a", "b"]), keys.bloom(["a", "b", "c"])) == 0
    assert keys.bloom(()) == 0
