"""Faults that must lose nothing: overlapping input and output trees,
concurrent runs, backups, signals, hostile names, odd inputs.

Each test is named after what broke. They run the real command (a
subprocess where signals, exit paths or a second process matter)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.conftest import invoke, run_process
from tests.fault_injection import process_table

from newsdedupe import io as nio

PARA = "The harbour council met on Tuesday to discuss the budget for the ferry depot."
OTHER = "A second paragraph says something else entirely about the lighthouse."
DOUBLED = f"{PARA}\n\n{PARA}\n\n{OTHER}\n".encode()
CLEAN = f"{PARA}\n\n{OTHER}\n".encode()


def article(i: int) -> bytes:
    """A small article of its own, its first paragraph repeated."""
    first = f"Story {i}: {PARA}"
    return f"{first}\n\n{first}\n\n{OTHER} ({i})\n".encode()


def cleaned(i: int) -> bytes:
    return f"Story {i}: {PARA}\n\n{OTHER} ({i})\n".encode()


def record(text: str) -> bytes:
    return json.dumps({"id": 1, "text": text}).encode() + b"\n"


def temp_files(root: Path) -> list[str]:
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if p.name.endswith(nio.TEMP_SUFFIX)
    )


# ------------------------------------------------ 1. input tree inside the output


def test_output_folder_holding_the_input_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out/in/in").mkdir(parents=True)
    (tmp_path / "out/in/x.txt").write_bytes(article(1))
    (tmp_path / "out/in/in/x.txt").write_bytes(article(2))
    got = run_process([str(tmp_path / "out/in"), "-o", str(tmp_path / "out")])
    assert got.code == 2
    assert got.err == (
        f"{tmp_path / 'out/in'}: the input folder lies inside the output folder "
        f"{tmp_path / 'out'}; give an output folder outside it\n"
    )
    assert (tmp_path / "out/in/x.txt").read_bytes() == article(1)
    assert (tmp_path / "out/in/in/x.txt").read_bytes() == article(2)


def test_output_folder_holding_an_input_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out/sub").mkdir(parents=True)
    (tmp_path / "out/sub/x.txt").write_bytes(article(1))
    (tmp_path / "in/sub").mkdir(parents=True)
    (tmp_path / "in/sub/x.txt").write_bytes(article(2))
    inputs = [str(tmp_path / "out/sub/x.txt"), str(tmp_path / "in")]
    got = run_process([*inputs, "-o", str(tmp_path / "out")])
    assert got.code == 2
    assert got.err == (
        f"{tmp_path / 'out/sub/x.txt'}: the input lies inside the output folder "
        f"{tmp_path / 'out'}; give an output folder outside it\n"
    )
    assert (tmp_path / "out/sub/x.txt").read_bytes() == article(1)


def test_jsonl_output_folder_holding_the_input_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out/in/in").mkdir(parents=True)
    (tmp_path / "out/in/x.jsonl").write_bytes(record(DOUBLED.decode()))
    (tmp_path / "out/in/in/x.jsonl").write_bytes(record(OTHER))
    got = run_process(["--jsonl", str(tmp_path / "out/in"), "-o", str(tmp_path / "out")])
    assert got.code == 2
    assert got.err == (
        f"{tmp_path / 'out/in'}: the input folder lies inside the output folder "
        f"{tmp_path / 'out'}; give an output folder outside it\n"
    )
    assert (tmp_path / "out/in/x.jsonl").read_bytes() == record(DOUBLED.decode())


# ------------------------------------------------------- 2. concurrent runs


def test_two_in_place_backup_runs_at_once_keep_every_original(tmp_path: Path) -> None:
    files = 400
    for i in range(files):
        (tmp_path / f"w/{i % 8}").mkdir(parents=True, exist_ok=True)
        (tmp_path / f"w/{i % 8}/a{i:04d}.txt").write_bytes(article(i))
    args = [sys.executable, "-m", "newsdedupe", str(tmp_path / "w"), "--in-place"]
    args += ["--backup", ".orig", "--jobs", "2", "-q"]
    first = subprocess.Popen(args, stderr=subprocess.PIPE)
    second = subprocess.Popen(args, stderr=subprocess.PIPE)
    assert first.communicate(timeout=120)[1] == b""
    assert second.communicate(timeout=120)[1] == b""
    assert (first.returncode, second.returncode) == (0, 0)
    for i in range(files):
        path = tmp_path / f"w/{i % 8}/a{i:04d}.txt"
        assert path.read_bytes() == cleaned(i)
        assert path.with_name(path.name + ".orig").read_bytes() == article(i), path


def test_in_place_waits_for_a_file_held_by_another_run(tmp_path: Path) -> None:
    import fcntl

    path = tmp_path / "a.txt"
    path.write_bytes(DOUBLED)
    with open(path, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsdedupe", "--in-place", "--backup", ".orig", str(path)],
            stderr=subprocess.PIPE,
        )
        time.sleep(1.5)
        assert proc.poll() is None  # waiting
        assert path.read_bytes() == DOUBLED
        assert not path.with_name("a.txt.orig").exists()
    assert proc.communicate(timeout=60)[1] == b""
    assert proc.returncode == 0
    assert path.read_bytes() == CLEAN
    assert path.with_name("a.txt.orig").read_bytes() == DOUBLED


def test_lock_held_too_long_is_that_files_failure(tmp_path: Path) -> None:
    import fcntl

    path = tmp_path / "a.txt"
    path.write_bytes(DOUBLED)
    with open(path, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(nio.InputError) as caught, nio.file_lock(path, wait=0.3):
            pass
    assert str(caught.value) == (
        f"{path}: another dedupe run is rewriting it; skipped, nothing changed"
    )


# ------------------------------------------------------------- 3. backups


def test_backup_is_the_original_file_itself(tmp_path: Path) -> None:
    """The backup is a hard link to the original (or a whole copy): an
    earlier backup is replaced only by a complete one."""
    path = tmp_path / "a.txt"
    path.write_bytes(DOUBLED)
    os.chmod(path, 0o640)
    before = os.stat(path)
    assert invoke(["--in-place", "--backup", ".orig", str(path)]).code == 0
    backup = os.stat(tmp_path / "a.txt.orig")
    assert (backup.st_ino, backup.st_mtime_ns, backup.st_mode) == (
        before.st_ino,
        before.st_mtime_ns,
        before.st_mode,
    )
    assert path.read_bytes() == CLEAN
    assert temp_files(tmp_path) == []


def _with_old_backup(tmp_path: Path) -> Path:
    """``a.txt`` with repeats, and a backup ``a.txt.orig`` from an earlier run."""
    path = tmp_path / "a.txt"
    path.write_bytes(DOUBLED)
    (tmp_path / "a.txt.orig").write_bytes(b"an older backup")
    return path


def test_backup_copy_when_links_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_link(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(nio.os, "link", no_link)
    path = _with_old_backup(tmp_path)
    nio.atomic_write(path, CLEAN, ".orig")
    assert (tmp_path / "a.txt.orig").read_bytes() == DOUBLED
    assert path.read_bytes() == CLEAN
    assert temp_files(tmp_path) == []


def test_backup_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(DOUBLED)
    (tmp_path / "a.txt.orig").mkdir()
    got = run_process(["--in-place", "--backup", ".orig", str(path)])
    assert got.code == 3
    assert got.err == (
        f"{path}: the backup {path}.orig is a folder; move it away; nothing changed\n"
    )
    assert path.read_bytes() == DOUBLED
    assert list((tmp_path / "a.txt.orig").iterdir()) == []


# -------------------------------------------------------- 6. stale temp files


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.parametrize("mode", ["folder", "file", "jsonl"])
def test_temp_files_of_dead_runs_are_removed(tmp_path: Path, mode: str) -> None:
    dead = _dead_pid()
    (tmp_path / "w").mkdir()
    live = f".{os.getpid()}-0{nio.TEMP_SUFFIX}"  # a run still going: left alone
    for name in [f".{dead}-0{nio.TEMP_SUFFIX}", f".a.txt.{dead}-3{nio.TEMP_SUFFIX}", live]:
        (tmp_path / "w" / name).write_bytes(b"partial")
    if mode == "jsonl":
        (tmp_path / "w/a.jsonl").write_bytes(record(OTHER))  # nothing to change
        args = ["--jsonl", "--in-place", str(tmp_path / "w")]
    elif mode == "folder":
        (tmp_path / "w/a.txt").write_bytes(CLEAN)  # nothing to change
        args = ["--in-place", str(tmp_path / "w")]
    else:
        (tmp_path / "w/a.txt").write_bytes(DOUBLED)
        args = ["--in-place", str(tmp_path / "w/a.txt")]
    got = run_process([*args, "-q"])
    assert got.code == 0, got.err
    assert temp_files(tmp_path) == [f"w/{live}"]


def test_output_folder_temp_files_of_dead_runs_are_removed(tmp_path: Path) -> None:
    dead = _dead_pid()
    (tmp_path / "in").mkdir()
    (tmp_path / "in/a.txt").write_bytes(DOUBLED)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / f".{dead}-7{nio.TEMP_SUFFIX}").write_bytes(b"partial")
    got = run_process([str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q"])
    assert got.code == 0, got.err
    assert temp_files(tmp_path) == []
    assert (tmp_path / "out/a.txt").read_bytes() == CLEAN


# ------------------------------------------------------------ 5. signals


def _slow_stdin_run(extra: list[str]) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsdedupe", *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None
    proc.stdin.write(record(DOUBLED.decode()) if "--jsonl" in extra else DOUBLED)
    proc.stdin.flush()
    time.sleep(1.0)  # started, blocked on the read
    return proc


@pytest.mark.parametrize(
    ("signum", "code", "name"),
    [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGHUP, 129, "SIGHUP")],
)
@pytest.mark.parametrize("mode", [[], ["--jsonl"]])
def test_sigterm_and_sighup_stop_cleanly(
    signum: signal.Signals, code: int, name: str, mode: list[str]
) -> None:
    proc = _slow_stdin_run(mode)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == code
    assert err.decode() == (
        f"dedupe: stopped by {name}; files already written are complete, none is half-written\n"
    )


def test_sigterm_stops_a_folder_run_like_ctrl_c(tmp_path: Path) -> None:
    files = 1200
    for i in range(files):
        (tmp_path / f"w/{i % 6}").mkdir(parents=True, exist_ok=True)
        (tmp_path / f"w/{i % 6}/a{i:04d}.txt").write_bytes(article(i))
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsdedupe", str(tmp_path / "w"), "--in-place", "--jobs", "2"],
        stderr=subprocess.PIPE,
    )
    first = tmp_path / "w/0/a0000.txt"
    deadline = time.monotonic() + 60
    while first.read_bytes() != cleaned(0) and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert err.decode().endswith(
        "dedupe: stopped by SIGTERM; files already written are complete, none is half-written\n"
    )
    done = 0
    for i in range(files):
        data = (tmp_path / f"w/{i % 6}/a{i:04d}.txt").read_bytes()
        assert data in (article(i), cleaned(i))
        done += data == cleaned(i)
    assert 1 <= done < files
    assert temp_files(tmp_path) == []


def test_sigint_works_even_when_inherited_ignored() -> None:
    """A run started with SIGINT ignored (a background job of a script) still
    stops cleanly on it, as folder mode always did."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsdedupe", "--jsonl"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    assert proc.stdin is not None
    proc.stdin.write(record(OTHER))
    proc.stdin.flush()
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.decode() == (
        "dedupe: interrupted; files already written are complete, none is half-written\n"
    )


def _children(pid: int) -> list[int]:
    return [child for child, f in process_table().items() if int(f[1]) == pid]


def _alive(pid: int) -> bool:
    return process_table().get(pid, ["Z"])[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    for i in range(1500):
        (tmp_path / f"w/{i % 10}").mkdir(parents=True, exist_ok=True)
        (tmp_path / f"w/{i % 10}/a{i:04d}.txt").write_bytes(article(i) * 3)
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsdedupe", str(tmp_path / "w"), "--in-place", "--jobs", "2"],
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while len(_children(proc.pid)) < 3 and time.monotonic() < deadline:  # tracker + 2 workers
        time.sleep(0.05)
    kids = _children(proc.pid)
    assert len(kids) >= 3
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(_alive(k) for k in kids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [k for k in kids if _alive(k)] == []


# ------------------------------------------------- 7, 8. names in JSON and messages


def test_non_utf8_name_in_json_report(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    with open(raw, "wb") as handle:
        handle.write(DOUBLED)
    name = os.fsdecode(raw)
    got = run_process([name, "--check", "--json", str(tmp_path / "r.json")])
    assert got.code == 1
    report = (tmp_path / "r.json").read_bytes()
    report.decode("utf-8")  # the report itself is UTF-8
    path = json.loads(report)["path"]
    assert os.fsencode(path) == raw
    assert got.err == f"{os.fsencode(tmp_path).decode()}/caf\\xe9.txt: 1 repeated paragraph\n"


@pytest.mark.parametrize("mode", [[], ["--jobs", "1"]])
def test_control_characters_in_names_are_escaped(tmp_path: Path, mode: list[str]) -> None:
    (tmp_path / "w").mkdir()
    (tmp_path / "w/a\nb\x1b[31m.txt").write_bytes(DOUBLED)
    target = str(tmp_path / "w") if mode else str(tmp_path / "w/a\nb\x1b[31m.txt")
    got = run_process([*mode, target, "--check"])
    assert got.code == 1
    lines = got.err.split("\n")
    assert lines[0] == f"{tmp_path}/w/a\\nb\\x1b[31m.txt: 1 repeated paragraph"
    assert lines[1].startswith("dedupe: 1 file seen") if mode else lines[1:] == [""]


# ------------------------------------------- 9, 10. memory, non-regular files


def _limited(limit: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS")
@pytest.mark.parametrize("mode", ["file", "jsonl"])
def test_out_of_memory_is_that_inputs_failure(tmp_path: Path, mode: str) -> None:
    big = tmp_path / ("big.jsonl" if mode == "jsonl" else "big.txt")
    with open(big, "wb") as handle:
        handle.write(b'{"text": "')
        handle.write(b"word " * ((120 << 20) // 5))
        handle.write(b'"}\n')
    small = tmp_path / ("small.jsonl" if mode == "jsonl" else "small.txt")
    small.write_bytes(record(DOUBLED.decode()) if mode == "jsonl" else DOUBLED)
    args = [sys.executable, "-m", "newsdedupe", *(["--jsonl"] if mode == "jsonl" else [])]
    args += [str(big), str(small), "--check"]
    proc = subprocess.run(
        args, capture_output=True, timeout=60, preexec_fn=lambda: _limited(400 << 20)
    )
    err = proc.stderr.decode()
    assert proc.returncode == 3, err
    assert "Traceback" not in err
    assert f"{big}: out of memory" in err
    assert f"{small}" in err  # the next input was still cleaned


@pytest.mark.parametrize("mode", [[], ["--jsonl"], ["--in-place"]])
def test_device_named_on_the_command_line_is_refused(mode: list[str]) -> None:
    got = run_process([*mode, "/dev/zero"])
    assert got.code == 3
    assert got.err.startswith("/dev/zero: not a regular file; skipped")


# --------------------------------------------------------- 11. long names


def test_longest_file_name_can_be_rewritten(tmp_path: Path) -> None:
    path = tmp_path / ("n" * 250 + ".txt")  # 254 bytes; with "~" the 255 allowed
    path.write_bytes(DOUBLED)
    got = run_process(["--in-place", "--backup", "~", str(path)])
    assert got.code == 0, got.err
    assert path.read_bytes() == CLEAN
    assert path.with_name(path.name + "~").read_bytes() == DOUBLED
    assert temp_files(tmp_path) == []


# ------------------------------------------------------------- 12. smaller


def test_utf16_with_bom_suggests_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(DOUBLED.decode().encode("utf-16"))
    got = run_process([str(path)])
    assert got.code == 3
    assert got.err == f"{path}: UTF-16 text (byte-order mark); give --encoding utf-16\n"


def test_failed_shard_counts_no_changed_records(tmp_path: Path) -> None:
    import gzip

    good = record(DOUBLED.decode())
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress(good * 20)[:-6])  # cut short: fails after its records
    (tmp_path / "b.jsonl").write_bytes(good)
    report = tmp_path / "r.json"
    got = run_process(
        ["--jsonl", str(path), str(tmp_path / "b.jsonl"), "--check", "--json", str(report)]
    )
    assert got.code == 3
    failed = json.loads(report.read_text().splitlines()[0])
    assert (failed["status"], failed["changed_records"], failed["removed_paragraphs"]) == (
        "failed",
        0,
        0,
    )
    assert got.err.splitlines()[-1] == (
        "dedupe: 2 shards, 1 record: 1 changed, 1 paragraph and "
        f"{len(PARA) + 2} characters to remove; 1 shard failed"
    )


def test_jsonl_in_place_skips_symlinked_shards(tmp_path: Path) -> None:
    (tmp_path / "w").mkdir()
    real = tmp_path / "real.jsonl"
    real.write_bytes(record(DOUBLED.decode()))
    (tmp_path / "w/link.jsonl").symlink_to(real)
    (tmp_path / "w/a.jsonl").write_bytes(record(DOUBLED.decode()))
    got = run_process(["--jsonl", "--in-place", str(tmp_path / "w"), "-q"])
    assert got.code == 0, got.err
    assert (tmp_path / "w/link.jsonl").is_symlink()
    assert real.read_bytes() == record(DOUBLED.decode())
    assert (tmp_path / "w/a.jsonl").read_bytes() == record(CLEAN.decode())


def _no_space(*args: object) -> None:
    import errno

    raise OSError(errno.ENOSPC, "No space left on device")


def test_backup_takes_no_space(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk cannot cut the backup short: it is a link, no copy."""
    monkeypatch.setattr(nio.os, "sendfile", _no_space)
    path = _with_old_backup(tmp_path)
    nio.atomic_write(path, CLEAN, ".orig")
    assert (tmp_path / "a.txt.orig").read_bytes() == DOUBLED
    assert path.read_bytes() == CLEAN


def test_full_disk_while_copying_the_backup_keeps_the_earlier_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where links are refused the backup is a copy: a full disk during the
    copy leaves the file and the earlier backup as they were."""
    calls = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:  # the first is the new text's, the second the backup copy's
            _no_space()
        real_fsync(fd)

    def no_link(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(nio.os, "link", no_link)
    monkeypatch.setattr(nio.os, "fsync", fsync)
    path = _with_old_backup(tmp_path)
    with pytest.raises(nio.InputError) as caught:
        nio.atomic_write(path, CLEAN, ".orig")
    assert str(caught.value) == (
        f"{path}: cannot be written (No space left on device); nothing changed"
    )
    assert path.read_bytes() == DOUBLED
    assert (tmp_path / "a.txt.orig").read_bytes() == b"an older backup"
    assert temp_files(tmp_path) == []


# ------------------------------------------------------- fault injection


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_fault_injection_a_few_rounds() -> None:
    """A few rounds of ``tests/fault_injection.py`` (README "Safety" has the
    figures of a long run): SIGKILL to the group and to the parent alone, in
    folder and JSON Lines mode."""
    from tests.fault_injection import run

    figures = run(runs=4, kinds=["folder", "jsonl"], files=60, records=300, seed=3)
    assert figures.failures == []
    assert figures.runs == 4
    assert figures.by_way == {"kill-group": 2, "kill-parent": 2}
    assert figures.files_checked >= 4 * 2 * 60 // 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_temp_file_of_an_unreaped_process_is_stale(tmp_path: Path) -> None:
    """A killed worker may stay a zombie for a while (nobody has reaped it
    yet): its temp files are stale all the same."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while process_table().get(child.pid, ["?"])[0] != "Z" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process_table()[child.pid][0] == "Z"  # ended, not yet waited for
    try:
        assert nio.is_stale_temp(f".{child.pid}-0{nio.TEMP_SUFFIX}")
        assert not nio.is_stale_temp(f".{os.getpid()}-0{nio.TEMP_SUFFIX}")
    finally:
        child.wait()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_temp_file_of_a_reused_process_id_is_stale(tmp_path: Path) -> None:
    """Process ids wrap around: a live process that started after a temp
    file was last written cannot own it (found by the fault injection under
    load: a killed run's temp file kept because its id was running again)."""
    name = f".{os.getpid()}-0{nio.TEMP_SUFFIX}"
    path = tmp_path / name
    path.write_bytes(b"half")
    assert not nio.is_stale_temp(name, str(path))  # ours, written since we started
    long_ago = time.time() - 3600
    os.utime(path, (long_ago, long_ago))
    assert nio.is_stale_temp(name, str(path))  # written before we started: a dead run's
    assert not nio.is_stale_temp(name)  # without the file, the id alone: kept
    nio.remove_stale_temps(str(tmp_path))
    assert os.listdir(tmp_path) == []


def test_control_characters_in_the_explain_title_are_escaped(tmp_path: Path) -> None:
    path = tmp_path / "a\x1b[2Jb.txt"
    path.write_bytes(DOUBLED)
    got = run_process([str(path), "--check", "--explain", "-q"])
    assert got.code == 1
    assert "\x1b" not in got.err
    assert f"{tmp_path}/a\\x1b[2Jb.txt: 1 paragraph to remove" in got.err
