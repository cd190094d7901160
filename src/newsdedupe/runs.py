"""Copied runs: paragraphs of any length that sit inside a run of copies go
with it (SPEC section 2: short paragraphs go "as part of a repeated run"),
and the pieces of a paragraph that a copy split in two."""

from __future__ import annotations

from newsdedupe import match
from newsdedupe.doc import Decision, Doc
from newsdedupe.paragraph import EDGE_PUNCT, distinguishing, is_separator, numbers_agree


def extend_runs(doc: Doc) -> None:
    """Paragraphs of any length that sit inside a run of copies go with it:
    subheads, step numbers and credits between copied paragraphs, and the
    pieces of a paragraph that the copy split in two.

    From each drop the run is walked outwards while the next paragraph copies
    the paragraph next to the source. The stretch is dropped when it closes
    on another drop of the same run, or when it makes the run at least two
    paragraphs long: a copied block, not a lone paragraph.

    Next to the drop the source side may skip one paragraph (a reviews
    widget printed again with another selection of reviews: heading,
    tagline, then the second review): the walk goes on past it only when
    the next two paragraphs copy the two beyond the skipped one, so three
    paragraphs come back in the source's order and the copy lacks just one.
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
                if walk_run(doc, k, step) or take_piece(doc, k, step):
                    changed = True
            if k in doc.drops and take_interleaved(doc, k):
                changed = True
        for m in doubled:
            if take_stutter(doc, m):
                changed = True


def take_interleaved(doc: Doc, k: int) -> bool:
    """A copy printed again with a paragraph of its own between each two
    copies (an FAQ's answers printed once on their own, then again between
    the questions). From the drop ``k`` every second paragraph is compared
    with the paragraphs after ``k``'s source; the stretch goes when it
    closes on another drop of the same interleaved copy."""
    n = len(doc.norms)
    t = doc.drops[k].source + 1
    m = k + 2
    stretch: list[tuple[int, int]] = []
    while m < n and t < k and doc.kept(m - 1) and not copy_of(doc, m - 1, t):
        closing = doc.drops.get(m)
        if closing is not None:
            if closing.source == t and stretch:
                taken = [doc.drop(c, Decision("run", s, 100.0)) for c, s in stretch]
                return any(taken)
            return False
        if not (doc.kept(t) and doc.norms[m] and copy_of(doc, m, t)):
            return False
        stretch.append((m, t))
        m, t = m + 2, t + 1
    return False


def walk_run(doc: Doc, k: int, step: int) -> bool:
    n = len(doc.norms)
    source = doc.drops[k].source
    stretch: list[tuple[int, int]] = []
    m, t = k + step, next_kept(doc, source, step)
    skipped = False
    # the source side stays clear of the copy side (k itself and the stretch)
    while 0 <= m < n and 0 <= t < n and doc.kept(m) and (t < k if step > 0 else t != m):
        if not doc.norms[m]:
            break
        if not copy_of(doc, m, t):
            beyond = None if stretch or skipped else past_one(doc, t, step)
            if beyond is None:
                break
            skipped, t = True, beyond
            continue
        stretch.append((m, t))
        m, t = m + step, next_kept(doc, t, step)
    if not stretch:
        return False
    if skipped and len(stretch) < 2:
        return False
    closing = doc.drops.get(m)
    bracketed = closing is not None and closing.source == t
    if not bracketed and run_length(doc, k, -step) + len(stretch) < 2:
        return False
    taken = [doc.drop(m, Decision("run", t, 100.0)) for m, t in stretch]
    return any(taken)


def past_one(doc: Doc, t: int, step: int) -> int | None:
    """Where a run's walk goes on when it steps over the source paragraph
    ``t`` (:func:`walk_run`): the next one that stays."""
    return next_kept(doc, t, step)


def next_kept(doc: Doc, t: int, step: int) -> int:
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


def take_stutter(doc: Doc, m: int) -> bool:
    """Every item printed twice in a row (caption, caption, credit, credit):
    a short paragraph that repeats the one just before it goes when the item
    before or after it was doubled the same way."""
    if m < 1 or not doc.kept(m) or not doc.kept(m - 1) or doc.norms[m] != doc.norms[m - 1]:
        return False
    if is_separator(doc.norms[m]):
        return False
    before = doc.drops.get(m - 2)
    after = doc.drops.get(m + 2)
    if (before is not None and before.source == m - 3) or (
        after is not None and after.source == m + 1
    ):
        return doc.drop(m, Decision("run", m - 1, 100.0))
    return False


def take_piece(doc: Doc, k: int, step: int) -> bool:
    """The neighbour of a dropped copy is a verbatim piece of the same source
    paragraph: the copy was split there (sentence-split re-paste)."""
    m = k + step
    if m not in range(len(doc.norms)) or not doc.kept(m):
        return False
    rule, source, _score = doc.drops[k]
    if rule != "covered" and run_length(doc, k, 1) + run_length(doc, k, -1) < 3:
        return False
    piece = doc.norms[m].strip(EDGE_PUNCT)
    if len(piece) < 8:
        return False
    # a piece of the same source, or of the paragraph next to it in the run
    for whole in (source, next_kept(doc, source, step)):
        if 0 <= whole < len(doc.norms) and whole != m and piece in doc.norms[whole]:
            return doc.drop(m, Decision("covered", whole, 100.0))
    return False


def copy_of(doc: Doc, k: int, source: int) -> bool:
    """Inside a run, a paragraph is a copy of the one at its source position
    when the two are the same text, near-duplicates, or the same text with a
    dateline or date glued to the front of one of them."""
    a, b = doc.norms[k], doc.norms[source]
    if a == b or doc.same_body(k, source):
        return True
    if not (match.ratio(a, b, doc.options.threshold) and numbers_agree(a, b)):
        return False
    # "Menu for Plan A" / "Menu for Plan B": a template, where the run ends
    return distinguishing(a, b) is None


def run_length(doc: Doc, k: int, step: int) -> int:
    """How many drops with consecutive sources run from ``k`` in ``step``
    direction."""
    length = 0
    prev_source: int | None = None
    while k in doc.drops:
        source = doc.drops[k].source
        if prev_source is not None and source != prev_source + step:
            break
        length += 1
        prev_source = source
        k += step
    return length


def copied_runs(doc: Doc) -> list[tuple[int, int, int]]:
    """Maximal stretches of drops whose sources are consecutive too:
    (first, last, source of first)."""
    runs: list[tuple[int, int, int]] = []
    for k in sorted(doc.drops):
        source = doc.drops[k].source
        if runs and runs[-1][1] == k - 1 and runs[-1][2] + (k - runs[-1][0]) == source:
            runs[-1] = (runs[-1][0], k, runs[-1][2])
        else:
            runs.append((k, k, source))
    return runs
