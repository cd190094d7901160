"""Recall of the candidate index on a long generated document, by sampling.

    python benchmarks/recall_sample.py [--paragraphs 100000] [--sample 300]

The comparison of every pair cannot run on a 100,000-paragraph document (it
would take days), so this checks a random sample of paragraphs (fixed seed)
against every other paragraph, for the two questions the rules ask:

* near-duplicates: every earlier long paragraph at ratio >= 90 (and every
  long paragraph at ratio >= 70, the formula-family test) must be among the
  index's candidates;
* covered text: every run of 1-3 consecutive earlier paragraphs that passes
  the 80% token prefilter must be among the windows the core tries (all
  earlier paragraphs taken as kept).

It prints how many such pairs and windows there were and how many the index
missed (0 is the requirement).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from newsdedupe.index import SIMILAR_BUDGET, WIDE_BUDGET, CandidateIndex  # noqa: E402
from newsdedupe.keys import tokens_of  # noqa: E402
from newsdedupe.normalize import normalize  # noqa: E402
from newsdedupe.rules import WindowSearch  # noqa: E402
from newsdedupe.split import split_text  # noqa: E402
from newsdedupe.tuning import MISSING_WORDS  # noqa: E402


class _Places(dict[int, int]):
    """Every paragraph before ``limit`` kept, at its own place."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def __contains__(self, key: object) -> bool:
        return isinstance(key, int) and key < self.limit

    def __getitem__(self, key: int) -> int:
        return key


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    start = time.perf_counter()
    text = corpus.Generator(args.seed).dump(args.paragraphs)
    norms = [normalize(p) for p in split_text(text).paragraphs]
    tokens = [tokens_of(n, True) for n in norms]
    index = CandidateIndex(norms, tokens)
    sets = [frozenset(t) for t in tokens]
    longs = [k for k, n in enumerate(norms) if len(n) >= 50]
    rng = random.Random(1)
    sample = sorted(rng.sample(longs, min(args.sample, len(longs))))
    long_norms = [norms[k] for k in longs]
    pairs = {90.0: [0, 0], 70.0: [0, 0]}
    windows = [0, 0]
    for i in sample:
        for threshold, counts in pairs.items():
            budget = WIDE_BUDGET if threshold < 90 else SIMILAR_BUDGET
            got = set(index.similar(i, threshold, budget=budget) or ())
            for _text, _score, pos in process.extract(
                norms[i], long_norms, scorer=fuzz.ratio, score_cutoff=threshold, limit=None
            ):
                k = longs[pos]
                if k != i:
                    counts[0] += 1
                    counts[1] += k not in got
        # the windows the core would try: every earlier paragraph kept
        search = WindowSearch(SimpleNamespace(tokens=tokens), i, index.covering(i, MISSING_WORDS))
        tried = set(search.starts(range(i), _Places(i)))
        toks = sets[i]
        allowed = int(MISSING_WORDS * len(toks))
        shares = [len(toks.intersection(sets[k])) for k in range(i)]
        for first in range(i):
            for width in (1, 2, 3):
                window = range(first, min(first + width, i))
                if len(window) < width:
                    break
                if sum(shares[k] for k in window) < len(toks) - allowed:
                    continue  # cannot hold enough of the words between them
                if len(toks.difference(*(sets[k] for k in window))) <= allowed:
                    windows[0] += 1
                    windows[1] += first not in tried
    print(f"{len(norms):,} paragraphs, {len(sample)} sampled, {time.perf_counter() - start:.0f} s")
    for threshold, (total, missed) in pairs.items():
        print(f"  ratio >= {threshold:.0f}: {total} pairs, {missed} missed")
    print(f"  covering windows: {windows[0]}, {windows[1]} missed")
    return 1 if any(m for _t, m in pairs.values()) or windows[1] else 0


if __name__ == "__main__":
    sys.exit(main())
