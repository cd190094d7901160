"""Other ways to drop repeated paragraphs, timed in one process on the same
texts as ``dedupe_text``, each with what it removes.

Every cleaner takes one document and returns how many of its paragraphs
(non-empty lines: the benchmark's articles have one line per paragraph)
it drops; whatever it remembers is made anew for each document.

* ``dedupe_text``: this project's core.
* exact-paragraph set: normalize (case, spaces), hash, drop what was seen.
* naive rapidfuzz pairs: every paragraph against every kept one with
  ``fuzz.ratio`` at 90 (``benchmarks/naive.py``).
* trafilatura's duplicate filter (``deduplication.duplicate_test``, the
  check its extractor runs on each text element), with a fresh cache per
  document: a text of more than 100 characters seen more than twice goes.
* pyonion (the ONION algorithm): paragraphs whose 10-grams mostly occurred
  before in the document go (resemblance 0.5, keep the first).

trafilatura and pyonion are not dependencies of this project: a peer that
is not installed is reported as skipped, and so is one that fails to import
(trafilatura 2.3 with lxml 6 also needs ``pip install lxml_html_clean``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import naive

from newsdedupe import dedupe_text


def _paragraphs(text: str) -> int:
    return sum(1 for line in text.split("\n") if line.strip())


def with_dedupe(text: str) -> int:
    result = dedupe_text(text)
    _ = result.text  # (the cleaned text is made when read: a cleaner's work includes it)
    return len(result.removals)


def with_exact_set(text: str) -> int:
    seen: set[str] = set()
    removed = 0
    for line in text.split("\n"):
        norm = " ".join(line.casefold().split())
        if not norm:
            continue
        if norm in seen:
            removed += 1
        else:
            seen.add(norm)
    return removed


def with_naive(text: str) -> int:
    return _paragraphs(text) - _paragraphs(naive.clean(text))


def _trafilatura() -> Callable[[str], int] | None:
    try:
        from lxml import etree
        from trafilatura.deduplication import LRU_SIZE, LRUCache, duplicate_test
        from trafilatura.settings import Extractor
    except ImportError:
        return None

    def with_trafilatura(text: str) -> int:
        options = Extractor(dedup=LRUCache(maxsize=LRU_SIZE))
        removed = 0
        for line in text.split("\n"):
            if not line.strip():
                continue
            element = etree.Element("p")
            element.text = line
            removed += duplicate_test(element, options)
        return removed

    return with_trafilatura


def _pyonion() -> Callable[[str], int] | None:
    try:
        from pyonion.remover import CleaningMode, DuplicateRemover, ListCorpusProvider
    except ImportError:
        return None

    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.split("\n") if line.strip()]

    def with_pyonion(text: str) -> int:
        corpus = ListCorpusProvider([text], blockizer=lines)
        remover = DuplicateRemover(n_gram=10)
        duplicated = remover.find_duplicated_ngrams(corpus)
        cleaned = next(
            iter(remover.iter_clean_text_in_blocks(corpus, duplicated, 0.5, CleaningMode.FIRST))
        )
        return len(lines(text)) - len([b for b in cleaned.split("\n\n") if b])

    return with_pyonion


def cleaners() -> dict[str, Callable[[str], int] | None]:
    return {
        "dedupe_text": with_dedupe,
        "exact-paragraph set (plain Python)": with_exact_set,
        "naive rapidfuzz pairs at 90": with_naive,
        "trafilatura duplicate filter": _trafilatura(),
        "pyonion (ONION, 10-grams)": _pyonion(),
    }


def time_all(
    texts: Sequence[str], repeat: int, once_over: float = 60.0
) -> dict[str, dict[str, object]]:
    """Best wall time of ``repeat`` passes of each cleaner over ``texts``
    (a pass over ``once_over`` seconds is not repeated), and the paragraphs
    it removed. The cleaners take turns, so a change of load touches all."""
    found = cleaners()
    results: dict[str, dict[str, object]] = {}
    for name, clean in found.items():
        results[name] = {"s": None, "note": "not installed"} if clean is None else {}
    for _ in range(repeat):
        for name, clean in found.items():
            result = results[name]
            if clean is None or result.get("once"):
                continue
            start = time.perf_counter()
            removed = sum(map(clean, texts))
            wall = time.perf_counter() - start
            best = result.get("s")
            if not isinstance(best, float) or wall < best:
                result["s"] = wall
            result["removed"] = removed
            if wall > once_over:
                result["once"] = True
    return results
