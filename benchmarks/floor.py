"""What any cleaner that reads words pays before it decides anything, beside
the exact-paragraph pass and ``dedupe_text``, in one process on the same
texts (best of ``--repeat``, the stages taking turns).

    python benchmarks/floor.py DIR [--repeat 3]

DIR is a folder of ``*.txt`` articles (``bench.py --sections realfolder``
leaves its 5,000 in ``WORK/real-articles``). Each row does the work of the
row above it and one step more, for every article:

1. the exact-paragraph pass of ``benchmarks/peers.py`` (case fold, split
   and join each line, a set);
2. ``split_text``: the paragraphs and the layout that rebuilds the text;
3. and :func:`~newsdedupe.normalize.normalize` of each distinct paragraph
   (the comparison form every rule reads);
4. and each paragraph's words as a set (``frozenset(norm.split())``): the
   least any word-level proof of "nothing here repeats" reads;
5. ``dedupe_text``.

Every row prints its time and its ratio to row 1.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peers  # noqa: E402

from newsdedupe import dedupe_text  # noqa: E402
from newsdedupe.config import Options  # noqa: E402
from newsdedupe.normalize import normalize  # noqa: E402
from newsdedupe.split import split_text  # noqa: E402

SPLIT = Options().split


def split_only(text: str) -> int:
    return len(split_text(text, SPLIT).paragraphs)


def normalized(text: str) -> int:
    paragraphs = split_text(text, SPLIT).paragraphs
    return len({p: normalize(p) for p in paragraphs})


def word_sets(text: str) -> int:
    paragraphs = split_text(text, SPLIT).paragraphs
    forms = {p: normalize(p) for p in paragraphs}
    return len([frozenset(forms[p].split()) for p in paragraphs])


def cleaned(text: str) -> int:
    result = dedupe_text(text)
    _ = result.text  # (made when read: the cleaned text is part of the work)
    return len(result.removals)


STAGES: list[tuple[str, Callable[[str], int]]] = [
    ("exact-paragraph set (plain Python)", peers.with_exact_set),
    ("split_text", split_only),
    ("split_text, normalize", normalized),
    ("split_text, normalize, word sets", word_sets),
    ("dedupe_text", cleaned),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    texts = [f.read_bytes().decode("utf-8") for f in sorted(args.folder.rglob("*.txt"))]
    best = [float("inf")] * len(STAGES)
    for _ in range(args.repeat):
        for k, (_name, stage) in enumerate(STAGES):
            start = time.perf_counter()
            for text in texts:
                stage(text)
            best[k] = min(best[k], time.perf_counter() - start)
    print(f"{len(texts)} texts, best of {args.repeat}\n")
    print("| stage | wall | against the exact pass |")
    print("|---|---:|---:|")
    for (name, _stage), seconds in zip(STAGES, best, strict=True):
        print(f"| {name} | {seconds:.2f} s | {seconds / best[0]:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
