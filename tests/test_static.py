"""The type checker and the linter are part of the test run, so the README's
one test command proves them too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_mypy_strict_is_clean() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_ruff_is_clean() -> None:
    result = _run("ruff", "check", "src", "tests", "benchmarks", ".ci")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed" in result.stdout


def test_rich_is_not_imported_at_start_up() -> None:
    code = "import sys, newsdedupe.cli; print('rich' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


STDIN_RUN = (
    "import io, runpy, sys\n"
    "sys.argv = ['dedupe']\n"
    "sys.stdin = io.TextIOWrapper(io.BytesIO(b'One paragraph.\\n'))\n"
    "try:\n"
    "    runpy.run_module('newsdedupe', run_name='__main__')\n"
    "finally:\n"
    "    print(sorted(m for m in {modules!r} if m in sys.modules), file=sys.stderr)\n"
)
"""Cleans one line from stdin, then prints which of ``modules`` it imported."""


def _imported_by_stdin_run(modules: tuple[str, ...], cwd: Path | None = None) -> str:
    """Which of ``modules`` ``cat a.txt | dedupe`` imports (started in ``cwd``)."""
    code = STDIN_RUN.format(modules=modules)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "One paragraph.\n"
    return result.stderr.strip().splitlines()[-1]


def test_cleaning_stdin_imports_no_pool_and_no_other_mode() -> None:
    """``cat a.txt | dedupe``: start-up stays short, so the process pool's
    modules, json, gzip, shutil and the folder, JSON Lines and Dask modes
    are imported only by the runs that use them."""
    heavy = (
        "multiprocessing", "concurrent.futures", "json", "newsdedupe.batch", "newsdedupe.jsonl",
        "newsdedupe.dask", "newsdedupe.walk", "gzip", "shutil",
    )  # fmt: skip
    assert _imported_by_stdin_run(heavy) == "[]"


@pytest.mark.parametrize("where", ["project", "elsewhere"])
def test_cleaning_stdin_imports_no_pathlib(where: str, tmp_path: Path) -> None:
    """``cat a.txt | dedupe`` names no path: pathlib (with the urllib.parse
    and ipaddress it loads, a few milliseconds) is imported only by runs
    given one, also where a pyproject.toml is found (here, the project's)."""
    cwd = ROOT if where == "project" else tmp_path
    assert _imported_by_stdin_run(("pathlib", "urllib.parse", "ipaddress"), cwd) == "[]"


def test_cleaning_stdin_imports_no_renderer() -> None:
    """The renderers (--json records, --diff, --explain, -v lines) are
    imported by the runs that show more than the cleaned text."""
    assert _imported_by_stdin_run(("newsdedupe.render", "newsdedupe.htmlreport")) == "[]"


