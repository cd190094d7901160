"""Folder mode: many files, each cleaned and written atomically, in this
process or in worker processes (:mod:`newsdedupe.executors`).

The plan walks the inputs lazily (:func:`newsdedupe.walk.walk`, a
generator, so memory does not grow with the size of the tree) and gives
each file as a small :class:`Task`. :func:`clean_file` reads, cleans and
writes that one file and gives back a small :class:`FileResult` (the
``--json`` record and counts, never the file's text). :class:`FolderRun`
turns results into messages, the JSON Lines report, the progress display,
the summary and the exit code; the runner drives it.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsdedupe import render
from newsdedupe.core import DedupeResult
from newsdedupe.files import clean_bytes, out_of_memory
from newsdedupe.io import (
    InputError,
    atomic_write,
    file_lock,
    flush_to_disk,
    input_inside_output,
    is_inside,
    read_file,
    same_file,
)
from newsdedupe.messages import printable, run_line
from newsdedupe.progress import BatchProgress, open_progress
from newsdedupe.report import (
    Report,
    check_line,
    finish_review,
    json_sink,
    open_review,
    verbose_line,
)
from newsdedupe.settings import STDIN, TEXT_GLOBS, RunSettings, UsageError, Work
from newsdedupe.walk import Identity, Rules, Unreadable, identity, walk

CHUNK_FILES = 32
"""Files a worker gets at a time: one round trip through the pool per chunk
instead of per file. A worker still stops between any two files on Ctrl-C,
and the progress display still moves often. Measured with
``dedupe DIR --check --jobs 2`` on the 5,000 benchmark articles: chunks of
4 files 2.21-2.27 s, 16 files 1.93-1.99 s, 32 files 1.85-1.90 s, 64 files
1.83-1.98 s; 32 keeps the two workers' last chunks short."""


@dataclass(frozen=True)
class Task:
    """One file for a worker: where to read, what to call it, where to write.

    ``dest`` is None when nothing is written (--check, --diff, report only);
    ``in_place`` means ``dest`` is the source, rewritten only if it changed.
    """

    source: str
    label: str
    dest: str | None = None
    in_place: bool = False


@dataclass(frozen=True)
class FileResult:
    """What a worker sends back for one file: small, picklable, no file text
    beyond the removed paragraphs the JSON record lists."""

    label: str
    record: dict[str, Any]
    """The ``--json`` record; empty when there is no --json report."""
    error: str | None = None
    changed: bool = False
    removed_paragraphs: int = 0
    removed_chars: int = 0
    events: tuple[str, ...] = ()
    diff: str = ""
    explain: str = ""
    review: dict[str, Any] | None = None
    """The ``--report`` entry (:func:`newsdedupe.htmlreport.entry`), made here
    in the worker: the parent only collects it."""


def failure(label: str, message: str) -> FileResult:
    """The result of a file that could not be cleaned; ``message`` names it."""
    return FileResult(label=label, record=render.record(label, None, message), error=message)


# --------------------------------------------------------------------- worker


def clean_file(task: Task, settings: Work) -> FileResult:
    """Read, clean and write one file: what ``dedupe FILE`` does for it.

    Runs in a worker process (or in-process with ``--jobs 1``). Every
    expected problem becomes a failed result with a one-line reason; an
    unexpected exception too, so a bug in one file never sinks the batch.
    """
    rewrites = task.in_place and task.dest is not None
    try:
        # an in-place rewrite holds the file from its read to its replacement
        with file_lock(Path(task.source)) if rewrites else contextlib.nullcontext():
            # (the bytes are not kept here: see clean_bytes)
            out, result = clean_bytes(read_file(Path(task.source)), task.label, settings)
            if task.dest is not None and (result.changed or not task.in_place):
                if task.in_place:
                    atomic_write(Path(task.dest), out, settings.backup)
                else:  # a copy: flushed to disk once, at the end of the batch
                    atomic_write(Path(task.dest), out, durable=False, parents=True)
    except InputError as exc:
        return failure(task.label, str(exc))
    except MemoryError:
        return failure(task.label, out_of_memory(task.label))
    except Exception as exc:
        return _internal_error(task.label, exc)
    explain = ""
    if settings.views.explain:
        buffer = io.StringIO()
        # the parent prints it on stderr, which this worker shares: its width
        width = render.stream_width(sys.stderr)
        render.explain(printable(task.label), result, buffer, width, settings.views.writes)
        explain = buffer.getvalue()
    # (the report record and the event lines only when they will be shown:
    # they take time to make and to send back to the parent)
    wants_record = settings.views.json
    return FileResult(
        label=task.label,
        record=render.record(task.label, result) if wants_record else {},
        changed=result.changed,
        removed_paragraphs=len(result.removals),
        removed_chars=result.removed_chars,
        events=tuple(render.event_lines(result)) if settings.views.verbose else (),
        diff=render.diff(task.label, result) if settings.views.diff else "",
        explain=explain,
        review=_review_entry(task.label, result) if settings.views.report else None,
    )


def _review_entry(label: str, result: DedupeResult) -> dict[str, Any]:
    from newsdedupe.htmlreport import entry  # only with --report

    return entry(label, result)


def _internal_error(label: str, exc: BaseException) -> FileResult:
    """A bug met on one file: that file's failure, not the batch's."""
    return failure(label, f"{label}: internal error ({type(exc).__name__}: {exc}); skipped")


# ----------------------------------------------------------------------- plan


@dataclass
class Walker:
    """Yields the files of the inputs, one at a time, as tasks or failures
    (the walk itself is :func:`newsdedupe.walk.walk`, shared by every mode).

    Symlinked folders are followed (except with --in-place), each real
    folder once, so a link loop cannot trap the walk.
    """

    settings: RunSettings
    output: Path | None
    write: bool
    skip_dirs: frozenset[Identity] = frozenset()
    skip_files: frozenset[Identity] = frozenset()

    def items(self, paths: list[str]) -> Iterator[Task | FileResult]:
        # Two inputs may name the same file (overlapping folders, a file and
        # its folder): only then does the walk remember what it handed out.
        taken: dict[str, str] | None = {} if len(paths) > 1 else None
        visited: set[Identity] = set()
        for name in paths:
            if os.path.isdir(name):
                files = self._folder(name, visited)
            else:
                files = iter([self._explicit(name)])
            for item in files:
                if taken is not None and isinstance(item, Task):
                    real = os.path.realpath(item.source)
                    writes_copy = item.dest is not None and not item.in_place
                    key = os.path.abspath(item.dest) if writes_copy and item.dest else real
                    other = taken.get(key)
                    if other is None:
                        taken[key] = real
                    elif other == real:
                        continue  # the same file again: cleaned once
                    else:
                        yield failure(
                            item.label,
                            f"{item.label}: its output {item.dest} is also the output of {other}; "
                            "skipped, clean these inputs into separate -o folders",
                        )
                        continue
                yield item

    def _task(self, source: str, label: str, rel: str) -> Task:
        if not self.write:
            return Task(source, label)
        if self.settings.in_place:
            return Task(source, label, source, in_place=True)
        assert self.output is not None
        return Task(source, label, os.path.join(self.output, rel))

    def _explicit(self, name: str) -> Task | FileResult:
        """A file named on the command line: taken whatever its name."""
        try:
            mode = os.stat(name).st_mode
        except OSError:
            mode = None  # the worker's read says what is wrong
        if mode is not None and not stat.S_ISREG(mode):
            return failure(name, f"{name}: not a regular file; skipped")
        task = self._task(name, name, os.path.basename(name))
        if task.dest is not None and not task.in_place and same_file(Path(name), Path(task.dest)):
            return failure(
                name, f"{name}: -o would write over the input itself; use --in-place to rewrite it"
            )
        return task

    def _folder(self, root: str, visited: set[Identity]) -> Iterator[Task | FileResult]:
        in_place = self.write and self.settings.in_place
        rules = Rules(
            globs=self.settings.globs or TEXT_GLOBS,
            hidden=self.settings.hidden,
            follow_links=not in_place,
            sweep_temps=in_place,
            backup=self.settings.backup if in_place else None,
            skip_dirs=self.skip_dirs,
            skip_files=self.skip_files,
        )
        for found in walk(root, rules, visited):
            if isinstance(found, Unreadable):
                yield failure(found.path, found.message)
            elif found.problem is not None:
                yield failure(found.path, f"{found.path}: {found.problem}; skipped")
            else:
                yield self._task(found.path, found.path, found.rel)


# ---------------------------------------------------------------- the run


def nowhere_to_write(settings: RunSettings) -> bool:
    """No -o DIR, no --in-place and nothing only reported: a folder's files
    have nowhere to go."""
    reports = settings.json_target is not None or settings.report is not None
    return not (settings.output is not None or settings.in_place) and not (
        settings.check or settings.diff or reports
    )


def refuse_stdin(paths: list[str]) -> None:
    if STDIN in paths:
        raise UsageError(
            run_line("stdin (-) cannot be mixed with folders; clean it in a call of its own")
        )


class FolderRun:
    """One folder-mode run, as the runner drives it: the plan of tasks, the
    picklable :func:`clean_file`, and each result counted, reported and
    shown in the parent.

    Folders are walked for files matching ``settings.globs``. With ``-o DIR``
    each file of a folder goes to the same relative path under DIR, a file
    named on the command line to DIR/<its name>; with ``--in-place`` each
    changed file is replaced atomically. ``--check``, ``--diff`` and a
    ``--json`` report without ``-o``/``--in-place`` write no files.
    """

    job = Task
    chunk = CHUNK_FILES
    ordered = False
    finishes_jobs = True
    """Ctrl-C lets the file in hand finish (files are small)."""
    parallel = True
    auto_workers = True

    def __init__(self, paths: list[str], settings: RunSettings) -> None:
        self.started = time.monotonic()
        refuse_stdin(paths)
        self.paths = paths
        self.settings = settings
        self.writes = not (settings.check or settings.diff) and (
            settings.output is not None or settings.in_place
        )
        output = settings.output
        if output is not None:
            problem = _output_problem(paths, output)
            if problem:
                raise UsageError(problem)
        self.skip_dirs: set[Identity] = set()
        if self.writes and output is not None:
            try:
                output.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UsageError(
                    f"{output}: cannot create the output folder ({exc.strerror or exc})"
                ) from None
            ident = identity(str(output))
            if ident is not None:
                self.skip_dirs.add(ident)  # reached again through a link: never an input
        self.report = Report()
        self._stack = contextlib.ExitStack()
        self._counter: threading.Event | None = None
        self._flushed = False

    def __enter__(self) -> FolderRun:
        settings = self.settings
        self.review = open_review(settings)
        self.write_json = self._stack.enter_context(json_sink(settings.json_target))
        self.progress = self._stack.enter_context(open_progress(settings.quiet))
        skip_files: set[Identity] = set()
        for target in (settings.json_target, settings.report):
            # the report being written, the page of an earlier run: never inputs
            if target is not None and str(target) != STDIN:
                ident = identity(str(target))
                if ident is not None:
                    skip_files.add(ident)
        self.walker = Walker(
            settings, settings.output, self.writes, frozenset(self.skip_dirs), frozenset(skip_files)
        )
        self._counter = _start_counter(self.walker, self.paths, self.progress)
        return self

    def __exit__(self, *exc: object) -> None:
        self._end_writes()
        self._stack.close()

    def _end_writes(self) -> None:
        if self._counter is not None:
            self._counter.set()
        if self.writes and not self.settings.in_place and not self._flushed:
            self._flushed = True
            flush_to_disk()  # the copies in -o DIR were written without a flush each

    def plan(self) -> Iterator[Task | FileResult]:
        return self.walker.items(self.paths)

    def clean(self, in_process: bool) -> Callable[[Task], FileResult]:
        return functools.partial(clean_file, settings=self.settings.work)

    def failed(self, task: Task, message: str) -> FileResult:
        return failure(task.label, message)

    def job_done(self, task: Task, failed: bool) -> None:
        """(Only a cluster calls this; folders do not run on one.)"""

    def handle(self, res: FileResult) -> None:
        """Count, report and show one finished file (in the parent)."""
        settings, progress = self.settings, self.progress
        self.report.add(
            failed=res.error is not None,
            changed=int(res.changed),
            removed_paragraphs=res.removed_paragraphs if res.changed else 0,
            removed_chars=res.removed_chars if res.changed else 0,
        )
        if res.error is not None:
            progress.message(printable(res.error))
        self.write_json(res.record)
        if self.review is not None:
            from newsdedupe.htmlreport import failed_entry

            self.review.add(res.review or failed_entry(res.label, str(res.error)))
        if res.error is None:
            if res.diff:
                sys.stdout.write(res.diff)
                sys.stdout.flush()
            if res.explain:
                progress.message(res.explain.rstrip("\n"))
            if not settings.quiet:
                if settings.check and res.changed:
                    progress.message(printable(check_line(res.label, res.removed_paragraphs)))
                elif settings.verbose:
                    line = verbose_line(
                        res.label,
                        res.changed,
                        res.removed_paragraphs,
                        res.removed_chars,
                        list(res.events),
                    )
                    progress.message(printable(line))
        progress.advance(
            changed=res.changed, failed=res.error is not None, removed=res.removed_paragraphs
        )

    def close(self, stopped: bool) -> None:
        """The end of the run: the count settled, the summary line."""
        self._end_writes()
        progress = self.progress
        if not stopped and progress.total is None:
            progress.set_total(progress.done)  # the walk ended before the count did
        progress.close()
        if not self.settings.quiet:
            seconds = time.monotonic() - self.started
            progress.message(self.report.files_line(seconds, self.writes))

    def exit_code(self) -> int:
        return finish_review(self.review, self.report.exit_code(self.settings.check))


def _output_problem(paths: list[str], output: Path) -> str | None:
    """Why ``-o`` cannot take the files of these inputs, if it cannot."""
    if output.exists() and not output.is_dir():
        return f"{output}: -o names a file; a folder needs -o DIR (a folder)"
    problem = input_inside_output(paths, output)
    if problem:
        return problem
    for name in paths:
        if os.path.isdir(name) and is_inside(output, Path(name)):
            if same_file(output, Path(name)):
                where = f"is the input folder {name}"
            else:
                where = f"lies inside the input folder {name}"
            return (
                f"{output}: the output folder {where}; "
                "give one outside it, or use --in-place to rewrite the files"
            )
    return None


def _start_counter(
    walker: Walker, paths: list[str], progress: BatchProgress
) -> threading.Event | None:
    """Count the files in a background thread when the display shows a
    total; the batch itself never waits for the count."""
    if not progress.wants_total:
        return None
    stop = threading.Event()

    def count() -> None:
        total = 0
        for _item in walker.items(paths):
            if stop.is_set():
                return
            total += 1
        progress.set_total(total)

    threading.Thread(target=count, name="dedupe-count", daemon=True).start()
    return stop
