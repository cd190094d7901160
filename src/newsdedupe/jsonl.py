"""JSON Lines mode: corpora of shards, one record per line with the article
in a field (``text`` by default) beside ``url``, ``date``, ``id``.

This module plans one job per shard (folders walked by
:func:`newsdedupe.walk.walk`, in path order) and reports each shard's
summary; :mod:`newsdedupe.shard` cleans one shard, :mod:`newsdedupe.records`
one record. Output goes to stdout (shards one after another), ``-o FILE``
(one input), ``-o DIR`` (the shards mirrored, gzip kept), or back in place.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from newsdedupe.io import (
    input_inside_output,
    is_inside,
    same_file,
)
from newsdedupe.messages import count, run_line
from newsdedupe.progress import BatchProgress, open_progress
from newsdedupe.records import BadRecord, clean_line, clean_record, quote
from newsdedupe.report import (
    Report,
    check_line,
    finish_review,
    is_terminal,
    json_sink,
    open_review,
    warn,
)
from newsdedupe.settings import SHARD_GLOBS, STDIN, RunSettings, UsageError
from newsdedupe.shard import Buffer, ShardJob, ShardSummary, clean_shard
from newsdedupe.walk import Found, Rules, walk

if TYPE_CHECKING:
    from newsdedupe.htmlreport import Review

__all__ = ["SHARD_GLOBS", "BadRecord", "ShardRun", "clean_line", "clean_record"]
"""(The record functions live in :mod:`newsdedupe.records`; they are here
too, so ``from newsdedupe.jsonl import clean_line`` keeps working.)"""


class ShardRun:
    """One JSON Lines run, as the runner drives it: the plan of shards (a
    job each, or a failed summary for a path that does not exist), the
    picklable :func:`~newsdedupe.shard.clean_shard` for worker processes
    and Dask workers, and each shard's summary counted, reported and shown
    in plan order.

    In this process a shard streams its records to stdout (shards one after
    another) and tells a bad record as it meets it; in worker processes
    (``--jobs N`` with shards written to files) or on a Dask cluster the
    messages come back with the summary. Ctrl-C in this process stops at
    once: a shard can be large, and its output is written atomically.
    """

    job = ShardJob
    chunk = 1  # shards are large: one per round trip
    ordered = True
    finishes_jobs = False
    auto_workers = False
    """Without --jobs, shards run in this process, as they always have."""

    def __init__(self, paths: list[str], settings: RunSettings) -> None:
        paths = paths or [STDIN]
        problem = _usage_problem(paths, settings)
        if problem is None:
            self.items, problem = _plan(paths, settings)
        if problem is not None:
            raise UsageError(problem)
        self.settings = settings
        self.report = Report()
        self.missing = 0
        self._told = 0
        jobs = [item for item in self.items if isinstance(item, ShardJob)]
        streams = settings.writes_text and any(job.dest is None for job in jobs)
        self.parallel = not (
            settings.explain or streams or any(job.source == STDIN for job in jobs)
        )
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> ShardRun:
        settings = self.settings
        self.review = open_review(settings, "records")
        # a live display would mix with records printed on the same terminal
        to_stdout = settings.writes_text and settings.output is None and not settings.in_place
        hide = settings.quiet or (to_stdout and is_terminal(sys.stdout))
        self.write_json = self._stack.enter_context(json_sink(settings.json_target))
        self.bar = self._stack.enter_context(open_progress(hide, unit="shards"))
        self.meter = _Meter(self.bar, self.items, cluster=settings.dask is not None)
        self.stdout = Buffer(sys.stdout.buffer.write) if settings.writes_text else None
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def plan(self) -> Iterator[ShardJob | ShardSummary]:
        return iter(self.items)

    def clean(self, in_process: bool) -> Callable[[ShardJob], ShardSummary]:
        if in_process:
            return self._clean_here
        return functools.partial(clean_shard, settings=self.settings.work)

    def _clean_here(self, job: ShardJob) -> ShardSummary:
        """One shard in this process: records stream to stdout, bad ones are
        told as they come, the display follows the reading."""
        summary = clean_shard(
            job,
            self.settings.work,
            stream=self.stdout,
            note=self._note,
            missing_told=self._told > 0,
            tick=self.meter.reading,
        )
        self._told += summary.missing
        if self.stdout is not None:
            sys.stdout.buffer.flush()
        return summary

    def _note(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.flush()
            sys.stdout.buffer.flush()
        self.bar.message(message)

    def failed(self, job: ShardJob, message: str) -> ShardSummary:
        return ShardSummary(job.label, error=message, messages=[message])

    def job_done(self, job: ShardJob, failed: bool) -> None:
        self.meter.shard_done(job, failed)

    def handle(self, summary: ShardSummary) -> None:
        self.report.add(
            failed=summary.error is not None,
            changed=summary.changed,
            removed_paragraphs=summary.removed_paragraphs,
            removed_chars=summary.removed_chars,
            records=summary.records,
            bad=summary.bad,
        )
        for message in summary.messages:
            if message != summary.first_missing or not self.missing:
                self.bar.message(message)
        self.missing += summary.missing
        self.meter.finished(summary)
        self.write_json(summary.record())
        _show(summary, self.settings, self.bar.message)
        if self.review is not None:
            _review(self.review, summary)

    def close(self, stopped: bool) -> None:
        self.bar.close()
        if self.missing > 1:
            self.bar.message(_missing_line(self.missing - 1, self.settings))
        if not self.settings.quiet:
            self.bar.message(self.report.shards_line(writes=not self.settings.check))

    def exit_code(self) -> int:
        return finish_review(self.review, self.report.exit_code(self.settings.check))


def _review(review: Review, summary: ShardSummary) -> None:
    """A shard's records into the ``--report`` page: every record with
    removals or bad, and a count of the others."""
    listed = 0
    for item in summary.reviews:
        review.add(item)
        listed += item["status"] != "failed" or item["name"] != summary.label
    review.add_unchanged(summary.records - listed)


class _Meter:
    """Feeds the progress display: shards done out of the plan, records as
    they are read, and the bytes of input read for the time left."""

    def __init__(
        self, bar: BatchProgress, plan: list[ShardJob | ShardSummary], cluster: bool
    ) -> None:
        self.bar = bar
        self.plan = plan
        self.cluster = cluster
        self._next = 0
        self.sizes: dict[str, int] = {}
        for item in plan:
            if isinstance(item, ShardJob) and item.source != STDIN:
                with contextlib.suppress(OSError):
                    self.sizes[item.source] = os.stat(item.source).st_size
        bar.set_total(len(plan))
        if self.sizes and all(isinstance(i, ShardSummary) or i.source in self.sizes for i in plan):
            bar.set_work(sum(self.sizes.values()))
        self._records = 0
        self._position = 0
        self._failed_on_cluster: set[str] = set()

    def reading(self, records: int, position: int) -> None:
        """Called now and then while a shard is read here (not on Dask)."""
        self.bar.add_records(records - self._records)
        self.bar.add_work(max(0, position - self._position))
        self._records, self._position = records, position

    def shard_done(self, job: ShardJob, failed: bool) -> None:
        """A shard finished on the cluster (called from the client's thread)."""
        if failed:
            self._failed_on_cluster.add(job.source)
        self.bar.add_work(self.sizes.get(job.source, 0))
        self.bar.advance(changed=False, failed=failed, removed=0)

    def finished(self, summary: ShardSummary) -> None:
        """A shard's summary, in input order (on a cluster, a shard that ran
        was already counted done by :meth:`shard_done`)."""
        item = self.plan[self._next]
        self._next += 1
        counted = self.cluster and isinstance(item, ShardJob)
        told = isinstance(item, ShardJob) and item.source in self._failed_on_cluster
        if not counted and isinstance(item, ShardJob):
            self.bar.add_work(max(0, self.sizes.get(item.source, 0) - self._position))
        self.bar.add_records(summary.records - (0 if counted else self._records))
        self._records = self._position = 0
        self.bar.advance(
            changed=summary.changed,
            failed=summary.error is not None and not told,
            removed=summary.removed_paragraphs,
            done=0 if counted else 1,
        )


def _missing_line(more: int, settings: RunSettings) -> str:
    """After the first record without the field: how many more, once."""
    action = "left out (--drop-bad)" if settings.drop_bad else "passed through unchanged"
    have = "has" if more == 1 else "have"
    return run_line(
        f"{count(more, 'more record')} {have} no {quote(settings.field)} field, "
        f"{action}; check --field"
    )


def _show(summary: ShardSummary, settings: RunSettings, warn: Callable[[str], None]) -> None:
    if settings.quiet or summary.error is not None:
        return
    if settings.verbose:
        line = (
            f"{summary.label}: {count(summary.records, 'record')}, {summary.changed:,} changed, "
            f"{count(summary.removed_paragraphs, 'paragraph')} and "
            f"{count(summary.removed_chars, 'character')} removed"
        )
        if summary.bad:
            line += f", {summary.bad:,} bad"
        warn(line)
    elif settings.check and summary.changed:
        # the same words as a text file's --check line, then the records
        records = count(summary.changed, "record")
        warn(f"{check_line(summary.label, summary.removed_paragraphs)} in {records}")


def _usage_problem(paths: list[str], settings: RunSettings) -> str | None:
    """Settings that cannot work together, before anything is read."""
    if settings.diff:
        return run_line("--diff does not apply to --jsonl; use --check, --explain or --stats-field")
    if settings.encoding and _codec(settings.encoding) not in ("utf-8", "utf-8-sig"):
        return run_line("JSON Lines are UTF-8; --encoding does not apply to --jsonl")
    if settings.stats_field is not None and settings.stats_field == settings.field:
        return run_line("--stats-field must name another field than --field")
    if settings.in_place and STDIN in paths:
        return run_line("--in-place needs shard files, not stdin")
    if settings.dask is not None:
        if STDIN in paths:
            return run_line("--dask runs shard files, not stdin")
        if settings.explain:
            return run_line("--explain shows records one by one; run it without --dask")
        if settings.output is None and not (settings.in_place or settings.check):
            return run_line("--dask writes shards: give -o DIR (or --in-place, or --check)")
    return None


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


def _plan(
    paths: list[str], settings: RunSettings
) -> tuple[list[ShardJob | ShardSummary], str | None]:
    """One job per shard in input order (folders walked, sorted), or a
    failed summary for a path that does not exist; or a usage problem."""
    globs = settings.globs or SHARD_GLOBS
    folders = [p for p in paths if p != STDIN and Path(p).is_dir()]
    out = settings.output
    to_dir = out is not None and (bool(folders) or settings.output_dir or out.is_dir())
    if out is not None and not to_dir:
        if len(paths) > 1:
            return [], run_line(
                "-o FILE takes one input; give a folder of shards, or a folder as -o DIR/"
            )
        if paths[0] != STDIN and same_file(Path(paths[0]), out):
            return [], f"{paths[0]}: -o names the input itself; use --in-place to rewrite it"
        if settings.dask is not None:
            return [], run_line("--dask writes shards: give -o DIR (or --in-place, or --check)")
    if to_dir:
        assert out is not None
        if STDIN in paths:
            return [], run_line("stdin cannot be mirrored into -o DIR; give -o FILE")
        if out.exists() and not out.is_dir():
            return [], run_line(f"-o {out}: is a file; shards from a folder need -o DIR")
        inside = input_inside_output(paths, out)
        if inside:
            return [], inside
        for folder in folders:
            if is_inside(out, Path(folder)):
                return [], run_line(
                    f"-o {out} lies inside the input folder {folder}; choose a folder outside it"
                )
    plan: list[ShardJob | ShardSummary] = []
    seen: dict[str, str] = {}
    for p in paths:
        if p == STDIN:
            plan.append(ShardJob(STDIN, None, "<stdin>"))
            continue
        path = Path(p)
        if path.is_dir():
            shards = _shards(p, globs, settings)
            if not shards and not settings.quiet:
                warn(f"{p}: no {' or '.join(globs)} files in this folder")
            sources = [(found.path, found.rel) for found in shards]
        elif path.exists():
            sources = [(p, path.name)]
        else:
            error = f"{p}: no such file or folder; check the path"
            plan.append(ShardSummary(p, error=error, messages=[error]))
            continue
        for src, rel in sources:
            dst = _destination(src, rel, settings, to_dir)
            if dst is not None:
                key = os.path.abspath(dst)
                if key in seen:
                    return [], run_line(
                        f"{seen[key]} and {src} would both be written to {dst}; run them separately"
                    )
                seen[key] = src
                if not settings.in_place and same_file(Path(src), Path(dst)):
                    return [], f"{src}: -o names the input itself; use --in-place to rewrite it"
            job_src = os.path.abspath(src) if settings.dask is not None else src
            job_dst = os.path.abspath(dst) if dst is not None and settings.dask is not None else dst
            plan.append(ShardJob(job_src, job_dst, src))
    return plan, None


def _destination(src: str, rel: str, settings: RunSettings, to_dir: bool) -> str | None:
    if settings.check:
        return None
    if settings.in_place:  # through a link, the file it points to (as dedupe --in-place FILE)
        return os.path.realpath(src) if os.path.islink(src) else src
    if settings.output is None:
        return None
    if to_dir:
        return os.path.join(settings.output, rel)
    return str(settings.output)


def _shards(folder: str, globs: tuple[str, ...], settings: RunSettings) -> list[Found]:
    """The shards under ``folder`` (:func:`newsdedupe.walk.walk`), sorted by
    their relative paths, so a run's order never depends on the file system.
    Links to folders are not entered; with --in-place links to shards are
    left out too (it rewrites real files only, as in folder mode). A shard
    that is no regular file is planned all the same: its read says why it
    fails. A folder that cannot be listed gives no shards."""
    rules = Rules(
        globs=globs,
        hidden=settings.hidden,
        follow_links=not settings.in_place,
        folder_links=False,
        sweep_temps=settings.in_place,
        backup=settings.backup if settings.in_place else None,
    )
    return sorted((f for f in walk(folder, rules) if isinstance(f, Found)), key=lambda f: f.rel)
