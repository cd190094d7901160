# ruff: noqa: E501
"""What users of command-line tools expect besides the tool itself: shell
completion, a pre-commit hook, and project defaults in ``pyproject.toml``."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, invoke

A = "The regional parliament passed the new housing law on Thursday after a debate that lasted well into the night."
A_EDITED = A.replace("parliament", "parliamnet").replace("debate", "debtae")  # slips of the keyboard
B = "Opposition members said the law would do little for young families who cannot afford the deposits banks ask for."
NEAR = f"Housing Law Passes\n\n{A}\n\n{B}\n\n{A_EDITED}\n"
NEAR_CLEANED = f"Housing Law Passes\n\n{A}\n\n{B}\n"
EXACT = f"Housing Law Passes\n\n{A}\n\n{B}\n\n{A}\n"


# --- shell completion --------------------------------------------------------------------


def _complete(env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "newsdedupe"],
        env={**os.environ, **env},
        capture_output=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("shell", "first_line"),
    [
        ("bash", b"_dedupe_completion() {"),
        ("zsh", b"#compdef dedupe"),
        ("fish", b"function _dedupe_completion;"),
    ],
)
def test_completion_script_for_each_shell(shell: str, first_line: bytes) -> None:
    result = _complete({"_DEDUPE_COMPLETE": f"{shell}_source"})
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout.lstrip().splitlines()[0] == first_line
    assert b"_DEDUPE_COMPLETE=" + shell.encode() + b"_complete" in result.stdout


def test_completion_of_options_and_choices() -> None:
    options = _complete(
        {"_DEDUPE_COMPLETE": "bash_complete", "COMP_WORDS": "dedupe --thr", "COMP_CWORD": "1"}
    )
    assert (options.returncode, options.stdout, options.stderr) == (0, b"plain,--threshold\n", b"")
    choices = _complete(
        {"_DEDUPE_COMPLETE": "bash_complete", "COMP_WORDS": "dedupe --split ", "COMP_CWORD": "2"}
    )
    assert (choices.returncode, choices.stdout) == (0, b"plain,auto\nplain,blank\nplain,line\n")


# --- [tool.newsdedupe] in pyproject.toml ----------------------------------------------------


def test_pyproject_defaults_apply_and_the_command_line_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'articles'\n\n[tool.newsdedupe]\nthreshold = 100\n", encoding="utf-8"
    )
    (tmp_path / "a.txt").write_text(NEAR, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    from_file = invoke(["a.txt"])
    assert (from_file.code, from_file.stdout, from_file.stderr) == (0, NEAR.encode(), b"")
    given = invoke(["a.txt", "--threshold", "90"])
    assert (given.code, given.stdout, given.stderr) == (0, NEAR_CLEANED.encode(), b"")


def test_the_nearest_pyproject_upward_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.newsdedupe]\nthreshold = 100\n", encoding="utf-8"
    )
    deep = tmp_path / "articles" / "2024"
    deep.mkdir(parents=True)
    (deep / "a.txt").write_text(NEAR, encoding="utf-8")
    monkeypatch.chdir(deep)
    assert invoke(["a.txt"]).stdout == NEAR.encode()
    # a nearer project without the table gets the built-in defaults
    (tmp_path / "articles" / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n", encoding="utf-8"
    )
    assert invoke(["a.txt"]).stdout == NEAR_CLEANED.encode()


def test_pyproject_globs_choose_the_files_of_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.newsdedupe]\nglob = ["*.md"]\nmin-length = 40\n', encoding="utf-8"
    )
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text(EXACT, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(EXACT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["in", "--check", "--jobs", "1"])
    assert result.code == 1
    assert result.err.splitlines()[0] == "in/a.md: 1 repeated paragraph"
    assert result.err.splitlines()[1].startswith("dedupe: 1 file seen, ")


def test_config_file_named_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "dedupe.toml"
    config.write_text("[tool.newsdedupe]\nthreshold = 100\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(NEAR, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["--config", str(config), "a.txt"])
    assert (result.code, result.stdout, result.stderr) == (0, NEAR.encode(), b"")


def test_a_jsonl_field_default_does_not_count_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.newsdedupe]\nfield = "body"\n', encoding="utf-8"
    )
    (tmp_path / "a.txt").write_text(EXACT, encoding="utf-8")
    (tmp_path / "a.jsonl").write_text('{"body": "x"}\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    text = invoke(["a.txt"])
    assert (text.code, text.stdout, text.stderr) == (0, NEAR_CLEANED.encode(), b"")
    records = invoke(["--jsonl", "a.jsonl", "-q"])
    assert (records.code, records.stdout, records.stderr) == (0, b'{"body": "x"}\n', b"")


USAGE = "Usage: dedupe [OPTIONS] [PATHS]...\nTry 'dedupe --help' for help.\n\n"


@pytest.mark.parametrize(
    ("content", "named", "error"),
    [
        (
            "[tool.newsdedupe]\ntreshold = 95\n",
            False,
            "{dir}/pyproject.toml: [tool.newsdedupe] has no key 'treshold'; known: threshold, min-length, split, keep, encoding, glob, hidden, jobs, field, stats-field",
        ),
        (
            "[tool.newsdedupe\n",
            False,
            "{dir}/pyproject.toml: not valid TOML (Expected ']' at the end of a table declaration (at line 1, column 17))",
        ),
        ("[project]\nname = 'x'\n", True, "pyproject.toml: no [tool.newsdedupe] table"),
    ],
)
def test_unusable_config_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, named: bool, error: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["--config", "pyproject.toml"] if named else []
    result = invoke([*args, "-"], stdin=EXACT.encode())
    assert (result.code, result.stdout) == (2, b"")
    where = error.format(dir=tmp_path)
    assert result.err == USAGE + f"Error: Invalid value for --config: {where}\n"


def test_a_bad_value_in_the_table_is_refused_like_one_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.newsdedupe]\nthreshold = 150\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = invoke(["-"], stdin=EXACT.encode())
    assert (result.code, result.stdout) == (2, b"")
    assert (
        result.err
        == USAGE + "Error: Invalid value for '--threshold': 150.0 is not in the range 0<=x<=100.\n"
    )


# --- pre-commit ----------------------------------------------------------------------------

GIT = shutil.which("git")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def _article_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "articles"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "a.txt").write_text(EXACT, encoding="utf-8")
    (repo / "b.txt").write_text(NEAR_CLEANED, encoding="utf-8")
    (repo / "notes.md").write_text(EXACT, encoding="utf-8")  # not a .txt: not the hooks' business
    return repo


def _pre_commit(repo: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    bindir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
        "NO_COLOR": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args, "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _local_config(repo: Path) -> None:
    """The published hooks as a local repo, run with this environment's
    ``dedupe`` (``language: unsupported``): no hook environment to install,
    so the test needs no network."""
    import yaml  # pre-commit's own dependency

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert [h["language"] for h in hooks] == ["python", "python"]
    local = [{**h, "language": "unsupported"} for h in hooks]
    config = {"repos": [{"repo": "local", "hooks": local}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")


@pytest.mark.skipif(GIT is None, reason="pre-commit needs git")
def test_pre_commit_runs_the_check_hook_and_the_fixing_hook(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    repo = _article_repo(tmp_path)
    _local_config(repo)
    _git(repo, "add", ".")

    check = _pre_commit(repo, tmp_path, "run", "dedupe-check", "--all-files")
    assert check.returncode == 1, check.stdout + check.stderr
    assert (
        "- hook id: dedupe-check\n- exit code: 1\n\na.txt: 1 repeated paragraph\n" in check.stdout
    )
    assert (repo / "a.txt").read_text("utf-8") == EXACT

    fix = _pre_commit(repo, tmp_path, "run", "dedupe", "--all-files")
    assert fix.returncode == 1, fix.stdout + fix.stderr
    assert "- hook id: dedupe\n- files were modified by this hook\n" in fix.stdout
    assert (repo / "a.txt").read_text("utf-8") == NEAR_CLEANED
    assert (repo / "notes.md").read_text("utf-8") == EXACT

    _git(repo, "add", ".")
    again = _pre_commit(repo, tmp_path, "run", "--all-files")
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.count("Passed") == 2


def _pypi_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=3).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(GIT is None, reason="pre-commit needs git")
def test_the_published_hook_installs_from_the_checkout(tmp_path: Path) -> None:
    """``language: python`` as published: pre-commit builds the hook's own
    environment from this checkout (its committed and staged files), which
    needs PyPI for click, rapidfuzz and rich; skipped without a network."""
    pytest.importorskip("pre_commit")
    if not _pypi_reachable():
        pytest.skip("PyPI is not reachable: the hook's environment cannot be installed")
    repo = _article_repo(tmp_path)
    _git(repo, "add", ".")
    result = _pre_commit(repo, tmp_path, "try-repo", str(ROOT), "dedupe-check", "--all-files")
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "- hook id: dedupe-check\n- exit code: 1\n\na.txt: 1 repeated paragraph\n" in result.stdout
    )
