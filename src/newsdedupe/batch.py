"""Folder mode: many files, cleaned in worker processes, each written atomically.

The parent walks the inputs lazily (a generator, so memory does not grow with
the size of the tree) and hands each file to a worker as a small :class:`Task`.
The worker reads, cleans and writes that one file and sends back a small
:class:`FileResult` (the ``--json`` record and counts, never the file's text).
The parent turns results into messages, the JSON Lines report, the progress
display, the summary and the exit code.

Modelled on black's ``concurrency.py``: a ``ProcessPoolExecutor`` whose
pending work is cancelled on Ctrl-C. Workers ignore SIGINT; the parent stops
handing out files, lets the files already being written finish (each one is
written through a temp file and a rename, so it is whole or absent), and
exits 130. A second Ctrl-C, or a worker that does not finish in time, gets its
workers terminated and their temp files removed. A worker that dies (crash,
out of memory) breaks only the files it may have been holding: those are
retried one at a time in a fresh process, and the one that kills its worker
again is reported as failed.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import multiprocessing
import os
import signal
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from newsdedupe import render
from newsdedupe.core import DedupeResult
from newsdedupe.files import clean_bytes, out_of_memory, run_one
from newsdedupe.io import (
    InputError,
    atomic_write,
    file_lock,
    flush_to_disk,
    input_inside_output,
    is_inside,
    printable,
    read_file,
    remove_stale_temps,
    same_file,
)
from newsdedupe.messages import run_line
from newsdedupe.progress import BatchProgress, open_progress
from newsdedupe.report import (
    Report,
    check_line,
    finish_review,
    json_sink,
    open_review,
    verbose_line,
    warn,
)
from newsdedupe.settings import STDIN, RunSettings, UsageError
from newsdedupe.signals import STOP_SIGNALS, Stopped, stop_signals_to
from newsdedupe.walk import Identity, Rules, Unreadable, identity, walk

if TYPE_CHECKING:
    from newsdedupe.htmlreport import Review

TEXT_GLOBS: tuple[str, ...] = ("*.txt",)
"""What a folder gives when no --glob is given."""

CHUNK_FILES = 32
"""Files a worker gets at a time: one round trip through the pool per chunk
instead of per file. A worker still stops between any two files on Ctrl-C,
and the progress display still moves often. Measured with
``dedupe DIR --check --jobs 2`` on the 5,000 benchmark articles: chunks of
4 files 2.21-2.27 s, 16 files 1.93-1.99 s, 32 files 1.85-1.90 s, 64 files
1.83-1.98 s; 32 keeps the two workers' last chunks short."""

SERIAL_BYTES = 10_000_000
"""Without ``--jobs``, a batch whose files add up to less than this runs in
the ``dedupe`` process itself: starting worker processes (each a fresh
interpreter importing the package) costs more than it saves on small
folders. Measured with ``benchmarks/bench_jobs.py`` on 2 CPUs: the two
were level at 7 MB in one run and 14 MB in another (see the README,
"Workers")."""

_QUEUED_PER_WORKER = 4
"""Chunks handed out ahead per worker: enough to keep workers busy, few
enough that the parent holds only a handful of tasks whatever the size of
the tree."""

_GRACE_SECONDS = 5.0
"""After Ctrl-C, how long the files already being written may take to finish
before their workers are terminated."""

_POLL_SECONDS = 0.2
"""How often the parent looks at the Ctrl-C flag while it waits for workers."""


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


def clean_file(task: Task, settings: RunSettings) -> FileResult:
    """Read, clean and write one file: what ``dedupe FILE`` does for it.

    Runs in a worker process (or in-process with ``--jobs 1``). Every
    expected problem becomes a failed result with a one-line reason; an
    unexpected exception too, so a bug in one file never sinks the batch.
    """
    rewrites = task.in_place and task.dest is not None
    try:
        # an in-place rewrite holds the file from its read to its replacement
        with file_lock(Path(task.source)) if rewrites else contextlib.nullcontext():
            data = read_file(Path(task.source))
            out, result = clean_bytes(data, task.label, settings)
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
    if settings.explain:
        buffer = io.StringIO()
        # the parent prints it on stderr, which this worker shares: its width
        render.explain(printable(task.label), result, buffer, render.stream_width(sys.stderr))
        explain = buffer.getvalue()
    # (the report record and the event lines only when they will be shown:
    # they take time to make and to send back to the parent)
    wants_record = settings.json_target is not None
    return FileResult(
        label=task.label,
        record=render.record(task.label, result) if wants_record else {},
        changed=result.changed,
        removed_paragraphs=len(result.removals),
        removed_chars=result.removed_chars,
        events=tuple(render.event_lines(result)) if settings.verbose else (),
        diff=render.diff(task.label, result) if settings.diff else "",
        explain=explain,
        review=_review_entry(task.label, result) if settings.report is not None else None,
    )


def _review_entry(label: str, result: DedupeResult) -> dict[str, Any]:
    from newsdedupe.htmlreport import entry  # only with --report

    return entry(label, result)


def _internal_error(label: str, exc: BaseException) -> FileResult:
    """A bug met on one file: that file's failure, not the batch's."""
    return failure(label, f"{label}: internal error ({type(exc).__name__}: {exc}); skipped")


_worker: dict[str, Any] = {}
"""In a worker process: the run's settings and the parent's stop flag, sent
once when the worker starts rather than with every chunk."""


def _init_worker(settings: RunSettings, stop: Any, parent: int) -> None:
    """Workers leave Ctrl-C, SIGTERM and SIGHUP to the parent, which decides
    what still finishes. They start with those blocked (see
    :func:`_signals_held`); once ignored they can be let through.

    A worker must not outlive its parent (killed, out of memory, terminal
    closed): on Linux the kernel kills it when the parent dies; elsewhere,
    and as a second guard, it stops between two files once its parent is
    gone (:func:`clean_chunk`)."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, set(STOP_SIGNALS))
    _die_with_parent(parent)
    _worker.update(settings=settings, stop=stop, parent=parent)


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies; exit now if
    the parent is already gone (it may die before the request is made)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def clean_chunk(
    clean: Callable[[Task, RunSettings], FileResult], tasks: list[Task]
) -> list[FileResult]:
    """A worker's share: ``clean`` each file in turn, and stop between two
    files once the parent has been interrupted (the files not started are
    not in the list)."""
    settings, stop, parent = _worker["settings"], _worker["stop"], _worker["parent"]
    results = []
    for task in tasks:
        if stop.is_set():
            break
        if os.getppid() != parent:
            os._exit(1)  # the parent is gone: nobody will take the result
        results.append(clean(task, settings))
    return results


def remove_temp_files(dest: str) -> None:
    """Remove temp files killed workers left beside ``dest`` (call once they
    are gone: a live process's temp files are kept)."""
    remove_stale_temps(os.path.dirname(dest) or ".")


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


# ---------------------------------------------------------------- the batch


class Batch:
    """One folder-mode run: results in, messages/report/counts out."""

    def __init__(
        self,
        settings: RunSettings,
        report: Report,
        progress: BatchProgress,
        write_json: Callable[[dict[str, Any]], None],
        review: Review | None = None,
    ) -> None:
        self.settings = settings
        self.report = report
        self.progress = progress
        self.write_json = write_json
        self.review = review
        self.stop = False
        self.force = False
        self.raise_on_force = False
        self.signum: int = signal.SIGINT

    # Ctrl-C (or SIGTERM, SIGHUP): the first asks to stop, the second insists.
    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.stop:
            self.force = True
            if self.raise_on_force:
                raise Stopped(self.signum)
        else:
            self.signum = signum
        self.stop = True

    def handle(self, res: FileResult) -> None:
        """Count, report and show one finished file (in the parent)."""
        report, settings = self.report, self.settings
        report.seen += 1
        if res.error is not None:
            report.failed += 1
            self.progress.message(printable(res.error))
        elif res.changed:
            report.changed += 1
            report.removed_paragraphs += res.removed_paragraphs
            report.removed_chars += res.removed_chars
        self.write_json(res.record)
        if self.review is not None:
            self._review(res)
        if res.error is None:
            if res.diff:
                sys.stdout.write(res.diff)
                sys.stdout.flush()
            if res.explain:
                self.progress.message(res.explain.rstrip("\n"))
            if not settings.quiet:
                if settings.check and res.changed:
                    self.progress.message(printable(check_line(res.label, res.removed_paragraphs)))
                elif settings.verbose:
                    line = verbose_line(
                        res.label,
                        res.changed,
                        res.removed_paragraphs,
                        res.removed_chars,
                        list(res.events),
                    )
                    self.progress.message(printable(line))
        self.progress.advance(
            changed=res.changed, failed=res.error is not None, removed=res.removed_paragraphs
        )

    def _review(self, res: FileResult) -> None:
        from newsdedupe.htmlreport import failed_entry

        assert self.review is not None
        self.review.add(res.review or failed_entry(res.label, str(res.error)))

    # ------------------------------------------------------------ in-process

    def run_here(self, items: Iterator[Task | FileResult]) -> None:
        """``--jobs 1``: no pool, the same code in this process."""
        self.raise_on_force = True
        for item in items:
            if self.stop:
                break
            self.handle(item if isinstance(item, FileResult) else clean_file(item, self.settings))

    # ------------------------------------------------------------------ pool

    def run_pool(self, items: Iterator[Task | FileResult], jobs: int) -> None:
        pool = _Pool(jobs, self.settings)
        pending: dict[Future[list[FileResult]], list[Task]] = {}
        chunk: list[Task] = []
        try:
            for item in items:
                if self.stop:
                    break
                if isinstance(item, FileResult):
                    self.handle(item)
                    continue
                chunk.append(item)
                if len(chunk) < CHUNK_FILES:
                    continue
                pending[pool.submit(chunk)] = chunk
                chunk = []
                while len(pending) >= jobs * _QUEUED_PER_WORKER and not self.stop:
                    pool = self._collect(pool, pending)
            if chunk and not self.stop:
                pending[pool.submit(chunk)] = chunk
            while pending and not self.stop:
                pool = self._collect(pool, pending)
            if pending:
                self._wind_down(pool, pending)
        except BaseException:
            # A closed stdout, a bug in the parent: stop now, leave nothing half-done.
            self._abandon(pool, pending)
            raise
        finally:
            pool.shutdown()

    def _collect(self, pool: _Pool, pending: dict[Future[list[FileResult]], list[Task]]) -> _Pool:
        """Handle the chunks that finished; recover if a worker died."""
        done, _ = wait(pending, timeout=_POLL_SECONDS, return_when=FIRST_COMPLETED)
        suspects = self._take(done, pending)
        if not suspects:
            return pool
        # The pool is broken: every chunk still out will come back broken too.
        suspects += self._take(wait(pending).done, pending)
        pool.terminate()
        for task in suspects:
            if task.dest is not None:
                remove_temp_files(task.dest)
        self._retry_alone(suspects)
        return _Pool(pool.jobs, self.settings)

    def _take(
        self,
        done: set[Future[list[FileResult]]],
        pending: dict[Future[list[FileResult]], list[Task]],
    ) -> list[Task]:
        """Handle finished chunks; return the tasks whose worker died (a
        dead worker's chunk gives no result, so all of its files)."""
        broken: list[Task] = []
        for future in done:
            tasks = pending.pop(future)
            try:
                results = future.result()
            except CancelledError:
                continue
            except BrokenProcessPool:
                broken.extend(tasks)
                continue
            except Exception as exc:
                results = [_internal_error(task.label, exc) for task in tasks]
            for res in results:
                self.handle(res)
        return broken

    def _retry_alone(self, suspects: list[Task]) -> None:
        """Run each file a dead worker may have held in a process of its own:
        the one that kills its worker again is that file's failure."""
        pool = _Pool(1, self.settings)
        try:
            for task in sorted(suspects, key=lambda t: t.label):
                if self.stop:
                    return
                future = pool.submit([task])
                while not future.done() and not self.force:
                    wait([future], timeout=_POLL_SECONDS)
                if not future.done():
                    pool.terminate()
                    if task.dest is not None:
                        remove_temp_files(task.dest)
                    return
                try:
                    results = future.result()
                except BrokenProcessPool:
                    if task.dest is not None:
                        remove_temp_files(task.dest)
                    results = [
                        failure(
                            task.label,
                            f"{task.label}: the worker process died while cleaning it "
                            "(crash or out of memory); skipped",
                        )
                    ]
                    pool.terminate()
                    pool = _Pool(1, self.settings)
                except Exception as exc:
                    results = [_internal_error(task.label, exc)]
                for res in results:
                    self.handle(res)
        finally:
            pool.shutdown()

    def _wind_down(self, pool: _Pool, pending: dict[Future[list[FileResult]], list[Task]]) -> None:
        """After Ctrl-C: cancel what has not started, let the workers finish
        the file each is writing (whole files only), terminate what will not."""
        pool.stop.set()  # workers stop after the file in hand
        for future in list(pending):
            if future.cancel():
                del pending[future]
        deadline = time.monotonic() + _GRACE_SECONDS
        while pending and not self.force and time.monotonic() < deadline:
            done, _ = wait(pending, timeout=_POLL_SECONDS, return_when=FIRST_COMPLETED)
            for task in self._take(done, pending):  # a broken pool now is not retried
                if task.dest is not None:
                    remove_temp_files(task.dest)
        self._abandon(pool, pending)

    @staticmethod
    def _abandon(pool: _Pool, pending: dict[Future[list[FileResult]], list[Task]]) -> None:
        """Terminate the workers still holding files and remove their temp files."""
        if not pending:
            return
        pool.terminate()
        for tasks in pending.values():
            for task in tasks:
                if task.dest is not None:
                    remove_temp_files(task.dest)
        pending.clear()


class _Pool:
    """A process pool whose workers ignore Ctrl-C from their very start."""

    def __init__(self, jobs: int, settings: RunSettings) -> None:
        self.jobs = jobs
        self.settings = settings
        context = multiprocessing.get_context("spawn")
        self.stop = context.Event()
        self.executor = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=_init_worker,
            initargs=(settings, self.stop, os.getpid()),
        )

    def submit(self, tasks: list[Task]) -> Future[list[FileResult]]:
        with _signals_held():
            return self.executor.submit(clean_chunk, clean_file, tasks)

    def terminate(self) -> None:
        """Stop the workers now (a file being written loses only its temp
        file). They ignore SIGTERM, so they are killed."""
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        for process in processes:
            with contextlib.suppress(Exception):
                process.kill()
        for process in processes:
            with contextlib.suppress(Exception):
                process.join(2)
        self.shutdown()

    def shutdown(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold the stop signals back while workers may be started: a new
    process starts with them blocked (the mask is inherited) and ignores them
    before they can act; in this process they are delivered, not lost, once
    released."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, set(STOP_SIGNALS))
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


# ------------------------------------------------------------------ entry


def run_batch(paths: list[str], settings: RunSettings) -> int:
    """Clean files and folders; the exit code says how it went (SPEC.md section 3).

    Folders are walked for files matching ``settings.globs``. With ``-o DIR``
    each file of a folder goes to the same relative path under DIR, a file
    named on the command line to DIR/<its name>; with ``--in-place`` each
    changed file is replaced atomically. ``--check``, ``--diff`` and a
    ``--json`` report without ``-o``/``--in-place`` write no files.
    """
    started = time.monotonic()
    if STDIN in paths:
        raise UsageError(
            run_line("stdin (-) cannot be mixed with folders; clean it in a call of its own")
        )
    report_only = settings.check or settings.diff
    writes = not report_only and (settings.output is not None or settings.in_place)
    reports = settings.json_target is not None or settings.report is not None
    report_only = report_only or (reports and not writes)
    output = settings.output
    if output is not None:
        problem = _output_problem(paths, output)
        if problem:
            raise UsageError(problem)
    report = Report()
    if not writes and not report_only:
        # Nowhere to put a folder's files: each folder is a bad input; files
        # named on the command line go to stdout as they would alone.
        with json_sink(settings.json_target) as write_json:
            for name in paths:
                if os.path.isdir(name):
                    message = f"{name}: is a folder; give -o DIR or --in-place to clean it"
                    warn(message)
                    report.fail()
                    write_json(render.record(name, None, message))
                else:
                    run_one(name, settings, report, write_json)
        return report.exit_code(settings.check)

    skip_dirs: set[Identity] = set()
    if writes and output is not None:
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(
                f"{output}: cannot create the output folder ({exc.strerror or exc})"
            ) from None
        ident = identity(str(output))
        if ident is not None:
            skip_dirs.add(ident)  # reached again through a link: never an input
    skip_files: set[Identity] = set()
    review = open_review(settings)
    interrupted = False
    with json_sink(settings.json_target) as write_json, open_progress(settings.quiet) as progress:
        if settings.json_target not in (None, STDIN):
            ident = identity(str(settings.json_target))
            if ident is not None:
                skip_files.add(ident)  # the report being written is not an input
        if settings.report is not None:
            ident = identity(str(settings.report))
            if ident is not None:
                skip_files.add(ident)  # nor the page of an earlier run
        walker = Walker(settings, output, writes, frozenset(skip_dirs), frozenset(skip_files))
        counter = _start_counter(walker, paths, progress)
        batch = Batch(settings, report, progress, write_json, review)
        try:
            with stop_signals_to(batch.on_signal):
                jobs, items = _jobs_for(settings.jobs, walker.items(paths))
                if jobs == 1:
                    batch.run_here(items)
                else:
                    batch.run_pool(items, jobs)
        finally:
            if counter is not None:
                counter.set()
            if writes and not settings.in_place:
                flush_to_disk()  # the copies in -o DIR were written without a flush each
        interrupted = batch.stop
        if not interrupted and progress.total is None:
            progress.set_total(progress.done)  # the walk ended before the count did
        progress.close()
        if not settings.quiet:
            progress.message(report.files_line(time.monotonic() - started, writes))
    if interrupted:
        raise Stopped(batch.signum)
    return finish_review(review, report.exit_code(settings.check))


def _jobs_for(
    asked: int | None, items: Iterator[Task | FileResult]
) -> tuple[int, Iterator[Task | FileResult]]:
    """How many workers, and the items to run. ``--jobs N`` is taken as
    given; without it, the walk is read ahead until its files reach
    :data:`SERIAL_BYTES`: a batch that ends before that runs in-process."""
    if asked is not None:
        return asked, items
    cpus = os.cpu_count() or 1
    if cpus == 1:
        return 1, items
    ahead: list[Task | FileResult] = []
    size = 0
    for item in items:
        ahead.append(item)
        if isinstance(item, Task):
            with contextlib.suppress(OSError):
                size += os.stat(item.source).st_size
            if size >= SERIAL_BYTES:
                return cpus, itertools.chain(ahead, items)
    return 1, iter(ahead)


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
