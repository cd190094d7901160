"""Folder mode and JSON Lines mode share one walk and one run loop, so the
options they share mean the same in both: ``--glob`` with a ``/`` matches
the path below the folder given (``*`` crosses ``/``, as in ``fnmatch``),
and ``--jobs`` runs the files or shards in worker processes with the same
bytes written as one process writes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from conftest import count_workers, invoke
from test_jsonl import CLEAN, DOUBLED, REMOVED, dumps


def _shard(text: str, ident: str) -> bytes:
    return ('{"id": "' + ident + '", "text": ' + dumps(text) + "}\n").encode("utf-8")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _text_folder(root: Path) -> None:
    (root / "sub" / "deeper").mkdir(parents=True)
    for rel in ("top.txt", "sub/a.txt", "sub/b.txt", "sub/deeper/c.txt"):
        (root / rel).write_text(DOUBLED, encoding="utf-8")


def _shard_folder(root: Path) -> None:
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "top.jsonl").write_bytes(_shard(DOUBLED, "top"))
    (root / "sub" / "a.jsonl").write_bytes(_shard(DOUBLED, "a"))
    (root / "sub" / "b.jsonl.gz").write_bytes(gzip.compress(_shard(DOUBLED, "b")))
    (root / "sub" / "c.jsonl").write_bytes(_shard(DOUBLED, "c"))
    (root / "sub" / "deeper" / "d.jsonl").write_bytes(_shard(DOUBLED, "d"))


def test_a_glob_with_a_slash_matches_below_the_folder_in_folder_mode(tmp_path: Path) -> None:
    _text_folder(tmp_path / "in")
    out = invoke([str(tmp_path / "in"), "--glob", "sub/*.txt", "-o", str(tmp_path / "out")])
    assert out.code == 0, out.err
    assert out.stdout == b""
    assert _tree(tmp_path / "out") == {
        "sub/a.txt": CLEAN.encode(),
        "sub/b.txt": CLEAN.encode(),
        "sub/deeper/c.txt": CLEAN.encode(),
    }


def test_a_glob_with_a_slash_matches_below_the_folder_in_jsonl_mode(tmp_path: Path) -> None:
    _shard_folder(tmp_path / "in")
    args = ["--jsonl", str(tmp_path / "in"), "--glob", "sub/*.jsonl", "-o", str(tmp_path / "out")]
    out = invoke(args)
    assert out.code == 0, out.err
    assert out.stdout == b""
    assert out.err == (
        f"dedupe: 3 shards, 3 records: 3 changed, 12 paragraphs and "
        f"{3 * REMOVED:,} characters removed\n"
    )
    assert _tree(tmp_path / "out") == {
        "sub/a.jsonl": _shard(CLEAN, "a"),
        "sub/c.jsonl": _shard(CLEAN, "c"),
        "sub/deeper/d.jsonl": _shard(CLEAN, "d"),
    }


def test_a_glob_with_a_slash_to_stdout_keeps_the_path_order(tmp_path: Path) -> None:
    _shard_folder(tmp_path / "in")
    out = invoke(["--jsonl", "-q", str(tmp_path / "in"), "--glob", "sub/*"])
    assert out.code == 0, out.err
    assert out.stdout == b"".join(_shard(CLEAN, i) for i in "abcd")


def test_jobs_runs_folder_mode_in_workers_with_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _text_folder(tmp_path / "in")
    started = count_workers(monkeypatch)
    one = invoke([str(tmp_path / "in"), "-q", "--jobs", "1", "-o", str(tmp_path / "one")])
    two = invoke([str(tmp_path / "in"), "-q", "--jobs", "2", "-o", str(tmp_path / "two")])
    assert (one.code, one.stdout, one.stderr) == (0, b"", b"")
    assert (two.code, two.stdout, two.stderr) == (0, b"", b"")
    assert started == [2]
    expected = {rel: CLEAN.encode() for rel in ("top.txt", "sub/a.txt", "sub/b.txt")}
    expected["sub/deeper/c.txt"] = CLEAN.encode()
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two") == expected


def test_jobs_runs_jsonl_mode_in_workers_with_the_same_bytes_and_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _shard_folder(tmp_path / "in")
    started = count_workers(monkeypatch)
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        report = tmp_path / f"report{jobs}.jsonl"
        args = ["--jsonl", str(tmp_path / "in"), "--jobs", jobs, "-o", str(out)]
        runs[jobs] = invoke([*args, "--json", str(report)])
        assert runs[jobs].code == 0, runs[jobs].err
        assert runs[jobs].stdout == b""
    assert started == [2]
    assert (
        runs["1"].err
        == runs["2"].err
        == (
            f"dedupe: 5 shards, 5 records: 5 changed, 20 paragraphs and "
            f"{5 * REMOVED:,} characters removed\n"
        )
    )
    expected = {
        "top.jsonl": _shard(CLEAN, "top"),
        "sub/a.jsonl": _shard(CLEAN, "a"),
        "sub/c.jsonl": _shard(CLEAN, "c"),
        "sub/deeper/d.jsonl": _shard(CLEAN, "d"),
    }
    for jobs in ("1", "2"):
        written = _tree(tmp_path / f"out{jobs}")
        assert gzip.decompress(written.pop("sub/b.jsonl.gz")) == _shard(CLEAN, "b")
        assert written == expected
    # the --json report lists the shards in path order, however many workers
    one = (tmp_path / "report1.jsonl").read_text("utf-8").splitlines()
    two = (tmp_path / "report2.jsonl").read_text("utf-8").splitlines()
    assert one == two
    assert [json.loads(line)["path"] for line in two] == [
        str(tmp_path / "in" / rel)
        for rel in (
            "sub/a.jsonl",
            "sub/b.jsonl.gz",
            "sub/c.jsonl",
            "sub/deeper/d.jsonl",
            "top.jsonl",
        )
    ]


def test_jobs_with_jsonl_to_stdout_stays_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shards streamed one after another to stdout cannot be cleaned out of
    order: the run stays in this process and writes the same bytes."""
    _shard_folder(tmp_path / "in")
    started = count_workers(monkeypatch)
    out = invoke(["--jsonl", "-q", str(tmp_path / "in"), "--jobs", "2", "--glob", "sub/*"])
    assert (out.code, out.stderr) == (0, b"")
    assert out.stdout == b"".join(_shard(CLEAN, i) for i in "abcd")
    assert started == []


@pytest.mark.slow
def test_sigint_with_jsonl_jobs_exits_130_with_whole_shards_and_no_temp_files(
    tmp_path: Path,
) -> None:
    """Ctrl-C while worker processes clean shards: as in folder mode, the
    run exits 130, each shard written is whole and no temp file is left."""
    from test_batch_interrupt import INTERRUPTED, files_under, interrupt_when, start

    shards = 40
    for i in range(shards):
        lines = [_shard(DOUBLED, f"{i}-{n}") for n in range(150)]
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"s{i:02d}.jsonl").write_bytes(b"".join(lines))
    whole = {
        f"s{i:02d}.jsonl": b"".join(_shard(CLEAN, f"{i}-{n}") for n in range(150))
        for i in range(shards)
    }
    out = tmp_path / "out"
    proc = start(["--jsonl", str(tmp_path / "in"), "-o", str(out), "--jobs", "2"])
    code, err = interrupt_when(proc, lambda: len(files_under(out)) >= 3)
    assert code == 130, err
    assert err.endswith(INTERRUPTED)
    written = files_under(out)
    assert [rel for rel in written if rel.endswith(".dedupe-tmp") or rel.startswith(".")] == []
    assert 3 <= len(written) < shards  # it stopped part-way
    for rel, path in written.items():
        assert path.read_bytes() == whole[rel], rel
