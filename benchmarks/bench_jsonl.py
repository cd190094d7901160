"""Records per second for ``dedupe --jsonl``: the local streaming path, worker
processes (``--jobs N``) and the Dask ``LocalCluster`` path on the same
generated shards, and the peak memory of the streaming path.

    python benchmarks/bench_jsonl.py                  # 100,000 records, 8 shards
    python benchmarks/bench_jsonl.py --records 20000  # a quicker look

The shards are generated here, deterministically (a seeded random.Random),
from pseudo-words built out of syllables: text this project owns. One record
in five carries a planted repeat (a body printed twice, a paragraph repeated
further down). Half the shards are gzip-compressed.

Every timing is of the real command (``python -m newsdedupe``) in a fresh
process, compared with a baseline from the same run: ``dedupe_text`` called
in-process on the same texts, with no JSON and no I/O. Peak memory is the
command's maximum resident set size, for a small shard and for the whole
corpus: streaming means the two stay close. The ``--jobs`` and Dask runs must
write the same bytes as the local run, or the benchmark fails.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from newsdedupe import dedupe_text


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_SYLLABLES = _words(
    "ka ri to me sa lo ne vi da ru po li ma te no ba ko re ga mi fa el an or us ek al ov "
    "ar ta be la do se ni ur ol ve ra ki mo pe ti na ho"
)
_FUNCTION_WORDS = _words(
    "the the the of of and and to to in in a a that for on is was with said as at by "
    "from it has have be will are were which after more than but not also this had over "
    "who about into they been last year would when other two new could while against"
)


class Articles:
    """Pseudo-news articles from a seed: the same seed, the same bytes."""

    def __init__(self, seed: int) -> None:
        rng = self.rng = random.Random(seed)
        words: list[str] = []
        seen: set[str] = set()
        while len(words) < 20_000:
            word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
            if word not in seen:
                seen.add(word)
                words.append(word)
        self.words = words
        self.weights = list(itertools.accumulate(1.0 / (r + 20) ** 1.1 for r in range(len(words))))
        self.names = [w.capitalize() for w in words[3000:5000]]

    def sentence(self) -> str:
        rng = self.rng
        out: list[str] = []
        for word in rng.choices(self.words, cum_weights=self.weights, k=rng.randint(8, 24)):
            if rng.random() < 0.45:
                out.append(rng.choice(_FUNCTION_WORDS))
            if rng.random() < 0.06:
                out.append(rng.choice(self.names))
            elif rng.random() < 0.04:
                out.append(str(rng.randint(2, 2000)))
            out.append(word)
        return out[0].capitalize() + " " + " ".join(out[1:]) + rng.choice("....!?")

    def article(self) -> str:
        rng = self.rng
        body = [
            " ".join(self.sentence() for _ in range(rng.choice((1, 2, 2, 3))))
            for _ in range(rng.randint(5, 12))
        ]
        if rng.random() < 0.2:
            if rng.random() < 0.5:
                body = body + body  # the body printed twice
            else:
                body.insert(
                    rng.randint(len(body) // 2, len(body)), rng.choice(body[: len(body) // 2])
                )
        title = " ".join(rng.choices(self.words, cum_weights=self.weights, k=rng.randint(4, 9)))
        sep = "\n\n" if rng.random() < 0.3 else "\n"
        return title.capitalize() + "\n\n" + sep.join(body) + "\n"

    def records(self, count: int) -> Iterator[dict[str, object]]:
        for n in range(count):
            yield {
                "id": f"r{n:07d}",
                "url": f"https://news.example/{self.rng.choice(self.words)}/{n}",
                "date": f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
                "text": self.article(),
            }


def write_shards(root: Path, records: int, shards: int, seed: int) -> tuple[int, list[str]]:
    """``shards`` files under ``root`` holding ``records`` records in all, the
    odd ones gzip-compressed; returns the bytes written (uncompressed) and
    the texts, for the baseline."""
    root.mkdir(parents=True, exist_ok=True)
    texts: list[str] = []
    size = 0
    source = Articles(seed).records(records)
    per_shard = -(-records // shards)
    for s in range(shards):
        lines = []
        for record in itertools.islice(source, per_shard):
            texts.append(str(record["text"]))
            lines.append(json.dumps(record, ensure_ascii=False) + "\n")
        data = "".join(lines).encode("utf-8")
        size += len(data)
        if s % 2:
            path = root / f"shard-{s:03d}.jsonl.gz"
            with open(path, "wb") as raw, gzip.GzipFile("", "wb", fileobj=raw, mtime=0) as gz:
                gz.write(data)
        else:
            (root / f"shard-{s:03d}.jsonl").write_bytes(data)
    return size, texts


_COMMAND = """
import atexit, sys

def _peak(path=sys.argv[1]):  # VmHWM: this process's own peak RSS, not its parent's
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                with open(path, "w") as out:
                    out.write(line.split()[1])

atexit.register(_peak)
sys.argv = ["dedupe", *sys.argv[2:]]
from newsdedupe.cli import main
main()
"""


def run_command(args: list[str], peak_file: Path) -> tuple[float, int, int]:
    """Run the ``dedupe`` command with ARGS in a fresh interpreter: seconds,
    exit code and its peak resident memory in bytes (Linux ``VmHWM``; the
    ``ru_maxrss`` of a child would include the benchmark's own memory,
    copied by fork before exec)."""
    start = time.perf_counter()
    code = subprocess.call([sys.executable, "-c", _COMMAND, str(peak_file), *args])
    seconds = time.perf_counter() - start
    return seconds, code, int(peak_file.read_text()) * 1024


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            mem = f", {int(handle.readline().split()[1]) / 1024**2:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        mem = ""
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument(
        "--workers", type=int, default=2, help="worker processes (--jobs N, and for Dask)"
    )
    parser.add_argument("--seed", type=int, default=11)
    ns = parser.parse_args()

    import dask
    import distributed

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-jsonl-") as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        size, texts = write_shards(root / "in", ns.records, ns.shards, ns.seed)
        print(
            f"generated {ns.records:,} records in {ns.shards} shards, {size / 1e6:.0f} MB "
            f"uncompressed ({time.perf_counter() - start:.0f} s)",
            file=sys.stderr,
        )
        write_shards(root / "small", 1000, 1, ns.seed + 1)

        start = time.perf_counter()
        changed = 0
        for t in texts:
            result = dedupe_text(t)
            _ = result.text  # (made when read: the JSON Lines mode writes it)
            changed += result.changed
        core_seconds = time.perf_counter() - start
        del texts

        peak = root / "peak"
        local_seconds, code, local_rss = run_command(
            ["--jsonl", "-q", str(root / "in"), "-o", str(root / "local")], peak
        )
        assert code == 0, code
        jobs_seconds, code, _ = run_command(
            [
                "--jsonl",
                "-q",
                str(root / "in"),
                "-o",
                str(root / "jobs"),
                "--jobs",
                str(ns.workers),
            ],
            peak,
        )
        assert code == 0, code
        _, code, small_rss = run_command(
            ["--jsonl", "-q", str(root / "small"), "-o", str(root / "s")], peak
        )
        assert code == 0, code

        start = time.perf_counter()
        cluster = distributed.LocalCluster(
            n_workers=ns.workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
        startup_seconds = time.perf_counter() - start
        try:
            dask_seconds, code, _ = run_command(
                [
                    "--jsonl",
                    "-q",
                    str(root / "in"),
                    "-o",
                    str(root / "dask"),
                    "--dask",
                    cluster.scheduler_address,
                ],
                peak,
            )
        finally:
            cluster.close()
        assert code == 0, code
        local_tree = tree(root / "local")
        for name, other in (("--jobs", tree(root / "jobs")), ("Dask", tree(root / "dask"))):
            if local_tree != other:
                names = sorted(set(local_tree) | set(other))
                differ = [k for k in names if local_tree.get(k) != other.get(k)]
                print(
                    f"FAIL: the {name} run wrote other bytes than the local run: {differ}",
                    file=sys.stderr,
                )
                return 1

    def rate(seconds: float) -> str:
        return f"{ns.records / seconds:,.0f}"

    load_after = os.getloadavg()[0]
    print(f"Machine: {machine()}; dask {dask.__version__}.")
    print(f"Load average (1 min) {load_before:.1f} before and {load_after:.1f} after the run.")
    print(
        f"Corpus: {ns.records:,} records ({changed:,} with repeats) in {ns.shards} shards "
        f"(half gzip), {size / 1e6:.0f} MB of JSON Lines."
    )
    print()
    print("| path | seconds | records/s | vs. core alone |")
    print("|---|---:|---:|---:|")
    print(
        f"| core alone: `dedupe_text` in-process, no JSON, no I/O (baseline) "
        f"| {core_seconds:.1f} | {rate(core_seconds)} | 1.00 |"
    )
    print(
        f"| `dedupe --jsonl` local streaming, 1 process | {local_seconds:.1f} "
        f"| {rate(local_seconds)} | {core_seconds / local_seconds:.2f} |"
    )
    print(
        f"| `dedupe --jsonl --jobs {ns.workers}`, {ns.workers} worker processes "
        f"| {jobs_seconds:.1f} | {rate(jobs_seconds)} | {core_seconds / jobs_seconds:.2f} |"
    )
    print(
        f"| `dedupe --jsonl --dask ADDRESS`, LocalCluster of {ns.workers} worker processes "
        f"| {dask_seconds:.1f} | {rate(dask_seconds)} | {core_seconds / dask_seconds:.2f} |"
    )
    print()
    print(
        f"Starting the LocalCluster took {startup_seconds:.1f} s (not in the Dask row). "
        "The --jobs and Dask runs wrote the same bytes as the local run."
    )
    print(
        f"Peak memory (max RSS) of the streaming command: {local_rss / 2**20:.0f} MiB for "
        f"{ns.records:,} records, {small_rss / 2**20:.0f} MiB for 1,000 records."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
