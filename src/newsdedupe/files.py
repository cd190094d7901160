"""Text mode: stdin or the files named on the command line, one after
another in this process, each to stdout, ``-o FILE`` or back in place.

A mode: it plans a job per input and handles each outcome; the runner
above it chooses it and runs the loop.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from typing import TYPE_CHECKING, NamedTuple

from newsdedupe.core import DedupeResult, dedupe_text
from newsdedupe.io import InputError, atomic_write, decode, file_lock, read_file, same_file
from newsdedupe.messages import run_line
from newsdedupe.progress import BatchProgress, open_progress
from newsdedupe.report import (
    Report,
    finish_review,
    is_terminal,
    json_sink,
    open_review,
    show,
    warn,
)
from newsdedupe.settings import STDIN, RunSettings, UsageError, Work

if TYPE_CHECKING:
    from pathlib import Path  # (imported where a file is named: stdin does without)


LARGE_INPUT = 8_000_000
"""From this many bytes on, a UTF-8 input's bytes are let go once decoded
(:func:`clean_bytes`): a long document's input bytes are a fifth to a
tenth of what cleaning it holds."""


def clean_bytes(
    data: bytes, name: str, settings: RunSettings | Work
) -> tuple[Iterable[bytes], DedupeResult]:
    """Decode, deduplicate, and the output's bytes, to be written one after
    another (once: :meth:`~newsdedupe.core.DedupeResult.chunks`). Unchanged
    input comes back as the same bytes, so a file without repeats is copied
    byte for byte.

    A UTF-8 input of :data:`LARGE_INPUT` bytes or more is not kept while it
    is cleaned (callers pass it without keeping it either); unchanged, it
    comes back encoded again, which gives the same bytes: decoding checked
    that they are UTF-8, and UTF-8 decodes and encodes one to one."""
    text = decode(data, settings.encoding, name)
    codec = settings.encoding or "utf-8"
    kept: bytes | None = data
    if len(data) >= LARGE_INPUT and codecs.lookup(codec).name == "utf-8":
        kept = None
    del data
    result = dedupe_text(text, settings.options)
    if not result.changed and kept is not None:
        return (kept,), result
    return result.chunks(codec), result


def out_of_memory(label: str) -> str:
    """The failure of an input too large to clean in the memory there is."""
    return f"{label}: out of memory while cleaning it; skipped"


def check_files(paths: list[str], settings: RunSettings) -> None:
    """Raise :class:`UsageError` when the outputs asked for cannot take
    these inputs (nothing read yet)."""
    if settings.output is not None and len(paths) > 1:
        raise UsageError(
            run_line("-o FILE takes one input; give one file, or a folder with -o DIR/")
        )
    if settings.in_place and STDIN in paths:
        raise UsageError(run_line("--in-place needs files, not stdin"))
    if settings.output is not None:
        from pathlib import Path

        for p in paths:
            if p != STDIN and same_file(Path(p), settings.output):
                raise UsageError(f"{p}: -o names the input itself; use --in-place to rewrite it")


class Named(NamedTuple):
    """One input of text mode: a file named on the command line, or stdin."""

    source: str
    """The path, or ``-`` for stdin."""
    label: str

    @property
    def dest(self) -> str | None:
        """None: text mode runs in this process, no worker leaves temp files."""
        return None


class Cleaned(NamedTuple):
    """What became of one input: its result, or why it failed."""

    label: str
    result: DedupeResult | None
    error: str | None = None


class FilesRun:
    """Text mode as the runner drives it: the inputs one after another in
    this process, each written where the settings say as soon as it is
    cleaned (stdout, ``-o FILE``, in place), then counted and shown.

    ``folders`` lists inputs that are folders with nowhere to write their
    files (no ``-o DIR``, no ``--in-place``): each is a failed input. Ctrl-C
    stops at once; a file being rewritten keeps its old bytes."""

    job = Named
    chunk = 1
    ordered = True
    finishes_jobs = False
    parallel = False
    auto_workers = False

    def __init__(
        self, paths: list[str], settings: RunSettings, folders: frozenset[str] = frozenset()
    ) -> None:
        if not folders:
            check_files(paths, settings)
        self.paths = paths
        self.settings = settings
        self.folders = folders
        self.report = Report()
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> FilesRun:
        self.review = open_review(self.settings) if not self.folders else None
        self.write_json = self._stack.enter_context(json_sink(self.settings.json_target))
        self.tell: Callable[[str], None]
        if self.folders:  # (as ever, no display when folders are refused)
            self.bar = open_progress(True)
            self.tell = warn
        else:
            self.bar = self._stack.enter_context(files_progress(self.paths, self.settings))
            self.tell = self.bar.message
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def plan(self) -> Iterator[Named | Cleaned]:
        for name in self.paths:
            if name in self.folders:
                message = f"{name}: is a folder; give -o DIR or --in-place to clean it"
                yield Cleaned(name, None, message)
            else:
                yield Named(name, "<stdin>" if name == STDIN else name)

    def clean(self, in_process: bool) -> Callable[[Named], Cleaned]:
        return functools.partial(clean_named, settings=self.settings)

    def failed(self, job: Named, message: str) -> Cleaned:
        return Cleaned(job.label, None, message)

    def job_done(self, job: Named, failed: bool) -> None:
        """(Only a cluster calls this; text mode does not run on one.)"""

    def handle(self, cleaned: Cleaned) -> None:
        label, result, report = cleaned.label, cleaned.result, self.report
        if result is None:
            from newsdedupe import render  # (the renderers: only for the runs that use them)

            message = str(cleaned.error)
            self.tell(message)
            report.fail()
            self.write_json(render.record(label, None, message))
            if self.review is not None:
                from newsdedupe.htmlreport import failed_entry

                self.review.add(failed_entry(label, message))
        else:
            report.done(result)
            if self.settings.json_target is not None:  # (the record is made only to be written)
                from newsdedupe import render

                self.write_json(render.record(label, result))
            if self.review is not None:
                from newsdedupe.htmlreport import entry

                self.review.add(entry(label, result))
            show(label, result, self.settings.views, self.tell)
        self.bar.advance(
            changed=result is not None and result.changed,
            failed=result is None,
            removed=len(result.removals) if result is not None and result.changed else 0,
        )

    def close(self, stopped: bool) -> None:
        """(Text mode has no summary line.)"""

    def exit_code(self) -> int:
        return finish_review(self.review, self.report.exit_code(self.settings.check))


def files_progress(paths: list[str], settings: RunSettings) -> BatchProgress:
    """The progress display for several files named on the command line:
    none for one input, nor while a per-file table (--explain) or text on a
    terminal's stdout would mix with it."""
    hide = settings.quiet or len(paths) < 2 or settings.explain
    to_stdout = settings.writes_text and settings.output is None and not settings.in_place
    if not hide and (to_stdout or settings.diff):
        hide = is_terminal(sys.stdout)
    bar = open_progress(hide)
    bar.set_total(len(paths))
    return bar


def clean_named(job: Named, settings: RunSettings) -> Cleaned:
    """Read, clean and write one input (stdin, or a file named)."""
    name, label = job.source, job.label
    path = None
    held: contextlib.AbstractContextManager[None] = nullcontext()
    if name != STDIN:
        from pathlib import Path  # (a file named: stdin does without pathlib)

        path = Path(name)
        if settings.in_place and not (settings.check or settings.diff):
            # an in-place rewrite holds the file from its read to its replacement
            held = file_lock(Path(os.path.realpath(name)))
    try:
        with held:
            out, result = clean_bytes(  # (the bytes are not kept here: see clean_bytes)
                sys.stdin.buffer.read() if path is None else read_file(path), label, settings
            )
            emit(label, out, result, settings, path)
    except (InputError, MemoryError) as exc:
        message = str(exc) if isinstance(exc, InputError) else out_of_memory(label)
        return Cleaned(label, None, message)
    return Cleaned(label, result)


def emit(
    label: str, out: Iterable[bytes], result: DedupeResult, settings: RunSettings, path: Path | None
) -> None:
    """Write one cleaned input where the settings say."""
    if settings.diff:
        from newsdedupe import render

        sys.stdout.write(render.diff(label, result))
        sys.stdout.flush()
    if settings.check or settings.diff:
        return
    if settings.in_place and path is not None:
        if result.changed:
            from pathlib import Path

            # through a symbolic link, rewrite the file it points to: renaming
            # over the link would turn it into a copy and leave the file as is
            atomic_write(Path(os.path.realpath(path)), out, settings.backup)
        return
    if settings.output is not None:
        atomic_write(settings.output, out)
        return
    if settings.json_target == STDIN:
        return
    for chunk in out:
        sys.stdout.buffer.write(chunk)
    sys.stdout.buffer.flush()
