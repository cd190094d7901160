"""Copy every ``*.txt`` file of a folder into another, the way ``dedupe DIR
-o OUT`` writes its output but without cleaning anything: read the bytes and
write them with the same :func:`newsdedupe.io.atomic_write` folder mode
uses (a new temp file beside the target, renamed over it; no flush per
file). Two processes, as ``--jobs 2``.

    python benchmarks/copyfolder.py SRC DST [--jobs 2]

It is the floor of the folder benchmark: what creating 5,000 new files
costs on the machine at hand, which the exact-line ``awk`` pass (writing
to one pipe) does not pay.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from newsdedupe.io import atomic_write


def copy_one(job: tuple[str, str]) -> None:
    src, dst = job
    atomic_write(Path(dst), Path(src).read_bytes(), durable=False, parents=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("dst", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    jobs = []
    for path in sorted(args.src.rglob("*.txt")):
        jobs.append((str(path), str(args.dst / path.relative_to(args.src))))
    with ProcessPoolExecutor(args.jobs) as pool:
        for _ in pool.map(copy_one, jobs, chunksize=64):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
