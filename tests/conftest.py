"""Shared helpers: where the golden pairs live, and two ways to run the
command (in-process with click's CliRunner, or as a real subprocess when the
test needs real pipes, exit paths or a fresh interpreter)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdedupe import executors
from newsdedupe.cli import command

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
REVIEW = Path(__file__).resolve().parent / "review"


def golden_pairs(folder: Path) -> list[tuple[Path, Path]]:
    """Every ``<name>.txt`` with its ``<name>.expected.txt`` in ``folder``."""
    pairs = []
    for src in sorted(folder.glob("*.txt")):
        if src.name.endswith(".expected.txt"):
            continue
        pairs.append((src, src.with_name(src.name[: -len(".txt")] + ".expected.txt")))
    return pairs


@dataclass
class Outcome:
    """What one run of the command did: exit code, stdout and stderr apart."""

    code: int
    stdout: bytes
    stderr: bytes

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8")

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8")


def invoke(args: Sequence[str], stdin: bytes | None = None) -> Outcome:
    """Run ``dedupe ARGS`` in-process with click's CliRunner."""
    result = CliRunner().invoke(
        command, list(args), input=stdin, catch_exceptions=False, prog_name="dedupe"
    )
    return Outcome(result.exit_code, result.stdout_bytes, result.stderr_bytes)


def run_process(
    args: Sequence[str],
    stdin: bytes | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    module: bool = False,
) -> Outcome:
    """Run ``dedupe ARGS`` (or ``python -m newsdedupe ARGS``) as a subprocess."""
    head = [sys.executable, "-m", "newsdedupe"] if module else [_dedupe_exe()]
    proc = subprocess.run(
        [*head, *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=60,
    )
    return Outcome(proc.returncode, proc.stdout, proc.stderr)


def _dedupe_exe() -> str:
    """The installed ``dedupe`` script beside this interpreter, else on PATH."""
    beside = Path(sys.executable).with_name("dedupe")
    if beside.exists():
        return str(beside)
    return "dedupe"


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write bytes (or UTF-8 text) to a file under tmp_path and return its path."""

    def _write(name: str, data: bytes | str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    return _write


def count_workers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The worker pools started from now on, by their number of workers."""
    started: list[int] = []
    real = executors.Workers

    def counting(jobs: int, clean: Callable[[object], object]) -> object:
        started.append(jobs)
        return real(jobs, clean)

    monkeypatch.setattr(executors, "Workers", counting)
    return started
