"""The Dask path: the same shards, byte for byte, from a cluster of worker
processes; and the optional extra stays optional."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import invoke
from newsdedupe import Options, dedupe_text
from newsdedupe.dask import dedupe_bag

dask_bag = pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

# Text written for these tests: paragraphs long enough to count, combined
# into articles with and without a repeated run.
PARAGRAPHS = [
    "The regional water board approved a plan on Tuesday to replace forty kilometres "
    "of ageing pipes under the old town before the end of next year.",
    "Residents had complained for months about brown water and low pressure, and a "
    "survey found leaks in one of every five streets in the district.",
    "The work will be done at night where possible, the board said, so that shops on "
    "the market square can stay open during the day.",
    "Opposition councillors welcomed the plan but asked why the repairs had been "
    "postponed three times since the first report was published.",
    "A public meeting on the timetable is planned for the town hall, and the board "
    "promised to publish a map of the streets affected each month.",
    "Engineers estimate that the new pipes will cut the water lost to leaks by more "
    "than half and lower the cost of pumping for the whole valley.",
]


def _article(k: int) -> str:
    picks = [PARAGRAPHS[(k + i) % len(PARAGRAPHS)] for i in range(3 + k % 3)]
    if k % 3 == 0:
        picks = picks + picks  # the body printed twice
    elif k % 3 == 1:
        picks = picks + [picks[0]]  # one paragraph again at the end
    return "\n".join(picks) + "\n"


def _shards(root: Path) -> list[str]:
    """Five shards (plain and gzip, in two folders) with good and bad records;
    returns the texts of the good ones."""
    texts = []
    for s in range(5):
        lines = []
        for k in range(12):
            n = s * 12 + k
            if n % 17 == 5:
                lines.append(f'{{"id": {n}, "text": broken\n')
            elif n % 19 == 7:
                lines.append(f'{{"id": {n}}}\n')
            else:
                record = {"id": n, "url": f"https://example.org/{n}", "text": _article(n)}
                texts.append(record["text"])
                lines.append(json.dumps(record, ensure_ascii=n % 2 == 0) + "\n")
        data = "".join(lines).encode("utf-8")
        folder = root / ("part-a" if s < 3 else "part-b")
        folder.mkdir(parents=True, exist_ok=True)
        if s % 2:
            (folder / f"shard-{s}.jsonl.gz").write_bytes(gzip.compress(data))
        else:
            (folder / f"shard-{s}.jsonl").write_bytes(data)
    return texts


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    """Two worker processes with one thread each: reliable on two cores."""
    local = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    try:
        yield local
    finally:
        local.close()


def test_cluster_writes_the_same_shards_as_the_local_run(tmp_path: Path, cluster: object) -> None:
    results = [dedupe_text(t) for t in _shards(tmp_path / "in")]
    changed = [r for r in results if r.changed]
    args = ["--jsonl", str(tmp_path / "in"), "--stats-field", "dedupe"]
    local = invoke([*args, "-o", str(tmp_path / "local")])
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    remote = invoke([*args, "-o", str(tmp_path / "dask"), "--dask", address])
    assert local.code == remote.code == 3  # bad records in the shards
    assert remote.stderr == local.stderr  # same messages, same order, same summary
    assert len(changed) > 20
    assert local.err.splitlines()[-1] == (
        f"dedupe: 5 shards, 60 records: {len(changed)} changed, "
        f"{sum(len(r.removals) for r in changed)} paragraphs and "
        f"{sum(r.removed_chars for r in changed):,} characters removed; "
        f"{60 - len(results)} bad records"
    )
    written = _tree(tmp_path / "local")
    assert sorted(written) == [
        "part-a/shard-0.jsonl",
        "part-a/shard-1.jsonl.gz",
        "part-a/shard-2.jsonl",
        "part-b/shard-3.jsonl.gz",
        "part-b/shard-4.jsonl",
    ]
    assert _tree(tmp_path / "dask") == written


def test_cluster_output_is_the_core_per_record(tmp_path: Path, cluster: object) -> None:
    _shards(tmp_path / "in")
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    out = invoke(
        ["--jsonl", "-q", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--dask", address]
    )
    assert out.code == 3
    src = gzip.decompress((tmp_path / "in" / "part-a" / "shard-1.jsonl.gz").read_bytes())
    dst = gzip.decompress((tmp_path / "out" / "part-a" / "shard-1.jsonl.gz").read_bytes())
    pairs = list(zip(src.splitlines(keepends=True), dst.splitlines(keepends=True), strict=True))
    assert len(pairs) == 12
    for before, after in pairs:
        try:
            record = json.loads(before)
        except json.JSONDecodeError:
            assert after == before
            continue
        if "text" not in record:
            assert after == before
            continue
        expected = dedupe_text(record["text"])
        assert json.loads(after) == {**record, "text": expected.text}
        if not expected.changed:
            assert after == before


def test_dedupe_bag_of_texts_and_of_records(cluster: object) -> None:
    texts = [_article(k) for k in range(9)]
    with distributed.Client(cluster):
        cleaned = dedupe_bag(dask_bag.from_sequence(texts, npartitions=3)).compute()
        records = [{"id": k, "text": t} for k, t in enumerate(texts)] + [{"id": 99}]
        bag = dask_bag.from_sequence(records, npartitions=2)
        cleaned_records = dedupe_bag(bag, Options(threshold=95), stats_field="s").compute()
    assert cleaned == [dedupe_text(t).text for t in texts]
    assert sum(a != b for a, b in zip(cleaned, texts, strict=True)) == 6
    expected = []
    for k, text in enumerate(texts):
        result = dedupe_text(text, Options(threshold=95))
        stats = {"removed_paragraphs": len(result.removals), "removed_chars": result.removed_chars}
        expected.append({"id": k, "text": result.text, "s": stats})
    assert cleaned_records == [*expected, {"id": 99}]


def test_dask_local_starts_and_stops_its_own_cluster(tmp_path: Path) -> None:
    _shards(tmp_path / "in")
    local = invoke(["--jsonl", "-q", str(tmp_path / "in"), "-o", str(tmp_path / "local")])
    own = invoke(
        [
            "--jsonl",
            "-q",
            str(tmp_path / "in"),
            "-o",
            str(tmp_path / "own"),
            "--dask",
            "local",
            "--jobs",
            "2",
        ]
    )
    assert (own.code, own.stderr) == (local.code, local.stderr)
    assert _tree(tmp_path / "own") == _tree(tmp_path / "local")


def test_unusable_scheduler_address_is_reported(tmp_path: Path) -> None:
    _shards(tmp_path / "in")
    out = invoke(
        ["--jsonl", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--dask", "nowhere://x"]
    )
    assert out.code == 3
    assert out.err.startswith("dedupe: cannot reach the Dask scheduler at nowhere://x (")
    assert out.err.endswith("); check the address, or use --dask local\n")
    assert not (tmp_path / "out").exists()


def test_plain_runs_never_import_dask(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from newsdedupe import cli, jsonl, runner, dask as nd_dask\n"
        "from newsdedupe.settings import RunSettings\n"
        "settings = RunSettings(jsonl=True, check=True, quiet=True)\n"
        f"code = runner.run([{str(tmp_path / 'in')!r}], settings)\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')]\n"
        "print(code, sorted(loaded))\n"
    )
    _shards(tmp_path / "in")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert proc.stdout == b"3 []\n", proc.stderr


def test_without_the_extra_dask_runs_say_what_to_install(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('dask', 'distributed'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from newsdedupe.cli import main\n"
        "main()\n"
    )
    _shards(tmp_path / "in")
    args = ["--jsonl", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--dask", "local"]
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == (
        b"dedupe: --dask needs the optional Dask extra: pip install 'newsdedupe[dask]' "
        b"(from a clone: pip install '.[dask]')\n"
    )
