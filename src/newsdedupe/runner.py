"""The top of the shell: choose the mode for the inputs and run it.

No click here: the CLI builds a :class:`~newsdedupe.settings.RunSettings`
and calls :func:`run`. This is the one place where a
:class:`~newsdedupe.settings.UsageError` raised below becomes its stderr
line and exit code 2, and where a Dask cluster that cannot be had becomes
its exit code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from newsdedupe.batch import run_batch
from newsdedupe.dask import ClusterError, run_shards
from newsdedupe.files import run_files
from newsdedupe.io import same_file
from newsdedupe.jsonl import run_jsonl
from newsdedupe.messages import run_line
from newsdedupe.report import is_terminal, warn
from newsdedupe.settings import EXIT_USAGE, STDIN, RunSettings, UsageError
from newsdedupe.signals import raise_stopped, stop_signals_to


def run(paths: list[str], settings: RunSettings) -> int:
    """Clean stdin, files, folders or JSON Lines shards; the exit code says
    how it went. A stop signal raises :class:`~newsdedupe.signals.Stopped`."""
    with stop_signals_to(raise_stopped):
        try:
            return _run(paths, settings)
        except UsageError as exc:
            warn(str(exc))
            return EXIT_USAGE
        except ClusterError as exc:
            warn(run_line(str(exc)))
            return exc.exit_code


def _run(paths: list[str], settings: RunSettings) -> int:
    if not paths:
        paths = [STDIN]
        if not settings.quiet and is_terminal(sys.stdin):
            # a filter with no input named waits for the keyboard: say so
            warn(run_line("reading text from the terminal; end it with Ctrl-D (dedupe -h: help)"))
    check_json_target(paths, settings)
    check_report_target(paths, settings)
    if settings.jsonl:
        return run_jsonl(paths, settings, run_shards if settings.dask is not None else None)
    if settings.output_dir and STDIN in paths:
        raise UsageError(run_line(f"-o {settings.output}/ names a folder; stdin needs -o FILE"))
    folders = [p for p in paths if p != STDIN and Path(p).is_dir()]
    if folders or settings.output_dir:
        return run_batch(paths, settings)
    return run_files(paths, settings)


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
        raise UsageError(run_line(f"--json {target}: the folder {parent} does not exist"))
    if not os.access(parent, os.W_OK | os.X_OK) or (
        os.path.exists(target) and not os.access(target, os.W_OK)
    ):
        raise UsageError(run_line(f"--json {target}: cannot be written (permission denied)"))
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
    if str(target) == STDIN:
        raise UsageError("--report writes a page to a file; give it a FILE.html, not -")
    if target.is_dir():
        raise UsageError(f"{target}: --report names a folder; give it a FILE.html")
    if not target.resolve().parent.is_dir():
        raise UsageError(f"{target}: --report: the folder {target.parent} does not exist")
    for p in paths:
        if p != STDIN and same_file(Path(p), target):
            raise UsageError(f"{p}: --report names an input; give the page a file of its own")
    others = [settings.output, Path(settings.json_target) if settings.json_target else None]
    for other in others:
        if other is not None and str(other) != STDIN and other.resolve() == target.resolve():
            raise UsageError(
                f"{target}: --report names another output; give the page a file of its own"
            )
