"""The proof that lets verification skip an alignment whose place the core
would turn down anyway (``paragraph.refused_anywhere``): with it, ``inside``
answers exactly as without it, on pieces of text built to sit on every edge
of the numbers guard and of the distinguishing-word check."""

from __future__ import annotations

import itertools
import random

import pytest
from tests.test_index_bounds import WORDS

from newsdedupe import match, paragraph

_WORDS = [*WORDS, "women", "men", "plan", "campouts", "weekend"]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words))


def _number(rng: random.Random) -> str:
    return str(rng.choice([3, 12, 12, 2024, 7]))


def _changed(rng: random.Random, words: list[str]) -> list[str]:
    """One change a copy may carry: a typo, a swapped pair, another word, a
    split or joined word, a word dropped, another number."""
    out = list(words)
    k = rng.randrange(len(out))
    word = out[k]
    kind = rng.randrange(7)
    if kind == 0 and len(word) >= 4:  # a letter changed
        p = rng.randrange(len(word))
        out[k] = word[:p] + rng.choice("aeiouxz") + word[p + 1 :]
    elif kind == 1 and len(word) >= 3:  # two letters swapped
        p = rng.randrange(len(word) - 1)
        out[k] = word[:p] + word[p + 1] + word[p] + word[p + 2 :]
    elif kind == 2:  # another word
        out[k] = rng.choice(_WORDS)
    elif kind == 3 and len(word) >= 6:  # a word split in two
        out[k : k + 1] = [word[:3], word[3:]]
    elif kind == 4 and k + 1 < len(out):  # two words run together
        out[k : k + 2] = [out[k] + out[k + 1]]
    elif kind == 5 and len(out) > 2:
        del out[k]
    else:
        out.insert(k, _number(rng))
    return out


def _pairs(seed: int, count: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        words = _text(rng, rng.choice([8, 14, 25, 29, 30, 31, 45])).split()
        if rng.random() < 0.4:
            words.insert(rng.randrange(len(words)), _number(rng))
        needle = " ".join(words)
        if rng.random() < 0.15:
            needle = f"{_number(rng)}.{_number(rng)}.2024 - {needle}"  # a dated front
        copy = words
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            copy = _changed(rng, copy)
        inner = " ".join(copy)
        if rng.random() < 0.15:
            inner = f"london, {_number(rng)} may - {inner}"
        hay = f"{_text(rng, rng.randint(0, 20))} {inner} {_text(rng, rng.randint(0, 20))}".strip()
        if len(needle) < len(hay):
            pairs.append((needle, hay))
    return pairs


@pytest.mark.parametrize("threshold", [90.0, 95.0])
def test_inside_answers_the_same_with_and_without_the_proof(
    threshold: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    pairs = _pairs(int(threshold), 1500)
    with_proof = [paragraph.inside(needle, hay, threshold) for needle, hay in pairs]
    refused = sum(
        1
        for needle, hay in pairs
        if needle not in hay
        and len(needle) >= 65
        and match.may_reach(needle, hay, threshold)
        and paragraph.refused_anywhere(needle, hay)
    )
    monkeypatch.setattr(paragraph, "refused_anywhere", lambda needle, haystack: False)
    without = [paragraph.inside(needle, hay, threshold) for needle, hay in pairs]
    assert with_proof == without
    accepted = sum(found is not None for found in without)
    # the pairs reach both answers, and the proof saves alignments
    assert accepted > 150 and len(pairs) - accepted > 150, accepted
    assert refused > 50, refused


def test_one_edit_covers_every_typo() -> None:
    rng = random.Random(5)
    words = [w for w in _WORDS if len(w) >= 3]
    for _ in range(3000):
        a = rng.choice(words)
        b = _changed(rng, [a])
        other = b[0] if len(b) == 1 else a + "x"
        if match.typo(a, other):
            assert match.one_edit_from(a, [other, "zzzz"])
    assert match.one_edit_from("recieve", ["receive"])
    assert not match.one_edit_from("women", ["men", "woman men"])


def test_a_number_missing_from_the_text_refuses_every_place() -> None:
    needle = "the council met on tuesday evening to discuss a budget of 12 million for harbour"
    hay = "news: the council met on tuesday evening to discuss a budget of 13 million for harbour"
    assert paragraph.refused_anywhere(needle, hay)
    assert paragraph.inside(needle, hay, 90.0) is None
    assert paragraph.inside(needle, hay.replace("13", "12"), 90.0) is not None


def _members(rng: random.Random, hay: str) -> list[str]:
    """``hay`` cut at spaces into one to four paragraphs (of a window)."""
    words = hay.split(" ")
    cuts = sorted(rng.sample(range(1, len(words)), min(len(words) - 1, rng.randrange(4))))
    edges = [0, *cuts, len(words)]
    return [" ".join(words[a:b]) for a, b in itertools.pairwise(edges) if a < b]


@pytest.mark.parametrize("seed", [1, 2])
def test_the_word_refusal_of_a_window_is_the_one_of_its_joined_text(seed: int) -> None:
    """``WordRefusal`` answers from each paragraph of a window what
    ``refused_anywhere`` answers from the joined text on the words: never a
    refusal that the joined text would not give (rule 2 skips the alignment
    on it), and the same answer whenever the needle carries no number."""
    rng = random.Random(seed)
    refusals = 0
    for needle, hay in _pairs(seed, 1500):
        members = _members(rng, hay)
        joined = " ".join(members)
        refusal = paragraph.WordRefusal(needle)
        refuses = refusal.refuses(members)
        assert refuses == refusal.refuses(members)  # (the same from what it kept)
        # rule 2 names the words to look for: those of the tokens no member holds
        unheld = set(needle.split()).difference(*(m.split() for m in members))
        candidates = {w for token in unheld for w in paragraph.words_of(token)}
        assert refuses == paragraph.WordRefusal(needle).refuses(members, candidates)
        if refuses:
            refusals += 1
            assert paragraph.refused_anywhere(needle, joined)
            assert paragraph.inside(needle, joined, 90.0) is None or needle in joined
        if not any(c.isdigit() for c in needle):
            assert refuses == paragraph.refused_anywhere(needle, joined), (needle, members)
        if refuses:  # (rule 2 refuses every window inside a refused stretch)
            for a, b in itertools.combinations(range(len(members) + 1), 2):
                assert refusal.refuses(members[a:b]), (needle, members, a, b)
    assert refusals > 200, refusals


def test_a_word_that_spans_two_paragraphs_of_a_window_is_found() -> None:
    """A word of the needle that the window holds only across the space
    between two of its paragraphs (run together: "harbour" from "har" and
    "bour") pairs off as in the joined text."""
    needle = "the council met on tuesday evening to discuss a new budget for harbour"
    members = ["news: the council met on tuesday evening to discuss a new budget for har", "bour"]
    joined = " ".join(members)
    assert paragraph.refused_anywhere(needle, joined) is paragraph.WordRefusal(needle).refuses(
        members
    )
    assert not paragraph.WordRefusal(needle).refuses(members)
    assert paragraph.WordRefusal(needle).refuses([members[0], "ferry"])
