"""Rules 1 to 3 of SPEC section 2: near-duplicate (:func:`near_duplicate`),
covered (:func:`covered`) and contained (:func:`contained`), each in one
function; :func:`sequential_repeats` walks the document and asks rules 1 and 2
of each paragraph in turn."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newsdedupe import match
from newsdedupe.config import CONTAINED_MIN_LENGTH
from newsdedupe.doc import Decision, Doc
from newsdedupe.intent import held_back, introduced
from newsdedupe.keys import Hits, max_missing, surely_missing, words_are_tokens
from newsdedupe.paragraph import (
    EDGE_PUNCT,
    WordRefusal,
    inside,
    is_code,
    is_list_item,
    is_prose,
    is_quotation,
    numbers_agree,
    quote,
    sentences_inside,
    starts_sentence,
    words_of,
)
from newsdedupe.tuning import (
    CONTAINED_EXTRA,
    MAX_MERGED,
    MISSING_WORDS,
    PREFIX_NUMBERS_SPAN,
    VERBATIM,
)


def sequential_repeats(doc: Doc) -> None:
    exact: dict[str, int] = {}
    by_body: dict[str, int] = {}
    kept_long: list[int] = []
    kept_all: list[int] = []
    in_long: set[int] = set()
    position: dict[int, int] = {}  # paragraph -> its place in kept_all
    hoods: dict[int, int] = {}  # place in kept_all -> bloom around it (WindowSearch.starts)
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
            if source is not None and not doc.same_body(i, source):
                source = None  # (another date on the same text: a timeline's entry)
        found: Decision | None
        if source is not None:
            found = Decision("near-duplicate", source, 100.0)
        elif index is not None and index.alone(i, threshold, MISSING_WORDS):
            found = None  # too much of its text stands nowhere else
            doc.holders[i] = ()  # (rule 3 reads it: nothing holds enough of its words)
        else:
            similar = None if index is None else index.similar(i, threshold, i)
            earlier = kept_long if similar is None else [j for j in similar if j in in_long]
            found = near_duplicate(doc, i, earlier)
            if found and holds(doc, i, found.source):
                # The earlier, shorter copy stands inside this one (a pull
                # quote before its paragraph): rule 3 drops that one instead.
                found = None
            found = found or covered(doc, i, kept_all, position, hoods)
        # (printed twice in a row: the one before is the same text, kept or not)
        stutter = found is not None and norm == doc.norms[i - 1]
        if found and (is_prose(norm) or i in doc.wrapped or found.source == i - 1 or stutter):
            reason = None if stutter else held_back(doc, i, found)
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


def near_duplicate(doc: Doc, i: int, earlier: Sequence[int]) -> Decision | None:
    """Rule 1: the best earlier kept paragraph at or above the threshold whose
    numbers agree (a copy that gained a dated front still agrees)."""
    norm = doc.norms[i]
    best: Decision | None = None
    for j in earlier:
        score = match.ratio(norm, doc.norms[j], doc.options.threshold)
        if not score or (best is not None and score <= best.score):
            continue
        if numbers_agree(norm, doc.norms[j]):
            best = Decision("near-duplicate", j, score)
        else:
            doc.note(i, j, "numbers differ")
    return best


def covered(
    doc: Doc,
    i: int,
    earlier: Sequence[int],
    position: dict[int, int],
    hoods: dict[int, int] | None = None,
) -> Decision | None:
    """Rule 2: the paragraph stands inside earlier kept text: inside one
    paragraph (a copy split in two: at least 60 characters, as for rule 3,
    unless it continues a copy of that paragraph), sentence by sentence
    inside one paragraph (a pull quote that left out the attribution between
    its sentences), or across consecutive kept paragraphs (a copy in which
    they were merged). ``hoods``: the blooms around places of ``earlier``,
    kept from one paragraph's search to the next (:class:`WindowSearch`)."""
    if not doc.tokens[i]:
        return None
    search: WindowSearch | None = None
    starts: Iterable[int] = range(len(earlier))
    if doc.index is not None:
        hits = doc.index.covering(i, MISSING_WORDS)
        if not hits.counts:  # no paragraph holds enough of its words (the common case)
            doc.holders[i] = ()
            return None
        doc.holders[i] = containers(doc, i, hits.anchors())
        search = WindowSearch(doc, i, hits, {} if hoods is None else hoods)
        starts = search.starts(earlier, position)
        if not starts:
            return None
    core = doc.norms[i].strip(EDGE_PUNCT)
    toks = frozenset(doc.tokens[i])
    for pos in starts:
        j = earlier[pos]
        for width in range(1, MAX_MERGED + 1):
            window = earlier[pos : pos + width]
            if len(window) < width or window[-1] - window[0] >= 2 * width + 2:
                break
            if width == 1 and len(core) < CONTAINED_MIN_LENGTH and not continues(doc, i, j):
                continue
            if search is not None:
                if not search.may_pass(window):  # (the prefilter below, from the index)
                    continue
            elif len(toks.difference(*(doc.tokens[k] for k in window))) > MISSING_WORDS * len(toks):
                continue
            text = " ".join(doc.norms[k] for k in window)
            if len(text) < len(core):
                continue
            if search is not None and search.refuses(core, text, earlier, pos, width):
                found = None  # (what inside would answer, proved at less cost)
            else:
                found = inside(core, text, doc.options.threshold)
            if found is None and width == 1:
                found = sentences_inside(core, text, doc.options.threshold)
            if found is not None:
                if width > 1 and not spans_parts(found, doc.norms, window):
                    continue
                return Decision("covered", j, found.score)
    return None


class WindowSearch:
    """Rule 2 with the index: which windows of kept paragraphs to try, in
    the order the comparison of every window would try them, and a quick
    form of the token prefilter from the words each member lacks."""

    def __init__(self, doc: Doc, i: int, hits: Hits, hoods: dict[int, int]) -> None:
        self.doc = doc
        self.i = i
        self.hits = hits
        self.toks = frozenset(doc.tokens[i]) if hits.counts else frozenset()
        self.allowed = max_missing(len(self.toks), MISSING_WORDS)
        self.lacking: dict[int, frozenset[str]] = {}
        self.refusal: WordRefusal | None = None
        self.refused: list[tuple[int, int]] = []  # stretches of ``earlier`` refused
        self.tried: set[int] = set()  # the places whose stretch was tried
        self.hoods = hoods
        index = doc.index
        assert index is not None  # (a search is made with the index only)
        self.blooms = index.blooms()
        self.ours = 0 if self.blooms is None else self.blooms[i]

    def surely_lack(self, members: Iterable[int], allowed: int) -> bool:
        """A quick proof that ``members`` between them lack more than
        ``allowed`` of the paragraph's words (False: they may not), from
        the words' blooms (:func:`~newsdedupe.keys.surely_missing`)."""
        if self.blooms is None:
            return False
        held = 0
        for k in members:
            held |= self.blooms[k]
        return surely_missing(self.ours, held) > allowed

    def refuses(
        self, core: str, text: str, earlier: Sequence[int], pos: int, width: int
    ) -> bool:
        """Whether :func:`inside` is sure to refuse ``core`` (the paragraph)
        in ``text``, the window of ``width`` paragraphs at ``pos`` of
        ``earlier`` joined: :func:`~newsdedupe.paragraph.refused_anywhere`
        would turn down every place on the paragraph's words
        (:class:`~newsdedupe.paragraph.WordRefusal`, which also proves it is
        not verbatim there: some word of it is not in the text).

        A refusal holds for every window inside a refused stretch of
        paragraphs (fewer paragraphs hold fewer words), so the stretch of
        every window starting here or at the next two places is tried first,
        and what it refuses is not tried again."""
        if self.blooms is None or not match.proves(core, text, self.doc.options.threshold):
            return False  # (in a short document the alignment's own proofs cost less)
        end = pos + width
        if any(lo <= pos and end <= hi for lo, hi in self.refused):
            return True
        if self.refusal is None:
            self.refusal = WordRefusal(core)
        norms = self.doc.norms
        hi = min(len(earlier), pos + 2 * MAX_MERGED - 1)
        if hi > end and pos not in self.tried:
            self.tried.add(pos)  # (a stretch that is not refused is not tried again)
            stretch = earlier[pos:hi]
            if self.refusal.refuses([norms[k] for k in stretch], self._unheld(stretch)):
                self.refused.append((pos, hi))
                return True
        window = earlier[pos:end]
        return self.refusal.refuses([norms[k] for k in window], self._unheld(window))

    def _unheld(self, members: Sequence[int]) -> set[str] | None:
        """The words of the paragraph's tokens that none of ``members``
        holds: every word of the paragraph that stands in none of them is
        among these (a word stands inside its token, and a token a member
        holds stands in its text). None when the paragraph's tokens are
        not its words (text written without spaces)."""
        norm = self.doc.norms[self.i]
        if not words_are_tokens(norm, norm.split()):
            return None
        missing = self.lacks(members[0])
        for k in members[1:]:
            if not missing:
                break
            missing = missing.intersection(self.lacks(k))
        return {w for token in missing for w in words_of(token)}

    def lacks(self, k: int) -> frozenset[str]:
        """The paragraph's words that ``k`` does not hold."""
        found = self.lacking.get(k)
        if found is None:
            found = self.lacking[k] = self.toks.difference(self.doc.tokens[k])
        return found

    def starts(self, earlier: Sequence[int], position: dict[int, int]) -> list[int]:
        """Places in ``earlier`` where a window holding an anchor starts."""
        most: int | None = None
        if not self.hits.exact:
            # the rare-word search: the anchor is the main source of the
            # text, holding at least its share of the words
            most = len(self.toks) - -(-(len(self.toks) - self.allowed) // MAX_MERGED)
        reach = MAX_MERGED - 1
        places = []
        for k in self.hits.anchors(MAX_MERGED):
            a = position.get(k)
            if a is None:
                continue
            # every window through ``a`` lies among the kept paragraphs around it
            around = earlier[max(0, a - reach) : a + reach + 1]
            if self._hood_lacks(earlier, a, around):  # (the quick proof first)
                continue
            if most is not None and len(self.lacks(k)) > most:
                continue
            if self._near(k, around):
                places.append(a)
        return sorted({p for a in places for p in range(max(0, a - reach), a + 1)})

    def _hood_lacks(self, earlier: Sequence[int], a: int, around: Sequence[int]) -> bool:
        """:meth:`surely_lack` for the paragraphs ``around`` place ``a`` of
        ``earlier``, with their bloom kept for the next paragraph's search
        once they are all there (kept paragraphs are only ever appended)."""
        if self.blooms is None:
            return False
        held = self.hoods.get(a)
        if held is None:
            held = 0
            for k in around:
                held |= self.blooms[k]
            if a + MAX_MERGED - 1 < len(earlier):
                self.hoods[a] = held
        return surely_missing(self.ours, held) > self.allowed

    def _near(self, k: int, around: Sequence[int]) -> bool:
        """Whether the paragraph ``k`` and the kept paragraphs ``around``
        it hold enough of the words between them."""
        missing = self.lacks(k)
        tokens = self.doc.tokens
        for p in around:
            if len(missing) <= self.allowed:
                return True
            if p != k:  # (what it lacks of the words ``p`` lacks too)
                missing = missing.difference(tokens[p])
        return len(missing) <= self.allowed

    def may_pass(self, window: Sequence[int]) -> bool:
        """The token prefilter: the window's members between them lack at
        most the allowed share of the paragraph's words."""
        if not self.hits.passes(window) or self.surely_lack(window, self.allowed):
            return False
        missing = self.lacks(window[0])
        for k in window[1:]:
            if len(missing) <= self.allowed:
                break
            missing = missing.intersection(self.lacks(k))
        return len(missing) <= self.allowed


def holds(doc: Doc, i: int, j: int) -> bool:
    """Paragraph ``i`` is longer than ``j`` and ``j`` stands inside it."""
    inner = doc.norms[j].strip(EDGE_PUNCT)
    if len(doc.norms[i]) <= len(doc.norms[j]) or len(inner) < CONTAINED_MIN_LENGTH:
        return False
    found = inside(inner, doc.norms[i], VERBATIM)
    if found is None:
        return False
    # only a dateline glued to the front: a copy (rule 1), not a teaser
    after = doc.norms[i][found.end :].strip(EDGE_PUNCT)
    return not (found.start <= PREFIX_NUMBERS_SPAN and not after)


def continues(doc: Doc, i: int, j: int) -> bool:
    """The paragraph before ``i`` was dropped as a copy of ``j`` or of the
    one just before it: ``i`` is the next piece of a re-split copy."""
    previous = doc.drops.get(i - 1)
    return previous is not None and j - 1 <= previous.source <= j


def spans_parts(found: match.Alignment, norms: list[str], window: Sequence[int]) -> bool:
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


def contained(doc: Doc) -> None:
    """Rule 3: a paragraph of at least 60 characters that stands
    (near-)verbatim inside a longer paragraph is dropped, even when it comes
    first; the longer paragraph stays. Longest first, so a source is never a
    paragraph that is dropped later."""
    norms = doc.norms
    # longest first, and in document order among equal lengths (a reversed
    # sort keeps the order of equal keys)
    order = sorted(range(len(norms)), key=list(map(len, norms)).__getitem__, reverse=True)
    rank = dict(zip(order, range(len(order)), strict=True))
    shortest = max(CONTAINED_MIN_LENGTH, doc.options.min_length)
    index = doc.index
    for i in order:
        if not doc.kept(i):
            continue
        core = norms[i].strip(EDGE_PUNCT)
        if len(core) < shortest:
            continue
        allowed = MISSING_WORDS * len(doc.tokens[i])
        least = len(norms[i]) + CONTAINED_EXTRA
        longer: Iterable[int] = order
        if index is not None:
            # the paragraphs that may hold it, longest first
            anchors = doc.holders.pop(i, None)
            if anchors is None:
                anchors = containers(doc, i, index.covering(i, MISSING_WORDS).anchors())
            if not anchors:
                continue
            longer = sorted(anchors, key=rank.__getitem__)
        toks = frozenset(doc.tokens[i])
        best: Decision | None = None
        for j in longer:
            if len(norms[j]) < least:
                break
            if not doc.kept(j) or len(toks.difference(doc.tokens[j])) > allowed:
                continue
            found = inside(core, norms[j], contained_threshold(doc.options.threshold))
            if found is None or (best is not None and found.score <= best.score):
                continue
            if is_list_item(norms[i]) and is_list_item(norms[j]):
                doc.note(i, j, f"parallel lists: an item inside paragraph {j + 1}, another list's")
            elif is_code(norms[j]):
                doc.note(i, j, f"quoted in the code of paragraph {j + 1}")
            elif not (is_quotation(norms[i]) or starts_sentence(norms[j], found.start)):
                doc.note(i, j, f"a title or label echoed inside paragraph {j + 1}")
            elif i > j and introduced(doc, i, j):
                doc.note(i, j, f"quoted: introduced by {quote(norms[i - 1], '')}")
            else:
                best = Decision("contained", j, found.score)
        if best:
            doc.drop(i, best)


def containers(doc: Doc, i: int, anchors: Sequence[int]) -> Sequence[int]:
    """Rule 3's candidates for ``i``: of ``anchors`` (the paragraphs that may
    hold enough of its words), in a long document only those long enough
    to contain it (its loop stops at the first shorter one) and not short
    of its words by the blooms' proof; none when ``i`` is too short to be
    contained. Rule 2 keeps these for rule 3 (:attr:`Doc.holders`), so they
    are filtered as they are kept: the anchors of a paragraph whose
    sentences recur all over a long document run to many thousands, the
    candidates to a few."""
    index = doc.index
    blooms = None if index is None else index.blooms()
    if blooms is None or not anchors:
        return anchors or ()
    norms = doc.norms
    if len(norms[i].strip(EDGE_PUNCT)) < max(CONTAINED_MIN_LENGTH, doc.options.min_length):
        return ()  # (rule 3 passes it by)
    least = len(norms[i]) + CONTAINED_EXTRA
    allowed = MISSING_WORDS * len(doc.tokens[i])
    ours = blooms[i]
    return [
        j for j in anchors if len(norms[j]) >= least and surely_missing(ours, blooms[j]) <= allowed
    ]


def contained_threshold(threshold: float) -> float:
    """Rule 3 asks for (near-)verbatim: halfway from the threshold to 100
    (95 at the default 90), since a teaser is quoted, not retold."""
    return threshold + (100 - threshold) / 2
