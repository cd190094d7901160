"""match.py: whole-text similarity and best-aligned containment."""

from __future__ import annotations

import pytest

from newsdedupe import match
from newsdedupe.match import Alignment, containment, ratio

SENTENCE = "the council approved the new ferry timetable on wednesday evening"


def test_ratio_of_identical_texts_is_100() -> None:
    assert ratio(SENTENCE, SENTENCE) == 100.0


def test_ratio_of_a_one_letter_typo_is_high_but_not_100() -> None:
    score = ratio(SENTENCE, SENTENCE.replace("ferry", "ferri"))
    assert 95.0 <= score < 100.0


def test_ratio_of_different_texts_is_low() -> None:
    assert ratio(SENTENCE, "bond yields slipped in early trading but recovered") < 60.0


def test_ratio_under_cutoff_is_zero() -> None:
    assert ratio(SENTENCE, "bond yields slipped in early trading", cutoff=90.0) == 0.0


def test_ratio_returns_a_float() -> None:
    assert isinstance(ratio("abc", "abd"), float)


def test_verbatim_containment_is_100_and_located() -> None:
    haystack = "after a long debate, " + SENTENCE + ", the mayor said."
    found = containment(SENTENCE, haystack)
    assert found == Alignment(100.0, 21, 21 + len(SENTENCE))
    assert haystack[found.start : found.end] == SENTENCE


def test_fuzzy_containment_finds_the_stretch() -> None:
    haystack = "after a long debate, " + SENTENCE + ", the mayor said."
    needle = SENTENCE.replace("timetable", "timetabel")
    found = containment(needle, haystack, cutoff=80.0)
    assert 90.0 <= found.score < 100.0
    assert abs(found.start - 21) <= 2
    assert abs(found.end - (21 + len(SENTENCE))) <= 2


def test_containment_under_cutoff_is_zero_at_zero() -> None:
    found = containment("bond yields slipped early", "the ferry left at dawn today", cutoff=90.0)
    assert found == Alignment(0.0, 0, 0)


@pytest.mark.parametrize("text", ["本市第三条地铁线路正式开通", "افتتاح مستشفى جديد"])
def test_containment_without_spaces_and_right_to_left(text: str) -> None:
    haystack = "前言。" + text + "。结尾"
    found = containment(text, haystack)
    assert found.score == 100.0
    assert haystack[found.start : found.end] == text


def test_a_four_letter_word_with_one_letter_changed_is_another_word() -> None:
    """Formula lines that name two countries ("Iran" / "Iraq") or say two
    things ("rose" / "rise") differ in a word that carries the meaning."""
    assert not match.typo("iran", "iraq")
    assert not match.typo("rose", "rise")
    assert match.typo("teh", "the")
    assert match.typo("form", "from")  # two letters swapped
    assert match.typo("tomorow", "tomorrow")  # a letter dropped
    assert match.typo("recieve", "receive")
    assert match.typo("hause", "house")  # one letter changed in a longer word


def test_one_word_added_is_an_insertion_only() -> None:
    """A copy printed again with one word put in ("the") is an edit; one
    with a word changed, two words put in or a word taken out is not
    this case (a changed word may carry the meaning; a lost word loses
    nothing and is handled as a copy already)."""
    from newsdedupe.paragraph import one_word_added

    base = "contact harbour office, winter storage and fuel quay services"
    assert one_word_added(base.replace("contact ", "contact the "), base)
    assert one_word_added(base.replace("contact ", "contact the ").replace(",", ""), base)
    assert not one_word_added(base.replace("winter", "summer"), base)
    assert not one_word_added(base.replace("contact ", "contact the new "), base)
    assert not one_word_added(base.replace("fuel ", ""), base)
    assert not one_word_added(base, base)


def test_one_character_changed_in_chinese_or_japanese_is_another_word() -> None:
    """Without spaces a whole clause is one word: "男子200米" / "女子200米"
    (men's / women's) differ by one character that carries the meaning."""
    assert not match.typo("男子200米自由泳决赛", "女子200米自由泳决赛")
    assert not match.typo("男子200メートル", "女子200メートル")
    assert match.typo("recieve", "receive")
