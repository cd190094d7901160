# ruff: noqa: E501
"""The ``dedupe`` command: stdout carries only the text (or the diff or JSON
asked for), messages go to stderr, exit codes 0/1/2/3, files are written
atomically and never onto their own input.

Most tests run the command in-process with click's CliRunner; those that need
real pipes, the installed script, ``python -m`` or a fresh interpreter run a
subprocess.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import newsdedupe
from conftest import SAMPLES, invoke, run_process
from newsdedupe import dedupe_text
from newsdedupe import io as nio

QUSAYR = SAMPLES / "qusayr.txt"
QUSAYR_EXPECTED = SAMPLES / "qusayr.expected.txt"
DOUBLED = SAMPLES / "doubled-body.txt"
DOUBLED_EXPECTED = SAMPLES / "doubled-body.expected.txt"

A = "The regional parliament passed the new housing law on Thursday after a debate that lasted well into the night."
B = "Opposition members said the law would do little for young families who cannot afford the deposits banks ask for."
C = "The law takes effect in January, and the first grants can be requested from the spring."
REPEATED = f"Housing Law Passes\n\n{A}\n\n{B}\n\n{A}\n\n{C}\n"
CLEANED = f"Housing Law Passes\n\n{A}\n\n{B}\n\n{C}\n"
NO_REPEATS = f"Housing Law Passes\n\n{A}\n\n{B}\n\n{C}\n"

needs_batch = pytest.mark.skipif(
    importlib.util.find_spec("newsdedupe.batch") is None, reason="batch mode (batch.py) not there yet"
)


# --- stdin, files, stdout -------------------------------------------------------------


def test_stdin_to_stdout() -> None:
    result = invoke([], stdin=REPEATED.encode())
    assert (result.code, result.stdout, result.stderr) == (0, CLEANED.encode(), b"")


def test_dash_reads_stdin() -> None:
    result = invoke(["-"], stdin=REPEATED.encode())
    assert (result.code, result.stdout, result.stderr) == (0, CLEANED.encode(), b"")


def test_file_to_stdout(write) -> None:  # type: ignore[no-untyped-def]
    path = write("article.txt", REPEATED)
    result = invoke([str(path)])
    assert (result.code, result.stdout, result.stderr) == (0, CLEANED.encode(), b"")
    assert path.read_text() == REPEATED


def test_file_without_repeats_comes_back_byte_identical(write) -> None:  # type: ignore[no-untyped-def]
    data = ("\ufeff" + NO_REPEATS.replace("\n", "\r\n")).encode()[:-2]
    path = write("clean.txt", data)
    result = invoke([str(path)])
    assert (result.code, result.stdout, result.stderr) == (0, data, b"")


def test_two_files_are_cleaned_one_after_the_other(write) -> None:  # type: ignore[no-untyped-def]
    one, two = write("one.txt", REPEATED), write("two.txt", NO_REPEATS)
    result = invoke([str(one), str(two)])
    assert (result.code, result.stdout, result.stderr) == (0, (CLEANED + NO_REPEATS).encode(), b"")


def test_qusayr_sample_gives_the_expected_file() -> None:
    result = run_process([str(QUSAYR)])
    assert result.code == 0
    assert result.stderr == b""
    assert result.stdout == QUSAYR_EXPECTED.read_bytes()


def test_qusayr_check_exits_1_and_0_on_the_expected_file() -> None:
    assert run_process(["--check", str(QUSAYR)]).code == 1
    clean = run_process(["--check", str(QUSAYR_EXPECTED)])
    assert (clean.code, clean.stdout, clean.stderr) == (0, b"", b"")


@pytest.mark.parametrize(
    "args", [[str(QUSAYR)], ["--check", str(QUSAYR)], ["--json", "-", str(QUSAYR)], ["--version"]]
)
def test_python_dash_m_equals_the_dedupe_command(args: list[str]) -> None:
    script = run_process(args)
    module = run_process(args, module=True)
    assert (module.code, module.stdout, module.stderr) == (script.code, script.stdout, script.stderr)


def test_result_does_not_depend_on_the_hash_seed() -> None:
    outs = {run_process([str(SAMPLES / "resplit-copy.txt")], env={"PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "random")}
    assert outs == {(SAMPLES / "resplit-copy.expected.txt").read_bytes()}


# --- options that change the matching ------------------------------------------------------


def test_threshold_option(write) -> None:  # type: ignore[no-untyped-def]
    typo = A.replace("parliament", "parliment")
    path = write("typo.txt", f"{A}\n\n{B}\n\n{typo}\n")
    assert invoke([str(path)]).stdout == f"{A}\n\n{B}\n".encode()
    assert invoke(["--threshold", "100", str(path)]).stdout == path.read_bytes()


def test_min_length_option(write) -> None:  # type: ignore[no-untyped-def]
    line = "Tickets are sold at the town hall only."
    path = write("short.txt", f"{line}\n\n{A}\n\n{B}\n\n{line}\n\n{C}\n")
    assert invoke([str(path)]).stdout == path.read_bytes()
    assert invoke(["--min-length", "20", str(path)]).stdout == f"{line}\n\n{A}\n\n{B}\n\n{C}\n".encode()


def test_split_option(write) -> None:  # type: ignore[no-untyped-def]
    path = write("lines.txt", f"{A}\n{B}\n{A}\n")
    assert invoke([str(path)]).stdout == f"{A}\n{B}\n".encode()
    assert invoke(["--split", "blank", str(path)]).stdout == path.read_bytes()
    assert invoke(["--split", "line", str(path)]).stdout == f"{A}\n{B}\n".encode()


def test_keep_longest_option(write) -> None:  # type: ignore[no-untyped-def]
    short = "The market hall will close for renovation from the first of March, the council said."
    longer = "BERLIN (dpa) - " + short
    path = write("keep.txt", f"{short}\n\n{B}\n\n{longer}\n")
    assert invoke([str(path)]).stdout == f"{short}\n\n{B}\n".encode()
    assert invoke(["--keep", "longest", str(path)]).stdout == f"{longer}\n\n{B}\n".encode()


def test_encoding_latin1_round_trip(write) -> None:  # type: ignore[no-untyped-def]
    a = "Le café de la place fermera ses portes à la fin du mois, faute de repreneur, a dit René."
    b = "Les habitués ont prévu une dernière soirée avec de la musique sur la terrasse."
    data = f"{a}\n\n{b}\n\n{a}\n".encode("latin-1")
    path = write("latin1.txt", data)
    result = invoke(["--encoding", "latin-1", str(path)])
    assert (result.code, result.stdout, result.stderr) == (0, f"{a}\n\n{b}\n".encode("latin-1"), b"")
    out = path.with_name("out.txt")
    assert invoke(["--encoding", "latin-1", str(path), "-o", str(out)]).code == 0
    assert out.read_bytes() == f"{a}\n\n{b}\n".encode("latin-1")


def test_encoding_utf16_is_written_with_one_byte_order_mark(write) -> None:  # type: ignore[no-untyped-def]
    """The cleaned text is written a piece at a time: the pieces of an
    encoding with a byte-order mark still carry one, at the front."""
    a = "Le café de la place fermera ses portes à la fin du mois, faute de repreneur, a dit René."
    b = "Les habitués ont prévu une dernière soirée avec de la musique sur la terrasse."
    path = write("utf16.txt", f"{a}\r\n\r\n{b}\r\n\r\n{a}\r\n".encode("utf-16"))
    expected = f"{a}\r\n\r\n{b}\r\n".encode("utf-16")
    result = invoke(["--encoding", "utf-16", str(path)])
    assert (result.code, result.stdout, result.stderr) == (0, expected, b"")
    out = path.with_name("out.txt")
    assert invoke(["--encoding", "utf-16", str(path), "-o", str(out)]).code == 0
    assert out.read_bytes() == expected


def test_bom_and_crlf_survive_the_command() -> None:
    result = invoke([str(SAMPLES / "crlf-bom.txt")])
    assert result.stdout == (SAMPLES / "crlf-bom.expected.txt").read_bytes()
    assert result.stdout.startswith(b"\xef\xbb\xbf") and result.stdout.endswith(b"\r\n")


# --- --check, --diff, --explain, --json ------------------------------------------------------


def test_check_exits_1_with_repeats_and_writes_nothing(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)
    out = path.with_name("out.txt")
    result = invoke(["--check", str(path), "-o", str(out)])
    assert result.code == 1
    assert result.stdout == b""
    assert result.err == f"{path}: 1 repeated paragraph\n"
    assert not out.exists()
    assert path.read_text() == REPEATED


def test_check_exits_0_without_repeats(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", NO_REPEATS)
    result = invoke(["--check", str(path)])
    assert (result.code, result.stdout, result.stderr) == (0, b"", b"")


def test_check_quiet_has_no_message(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)
    result = invoke(["--check", "-q", str(path)])
    assert (result.code, result.stdout, result.stderr) == (1, b"", b"")


def test_check_in_place_leaves_the_file(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)
    assert invoke(["--check", "--in-place", str(path)]).code == 1
    assert path.read_text() == REPEATED


def test_verbose_says_what_went(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)
    result = invoke(["-v", str(path)])
    assert result.stdout == CLEANED.encode()
    assert result.err == f"{path}: removed 1 paragraph, {len(A) + 2} characters (paragraph 4 repeats 2)\n"


def test_diff_shows_the_removed_paragraph(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)
    result = invoke(["--diff", str(path)])
    assert result.code == 0
    assert result.stderr == b""
    name = str(path)
    assert result.out == (
        f"--- a/{name}\n+++ b/{name}\n@@ -4,6 +4,4 @@\n \n {B}\n \n-{A}\n-\n {C}\n"
    )


def test_diff_without_repeats_is_empty(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", NO_REPEATS)
    result = invoke(["--diff", str(path)])
    assert (result.code, result.stdout, result.stderr) == (0, b"", b"")


def test_diff_marks_a_missing_final_newline(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", f"{A}\n\n{B}\n\n{A}")
    out = invoke(["--diff", str(path)]).out
    assert out.endswith(f"-\n-{A}\n\\ No newline at end of file\n+{B}\n\\ No newline at end of file\n")


def test_diff_counts_lines_at_newlines_only(write) -> None:  # type: ignore[no-untyped-def]
    """Regression: the diff split lines with str.splitlines, which also breaks
    at U+2028, NEL and form feeds, so a paragraph holding one got a "No newline
    at end of file" marker in the middle and wrong line numbers."""
    a = A.replace(" well ", " well\u2028") + "\x0c"
    path = write("a.txt", f"{a}\n\n{B}\n\n{a}\n")
    out = invoke(["--diff", str(path)]).out
    assert "No newline" not in out
    assert f"@@ -1,5 +1,3 @@\n {a}\n \n {B}\n-\n-{a}\n" in out


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs the patch program")
@pytest.mark.parametrize(
    "text",
    [
        REPEATED,
        REPEATED.replace("\n", "\r\n"),
        f"{A}\n\n{B}\n\n{A}",
        f"{A}\n{B}\n{A}\n{C}",
        f"\ufeff{A}\n\n{B}\n\n{A}\n\n\n",
        f"{A}\u2028x\n\n{B}\n\n{A}\u2028x\n",
    ],
)
def test_diff_applies_with_patch(text: str, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", text)
    diff = invoke(["--diff", str(path)]).stdout
    expected = invoke([str(path)]).stdout
    assert diff and expected != text.encode()
    proc = subprocess.run(["patch", "-s", str(path)], input=diff, capture_output=True, timeout=30)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert path.read_bytes() == expected


def test_explain_table_goes_to_stderr_only(write, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)
    monkeypatch.chdir(path.parent)
    path = Path("a.txt")
    result = invoke(["--explain", str(path)])
    assert result.code == 0
    assert result.stdout == CLEANED.encode()
    err = result.err
    assert f"{path}: 1 paragraph removed" in err
    assert "near-duplicate" in err and "100" in err
    assert "paragraph 4 repeats 2" in err
    assert "near-duplicate" not in result.out


def test_explain_with_diff_keeps_the_table_off_stdout() -> None:
    result = invoke(["--diff", "--explain", str(DOUBLED)])
    assert "near-duplicate" in result.err
    assert "paragraphs 9\u201314 repeat 3\u20138" in result.err
    assert result.out.startswith(f"--- a/{DOUBLED}\n")
    assert "\u2501" not in result.out  # no table rules on stdout


def test_json_stdout_one_object_per_input_and_no_text(write) -> None:  # type: ignore[no-untyped-def]
    one, two = write("one.txt", REPEATED), write("two.txt", NO_REPEATS)
    result = invoke(["--json", "-", str(one), str(two)])
    assert result.code == 0
    assert result.stderr == b""
    lines = result.out.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first == {
        "path": str(one),
        "status": "changed",
        "paragraphs": 5,
        "removed_paragraphs": 1,
        "removed_chars": len(A) + 2,
        "removals": [{"index": 3, "rule": "near-duplicate", "source": 1, "score": 100.0, "text": A}],
        "kept": [],
        "events": [{"first": 3, "last": 3, "source_first": 1, "source_last": 1}],
        "error": None,
    }
    assert (second["path"], second["status"], second["removals"]) == (str(two), "unchanged", [])
    assert A not in result.out.replace(json.dumps(A, ensure_ascii=False)[1:-1], "")


def test_json_file_and_text_on_stdout(write) -> None:  # type: ignore[no-untyped-def]
    one, two = write("one.txt", REPEATED), write("two.txt", NO_REPEATS)
    report = one.with_name("report.json")
    result = invoke(["--json", str(report), str(one), str(two)])
    assert result.code == 0
    assert result.stdout == (CLEANED + NO_REPEATS).encode()
    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert [(r["path"], r["status"]) for r in records] == [(str(one), "changed"), (str(two), "unchanged")]


def test_json_records_a_failed_input(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "missing.txt"
    good = write("good.txt", REPEATED)
    result = invoke(["--json", "-", str(missing), str(good)])
    assert result.code == 3
    failed, done = (json.loads(line) for line in result.out.splitlines())
    assert failed == {"path": str(missing), "status": "failed", "error": f"{missing}: no such file; check the path"}
    assert done["status"] == "changed"
    assert result.err == f"{missing}: no such file; check the path\n"


def test_json_keeps_non_ascii_text_readable(write) -> None:  # type: ignore[no-untyped-def]
    a = "ارتفع سعر الخبز بنسبة ٥ في المئة هذا الشهر بعد زيادة أسعار الطحين في الأسواق المحلية."
    path = write("ar.txt", f"{a}\n{B}\n{a}\n")
    result = invoke(["--json", "-", str(path)])
    assert a in result.out
    assert json.loads(result.out)["removals"][0]["text"] == a


# --- writing files -----------------------------------------------------------------------------


def test_output_file(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)
    out = path.with_name("clean.txt")
    result = invoke([str(path), "-o", str(out)])
    assert (result.code, result.stdout, result.stderr) == (0, b"", b"")
    assert out.read_bytes() == CLEANED.encode()
    assert path.read_text() == REPEATED


def test_output_file_is_written_also_without_repeats(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", NO_REPEATS)
    out = path.with_name("clean.txt")
    assert invoke([str(path), "-o", str(out)]).code == 0
    assert out.read_bytes() == NO_REPEATS.encode()


def test_output_onto_its_own_input_is_refused(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)
    result = invoke([str(path), "-o", str(path)])
    assert result.code == 2
    assert result.stdout == b""
    assert str(path) in result.err and "--in-place" in result.err
    assert path.read_text() == REPEATED


def test_output_onto_its_own_input_through_another_name_is_refused(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)
    link = tmp_path / "link.txt"
    link.symlink_to(path)
    result = invoke([str(path), "-o", str(link)])
    assert result.code == 2
    assert "--in-place" in result.err
    assert path.read_text() == REPEATED


def test_json_report_onto_an_input_is_refused_and_the_input_kept(write) -> None:  # type: ignore[no-untyped-def]
    """Regression: --json FILE was opened (truncated) before the input was read,
    so ``dedupe a.txt --json a.txt`` wiped a.txt."""
    path = write("a.txt", REPEATED)
    result = invoke([str(path), "--json", str(path)])
    assert (result.code, result.stdout) == (2, b"")
    assert result.err == f"{path}: --json names an input; give the report a file of its own\n"
    assert path.read_text() == REPEATED


def test_json_report_onto_the_output_file_is_refused(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)
    out = path.with_name("out.txt")
    result = invoke([str(path), "-o", str(out), "--json", str(out)])
    assert result.code == 2
    assert "--json and -o name the same file" in result.err
    assert not out.exists()


def test_output_with_two_inputs_is_bad_usage(write) -> None:  # type: ignore[no-untyped-def]
    one, two = write("one.txt", REPEATED), write("two.txt", NO_REPEATS)
    result = invoke([str(one), str(two), "-o", str(one.with_name("out.txt"))])
    assert result.code == 2
    assert result.stdout == b""
    assert "-o FILE takes one input" in result.err


def test_output_dash_means_stdout_and_creates_no_file(write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)
    monkeypatch.chdir(tmp_path)
    result = invoke([str(path), "-o", "-"])
    assert (result.code, result.stdout, result.stderr) == (0, CLEANED.encode(), b"")
    assert not (tmp_path / "-").exists()


def test_diff_with_json_on_stdout_is_bad_usage(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)
    result = invoke([str(path), "--diff", "--json", "-"])
    assert result.code == 2
    assert result.stdout == b""
    assert "--diff and --json - both write to stdout" in result.err


def test_output_and_in_place_together_is_bad_usage(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)
    result = invoke([str(path), "--in-place", "-o", str(path.with_name("o.txt"))])
    assert result.code == 2
    assert "either -o or --in-place" in result.err
    assert path.read_text() == REPEATED


def test_backup_without_in_place_is_bad_usage(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)
    result = invoke([str(path), "--backup", ".orig"])
    assert result.code == 2
    assert "--backup goes with --in-place" in result.err


def test_in_place_with_stdin_is_bad_usage() -> None:
    result = invoke(["--in-place"], stdin=REPEATED.encode())
    assert result.code == 2
    assert result.stdout == b""
    assert "--in-place needs files" in result.err


def test_in_place_rewrites_and_keeps_the_mode(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)
    os.chmod(path, 0o640)
    result = invoke(["--in-place", str(path)])
    assert (result.code, result.stdout, result.stderr) == (0, b"", b"")
    assert path.read_bytes() == CLEANED.encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no temp file left


def test_in_place_is_a_rename_not_an_overwrite(write) -> None:  # type: ignore[no-untyped-def]
    """Atomic: the new content arrives as a new file renamed over the old one,
    so a reader holding the old file still sees all of it."""
    path = write("a.txt", REPEATED)
    before = path.stat().st_ino
    with path.open("rb") as held:
        assert invoke(["--in-place", str(path)]).code == 0
        assert held.read() == REPEATED.encode()
    assert path.stat().st_ino != before


def test_in_place_through_a_symlink_rewrites_the_file_it_points_to(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Regression: the rename went over the link, turning it into a cleaned
    copy and leaving the real file with its repeats."""
    real = write("real.txt", REPEATED)
    link = tmp_path / "link.txt"
    link.symlink_to(real.name)
    result = invoke(["--in-place", "--backup", ".orig", str(link)])
    assert (result.code, result.stdout, result.stderr) == (0, b"", b"")
    assert link.is_symlink()
    assert real.read_bytes() == CLEANED.encode()
    assert real.with_name("real.txt.orig").read_bytes() == REPEATED.encode()


def test_in_place_backup_keeps_the_original(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)
    result = invoke(["--in-place", "--backup", ".orig", str(path)])
    assert result.code == 0
    assert path.read_bytes() == CLEANED.encode()
    assert path.with_name("a.txt.orig").read_bytes() == REPEATED.encode()


def test_in_place_leaves_a_file_without_repeats_alone(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", NO_REPEATS)
    before = path.stat()
    assert invoke(["--in-place", "--backup", ".orig", str(path)]).code == 0
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_in_place_keeps_crlf_bom_and_encoding(write) -> None:  # type: ignore[no-untyped-def]
    path = write("crlf.txt", (SAMPLES / "crlf-bom.txt").read_bytes())
    assert invoke(["--in-place", str(path)]).code == 0
    assert path.read_bytes() == (SAMPLES / "crlf-bom.expected.txt").read_bytes()


def test_interrupted_write_leaves_the_old_file_and_no_temp(write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(nio.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        nio.atomic_write(path, b"new text")
    assert path.read_text() == REPEATED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write read-only folders")
def test_unwritable_folder_fails_with_exit_3(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write("ro/a.txt", REPEATED)
    os.chmod(path.parent, 0o555)
    try:
        result = invoke(["--in-place", str(path)])
    finally:
        os.chmod(path.parent, 0o755)
    assert result.code == 3
    assert f"{path}: cannot be written" in result.err
    assert path.read_text() == REPEATED


# --- bad input: one line on stderr, the file untouched, the rest goes on ---------------------


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = invoke([str(missing)])
    assert (result.code, result.stdout) == (3, b"")
    assert result.err == f"{missing}: no such file; check the path\n"


def test_missing_file_does_not_stop_the_others(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "nope.txt"
    good = write("good.txt", REPEATED)
    result = invoke([str(missing), str(good)])
    assert result.code == 3
    assert result.stdout == CLEANED.encode()
    assert result.err == f"{missing}: no such file; check the path\n"


def test_failed_input_does_not_stop_in_place_of_the_others(write) -> None:  # type: ignore[no-untyped-def]
    bad = write("bad.txt", b"text\x00more")
    good = write("good.txt", REPEATED)
    result = invoke(["--in-place", str(bad), str(good)])
    assert result.code == 3
    assert good.read_bytes() == CLEANED.encode()
    assert bad.read_bytes() == b"text\x00more"


def test_binary_data_is_refused(write) -> None:  # type: ignore[no-untyped-def]
    path = write("img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = invoke([str(path)])
    assert (result.code, result.stdout) == (3, b"")
    assert result.err.count("\n") == 1
    assert result.err.startswith(f"{path}: binary data (NUL bytes)")


def test_undecodable_bytes_are_refused_with_a_hint(write) -> None:  # type: ignore[no-untyped-def]
    path = write("latin.txt", "Caf\u00e9 de la place\n".encode("latin-1"))
    result = invoke([str(path)])
    assert (result.code, result.stdout) == (3, b"")
    assert result.err == f"{path}: not valid utf-8 (byte 3); name its encoding with --encoding\n"
    assert path.read_bytes() == "Caf\u00e9 de la place\n".encode("latin-1")


def test_undecodable_stdin(write) -> None:  # type: ignore[no-untyped-def]
    result = invoke([], stdin=b"\xff\xfe bad")
    assert (result.code, result.stdout) == (3, b"")
    assert result.err.startswith("<stdin>: not valid utf-8")


def test_unknown_encoding_is_bad_usage(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)
    result = invoke(["--encoding", "no-such-codec", str(path)])
    assert (result.code, result.stdout) == (2, b"")
    assert "unknown encoding 'no-such-codec'" in result.err


@pytest.mark.parametrize("args", [["--threshold", "101"], ["--threshold", "-1"], ["--min-length", "-3"], ["--split", "para"], ["--keep", "last"], ["--no-such-option"]])
def test_bad_option_values_are_bad_usage(args: list[str], write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", REPEATED)
    result = invoke([*args, str(path)])
    assert (result.code, result.stdout) == (2, b"")
    assert "Usage: dedupe" in result.err


def test_bad_usage_exits_2_from_the_installed_command() -> None:
    result = run_process(["--threshold", "200", str(QUSAYR)])
    assert (result.code, result.stdout) == (2, b"")
    assert "Traceback" not in result.err


@needs_batch
def test_folder_without_output_is_refused_and_named(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "crawl"
    write("crawl/a.txt", REPEATED)
    good = write("good.txt", REPEATED)
    result = invoke([str(folder), str(good)])
    assert result.code == 3
    assert result.stdout == CLEANED.encode()
    assert str(folder) in result.err
    assert "-o DIR or --in-place" in result.err
    assert (folder / "a.txt").read_text() == REPEATED


# --- pipes, --version, --help ----------------------------------------------------------------


def test_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """``dedupe big.txt | head -c 10``: no traceback, no message."""
    big = tmp_path / "big.txt"
    # one paragraph of 1 MB: far more than a pipe buffer, and nothing to compare
    big.write_text("Paragraph " + " ".join(f"word{i}" for i in range(120_000)) + "\n", encoding="utf-8")
    dedupe = Path(sys.executable).with_name("dedupe")
    cmd = f"'{dedupe if dedupe.exists() else 'dedupe'}' '{big}' 2>'{tmp_path / 'err'}' | head -c 10"
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, timeout=120)
    assert proc.stdout == b"Paragraph "
    err = (tmp_path / "err").read_bytes()
    assert b"Traceback" not in err
    assert err == b""
    assert proc.returncode == 0


def test_closed_pipe_after_many_small_writes_exits_0(tmp_path: Path) -> None:
    """Regression: a closed pipe met during --diff of several files was turned
    into exit code 1 by click's own EPIPE handler (1 means "repeats found")."""
    names = []
    for i in range(200):
        path = tmp_path / f"f{i:03d}.txt"
        path.write_text(REPEATED, encoding="utf-8")
        names.append(f"'{path}'")
    dedupe = Path(sys.executable).with_name("dedupe")
    cmd = f"'{dedupe if dedupe.exists() else 'dedupe'}' --diff {' '.join(names)} 2>'{tmp_path / 'err'}' | head -n 1"
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, timeout=120)
    assert proc.stdout.startswith(b"--- a/")
    assert (tmp_path / "err").read_bytes() == b""
    assert proc.returncode == 0


def test_version() -> None:
    result = run_process(["--version"])
    assert (result.code, result.out, result.stderr) == (0, f"dedupe, version {newsdedupe.__version__}\n", b"")


def test_help_shows_examples_and_exit_codes() -> None:
    result = run_process(["--help"])
    assert result.code == 0
    assert result.stderr == b""
    out = result.out
    assert "Usage: dedupe [OPTIONS] [PATHS]..." in out
    assert "Examples:" in out
    assert "dedupe article.txt" in out
    assert "dedupe --check article.txt" in out
    assert "Exit codes: 0 done, 1 --check found repeats, 2 bad usage" in out
    for option in ("--in-place", "--backup", "--check", "--diff", "--explain", "--json", "--threshold", "--min-length", "--split", "--keep", "--encoding", "--quiet", "--verbose", "--version"):
        assert option in out


# --- io and render, the pieces under the command ------------------------------------------------


def test_decode_keeps_the_bom_and_the_result_writes_it_back() -> None:
    data = "\ufeffCaf\u00e9\r\n".encode()
    text = nio.decode(data, None, "a.txt")
    assert text == "\ufeffCaf\u00e9\r\n"
    assert dedupe_text(text).encode() == data


def test_decode_allows_nul_bytes_in_utf16() -> None:
    data = "Hafen\n".encode("utf-16")
    assert nio.decode(data, "utf-16", "a.txt") == "Hafen\n"


def test_decode_refuses_binary_and_bad_bytes_with_the_name() -> None:
    with pytest.raises(nio.InputError, match=r"^x\.bin: binary data \(NUL bytes\)"):
        nio.decode(b"ab\x00cd", None, "x.bin")
    with pytest.raises(nio.InputError, match=r"^x\.txt: not valid utf-8 \(byte 1\); name its encoding with --encoding$"):
        nio.decode(b"a\xe9b", None, "x.txt")
    with pytest.raises(nio.InputError, match=r"^x\.txt: not valid ascii"):
        nio.decode(b"a\xe9b", "ascii", "x.txt")


def test_same_file_and_is_inside(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("x")
    link = tmp_path / "l.txt"
    link.symlink_to(a)
    assert nio.same_file(a, link)
    assert not nio.same_file(a, tmp_path / "missing.txt")
    assert nio.is_inside(tmp_path / "sub" / "b.txt", tmp_path)
    assert nio.is_inside(tmp_path, tmp_path)
    assert not nio.is_inside(tmp_path.parent, tmp_path)


def test_atomic_write_creates_a_new_file_with_umask_mode(tmp_path: Path) -> None:
    path = tmp_path / "new.txt"
    old = os.umask(0o022)
    try:
        nio.atomic_write(path, b"text")
    finally:
        os.umask(old)
    assert path.read_bytes() == b"text"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.txt"]


def test_atomic_write_writes_pieces_and_keeps_the_old_file_if_they_fail(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    nio.atomic_write(path, [b"one ", b"", b"two\n"])
    assert path.read_bytes() == b"one two\n"

    def pieces() -> Iterator[bytes]:
        yield b"half of the new text"
        raise UnicodeEncodeError("utf-8", "\udc80", 0, 1, "surrogates not allowed")

    with pytest.raises(UnicodeEncodeError):
        nio.atomic_write(path, pieces())
    assert path.read_bytes() == b"one two\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_a_large_input_comes_back_byte_for_byte(encoding: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large UTF-8 input's bytes are not kept while it is cleaned: unchanged,
    it is encoded again, to the very same bytes. Other encodings keep them."""
    from newsdedupe import files
    from newsdedupe.settings import RunSettings

    monkeypatch.setattr(files, "LARGE_INPUT", 0)
    extra = "\ufeff" if encoding == "utf-8" else ""
    astral = " \U0001f36f\u00a0" if encoding == "utf-8" else ""
    text = f"{extra}Caf\u00e9 news\r\n\r\n{A}{astral}\r\n\r\n{B}\r\n"
    data = text.encode(encoding)
    out, result = files.clean_bytes(data, "a.txt", RunSettings(encoding=encoding))
    assert not result.changed
    if encoding == "utf-8":
        assert not isinstance(out, tuple)  # (encoded again)
    else:
        assert isinstance(out, tuple) and out[0] is data
    assert b"".join(out) == data
    changed = (text + "\r\n" + A + "\r\n").encode(encoding)
    out, result = files.clean_bytes(changed, "a.txt", RunSettings(encoding=encoding))
    assert [r.index for r in result.removals] == [3]
    assert b"".join(out) == data


def test_event_lines_number_paragraphs_from_one() -> None:
    from newsdedupe import dedupe_text
    from newsdedupe.render import event_lines, preview

    result = dedupe_text(f"{A}\n\n{B}\n\n{C}\n\n{A}\n\n{B}\n\n{C}\n\nEnd.\n\n{C}\n")
    assert event_lines(result) == ["paragraphs 4\u20136 repeat 1\u20133", "paragraph 8 repeats 3"]
    assert preview("a  b\nc") == "a b c"
    assert preview("x" * 100, 10) == "x" * 9 + "\u2026"


ADULTS = "For adults, the recommended dose is two tablets a day with water after a meal."
CHILDREN = ADULTS.replace("adults", "children")


def test_kept_repeats_are_listed_in_json_and_explain(write) -> None:  # type: ignore[no-untyped-def]
    path = write("dose.txt", f"{ADULTS}\n\n{CHILDREN}\n")
    result = invoke(["--json", "-", "--explain", str(path)])
    assert result.code == 0
    (record,) = (json.loads(line) for line in result.out.splitlines())
    reason = "parallel structure: differs from paragraph 1 in 'children' / 'adults'"
    assert (record["status"], record["kept"]) == (
        "unchanged",
        [{"index": 1, "source": 0, "reason": reason}],
    )
    assert result.stderr.decode() == (
        f"{path}: no repeats\n  kept: paragraph 2 repeats 1 ({reason})\n"
    )
