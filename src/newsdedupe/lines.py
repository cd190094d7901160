"""Rules 4 (stutter) and 5 (title): short lines printed again, which no
other rule drops on their own."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import groupby

from newsdedupe.doc import Decision, Doc
from newsdedupe.paragraph import (
    EDGE_PUNCT,
    is_code,
    is_list_item,
    is_separator,
    opens_with_label,
    words_of,
)
from newsdedupe.tuning import STANDFIRST_MAX, TITLE_REACH


def stutters(doc: Doc) -> None:
    """Rule 4: a paragraph identical to the one right before it goes
    (a headline, byline, caption or heading printed twice by a responsive
    layout), whatever its length. Stay: markers and values (no letters:
    "***", "12"; a number with its unit: "2 min"), list items (a column of
    equal values, a footnote citing the same page), code lines, a line
    printed three times or more in a row or printed twice in a row at two
    places (a chorus), and a line that stands at three places or more (a
    credit under every image, a refrain, a speaker label; a line printed
    twice in a row stands at one place, so a heading printed twice that
    also heads another section still goes). Short lines go only when they
    name what the text is about: a two-word line when its words stand
    elsewhere in the text, a one-word line when the paragraph under it
    names it (a product's or a person's name over its section), while a
    page control ("Location details", "Reply", "Share", "Related") is about
    the page. A heading printed again with one caption line between goes
    too (:func:`across_a_caption`)."""
    norms = doc.norms
    # (as the output will read: what was dropped is not there)
    kept = [k for k, norm in enumerate(norms) if norm and doc.kept(k)]
    pairs = [(b, m) for b, m in zip(kept, kept[1:], strict=False) if norms[b] == norms[m]]
    across = across_a_caption(doc, kept)
    if not pairs and not across:  # (most documents)
        return
    # A line printed twice in a row stands at one place; one that stands at
    # three places or more is a refrain or a credit, not a stutter.
    groups = [list(group) for _, group in groupby(kept, key=norms.__getitem__)]
    places = Counter(norms[group[0]] for group in groups)
    size = {group[0]: len(group) for group in groups}  # (by the group's first line)
    counts = Counter(norms[k] for k in kept)
    after = dict(zip(kept, kept[1:], strict=False))
    for before, m in pairs:
        norm = norms[m]
        if places[norm] > 2 or counts[norm] > places[norm] + 1 or size.get(before) != 2:
            continue  # (a refrain, a chorus, a column of equal values)
        if names_a_subject(doc, before, m, after.get(m)):
            doc.drop(m, Decision("stutter", before, 100.0))
    for before, m in across:
        if names_a_subject(doc, before, m, after.get(m)):
            doc.drop(m, Decision("stutter", before, 100.0))


def names_a_subject(doc: Doc, before: int, m: int, below: int | None) -> bool:
    """Whether line ``m``, a copy of line ``before``, is a heading, a name
    or a caption that may go as a stutter: not a marker, a value, a list
    item or code, and, when it is one or two words, about the text rather
    than the page (:func:`heads`, :func:`named_elsewhere`)."""
    norm = doc.norms[m]
    if is_separator(norm) or is_list_item(norm) or is_code(norm):
        return False
    words = norm.split()
    if not all(any(c.isalpha() for c in w) for w in words[:2]):
        return False  # a value: "2 min", "12 points"
    if len(words) > 1 and opens_with_label(norm):
        return False  # a label and its value: a credit ("Photo: Lena Dahl"), a source
    if len(words) == 1:
        return heads(doc, norm, below)
    if len(words) == 2:
        return named_elsewhere(doc.norms, before, m, words)
    return True


def across_a_caption(doc: Doc, kept: Sequence[int]) -> list[tuple[int, int]]:
    """Rule 4 across one line: a section's heading printed again with only
    an image's alt text or a caption between the two copies (a tab's label
    over its panel's heading). Both copies stand where a heading stands:
    full prose above the first and under the second; the line between is
    short, no list item, and printed once; the heading is printed only
    these two times and is short (a long line is rule 1's). A tagline
    printed under each of two product names is not at a heading's place
    (a name stands above it, not prose) and stays."""
    norms = doc.norms
    lines = [norms[k] for k in kept]
    places = [j for j in range(1, len(kept) - 3) if lines[j] == lines[j + 2]]
    if not places:  # (most documents: nothing printed again one line apart)
        return []
    counts = Counter(lines)
    found = []
    for j in places:
        above, before, between, m, below = kept[j - 1 : j + 4]
        norm = norms[m]
        if counts[norm] != 2 or counts[norms[between]] != 1:
            continue
        if doc.is_long(m) or doc.is_long(between) or is_list_item(norms[between]):
            continue
        if doc.is_prose(above) and doc.is_prose(below):
            found.append((before, m))
    return found


def heads(doc: Doc, norm: str, below: int | None) -> bool:
    """A one-word line (of three letters or more) is the heading of the
    full paragraph of prose under it: that paragraph names it."""
    word = norm.strip(EDGE_PUNCT)
    if len(word) < 3 or below is None or not doc.is_prose(below):
        return False
    return word in words_of(doc.norms[below])


def named_elsewhere(norms: Sequence[str], before: int, m: int, words: Sequence[str]) -> bool:
    """Every word of the line (of three letters or more) stands in another
    paragraph of the document."""
    wanted = {w for w in words_of(" ".join(words)) if len(w) >= 3}
    if not wanted:
        return False
    for k, other in enumerate(norms):
        if k not in (before, m) and wanted:
            wanted.difference_update(words_of(other))
    return not wanted


def title(doc: Doc) -> None:
    """Rule 5: the document's first paragraph, its headline, printed again
    within the next :data:`TITLE_REACH` paragraphs with only a byline, a
    date, a caption or one standfirst between: the later copy goes. A label
    (ending in a colon) over a block of its own, and a line that comes back
    more than once, are structure and stay. Further down the page, the
    headline printed once more goes when it is long enough to go on its own
    (rule 1; a copy elsewhere must otherwise read as prose, which a
    headline does not); a shorter one stays, as short lines do."""
    norms = doc.norms
    first = next((k for k, n in enumerate(norms) if n), None)
    if first is None or not doc.kept(first):
        return
    title = norms[first]
    if (
        len(title.split()) < 2
        or title.rstrip().endswith(":")
        or is_list_item(title)
        or is_separator(title)
    ):
        return
    copies = [k for k, n in enumerate(norms) if k != first and n == title and doc.kept(k)]
    if len(copies) != 1:
        return
    j = copies[0]
    if j - first > TITLE_REACH:
        # Further down, a headline long enough to go on its own is a rule-1
        # copy: not prose, but a page's headline is no template's heading.
        if doc.is_long(j):
            doc.drop(j, Decision("near-duplicate", first, 100.0))
        return
    between = [k for k in range(first + 1, j) if norms[k]]
    prose = [k for k in between if doc.is_prose(k)]
    if len(prose) > 1 or any(len(norms[k]) >= STANDFIRST_MAX for k in prose):
        return
    doc.drop(j, Decision("title", first, 100.0))
