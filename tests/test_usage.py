# ruff: noqa: E501
"""Rough edges a first-time user meets: options that cannot work together are
refused with exit 2 before anything is read or written, ``-o DIR/`` writes
into the folder, messages follow one wording rule, and the command never
waits silently."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import count_workers, invoke
from newsdedupe import executors

A = "The regional parliament passed the new housing law on Thursday after a debate that lasted well into the night."
B = "Opposition members said the law would do little for young families who cannot afford the deposits banks ask for."
C = "The law takes effect in January, and the first grants can be requested from the spring."
REPEATED = f"Housing Law Passes\n\n{A}\n\n{B}\n\n{A}\n\n{C}\n"
CLEANED = f"Housing Law Passes\n\n{A}\n\n{B}\n\n{C}\n"

USAGE = "Usage: dedupe [OPTIONS] [PATHS]...\nTry 'dedupe --help' for help.\n\n"


def _article(tmp_path: Path, name: str = "a.txt") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(REPEATED, encoding="utf-8")
    return path


# --- --json FILE that cannot be opened ----------------------------------------------


def test_json_report_in_a_missing_folder_is_a_usage_error_before_anything_is_written(
    tmp_path: Path,
) -> None:
    src = _article(tmp_path)
    out = tmp_path / "clean.txt"
    target = tmp_path / "no-such-folder" / "report.jsonl"
    result = invoke([str(src), "-o", str(out), "--json", str(target)])
    assert (result.code, result.stdout) == (2, b"")
    assert (
        result.err
        == f"dedupe: --json {target}: the folder {target.parent} does not exist; create it first\n"
    )
    assert not out.exists()


def test_json_report_naming_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    src = _article(tmp_path)
    result = invoke([str(src), "--json", str(tmp_path)])
    assert (result.code, result.stdout) == (2, b"")
    assert result.err == f"dedupe: --json {tmp_path}: is a folder; give the report a file name\n"


def test_json_report_folder_check_holds_in_folder_and_jsonl_modes(tmp_path: Path) -> None:
    _article(tmp_path / "in", "a.txt")
    target = tmp_path / "missing" / "r.jsonl"
    for args in (
        [str(tmp_path / "in"), "--check", "--json", str(target)],
        ["--jsonl", "-", "--json", str(target)],
    ):
        result = invoke(args, stdin=b'{"text": "x"}\n')
        assert (result.code, result.stdout) == (2, b""), args
        assert (
            result.err
            == f"dedupe: --json {target}: the folder {target.parent} does not exist; create it first\n"
        )


@pytest.mark.parametrize(("option", "report"), [("--json", "REPORT.json"), ("--report", "REPORT.html")])
def test_a_report_over_an_input_with_no_input_named_is_refused(
    tmp_path: Path, option: str, report: str
) -> None:
    """``dedupe --json article.txt`` (--json taken for a switch) reads stdin
    and would have written the report over the article."""
    src = _article(tmp_path)
    result = invoke([option, str(src)], stdin=b"")
    assert (result.code, result.stdout) == (2, b"")
    assert result.err == (
        f"dedupe: {option} {src} would write the report over an input (no input was"
        f" named, so stdin is read); to clean {src}: dedupe {option} {report} {src}\n"
    )
    assert src.read_text(encoding="utf-8") == REPEATED


def test_a_report_over_a_shard_with_no_input_named_is_refused_with_jsonl(tmp_path: Path) -> None:
    shard = tmp_path / "part-1.jsonl"
    shard.write_bytes(b'{"text": "x"}\n')
    result = invoke(["--jsonl", "--json", str(shard)], stdin=b"")
    assert (result.code, result.stdout) == (2, b"")
    assert result.err.startswith(f"dedupe: --json {shard} would write the report over an input")
    assert shard.read_bytes() == b'{"text": "x"}\n'


def test_a_report_file_that_is_no_input_is_written_from_stdin(tmp_path: Path) -> None:
    """The guard is about inputs only: a report named like no input the run
    would take (here .json; with --glob '*.md', a .txt too) is written."""
    for args in (["--json"], ["--glob", "*.md", "--json"]):
        target = tmp_path / ("old.json" if len(args) == 1 else "old.txt")
        target.write_text("earlier report\n", encoding="utf-8")
        result = invoke([*args, str(target)], stdin=REPEATED.encode())
        assert (result.code, result.stdout) == (0, CLEANED.encode()), args
        assert json.loads(target.read_text(encoding="utf-8"))["removed_paragraphs"] == 1


# --- --backup -----------------------------------------------------------------------


def test_backup_with_an_empty_suffix_is_refused_and_the_file_left_alone(tmp_path: Path) -> None:
    src = _article(tmp_path)
    result = invoke(["--in-place", "--backup", "", str(src)])
    assert (result.code, result.stdout) == (2, b"")
    assert result.err == (
        USAGE + "Error: Invalid value for --backup: the suffix is empty, so no backup would be "
        "kept; give one such as .orig\n"
    )
    assert src.read_text("utf-8") == REPEATED


def test_backup_that_is_a_path_is_refused(tmp_path: Path) -> None:
    src = _article(tmp_path)
    result = invoke(["--in-place", "--backup", "/x", str(src)])
    assert (result.code, result.stdout) == (2, b"")
    assert result.err == (
        USAGE + "Error: Invalid value for --backup: '/x' is a path; give a suffix such as .orig "
        "(the backup goes beside the file)\n"
    )
    assert src.read_text("utf-8") == REPEATED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


# --- --diff with a write -------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "where"), [(["-o", "OUT"], "-o"), (["--in-place"], "--in-place")]
)
def test_diff_with_a_write_is_refused(tmp_path: Path, extra: list[str], where: str) -> None:
    src = _article(tmp_path)
    out = tmp_path / "out.txt"
    args = ["--diff", str(src), *[str(out) if a == "OUT" else a for a in extra]]
    result = invoke(args)
    assert (result.code, result.stdout) == (2, b"")
    assert result.err == (
        USAGE
        + f"Error: --diff only shows what would go and writes no file; run {where} without --diff\n"
    )
    assert not out.exists()
    assert src.read_text("utf-8") == REPEATED


# --- -o DIR/ --------------------------------------------------------------------------


def test_output_with_a_trailing_slash_is_a_folder_for_one_file(tmp_path: Path) -> None:
    src = _article(tmp_path)
    dest = tmp_path / "newdir"
    result = invoke([str(src), "-o", f"{dest}/", "-q"])
    assert (result.code, result.stdout, result.stderr) == (0, b"", b"")
    assert dest.is_dir()
    assert (dest / "a.txt").read_text("utf-8") == CLEANED


def test_output_naming_an_existing_folder_writes_into_it(tmp_path: Path) -> None:
    one = _article(tmp_path, "one.txt")
    two = _article(tmp_path, "two.txt")
    dest = tmp_path / "out"
    dest.mkdir()
    for args in ([str(one), "-o", str(dest), "-q"], [str(one), str(two), "-o", str(dest), "-q"]):
        result = invoke(args)
        assert (result.code, result.stdout, result.stderr) == (0, b"", b""), args
    assert sorted(p.name for p in dest.iterdir()) == ["one.txt", "two.txt"]
    assert (dest / "two.txt").read_text("utf-8") == CLEANED


def test_output_folder_for_a_jsonl_file(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"text": REPEATED}) + "\n", encoding="utf-8")
    dest = tmp_path / "new"
    result = invoke(["--jsonl", str(src), "-o", f"{dest}/", "-q"])
    assert (result.code, result.stdout, result.stderr) == (0, b"", b"")
    assert (dest / "a.jsonl").read_text("utf-8") == json.dumps({"text": CLEANED}) + "\n"


def test_stdin_into_an_output_folder_is_refused(tmp_path: Path) -> None:
    result = invoke(["-o", f"{tmp_path}/"], stdin=REPEATED.encode())
    assert (result.code, result.stdout) == (2, b"")
    assert result.err == f"dedupe: -o {tmp_path}/ names a folder; stdin needs -o FILE\n"


# --- options of the other mode ----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--field", "body"], "--field"),
        (["--stats-field", "stats"], "--stats-field"),
        (["--drop-bad"], "--drop-bad"),
        (["--dask", "local"], "--dask"),
    ],
)
def test_jsonl_options_without_jsonl_are_refused(
    tmp_path: Path, args: list[str], flag: str
) -> None:
    src = _article(tmp_path)
    result = invoke([str(src), *args])
    assert (result.code, result.stdout) == (2, b"")
    assert result.err == USAGE + f"Error: {flag} applies to JSON Lines input; add --jsonl\n"


# --- a wrong --field ------------------------------------------------------------------


def test_a_wrong_field_is_told_once_then_counted(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.jsonl", "b.jsonl"):
        lines = [json.dumps({"id": i, "text": REPEATED}) for i in range(3)]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke(["--jsonl", str(folder), "--field", "body", "--check"])
    assert (result.code, result.stdout) == (3, b"")
    assert result.err.splitlines() == [
        f'{folder}/a.jsonl:1: no "body" field; passed through unchanged',
        'dedupe: 5 more records have no "body" field, passed through unchanged; check --field',
        "dedupe: 2 shards, 6 records: 0 changed, 0 paragraphs and 0 characters to remove; 6 bad records",
    ]


# --- -v on a long document ---------------------------------------------------------------


def test_verbose_events_are_cut_on_an_event_boundary_with_a_count() -> None:
    from newsdedupe.messages import events_text

    events = [f"paragraph {i} repeats {i - 100}" for i in range(101, 201)]
    text = events_text(events, limit=60)
    assert text == "paragraph 101 repeats 1; paragraph 102 repeats 2; ... and 98 more events"
    assert events_text(events[:2], limit=60) == "paragraph 101 repeats 1; paragraph 102 repeats 2"


def test_verbose_line_on_a_file_of_many_removals_is_short(tmp_path: Path) -> None:
    paragraphs = [
        f"Paragraph number {i} of the long report tells its own story in full sentences."
        for i in range(400)
    ]
    copies = [
        p for pair in zip(paragraphs, paragraphs, strict=True) for p in pair
    ]  # each one doubled in place
    src = tmp_path / "long.txt"
    src.write_text("\n\n".join(copies) + "\n", encoding="utf-8")
    result = invoke([str(src), "-v"])
    assert result.code == 0
    shown = "; ".join(
        f"paragraph {2 * k} repeats {2 * k - 1}" for k in range(1, 13)
    )  # 289 characters
    assert result.err == (
        f"{src}: removed 400 paragraphs, 31,890 characters ({shown}; ... and 388 more events)\n"
    )


# --- --threshold below the useful range ---------------------------------------------------


def test_a_threshold_below_70_warns(tmp_path: Path) -> None:
    src = _article(tmp_path)
    result = invoke([str(src), "--threshold", "50"])
    assert (result.code, result.stdout) == (0, CLEANED.encode())
    assert result.err == (
        "dedupe: --threshold 50 is below 70: unrelated paragraphs start to count as copies "
        "(two different paragraphs can score 44); 70-100 is the useful range\n"
    )
    quiet = invoke([str(src), "--threshold", "50", "-q"])
    assert (quiet.code, quiet.stderr) == (0, b"")
    usual = invoke([str(src), "--threshold", "70"])
    assert (usual.code, usual.stderr) == (0, b"")


# --- counts in messages -------------------------------------------------------------------


def test_counts_are_singular_plural_and_grouped() -> None:
    from newsdedupe.messages import count

    assert [count(n, "file") for n in (0, 1, 2, 5000)] == [
        "0 files",
        "1 file",
        "2 files",
        "5,000 files",
    ]


def test_folder_summary_says_1_file_not_1_files(tmp_path: Path) -> None:
    _article(tmp_path / "in", "a.txt")
    result = invoke([str(tmp_path / "in"), "--check", "--jobs", "1"])
    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[0] == f"{tmp_path}/in/a.txt: 1 repeated paragraph"
    assert lines[1].startswith(
        f"dedupe: 1 file seen, 1 changed, 0 unchanged, 0 failed; 1 paragraph and {len(A) + 2} characters to remove in "
    )


def test_check_wording_is_the_same_in_folder_and_jsonl_modes(tmp_path: Path) -> None:
    _article(tmp_path / "in", "a.txt")
    shard = tmp_path / "a.jsonl"
    shard.write_text(json.dumps({"text": REPEATED}) + "\n", encoding="utf-8")
    text = invoke([str(tmp_path / "in"), "--check", "--jobs", "1"])
    records = invoke(["--jsonl", str(shard), "--check"])
    assert text.err.splitlines()[0].endswith(": 1 repeated paragraph")
    assert records.err.splitlines() == [
        f"{shard}: 1 repeated paragraph in 1 record",
        f"dedupe: 1 shard, 1 record: 1 changed, 1 paragraph and {len(A) + 2} characters to remove",
    ]


# --- workers only when they pay ----------------------------------------------------------


def test_a_small_folder_starts_no_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(5):
        _article(tmp_path / "in", f"a{i}.txt")

    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a worker pool was started for five small files")

    monkeypatch.setattr(executors, "Workers", no_pool)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    result = invoke([str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q"])
    assert (result.code, result.stdout, result.stderr) == (0, b"", b"")
    assert (tmp_path / "out" / "a4.txt").read_text("utf-8") == CLEANED


def test_a_large_folder_still_uses_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = count_workers(monkeypatch)
    monkeypatch.setattr(executors, "SERIAL_BYTES", 1000)
    for i in range(5):
        _article(tmp_path / "in", f"a{i}.txt")
    result = invoke([str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q", "--jobs", "2"])
    assert (result.code, result.stderr) == (0, b"")
    assert started == [2]
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    started.clear()
    result = invoke([str(tmp_path / "in"), "-o", str(tmp_path / "out2"), "-q"])
    assert (result.code, result.stderr) == (0, b"")
    assert started == [2]


# --- no input named, a terminal on stdin ---------------------------------------------------


def test_no_argument_on_a_terminal_prints_a_hint_and_keeps_reading() -> None:
    primary, secondary = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsdedupe"],
        stdin=secondary,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    os.close(secondary)
    try:
        assert proc.stderr is not None
        ready, _, _ = select.select([proc.stderr], [], [], 20)
        assert ready, "no hint within 20 s"
        hint = proc.stderr.readline()
        assert (
            hint
            == b"dedupe: reading text from the terminal; end it with Ctrl-D (dedupe -h: help)\n"
        )
        time.sleep(0.1)
        assert proc.poll() is None  # still waiting for the text
        os.write(primary, REPEATED.encode() + b"\x04")
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(primary)
    assert proc.returncode == 0
    assert err == b""
    assert out == CLEANED.encode()


def test_output_file_in_a_missing_folder_is_a_usage_error_before_anything_is_read(
    tmp_path: Path,
) -> None:
    src = _article(tmp_path)
    out = tmp_path / "no-such-folder" / "deeper" / "clean.txt"
    result = invoke([str(src), "-o", str(out)])
    assert (result.code, result.stdout) == (2, b"")
    assert result.err == (
        f"dedupe: -o {out}: the folder {out.parent} does not exist; create it first\n"
    )
    assert not out.parent.exists()
    assert invoke([str(src), "-o", str(out), "--check"]).code == 1  # --check writes nothing


def test_output_folder_of_a_folder_run_is_made_with_its_parents(tmp_path: Path) -> None:
    """With a folder to clean, ``-o`` names the output folder: it is made,
    with any folder above it that is missing."""
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "a.txt").write_text(REPEATED, encoding="utf-8")
    out = tmp_path / "new" / "deeper" / "clean"
    result = invoke([str(crawl), "-o", str(out), "-q"])
    assert result.code == 0, result.err
    assert (out / "a.txt").read_text(encoding="utf-8") == CLEANED
