"""Candidate index: which paragraphs of a document could match which.

Comparing every paragraph with every earlier one is quadratic. The index
answers, for one paragraph, which few others are worth verifying with
rapidfuzz; the core then verifies those exactly as it would have verified
every pair, in the same order. What the index can change is only which
pairs are verified. What it guarantees, exactly:

* Every search gives the same candidates in every process (see
  :mod:`newsdedupe.keys`).
* The length bound of :meth:`CandidateIndex.similar` and the answer of
  :meth:`CandidateIndex.covering` when ``exact`` is true are proofs: they
  leave out only paragraphs (or windows) that cannot pass the test they
  serve.
* The key probes of :meth:`CandidateIndex.similar`, the rare-word search,
  and the similarity half of :meth:`CandidateIndex.alone` are not proofs.
  They assume an edited copy keeps most of its source's rare words, and a
  copy with a typo in nearly every word does not: two letters swapped in
  every word of four letters or more (ratio about 91) is kept with the
  index and removed when every pair is compared (a strict xfail in
  ``tests/test_index_equivalence.py``). Such a miss keeps a paragraph, and
  what is decided later from it may differ. On every evaluation case and
  on the generated and recombined texts of the equivalence tests, with
  every search also forced into the rare-word search, the output is the
  same as the comparison of every pair.

Two builds (small classes below): a document under :data:`SCAN_BELOW`
paragraphs keeps each paragraph's key set (:class:`_KeySets`), a longer one
keeps posting lists (:class:`_PostingLists`, without the stop words of a
document over :attr:`CandidateIndex.common` paragraphs). Both find the same
paragraphs for the same keys.

Keys and their bounds are in :mod:`newsdedupe.keys`.

Two questions, each answered exactly when that is cheap and by a rare-word
search when it is not:

* :meth:`CandidateIndex.covering` serves the token prefilter of the
  "covered" and "contained" rules (text missing at most a fifth of the
  paragraph's tokens). The exact answer is a proof: text missing at most
  ``m`` tokens of a set ``S`` of them holds at least ``|S| - m``, so with
  ``S`` the rarest tokens only paragraphs holding one of them can be members
  of such text, and a window whose members hold fewer than ``|S| - m`` in
  all cannot pass (when more than ``m`` tokens occur in this paragraph
  only, nothing can). It is given while the posting lists of ``S`` stay
  within :data:`COVER_BUDGET` entries and it narrows the text down to at
  most :data:`EXACT_MEMBERS` paragraphs; otherwise (the rarest words are
  common words of a long document) the rare-word search answers.
* :meth:`CandidateIndex.similar` serves the similarity ratio, for which no
  word-level bound is exact (a typo in every word keeps the ratio high). Its
  length bound is exact; beyond that it returns the paragraphs that hold
  one of the rarest keys of ``i``, reading as many keys as an edited copy at
  the threshold could have changed words (:func:`probe_count`); a key only
  ``i`` holds (a typo) counts among them, since no copy holds it. Past
  :data:`SIMILAR_BUDGET` posting-list entries, the rare-word search answers.

The rare-word search returns the paragraphs that hold two of the
:data:`RARE_PROBES` rarest keys of ``i`` that another paragraph holds too. A
copy, a piece, a merged copy or a teaser keeps nearly all of a paragraph's
rare words. It is a heuristic: the tests check that it changes no output
on every evaluation case and on generated text, with every search forced
into it.
"""

from __future__ import annotations

import bisect
import operator
import sys
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from itertools import chain, compress

from newsdedupe.keys import (
    LONG_WORD,
    NO_HITS,
    Hits,
    bloom,
    extra_keys,
    max_missing,
    probe_count,
    ratio_length_bounds,
    tokens_of,
)

MIN_THRESHOLD = 60.0
"""Under this similarity threshold :meth:`CandidateIndex.similar` gives up
(None: compare with every paragraph): texts that similar need share no rare
word at all."""

COVER_BUDGET = 32
"""The exact covering search reads at most this many posting-list entries
for one paragraph; past it, the rare-word search takes over."""

EXACT_MEMBERS = 12
"""Past this many anchors the exact covering search gives way to the
rare-word search (in a long document, where it would bring back more text to
verify than it saves)."""

SIMILAR_BUDGET = 96
"""The similarity search reads at most this many posting-list entries for
one paragraph before it narrows down to :data:`RARE_PROBES` keys."""

WIDE_BUDGET = 4096
"""The similarity search's budget when it is made for a few paragraphs only."""

RARE_PROBES = 5
"""Keys read by the rare-word search; a candidate holds two of them."""

COMMON_SHARE = 0.0025
COMMON_MIN = 256
"""A key held by more than this share of the paragraphs (and more than
``COMMON_MIN`` of them: 256 up to 100,000 paragraphs) is a stop word of the
document: no search reads its posting list, so none is kept."""

SCAN_BELOW = 64
"""A document with fewer paragraphs (a news article) keeps no posting
lists: a search looks through the paragraphs' key sets for the keys it
reads, which costs less than filing every key of every paragraph up front
(most of its paragraphs need no search at all, see :meth:`CandidateIndex.similar`).
It finds the same paragraphs the posting lists would."""

BLOOMS_FROM = 1000
"""From this many paragraphs on, the rules read the blooms of
:meth:`CandidateIndex.blooms` before comparing words. A bloom costs about
five set differences to make; it pays back where a paragraph is a candidate
of many others (a long document), not in an article."""


class _KeySets:
    """The build for a short document (under :data:`SCAN_BELOW` paragraphs,
    a news article): each paragraph's keys as one set, no posting lists. A
    search intersects the sets with the keys it reads, which costs less than
    filing every key of every paragraph up front (most paragraphs of an
    article need no search, :meth:`CandidateIndex.alone`). A set holds a key
    exactly when a posting list would list the paragraph, so both builds
    find the same paragraphs."""

    def __init__(
        self,
        tokens: Sequence[frozenset[str]],
        extras: dict[int, tuple[str, ...]],
        df: Counter[str],
    ) -> None:
        once = {key for key, count in df.items() if count == 1}
        self.singles = list(map(len, map(once.intersection, tokens)))
        self.sets = list(tokens)
        for i, extra in extras.items():
            self.sets[i] = tokens[i].union(extra)
        self.postings: dict[str, list[int]] = {}

    def counts(self, keys: list[str], i: int, before: int | None) -> dict[int, int]:
        probe = frozenset(keys).intersection
        counts = {j: c for j, c in enumerate(map(len, map(probe, self.sets[:before]))) if c}
        counts.pop(i, None)
        return counts

    def holding(self, keys: list[str], i: int, before: int | None) -> set[int]:
        probe = frozenset(keys).isdisjoint
        found = {j for j, apart in enumerate(map(probe, self.sets[:before])) if not apart}
        found.discard(i)
        return found

    def twice(self, keys: list[str], i: int, before: int | None) -> set[int]:
        return {j for j, c in self.counts(keys, i, before).items() if c >= 2}


class _PostingLists:
    """The build for a longer document: each key another paragraph holds
    too has a posting list of the paragraphs that hold it, in document
    order. When the document is longer than :attr:`CandidateIndex.common`
    paragraphs, the keys held by more than that many (its stop words) get no
    list either: no search reads them, only their count is kept. Tokens of
    one paragraph are filed before extra keys, so a list an extra key joins
    is sorted afterwards."""

    def __init__(
        self,
        tokens: Sequence[Collection[str]],
        extras: dict[int, tuple[str, ...]],
        df: Counter[str],
        common: int,
    ) -> None:
        postings: defaultdict[str, list[int]] = defaultdict(list)
        self.singles: list[int] = []
        if len(tokens) > common:
            # a token is a stop word, listed, or held by this paragraph only
            # (the stop words are few: a cheap lookup)
            listed = {key for key, count in df.items() if 1 < count <= common}
            stop = {key for key, count in df.items() if count > common}
            for i, toks in enumerate(tokens):
                keys = listed.intersection(toks)
                self.singles.append(len(toks) - len(keys) - len(stop.intersection(toks)))
                for key in keys:
                    postings[key].append(i)
        else:
            rarity = df.__getitem__
            shared = (1).__lt__
            for i, toks in enumerate(tokens):
                dfs = list(map(rarity, toks))
                self.singles.append(dfs.count(1))
                for key in compress(toks, map(shared, dfs)):
                    postings[key].append(i)
        for i, extra in extras.items():
            for key in extra:
                if 1 < df[key] <= common:
                    postings[key].append(i)
        for key in set(chain.from_iterable(extras.values())):
            if key in postings:
                postings[key].sort()
        self.postings: dict[str, list[int]] = postings

    def _lists(self, keys: list[str], before: int | None) -> list[list[int]]:
        lists = [self.postings[key] for key in keys]
        if before is not None:
            lists = [lst[: bisect.bisect_left(lst, before)] for lst in lists]
        return lists

    def counts(self, keys: list[str], i: int, before: int | None) -> dict[int, int]:
        counts = Counter(chain.from_iterable(self._lists(keys, before)))
        counts.pop(i, None)
        return counts

    def holding(self, keys: list[str], i: int, before: int | None) -> set[int]:
        found: set[int] = set().union(*self._lists(keys, before))
        found.discard(i)
        return found

    def twice(self, keys: list[str], i: int, before: int | None) -> set[int]:
        lists = self._lists(keys, before)
        seen = set(lists[0])
        twice: set[int] = set()
        for lst in lists[1:-1]:
            twice.update(seen.intersection(lst))
            seen.update(lst)
        twice.update(seen.intersection(lists[-1]))
        twice.discard(i)
        return twice


class _Blooms(dict[int, int]):
    """Paragraph -> the bloom of its tokens, made on the first read (a
    read of one already made costs a dict lookup)."""

    def __init__(self, tokens: Sequence[Collection[str]]) -> None:
        super().__init__()
        self.tokens = tokens

    def __missing__(self, k: int) -> int:
        made = self[k] = bloom(self.tokens[k])
        return made


class CandidateIndex:
    """Posting lists (or key sets) of one document's paragraphs, built once,
    read-only.

    ``norms`` are the comparison forms; ``tokens`` the core's token sets
    (computed with :func:`tokens_of` when not given), each token once.
    """

    def __init__(
        self, norms: Sequence[str], tokens: Sequence[Collection[str]] | None = None
    ) -> None:
        self.norms = norms
        self.lengths = [len(n) for n in norms]
        given = tokens if tokens is not None else [tokens_of(n) for n in norms]
        self.tokens: Sequence[Collection[str]] = given
        self.extras: dict[int, tuple[str, ...]] = {}
        df = Counter(chain.from_iterable(given))
        self._file_extras(norms, given, df)
        df.update(chain.from_iterable(self.extras.values()))
        self._df: dict[str, int] = df
        self.common = max(COMMON_MIN, int(COMMON_SHARE * len(norms)))
        sets = [toks for toks in given if isinstance(toks, frozenset)]
        self._keys: _KeySets | _PostingLists
        if len(norms) < SCAN_BELOW and len(sets) == len(given):
            self._keys = _KeySets(sets, self.extras, df)
        else:
            self._keys = _PostingLists(given, self.extras, df, self.common)
        self.singles: list[int] = self._keys.singles
        """How many keys of each paragraph no other paragraph holds."""
        self._blooms = _Blooms(self.tokens)
        self._key_counts: dict[int, tuple[int, int]] = {}  # (see _too_unlike)
        self._last: tuple[int, bool, list[str], list[int]] = (-1, False, [], [])
        self._last_rare: tuple[tuple[int, int | None], Hits] = ((-1, None), NO_HITS)

    def _file_extras(
        self, norms: Sequence[str], given: Sequence[Collection[str]], df: Counter[str]
    ) -> None:
        """Fill :attr:`extras` with what :func:`~newsdedupe.keys.extra_keys`
        gives each paragraph, at less cost: a paragraph whose tokens are its
        words gets the character pairs of its long tokens (those are its long
        words) that it does not hold as tokens, and the pairs of each long
        word are made once per document (interned only in a long document,
        where one string per pair saves memory). A paragraph that holds no
        long token and whose tokens are its words gets nothing (most of an
        article's paragraphs); one whose tokens are character pairs asks
        ``extra_keys`` itself."""
        longs = {key for key in df if len(key) > LONG_WORD}  # (df: each token once)
        pairs = operator.add
        if len(norms) >= SCAN_BELOW:  # (a long document shares one string per pair)
            pairs_of = {w: frozenset(map(sys.intern, map(pairs, w, w[1:]))) for w in longs}
        else:
            pairs_of = {w: frozenset(map(pairs, w, w[1:])) for w in longs}
        for i, toks in enumerate(given):
            held = longs.intersection(toks)
            if held:  # (a token that long is a word: its tokens are its words)
                extra: tuple[str, ...] = tuple(
                    set().union(*map(pairs_of.__getitem__, held)).difference(toks)
                )
            else:
                norm = norms[i]
                if len(norm) <= LONG_WORD * (norm.count(" ") + 1):
                    continue  # its tokens are its words, and none is long
                extra = extra_keys(norm, toks)  # (its tokens are character pairs)
            if extra:
                self.extras[i] = extra

    @property
    def postings(self) -> dict[str, list[int]]:
        """The posting lists (none for a short document, which keeps key sets)."""
        return self._keys.postings

    def blooms(self) -> dict[int, int] | None:
        """The :func:`~newsdedupe.keys.bloom` of each paragraph's tokens,
        by paragraph, each made when first read; None for a document under
        :data:`BLOOMS_FROM` paragraphs."""
        return self._blooms if len(self.norms) >= BLOOMS_FROM else None

    def __len__(self) -> int:
        return len(self.norms)

    def df(self, key: str) -> int:
        """How many paragraphs hold ``key``."""
        return self._df.get(key, 0)

    def keys(self, i: int) -> Collection[str]:
        """Everything ``i`` is filed under: its tokens and extra keys."""
        extra = self.extras.get(i)
        return (*self.tokens[i], *extra) if extra else self.tokens[i]

    def _ranked(self, i: int, extras: bool) -> tuple[list[str], list[int]]:
        """The keys of ``i`` (or only its tokens) from the rarest, and their
        document frequencies. Keys of equal frequency come in set order, so
        callers only cut this list between two frequencies."""
        extras = extras and i in self.extras
        last = self._last
        if last[0] == i and last[1] == extras:
            return last[2], last[3]
        rarity = self._df.__getitem__
        ranked = sorted(self.keys(i) if extras else self.tokens[i], key=rarity)
        dfs = list(map(rarity, ranked))
        self._last = (i, extras, ranked, dfs)
        return ranked, dfs

    def alone(self, i: int, threshold: float, fraction: float) -> bool:
        """True when so many keys of ``i`` occur in it only that neither
        :meth:`similar` at ``threshold`` nor :meth:`covering` at
        ``fraction`` can find anything (the first answer of each): the
        quick answer for most paragraphs of an article."""
        return (
            threshold >= MIN_THRESHOLD
            and self._too_unlike(i, threshold)
            and self._uncoverable(i, fraction)
        )

    def _too_unlike(self, i: int, threshold: float) -> bool:
        """No paragraph can reach ``threshold`` with ``i``: a copy misses
        fewer keys than the probes, and the keys only ``i`` has are missed by
        every paragraph, so they count among the probes. (The probes are
        read from all keys of ``i``, its extra keys too: the same count as
        :meth:`similar` makes; both counts are kept, since rule 1 asks
        this twice for one paragraph: in :meth:`alone` and :meth:`similar`.)"""
        counted = self._key_counts.get(i)
        if counted is None:
            size = len(self.tokens[i])
            alone = self.singles[i]
            extra = self.extras.get(i)
            if extra:
                size += len(extra)
                alone += list(map(self._df.__getitem__, extra)).count(1)
            counted = self._key_counts[i] = (size, alone)
        size, alone = counted
        return alone >= min(probe_count(size, threshold), size)

    def _uncoverable(self, i: int, fraction: float) -> bool:
        """No text can hold all but ``fraction`` of the tokens of ``i``:
        more of them than may be missing occur in ``i`` only."""
        return self.singles[i] > max_missing(len(self.tokens[i]), fraction)

    # --- the token prefilter of the covered and contained rules -------------

    def covering(self, i: int, fraction: float, before: int | None = None) -> Hits:
        """Members of any text (one paragraph or a window of them) that
        holds all but ``fraction`` of the tokens of ``i``, among the
        paragraphs other than ``i`` (and under ``before``, if given): a
        proof (``exact``) or the rare-word search (see the module)."""
        size = len(self.tokens[i])
        missing = max_missing(size, fraction)
        if missing >= size:  # no tokens, or all may be missing: anything may pass
            everyone = range(len(self.norms) if before is None else before)
            return Hits({k: 0 for k in everyone if k != i}, 0, True)
        if self._uncoverable(i, fraction):
            return NO_HITS
        first = self.singles[i]
        # S = every token up to a document frequency ``cut``: at least the
        # missing + 1 rarest, then as many more as the budget allows (each
        # one raises the count a window must reach).
        ranked, dfs = self._ranked(i, extras=False)
        cut = dfs[missing]
        end = bisect.bisect_right(dfs, cut, missing)
        cost = sum(dfs[first:end])
        if cost > COVER_BUDGET:
            return self._rare_hits(i, before)
        while end < len(dfs):
            d = dfs[end]
            stop = bisect.bisect_right(dfs, d, end)
            if cost + d * (stop - end) > COVER_BUDGET:
                break
            cost += d * (stop - end)
            end = stop
        counts = self._keys.counts(ranked[first:end], i, before)
        hits = Hits(counts, end - missing, True)
        if len(counts) > EXACT_MEMBERS and len(hits.anchors(3)) > EXACT_MEMBERS:
            # the rarest words are too common here for the proof to narrow
            # anything down: the rare-word search is cheaper to verify
            return self._rare_hits(i, before)
        return hits

    def _rare_hits(self, i: int, before: int | None) -> Hits:
        """The rare-word search: the paragraphs that hold two of the
        :data:`RARE_PROBES` rarest keys of ``i`` that another paragraph
        holds too (one, when ``i`` has only one such key, or when fewer
        than two of them are under the stop-word count); they alone are
        members, and text must have one of them."""
        if self._last_rare[0] == (i, before):
            return self._last_rare[1]
        hits = self._rare_search(i, before)
        self._last_rare = ((i, before), hits)
        return hits

    def _rare_search(self, i: int, before: int | None) -> Hits:
        ranked, dfs = self._ranked(i, extras=True)
        first = bisect.bisect_right(dfs, 1)
        if first == len(dfs):
            return NO_HITS
        last = min(first + RARE_PROBES, len(dfs))
        end = min(
            bisect.bisect_right(dfs, dfs[last - 1], last - 1),
            bisect.bisect_right(dfs, self.common, first),
        )
        if end == first:
            return NO_HITS
        keys = ranked[first:end]
        if len(keys) < 2:
            return Hits(dict.fromkeys(self._keys.holding(keys, i, before), 1), 1, False)
        return Hits(dict.fromkeys(self._keys.twice(keys, i, before), 2), 2, False)

    # --- the similarity ratio --------------------------------------------------------

    def similar(
        self,
        i: int,
        threshold: float,
        before: int | None = None,
        budget: int = SIMILAR_BUDGET,
    ) -> list[int] | None:
        """Paragraphs that may reach ``threshold`` (0-100) with ``i``, in
        document order, or None when the threshold is too low for the index
        to narrow anything down (then compare with every paragraph).
        ``budget``: posting-list entries read before the search narrows down
        to the rarest keys (:data:`WIDE_BUDGET` for a search made for a few
        paragraphs only)."""
        if threshold < MIN_THRESHOLD:
            return None
        if self._too_unlike(i, threshold):
            return []
        low, high = ratio_length_bounds(self.lengths[i], threshold)
        lengths = self.lengths
        if len(lengths) < SCAN_BELOW and not any(
            low <= lengths[k] <= high
            for k in range(len(lengths) if before is None else before)
            if k != i
        ):
            # (a short document: the length bound below, a proof, leaves
            # nothing whatever the keys find; a look at a few lengths)
            return []
        ranked, dfs = self._ranked(i, extras=True)
        first = bisect.bisect_right(dfs, 1)
        last = min(probe_count(len(dfs), threshold), len(dfs))
        if last <= first:
            return []
        if sum(dfs[first:last]) <= budget and dfs[last - 1] <= self.common:
            end = bisect.bisect_right(dfs, dfs[last - 1], last - 1)
            found = self._keys.holding(ranked[first:end], i, before)
        else:
            found = set(self._rare_hits(i, None).counts)  # shared with rule 2's search
        out = sorted(found)
        if before is not None:
            del out[bisect.bisect_left(out, before) :]
        return [k for k in out if low <= lengths[k] <= high]
