"""The decisions: which paragraphs of a document are repeats, and of what.

``dedupe_text`` is pure: text and options in, the cleaned text and one
:class:`Removal` record per dropped paragraph out. ``--explain``, ``--json``
and ``--diff`` are views of those records.

The rules (SPEC.md section 2) and the structural checks that tell
intentional repetition from artifacts, in the order :func:`_decide` applies
them (docs/precision.md measures what each check is worth):

1. rules 1 and 2 (:func:`~newsdedupe.rules.sequential_repeats`): near-duplicate
   (:func:`~newsdedupe.rules.near_duplicate`), a later paragraph that matches an earlier kept
   one at or above the threshold, with the same numbers; covered
   (:func:`~newsdedupe.rules.covered`), a later paragraph whose text stands inside earlier
   kept text: one paragraph, its sentences, or a few consecutive paragraphs
   merged. A copy must read as prose unless it follows its original
   directly. A copy is held back (:func:`~newsdedupe.intent.held_back`) when it is an item of
   two lists under two headings (:func:`~newsdedupe.intent.in_two_lists`) or differs from its
   original in a word that carries the meaning (:func:`~newsdedupe.paragraph.distinguishing`);
2. rule 3, contained (:func:`~newsdedupe.rules.contained`): a paragraph of at least 60
   characters that stands verbatim inside a longer paragraph, wherever that
   one is; except a list item inside another list's item, text quoted in
   code, and a title or label echoed inside a paragraph (it neither starts
   a sentence there nor reads as a quotation);
3. intentional repetition is put back (:func:`~newsdedupe.intent.spare_intentional`):
   refrains (three or more lone copies with other text between them) and
   formula lines (a near-copy in a family of three or more similar texts);
4. runs (:func:`~newsdedupe.runs.extend_runs`): paragraphs of any length inside a copied run
   go with it; a short paragraph, label or list item goes in no other way;
5. held-back copies are confirmed (:func:`~newsdedupe.intent.confirm_pending`): dropped only
   inside a copied run that holds a copy of a full paragraph of prose, and
   the runs are extended again;
6. templates (:func:`~newsdedupe.intent.spare_templates`): a copied run that is the shared
   part of two blocks of one template (the blocks line up across their
   differences) is put back;
7. rule 5, title (:func:`~newsdedupe.lines.title`): the headline printed again a few
   paragraphs below it;
8. rule 4, stutter (:func:`~newsdedupe.lines.stutters`): a line identical to the one right
   before it (a headline or caption printed twice), but for markers, list
   items, code and lines that stand at three places or more.

Where each part lives (imports point down this list): :mod:`~newsdedupe.tuning`
(the numbers that change what is removed), :mod:`~newsdedupe.paragraph`
(what one paragraph reads as, word-by-word comparison),
:mod:`~newsdedupe.doc` (a document's working state and the
:class:`~newsdedupe.doc.Decision` record), :mod:`~newsdedupe.runs` (copied
runs), :mod:`~newsdedupe.lines` (rules 4 and 5), :mod:`~newsdedupe.intent`
(intentional repetition), :mod:`~newsdedupe.rules` (rules 1 to 3), and this
module, which applies them in order and builds the result.

Safety by construction: a paragraph that is the source of a drop is never
dropped itself (:meth:`~newsdedupe.doc.Doc.drop`), so every removed text is still in the
output, and a document can never be emptied.

Speed: every rule looks for candidates in a :class:`~newsdedupe.index.CandidateIndex`
of the document (for documents of :data:`ALL_PAIRS_BELOW` paragraphs or more)
instead of comparing each paragraph with every other, then verifies them in
the same order and with the same tests as the comparison of every pair. The
index only narrows which pairs are tested; on the evaluation sets and in the
equivalence tests the two remove exactly the same. It can miss a copy that
the comparison of every pair finds: a rule-1 copy that shares too few words
with its source to be a candidate (two letters swapped in every long word,
ratio about 92; tests/test_index_equivalence.py keeps it as a strict xfail).
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from newsdedupe.config import Options
from newsdedupe.doc import Decision, Doc, Rule
from newsdedupe.index import CandidateIndex
from newsdedupe.intent import confirm_pending, spare_intentional, spare_templates
from newsdedupe.lines import stutters, title
from newsdedupe.normalize import normalize
from newsdedupe.paragraph import dated_front, undated, wrapped_lines
from newsdedupe.rules import contained, sequential_repeats
from newsdedupe.runs import extend_runs
from newsdedupe.split import Layout, split_text
from newsdedupe.tuning import ALL_PAIRS_BELOW, SHARED_WORDS_FROM

__all__ = [
    "ALL_PAIRS_BELOW",
    "DedupeResult",
    "Event",
    "Kept",
    "Removal",
    "Rule",
    "dated_front",
    "dedupe_text",
]


@dataclass(frozen=True)
class Removal:
    """One dropped paragraph: what (``index``), why (``rule``, ``score``) and
    which kept paragraph (``source``) still holds its text."""

    index: int
    rule: Rule
    source: int
    score: float


@dataclass(frozen=True)
class Kept:
    """A repeat that stays on purpose: paragraph ``index`` looks like a copy
    of the earlier or longer paragraph ``source`` but is intentional
    repetition; ``reason`` says which kind, in a few words a reader
    understands ("parallel structure", "refrain, 4 copies", "numbers differ")."""

    index: int
    source: int
    reason: str


class Event(NamedTuple):
    """Consecutive removals that copy an earlier run: paragraphs
    ``first``..``last`` repeat ``source_first``..``source_last``."""

    first: int
    last: int
    source_first: int
    source_last: int


@dataclass(frozen=True)
class DedupeResult:
    """The cleaned text, and the records it was made from.

    ``text`` and ``paragraphs`` are made from the layout when first read,
    and :meth:`chunks` gives the cleaned text's bytes a piece at a time: the
    command writes them so, and never holds a long document's cleaned text,
    as one string or as its bytes, beside the input (a document with one
    character outside Unicode's first plane takes four bytes a character as
    a string)."""

    removals: list[Removal]
    layout: Layout = field(repr=False)
    kept: list[Kept] = field(default_factory=list)
    """Repeats kept on purpose, in paragraph order (not removals)."""
    moved: Mapping[int, int] = field(default_factory=dict, repr=False)
    """Paragraphs whose place shows another one's text (``--keep longest``)."""

    @functools.cached_property
    def text(self) -> str:
        return self.layout.rebuild(self._shown(), self.moved)

    @functools.cached_property
    def paragraphs(self) -> list[str]:
        return self.layout.paragraphs

    def _shown(self) -> list[bool]:
        """Which paragraphs the cleaned text shows: all but the removed,
        the longest copy's text in the first copy's place (:attr:`moved`)."""
        shown = [True] * len(self.layout.starts)
        for r in self.removals:
            shown[r.index] = False
        for first, longest in self.moved.items():
            shown[first], shown[longest] = True, False
        return shown

    def encode(self, encoding: str = "utf-8") -> bytes:
        """``text.encode(encoding)``: the :meth:`chunks` joined."""
        return b"".join(self.chunks(encoding))

    def chunks(self, encoding: str = "utf-8") -> Iterator[bytes]:
        """The bytes of ``text.encode(encoding)``, a piece of the layout at a
        time (an incremental encoder's pieces join to the same bytes: one
        byte-order mark), so they can be written without the cleaned text
        or its bytes ever being whole in memory."""
        if "text" in self.__dict__ or not self.changed:
            yield self.text.encode(encoding)
            return
        import codecs

        encoder = codecs.getincrementalencoder(encoding)()
        text = self.layout.text
        for start, end in self.layout.pieces(self._shown(), self.moved):
            piece = encoder.encode(text[start:end])
            if piece:
                yield piece
        tail = encoder.encode("", final=True)
        if tail:
            yield tail

    @property
    def changed(self) -> bool:
        return bool(self.removals)

    @property
    def removed_chars(self) -> int:
        if "text" in self.__dict__:
            return len(self.layout.text) - len(self.text)
        kept = sum(end - start for start, end in self.layout.pieces(self._shown(), self.moved))
        return len(self.layout.text) - kept

    def events(self) -> list[Event]:
        """Group removals into runs: consecutive paragraphs whose sources are
        consecutive too are one event."""
        out: list[Event] = []
        for r in self.removals:
            if out:
                last = out[-1]
                if r.index == last.last + 1 and r.source == last.source_last + 1:
                    out[-1] = Event(last.first, r.index, last.source_first, r.source)
                    continue
            out.append(Event(r.index, r.index, r.source, r.source))
        return out


def dedupe_text(text: str, options: Options | None = None) -> DedupeResult:
    """Remove repeated paragraphs from ``text``; keep every kept byte as is."""
    return _dedupe(text, options or Options())


def _dedupe(text: str, options: Options, indexed: bool | None = None) -> DedupeResult:
    """:func:`dedupe_text`; ``indexed`` True or False forces the candidate
    index or the comparison of every pair (the equivalence tests run both),
    None chooses by size."""
    layout = split_text(text, options.split)
    if len(layout.starts) >= SHARED_WORDS_FROM:
        with _collector_paused():
            return _decide(layout, options, indexed)
    return _decide(layout, options, indexed)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a long document is worked on.
    The core makes no reference cycles (its state is lists, dicts, sets and
    tuples that point one way), so the collector has nothing to find; but
    it would walk the hundreds of thousands of containers of a long
    document again and again: a sixth of the time of a 100,000-paragraph
    document. It is switched back on afterwards only if it was on before."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _decide(layout: Layout, options: Options, indexed: bool | None) -> DedupeResult:
    doc = _working_state(layout, options, indexed)
    sequential_repeats(doc)
    contained(doc)
    spare_intentional(doc)
    extend_runs(doc)
    while confirm_pending(doc):
        extend_runs(doc)
    spare_templates(doc)
    title(doc)
    stutters(doc)
    moved: dict[int, int] = {}
    if options.keep == "longest":
        moved = _keep_longest(doc)

    removals = [Removal(i, *doc.drops[i]) for i in sorted(doc.drops)]
    for i, (found, reason) in doc.pending.items():
        doc.note(i, found.source, reason)
    kept = [Kept(i, *doc.notes[i]) for i in sorted(doc.notes) if doc.kept(i)]
    return DedupeResult(removals, layout, kept, moved)


def _working_state(layout: Layout, options: Options, indexed: bool | None) -> Doc:
    """The document's comparison forms and candidate index. The paragraphs
    themselves are not kept while the rules work (a long document's take
    as much memory as its comparison forms): the result makes them again
    when they are read."""
    paragraphs = layout.paragraphs
    # each distinct paragraph is worked on once (one printed 100,000 times too)
    forms: dict[str, tuple[str, str]] = {}
    for p in paragraphs:
        if p not in forms:
            norm = normalize(p)
            forms[p] = (norm, undated(p, norm))
    norms = [forms[p][0] for p in paragraphs]
    doc = Doc(norms, options, [forms[p][1] for p in paragraphs])
    doc.wrapped = wrapped_lines(paragraphs, doc.long)
    if indexed or (indexed is None and len(norms) >= ALL_PAIRS_BELOW):
        doc.index = CandidateIndex(norms, doc.tokens)
    return doc


def _keep_longest(doc: Doc) -> dict[int, int]:
    """Of each group of near-duplicates, keep the longest copy; every record
    that named the first copy then names the one that stayed. The longest
    text is printed where the first copy stood (the returned map: first ->
    longest), so the article keeps its order. Longest is measured on the
    comparison form: a copy longer only by spaces is not longer."""
    moved: dict[int, int] = {}
    groups: dict[int, list[int]] = {}
    for i, (rule, source, _score) in doc.drops.items():
        if rule == "near-duplicate":
            groups.setdefault(source, []).append(i)
    for source, copies in sorted(groups.items()):
        best = max([source, *copies], key=lambda k: (len(doc.norms[k]), -k))
        if best == source:
            continue
        # (the drops naming it come from doc.naming, not a scan of every drop)
        pointing = {k: doc.drops[k] for k in doc.naming.get(source, {})}
        for k in pointing:
            doc.restore(k)
        doc.drop(source, Decision("near-duplicate", best, pointing[best].score))
        for k, (rule, _src, score) in pointing.items():
            if k != best:
                doc.drop(k, Decision(rule, best, score))
        if not doc.kept(source) and doc.kept(best):
            moved[source] = best
    return moved
