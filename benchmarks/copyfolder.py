"""Copy every ``*.txt`` file of a folder into another, the way ``dedupe DIR
-o OUT`` writes its output but without cleaning anything: read the bytes,
write them to a new temp file beside the target, rename it over the target.
Two processes, as ``--jobs 2``.

    python benchmarks/copyfolder.py SRC DST [--jobs 2]

It is the floor of the folder benchmark: what creating 5,000 new files
costs on the machine at hand, which the exact-line ``awk`` pass (writing
to one pipe) does not pay.
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def copy_one(job: tuple[str, str]) -> None:
    src, dst = job
    data = Path(src).read_bytes()
    tmp = f"{dst}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, dst)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("dst", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    jobs = []
    for path in sorted(args.src.rglob("*.txt")):
        target = args.dst / path.relative_to(args.src)
        target.parent.mkdir(parents=True, exist_ok=True)
        jobs.append((str(path), str(target)))
    with ProcessPoolExecutor(args.jobs) as pool:
        for _ in pool.map(copy_one, jobs, chunksize=64):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
