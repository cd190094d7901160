"""The candidate index: exact where it claims to be, stable across processes,
and finding the edited copies the similarity rule has to verify."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedupe import index as ix
from newsdedupe import match
from newsdedupe.index import CandidateIndex
from newsdedupe.keys import max_missing, ratio_length_bounds, token_set, tokens_of
from newsdedupe.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]


def _corpus():  # the benchmark generator: the project's own generated text
    spec = importlib.util.spec_from_file_location("nd_corpus", ROOT / "benchmarks" / "corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus = _corpus()


def _norms(text: str) -> list[str]:
    from newsdedupe.split import split_text

    return [normalize(p) for p in split_text(text).paragraphs]


def _windows_passing(tokens: list[frozenset[str]], i: int, fraction: float = 0.2):
    """Brute force: every run of 1-3 consecutive earlier paragraphs that
    holds all but ``fraction`` of the tokens of ``i``."""
    toks = tokens[i]
    for start in range(i):
        for width in (1, 2, 3):
            window = list(range(start, min(start + width, i)))
            if len(window) < width:
                break
            covered = set().union(*(tokens[k] for k in window))
            if len(toks - covered) <= fraction * len(toks):
                yield window


# --- the token sets ----------------------------------------------------------


WORDS = st.sampled_from(
    [
        "the",
        "the",
        "of",
        "vote",
        "for",
        "anna",
        "boris",
        "2022",
        "«quoted»",
        "na\u00efve",
        "x" * 13,
        "\u5317\u4eac\u5e02\u4eca\u5929\u5f88\u51b7\u800c\u4e14\u4e0b\u96ea\u4e86",
        "a.b.c.d.e.f.g.h",
    ]
)


def reference_tokens(norm: str) -> frozenset[str]:
    """The core's prefilter tokens as first written: words, or character
    pairs when the words are long (text written without spaces)."""
    words = norm.split()
    if words and len(norm) / len(words) <= 12:
        return frozenset(words)
    return frozenset(norm[k : k + 2] for k in range(max(1, len(norm) - 1)))


@given(st.lists(WORDS, max_size=30).map(" ".join))
def test_tokens_are_the_prefilter_token_sets(text: str) -> None:
    norm = normalize(text)
    assert token_set(norm) == reference_tokens(norm)
    assert len(tokens_of(norm)) == len(token_set(norm))  # each once
    assert set(tokens_of(norm, shared=True)) == token_set(norm)


def test_tokens_are_each_word_once_and_shared_when_asked() -> None:
    assert sorted(tokens_of("b a b c a")) == ["a", "b", "c"]
    one, two = tokens_of("".join(["wor", "d x"]), True), tokens_of("word y", True)
    assert next(w for w in one if w == "word") is next(w for w in two if w == "word")


def test_text_without_spaces_gets_character_pairs() -> None:
    text = "\u4eca\u5929\u5f88\u51b7\u800c\u4e14\u4e0b\u96ea\u4e86\u5417\u5929\u5f88\u51b7"
    pairs = {text[k : k + 2] for k in range(len(text) - 1)}
    assert sorted(tokens_of(text)) == sorted(pairs)


# --- exact parts ----------------------------------------------------------------


def test_max_missing_is_the_prefilter_float_test() -> None:
    for size in range(0, 400):
        allowed = [x for x in range(size + 1) if not x > 0.2 * size]
        assert max(allowed) == max_missing(size, 0.2)


@settings(max_examples=300)
@given(st.text(max_size=60), st.text(max_size=60), st.integers(min_value=1, max_value=100))
def test_length_bounds_never_exclude_a_match(a: str, b: str, threshold: int) -> None:
    if match.ratio(a, b, threshold):
        low, high = ratio_length_bounds(len(a), threshold)
        assert low <= len(b) <= high


def test_length_bounds_at_the_edge() -> None:
    a, b = "a" * 9 + "b", "a" * 10
    assert match.ratio(a, b, 90) == 90.0
    low, high = ratio_length_bounds(10, 90)
    assert low <= 10 <= high
    # 10 and 12 characters can reach at most 200 * 10 / 22 = 90.9
    assert ratio_length_bounds(10, 91)[1] < 12 <= ratio_length_bounds(10, 90)[1]


SMALL_VOCAB = st.lists(st.sampled_from("abcdefghij"), min_size=1, max_size=8).map(" ".join)


@settings(max_examples=150)
@given(st.lists(SMALL_VOCAB, min_size=2, max_size=14))
def test_covering_finds_every_window_that_passes(paragraphs: list[str]) -> None:
    """With the budget out of the way the search is a proof: every window of
    paragraphs that passes the 80% token prefilter has a member among the
    anchors and passes the hit count."""
    norms = [normalize(p) for p in paragraphs]
    tokens = [token_set(n) for n in norms]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ix, "COVER_BUDGET", 10**9)
        patch.setattr(ix, "EXACT_MEMBERS", 10**9)
        index = CandidateIndex(norms, tokens)
        for i in range(len(norms)):
            hits = index.covering(i, 0.2, before=i)
            for window in _windows_passing(tokens, i):
                assert hits.exact
                assert hits.passes(window), (i, window)
                assert set(window) & set(hits.anchors(len(window))), (i, window)


def test_covering_is_exact_on_generated_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ix, "COVER_BUDGET", 10**9)
    monkeypatch.setattr(ix, "EXACT_MEMBERS", 10**9)
    text = corpus.Generator(11).dump(400)
    norms = _norms(text)
    tokens = [token_set(n) for n in norms]
    index = CandidateIndex(norms, tokens)
    found = 0
    for i in range(len(norms)):
        hits = index.covering(i, 0.2, before=i)
        for window in _windows_passing(tokens, i):
            found += 1
            assert hits.exact and hits.passes(window)
            assert set(window) & set(hits.anchors(len(window)))
    assert found > 20  # the planted re-split and repeated paragraphs


def test_a_paragraph_of_words_found_nowhere_else_has_no_candidates() -> None:
    norms = ["alpha beta gamma delta epsilon", "one two three four five", "alpha six zeta eta xi"]
    index = CandidateIndex(norms)
    hits = index.covering(2, 0.2)  # four of its five words are its own: nothing can cover it
    assert hits.counts == {} and not hits.passes([0, 1])
    assert index.similar(1, 90) == []
    assert index.similar(2, 60) == [0]


def test_empty_token_set_lets_everything_pass() -> None:
    norms = ["", "some words here", "more words"]
    index = CandidateIndex(norms, [frozenset(), token_set(norms[1]), token_set(norms[2])])
    hits = index.covering(0, 0.2)
    assert hits.members() == [1, 2] and hits.passes([1]) and hits.anchors(3) == [1, 2]


# --- the similarity search ------------------------------------------------------


def test_similar_finds_planted_edited_copies() -> None:
    gen = corpus.Generator(3)
    originals = [gen.paragraph() for _ in range(300)]
    copies = [gen.edited(p) for p in originals[:100]]
    norms = [normalize(p) for p in originals + copies]
    index = CandidateIndex(norms)
    for threshold in (90, 70):
        for k in range(100):
            i = 300 + k
            found = index.similar(i, threshold, before=i)
            assert found is not None
            if match.ratio(norms[i], norms[k], threshold):
                assert k in found, (threshold, norms[i], norms[k])


def test_similar_finds_every_pair_over_the_threshold_on_generated_text() -> None:
    norms = [n for n in _norms(corpus.Generator(5).dump(700)) if len(n) >= 40]
    index = CandidateIndex(norms)
    pairs = 0
    for i in range(len(norms)):
        found = set(index.similar(i, 90) or ())
        low, high = ratio_length_bounds(len(norms[i]), 90)
        for j in range(len(norms)):
            if j != i and low <= len(norms[j]) <= high and match.ratio(norms[i], norms[j], 90):
                pairs += 1
                assert j in found, (i, j)
    assert pairs > 30


def test_similar_gives_up_under_the_minimum_threshold() -> None:
    index = CandidateIndex(["one two three", "one two four"])
    assert index.similar(0, ix.MIN_THRESHOLD - 1) is None
    assert index.similar(0, ix.MIN_THRESHOLD) == [1]


def test_before_limits_to_earlier_paragraphs() -> None:
    norms = ["red green blue cyan"] * 4
    index = CandidateIndex(norms)
    assert index.similar(2, 90, before=2) == [0, 1]
    assert index.similar(2, 90) == [0, 1, 3]
    assert index.covering(2, 0.2, before=2).members() == [0, 1]


def test_stop_words_of_a_long_document_keep_only_their_count() -> None:
    norms = [f"the word{k} said" for k in range(600)]
    index = CandidateIndex(norms)
    assert index.df("the") == 600 and "the" not in index.postings
    assert "word7" not in index.postings and index.df("word7") == 1  # no other holds it
    assert CandidateIndex(norms + ["word7 again"]).postings["word7"] == [7, 600]


@pytest.mark.parametrize("size", [20, 100, 600])
def test_singles_count_the_keys_no_other_paragraph_holds(size: int) -> None:
    """Short documents (key sets), long ones without stop words and long
    ones with them count a paragraph's one-off words in different ways;
    all must agree with counting them directly. Long words add keys too."""
    long_word = "harbourmasterfoundation"
    norms = [
        f"the report{k % 7} on pier{k} and the {long_word if k % 9 == 0 else 'tide'}"
        f" said {'x' * (k % 3)}"
        for k in range(size)
    ]
    index = CandidateIndex(norms)
    expected = [sum(index.df(key) == 1 for key in index.tokens[i]) for i in range(size)]
    assert index.singles == expected


def test_long_words_are_keyed_by_character_pairs() -> None:
    a = normalize("from django.contrib.staticfiles.testing import liveserver")
    b = normalize("from django.contrib.staticfiles import finders, storage")
    index = CandidateIndex([a, b])
    assert token_set(a).isdisjoint(token_set(b))  # character pairs against words
    assert index.similar(1, 60) == [0]


# --- stability -----------------------------------------------------------------

_DIGEST = """
import hashlib, importlib.util, sys
spec = importlib.util.spec_from_file_location("c", sys.argv[1])
c = importlib.util.module_from_spec(spec)
spec.loader.exec_module(c)
from newsdedupe.index import CandidateIndex
from newsdedupe.normalize import normalize
from newsdedupe.split import split_text
norms = [normalize(p) for p in split_text(c.Generator(2).dump(1500)).paragraphs]
index = CandidateIndex(norms)
h = hashlib.sha256()
for i in range(len(norms)):
    hits = index.covering(i, 0.2, before=i)
    found = (index.similar(i, 90, before=i), index.similar(i, 70))
    h.update(repr((found, sorted(hits.counts.items()), hits.need, hits.exact)).encode())
print(h.hexdigest())
"""


def test_candidates_do_not_depend_on_the_process_hash_seed() -> None:
    digests = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", _DIGEST, str(ROOT / "benchmarks" / "corpus.py")],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_generated_corpus_is_deterministic() -> None:
    a = hashlib.sha256(corpus.Generator(9).dump(300).encode()).hexdigest()
    b = hashlib.sha256(corpus.Generator(9).dump(300).encode()).hexdigest()
    assert a == b
