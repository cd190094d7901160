"""Deterministic benchmark corpora, generated from text this project owns.

Everything comes from a seeded :class:`random.Random`: a vocabulary of
pseudo-words built from syllables (drawn with Zipf-like weights, as words in
real news are), a short list of English function words written here, names,
places and numbers. The same seed gives the same bytes on every machine and
Python version from 3.10 on, so timings from different runs compare the same
work.

Repeats are planted the way scrapers and CMSs leave them: a body printed
twice, a paragraph repeated further down, an edited copy (a typo, a changed
word, a dateline glued to the front), a teaser sentence in front of the
paragraph it comes from, and a copy split in two at a sentence boundary.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Iterator
from pathlib import Path


def _words(text: str) -> list[str]:
    return text.split()


_FUNCTION_WORDS = _words(
    "the the the of of and and to to in in a a that for on is was with said as at by "
    "from it has have be will are were which an its their after more than but not also "
    "this had over who about into they been last year would when other two new up one "
    "could while against before between where under during since some most people "
    "officials government week city told according report"
)
_SYLLABLES = _words(
    "ka ri to me sa lo ne vi da ru po li ma te no shi ba ko re ga mi zu fa el an or "
    "us it ek al ov in ar ta be la do se ni ur ol ve ra ki mo pe ti na ho"
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_AGENCIES = ("Reuters", "AP", "AFP", "dpa", "Xinhua")


class Generator:
    """Sentences, paragraphs and articles of pseudo-news text."""

    def __init__(self, seed: int, vocabulary: int = 40_000) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        seen: set[str] = set()
        words: list[str] = []
        while len(words) < vocabulary:
            word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
            if word not in seen:
                seen.add(word)
                words.append(word)
        self.words = words
        self.word_weights = list(
            itertools.accumulate(1.0 / (r + 20) ** 1.1 for r in range(len(words)))
        )
        self.names = [w.capitalize() for w in words[5000:9000]]
        self.places = [w.upper() if len(w) < 6 else w.capitalize() for w in words[9000:9600]]

    def sentence(self) -> str:
        rng = self.rng
        n = rng.randint(8, 26)
        content = rng.choices(self.words, cum_weights=self.word_weights, k=n)
        out: list[str] = []
        for w in content:
            r = rng.random()
            if r < 0.45:
                out.append(rng.choice(_FUNCTION_WORDS))
            if r > 0.93:
                out.append(rng.choice(self.names))
            elif r > 0.90:
                out.append(str(rng.randint(2, 2000)))
            elif r > 0.885:
                out.append(f"on {rng.choice(_DAYS)}")
            out.append(w)
        first = out[0]
        out[0] = first[:1].upper() + first[1:]
        end = rng.choice("....!?")
        if rng.random() < 0.15:
            return f'"{" ".join(out)}{end}" said {rng.choice(self.names)} {rng.choice(self.names)}.'
        return " ".join(out) + end

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.choice((1, 1, 2, 2, 2, 3))))

    def title(self) -> str:
        words = self.rng.choices(
            self.words, cum_weights=self.word_weights, k=self.rng.randint(4, 9)
        )
        return " ".join(words).capitalize()

    # --- planted repeats -------------------------------------------------------

    def edited(self, text: str) -> str:
        """A copy with one small edit: a typo, a changed word or a dateline."""
        rng = self.rng
        kind = rng.randrange(3)
        if kind == 0:  # swap two letters inside a long word
            words = text.split(" ")
            spots = [k for k, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
            if spots:
                k = rng.choice(spots)
                w = words[k]
                p = rng.randrange(1, len(w) - 2)
                words[k] = w[:p] + w[p + 1] + w[p] + w[p + 2 :]
                return " ".join(words)
        if kind == 1:  # one word changed
            words = text.split(" ")
            spots = [k for k, w in enumerate(words) if w.isalpha() and w.islower()]
            if spots:
                words[rng.choice(spots)] = rng.choice(self.words[:3000])
                return " ".join(words)
        place = rng.choice(self.places).upper()
        return f"{place} ({rng.choice(_AGENCIES)}) - {text}"

    def article(self, planted: bool) -> str:
        """A title and 16-34 paragraphs; ``planted`` adds repeats of one kind."""
        rng = self.rng
        body = [self.paragraph() for _ in range(rng.randint(16, 34))]
        if planted:
            kind = rng.randrange(5)
            if kind == 0:  # the whole body printed twice
                body = body + body
            elif kind == 1:  # a paragraph or two repeated further down
                for _ in range(rng.randint(1, 2)):
                    body.insert(
                        rng.randint(len(body) // 2, len(body)), rng.choice(body[: len(body) // 2])
                    )
            elif kind == 2:  # edited copies of a block
                start = rng.randrange(len(body) // 2)
                block = body[start : start + rng.randint(2, 6)]
                body.extend(self.edited(p) if rng.random() < 0.5 else p for p in block)
            elif kind == 3:  # a teaser: one sentence of a paragraph, in front of it
                k = rng.randrange(len(body))
                sentences = body[k].split(". ")
                teaser = max(sentences, key=len).rstrip(".") + "."
                if len(teaser) >= 60:
                    body.insert(k, teaser)
            else:  # a copy split in two at a sentence boundary
                k = rng.randrange(len(body) // 2)
                sentences = body[k].split(". ")
                if len(sentences) >= 2:
                    cut = len(sentences) // 2
                    body.insert(
                        rng.randint(k + 2, len(body)),
                        ". ".join(sentences[:cut]) + ".",
                    )
                    body.append(". ".join(sentences[cut:]))
        sep = "\n\n" if rng.random() < 0.3 else "\n"
        return self.title() + "\n\n" + sep.join(body) + "\n"

    def dump(self, paragraphs: int) -> str:
        """One document of about ``paragraphs`` paragraphs: articles one after
        another, one paragraph per line, 20% of them with planted repeats."""
        parts: list[str] = []
        count = 0
        while count < paragraphs:
            text = self.article(self.rng.random() < 0.2)
            lines = [line for line in text.split("\n") if line]
            lines = lines[: paragraphs - count]
            count += len(lines)
            parts.append("\n".join(lines))
        return "\n\n".join(parts) + "\n"


def articles(seed: int, count: int) -> Iterator[tuple[str, str]]:
    """``count`` (relative path, text) pairs, 20% with planted repeats, in
    100 subfolders as a crawl would leave them."""
    gen = Generator(seed)
    for k in range(count):
        planted = gen.rng.random() < 0.2
        yield f"site{k % 100:02d}/article{k:05d}.txt", gen.article(planted)


def write_folder(root: Path, seed: int = 5, count: int = 5000) -> int:
    """Write the article folder; return its size in bytes."""
    return write_files(root, articles(seed, count))


def write_files(root: Path, files: Iterable[tuple[str, str]]) -> int:
    """Write (relative path, text) pairs under ``root``; return their size
    in bytes."""
    total = 0
    for rel, text in files:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return total


def write_dump(path: Path, paragraphs: int, seed: int = 7) -> int:
    data = Generator(seed).dump(paragraphs).encode("utf-8")
    path.write_bytes(data)
    return len(data)
