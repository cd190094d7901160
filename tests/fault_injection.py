"""Fault injection: kill dedupe runs at random moments and check that nothing is lost.

Each round copies a fresh tree, starts a run that rewrites it, and stops it
at a random moment in one of five ways:

* ``kill-group``: SIGKILL to the run's whole process group (parent and workers);
* ``kill-parent``: SIGKILL to the parent alone (its workers must not outlive it);
* ``term``: SIGTERM to the parent (a clean stop, exit 143);
* ``hup``: SIGHUP to the parent (a clean stop, exit 129);
* ``int-group``: SIGINT to the group, as Ctrl-C in a terminal (exit 130).

Then it checks, file by file:

1. every file is its original bytes or exactly the cleaned bytes (what a
   run that was never interrupted writes), every backup is the original
   bytes, and nothing else is there but (after SIGKILL only) temp files;
2. no process of the run is left (all share one session);
3. a second run over the same tree, left to finish, exits 0, leaves every
   file cleaned, every backup original, and no temp file anywhere.

Two kinds of run: a folder of text files (``--in-place --backup .orig
--jobs 2``) and a folder of JSON Lines shards (``--jsonl --in-place
--backup .orig``). Usage::

    python tests/fault_injection.py --runs 120
    python tests/fault_injection.py --runs 10 --kinds jsonl --seed 7

It prints one line per failure and the figures at the end; exit 1 if
anything failed. Linux only (it reads /proc to find the run's processes).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

TEMP_SUFFIX = ".dedupe-tmp"
BACKUP = ".orig"
WAYS = ("kill-group", "kill-parent", "term", "hup", "int-group")
KINDS = ("folder", "jsonl")
EXPECTED_CODE = {"term": 143, "hup": 129, "int-group": 130}

_SYLLABLES = ["ba", "ker", "mo", "lin", "sta", "ve", "rou", "pel", "dan", "ti", "shor", "gu"]
_RNG = random.Random(5)
WORDS = sorted(
    {"".join(_RNG.choice(_SYLLABLES) for _ in range(_RNG.randint(2, 4))) for _ in range(4000)}
)
"""Made-up words: enough of them that paragraphs differ as real ones do."""


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 18))]
    return " ".join(words).capitalize() + f" on day {rng.randint(1, 365)}."


def _article(rng: random.Random, i: int) -> str:
    body = [f"{_sentence(rng)} {_sentence(rng)}" for _ in range(rng.randint(5, 12))]
    if i % 2 == 0:
        body += body[: rng.randint(2, len(body))]  # half the articles repeat part of the body
    return "\n\n".join([f"Story {i}", *body]) + "\n"


def make_tree(root: Path, kind: str, size: int, seed: int = 11) -> None:
    """A tree of made-up articles: ``size`` text files in nested folders, or
    ``size`` JSON Lines records spread over shards."""
    rng = random.Random(seed)
    if kind == "folder":
        for i in range(size):
            path = root / f"{i % 4}/{i % 3}/story{i:05d}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(_article(rng, i).encode())
        return
    shards = 6
    for s in range(shards):
        path = root / f"part{s // 3}/shard{s}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [
            json.dumps({"id": i, "url": f"https://example.org/{i}", "text": _article(rng, i)})
            for i in range(s, size, shards)
        ]
        path.write_bytes(("\n".join(lines) + "\n").encode())


def command(kind: str, root: Path) -> list[str]:
    args = [sys.executable, "-m", "newsdedupe", str(root), "--in-place", "--backup", BACKUP, "-q"]
    if kind == "jsonl":
        return [*args[:3], "--jsonl", *args[3:]]
    return [*args, "--jobs", "2"]


def snapshot(root: Path) -> dict[str, bytes]:
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def process_table() -> dict[int, list[str]]:
    """Every process's ``/proc/PID/stat`` fields after its name, by pid:
    state, ppid, pgrp, session, ..."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                table[int(entry)] = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
    return table


def session_processes(sid: int) -> list[int]:
    """Processes still in session ``sid`` (every process of a run started
    with ``start_new_session``), zombies left out."""
    return [pid for pid, f in process_table().items() if int(f[3]) == sid and f[0] != "Z"]


@dataclass
class Figures:
    runs: int = 0
    files_checked: int = 0
    failures: list[str] = field(default_factory=list)
    by_way: dict[str, int] = field(default_factory=dict)
    stopped_early: int = 0
    """Runs the signal reached before they finished (the others had ended)."""
    before_start: int = 0
    """Stop signals that came before the run had set up its handlers."""
    temps_left_by_kill: int = 0
    """Temp files a SIGKILLed run left, all removed by the next run."""


class Fixture:
    """One kind of tree: its originals and what a whole run makes of them."""

    def __init__(self, kind: str, size: int, work: Path) -> None:
        self.kind = kind
        self.pristine = work / f"{kind}-pristine"
        make_tree(self.pristine, kind, size)
        self.originals = snapshot(self.pristine)
        reference = work / f"{kind}-reference"
        shutil.copytree(self.pristine, reference)
        started = time.monotonic()
        proc = subprocess.run(command(kind, reference), capture_output=True, timeout=300)
        self.duration = time.monotonic() - started
        if proc.returncode != 0:
            raise SystemExit(f"reference run failed: {proc.stderr.decode()}")
        after = snapshot(reference)
        self.cleaned = {rel: after[rel] for rel in self.originals}
        self.changed = {rel for rel in self.originals if self.cleaned[rel] != self.originals[rel]}
        shutil.rmtree(reference)

    def check(self, root: Path, finished: bool, temps_allowed: bool, where: str) -> list[str]:
        """Problems in ``root``: each file original or cleaned (cleaned when
        ``finished``), each backup original, no stray file."""
        problems = []
        now = snapshot(root)
        self.checked = 0
        for rel, data in now.items():
            self.checked += 1
            name = rel.rsplit("/", 1)[-1]
            if name.endswith(TEMP_SUFFIX):
                if not temps_allowed:
                    problems.append(f"{where}: temp file left: {rel}")
                continue
            if rel.endswith(BACKUP) and rel[: -len(BACKUP)] in self.originals:
                source = rel[: -len(BACKUP)]
                if data != self.originals[source]:
                    problems.append(f"{where}: backup {rel} is not the original")
                elif source not in self.changed:
                    problems.append(f"{where}: backup {rel} of a file with nothing to change")
                continue
            if rel not in self.originals:
                problems.append(f"{where}: unexpected file {rel}")
                continue
            if data == self.cleaned[rel]:
                continue
            if data == self.originals[rel] and not finished:
                continue
            problems.append(f"{where}: {rel} is neither the original nor the cleaned text")
        for rel in self.originals:
            if rel not in now:
                problems.append(f"{where}: {rel} is missing")
        if finished:
            for rel in self.changed:
                if rel + BACKUP not in now:
                    problems.append(f"{where}: backup of {rel} is missing")
        return problems


def one_round(fixture: Fixture, way: str, rng: random.Random, work: Path, figures: Figures) -> None:
    root = work / "tree"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(fixture.pristine, root)
    where = f"run {figures.runs + 1} ({fixture.kind}, {way})"
    proc = subprocess.Popen(
        command(fixture.kind, root),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    time.sleep(rng.uniform(0.0, fixture.duration * 1.1))
    signum = {"term": signal.SIGTERM, "hup": signal.SIGHUP}.get(way, signal.SIGKILL)
    if way == "int-group":
        signum = signal.SIGINT
    ended_before = proc.poll() is not None
    if way in ("kill-group", "int-group"):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        figures.failures.append(f"{where}: did not stop within 60 s of the signal")
    code = proc.returncode
    if not ended_before and code != 0:
        figures.stopped_early += 1
    if way in EXPECTED_CODE and code == -signum:
        # The signal came while the interpreter was still starting, before
        # the run set up its handlers: the default action ended it. Fine
        # only if it had written nothing yet.
        figures.before_start += 1
        if snapshot(root) != fixture.originals:
            figures.failures.append(f"{where}: ended by the signal after it had written")
    elif way in EXPECTED_CODE and code not in (0, EXPECTED_CODE[way]):
        figures.failures.append(f"{where}: exit {code}, stderr {err.decode()[-300:]!r}")
    elif way in EXPECTED_CODE and code != 0 and b"Traceback" in err:
        figures.failures.append(f"{where}: traceback on stderr")
    deadline = time.monotonic() + 10
    while session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = session_processes(proc.pid)
    if left:
        figures.failures.append(f"{where}: processes left after the parent ended: {left}")
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    killed = signum == signal.SIGKILL
    figures.failures += fixture.check(root, finished=False, temps_allowed=killed, where=where)
    figures.files_checked += fixture.checked
    figures.temps_left_by_kill += sum(rel.endswith(TEMP_SUFFIX) for rel in snapshot(root))
    again = subprocess.run(command(fixture.kind, root), capture_output=True, timeout=300)
    if again.returncode != 0:
        figures.failures.append(
            f"{where}: the next run exited {again.returncode}: {again.stderr.decode()[-300:]!r}"
        )
    figures.failures += fixture.check(
        root, finished=True, temps_allowed=False, where=f"{where}, next run"
    )
    figures.files_checked += fixture.checked
    figures.runs += 1
    figures.by_way[way] = figures.by_way.get(way, 0) + 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100, help="rounds in all (default 100)")
    parser.add_argument("--kinds", default=",".join(KINDS), help="folder,jsonl (default both)")
    parser.add_argument("--files", type=int, default=240, help="text files per tree")
    parser.add_argument("--records", type=int, default=1200, help="JSON Lines records per tree")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    figures = run(args.runs, args.kinds.split(","), args.files, args.records, args.seed)
    for failure in figures.failures:
        print(f"FAIL {failure}")
    ways = ", ".join(f"{way} {n}" for way, n in sorted(figures.by_way.items()))
    print(
        f"{figures.runs} runs ({ways}); {figures.stopped_early} stopped before they finished "
        f"({figures.before_start} by a signal that came before start-up was over); "
        f"{figures.files_checked} file checks; {figures.temps_left_by_kill} temp files left "
        f"by SIGKILL, all removed by the next run unless reported; "
        f"{len(figures.failures)} failures"
    )
    return 1 if figures.failures else 0


def run(runs: int, kinds: list[str], files: int, records: int, seed: int) -> Figures:
    rng = random.Random(seed)
    figures = Figures()
    with tempfile.TemporaryDirectory(prefix="dedupe-faults-") as tmp:
        work = Path(tmp)
        fixtures = [Fixture(k, files if k == "folder" else records, work) for k in kinds]
        for i in range(runs):
            one_round(
                fixtures[i % len(fixtures)],
                WAYS[(i // len(fixtures)) % len(WAYS)],
                rng,
                work,
                figures,
            )
    return figures


if __name__ == "__main__":
    sys.exit(main())
