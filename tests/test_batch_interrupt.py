"""Ctrl-C in folder mode: the batch stops, exits 130, leaves no temp file,
and every output file that exists is whole (SPEC.md section 3: an interrupt
leaves no half-written file)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsdedupe.files import clean_bytes
from newsdedupe.settings import RunSettings

FILES = 3000
STARTED = 20
"""Outputs to wait for before Ctrl-C: the batch is surely under way."""

WORDS = [
    *("ferry", "council", "harbour", "tariff", "depot", "library", "rainfall", "grant"),
    *("bridge", "tender", "mayor", "quarry", "orchard", "festival", "hearing", "budget"),
    *("survey", "lighthouse", "canal", "market", "warden", "ballot", "pier", "clinic"),
]
INTERRUPTED = "dedupe: interrupted; files already written are complete, none is half-written\n"


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 20))]
    return " ".join(words).capitalize() + f" on day {rng.randint(1, 365)}."


def make_crawl(root: Path) -> dict[str, bytes]:
    """Nested folders of made-up articles, a third with the body doubled."""
    rng = random.Random(4)
    files = {}
    for i in range(FILES):
        body = [f"{sentence(rng)} {sentence(rng)}" for _ in range(rng.randint(4, 8))]
        if i % 3 == 0:
            body += body
        rel = f"{2020 + i % 4}/{i % 12:02d}/story{i:05d}.txt"
        files[rel] = ("\n\n".join([f"Story {i}", *body]) + "\n").encode("utf-8")
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def expected(rel: str, data: bytes) -> bytes:
    """What ``dedupe FILE`` gives for this file."""
    return b"".join(clean_bytes(data, rel, RunSettings())[0])


def files_under(root: Path) -> dict[str, Path]:
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            found[path.relative_to(root).as_posix()] = path
    return found


def start(args: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsdedupe", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def interrupt_when(proc: subprocess.Popen[bytes], ready: object) -> tuple[int, str]:
    """Send SIGINT once ``ready()`` is true; return the exit code and stderr."""
    deadline = time.monotonic() + 60
    while not ready():  # type: ignore[operator]
        assert proc.poll() is None, "the batch ended before it could be interrupted"
        assert time.monotonic() < deadline, "the batch never got under way"
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err.decode("utf-8")


@pytest.mark.parametrize("jobs", ["2", "1"])
def test_sigint_exits_130_with_whole_outputs_and_no_temp_files(tmp_path: Path, jobs: str) -> None:
    crawl, out = tmp_path / "crawl", tmp_path / "out"
    originals = make_crawl(crawl)
    proc = start([str(crawl), "-o", str(out), "--jobs", jobs])
    code, err = interrupt_when(proc, lambda: len(files_under(out)) >= STARTED)
    assert code == 130, err
    assert err.endswith(INTERRUPTED)
    assert f"\n\n{INTERRUPTED}" not in f"\n{err}"  # no empty line before it
    written = files_under(out)
    assert [rel for rel in written if rel.endswith(".dedupe-tmp") or "/." in f"/{rel}"] == []
    assert STARTED <= len(written) < FILES  # it stopped part-way
    for rel, path in written.items():
        assert path.read_bytes() == expected(rel, originals[rel]), rel
    assert files_under(crawl).keys() == originals.keys()


def test_sigint_during_in_place_leaves_each_file_old_or_new(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    originals = make_crawl(crawl)
    doubled = [rel for i, rel in enumerate(originals) if i % 3 == 0]

    def some_rewritten() -> bool:
        return sum((crawl / rel).stat().st_size < len(originals[rel]) for rel in doubled[:60]) >= 3

    proc = start([str(crawl), "--in-place", "--jobs", "2"])
    code, err = interrupt_when(proc, some_rewritten)
    assert code == 130, err
    assert err.endswith(INTERRUPTED)
    now = files_under(crawl)
    assert now.keys() == originals.keys()  # no temp file, nothing lost
    cleaned = 0
    for rel, path in now.items():
        data = path.read_bytes()
        if data != originals[rel]:
            assert data == expected(rel, originals[rel]), rel
            cleaned += 1
    assert 3 <= cleaned < len(doubled)


def test_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """``dedupe crawl --diff | head``: the reader goes away, dedupe stops
    quietly (exit 0, no traceback) instead of cleaning the rest."""
    crawl = tmp_path / "crawl"
    make_crawl(crawl)
    proc = start([str(crawl), "--diff", "--jobs", "2"])
    assert proc.stdout is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert first.startswith(b"--- a/")
    assert proc.returncode == 0, err  # the reader chose to stop
    assert b"Traceback" not in err
    assert b"files seen" not in err  # it did not go on to the end


def test_sigint_while_reading_stdin_prints_one_line_and_exits_130() -> None:
    """``cat | dedupe`` left waiting: Ctrl-C gives the one-line message, with
    no traceback and no empty line before it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsdedupe"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None
    proc.stdin.write(b"A first paragraph, and the writer never closes the pipe.\n")
    proc.stdin.flush()
    time.sleep(1.0)  # let it start and block on the read
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert out == b""
    assert err.decode("utf-8") == INTERRUPTED
