"""What ``--report`` costs on 5,000 articles, and how fast the page opens.

    python benchmarks/bench_report.py              # table on stdout
    python benchmarks/bench_report.py --count 1000 --repeat 1

The folder is the one of ``benchmarks/bench.py`` (``corpus.write_folder``,
generated from a fixed seed, 20% of the articles with planted repeats),
cached in ``--work``. Timed, best of ``--repeat``:

* ``dedupe DIR --check --jobs 2`` against ``dedupe DIR --report PAGE --jobs 2``
  (wall time, peak memory of the parent, size of the page);
* headless Chromium (when installed) opening the page and running its
  script (``--dump-dom``): as it opens, and with the last input that has
  removals opened (``#sort=order&open=N``: every row before it is built).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench  # noqa: E402
import corpus  # noqa: E402


def chromium_command(page: Path, fragment: str, profile: Path) -> list[str] | None:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        return None
    return [
        exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--virtual-time-budget=10000", "--dump-dom",
        page.as_uri() + fragment,
    ]  # fmt: skip


def last_with_removals(page: Path) -> int:
    text = page.read_text(encoding="utf-8")
    found = re.search(r'id="report-data">(.*?)</script>', text, re.S)
    assert found is not None
    inputs = json.loads(found.group(1))["inputs"]
    return max(n for n, item in enumerate(inputs, 1) if item["doc"] is not None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "nd-bench")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    bench.use_bytecode_cache(args.work)
    folder = bench.ensure(
        args.work / f"folder-{args.count}",
        lambda p: corpus.write_folder(p, count=args.count),
    )
    page = args.work / "report.html"
    dedupe = bench.dedupe_command()
    rows = []
    check = bench.best_of(
        args.repeat, lambda: bench.run([*dedupe, str(folder), "--check", "-q", "--jobs", "2"])
    )
    rows.append(("dedupe DIR --check --jobs 2", check))
    report = bench.best_of(
        args.repeat,
        lambda: bench.run(
            [*dedupe, str(folder), "--report", str(page), "-q", "--jobs", "2"]
        ),
    )
    rows.append(("dedupe DIR --report PAGE --jobs 2", report))
    print(f"{args.count:,} articles; load average {bench.load()}")
    for name, (wall, peak) in rows:
        print(f"  {name:<44} {wall:6.2f} s  {peak / 2**20:6.0f} MB")
    print(f"  page: {page.stat().st_size / 2**20:.1f} MB")
    last = last_with_removals(page)
    with tempfile.TemporaryDirectory() as profile:
        views = (("as it opens", ""), (f"input {last} opened", f"#sort=order&open={last}"))
        for label, fragment in views:
            cmd = chromium_command(page, fragment, Path(profile))
            if cmd is None:
                print("  chromium not installed: page not timed")
                break
            wall, _ = bench.best_of(args.repeat, lambda c=cmd: bench.run(c, memory=False))
            print(f"  chromium --dump-dom, {label:<30} {wall:6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
