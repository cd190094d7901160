"""The decisions: which paragraphs of a document are repeats, and of what.

``dedupe_text`` is pure: text and options in, the cleaned text and one
:class:`Removal` record per dropped paragraph out. ``--explain``, ``--json``
and ``--diff`` are views of those records.

The rules (SPEC.md section 2) and the structural checks that tell
intentional repetition from artifacts, in the order :func:`_decide` applies
them (docs/precision.md measures what each check is worth):

1. rules 1 and 2 (:func:`_sequential_repeats`): near-duplicate
   (:func:`_near_duplicate`), a later paragraph that matches an earlier kept
   one at or above the threshold, with the same numbers; covered
   (:func:`_covered`), a later paragraph whose text stands inside earlier
   kept text: one paragraph, its sentences, or a few consecutive paragraphs
   merged. A copy must read as prose unless it follows its original
   directly. A copy is held back (:func:`_held_back`) when it is an item of
   two lists under two headings (:func:`_in_two_lists`) or differs from its
   original in a word that carries the meaning (:func:`_distinguishing`);
2. rule 3, contained (:func:`_contained`): a paragraph of at least 60
   characters that stands verbatim inside a longer paragraph, wherever that
   one is; except a list item inside another list's item, text quoted in
   code, and a title or label echoed inside a paragraph (it neither starts
   a sentence there nor reads as a quotation);
3. intentional repetition is put back (:func:`_spare_intentional`):
   refrains (three or more lone copies with other text between them) and
   formula lines (a near-copy in a family of three or more similar texts);
4. runs (:func:`_extend_runs`): paragraphs of any length inside a copied run
   go with it; a short paragraph, label or list item goes in no other way;
5. held-back copies are confirmed (:func:`_confirm_pending`): dropped only
   inside a copied run that holds a copy of a full paragraph of prose, and
   the runs are extended again;
6. templates (:func:`_spare_templates`): a copied run that is the shared
   part of two blocks of one template (the blocks line up across their
   differences) is put back;
7. rule 5, title (:func:`_title`): the headline printed again a few
   paragraphs below it;
8. rule 4, stutter (:func:`_stutters`): a line identical to the one right
   before it (a headline or caption printed twice), but for markers, list
   items, code and lines that recur elsewhere.

Safety by construction: a paragraph that is the source of a drop is never
dropped itself (:meth:`_Doc.drop`), so every removed text is still in the
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
import gc
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from newsdedupe import match
from newsdedupe.config import CONTAINED_MIN_LENGTH, Options
from newsdedupe.index import WIDE_BUDGET, CandidateIndex, Hits, max_missing, tokens_of
from newsdedupe.normalize import normalize, number_spans
from newsdedupe.split import Layout, split_text

Rule = Literal["near-duplicate", "covered", "contained", "run", "stutter", "title"]

_PREFIX_NUMBERS_SPAN = 40
"""A dateline or date glued to the front of a copy ends within this many
characters ("26.01.2022 ...", "LONDON, Jan 5 (Reuters) - ...")."""

_MAX_MERGED = 3
"""A merged copy is matched against up to this many consecutive kept paragraphs."""

_MISSING_WORDS = 0.2
"""Rules 2 and 3 verify text only when it holds all but this share of the
paragraph's words (its tokens): a cheap "could this be inside that" check."""

_SHARED_WORDS_FROM = 2000
"""From this many paragraphs on, equal words share one string."""

ALL_PAIRS_BELOW = 4
"""Documents with fewer paragraphs compare every pair, which is cheaper for
them than building the candidate index; larger ones use the index."""

_PROSE_LENGTH = 70
"""From this normalized length a paragraph counts as prose whatever its end."""

_BULLETS = frozenset(["* ", "- ", "• ", "· ", "+ ", "▪ ", "● "])

_SENTENCE_ENDS = frozenset(".!?…。！？؟")

_FAMILY_RATIO = 70.0
"""Paragraphs this similar to each other are one family: three or more
members that are not exact copies are formula lines ("Vote for Anna", "Vote
for Boris"), written that way on purpose."""

_VERBATIM = 99.5
"""Containment score of a verbatim quote (after normalization)."""

_CONTAINED_EXTRA = 10
"""The longer paragraph of rule 3 is longer by at least this many characters:
two paragraphs of about the same length are near-duplicates or formula lines,
not a teaser and its article paragraph."""

_EDIT_WORDS = 30
"""One word changed in a paragraph of this many words or more is an edit
(a CMS correction); in a shorter one it may be the word that carries the
meaning ("in women" / "in men"), so the two are not copies on their own."""

_TEMPLATE_REACH = 8
"""How many paragraphs before and after a copied run are compared with
those around its source to tell a template's shared part from a copy."""

_TITLE_REACH = 4
"""Rule 5: a headline printed again stands within this many paragraphs of
the first one."""

_STANDFIRST_MAX = 600
"""Rule 5: the one prose paragraph allowed between a headline and its copy
(a standfirst) is shorter than this; longer text is a block of its own."""

_WORD = re.compile(r"[^\W_]+")

_LIST_ITEM = re.compile(r"(?:[-*•·+▪●◦‣>]+\s*|\(?\d{1,3}[.)]\s+|\(?[a-z][.)]\s+)(?=\S)")
"""A list marker on the front of a paragraph: bullets and footnote stars,
numbers and letters ("1.", "b)")."""

_SENTENCE_BREAK = re.compile(r"(?<=[.!?\u2026\u3002\uff01\uff1f])\s+")
_MIN_SENTENCE = 20

_DATELINE = re.compile(
    r"[\W_]*\d[\W\d_]*(?=[^\W\d_])"  # a date glued on: "26.01.2022Strava", "03.05.2024 -"
    r"|[^\n]{1,40}?\s(?P<dash>[-\u2013\u2014])\s+"  # ended by a dash: "LONDON (Reuters) - "
    r"|[^\n]{1,40}?:\s+"  # ended by a colon: "BERLIN, 4. Mai:"
)

_ALNUM = re.compile(r"[^\W_]")

_EDGE_PUNCT = " \"'.,;:!?-()[]*_«»"


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


@dataclass(frozen=True)
class Event:
    """Consecutive removals that copy an earlier run: paragraphs
    ``first``..``last`` repeat ``source_first``..``source_last``."""

    first: int
    last: int
    source_first: int
    source_last: int


@dataclass(frozen=True)
class DedupeResult:
    """The cleaned text, and the records it was made from."""

    text: str
    paragraphs: list[str]
    removals: list[Removal]
    layout: Layout = field(repr=False)
    kept: list[Kept] = field(default_factory=list)
    """Repeats kept on purpose, in paragraph order (not removals)."""

    @property
    def changed(self) -> bool:
        return bool(self.removals)

    @property
    def removed_chars(self) -> int:
        return len(self.layout.text) - len(self.text)

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


@dataclass
class _Doc:
    """Per-document working state; nothing is shared between documents."""

    norms: list[str]
    options: Options
    bodies: list[str] = field(default_factory=list)
    """Comparison form without a dateline or date glued to the front; the
    same as ``norms`` for most paragraphs."""
    drops: dict[int, tuple[Rule, int, float]] = field(default_factory=dict)
    tokens: list[Collection[str]] = field(default_factory=list)
    """Each paragraph's words, once each (:func:`~newsdedupe.index.tokens_of`),
    for a cheap "could this be inside that" check (a set's order is never used)."""
    index: CandidateIndex | None = None
    """Where the rules look for candidates; None: compare every pair."""
    holders: dict[int, Sequence[int]] = field(default_factory=dict)
    """With the index: the paragraphs that may hold enough of a paragraph's
    words to contain it, found by rule 2 and used again by rule 3."""
    long: list[bool] = field(default_factory=list)
    """Which paragraphs are long enough to be dropped on their own (:meth:`is_long`)."""
    sources: Counter[int] = field(default_factory=Counter)
    """How many drops name each paragraph as their source; a source is
    never dropped itself, so every dropped text is still in the output."""
    pending: dict[int, tuple[tuple[Rule, int, float], str]] = field(default_factory=dict)
    """Copies that differ from their source in a distinguishing word, or
    list items that recur in another list: dropped only when a copied run
    around them shows they are part of a copy (:func:`_confirm_pending`);
    the reason they were held back otherwise."""
    notes: dict[int, tuple[int, str]] = field(default_factory=dict)
    """Why a repeat was kept on purpose: paragraph -> (the paragraph it
    repeats, the reason). The first reason given stands."""
    skips: tuple[dict[int, int], dict[int, int]] = field(default_factory=lambda: ({}, {}))
    """For :func:`_next_kept`: a dropped paragraph -> a paragraph after
    (before) it with only drops between, so a long stretch of drops is
    crossed once, not once per drop. Drops only ever add to a stretch;
    :meth:`restore` clears them."""

    def __post_init__(self) -> None:
        # a long document shares one string per distinct word (memory)
        shared = len(self.norms) >= _SHARED_WORDS_FROM
        made: dict[str, Collection[str]] = {}  # (a paragraph printed many times: once)
        self.tokens = [
            made[n] if n in made else made.setdefault(n, tokens_of(n, shared)) for n in self.norms
        ]
        least = self.options.min_length
        self.long = [len(n) >= least and not _is_separator(n) for n in self.norms]

    def is_long(self, i: int) -> bool:
        """Long enough to be dropped on its own; a line of only punctuation
        (``____``, ``* * *``) is a separator, whatever its length."""
        return self.long[i]

    def is_prose(self, i: int) -> bool:
        """A full paragraph of prose: long enough to go on its own and
        reading as prose (:func:`_is_prose`), not a heading or a label."""
        return self.long[i] and _is_prose(self.norms[i])

    def kept(self, i: int) -> bool:
        return i not in self.drops

    def drop(self, i: int, decision: tuple[Rule, int, float]) -> bool:
        """Drop ``i`` as a copy of ``decision``'s source, unless ``i`` is
        itself the source of another drop. True when dropped."""
        if self.sources[i] or i in self.drops:
            return False
        self.drops[i] = decision
        self.sources[decision[1]] += 1
        return True

    def restore(self, i: int, reason: str | None = None) -> None:
        """Keep ``i`` after all, and say why."""
        source = self.drops.pop(i)[1]
        self.sources[source] -= 1
        self.skips[0].clear()
        self.skips[1].clear()
        if reason:
            self.note(i, source, reason)

    def note(self, i: int, source: int, reason: str) -> None:
        """Record why ``i``, a repeat of ``source``, is kept on purpose."""
        self.notes.setdefault(i, (source, reason))


def dedupe_text(text: str, options: Options | None = None) -> DedupeResult:
    """Remove repeated paragraphs from ``text``; keep every kept byte as is."""
    return _dedupe(text, options or Options())


def _dedupe(text: str, options: Options, indexed: bool | None = None) -> DedupeResult:
    """:func:`dedupe_text`; ``indexed`` True or False forces the candidate
    index or the comparison of every pair (the equivalence tests run both),
    None chooses by size."""
    layout = split_text(text, options.split)
    if len(layout.paragraphs) >= _SHARED_WORDS_FROM:
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
    paragraphs = layout.paragraphs
    # each distinct paragraph is worked on once (one printed 100,000 times too)
    forms: dict[str, tuple[str, str]] = {}
    for p in paragraphs:
        if p not in forms:
            norm = normalize(p)
            forms[p] = (norm, _undated(p, norm))
    norms = [forms[p][0] for p in paragraphs]
    doc = _Doc(norms, options, [forms[p][1] for p in paragraphs])
    if indexed or (indexed is None and len(norms) >= ALL_PAIRS_BELOW):
        doc.index = CandidateIndex(norms, doc.tokens)

    _sequential_repeats(doc)
    _contained(doc)
    _spare_intentional(doc)
    _extend_runs(doc)
    while _confirm_pending(doc):
        _extend_runs(doc)
    _spare_templates(doc)
    _title(doc)
    _stutters(doc)
    moved: dict[int, int] = {}
    if options.keep == "longest":
        moved = _keep_longest(doc)

    removals = [Removal(i, *doc.drops[i]) for i in sorted(doc.drops)]
    keep = [doc.kept(i) for i in range(len(paragraphs))]
    shown = list(keep)
    for first, longest in moved.items():  # the longest text, in the first copy's place
        shown[first], shown[longest] = True, False
    for i, (found, reason) in doc.pending.items():
        doc.note(i, found[1], reason)
    kept = [Kept(i, *doc.notes[i]) for i in sorted(doc.notes) if keep[i]]
    return DedupeResult(layout.rebuild(shown, moved), paragraphs, removals, layout, kept)


# --- rule 1 and 2: later copies of earlier kept text -------------------------


def _sequential_repeats(doc: _Doc) -> None:
    exact: dict[str, int] = {}
    by_body: dict[str, int] = {}
    kept_long: list[int] = []
    kept_all: list[int] = []
    in_long: set[int] = set()
    position: dict[int, int] = {}  # paragraph -> its place in kept_all
    index = doc.index
    threshold = doc.options.threshold
    for i, norm in enumerate(doc.norms):
        if not doc.is_long(i):
            if norm:
                position[i] = len(kept_all)
                kept_all.append(i)
            continue
        source = exact.get(norm)
        if source is None:
            # the same text but for a dateline or date on the front of one
            source = by_body.get(doc.bodies[i])
        found: tuple[Rule, int, float] | None
        if source is not None:
            found = ("near-duplicate", source, 100.0)
        elif index is not None and index.alone(i, threshold, _MISSING_WORDS):
            found = None  # too much of its text stands nowhere else
            doc.holders[i] = ()  # (rule 3 reads it: nothing holds enough of its words)
        else:
            similar = None if index is None else index.similar(i, threshold, i)
            earlier = kept_long if similar is None else [j for j in similar if j in in_long]
            found = _near_duplicate(doc, i, earlier)
            if found and _holds(doc, i, found[1]):
                # The earlier, shorter copy stands inside this one (a pull
                # quote before its paragraph): rule 3 drops that one instead.
                found = None
            found = found or _covered(doc, i, kept_all, position)
        # (printed twice in a row: the one before is the same text, kept or not)
        stutter = found is not None and norm == doc.norms[i - 1]
        if found and (_is_prose(norm) or found[1] == i - 1 or stutter):
            reason = None if stutter else _held_back(doc, i, found)
            if reason is None:
                doc.drop(i, found)
                continue
            doc.pending[i] = (found, reason)
        if not found:
            exact.setdefault(norm, i)
            by_body.setdefault(doc.bodies[i], i)
        # (A label, list item or heading that comes back is left to the runs,
        # rule 4: on its own it is structure, not an artifact.)
        kept_long.append(i)
        in_long.add(i)
        position[i] = len(kept_all)
        kept_all.append(i)


def _near_duplicate(doc: _Doc, i: int, earlier: Sequence[int]) -> tuple[Rule, int, float] | None:
    """Rule 1: the best earlier kept paragraph at or above the threshold whose
    numbers agree (a copy that gained a dated front still agrees)."""
    norm = doc.norms[i]
    best: tuple[Rule, int, float] | None = None
    for j in earlier:
        score = match.ratio(norm, doc.norms[j], doc.options.threshold)
        if not score or (best is not None and score <= best[2]):
            continue
        if _numbers_agree(norm, doc.norms[j]):
            best = ("near-duplicate", j, score)
        else:
            doc.note(i, j, "numbers differ")
    return best


def _held_back(doc: _Doc, i: int, found: tuple[Rule, int, float]) -> str | None:
    """Why a copy found by rule 1 or 2 is not dropped on its own (it waits
    for a copied run around it, :func:`_confirm_pending`), or None.

    SPEC "parallel structures": two items of two lists (a requirement in two
    job ads, a footnote under two sections) and two paragraphs that differ
    in a word that carries the meaning ("Plan A" / "Plan B", "in women" / "in
    men") are what a template looks like; a copy repeats the distinguishing
    words too."""
    j = found[1]
    if _in_two_lists(doc, j, i):
        return f"parallel lists: the same item as paragraph {j + 1}"
    if found[0] == "near-duplicate" and doc.bodies[i] != doc.bodies[j]:
        differs = _distinguishing(doc.norms[i], doc.norms[j])
        if differs is not None:
            return f"parallel structure: differs from paragraph {j + 1} in {_quote(*differs)}"
    return None


def _spare_templates(doc: _Doc) -> None:
    """Put back copied runs that are the shared part of two blocks of one
    template (SPEC "parallel structures": the same method under two recipes,
    the same items in two plans). Around a real copy the text before and
    after is other text; around a template's shared part, the paragraphs at
    the same places before or after it differ (the recipe's title and
    ingredients) and, further out, agree again (the same "Ingredients:"
    label and items): the two blocks line up across their differences. A
    held-back parallel sentence or heading at the same place as its
    counterpart (the same thanks to another minister, "Plan B menu" over
    "Plan A menu") says the same at once."""
    for first, last, source in _runs(doc):
        if _lines_up_around(doc, first, last, source):
            for k in range(first, last + 1):
                twin = source + k - first + 1
                doc.restore(k, f"parallel structure: the same part of another block as {twin}")


def _runs(doc: _Doc) -> list[tuple[int, int, int]]:
    """Maximal stretches of drops whose sources are consecutive too:
    (first, last, source of first)."""
    runs: list[tuple[int, int, int]] = []
    for k in sorted(doc.drops):
        source = doc.drops[k][1]
        if runs and runs[-1][1] == k - 1 and runs[-1][2] + (k - runs[-1][0]) == source:
            runs[-1] = (runs[-1][0], k, runs[-1][2])
        else:
            runs.append((k, k, source))
    return runs


def _lines_up_around(doc: _Doc, first: int, last: int, source: int) -> bool:
    norms = doc.norms
    n = len(norms)
    shift = first - source
    if shift <= last - first:  # the copy overlaps its source: no two blocks
        return False
    for step, start in ((-1, first - 1), (1, last + 1)):
        differ = False
        for k in range(start, start + step * _TEMPLATE_REACH, step):
            t = k - shift
            if not (0 <= t < n and 0 <= k < n) or (step < 0 and k <= last - shift):
                break  # (walking back, the copy side reached the source block)
            if (step > 0 and t >= first) or not doc.kept(k):
                break  # (a dropped paragraph: more of the copy, not a block's own text)
            if not norms[k] or not norms[t]:
                continue
            held = doc.pending.get(k)
            if held is not None and held[0][1] == t:
                return True  # a parallel sentence at the same place: one template
            if _parallel(doc, k, t):
                return True  # "Plan B menu" where the source has "Plan A menu"
            if norms[k] == norms[t] and not _is_separator(norms[k]):
                if differ:
                    return True
            else:
                differ = True
    return False


def _parallel(doc: _Doc, k: int, t: int) -> bool:
    """Paragraphs ``k`` and ``t`` are one line of a template written twice:
    near-duplicates that differ in a word that carries the meaning."""
    a, b = doc.norms[k], doc.norms[t]
    if a == b or not match.ratio(a, b, doc.options.threshold):
        return False
    return _distinguishing(a, b) is not None


def _in_two_lists(doc: _Doc, j: int, i: int) -> bool:
    """Paragraphs ``j`` < ``i`` are items of two lists: both carry a list
    marker and a heading (a short line that is no list item) stands between
    them, so they belong to two sections."""
    norms = doc.norms
    if not (_is_list_item(norms[i]) and _is_list_item(norms[j])):
        return False
    return any(
        norms[k] and not _is_list_item(norms[k]) and not _is_prose(norms[k])
        for k in range(j + 1, i)
    )


def _confirm_pending(doc: _Doc) -> bool:
    """Drop the held-back copies that sit in a copied run: a neighbour was
    dropped as a copy of the source's neighbour, and that run holds a copy
    of a full paragraph of prose (a doubled body with a few words edited),
    not only headings or other held-back copies (a template: same headings,
    different plans). True when anything was dropped."""
    changed = False
    for i, (found, _reason) in sorted(doc.pending.items()):
        if not doc.kept(i) or not _in_copied_run(doc, i, found[1]):
            continue
        if found[0] == "near-duplicate":
            family = _family_size(doc, i)
            if family >= 3:  # one of several reports closed the same way
                doc.note(i, found[1], f"formula line: one of {family} similar lines")
                continue
        if doc.drop(i, found):
            del doc.pending[i]
            changed = True
    return changed


def _in_copied_run(doc: _Doc, i: int, source: int) -> bool:
    n = len(doc.norms)
    for step in (-1, 1):
        m, t = i + step, source + step
        while 0 <= m < n and m != source:
            drop = doc.drops.get(m)
            if drop is not None and drop[1] == t:
                if doc.is_prose(m):
                    return True
            elif not (m in doc.pending and doc.pending[m][0][1] == t):
                break
            m, t = m + step, t + step
    return False


def _distinguishing(a: str, b: str) -> tuple[str, str] | None:
    """The first words of ``a`` (the later copy) that differ from ``b``
    other than by a typo or a split word, or None: a copy with a slip of the
    keyboard, or one that only lacks words of ``b``, is a copy; one with
    other words may be a parallel sentence. A single changed word
    in a paragraph of :data:`_EDIT_WORDS` words or more is taken for an edit."""
    words_a, words_b = _WORD.findall(a), _WORD.findall(b)
    real = [
        (xs, ys)
        for xs, ys in match.word_edits(words_a, words_b)
        if xs  # (words ``a`` only lacks lose nothing: ``b`` still has them)
        and "".join(xs) != "".join(ys)
        and not (len(xs) == len(ys) and all(map(match.typo, xs, ys)))
    ]
    if not real:
        return None
    xs, ys = real[0]
    one_word = len(real) == 1 and len(xs) == len(ys) == 1
    if one_word and min(len(words_a), len(words_b)) >= _EDIT_WORDS:
        return None
    return " ".join(xs), " ".join(ys)


def _quote(a: str, b: str) -> str:
    """Two differing stretches for a reader: "'women' / 'men'"."""
    return f"{a[:40]!r} / {b[:40]!r}" if a and b else repr((a or b)[:40])


def _covered(
    doc: _Doc, i: int, earlier: Sequence[int], position: dict[int, int]
) -> tuple[Rule, int, float] | None:
    """Rule 2: the paragraph stands inside earlier kept text: inside one
    paragraph (a copy split in two: at least 60 characters, as for rule 3,
    unless it continues a copy of that paragraph), sentence by sentence
    inside one paragraph (a pull quote that left out the attribution between
    its sentences), or across consecutive kept paragraphs (a copy in which
    they were merged)."""
    if not doc.tokens[i]:
        return None
    search: _WindowSearch | None = None
    starts: Iterable[int] = range(len(earlier))
    if doc.index is not None:
        hits = doc.index.covering(i, _MISSING_WORDS)
        if not hits.counts:  # no paragraph holds enough of its words (the common case)
            doc.holders[i] = ()
            return None
        doc.holders[i] = hits.anchors() or ()
        search = _WindowSearch(doc, i, hits)
        starts = search.starts(earlier, position)
        if not starts:
            return None
    core = doc.norms[i].strip(_EDGE_PUNCT)
    toks = frozenset(doc.tokens[i])
    for pos in starts:
        j = earlier[pos]
        for width in range(1, _MAX_MERGED + 1):
            window = earlier[pos : pos + width]
            if len(window) < width or window[-1] - window[0] >= 2 * width + 2:
                break
            if width == 1 and len(core) < CONTAINED_MIN_LENGTH and not _continues(doc, i, j):
                continue
            if search is not None and not search.may_pass(window):
                continue
            covered = set().union(*(doc.tokens[k] for k in window))
            if len(toks - covered) > _MISSING_WORDS * len(toks):
                continue
            text = " ".join(doc.norms[k] for k in window)
            if len(text) < len(core):
                continue
            found = _inside(core, text, doc.options.threshold)
            if found is None and width == 1:
                found = _sentences_inside(core, text, doc.options.threshold)
            if found is not None:
                if width > 1 and not _spans_parts(found, doc.norms, window):
                    continue
                return ("covered", j, found.score)
    return None


class _WindowSearch:
    """Rule 2 with the index: which windows of kept paragraphs to try, in
    the order the comparison of every window would try them, and a quick
    form of the token prefilter from the words each member lacks."""

    def __init__(self, doc: _Doc, i: int, hits: Hits) -> None:
        self.doc = doc
        self.hits = hits
        self.toks = frozenset(doc.tokens[i]) if hits.counts else frozenset()
        self.allowed = max_missing(len(self.toks), _MISSING_WORDS)
        self.lacking: dict[int, frozenset[str]] = {}

    def lacks(self, k: int) -> frozenset[str]:
        """The paragraph's words that ``k`` does not hold."""
        found = self.lacking.get(k)
        if found is None:
            found = self.lacking[k] = self.toks.difference(self.doc.tokens[k])
        return found

    def starts(self, earlier: Sequence[int], position: dict[int, int]) -> list[int]:
        """Places in ``earlier`` where a window holding an anchor starts."""
        anchors = [k for k in self.hits.anchors(_MAX_MERGED) if k in position]
        if not self.hits.exact:
            # the rare-word search: the anchor is the main source of the
            # text, holding at least its share of the words
            most = len(self.toks) - -(-(len(self.toks) - self.allowed) // _MAX_MERGED)
            anchors = [k for k in anchors if len(self.lacks(k)) <= most]
        reach = _MAX_MERGED - 1
        places = [a for a in map(position.__getitem__, anchors) if self._near(earlier, a, reach)]
        return sorted({p for a in places for p in range(max(0, a - reach), a + 1)})

    def _near(self, earlier: Sequence[int], a: int, reach: int) -> bool:
        """Whether the kept paragraphs around place ``a`` (every window
        through it lies among them) hold enough of the words between them."""
        missing = self.lacks(earlier[a])
        tokens = self.doc.tokens
        for p in range(max(0, a - reach), min(len(earlier), a + reach + 1)):
            if len(missing) <= self.allowed:
                return True
            if p != a:  # (what it lacks of the words ``earlier[p]`` lacks too)
                missing = missing.difference(tokens[earlier[p]])
        return len(missing) <= self.allowed

    def may_pass(self, window: Sequence[int]) -> bool:
        """The token prefilter: the window's members between them lack at
        most the allowed share of the paragraph's words."""
        if not self.hits.passes(window):
            return False
        missing = self.lacks(window[0])
        for k in window[1:]:
            if len(missing) <= self.allowed:
                break
            missing = missing.intersection(self.lacks(k))
        return len(missing) <= self.allowed


def _sentences_inside(core: str, text: str, threshold: float) -> match.Alignment | None:
    """Every sentence of ``core`` (two or more, none tiny) stands inside
    ``text``; the alignment returned spans them all, the score is the worst."""
    sentences = [s.strip(_EDGE_PUNCT) for s in _SENTENCE_BREAK.split(core)]
    if len(sentences) < 2 or min(len(s) for s in sentences) < _MIN_SENTENCE:
        return None
    spans = []
    for sentence in sentences:
        found = _inside(sentence, text, threshold)
        if found is None:
            return None
        spans.append(found)
    return match.Alignment(
        min(a.score for a in spans), min(a.start for a in spans), max(a.end for a in spans)
    )


def _holds(doc: _Doc, i: int, j: int) -> bool:
    """Paragraph ``i`` is longer than ``j`` and ``j`` stands inside it."""
    inner = doc.norms[j].strip(_EDGE_PUNCT)
    if len(doc.norms[i]) <= len(doc.norms[j]) or len(inner) < CONTAINED_MIN_LENGTH:
        return False
    found = _inside(inner, doc.norms[i], _VERBATIM)
    if found is None:
        return False
    # only a dateline glued to the front: a copy (rule 1), not a teaser
    after = doc.norms[i][found.end :].strip(_EDGE_PUNCT)
    return not (found.start <= _PREFIX_NUMBERS_SPAN and not after)


def _continues(doc: _Doc, i: int, j: int) -> bool:
    """The paragraph before ``i`` was dropped as a copy of ``j`` or of the
    one just before it: ``i`` is the next piece of a re-split copy."""
    previous = doc.drops.get(i - 1)
    return previous is not None and j - 1 <= previous[1] <= j


def _spans_parts(found: match.Alignment, norms: list[str], window: Sequence[int]) -> bool:
    """A merged copy takes in every paragraph of its window: the inner ones
    whole, the first and last at least in part (a copy re-split at another
    sentence may start or end inside them), not just a few letters."""
    start = 0
    for pos, k in enumerate(window):
        end = start + len(norms[k])
        overlap = min(end, found.end) - max(start, found.start)
        if 0 < pos < len(window) - 1:
            needed = 0.9 * (end - start)
        else:
            needed = min(0.5 * (end - start), 20)
        if overlap < needed:
            return False
        start = end + 1  # the joining space
    return True


# --- rule 3: teasers and pull quotes, in either order -------------------------


def _contained(doc: _Doc) -> None:
    """Rule 3: a paragraph of at least 60 characters that stands
    (near-)verbatim inside a longer paragraph is dropped, even when it comes
    first; the longer paragraph stays. Longest first, so a source is never a
    paragraph that is dropped later."""
    norms = doc.norms
    order = sorted(range(len(norms)), key=lambda k: (-len(norms[k]), k))
    rank = {k: r for r, k in enumerate(order)}
    shortest = max(CONTAINED_MIN_LENGTH, doc.options.min_length)
    for i in order:
        if not doc.kept(i):
            continue
        core = norms[i].strip(_EDGE_PUNCT)
        if len(core) < shortest:
            continue
        longer: Iterable[int] = order
        if doc.index is not None:
            # the paragraphs that may hold enough of its words, longest first
            anchors = doc.holders.pop(i, None)
            if anchors is None:
                anchors = doc.index.covering(i, _MISSING_WORDS).anchors()
            if not anchors:
                continue
            longer = sorted(anchors, key=rank.__getitem__)
        toks = frozenset(doc.tokens[i])
        best: tuple[Rule, int, float] | None = None
        for j in longer:
            if len(norms[j]) < len(norms[i]) + _CONTAINED_EXTRA:
                break
            if not doc.kept(j) or len(toks.difference(doc.tokens[j])) > _MISSING_WORDS * len(toks):
                continue
            found = _inside(core, norms[j], _contained_threshold(doc.options.threshold))
            if found is None or (best is not None and found.score <= best[2]):
                continue
            if _is_list_item(norms[i]) and _is_list_item(norms[j]):
                doc.note(i, j, f"parallel lists: an item inside paragraph {j + 1}, another list's")
            elif _is_code(norms[j]):
                doc.note(i, j, f"quoted in the code of paragraph {j + 1}")
            elif not (_is_quotation(norms[i]) or _starts_sentence(norms[j], found.start)):
                doc.note(i, j, f"a title or label echoed inside paragraph {j + 1}")
            else:
                best = ("contained", j, found.score)
        if best:
            doc.drop(i, best)


def _contained_threshold(threshold: float) -> float:
    """Rule 3 asks for (near-)verbatim: halfway from the threshold to 100
    (95 at the default 90), since a teaser is quoted, not retold."""
    return threshold + (100 - threshold) / 2


# --- intentional repetition ----------------------------------------------------


def _spare_intentional(doc: _Doc) -> None:
    """Put back repeats that look intentional (SPEC: structure, not a word
    list). A scraper artifact comes back as a copied run or as a single
    stray copy; what recurs three or more times as lone copies with other
    text in between is a refrain, a formula or a label, and a near-copy in a
    family of three or more similar paragraphs is a formula line that differs
    by a name or a word."""
    groups: dict[int, list[int]] = {}
    for i, (_rule, source, _score) in doc.drops.items():
        groups.setdefault(source, []).append(i)
    for source, copies in groups.items():
        for recurring in _same_text_clusters(doc, sorted(copies)):
            # the source and two or more lone copies of one text, each with
            # other text between it and the next
            members = {source, *recurring}
            if any(k - 1 in members for k in members):
                continue
            if len(recurring) >= 2 and not any(_in_run(doc, k) for k in recurring):
                for k in recurring:
                    doc.restore(k, f"refrain: {len(recurring) + 1} copies at different places")
    for i, (rule, _source, score) in list(doc.drops.items()):
        if rule == "near-duplicate" and score < 100:
            family = _family_size(doc, i)
            if family >= 3:
                doc.restore(i, f"formula line: one of {family} similar lines")


def _same_text_clusters(doc: _Doc, copies: list[int]) -> list[list[int]]:
    """Copies of one source grouped by being the same text as each other
    (the pieces of a split paragraph share a source but are not one text)."""
    clusters: list[list[int]] = []
    for k in copies:
        for cluster in clusters:
            if match.ratio(doc.norms[k], doc.norms[cluster[0]], doc.options.threshold):
                cluster.append(k)
                break
        else:
            clusters.append([k])
    return clusters


def _family_size(doc: _Doc, i: int) -> int:
    """How many different texts are similar to paragraph ``i`` (itself
    included). Exact copies do not count twice, so the answer is the same
    once they are removed, and a second run changes nothing more."""
    norm = doc.norms[i]
    family = {norm}
    similar = None
    if doc.index is not None:  # asked for a few paragraphs only: a wide search
        similar = doc.index.similar(i, _FAMILY_RATIO, budget=WIDE_BUDGET)
    for k in range(len(doc.norms)) if similar is None else similar:
        other = doc.norms[k]
        if doc.is_long(k) and other not in family and match.ratio(norm, other, _FAMILY_RATIO):
            family.add(other)
    return len(family)


def _in_run(doc: _Doc, k: int) -> bool:
    """A dropped paragraph whose neighbour copies the paragraph next to its
    source: part of a copied block, not a lone recurrence."""
    source = doc.drops[k][1]
    n = len(doc.norms)
    for step in (-1, 1):
        m, t = k + step, source + step
        if not (0 <= m < n and 0 <= t < n) or m == source or t == k:
            continue
        other = doc.drops.get(m)
        if other is not None and other[1] == t:
            return True
        if doc.kept(t) and doc.norms[m] and _copy_of(doc, m, t):
            return True
    return False


# --- rule 4: short paragraphs inside a repeated run ---------------------------


def _extend_runs(doc: _Doc) -> None:
    """Paragraphs of any length that sit inside a run of copies go with it:
    subheads, step numbers and credits between copied paragraphs, and the
    pieces of a paragraph that the copy split in two.

    From each drop the run is walked outwards while the next paragraph copies
    the paragraph next to the source. The stretch is dropped when it closes
    on another drop of the same run, or when it makes the run at least two
    paragraphs long: a copied block, not a lone paragraph.
    """
    changed = bool(doc.drops)  # every run grows from a drop
    norms = doc.norms
    # (only a paragraph equal to the one before it can be a stutter)
    doubled = [m for m in range(1, len(norms)) if norms[m] == norms[m - 1]]
    while changed:
        changed = False
        for k in sorted(doc.drops):
            for step in (-1, 1):
                if k not in doc.drops:
                    break
                if _walk_run(doc, k, step) or _take_piece(doc, k, step):
                    changed = True
        for m in doubled:
            if _take_stutter(doc, m):
                changed = True


def _walk_run(doc: _Doc, k: int, step: int) -> bool:
    n = len(doc.norms)
    source = doc.drops[k][1]
    stretch: list[tuple[int, int]] = []
    m, t = k + step, _next_kept(doc, source, step)
    # the source side stays clear of the copy side (k itself and the stretch)
    while 0 <= m < n and 0 <= t < n and doc.kept(m) and (t < k if step > 0 else t != m):
        if not doc.norms[m]:
            break
        if not _copy_of(doc, m, t):
            break
        stretch.append((m, t))
        m, t = m + step, _next_kept(doc, t, step)
    if not stretch:
        return False
    closing = doc.drops.get(m)
    bracketed = closing is not None and closing[1] == t
    if not bracketed and _run_length(doc, k, -step) + len(stretch) < 2:
        return False
    taken = [doc.drop(m, ("run", t, 100.0)) for m, t in stretch]
    return any(taken)


def _next_kept(doc: _Doc, t: int, step: int) -> int:
    """The next paragraph from ``t`` that is not itself a dropped copy: the
    source side of a run reads the document as it will be printed."""
    t += step
    if t not in doc.drops:
        return t
    skips = doc.skips[step < 0]
    crossed = []
    while t in doc.drops:
        crossed.append(t)
        t = skips.get(t, t + step)
    for c in crossed:  # (path compression: the next walk jumps)
        skips[c] = t
    return t


def _take_stutter(doc: _Doc, m: int) -> bool:
    """Every item printed twice in a row (caption, caption, credit, credit):
    a short paragraph that repeats the one just before it goes when the item
    before or after it was doubled the same way."""
    if m < 1 or not doc.kept(m) or not doc.kept(m - 1) or doc.norms[m] != doc.norms[m - 1]:
        return False
    if _is_separator(doc.norms[m]):
        return False
    before = doc.drops.get(m - 2)
    after = doc.drops.get(m + 2)
    if (before is not None and before[1] == m - 3) or (after is not None and after[1] == m + 1):
        return doc.drop(m, ("run", m - 1, 100.0))
    return False


def _take_piece(doc: _Doc, k: int, step: int) -> bool:
    """The neighbour of a dropped copy is a verbatim piece of the same source
    paragraph: the copy was split there (sentence-split re-paste)."""
    m = k + step
    if m not in range(len(doc.norms)) or not doc.kept(m):
        return False
    rule, source, _score = doc.drops[k]
    if rule != "covered" and _run_length(doc, k, 1) + _run_length(doc, k, -1) < 3:
        return False
    piece = doc.norms[m].strip(_EDGE_PUNCT)
    if len(piece) < 8:
        return False
    # a piece of the same source, or of the paragraph next to it in the run
    for whole in (source, _next_kept(doc, source, step)):
        if 0 <= whole < len(doc.norms) and whole != m and piece in doc.norms[whole]:
            return doc.drop(m, ("covered", whole, 100.0))
    return False


def _copy_of(doc: _Doc, k: int, source: int) -> bool:
    """Inside a run, a paragraph is a copy of the one at its source position
    when the two are the same text, near-duplicates, or the same text with a
    dateline or date glued to the front of one of them."""
    a, b = doc.norms[k], doc.norms[source]
    if a == b or doc.bodies[k] == doc.bodies[source]:
        return True
    if not (match.ratio(a, b, doc.options.threshold) and _numbers_agree(a, b)):
        return False
    # "Menu for Plan A" / "Menu for Plan B": a template, where the run ends
    return _distinguishing(a, b) is None


def _run_length(doc: _Doc, k: int, step: int) -> int:
    """How many drops with consecutive sources run from ``k`` in ``step``
    direction."""
    length = 0
    prev_source: int | None = None
    while k in doc.drops:
        source = doc.drops[k][1]
        if prev_source is not None and source != prev_source + step:
            break
        length += 1
        prev_source = source
        k += step
    return length


# --- rules 4 and 5: a line printed twice, a headline printed again --------------


def _stutters(doc: _Doc) -> None:
    """Rule 4: a paragraph identical to the one right before it goes
    (a headline, byline, caption or heading printed twice by a responsive
    layout), whatever its length. Stay: markers and values (no letters, or
    one word: "***", "12", "Yes", "Reply", "Share"), list items (a column of
    equal values, a footnote citing the same page), code lines, and a line
    that recurs elsewhere in the document too (a credit under every image,
    a refrain, a speaker label). A two-word line goes only when its words
    stand elsewhere in the text: a heading names what the text is about,
    while a page control ("Location details") is about the page."""
    norms = doc.norms
    # (as the output will read: what was dropped is not there)
    kept = [k for k, norm in enumerate(norms) if norm and doc.kept(k)]
    pairs = [(b, m) for b, m in zip(kept, kept[1:], strict=False) if norms[b] == norms[m]]
    if not pairs:  # (most documents)
        return
    counts = Counter(norms[k] for k in kept)
    for before, m in pairs:
        norm = norms[m]
        if counts[norm] != 2:
            continue
        if _is_separator(norm) or _is_list_item(norm) or _is_code(norm):
            continue
        words = norm.split()
        if len(words) < 2:
            continue
        if len(words) == 2 and not _named_elsewhere(norms, before, m, words):
            continue
        doc.drop(m, ("stutter", before, 100.0))


def _named_elsewhere(norms: Sequence[str], before: int, m: int, words: Sequence[str]) -> bool:
    """Every word of the line (of three letters or more) stands in another
    paragraph of the document."""
    wanted = {w for w in _WORD.findall(" ".join(words)) if len(w) >= 3}
    if not wanted:
        return False
    for k, other in enumerate(norms):
        if k not in (before, m) and wanted:
            wanted.difference_update(_WORD.findall(other))
    return not wanted


def _title(doc: _Doc) -> None:
    """Rule 5: the document's first paragraph, its headline, printed again
    within the next :data:`_TITLE_REACH` paragraphs with only a byline, a
    date, a caption or one standfirst between: the later copy goes. A label
    (ending in a colon) over a block of its own, and a line that comes back
    more than once, are structure and stay."""
    norms = doc.norms
    first = next((k for k, n in enumerate(norms) if n), None)
    if first is None or not doc.kept(first):
        return
    title = norms[first]
    if (
        len(title.split()) < 2
        or title.rstrip().endswith(":")
        or _is_list_item(title)
        or _is_separator(title)
    ):
        return
    copies = [k for k, n in enumerate(norms) if k != first and n == title and doc.kept(k)]
    if len(copies) != 1:
        return
    j = copies[0]
    if j - first > _TITLE_REACH or not doc.kept(j):
        return
    between = [k for k in range(first + 1, j) if norms[k]]
    prose = [k for k in between if doc.is_prose(k)]
    if len(prose) > 1 or any(len(norms[k]) >= _STANDFIRST_MAX for k in prose):
        return
    doc.drop(j, ("title", first, 100.0))


# --- --keep longest ------------------------------------------------------------


def _keep_longest(doc: _Doc) -> dict[int, int]:
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
    # the drops naming each source, in the order of doc.drops (kept up to
    # date below, so finding them is not a scan of every drop per group)
    naming: dict[int, dict[int, None]] = {}
    for k, (_rule, src, _score) in doc.drops.items():
        naming.setdefault(src, {})[k] = None

    def drop(k: int, decision: tuple[Rule, int, float]) -> None:
        if doc.drop(k, decision):
            naming.setdefault(decision[1], {})[k] = None

    for source, copies in sorted(groups.items()):
        best = max([source, *copies], key=lambda k: (len(doc.norms[k]), -k))
        if best == source:
            continue
        pointing = {k: doc.drops[k] for k in naming.pop(source, {})}
        for k in pointing:
            doc.restore(k)
        drop(source, ("near-duplicate", best, pointing[best][2]))
        for k, (rule, _src, score) in pointing.items():
            if k != best:
                drop(k, (rule, best, score))
        if not doc.kept(source) and doc.kept(best):
            moved[source] = best
    return moved


# --- helpers -------------------------------------------------------------------


def _undated(paragraph: str, norm: str) -> str:
    """The comparison form of ``paragraph`` without a dateline or a date on
    its front ("LONDON (Reuters) - ", "FREIBURG, 03.05.2024 (dpa) - ",
    "26.01.2022Strava ..."); ``norm`` when it has none. A front counts when it
    is short and carries a date, an agency in parentheses or a capitalized
    place name, so a speaker label such as "Anna: ..." is not taken for one."""
    text = paragraph.lstrip()
    taken = 0
    while _may_have_front(text):
        found = _DATELINE.match(text)
        if not found or taken + found.end() > _PREFIX_NUMBERS_SPAN + 5:
            break
        front = found.group()
        marked = any(c.isdigit() for c in front) or "(" in front or _has_caps_word(front)
        # unmarked: only a short place name before a dash, or an agency after a place
        if not marked and not ((found.group("dash") or taken) and len(front.split()) <= 3):
            break
        text = text[found.end() :]
        taken += found.end()
    return normalize(text) if taken else norm


def _may_have_front(text: str) -> bool:
    """A quick test that :data:`_DATELINE` may match: its date starts the
    text with a digit or a non-letter, and its other fronts end in a dash or
    a colon within the first 42 characters."""
    first = text[:1]
    if not first.isalnum() or first.isdecimal():
        return True
    head = text[:42]
    return "-" in head or ":" in head or "\u2013" in head or "\u2014" in head


def _has_caps_word(text: str) -> bool:
    return any(len(w) >= 3 and w.isupper() for w in text.split())


def _is_separator(norm: str) -> bool:
    r"""No letter or digit at all (``[^\W_]`` is exactly ``str.isalnum``)."""
    return _ALNUM.search(norm) is None


def _is_list_item(norm: str) -> bool:
    """Starts with a list marker: "- ", "* ", "•", "**", "1. ", "b) "."""
    return _LIST_ITEM.match(norm) is not None


def _is_code(norm: str) -> bool:
    """A line of program code or markup: it ends in a statement or block
    mark, starts with a tag or a closing bracket, or holds a comment or the
    end of a call."""
    text = norm.strip()
    return (
        text[-1:] in (";", "{", "}", "(", "[")
        or text[:1] in ("<", "}", "]")
        or any(mark in text for mark in ("//", "/*", ");", "};"))
    )


def _starts_sentence(text: str, start: int) -> bool:
    """Whether ``text`` has a sentence (or a quotation, a list item, a
    clause after a colon or a dash) begin at ``start``: a teaser or pull
    quote repeats whole sentences, while a title or a label echoed inside
    one does not stand on its own there."""
    head = text[:start].rstrip().rstrip("\"'\u201c\u201d\u2018\u2019\u00ab\u00bb([")
    return not head or head[-1] in _SENTENCE_ENDS or head[-1] in ":;-\u2013\u2014|*\u2022"


def _is_quotation(norm: str) -> bool:
    """Reads as a quoted sentence: it opens with a quotation mark or ends
    with a sentence mark (closing quotes and brackets aside). A title or a
    label does neither."""
    text = norm.strip()
    return text[:1] in "\"'«" or _ends_sentence(text)


def _ends_sentence(norm: str) -> bool:
    """Ends with a sentence mark, closing quotes and brackets aside."""
    return norm.rstrip("\"')]*»”’ ")[-1:] in _SENTENCE_ENDS


def _is_prose(norm: str) -> bool:
    """Reads as prose: ends like a sentence or is long; a bulleted list item
    only when it runs to a paragraph of its own (twice the prose length).
    Other lines are headings, labels, list items and table cells, which
    repeat on purpose; they go only inside a copied run."""
    if norm[:2] in _BULLETS:
        return len(norm) >= 2 * _PROSE_LENGTH
    if len(norm) >= _PROSE_LENGTH:
        return True
    return _ends_sentence(norm)


def _inside(needle: str, haystack: str, threshold: float) -> match.Alignment | None:
    """Where ``needle`` stands (near-)verbatim in ``haystack`` with the same
    numbers, or None."""
    found = match.containment(needle, haystack, threshold)
    if found.score < threshold or found.score == 0:
        return None
    start, end = found.start, found.end
    while start > 0 and haystack[start - 1].isalnum():
        start -= 1
    while end < len(haystack) and haystack[end].isalnum():
        end += 1
    if not _numbers_agree(needle, haystack[start:end]):
        return None
    if found.score < 100 and _distinguishing(needle, haystack[start:end]) is not None:
        return None
    return found


def _numbers_agree(a: str, b: str) -> bool:
    """The numbers guard: both texts carry the same digit runs, except for
    numbers in a dated front ("26.01.2022 ...") that only one of them has."""
    na = [v for _s, _e, v in number_spans(a)]
    nb = [v for _s, _e, v in number_spans(b)]
    if na == nb:
        return True
    longer, shorter, spans = (
        (na, nb, number_spans(a)) if len(na) > len(nb) else (nb, na, number_spans(b))
    )
    extra = len(longer) - len(shorter)
    if extra == 0 or longer[extra:] != shorter:
        return False
    return spans[extra - 1][1] <= _PREFIX_NUMBERS_SPAN


def dated_front(paragraph: str) -> str:
    """The dateline or date that the comparison sets aside on the front of
    ``paragraph`` ("INNSBRUCK, 12.07.2023 (APA) -"), '' when it has none: the
    shortest front whose removal leaves the text :func:`_undated` compares,
    so the views name exactly what the rules ignored."""
    norm = normalize(paragraph)
    body = _undated(paragraph, norm)
    if body == norm:
        return ""
    text = paragraph.lstrip()
    for end in range(1, min(len(text), _PREFIX_NUMBERS_SPAN + 6) + 1):
        if normalize(text[end:]) == body:
            return text[:end].rstrip()
    return ""
