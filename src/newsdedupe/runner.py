"""The top of the shell: choose the mode for the inputs, choose the
executor, and run the one loop every mode shares: plan, clean, handle,
close (black's ``reformat_many``: one loop, the per-file work a plug-in).

No click here: the CLI builds a :class:`~newsdedupe.settings.RunSettings`
and calls :func:`run`. This is the one place where a
:class:`~newsdedupe.settings.UsageError` raised below becomes its stderr
line and exit code 2, and where a Dask cluster that cannot be had becomes
its exit code.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

from newsdedupe.executors import Pool, Serial, Stoppable, workers_for
from newsdedupe.files import FilesRun
from newsdedupe.io import same_file
from newsdedupe.messages import run_line
from newsdedupe.report import is_terminal, warn
from newsdedupe.settings import (
    EXIT_USAGE,
    SHARD_GLOBS,
    STDIN,
    TEXT_GLOBS,
    RunSettings,
    UsageError,
)
from newsdedupe.signals import Stopped, raise_stopped, stop_signals_to

if TYPE_CHECKING:
    from newsdedupe.dask import Cluster


def run(paths: list[str], settings: RunSettings) -> int:
    """Clean stdin, files, folders or JSON Lines shards; the exit code says
    how it went. A stop signal raises :class:`~newsdedupe.signals.Stopped`."""
    with stop_signals_to(raise_stopped):
        try:
            return _run(paths, settings)
        except UsageError as exc:
            warn(str(exc))
            return EXIT_USAGE
        except Exception as exc:
            from newsdedupe.dask import ClusterError  # (only a Dask run raises it)

            if not isinstance(exc, ClusterError):
                raise
            warn(run_line(str(exc)))
            return exc.exit_code


def _run(paths: list[str], settings: RunSettings) -> int:
    if not paths:
        paths = [STDIN]
        refuse_input_as_report(settings)
        if not settings.quiet and is_terminal(sys.stdin):
            # a filter with no input named waits for the keyboard: say so
            warn(run_line("reading text from the terminal; end it with Ctrl-D (dedupe -h: help)"))
    check_json_target(paths, settings)
    check_report_target(paths, settings)
    # (each mode is imported when it is the one run: start-up stays short)
    if settings.jsonl:
        from newsdedupe.jsonl import ShardRun

        return drive(ShardRun(paths, settings), settings)
    if settings.output_dir and STDIN in paths:
        raise UsageError(run_line(f"-o {settings.output}/ names a folder; stdin needs -o FILE"))
    named = [p for p in paths if p != STDIN]
    if named:
        from pathlib import Path  # (stdin alone does without pathlib)

        folders = [p for p in named if Path(p).is_dir()]
    else:
        folders = []
    if folders or settings.output_dir:
        from newsdedupe import batch

        if batch.nowhere_to_write(settings):
            # files named go to stdout as they would alone; folders fail
            batch.refuse_stdin(paths)
            return drive(FilesRun(paths, settings, frozenset(folders)), settings)
        return drive(batch.FolderRun(paths, settings), settings)
    check_output_file(settings)
    return drive(FilesRun(paths, settings), settings)


class Mode(Protocol):
    """What a mode gives the loop (:class:`~newsdedupe.files.FilesRun`,
    :class:`~newsdedupe.batch.FolderRun`, :class:`~newsdedupe.jsonl.ShardRun`).
    Used as a context manager: it opens the reports and the progress
    display, and closes them whatever happens."""

    @property
    def job(self) -> type:
        """The class of its jobs (the plan also holds outcomes)."""

    @property
    def chunk(self) -> int:
        """Jobs per round trip to a worker process."""

    @property
    def ordered(self) -> bool:
        """Outcomes are handled in plan order, whoever finishes first."""

    @property
    def finishes_jobs(self) -> bool:
        """On Ctrl-C in this process, the job in hand finishes (else the stop
        is at once, a half-written output removed by its atomic writer)."""

    @property
    def parallel(self) -> bool:
        """Jobs can run in worker processes (not when they stream to stdout)."""

    @property
    def auto_workers(self) -> bool:
        """Without --jobs, workers start when the inputs are large enough."""

    def __enter__(self) -> Any: ...
    def __exit__(self, *exc: object) -> None: ...
    def plan(self) -> Iterator[Any]: ...
    def clean(self, in_process: bool) -> Callable[[Any], Any]: ...
    def failed(self, job: Any, message: str) -> Any: ...
    def job_done(self, job: Any, failed: bool) -> None: ...
    def handle(self, outcome: Any) -> None: ...
    def close(self, stopped: bool) -> None: ...
    def exit_code(self) -> int: ...


def drive(mode: Mode, settings: RunSettings) -> int:
    """The one loop: the mode's plan through an executor, each outcome
    handed back to the mode, then its summary and exit code. A stop signal
    ends the loop (and the run, with :class:`~newsdedupe.signals.Stopped`)
    after the summary."""
    early = Stoppable()
    with mode, stop_signals_to(early.on_signal if mode.finishes_jobs else raise_stopped):
        executor, plan = choose_executor(mode, settings, mode.plan())
        executor.stop, executor.signum = early.stop, early.signum
        graceful = mode.finishes_jobs or isinstance(executor, Pool)
        clean = mode.clean(in_process=isinstance(executor, Serial))
        with (
            stop_signals_to(executor.on_signal if graceful else raise_stopped),
            contextlib.closing(executor.run(clean, plan, mode.job)) as outcomes,
        ):
            for outcome in outcomes:
                mode.handle(outcome)
        mode.close(stopped=executor.stop)
    if executor.stop:
        raise Stopped(executor.signum)
    return mode.exit_code()


def choose_executor(
    mode: Mode, settings: RunSettings, plan: Iterator[Any]
) -> tuple[Serial[Any, Any] | Pool[Any, Any] | Cluster[Any, Any], Iterator[Any]]:
    """A Dask cluster with --dask; worker processes with --jobs N (or,
    where the mode allows, when the inputs are large); else this process."""
    if settings.dask is not None:
        from newsdedupe.dask import Cluster

        return Cluster(settings.dask, settings.jobs, mode.failed, mode.job_done), plan
    if not mode.parallel:
        return Serial(), plan
    if mode.auto_workers:
        jobs, plan = workers_for(settings.jobs, plan, mode.job)
    else:
        jobs = settings.jobs or 1
    if jobs == 1:
        return Serial(), plan
    return Pool(jobs, mode.failed, mode.chunk, mode.ordered), plan


def check_output_file(settings: RunSettings) -> None:
    """Text mode: ``-o FILE`` in a folder that does not exist is refused
    before any input is read (a folder's ``-o DIR`` and ``-o DIR/`` create
    their folders; --check writes nothing)."""
    target = settings.output
    if target is None or settings.output_dir or settings.check:
        return
    parent = target.parent
    if not parent.is_dir():
        raise UsageError(
            run_line(f"-o {target}: the folder {parent} does not exist; create it first")
        )


def refuse_input_as_report(settings: RunSettings) -> None:
    """With no input named the text comes from stdin, so ``dedupe --json
    article.txt`` (``--json`` taken for a switch) would read stdin and write
    the report over the article. A report target that exists and is a file
    the run would take as input (``--glob``, else ``*.txt``, or the shards'
    names with --jsonl) is refused: the report needs a name of its own."""
    globs = settings.globs or (SHARD_GLOBS if settings.jsonl else TEXT_GLOBS)
    named = [("--json", settings.json_target), ("--report", settings.report)]
    for option, target in named:
        if target is None or str(target) == STDIN or not os.path.isfile(target):
            continue
        from newsdedupe.walk import matches  # (only with a report: start-up stays short)

        name = os.path.basename(target)
        if matches(name, name, globs):  # (a pattern with a '/' needs a folder given)
            report = "REPORT.json" if option == "--json" else "REPORT.html"
            raise UsageError(
                run_line(
                    f"{option} {target} would write the report over an input (no input"
                    f" was named, so stdin is read); to clean {target}:"
                    f" dedupe {option} {report} {target}"
                )
            )


def check_json_target(paths: list[str], settings: RunSettings) -> None:
    """``--json FILE`` is opened for writing before any input is read: naming
    an input (or the ``-o`` file) there would wipe it."""
    target = settings.json_target
    if target is None or target == STDIN:
        return
    if os.path.isdir(target):
        raise UsageError(run_line(f"--json {target}: is a folder; give the report a file name"))
    parent = os.path.dirname(target) or "."
    if not os.path.isdir(parent):
        raise UsageError(
            run_line(f"--json {target}: the folder {parent} does not exist; create it first")
        )
    if not os.access(parent, os.W_OK | os.X_OK) or (
        os.path.exists(target) and not os.access(target, os.W_OK)
    ):
        raise UsageError(run_line(f"--json {target}: cannot be written (permission denied)"))
    from pathlib import Path

    for p in paths:
        if p != STDIN and same_file(Path(p), Path(target)):
            raise UsageError(f"{p}: --json names an input; give the report a file of its own")
    if settings.output is not None and Path(target).resolve() == settings.output.resolve():
        raise UsageError(
            f"{target}: --json and -o name the same file; give the report a file of its own"
        )


def check_report_target(paths: list[str], settings: RunSettings) -> None:
    """``--report FILE`` is checked before any input is read: its folder must
    exist, and it must name neither an input nor another output."""
    target = settings.report
    if target is None:
        return
    from pathlib import Path

    if str(target) == STDIN:
        raise UsageError("--report writes a page to a file; give it a FILE.html, not -")
    if target.is_dir():
        raise UsageError(f"{target}: --report names a folder; give it a FILE.html")
    if not target.resolve().parent.is_dir():
        raise UsageError(
            f"{target}: --report: the folder {target.parent} does not exist; create it first"
        )
    for p in paths:
        if p != STDIN and same_file(Path(p), target):
            raise UsageError(f"{p}: --report names an input; give the page a file of its own")
    others = [settings.output, Path(settings.json_target) if settings.json_target else None]
    for other in others:
        if other is not None and str(other) != STDIN and other.resolve() == target.resolve():
            raise UsageError(
                f"{target}: --report names another output; give the page a file of its own"
            )
