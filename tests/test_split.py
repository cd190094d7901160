"""split.py: paragraphs and the bytes between them, exact rebuild."""

from __future__ import annotations

import textwrap

import pytest

from newsdedupe.split import Layout, split_text

LONG_A = "The county fair opened on Saturday with a parade of tractors through the old town."
LONG_B = "Organisers expect more visitors than last year because the weather forecast is good."
LONG_C = "Entry is free for children, and the last bus back to the city leaves at eleven."


def _wrapped(width: int = 60) -> list[str]:
    text = (
        "The town library will close for three months from July while builders "
        "replace the roof, repair the windows on the north side and install a lift "
        "so that the reading room on the first floor can be reached by everyone, "
        "the council said in a statement on Tuesday afternoon."
    )
    return textwrap.wrap(text, width)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "\n\n \n",
        "one line",
        "\ufeff",
        "\ufeffone line\n",
        f"{LONG_A}\n\n{LONG_B}\n",
        f"{LONG_A}\r\n\r\n{LONG_B}",
        f"\n\n{LONG_A}\n{LONG_B}\n\n\n",
        " \t\n" + LONG_A + "\n \n" + LONG_B + "\r\n\r\n",
        "\r\n".join(_wrapped()) + "\r\n",
        "a\rb\n\nc",
    ],
)
@pytest.mark.parametrize("mode", ["auto", "blank", "line"])
def test_rebuild_with_everything_kept_gives_the_input_back(text: str, mode: str) -> None:
    layout = split_text(text, mode)  # type: ignore[arg-type]
    assert layout.rebuild([True] * len(layout.paragraphs)) == text


def test_blank_lines_separate_paragraphs() -> None:
    layout = split_text(f"{LONG_A}\n\n{LONG_B}\n\n\n{LONG_C}\n")
    assert layout.paragraphs == [LONG_A, LONG_B, LONG_C]


def test_whitespace_only_lines_count_as_blank() -> None:
    text = f"{LONG_A}\n \t \n{LONG_B}\n\u00a0\n{LONG_C}"
    assert split_text(text, "blank").paragraphs == [LONG_A, LONG_B, LONG_C]


def test_one_paragraph_per_line_block_is_split_into_lines() -> None:
    layout = split_text(f"{LONG_A}\n{LONG_B}\n{LONG_C}\n")
    assert layout.paragraphs == [LONG_A, LONG_B, LONG_C]


def test_title_blank_line_then_one_paragraph_per_line() -> None:
    text = f"County Fair Opens\n\n{LONG_A}\n{LONG_B}\n{LONG_C}\n"
    assert split_text(text).paragraphs == ["County Fair Opens", LONG_A, LONG_B, LONG_C]


def test_hard_wrapped_block_stays_one_paragraph() -> None:
    lines = _wrapped()
    assert len(lines) >= 4
    text = "Library Closes for Repairs\n\n" + "\n".join(lines) + "\n\n" + LONG_C + "\n"
    assert split_text(text).paragraphs == ["Library Closes for Repairs", "\n".join(lines), LONG_C]


def test_hard_wrapped_crlf_block_stays_one_paragraph_without_the_final_cr() -> None:
    lines = _wrapped()
    text = "\r\n".join(lines) + "\r\n"
    assert split_text(text).paragraphs == ["\r\n".join(lines)]


def test_hard_wrapped_body_pasted_twice_in_one_block_is_split_into_lines() -> None:
    lines = _wrapped()
    text = "\n".join(lines + lines) + "\n"
    assert split_text(text).paragraphs == lines + lines


def test_split_blank_keeps_line_per_paragraph_block_whole() -> None:
    text = f"{LONG_A}\n{LONG_B}\n"
    assert split_text(text, "blank").paragraphs == [f"{LONG_A}\n{LONG_B}"]


def test_split_line_cuts_hard_wrapped_block_into_lines() -> None:
    lines = _wrapped()
    assert split_text("\n".join(lines), "line").paragraphs == lines


def test_bom_belongs_to_the_lead_not_to_the_first_paragraph() -> None:
    layout = split_text(f"\ufeff{LONG_A}\n\n{LONG_B}\n")
    assert layout.paragraphs == [LONG_A, LONG_B]
    assert layout.starts[0] == 1


def test_bom_on_a_line_of_its_own_is_not_a_paragraph() -> None:
    layout = split_text(f"\ufeff\n{LONG_A}\n")
    assert layout.paragraphs == [LONG_A]


def test_crlf_paragraphs_do_not_carry_the_carriage_return() -> None:
    layout = split_text(f"{LONG_A}\r\n{LONG_B}\r\n")
    assert layout.paragraphs == [LONG_A, LONG_B]


def test_cjk_lines_ending_in_ideographic_full_stop_are_paragraphs() -> None:
    a = "市议会周二决定在老城区修建一座新的公共图书馆，预计明年秋天完工。"
    b = "图书馆将设有儿童阅览室和一个可以举办讲座的多功能厅。"
    assert split_text(f"{a}\n{b}\n").paragraphs == [a, b]


def test_arabic_lines_are_paragraphs() -> None:
    a = "قرر المجلس البلدي يوم الثلاثاء بناء مكتبة عامة جديدة في المدينة القديمة."
    b = "وستضم المكتبة قاعة للأطفال وأخرى للمحاضرات؟"
    assert split_text(f"{a}\n{b}\n").paragraphs == [a, b]


# --- rebuild: what a removal takes with it -------------------------------------

DOC = f"\n{LONG_A}\n\n{LONG_B}\n \n\n{LONG_C}\n\n"


def _layout() -> Layout:
    layout = split_text(DOC)
    assert layout.paragraphs == [LONG_A, LONG_B, LONG_C]
    return layout


def test_removing_the_first_paragraph_keeps_the_lead() -> None:
    assert _layout().rebuild([False, True, True]) == f"\n{LONG_B}\n \n\n{LONG_C}\n\n"


def test_removing_a_middle_paragraph_takes_the_separator_after_it() -> None:
    assert _layout().rebuild([True, False, True]) == f"\n{LONG_A}\n\n{LONG_C}\n\n"


def test_removing_the_last_paragraph_takes_the_separator_before_it() -> None:
    assert _layout().rebuild([True, True, False]) == f"\n{LONG_A}\n\n{LONG_B}\n\n"


def test_removing_all_but_one_keeps_lead_and_tail() -> None:
    assert _layout().rebuild([False, True, False]) == f"\n{LONG_B}\n\n"


def test_removing_everything_leaves_lead_and_tail() -> None:
    assert _layout().rebuild([False, False, False]) == "\n\n\n"


def test_removal_keeps_missing_final_newline_and_crlf() -> None:
    layout = split_text(f"{LONG_A}\r\n{LONG_B}\r\n{LONG_C}")
    assert layout.rebuild([True, True, False]) == f"{LONG_A}\r\n{LONG_B}"
    assert layout.rebuild([True, False, True]) == f"{LONG_A}\r\n{LONG_C}"
