"""Benchmark inputs built from real news text, read at run time.

The text comes from the clean cases of the evaluation set (category
``clean`` in ``cases.jsonl``: unmodified news articles in several
languages). Those texts belong to their publishers: this module reads them
where they are (``--eval``, by default ``../shared/eval`` next to the
repository) and writes what it builds into the benchmark's work folder only;
nothing of them is kept in the repository.

* :func:`recombined`: one long document whose paragraphs are 2 to 5
  sentences drawn at random (seeded) from the pool of every sentence of
  those articles, with 10% of the paragraphs planted as exact repeats of an
  earlier paragraph. At 20,000 paragraphs each sentence recurs about seven
  times, in different company: the shape that makes a document's words
  common and its candidate searches wide.
* :func:`articles`: a folder of real articles, each one to three clean
  articles of one language one after the other, 20% of them with planted
  repeats (the body printed twice, an edited copy of a block, a paragraph
  repeated further down); half with blank lines between paragraphs, half
  with one paragraph per line.
* :func:`one_paragraph`: one 188-character paragraph (this project's own
  text) repeated over and over: the worst case for a rule that looks back
  at every earlier copy.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

DEFAULT_EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"

_SENTENCE_END = re.compile(r"(?<=[.!?\u2026\u3002\uff01\uff1f\u061f])\s+")


class Pool:
    """The clean articles of the evaluation set, as paragraphs and sentences."""

    def __init__(self, eval_dir: Path = DEFAULT_EVAL) -> None:
        cases = eval_dir / "cases"
        index = cases / "cases.jsonl"
        if not index.exists():
            raise FileNotFoundError(f"{index} not found: pass --eval with the evaluation set")
        self.docs: list[tuple[str, list[str]]] = []  # (language, paragraphs)
        for line in index.read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            if case["category"] != "clean":
                continue
            text = (cases / f"{case['name']}.txt").read_bytes().decode("utf-8-sig")
            paragraphs = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n")]
            self.docs.append((case["lang"], [p for p in paragraphs if p]))
        self.sentences = sorted(
            {
                s
                for _lang, paragraphs in self.docs
                for p in paragraphs
                for s in _SENTENCE_END.split(p)
                if len(s) >= 20
            }
        )


def recombined(pool: Pool, paragraphs: int, seed: int = 11) -> str:
    """One paragraph per line: 2 to 5 pool sentences each, 10% exact repeats
    of an earlier paragraph."""
    rng = random.Random(seed)
    out: list[str] = []
    for _ in range(paragraphs):
        if out and rng.random() < 0.1:
            out.append(rng.choice(out))
        else:
            out.append(" ".join(rng.choices(pool.sentences, k=rng.randint(2, 5))))
    return "\n".join(out) + "\n"


def one_paragraph(copies: int) -> str:
    """One 188-character paragraph, ``copies`` times, one per line."""
    paragraph = (
        "The council met on Tuesday evening to discuss the new budget for the "
        "harbour district, and after three hours of debate the members agreed "
        "to postpone the final vote until the early spring."
    )
    assert len(paragraph) == 188, len(paragraph)
    return (paragraph + "\n") * copies


def _edited(rng: random.Random, paragraph: str) -> str:
    """A copy with one small edit: two letters swapped in a long word, or a
    dateline on the front."""
    words = paragraph.split(" ")
    spots = [k for k, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if spots and rng.random() < 0.7:
        k = rng.choice(spots)
        w = words[k]
        p = rng.randrange(1, len(w) - 2)
        words[k] = w[:p] + w[p + 1] + w[p] + w[p + 2 :]
        return " ".join(words)
    return f"LONDON (Reuters) - {paragraph}"


def articles(pool: Pool, count: int, seed: int = 13) -> Iterator[tuple[str, str, bool]]:
    """``count`` (relative path, text, planted) triples in 100 subfolders."""
    rng = random.Random(seed)
    by_lang: dict[str, list[list[str]]] = {}
    for lang, paragraphs in pool.docs:
        by_lang.setdefault(lang, []).append(paragraphs)
    for k in range(count):
        lang, first = rng.choice(pool.docs)
        body = list(first)
        others = [doc for doc in by_lang[lang] if doc is not first]
        for _ in range(rng.randint(0, 2) if others else 0):
            body += rng.choice(others)[1:]  # another article's body, no title
        planted = rng.random() < 0.2
        if planted and len(body) >= 3:
            kind = rng.randrange(3)
            if kind == 0:  # the body printed twice
                body = body + body[1:]
            elif kind == 1:  # an edited copy of a block of paragraphs
                start = rng.randrange(1, len(body) - 1)
                block = body[start : start + rng.randint(2, 5)]
                body += [_edited(rng, p) if rng.random() < 0.5 else p for p in block]
            else:  # a paragraph repeated further down
                p = rng.randrange(1, len(body) // 2 + 1)
                body.insert(rng.randint(p + 2, len(body)), body[p])
        sep = "\n\n" if k % 2 == 0 else "\n"
        yield f"site{k % 100:02d}/article{k:05d}.txt", sep.join(body) + "\n", planted
