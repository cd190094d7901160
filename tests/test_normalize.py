"""normalize.py: the comparison form of a paragraph, and its numbers."""

from __future__ import annotations

import unicodedata

import pytest

from newsdedupe.normalize import normalize, number_spans, numbers


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Plain ASCII text.", "plain ascii text."),
        ("  leading and trailing  ", "leading and trailing"),
        ("tabs\tand\nnewlines\r\nand  runs", "tabs and newlines and runs"),
        ("no\u00a0break\u00a0space", "no break space"),
        ("ideographic\u3000space", "ideographic space"),
        ("thin\u2009space and narrow\u202fnbsp", "thin space and narrow nbsp"),
        ("\u201ccurly\u201d \u201elow\u201c \u00abguillemets\u00bb", '"curly" "low" "guillemets"'),
        ("it\u2019s \u2018single\u2019 and `tick\u00b4", "it's 'single' and 'tick'"),
        ("en\u2013dash em\u2014dash minus\u2212 nb\u2011hy", "en-dash em-dash minus- nb-hy"),
        ("soft\u00adhyphen zero\u200bwidth", "softhyphen zerowidth"),
        ("back`tick in ascii", "back'tick in ascii"),
        ("\ufeffBOM in front", "bom in front"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
        ("\uff21\uff22\uff23 \uff11\uff12", "abc 12"),  # fullwidth letters and digits
        ("\ufb01nance", "finance"),  # ligature
        ("\u300cquoted\u300d", '"quoted"'),
        ("it\u00b4s", "it's"),  # acute accent typed as an apostrophe
        ("12\u2033 screen", '12" screen'),  # double prime
        ("small\ufe58dash", "small-dash"),  # NFKC gives an em dash, mapped too
    ],
)
def test_normalize(text: str, want: str) -> None:
    assert normalize(text) == want


def test_apostrophe_typed_as_acute_accent_matches_curly_apostrophe() -> None:
    """Regression: NFKC ran before the quote map and turned U+00B4 into a space
    and a combining accent, so "it\u00b4s" never matched "it\u2019s"."""
    assert normalize("Don\u00b4t stop") == normalize("Don\u2019t stop") == "don't stop"


def test_composed_and_decomposed_accents_are_equal() -> None:
    text = "Le café de René Lefèvre à Orléans"
    assert normalize(unicodedata.normalize("NFD", text)) == normalize(text)


def test_arabic_text_keeps_its_letters() -> None:
    text = "أعلنت  الوزارة\u00a0يوم الأحد"
    assert normalize(text) == "أعلنت الوزارة يوم الأحد"


def test_cjk_text_without_spaces_is_unchanged() -> None:
    text = "本市第三条地铁线路正式开通。"
    assert normalize(text) == text


def test_empty_and_blank() -> None:
    assert normalize("") == ""
    assert normalize(" \n\t\u00a0") == ""


@pytest.mark.parametrize(
    ("norm", "want"),
    [
        ("no numbers here", []),
        ("rose 3% on monday to 4,512 points", ["3", "4", "512"]),
        ("on 26.01.2022 at 09:30", ["26", "1", "2022", "9", "30"]),
        ("بنسبة ٣ في المئة عند ٤٥١٢ نقطة", ["3", "4512"]),  # Arabic-Indic digits
        ("۱۲ و ۳۴", ["12", "34"]),  # Extended Arabic-Indic (Persian) digits
        ("१२ और ३४", ["12", "34"]),  # Devanagari digits
        ("007 agents", ["7"]),
    ],
)
def test_numbers(norm: str, want: list[str]) -> None:
    assert numbers(norm) == want


def test_arabic_indic_and_ascii_digits_are_the_same_number() -> None:
    assert numbers("٤٥١٢") == numbers("4512") == ["4512"]


def test_number_spans_give_positions_and_values() -> None:
    norm = "won 2-1 before ١٢٠٠٠ fans"
    assert number_spans(norm) == [(4, 5, "2"), (6, 7, "1"), (15, 20, "12000")]
