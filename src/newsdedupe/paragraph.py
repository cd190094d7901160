"""What one paragraph reads as (prose, list item, code, separator, a
quotation), its dated front, and how two texts compare word by word: the
predicates the rules of :mod:`newsdedupe.rules` and the structural checks of
:mod:`newsdedupe.intent` share. Everything here works on comparison forms
(:func:`~newsdedupe.normalize.normalize`) and knows nothing of a document.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Iterable, Sequence

from newsdedupe import match
from newsdedupe.normalize import DIGITS, normalize, number_spans, wide_count
from newsdedupe.tuning import EDIT_WORDS, MIN_SENTENCE, PREFIX_NUMBERS_SPAN, PROSE_LENGTH

BULLETS = frozenset(["* ", "- ", "• ", "· ", "+ ", "▪ ", "● "])


SENTENCE_ENDS = frozenset(".!?…。！？؟")


WORD = re.compile(r"[^\W_]+")


LIST_ITEM = re.compile(r"(?:[-*•·+▪●◦‣>]+\s*|\(?\d{1,3}[.)]\s+|\(?[a-z][.)]\s+)(?=\S)")
"""A list marker on the front of a paragraph: bullets and footnote stars,
numbers and letters ("1.", "b)")."""


SENTENCE_BREAK = re.compile(r"(?<=[.!?\u2026\u3002\uff01\uff1f])\s+")


DATELINE = re.compile(
    r"[\W_]*\d[\W\d_]*(?=[^\W\d_])"  # a date glued on: "26.01.2022Strava", "03.05.2024 -"
    r"|[^\n]{1,40}?\s(?P<dash>[-\u2013\u2014])\s+"  # ended by a dash: "LONDON (Reuters) - "
    r"|[^\n]{1,40}?:\s+"  # ended by a colon: "BERLIN, 4. Mai:"
)


ALNUM = re.compile(r"[^\W_]")


EDGE_PUNCT = " \"'.,;:!?-()[]*_«»"


def undated(paragraph: str, norm: str) -> str:
    """The comparison form of ``paragraph`` without a dateline or a date on
    its front ("LONDON (Reuters) - ", "FREIBURG, 03.05.2024 (dpa) - ",
    "26.01.2022Strava ..."); ``norm`` when it has none. A front counts when it
    is short and carries a date, an agency in parentheses or a capitalized
    place name, so a speaker label such as "Anna: ..." is not taken for one.
    A number alone on the front ("3 people ...", "2 января", "£64 a week")
    is a count, a price or a day of a schedule, not a date: a date glued on
    has two numbers or more ("26.01.2022"), or a dash or colon after it."""
    text = paragraph.lstrip()
    taken = 0
    while may_have_front(text):
        found = DATELINE.match(text)
        if not found or taken + found.end() > PREFIX_NUMBERS_SPAN + 5:
            break
        front = found.group()
        if not (found.group("dash") or ":" in front[-3:]) and len(DIGITS.findall(front)) < 2:
            break  # one number alone ("3 people", "2 января"): a count or a day, no date
        marked = any(c.isdigit() for c in front) or "(" in front or has_caps_word(front)
        # unmarked: only a short place name before a dash, or an agency after a place
        if not marked and not ((found.group("dash") or taken) and len(front.split()) <= 3):
            break
        text = text[found.end() :]
        taken += found.end()
    return normalize(text) if taken else norm


def dated_front(paragraph: str) -> str:
    """The dateline or date that the comparison sets aside on the front of
    ``paragraph`` ("INNSBRUCK, 12.07.2023 (APA) -"), '' when it has none: the
    shortest front whose removal leaves the text :func:`undated` compares,
    so the views name exactly what the rules ignored."""
    norm = normalize(paragraph)
    body = undated(paragraph, norm)
    if body == norm:
        return ""
    text = paragraph.lstrip()
    for end in range(1, min(len(text), PREFIX_NUMBERS_SPAN + 6) + 1):
        if normalize(text[end:]) == body:
            return text[:end].rstrip()
    return ""


def may_have_front(text: str) -> bool:
    """A quick test that :data:`DATELINE` may match: its date starts the
    text with a digit or a non-letter, and its other fronts end in a dash or
    a colon within the first 42 characters."""
    first = text[:1]
    if not first.isalnum() or first.isdecimal():
        return True
    head = text[:42]
    return "-" in head or ":" in head or "\u2013" in head or "\u2014" in head


def has_caps_word(text: str) -> bool:
    return any(len(w) >= 3 and w.isupper() for w in text.split())


def reaches(norm: str, least: int) -> bool:
    """``norm`` is at least ``least`` characters long, a wide character
    (Chinese, Japanese, Korean: two columns in a terminal) counting as two.
    A sentence in those scripts takes about half the characters of one in
    a Latin script, so a full sentence of prose is not taken for a heading
    by the length that marks one in English."""
    return len(norm) >= least or len(norm) + wide_count(norm) >= least


def is_separator(norm: str) -> bool:
    r"""No letter or digit at all (``[^\W_]`` is exactly ``str.isalnum``)."""
    return ALNUM.search(norm) is None


def is_list_item(norm: str) -> bool:
    """Starts with a list marker: "- ", "* ", "•", "**", "1. ", "b) "."""
    return LIST_ITEM.match(norm) is not None


def is_code(norm: str) -> bool:
    """A line of program code or markup: it ends in a statement or block
    mark, starts with a tag or a closing bracket, or holds a comment or the
    end of a call."""
    text = norm.strip()
    return (
        text[-1:] in (";", "{", "}", "(", "[")
        or text[:1] in ("<", "}", "]")
        or any(mark in text for mark in ("//", "/*", ");", "};"))
    )


def starts_sentence(text: str, start: int) -> bool:
    """Whether ``text`` has a sentence (or a quotation, a list item, a
    clause after a colon or a dash) begin at ``start``: a teaser or pull
    quote repeats whole sentences, while a title or a label echoed inside
    one does not stand on its own there."""
    head = text[:start].rstrip().rstrip("\"'\u201c\u201d\u2018\u2019\u00ab\u00bb([")
    return not head or head[-1] in SENTENCE_ENDS or head[-1] in ":;-\u2013\u2014|*\u2022"


def is_quotation(norm: str) -> bool:
    """Reads as a quoted sentence: it opens with a quotation mark or ends
    with a sentence mark (closing quotes and brackets aside). A title or a
    label does neither."""
    text = norm.strip()
    return text[:1] in "\"'«" or ends_sentence(text)


CLOSING_MARKS = "\"')]*»”’ "
"""What may follow a sentence's last mark: closing quotes and brackets."""


def ends_sentence(norm: str) -> bool:
    """Ends with a sentence mark, closing quotes and brackets aside."""
    return norm.rstrip(CLOSING_MARKS)[-1:] in SENTENCE_ENDS


def opens_with_label(norm: str) -> bool:
    """Opens with a label: the first word ends in a colon ("Photo: Mira
    Stenvik", "Photograph: … all rights reserved")."""
    head = norm.split(" ", 1)[0]
    return len(head) > 1 and head.endswith(":")


def is_prose(norm: str) -> bool:
    """Reads as prose: ends like a sentence or is long; a bulleted list item
    only when it runs to a paragraph of its own (twice the prose length).
    Long counts a wide (Chinese, Japanese, Korean) character as two, as
    ``--min-length`` does. A long line that opens with a label and does not
    end a sentence ("Photograph: … for the Courier, all rights reserved") is
    a label with its value, as a short one is. Other lines are headings, labels, list
    items and table cells, which repeat on purpose; they go only inside a
    copied run."""
    if norm[:2] in BULLETS:
        return len(norm) >= 2 * PROSE_LENGTH
    if ends_sentence(norm):
        return True
    if not reaches(norm, PROSE_LENGTH):  # (a wide character counts two)
        return False
    return not opens_with_label(norm)


def numbers_agree(a: str, b: str) -> bool:
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
    return spans[extra - 1][1] <= PREFIX_NUMBERS_SPAN


def inside(needle: str, haystack: str, threshold: float) -> match.Alignment | None:
    """Where ``needle`` stands (near-)verbatim in ``haystack`` with the same
    numbers, or None."""
    found = match.containment(needle, haystack, threshold, refused_anywhere)
    if found.score < threshold or found.score == 0:
        return None
    start, end = found.start, found.end
    while start > 0 and haystack[start - 1].isalnum():
        start -= 1
    while end < len(haystack) and haystack[end].isalnum():
        end += 1
    if not numbers_agree(needle, haystack[start:end]):
        return None
    if found.score < 100 and distinguishing(needle, haystack[start:end]) is not None:
        return None
    return found


def refused_anywhere(needle: str, haystack: str) -> bool:
    """True when :func:`inside` would refuse ``needle`` at whatever place of
    ``haystack`` an alignment found it (not verbatim, so scoring under 100):
    a proof that costs a small part of the alignment.

    The place is whole words of ``haystack`` (:func:`inside` widens it to
    word ends), so its digit runs are a run of the haystack's, and its words
    a run of the haystack's words. The numbers guard refuses every place
    when the needle's numbers, but for those of a dated front, are no run of
    the haystack's. :func:`distinguishing` refuses every place when the
    needle has a word that no place can pair off: not among the haystack's
    words (so it is in a group of differing words), not within one edit of
    any of them (a typo is), and no piece of them run together (a split
    word). One such word is enough under :data:`EDIT_WORDS` words, two at or
    above it."""
    ours, fronts, words = _needle_facts(needle)
    if ours:
        digits = [v for _s, _e, v in number_spans(haystack)]
        if not any(_is_run(ours[e:], digits) for e in range(fronts + 1)):
            return True
    # (a word that stands in the haystack is inside one of its words)
    absent = [w for w in words if w not in haystack]
    if len(absent) < _enough(words):
        return False
    theirs = words_of(haystack)
    distinct = list(set(theirs))
    joined = "".join(theirs)
    return _words_refused(words, absent, joined, lambda w: match.one_edit_from(w, distinct))


def _enough(words: list[str]) -> int:
    """How many words of a needle of ``words`` no place can pair off make
    :func:`distinguishing` refuse every place (one under :data:`EDIT_WORDS`
    words, where one changed word is taken for an edit)."""
    return 1 if len(words) < EDIT_WORDS else 2


def _words_refused(
    words: list[str], absent: list[str], joined: str, near: Callable[[str], bool]
) -> bool:
    """The word half of :func:`refused_anywhere`: of the needle's ``words``,
    those ``absent`` from the haystack (in order, each time they occur),
    that are no piece of the haystack's words run together (``joined``)
    and not within one edit of one of them (``near``), are enough."""
    enough = _enough(words)
    absent = [w for w in absent if w not in joined]
    if len(absent) < enough:
        return False
    for word in absent:
        if near(word):  # (every typo is)
            continue
        enough -= 1
        if not enough:
            return True
    return False


class WordRefusal:
    """The word half of :func:`refused_anywhere` for one needle against
    many texts made of whole paragraphs joined by single spaces (the
    windows of rule 2), each paragraph's share of the work done once.

    It answers exactly as :func:`refused_anywhere`'s word half on the joined
    text: a needle word (a run of letters and digits, no space in it) stands
    in the joined text exactly when it stands in one of its paragraphs; the
    joined text's words are its paragraphs' words one after the other (the
    joining space ends a word); a word is within one edit of one of them
    exactly when it is within one edit of one paragraph's. So a True from
    :meth:`refuses` is a proof that :func:`refused_anywhere` refuses too."""

    def __init__(self, needle: str) -> None:
        self.words = _needle_facts(needle)[2]
        self.distinct = set(self.words)
        self._absent: dict[str, frozenset[str]] = {}
        self._near: dict[tuple[str, str], bool] = {}

    def refuses(self, members: Sequence[str], candidates: Iterable[str] | None = None) -> bool:
        """Whether the needle's words refuse it at every place of
        ``" ".join(members)``. ``candidates``, if given, are needle words
        among which is every one that stands in none of the members (the
        caller knows the others stand in one): only they are looked for."""
        if candidates is not None:
            missing: Collection[str] = {
                w for w in candidates if all(w not in text for text in members)
            }
        else:
            missing = self._absent_from(members[0])
            for text in members[1:]:
                if not missing:
                    return False
                missing = missing.intersection(self._absent_from(text))
        absent = [w for w in self.words if w in missing]
        if len(absent) < _enough(self.words):
            return False
        facts = list(map(_member_words, members))
        joined = "".join(f[1] for f in facts)
        return _words_refused(self.words, absent, joined, lambda w: self._near_any(w, members))

    def _absent_from(self, text: str) -> frozenset[str]:
        found = self._absent.get(text)
        if found is None:
            # (a word of the text stands in it; the others are looked for)
            others = self.distinct.difference(_member_words(text)[0])
            found = self._absent[text] = frozenset(w for w in others if w not in text)
        return found

    def _near_any(self, word: str, members: Sequence[str]) -> bool:
        for text in members:
            key = (word, text)
            near = self._near.get(key)
            if near is None:
                near = self._near[key] = match.one_edit_from(word, _member_words(text)[0])
            if near:
                return True
        return False


@functools.lru_cache(maxsize=2048)
def _member_words(text: str) -> tuple[list[str], str]:
    """For :class:`WordRefusal`: the distinct words of a text, and its
    words run together."""
    words = words_of(text)
    return list(set(words)), "".join(words)


@functools.lru_cache(maxsize=16)
def _needle_facts(needle: str) -> tuple[list[str], int, list[str]]:
    """For :func:`refused_anywhere`: the needle's numbers, how many of them
    stand in a dated front, and its words (a needle is tried against many
    texts in a row)."""
    spans = number_spans(needle)
    fronts = sum(1 for _s, end, _v in spans if end <= PREFIX_NUMBERS_SPAN)
    return [v for _s, _e, v in spans], fronts, words_of(needle)


_ASCII_BREAKS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


def words_of(text: str) -> list[str]:
    """The words of ``text`` (``WORD.findall(text)``); ASCII text takes a
    quicker way to the same list. Every rule that reads words reads them here."""
    if text.isascii():
        return text.translate(_ASCII_BREAKS).split()
    return WORD.findall(text)


def _is_run(part: list[str], whole: list[str]) -> bool:
    """``part`` is a run of consecutive items of ``whole`` (an empty one is)."""
    n = len(part)
    if n == 0:
        return True
    first = part[0]
    return any(whole[k : k + n] == part for k, v in enumerate(whole) if v == first)


def sentences_inside(core: str, text: str, threshold: float) -> match.Alignment | None:
    """Every sentence of ``core`` (two or more, none tiny) stands inside
    ``text``; the alignment returned spans them all, the score is the worst."""
    sentences = [s.strip(EDGE_PUNCT) for s in SENTENCE_BREAK.split(core)]
    if len(sentences) < 2 or min(len(s) for s in sentences) < MIN_SENTENCE:
        return None
    spans = []
    for sentence in sentences:
        found = inside(sentence, text, threshold)
        if found is None:
            return None
        spans.append(found)
    return match.Alignment(
        min(a.score for a in spans), min(a.start for a in spans), max(a.end for a in spans)
    )


def distinguishing(a: str, b: str) -> tuple[str, str] | None:
    """The first words of ``a`` (the later copy) that differ from ``b``
    other than by a typo or a split word, or None: a copy with a slip of the
    keyboard, or one that only lacks words of ``b``, is a copy; one with
    other words may be a parallel sentence. A single changed word
    in a paragraph of :data:`EDIT_WORDS` words or more is taken for an edit."""
    words_a, words_b = words_of(a), words_of(b)
    real = _real_edits(words_a, words_b)
    if not real:
        return None
    xs, ys = real[0]
    one_word = len(real) == 1 and len(xs) == len(ys) == 1
    if one_word and min(len(words_a), len(words_b)) >= EDIT_WORDS:
        return None
    return " ".join(xs), " ".join(ys)


def one_word_added(a: str, b: str) -> bool:
    """``a`` (the later copy) is ``b`` with one word put in and nothing else
    changed but typos, punctuation or split words ("Contact the Division"
    / "Contact Division"): an added word has no counterpart in ``b``, so it
    is not the word that tells two template blocks apart."""
    real = _real_edits(words_of(a), words_of(b))
    return len(real) == 1 and len(real[0][0]) == 1 and not real[0][1]


def _real_edits(words_a: list[str], words_b: list[str]) -> list[tuple[list[str], list[str]]]:
    """The word groups of ``a`` that differ from ``b`` other than by a typo
    or a split word (:func:`distinguishing`)."""
    return [
        (xs, ys)
        for xs, ys in match.word_edits(words_a, words_b)
        if xs  # (words ``a`` only lacks lose nothing: ``b`` still has them)
        and "".join(xs) != "".join(ys)
        and not (len(xs) == len(ys) and all(map(match.typo, xs, ys)))
    ]


def quote(a: str, b: str) -> str:
    """Two differing stretches for a reader: "'women' / 'men'"."""
    return f"{a[:40]!r} / {b[:40]!r}" if a and b else repr((a or b)[:40])


def wrapped_lines(paragraphs: Sequence[str], long: Sequence[bool]) -> frozenset[int]:
    """The lines of hard-wrapped running text (SPEC: a hard-wrapped body
    pasted twice is an artifact, though its "paragraphs" are lines): a line
    long enough to go on its own that does not end a sentence, where the
    next line carries the sentence on in lower case, and where the next
    line's first word would not have fitted on it within the document's
    longest line (the wrap). Such a line is prose for the rules, as a
    paragraph of it would be. A label and its value on two lines ("Category:
    …" / "for …") are not wrapped: the value would have fitted. The case is
    read from the text as written, since comparison forms are case-folded."""
    lines = [p.strip() for p in paragraphs]
    width = max(map(len, lines), default=0)
    found = set()
    for k in range(len(lines) - 1):
        line, after = lines[k], lines[k + 1]
        if not long[k] or not after[:1].islower() or ends_sentence(line) or line[-1:] in ":;":
            continue
        if len(line) + 1 + len(after.split(maxsplit=1)[0]) > width:
            found.add(k)
    return frozenset(found)
