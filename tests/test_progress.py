# ruff: noqa: E501
"""The progress display: done/total, failed and the time left stay whole on a
terminal from 60 columns up, in every mode (several files, folders, JSON
Lines shards, Dask), and a log gets plain lines with the total and the time
left.

The terminal tests run the real command with stderr on a pseudo-terminal of
a given width (``TIOCSWINSZ`` and ``COLUMNS``) and read what it drew.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from newsdedupe.progress import BatchProgress, PlainProgress

A = "The regional parliament passed the new housing law on Thursday after a debate that lasted well into the night."
B = "Opposition members said the law would do little for young families who cannot afford the deposits banks ask for."
REPEATED = f"Housing Law Passes\n\n{A}\n\n{B}\n\n{A}\n"

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
LIVE = re.compile(
    r"^dedupe [\d,]+/([\d,]+|\?) (files|shards), .*[\d,]+ failed, ETA (\d+:\d\d:\d\d|-:--:--)( \[[#-]+\])?$"
)


def run_on_terminal(args: list[str], columns: int, cwd: Path) -> tuple[int, list[str]]:
    """Run ``dedupe ARGS`` with stderr on a pseudo-terminal ``columns`` wide;
    return the exit code and every line it drew there (colours and cursor
    moves taken out; a redraw in place counts as a new line)."""
    primary, secondary = os.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "24", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsdedupe", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=secondary,
        cwd=cwd,
        env=env,
    )
    os.close(secondary)
    chunks = []
    try:
        while True:
            try:
                data = os.read(primary, 65536)
            except OSError:  # EIO: the command closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        code = proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(primary)
    text = ANSI.sub("", b"".join(chunks).decode("utf-8"))
    lines = [line for line in re.split(r"[\r\n]+", text) if line.strip()]
    return code, lines


def live_lines(lines: list[str]) -> list[str]:
    return [
        line for line in lines if line.startswith("dedupe ") and not line.startswith("dedupe: ")
    ]


def assert_whole(lines: list[str], columns: int) -> None:
    live = live_lines(lines)
    assert live, lines
    for line in live:
        assert len(line) <= columns - 1, line
        assert LIVE.match(line), line


@pytest.fixture
def crawl(tmp_path: Path) -> Path:
    folder = tmp_path / "crawl"
    for i in range(30):
        sub = folder / f"site{i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"a{i:02d}.txt").write_text(
            REPEATED if i % 10 == 0 else f"Story {i}\n\n{B}\n", encoding="utf-8"
        )
    (folder / "site0" / "photo.txt").write_bytes(b"\x89PNG\x00\x00")
    return folder


@pytest.mark.parametrize(
    ("columns", "last"),
    [
        (60, "dedupe 31/31 files, 3 changed, 1 failed, ETA 0:00:00"),
        (80, "dedupe 31/31 files, 3 changed, 3 paragraphs removed, 1 failed, ETA 0:00:00"),
    ],
)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_folder_progress_keeps_done_total_failed_and_eta_whole(
    crawl: Path, tmp_path: Path, columns: int, last: str, jobs: str
) -> None:
    code, lines = run_on_terminal(
        [str(crawl), "-o", str(tmp_path / "out"), "--jobs", jobs], columns, tmp_path
    )
    assert code == 3
    assert_whole(lines, columns)
    assert live_lines(lines)[-1] == last
    assert lines[-1].startswith("dedupe: 31 files seen, 3 changed, 27 unchanged, 1 failed; ")


@pytest.mark.parametrize("columns", [60, 80])
def test_several_files_show_progress_too(crawl: Path, tmp_path: Path, columns: int) -> None:
    files = sorted(str(p) for p in crawl.rglob("*.txt"))
    code, lines = run_on_terminal(["--check", *files], columns, tmp_path)
    assert code == 3
    assert_whole(lines, columns)
    assert live_lines(lines)[-1].startswith("dedupe 31/31 files, 3 changed, ")
    assert live_lines(lines)[-1].endswith(", 1 failed, ETA 0:00:00")


def _shards(folder: Path) -> None:
    folder.mkdir()
    for k in range(3):
        lines = [json.dumps({"id": i, "text": REPEATED if i % 2 else B}) for i in range(1500)]
        (folder / f"part{k}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "part3.jsonl").write_text('{"id": 1, "text": \n', encoding="utf-8")  # one bad record


@pytest.mark.parametrize(
    ("columns", "last"),
    [
        (60, "dedupe 4/4 shards, 4,501 records, 0 failed, ETA 0:00:00"),
        (80, "dedupe 4/4 shards, 4,501 records, 2,250 changed, 0 failed, ETA 0:00:00"),
    ],
)
def test_jsonl_progress_counts_shards_and_records(tmp_path: Path, columns: int, last: str) -> None:
    _shards(tmp_path / "shards")
    code, lines = run_on_terminal(["--jsonl", "shards", "-o", "out"], columns, tmp_path)
    assert code == 3
    assert_whole(lines, columns)
    assert live_lines(lines)[-1] == last


def test_dask_progress_moves_per_shard(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    _shards(tmp_path / "shards")
    code, lines = run_on_terminal(
        ["--jsonl", "shards", "gone.jsonl", "-o", "out", "--dask", "local", "--jobs", "1"],
        60,
        tmp_path,
    )
    assert code == 3
    assert_whole(lines, 60)
    # the path that does not exist never reaches the cluster, and is still counted
    assert live_lines(lines)[-1] == "dedupe 5/5 shards, 4,501 records, 1 failed, ETA 0:00:00"


# --- the line itself ------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_line_keeps_the_essentials_with_large_counts_at_60_columns() -> None:
    clock = Clock()
    progress = BatchProgress(io.StringIO(), clock=clock)
    progress.set_total(1_000_000)
    progress.done, progress.failed, progress.changed = 123_456, 12_345, 50_000
    clock.now += 6172.8  # 20 files a second
    assert progress.line(60) == "dedupe 123,456/1,000,000 files, 12,345 failed, ETA 12:10:27"
    assert progress.line(130) == (
        "dedupe 123,456/1,000,000 files, 50,000 changed, 0 paragraphs removed, 20 files/s, "
        "12,345 failed, ETA 12:10:27 [##---------------]"
    )


def test_the_time_left_goes_by_bytes_when_they_are_known() -> None:
    clock = Clock()
    progress = BatchProgress(io.StringIO(), unit="shards", clock=clock)
    progress.set_total(1)
    progress.set_work(1000)
    progress.add_records(10)
    assert progress.line(70) == "dedupe 0/1 shards, 10 records, 0 changed, 0 failed, ETA -:--:--"
    clock.now += 30
    progress.add_work(250)
    assert progress.line(70) == "dedupe 0/1 shards, 10 records, 0 changed, 0 failed, ETA 0:01:30"


def test_a_log_gets_a_plain_line_with_the_total_and_the_time_left() -> None:
    clock = Clock()
    stream = io.StringIO()
    progress = PlainProgress(stream, interval=10, clock=clock)
    progress.set_total(4)
    clock.now += 5
    progress.advance(changed=True, failed=False, removed=2)  # not yet 10 s
    clock.now += 5
    progress.advance(changed=False, failed=True, removed=0)
    clock.now += 12
    progress.advance(changed=False, failed=False, removed=0)
    assert stream.getvalue().splitlines() == [
        "dedupe: 2/4 files done, 1 changed, 1 failed, 0 files/s, ETA 0:00:10",
        "dedupe: 3/4 files done, 1 changed, 1 failed, 0 files/s, ETA 0:00:07",
    ]


def test_the_live_line_is_drawn_before_the_first_message() -> None:
    """A message printed before the live line's first draw found no line to
    clear; the refresh thread could then draw the line just ahead of the
    message, and the two ran together on one line (seen under load with
    ``--jobs 2``). The line is drawn when the display starts, so the first
    message always has a line to clear."""
    from newsdedupe.progress import RichProgress

    primary, secondary = os.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    stream = os.fdopen(secondary, "w", encoding="utf-8")
    try:
        progress = RichProgress(stream)
        progress.set_total(3)
        progress.message("a.txt: binary data (NUL bytes), not text; skipped")
        progress.close()
        stream.flush()
        data = os.read(primary, 65536).decode("utf-8")
    finally:
        stream.close()
        os.close(primary)
    lines = [line for line in re.split(r"[\r\n]+", ANSI.sub("", data)) if line.strip()]
    assert lines[0].startswith("dedupe 0/? files, ")  # (drawn before the total was known)
    assert "a.txt: binary data (NUL bytes), not text; skipped" in lines
