"""Intentional repetition (SPEC section 2): what tells a template, a
refrain or a formula line from an artifact. Copies are held back when they
look like parallel structure, put back when they recur as refrains or formula
families, and confirmed only inside a copied run; copied runs that are the
shared part of two template blocks are put back."""

from __future__ import annotations

from collections.abc import Callable

from newsdedupe import match
from newsdedupe.doc import Decision, Doc
from newsdedupe.index import WIDE_BUDGET
from newsdedupe.normalize import DIGITS
from newsdedupe.paragraph import (
    CLOSING_MARKS,
    EDGE_PUNCT,
    SENTENCE_BREAK,
    distinguishing,
    ends_sentence,
    is_list_item,
    is_prose,
    is_separator,
    one_word_added,
    quote,
)
from newsdedupe.runs import copied_runs, copy_of
from newsdedupe.tuning import (
    CONFIRMING_PROSE,
    FAMILY_RATIO,
    INSERTED_STEPS,
    LABEL_REACH,
    TEMPLATE_REACH,
)


def held_back(doc: Doc, i: int, found: Decision) -> str | None:
    """Why a copy found by rule 1 or 2 is not dropped on its own (it waits
    for a copied run around it, :func:`confirm_pending`), or None.

    SPEC "parallel structures": two items of two lists (a requirement in two
    job ads, a footnote under two sections) and two paragraphs that differ
    in a word that carries the meaning ("Plan A" / "Plan B", "in women" / "in
    men") are what a template looks like; a copy repeats the distinguishing
    words too."""
    j = found.source
    if introduced(doc, i, j):
        return f"quoted: introduced by {quote(doc.norms[i - 1], '')}"
    if in_two_lists(doc, j, i):
        return f"parallel lists: the same item as paragraph {j + 1}"
    if found.rule == "near-duplicate" and not doc.same_body(i, j):
        differs = distinguishing(doc.norms[i], doc.norms[j])
        # (printed again right after with one word put in: a copy edited in
        # place, not the next block of a template)
        if differs is not None and not (j == i - 1 and one_word_added(doc.norms[i], doc.norms[j])):
            return f"parallel structure: differs from paragraph {j + 1} in {quote(*differs)}"
    return None


def introduced(doc: Doc, i: int, j: int) -> bool:
    """Paragraph ``i``, a copy of the earlier ``j``, is introduced by a short
    line ending in a colon that does not introduce ``j`` ("Mira_K said:"
    over the post a forum reply quotes, its quote markup lost): quoted on
    purpose, as the reply's context (LABELING: replies that quote an earlier
    post keep the quote). A box printed twice with its own label ("Editor's
    note:" over both) is a copy, and goes with its run."""
    norms = doc.norms
    if i < 1 or not norms[i - 1].endswith(":") or doc.is_long(i - 1):
        return False
    return j < 1 or norms[j - 1] != norms[i - 1]


def in_two_lists(doc: Doc, j: int, i: int) -> bool:
    """Paragraphs ``j`` < ``i`` are items of two lists: both carry a list
    marker and a heading (a short line that is no list item) stands between
    them, so they belong to two sections."""
    norms = doc.norms
    if not (is_list_item(norms[i]) and is_list_item(norms[j])):
        return False
    return any(
        norms[k] and not is_list_item(norms[k]) and not is_prose(norms[k]) for k in range(j + 1, i)
    )


def confirm_pending(doc: Doc) -> bool:
    """Drop the held-back copies that sit in a copied run: a neighbour was
    dropped as a copy of the source's neighbour, and that run holds copies
    of :data:`~newsdedupe.tuning.CONFIRMING_PROSE` full paragraphs of prose
    (a doubled body with a few words edited), not only headings, other
    held-back copies (a template: same headings, different plans) or the
    one sentence two template blocks share. True when anything was dropped."""
    changed = False
    for i, (found, _reason) in sorted(doc.pending.items()):
        if not doc.kept(i) or not in_copied_run(doc, i, found.source):
            continue
        if found.rule == "near-duplicate":
            family = family_size(doc, i)
            if family >= 3:  # one of several reports closed the same way
                doc.note(i, found.source, f"formula line: one of {family} similar lines")
                continue
        if doc.drop(i, found):
            del doc.pending[i]
            changed = True
    return changed


def in_copied_run(doc: Doc, i: int, source: int) -> bool:
    """Whether the copies next to ``i`` copy the paragraphs next to its
    ``source`` and :data:`~newsdedupe.tuning.CONFIRMING_PROSE` of them are
    full paragraphs of prose. The copy side
    may be interleaved: one paragraph of its own between each two copies
    (the questions of an FAQ printed again between the answers that were
    printed once before on their own)."""
    n = len(doc.norms)

    def copies(m: int, t: int) -> bool | None:
        """True: a prose copy of ``t``; False: a copy; None: no copy."""
        drop = doc.drops.get(m)
        if drop is not None and drop.source == t:
            return doc.is_prose(m)
        if m in doc.pending and doc.pending[m][0].source == t:
            return False
        return None

    prose = 0
    for step in (-1, 1):
        m, t = i + step, source + step
        while 0 <= m < n and m != source:
            found = copies(m, t)
            if found is None and doc.kept(m) and 0 <= m + step < n and m + step != source:
                m += step  # (interleaved: a paragraph of the copy's own)
                found = copies(m, t)
            if found is None:
                break
            if found:
                prose += 1
                if prose >= CONFIRMING_PROSE:
                    return True
            m, t = m + step, t + step
    return False


def spare_intentional(doc: Doc) -> None:
    """Put back repeats that look intentional (SPEC: structure, not a word
    list). A scraper artifact comes back as a copied run or as a single
    stray copy; what recurs three or more times as lone copies with other
    text in between is a refrain, a formula or a label, and a near-copy in a
    family of three or more similar paragraphs is a formula line that differs
    by a name or a word. A lone copy of a one-sentence question is the same
    question put to someone else (:func:`is_question`)."""
    groups: dict[int, list[int]] = {}
    for i, (_rule, source, _score) in doc.drops.items():
        groups.setdefault(source, []).append(i)
    for source, copies in groups.items():
        for recurring in same_text_clusters(doc, sorted(copies)):
            # the source and two or more lone copies of one text, each with
            # other text between it and the next
            members = {source, *recurring}
            if any(k - 1 in members for k in members):
                continue
            if len(recurring) >= 2 and not any(in_run(doc, k) for k in recurring):
                for k in recurring:
                    doc.restore(k, f"refrain: {len(recurring) + 1} copies at different places")
    for i, (_rule, source, _score) in list(doc.drops.items()):
        if i - source > 1 and is_question(doc.norms[i]) and not in_run(doc, i, prose=True):
            doc.restore(i, "the same question asked again")
    for i, (rule, _source, score) in list(doc.drops.items()):
        if rule == "near-duplicate" and score < 100:
            family = family_size(doc, i)
            if family >= 3:
                doc.restore(i, f"formula line: one of {family} similar lines")


def is_question(norm: str) -> bool:
    """One sentence that asks: the same interview question put to two
    people, each answer after it, is intentional (SPEC section 2); a
    question printed again inside a copied run goes with the run."""
    text = norm.rstrip(CLOSING_MARKS)
    return text.endswith("?") and len(SENTENCE_BREAK.split(text)) == 1


def same_text_clusters(doc: Doc, copies: list[int]) -> list[list[int]]:
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


def family_size(doc: Doc, i: int) -> int:
    """How many different texts are similar to paragraph ``i`` (itself
    included). Exact copies do not count twice, so the answer is the same
    once they are removed, and a second run changes nothing more."""
    norm = doc.norms[i]
    family = {norm}
    similar = None
    if doc.index is not None:  # asked for a few paragraphs only: a wide search
        similar = doc.index.similar(i, FAMILY_RATIO, budget=WIDE_BUDGET)
    for k in range(len(doc.norms)) if similar is None else similar:
        other = doc.norms[k]
        if doc.is_long(k) and other not in family and match.ratio(norm, other, FAMILY_RATIO):
            family.add(other)
    return len(family)


def in_run(doc: Doc, k: int, prose: bool = False) -> bool:
    """A dropped paragraph whose neighbour copies the paragraph next to its
    source: part of a copied block, not a lone recurrence. With ``prose``
    the neighbour must be a full paragraph of prose, or the two stretches
    must touch (a question and its short answer printed twice in a row): a
    speaker label ("Q:") over the same question put to two people copies
    its twin too."""
    source = doc.drops[k].source
    n = len(doc.norms)
    for step in (-1, 1):
        m, t = k + step, source + step
        if not (0 <= m < n and 0 <= t < n) or m == source or t == k:
            continue
        if prose and not doc.is_prose(m) and min(k, m) != max(source, t) + 1:
            continue  # (a label; unless the copy follows its source at once)
        other = doc.drops.get(m)
        if other is not None and other.source == t:
            return True
        if doc.kept(t) and doc.norms[m] and copy_of(doc, m, t):
            return True
    return False


def spare_templates(doc: Doc) -> None:
    """Put back copied runs that are the shared part of two blocks of one
    template (SPEC "parallel structures": the same method under two recipes,
    the same items in two plans). Around a real copy the text before and
    after is other text; around a template's shared part, the paragraphs at
    the same places before or after it differ (the recipe's title and
    ingredients) and, further out, agree again (the same "Ingredients:"
    label and items): the two blocks line up across their differences. A
    held-back parallel sentence or heading at the same place as its
    counterpart (the same thanks to another minister, "Plan B menu" over
    "Plan A menu") says the same at once, and so do two parallel headings
    right above the two copies (:func:`parallel_headings`: the same method
    steps under "Carrot soup" and under "Leek soup"): a block is a copy only
    when it also repeats what distinguishes it (SPEC "parallel
    structures"). A later copy of a part already put back is one more block
    of the template; the rest of a shared part after paragraphs that one
    block adds (:data:`~newsdedupe.tuning.INSERTED_STEPS`) is shared too;
    and a run copied at two places or more with text of its own between is
    a refrain (:func:`refrain`)."""
    runs = copied_runs(doc)
    copies: dict[tuple[int, int], list[int]] = {}  # (source, length) -> firsts
    for first, last, source in runs:
        copies.setdefault((source, last - first), []).append(first)
    shared: set[int] = set()  # the source paragraphs of template parts put back
    ends: dict[int, int] = {}  # a template part's source end -> its copy's end
    for first, last, source in runs:
        length = last - first
        sources = range(source, source + length + 1)
        reason = ""
        if refrain(doc, copies[(source, length)], source, length):
            reason = f"refrain: {len(copies[(source, length)]) + 1} copies at different places"
        elif all(t in shared for t in sources):
            reason = "parallel structure: one more block of the template"
        elif not 0 <= first - ends.get(source - 1, -9) - 1 <= INSERTED_STEPS and not (
            lines_up_around(doc, first, last, source)
        ):
            continue
        # (the rest of a template part after a step that one block adds)
        shared.update(sources)
        ends[source + length] = last
        for k in range(first, last + 1):
            twin = source + k - first + 1
            part = f"parallel structure: the same part of another block as {twin}"
            doc.restore(k, reason or part)


def refrain(doc: Doc, firsts: list[int], source: int, length: int) -> bool:
    """Copies of one run of paragraphs at ``firsts`` (its source at
    ``source``, ``length + 1`` paragraphs) are a refrain: two copies or more,
    each after text of its own at least as long as the run (a chorus after
    each stanza), none of it a copy. A block printed three times has no text
    of its own between its copies, or only other copies."""
    if len(firsts) < 2:
        return False
    a = source
    for b in firsts:  # (no list of them made: a paragraph printed 100,000 times has as many)
        between = range(a + length + 1, b)
        if len(between) <= length or not all(doc.kept(k) for k in between):
            return False
        a = b
    return True


def lines_up_around(doc: Doc, first: int, last: int, source: int) -> bool:
    norms = doc.norms
    n = len(norms)
    shift = first - source
    if shift <= last - first:  # the copy overlaps its source: no two blocks
        return False
    for step, start in ((-1, first - 1), (1, last + 1)):
        differ = False
        for k in range(start, start + step * TEMPLATE_REACH, step):
            t = k - shift
            if not (0 <= t < n and 0 <= k < n) or (step < 0 and k <= last - shift):
                break  # (walking back, the copy side reached the source block)
            if (step > 0 and t >= first) or not doc.kept(k):
                break  # (a dropped paragraph: more of the copy, not a block's own text)
            if not norms[k] or not norms[t]:
                continue
            held = doc.pending.get(k)
            if held is not None and held[0].source == t:
                return True  # a parallel sentence at the same place: one template
            if parallel(doc, k, t):
                return True  # "Plan B menu" where the source has "Plan A menu"
            if same_label(doc.norms[k], doc.norms[t]):
                return True  # "Fee: 7,200" where the source has "Fee: 6,500"
            if step < 0 and not differ and parallel_headings(doc, k, t):
                return True  # "Leek soup" over the steps that "Carrot soup" heads
            if norms[k] == norms[t] and not is_separator(norms[k]):
                if differ:
                    return True
            else:
                differ = True
    return framed_alike(doc, first, last, source)


def framed_alike(doc: Doc, first: int, last: int, source: int) -> bool:
    """The copy and its source each sit under the same frame line (a label
    such as "Ingredients:" or "What you will do:", a short line that is not
    prose) with each block's own, different text between that line and the
    shared part: two blocks of one template that do not line up paragraph by
    paragraph (one recipe lists an ingredient more before the method both
    share). Around a real copy the lines above are other text; a copy that
    follows its source directly has no room for a frame of its own.

    Without a shared frame line, the nearest headings above the two (lines
    that end no sentence) may be one line of a template written twice
    (:func:`parallel`: "Call with the minister of Norway" / "… of Chile"):
    the same closing sentence under two such reports stays too. So does a
    shared part that closes the source's block, a heading right after it,
    when each side has a heading of its own (a line that does not read as
    prose) and prose of its own between it and the shared part (two job ads
    ending with the same lines); a run that starts with a heading is a whole
    block copied (a related-article card printed again). Two headings of one
    numbered sequence (:func:`numbered_alike`) say the same as two parallel
    ones."""
    norms = doc.norms
    source_end = source + last - first
    copy_side = _above(first, source_end)
    source_side = _above(source, -1)
    firsts: dict[str, int] = {}
    for t in source_side:
        firsts.setdefault(norms[t], t)
    for k in copy_side:
        if not norms[k] or not doc.kept(k) or norms[k] not in firsts:
            continue
        t = firsts[norms[k]]
        if not _heads(doc, k):
            break  # (the nearest shared line is text, not a frame)
        if norms[k + 1 : first] == norms[t + 1 : source]:
            return False
        # each block under a heading of its own ("Leek soup" / "Carrot soup")
        head_copy = _nearest(doc, _above(k, source_end), _heads)
        head_source = _nearest(doc, _above(t, -1), _heads)
        return (
            head_copy is not None
            and head_source is not None
            and norms[head_copy] != norms[head_source]
        )
    # no shared frame: the nearest headings above are one line of a template
    # written twice ("Call with the minister of Norway" / "… of Chile")
    head_copy = _nearest(doc, copy_side, _titles)
    head_source = _nearest(doc, source_side, _titles)
    if head_copy is None or head_source is None:
        return False
    if parallel(doc, head_copy, head_source) or numbered_alike(
        norms[head_copy], norms[head_source]
    ):
        return True
    # or the shared part closes the source's block, a heading right after
    # it: heading, text of its own, the shared lines, twice
    return (
        not _heads(doc, first)  # (a run that starts with a heading: a whole block)
        and _heads(doc, source_end + 1)
        and _heads(doc, head_copy)
        and _heads(doc, head_source)
        and norms[head_copy] != norms[head_source]
        and _own_prose(doc, head_copy + 1, first)
        and _own_prose(doc, head_source + 1, source)
        and norms[head_copy + 1 : first] != norms[head_source + 1 : source]
    )


def _own_prose(doc: Doc, start: int, end: int) -> bool:
    """Paragraphs ``start`` to ``end`` hold a paragraph of prose."""
    return any(is_prose(doc.norms[k]) for k in range(start, end))


def _above(k: int, floor: int) -> range:
    """The paragraphs above ``k``, nearest first, within
    :data:`~newsdedupe.tuning.TEMPLATE_REACH` and above ``floor``."""
    return range(k - 1, max(floor, k - TEMPLATE_REACH - 1), -1)


def _nearest(doc: Doc, above: range, wanted: Callable[[Doc, int], bool]) -> int | None:
    return next((k for k in above if wanted(doc, k)), None)


def _titles(doc: Doc, k: int) -> bool:
    """Paragraph ``k`` could be a heading of any length: it ends no sentence
    (a numbered one, "1. den – Tábor", too)."""
    norm = doc.norms[k]
    return bool(norm) and not (ends_sentence(norm) or is_separator(norm))


def _heads(doc: Doc, k: int) -> bool:
    """Paragraph ``k`` could head or label a block: a line that does not
    read as prose and is no separator ("Day 2 – Hluboká", "1. den", a
    signature under a notice, a heading in capitals of any length)."""
    norm = doc.norms[k]
    return bool(norm) and not (is_prose(norm) or is_separator(norm))


def numbered_alike(a: str, b: str) -> bool:
    """Two headings of one numbered sequence ("Day 2 – Hluboká" / "Day 3 –
    Krumlov", "1. den" / "2. den", "Version 4.2.0" / "Version 4.1.0"):
    neither reads as prose, their first two words are the same but for the
    numbers in them, and those numbers differ."""
    if a == b or is_prose(a) or is_prose(b):
        return False
    heads = [DIGITS.sub("#", x).split()[:2] for x in (a, b)]
    if heads[0] != heads[1] or "#" not in "".join(heads[0]):
        return False
    return DIGITS.findall(a) != DIGITS.findall(b)


def same_label(a: str, b: str) -> bool:
    """Two lines that are one label with two values ("Fee: 6,500" / "Fee:
    7,200", "Storage: 32 GB" / "Storage: 64 GB"): the slots of one template
    filled twice. Neither reads as prose; the label ends at a colon within
    the first :data:`LABEL_REACH` characters."""
    if a == b or is_prose(a) or is_prose(b):
        return False
    colon = a.find(":", 1, LABEL_REACH)
    return colon > 0 and b[: colon + 1] == a[: colon + 1]


def parallel_headings(doc: Doc, k: int, t: int) -> bool:
    """Paragraphs ``k`` and ``t`` are the headings of two blocks of one
    template ("Carrot soup" / "Leek soup", "Plan A" / "Plan B"): short
    lines, neither prose nor a list item, with as many words as each other,
    some of them shared and some not. A line that only gained or lost words
    ("Sold out" / "Sold out, added!") is a page's label, not a second block's
    heading."""
    a, b = doc.norms[k], doc.norms[t]
    if a == b:
        return False
    for x in (k, t):
        norm = doc.norms[x]
        if doc.is_long(x) or is_prose(norm) or is_list_item(norm) or is_separator(norm):
            return False
    words_a = [w.strip(EDGE_PUNCT) for w in a.split()]
    words_b = [w.strip(EDGE_PUNCT) for w in b.split()]
    return len(words_a) == len(words_b) and not set(words_a).isdisjoint(words_b)


def parallel(doc: Doc, k: int, t: int) -> bool:
    """Paragraphs ``k`` and ``t`` are one line of a template written twice:
    near-duplicates that differ in a word that carries the meaning."""
    a, b = doc.norms[k], doc.norms[t]
    if a == b or not match.ratio(a, b, doc.options.threshold):
        return False
    return distinguishing(a, b) is not None
