"""Folder mode and JSON Lines mode share one walk and one run loop, so the
options they share mean the same in both: ``--glob`` with a ``/`` matches
the path below the folder given (``*`` crosses ``/``, as in ``fnmatch``),
and ``--jobs`` runs the files or shards in worker processes with the same
bytes written as one process writes."""

from __future__ import annotations

import gzip
from pathlib import Path

from conftest import invoke
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
