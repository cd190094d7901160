"""intent.py on its own: the checks that tell intentional repetition from
a copy, asked of a :class:`~newsdedupe.doc.Doc` built by hand."""

from __future__ import annotations

from collections.abc import Iterator

from newsdedupe import Options
from newsdedupe.doc import Doc
from newsdedupe.intent import refrain

CHORUS = "and the river runs on to the sea, and the river runs on to the sea"
VERSE = "The mill stood still the winter the water froze along the whole valley."


def _doc(*norms: str) -> Doc:
    return Doc(list(norms), Options(), list(norms))


class _Counted(list[int]):
    """Copies' places that note which of them were read."""

    def __init__(self, items: list[int]) -> None:
        super().__init__(items)
        self.read: list[int] = []

    def __iter__(self) -> Iterator[int]:
        for k in super().__iter__():
            self.read.append(k)
            yield k


def test_a_chorus_after_each_verse_is_a_refrain() -> None:
    doc = _doc(CHORUS, VERSE, VERSE + " Again.", CHORUS, VERSE + " Once more.", VERSE + "!", CHORUS)
    assert refrain(doc, [3, 6], 0, 0)


def test_copies_without_text_of_their_own_between_are_no_refrain() -> None:
    doc = _doc(CHORUS, VERSE, CHORUS, CHORUS)
    assert not refrain(doc, [2, 3], 0, 0)


def test_a_paragraph_printed_many_times_is_settled_at_its_first_copy() -> None:
    """The answer comes from the first copy that has no text of its own
    before it; the copies after it are not read. It is asked once for each
    copy, so reading them all made a paragraph printed 100,000 times take
    quadratic time (38 s where 2.5 s is linear)."""
    doc = _doc(*[CHORUS] * 6)
    firsts = _Counted([1, 2, 3, 4, 5])
    assert not refrain(doc, firsts, 0, 0)
    assert firsts.read == [1]
