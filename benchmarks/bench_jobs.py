"""Where worker processes start to pay: ``dedupe DIR --check`` with
``--jobs 1`` against ``--jobs N`` on folders of growing size.

Starting a worker (a fresh interpreter that imports the package) costs a
fixed fraction of a second; it pays only once the folder holds enough text.
The default ``--jobs`` runs in-process below the measured crossover
(``newsdedupe.executors.SERIAL_BYTES``). Run::

    python benchmarks/bench_jobs.py [--repeat 3] [--jobs 2] [--sizes 100 400 ...]

and it prints one line per folder size: the best wall time of each, and the
folder's size in bytes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_folder  # noqa: E402

SIZES = (100, 400, 800, 1600, 3200, 6400)


def best(args: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(args, check=False, capture_output=True)
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), metavar="FILES")
    args = parser.parse_args(argv)
    command = [sys.executable, "-m", "newsdedupe"]
    print(f"{'files':>6} {'bytes':>10} {'--jobs 1':>9} {'--jobs ' + str(args.jobs):>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for count in args.sizes:
            folder = Path(tmp) / f"n{count}"
            write_folder(folder, seed=5, count=count)
            size = sum(p.stat().st_size for p in folder.rglob("*.txt"))
            base = [*command, str(folder), "--check", "-q"]
            one = best([*base, "--jobs", "1"], args.repeat)
            many = best([*base, "--jobs", str(args.jobs)], args.repeat)
            print(f"{count:>6} {size:>10,} {one:>8.2f}s {many:>8.2f}s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
