"""Text mode: stdin or the files named on the command line, one after
another in this process, each to stdout, ``-o FILE`` or back in place.

A mode: it uses the settings, report and I/O below it, never the runner
above it (which chooses this mode).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsdedupe import render
from newsdedupe.core import DedupeResult, dedupe_text
from newsdedupe.io import InputError, atomic_write, decode, encode, file_lock, read_file, same_file
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
from newsdedupe.settings import STDIN, RunSettings, UsageError

if TYPE_CHECKING:
    from newsdedupe.htmlreport import Review


def clean_bytes(data: bytes, name: str, settings: RunSettings) -> tuple[bytes, DedupeResult]:
    """Decode, deduplicate, encode. Unchanged input comes back as the very
    same bytes, so a file without repeats is copied byte for byte."""
    text = decode(data, settings.encoding, name)
    result = dedupe_text(text, settings.options)
    if not result.changed:
        return data, result
    return encode(result.text, settings.encoding), result


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
        for p in paths:
            if p != STDIN and same_file(Path(p), settings.output):
                raise UsageError(f"{p}: -o names the input itself; use --in-place to rewrite it")


def run_files(paths: list[str], settings: RunSettings) -> int:
    """Clean stdin or the given files in turn; the exit code says how it went."""
    check_files(paths, settings)
    report = Report()
    review = open_review(settings)
    with json_sink(settings.json_target) as write_json, files_progress(paths, settings) as bar:
        for name in paths:
            before = (report.changed, report.failed, report.removed_paragraphs)
            run_one(name, settings, report, write_json, review, bar.message)
            bar.advance(
                changed=report.changed > before[0],
                failed=report.failed > before[1],
                removed=report.removed_paragraphs - before[2],
            )
    return finish_review(review, report.exit_code(settings.check))


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


def run_one(
    name: str,
    settings: RunSettings,
    report: Report,
    write_json: Callable[[dict[str, Any]], None],
    review: Review | None = None,
    warn: Callable[[str], None] = warn,
) -> None:
    """Clean one input, write it where the settings say, count and show it."""
    label = "<stdin>" if name == STDIN else name
    rewrites = settings.in_place and name != STDIN and not (settings.check or settings.diff)
    # an in-place rewrite holds the file from its read to its replacement
    held = file_lock(Path(os.path.realpath(name))) if rewrites else nullcontext()
    try:
        with held:
            data = sys.stdin.buffer.read() if name == STDIN else read_file(Path(name))
            out, result = clean_bytes(data, label, settings)
            emit(label, out, result, settings, Path(name) if name != STDIN else None)
    except (InputError, MemoryError) as exc:
        message = str(exc) if isinstance(exc, InputError) else out_of_memory(label)
        failed(label, message, report, write_json, review, warn)
        return
    report.done(result)
    if settings.json_target is not None:  # (the record is made only to be written)
        write_json(render.record(label, result))
    if review is not None:
        from newsdedupe.htmlreport import entry

        review.add(entry(label, result))
    show(label, result, settings.views, warn)


def failed(
    label: str,
    message: str,
    report: Report,
    write_json: Callable[[dict[str, Any]], None],
    review: Review | None,
    warn: Callable[[str], None] = warn,
) -> None:
    """One input that could not be cleaned: told, counted, reported."""
    warn(message)
    report.fail()
    write_json(render.record(label, None, message))
    if review is not None:
        from newsdedupe.htmlreport import failed_entry

        review.add(failed_entry(label, message))


def emit(
    label: str, out: bytes, result: DedupeResult, settings: RunSettings, path: Path | None
) -> None:
    """Write one cleaned input where the settings say."""
    if settings.diff:
        sys.stdout.write(render.diff(label, result))
        sys.stdout.flush()
    if settings.check or settings.diff:
        return
    if settings.in_place and path is not None:
        if result.changed:
            # through a symbolic link, rewrite the file it points to: renaming
            # over the link would turn it into a copy and leave the file as is
            atomic_write(Path(os.path.realpath(path)), out, settings.backup)
        return
    if settings.output is not None:
        atomic_write(settings.output, out)
        return
    if settings.json_target == STDIN:
        return
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()
