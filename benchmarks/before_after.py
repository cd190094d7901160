"""Two versions of the core on the same real text, taking turns: time and output.

    python benchmarks/before_after.py --before OLD/src --after src
    python benchmarks/before_after.py --before OLD/src --after src --recombined 5000,20000

``--before`` and ``--after`` are folders that hold the ``newsdedupe``
package (the ``src`` folder of a checkout, e.g. one made with
``git archive COMMIT src | tar -x -C OLD``). Each run is a fresh process
with that folder first on ``sys.path``; the two versions take turns, round
after round, so a change of load on the machine touches both. Inputs, built
at run time from the evaluation set by ``benchmarks/real.py``:

* ``recombined-N``: the recombined-sentences document of N paragraphs;
* ``articles``: the 5,000 real articles, read into memory and cleaned one
  after another in one process.

Each run prints its wall and CPU time (``dedupe_text`` only, building the
input is not timed; on a machine shared with other work the CPU time moves
less), its peak resident memory, and a SHA-256 digest of every output text
and removal record, so the table also says whether the output is the same.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent


def worker(name: str, eval_dir: Path) -> dict[str, object]:
    """One timed run of the ``newsdedupe`` first on ``sys.path`` (in this process)."""
    sys.path.insert(0, str(HERE))
    import real

    from newsdedupe.core import dedupe_text

    pool = real.Pool(eval_dir)
    if name == "articles":
        texts = [text for _rel, text, _planted in real.articles(pool, 5000)]
    else:
        texts = [real.recombined(pool, int(name.removeprefix("recombined-")))]
    digest = hashlib.sha256()
    start, cpu = time.perf_counter(), time.process_time()
    results = [dedupe_text(text) for text in texts]
    for result in results:  # (made when read since e92f5d6: part of the work)
        _ = result.text
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    removed = 0
    for result in results:
        digest.update(result.text.encode("utf-8", "surrogatepass"))
        digest.update(repr(result.removals).encode("utf-8"))
        removed += len(result.removals)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_bytes": peak,
        "digest": digest.hexdigest(),
        "removed": removed,
    }


def run(src: Path, name: str, eval_dir: Path, timeout: float) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(src.resolve()))
    cmd = [sys.executable, __file__, "--worker", name, "--eval", str(eval_dir)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="folder holding the old newsdedupe package")
    parser.add_argument("--after", type=Path, help="folder holding the new newsdedupe package")
    parser.add_argument("--recombined", default="20000", help="sizes, comma-separated, or ''")
    parser.add_argument("--no-articles", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per run")
    parser.add_argument("--eval", type=Path, default=HERE.parent.parent / "shared" / "eval")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.eval)))
        return 0
    if args.before is None or args.after is None:
        parser.error("--before and --after are required")
    names = [f"recombined-{n}" for n in args.recombined.split(",") if n]
    if not args.no_articles:
        names.append("articles")
    print(f"load average before: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    print(
        "| input | before, wall | after, wall | after / before | before, CPU | after, CPU "
        "| after / before, CPU | peak before | peak after | removed | same output |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for name in names:
        runs: dict[str, list[dict[str, object]]] = {"before": [], "after": []}
        for _ in range(args.repeat):
            for side, src in (("before", args.before), ("after", args.after)):
                runs[side].append(run(src, name, args.eval, args.timeout))
                last = runs[side][-1]
                print(
                    f"{name} {side}: {last['seconds']:.2f} s, CPU {last['cpu_seconds']:.2f} s",
                    file=sys.stderr,
                )
        best = {side: min(float(str(r["seconds"])) for r in rs) for side, rs in runs.items()}
        cpu = {side: min(float(str(r["cpu_seconds"])) for r in rs) for side, rs in runs.items()}
        peak = {side: max(int(str(r["peak_bytes"])) for r in rs) for side, rs in runs.items()}
        digests = {str(r["digest"]) for rs in runs.values() for r in rs}
        print(
            f"| {name} | {best['before']:.2f} s | {best['after']:.2f} s "
            f"| {best['after'] / best['before']:.2f} "
            f"| {cpu['before']:.2f} s | {cpu['after']:.2f} s "
            f"| {cpu['after'] / cpu['before']:.2f} | {peak['before'] >> 20} MiB "
            f"| {peak['after'] >> 20} MiB | {runs['after'][0]['removed']} "
            f"| {'yes' if len(digests) == 1 else 'NO'} |",
            flush=True,
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
