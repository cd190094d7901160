# ruff: noqa: E501
"""core.py through its public API: which paragraphs go, why, and what stays.

Each test states one promise of SPEC.md section 2 with text written for it.
"""

from __future__ import annotations

import pytest

from conftest import SAMPLES
from newsdedupe import DedupeResult, Options, Removal, dedupe_text
from newsdedupe.render import event_lines

P1 = "The city council voted on Tuesday to close the old central market hall for renovation from the first of March."
P2 = "Traders will move to a row of temporary stalls on the square in front of the cathedral until the work is done."
P3 = "The renovation is expected to take two years and will add a roof garden, a public kitchen and a small museum."
P4 = "Some traders said they feared losing customers who would not find the temporary stalls in time for the season."


def _doc(*paragraphs: str, sep: str = "\n\n") -> str:
    return sep.join(paragraphs) + "\n"


def _clean(text: str, **options: object) -> DedupeResult:
    return dedupe_text(text, Options(**options))  # type: ignore[arg-type]


def _assert_safe(result: DedupeResult) -> None:
    """Every removal points at a kept paragraph other than itself."""
    removed = {r.index for r in result.removals}
    for r in result.removals:
        assert r.source not in removed and r.source != r.index


# --- the API -------------------------------------------------------------------


def test_no_repeats_gives_the_same_text_and_no_removals() -> None:
    text = _doc("Market Hall Closes", P1, P2, P3, P4)
    result = dedupe_text(text)
    assert result.text == text
    assert result.removals == []
    assert result.changed is False
    assert result.removed_chars == 0
    assert result.events() == []


def test_result_lists_paragraphs_and_removal_records() -> None:
    text = _doc("Market Hall Closes", P1, P2, P1)
    result = dedupe_text(text)
    assert result.paragraphs == ["Market Hall Closes", P1, P2, P1]
    assert result.removals == [Removal(3, "near-duplicate", 1, 100.0)]
    assert result.text == _doc("Market Hall Closes", P1, P2)
    assert result.changed is True
    assert result.removed_chars == len(P1) + 2


def test_options_default_when_none_given() -> None:
    text = _doc(P1, P2, P1)
    assert dedupe_text(text).text == dedupe_text(text, Options()).text == _doc(P1, P2)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"threshold": 101},
        {"threshold": -1},
        {"min_length": -1},
        {"split": "para"},
        {"keep": "last"},
    ],
)
def test_bad_options_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Options(**kwargs)  # type: ignore[arg-type]


def test_dedupe_text_does_not_depend_on_earlier_documents() -> None:
    """No state is carried from one call to the next."""
    text = _doc(P1, P2, P3)
    before = dedupe_text(text).text
    dedupe_text(_doc(P2, P3, P1, P2, P3))
    assert dedupe_text(text).text == before == text


# --- rule 1: near-duplicates -----------------------------------------------------


def test_doubled_body_is_one_event_keeping_the_first_copy() -> None:
    body = [P1, P2, P3, P4]
    result = dedupe_text(_doc("Market Hall Closes", *body, *body))
    assert result.text == _doc("Market Hall Closes", *body)
    assert [r.index for r in result.removals] == [5, 6, 7, 8]
    assert [r.source for r in result.removals] == [1, 2, 3, 4]
    assert event_lines(result) == ["paragraphs 6\u20139 repeat 2\u20135"]


def test_qusayr_events_read_13_to_23_repeat_2_to_12() -> None:
    text = (SAMPLES / "qusayr.txt").read_bytes().decode("utf-8")
    result = dedupe_text(text)
    assert event_lines(result) == ["paragraphs 13\u201323 repeat 2\u201312"]
    assert result.text.encode("utf-8") == (SAMPLES / "qusayr.expected.txt").read_bytes()


def test_near_duplicate_with_typo_and_curly_quotes_goes() -> None:
    quote = '"We will not let the market die," said the mayor, Ilona Brandt, after the vote on Tuesday night.'
    copy = "\u201cWe will not let the market die,\u201d said the mayor, Ilona Brand, after the vote on Tuesday night."
    result = dedupe_text(_doc(P1, quote, P2, copy, P3))
    assert result.text == _doc(P1, quote, P2, P3)
    (removal,) = result.removals
    assert (removal.index, removal.rule, removal.source) == (3, "near-duplicate", 1)
    assert 90.0 <= removal.score < 100.0


def test_case_whitespace_and_nbsp_differences_are_exact_copies() -> None:
    copy = "  " + P2.upper().replace(" ", "\u00a0 ", 3) + "  "
    result = dedupe_text(_doc(P1, P2, P3, copy))
    assert result.text == _doc(P1, P2, P3)
    assert result.removals[0].score == 100.0


def test_threshold_100_keeps_a_copy_with_a_typo() -> None:
    typo = P2.replace("temporary", "temprary")
    text = _doc(P1, P2, P3, typo)
    assert _clean(text, threshold=100).text == text
    assert _clean(text).text == _doc(P1, P2, P3)


def test_threshold_100_drops_a_copy_equal_after_normalization() -> None:
    copy = P2.replace("Traders", "TRADERS").replace(" ", "  ")
    assert _clean(_doc(P1, P2, P3, copy), threshold=100).text == _doc(P1, P2, P3)


def test_lower_threshold_catches_a_looser_copy() -> None:
    # many slips of the keyboard, no other words: a copy, but under 90
    loose = "Tradres wlil mvoe to a rwo of temprary stlals on teh sqaure in fornt of teh cathedarl utnil teh wrok is doen."
    text = _doc(P1, P2, P3, loose)
    assert _clean(text).text == text
    assert _clean(text, threshold=75).text == _doc(P1, P2, P3)


def test_a_reworded_sentence_is_not_a_copy_at_any_threshold() -> None:
    # SPEC "parallel structures": other words are other text, however similar
    loose = "Traders are to move to temporary stalls on the square in front of the cathedral while the work goes on."
    text = _doc(P1, P2, P3, loose)
    assert _clean(text, threshold=75).text == text
    assert [(k.index, k.source) for k in _clean(text, threshold=75).kept] == [(3, 1)]


def test_long_copy_that_gained_a_dateline_goes() -> None:
    """The dateline's numbers do not make the copy new (numbers guard)."""
    a = (
        "Police have arrested two men suspected of stealing 40 bicycles from the station car park"
        " over the past three months and selling them through an online shop in a neighbouring town."
    )
    dated = "FREIBURG, 03.05.2024 (dpa) - " + a
    result = dedupe_text(_doc(P1, a, P2, dated))
    assert result.text == _doc(P1, a, P2)
    assert result.removals[0].rule == "near-duplicate"


def test_short_copy_that_gained_a_dateline_goes_and_the_first_stays() -> None:
    a = "Police have arrested two men suspected of stealing 40 bicycles from the station car park."
    dated = "FREIBURG, 03.05.2024 (dpa) - " + a
    result = dedupe_text(_doc(P1, a, P2, dated))
    assert result.text == _doc(P1, a, P2)


def test_copy_that_lost_its_dateline_goes() -> None:
    a = "Police have arrested two men suspected of stealing 40 bicycles from the station car park."
    dated = "FREIBURG, 03.05.2024 (dpa) - " + a
    assert dedupe_text(_doc(P1, dated, P2, a)).text == _doc(P1, dated, P2)


# --- the numbers guard ------------------------------------------------------------


def test_numbers_differ_both_stay() -> None:
    a = "Shares of the shipping company rose 3 percent on Monday to 41 euros after the results."
    b = "Shares of the shipping company rose 5 percent on Monday to 43 euros after the results."
    text = _doc(P1, a, P2, b)
    assert dedupe_text(text).text == text
    assert _clean(text, threshold=50).text == text


def test_score_differs_both_stay() -> None:
    a = "In the first leg the home side won 2-1 in front of a crowd of 12,000 on a cold evening."
    b = "In the first leg the home side won 3-1 in front of a crowd of 12,000 on a cold evening."
    text = _doc(a, P1, b)
    assert dedupe_text(text).text == text


def test_dates_differ_both_stay() -> None:
    a = "The committee will meet again on 14 March to review the figures from the regional offices."
    b = "The committee will meet again on 21 March to review the figures from the regional offices."
    text = _doc(a, P2, b)
    assert dedupe_text(text).text == text


def test_arabic_indic_numbers_differ_both_stay() -> None:
    a = "ارتفع سعر الخبز بنسبة ٥ في المئة هذا الشهر بعد زيادة أسعار الطحين في الأسواق المحلية."
    b = "ارتفع سعر الخبز بنسبة ٧ في المئة هذا الشهر بعد زيادة أسعار الطحين في الأسواق المحلية."
    text = _doc(a, P1, b, sep="\n")
    assert dedupe_text(text).text == text


def test_same_numbers_still_a_copy() -> None:
    a = "Shares of the shipping company rose 3 percent on Monday to 41 euros after the results."
    assert dedupe_text(_doc(P1, a, P2, a)).text == _doc(P1, a, P2)


# --- rule 2: covered -----------------------------------------------------------


S1 = "The regional train company will add a night service between the two university towns from October."
S2 = "Students had collected more than six thousand signatures for the late connection over the past year."


def test_copy_split_in_two_is_covered() -> None:
    result = dedupe_text(_doc("Night Train Returns", S1 + " " + S2, P3, S1, S2, P4))
    assert result.text == _doc("Night Train Returns", S1 + " " + S2, P3, P4)
    assert {r.index for r in result.removals} == {3, 4}
    assert all(r.source == 1 for r in result.removals)
    _assert_safe(result)


def test_two_paragraphs_merged_into_one_are_covered() -> None:
    result = dedupe_text(_doc("Night Train Returns", S1, S2, P3, S1 + " " + S2, P4))
    assert result.text == _doc("Night Train Returns", S1, S2, P3, P4)
    (removal,) = result.removals
    assert (removal.index, removal.rule) == (4, "covered")
    _assert_safe(result)


# --- rule 3: contained -------------------------------------------------------------


TEASER = "The market hall will close for two years from the first of March for a full renovation."
ARTICLE = (
    "After months of debate the decision is final. "
    + TEASER
    + " Traders will move to temporary stalls on the cathedral square."
)


def test_teaser_first_is_dropped_and_the_longer_paragraph_stays() -> None:
    result = dedupe_text(_doc("Market Hall Closes", TEASER, ARTICLE, P4))
    assert result.text == _doc("Market Hall Closes", ARTICLE, P4)
    (removal,) = result.removals
    assert (removal.index, removal.rule, removal.source) == (1, "contained", 2)


def test_pull_quote_after_the_paragraph_is_dropped() -> None:
    assert dedupe_text(_doc(ARTICLE, P4, TEASER, P2)).text == _doc(ARTICLE, P4, P2)


def test_fragment_under_60_characters_inside_a_paragraph_stays() -> None:
    """Shorter fragments inside a paragraph are titles, names or labels, even
    when --min-length would allow dropping them."""
    label = "the first of March for a full renovation"
    assert len(label) < 60
    text = _doc(label, ARTICLE)
    assert _clean(text, min_length=0).text == text


def test_partial_quote_stays() -> None:
    a = 'The minister called the plan "a first step, not the last one" and promised more money next year.'
    b = '"A first step, not the last one" was how the opposition leader mocked the plan in parliament on Friday.'
    text = _doc(a, P1, b)
    assert dedupe_text(text).text == text


# --- short paragraphs and runs -------------------------------------------------------


def test_short_repeated_lines_stay() -> None:
    text = _doc(
        "Q:",
        "Where were you on the night of the storm?",
        "A:",
        "At home.",
        "***",
        "Q:",
        "What did you hear?",
        "A:",
        "At home.",
        "***",
        sep="\n",
    )
    assert dedupe_text(text).text == text


def test_short_stray_copy_stays_but_min_length_decides() -> None:
    line = "Tickets are sold at the town hall only."
    text = _doc(line, P1, P2, line, P3)
    assert dedupe_text(text).text == text
    assert _clean(text, min_length=20).text == _doc(line, P1, P2, P3)


def test_short_subhead_inside_a_doubled_body_goes_with_the_run() -> None:
    body = [P1, P2, "What changes", P3, P4]
    result = dedupe_text(_doc("Market Hall Closes", *body, *body))
    assert result.text == _doc("Market Hall Closes", *body)
    assert [r.index for r in result.removals] == [6, 7, 8, 9, 10]
    _assert_safe(result)


# --- intentional repetition ------------------------------------------------------------


def test_same_question_to_several_people_stays() -> None:
    q = "What would you do first if you were elected mayor of this town tomorrow?"
    text = _doc(
        q,
        "Anna, 34: Fix the bridge.",
        q,
        "Boris, 58: Open the pool again.",
        q,
        "Chen, 21: Free buses on weekends.",
        sep="\n",
    )
    assert dedupe_text(text).text == text


def test_formula_lines_that_differ_by_a_name_stay() -> None:
    text = _doc(
        "Vote for Anna Kessler, the candidate who will fix the roads in our district",
        "Vote for Boris Lemke, the candidate who will fix the roads in our district",
        "Vote for Clara Jansen, the candidate who will fix the roads in our district",
        sep="\n",
    )
    assert dedupe_text(text).text == text


# --- --keep longest ------------------------------------------------------------------------


def test_keep_longest_keeps_the_longer_copy() -> None:
    short = "The market hall will close for renovation from the first of March, the council said."
    longer = "BERLIN (dpa) - " + short
    text = _doc(short, P2, longer)
    assert dedupe_text(text).text == _doc(short, P2)
    result = _clean(text, keep="longest")
    assert result.text == _doc(longer, P2)  # in the first copy's place: the order stays
    (removal,) = result.removals
    assert (removal.index, removal.source) == (0, 2)


def test_keep_longest_does_not_count_spaces() -> None:
    spaced = P1.replace(" ", "   ")
    text = _doc(P1, P2, spaced)
    assert _clean(text, keep="longest").text == _doc(P1, P2)


# --- safety ---------------------------------------------------------------------------------


def test_a_document_is_never_emptied() -> None:
    assert dedupe_text(_doc(P1, P1)).text == _doc(P1)
    assert _clean(_doc(P1, P1, P1), threshold=0).text.strip() != ""


def test_result_does_not_depend_on_hash_salt_within_process() -> None:
    text = (SAMPLES / "doubled-body.txt").read_text(encoding="utf-8")
    assert dedupe_text(text).removals == dedupe_text(text).removals


@pytest.mark.parametrize("name", ["doubled-body", "resplit-copy", "teaser", "qusayr"])
def test_every_removal_has_a_kept_source(name: str) -> None:
    result = dedupe_text((SAMPLES / f"{name}.txt").read_text(encoding="utf-8"))
    assert result.removals
    _assert_safe(result)


# --- other scripts --------------------------------------------------------------------------


def test_chinese_paragraph_repeated_later_goes() -> None:
    a = "本市第三条地铁线路于周六上午正式开通运营，全长二十八公里，共设二十一座车站，连接东部住宅区和西部工业园区。"
    b = "开通首日，许多市民专程前来体验，车站内秩序井然，工作人员在各个出入口引导乘客。"
    result = dedupe_text(_doc("地铁新线路开通", a, b, a, sep="\n"))
    assert result.text == _doc("地铁新线路开通", a, b, sep="\n")


def test_japanese_teaser_is_contained() -> None:
    teaser = "新しい図書館は古い呉服店の建物を改装したもので、木の梁や土壁をそのまま残しながら、明るい読書室と子ども向けのコーナーを備えている。"
    article = (
        "商店街で十日、市立図書館の分館が開館した。"
        + teaser
        + "開館式には近所の住民らが大勢集まった。"
    )
    result = dedupe_text(_doc(teaser, article))
    assert result.text == _doc(article)
    assert result.removals[0].rule == "contained"


def test_german_eszett_and_low_quotes_are_a_copy() -> None:
    a = "„Die Hauptstraße wird im Frühjahr für den Autoverkehr gesperrt“, sagte die Bürgermeisterin am Montag."
    b = '"Die HAUPTSTRASSE wird im Frühjahr für den Autoverkehr gesperrt", sagte die Bürgermeisterin am Montag.'
    assert _clean(_doc(a, P1, b), threshold=100).text == _doc(a, P1)


def test_a_long_document_leaves_no_garbage_cycles_and_the_collector_as_it_was() -> None:
    """The core pauses Python's cycle collector for a long document, on the
    grounds that it makes no reference cycles: check both halves."""
    import gc

    body = [
        f"Paragraph {k} of the long report, about the harbour and the ferry {k * 7}."
        for k in range(2100)
    ]
    text = "\n\n".join(body + body[:5])
    gc.collect()
    gc.disable()
    try:
        result = dedupe_text(text)
        assert not gc.isenabled()  # a collector switched off stays off
        assert gc.collect() == 0  # nothing unreachable was made
    finally:
        gc.enable()
    assert len(result.removals) == 5
    dedupe_text(text)
    assert gc.isenabled()  # and one that was on is on again


# --- the result: text, bytes and counts made from the layout when read ---------


ASTRAL = "The stall that sells honey cakes \U0001f36f keeps its place on the square, the council said."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-8-sig", "latin-1"])
def test_encode_gives_the_bytes_of_the_cleaned_text_once(encoding: str) -> None:
    """``encode`` writes the cleaned text a piece at a time: the bytes are
    those of the whole text, a byte-order mark once at the front."""
    head = "\ufeff" if encoding != "latin-1" else ""
    text = _doc(head + "Market Hall Closes", P1, P2, P1, P3, P2, P4, sep="\r\n\r\n")
    expected = _doc(head + "Market Hall Closes", P1, P2, P3, P4, sep="\r\n\r\n").encode(encoding)
    result = dedupe_text(text)
    assert [r.index for r in result.removals] == [3, 5]
    assert result.encode(encoding) == expected
    # a piece each: the mark before the first paragraph, 5 paragraphs, 4 separators, the end
    assert len(list(result.chunks(encoding))) == (11 if head else 10)
    assert "text" not in vars(result)  # (made without the cleaned text as one string)
    assert result.text.encode(encoding) == expected


def test_encode_and_removed_chars_of_text_beyond_the_first_plane() -> None:
    text = _doc(ASTRAL, P1, ASTRAL, P2)
    result = dedupe_text(text)
    assert result.removed_chars == len(ASTRAL) + 2
    assert result.encode() == _doc(ASTRAL, P1, P2).encode()
    assert "text" not in vars(result)
    assert result.text == _doc(ASTRAL, P1, P2)
    assert result.removed_chars == len(ASTRAL) + 2


def test_encode_of_keep_longest_puts_the_longest_copy_in_the_first_place() -> None:
    short = "The market hall will close for renovation from the first of March, the council said."
    longer = "BERLIN (dpa) - " + short
    text = _doc("Market Hall Closes", short, P2, longer, P3)
    result = _clean(text, keep="longest")
    expected = _doc("Market Hall Closes", longer, P2, P3)
    assert [(r.index, r.source) for r in result.removals] == [(1, 3)]
    assert result.removed_chars == len(short) + 2
    assert result.encode() == expected.encode()
    assert result.text == expected


def test_unchanged_result_shows_the_input_itself() -> None:
    text = _doc("Market Hall Closes", P1, P2)
    result = dedupe_text(text)
    assert result.text is text
    assert result.encode("utf-16") == text.encode("utf-16")
    assert result.paragraphs == ["Market Hall Closes", P1, P2]
