"""``--explain`` fits the terminal it prints to: ``COLUMNS`` when set, the
terminal's own width, else 120 columns for a pipe; whole paragraphs wrapped
in their cells; the stretch of the kept paragraph that matches; the dateline
the comparison set aside named."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import termios
from pathlib import Path

import pytest

from conftest import ROOT, _dedupe_exe, run_process
from newsdedupe import render
from newsdedupe.core import dated_front, dedupe_text

EXPECTED = Path(__file__).resolve().parent / "explain"
INPUTS = ["samples/dateline-copy.txt", "samples/pull-quote-near-verbatim.txt"]
BOX = "┏┃┡│└"


def _explain(env: dict[str, str]) -> str:
    result = run_process(["--check", "--explain", *INPUTS], cwd=ROOT, env=env)
    assert result.code == 1
    assert result.stdout == b""
    return result.err


@pytest.mark.parametrize("columns", [60, 120, 200])
def test_explain_fills_the_columns_it_is_given(columns: int) -> None:
    err = _explain({"COLUMNS": str(columns)})
    assert err == (EXPECTED / f"columns-{columns}.txt").read_text(encoding="utf-8")
    table = [line for line in err.splitlines() if line[:1] in BOX]
    assert table and all(len(line) == columns for line in table)


def test_explain_wraps_whole_paragraphs_instead_of_cutting_them() -> None:
    err = _explain({"COLUMNS": "60"})
    second = err.split("samples/pull-quote-near-verbatim.txt: 1 paragraph to remove")[1]
    rows = [line.split("\u2502") for line in second.splitlines() if line[:1] == "\u2502"]
    removed = " ".join(" ".join(row[2].strip() for row in rows).split())
    kept = " ".join(" ".join(row[3].strip() for row in rows).split())
    paragraphs = (ROOT / INPUTS[1]).read_text(encoding="utf-8").split("\n\n")
    assert removed == " ".join(paragraphs[2].split())
    # the kept paragraph from about 60 characters before the match to its end
    assert kept == "\u2026" + " ".join(paragraphs[3].split()[-37:])


def test_explain_without_columns_in_a_pipe_is_120_wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    err = _explain({})
    assert err == (EXPECTED / "columns-120.txt").read_text(encoding="utf-8")


def test_explain_on_a_terminal_takes_its_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 150, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["TERM"] = "xterm-256color"  # (rich takes a dumb terminal for 80 columns)
    proc = subprocess.Popen(
        [_dedupe_exe(), "--check", "--explain", INPUTS[0]],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the command ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=60) == 1
    text = re.sub(r"\x1b\[[0-9;]*m", "", b"".join(chunks).decode("utf-8"))
    lines = text.replace("\r\n", "\n").splitlines()
    table = [line for line in lines if line[:1] in BOX]
    assert table and all(len(line) == 150 for line in table), lines


def test_dated_front_names_exactly_what_the_comparison_sets_aside() -> None:
    assert dated_front("INNSBRUCK, 12.07.2023 (APA) - All 14 members") == (
        "INNSBRUCK, 12.07.2023 (APA) -"
    )
    assert dated_front("LONDON (Reuters) - The bank said on Monday") == "LONDON (Reuters) -"
    assert dated_front("26.01.2022Strava lets runners share routes") == "26.01.2022"
    assert dated_front("Anna: we will see about that") == ""  # a speaker, not a dateline
    assert dated_front("No front at all, just a sentence.") == ""
    # one number alone is a count, a price or a schedule's day, not a date
    assert dated_front("3 people were hurt when the ferry hit the pier") == ""
    assert dated_front("2 января") == ""
    assert dated_front("£64 a week, delivery included") == ""
    assert dated_front("12:30 The ferry left late") == "12:30"


def test_stretch_points_at_the_matching_sentence_not_the_start() -> None:
    kept = (
        "The council met on Tuesday. After a long debate the members agreed that the "
        "old bridge over the river will be closed to all traffic from the first of May."
    )
    teaser = "the old bridge over the river will be closed to all traffic from the first of May."
    text = f"Bridge closes\n\n{teaser.capitalize()}\n\n{kept}\n"
    result = dedupe_text(text)
    assert [(r.index, r.source, r.rule) for r in result.removals] == [(1, 2, "contained")]
    where = render.stretch(result, result.removals[0])
    assert kept[where.start : where.end] == teaser
    assert where.set_aside == ""


def test_stretch_of_a_dated_copy_names_the_front() -> None:
    text = (ROOT / "samples" / "dateline-copy.txt").read_text(encoding="utf-8")
    result = dedupe_text(text)
    (removal,) = result.removals
    where = render.stretch(result, removal)
    kept = result.paragraphs[removal.source]
    assert (where.start, where.end) == (0, len(kept))
    assert where.set_aside == "INNSBRUCK, 12.07.2023 (APA) -"


def test_explain_from_worker_processes_has_the_same_width(tmp_path: Path) -> None:
    folder = tmp_path / "samples"
    folder.mkdir()
    for name in INPUTS:
        (folder / Path(name).name).write_bytes((ROOT / name).read_bytes())
    result = run_process(
        ["--check", "--explain", "--jobs", "2", "samples"], cwd=tmp_path, env={"COLUMNS": "60"}
    )
    assert result.code == 1
    expected = (EXPECTED / "columns-60.txt").read_text(encoding="utf-8")
    tables = [t for t in expected.split("samples/") if "\u250f" in t]
    assert len(tables) == 2
    for table in tables:
        assert table.split(": 1 repeated")[0] in result.err


@pytest.mark.parametrize(
    ("extra", "header"),
    [
        ([], "1 paragraph removed"),
        (["--check"], "1 paragraph to remove"),
        (["--diff"], "1 paragraph to remove"),
    ],
)
def test_explain_says_removed_only_when_the_run_writes(
    tmp_path: Path, extra: list[str], header: str
) -> None:
    """``--check`` and ``--diff`` write nothing: the table's header says
    "to remove", as the run's summary line does."""
    result = run_process(
        ["--explain", *extra, "-o", str(tmp_path / "out.txt") if not extra else "-", INPUTS[0]],
        cwd=ROOT,
        env={"COLUMNS": "80"},
    )
    assert result.err.splitlines()[0] == f"{INPUTS[0]}: {header}"
