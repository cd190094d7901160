"""Running the core over inputs: stdin, files, and the report that turns
what happened into an exit code. No click here: the CLI builds a
:class:`RunSettings` and calls :func:`run`.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, Any

from newsdedupe import render
from newsdedupe.config import Options
from newsdedupe.core import DedupeResult, dedupe_text
from newsdedupe.io import (
    InputError,
    atomic_write,
    decode,
    encode,
    file_lock,
    printable,
    read_file,
    same_file,
)
from newsdedupe.messages import count, events_text, run_line
from newsdedupe.progress import BatchProgress, open_progress

EXIT_OK = 0
EXIT_REPEATS = 1
EXIT_USAGE = 2
EXIT_FAILED = 3
EXIT_INTERRUPTED = 130
"""Ctrl-C (SIGINT); SIGTERM gives 143 and SIGHUP 129, as 128 + the signal."""

STDIN = "-"

if TYPE_CHECKING:
    from newsdedupe.htmlreport import Review


class Stopped(KeyboardInterrupt):
    """A stop signal arrived (SIGINT, SIGTERM or SIGHUP): the run ends
    cleanly, with exit code 128 + ``signum``."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__()
        self.signum = signum


STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
"""The signals that stop a run the way Ctrl-C does."""


def stop_message(signum: int) -> tuple[str, int]:
    """The last line and the exit code of a run stopped by ``signum``."""
    if signum == signal.SIGINT:
        head = "dedupe: interrupted"
    else:
        head = f"dedupe: stopped by {signal.Signals(signum).name}"
    return f"{head}; files already written are complete, none is half-written", 128 + signum


@contextmanager
def stop_signals_to(handler: Callable[[int, FrameType | None], None]) -> Iterator[None]:
    """Route SIGINT, SIGTERM and SIGHUP to ``handler`` for the run (only the
    main thread can), then give them back to what handled them before."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = route_stop_signals(handler)
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def route_stop_signals(handler: Callable[[int, FrameType | None], None]) -> dict[int, Any]:
    """Send SIGINT, SIGTERM and SIGHUP to ``handler``; return what handled
    them before. SIGINT and SIGTERM are taken even when the process was
    started with them ignored, so every mode stops alike; an ignored SIGHUP
    (``nohup``) stays ignored, since that was asked for. The command calls
    this as it starts, so a stop signal that comes between the end of a run
    and the exit still gives the clean stop and its exit code."""
    previous: dict[int, Any] = {}
    for signum in STOP_SIGNALS:
        nohup = signum == getattr(signal, "SIGHUP", None)
        if nohup and signal.getsignal(signum) == signal.SIG_IGN:
            continue
        previous[signum] = signal.signal(signum, handler)
    return previous


def raise_stopped(signum: int, frame: FrameType | None) -> None:
    """A stop signal where no batch is running: unwind now (temp files go
    in the writers' ``finally``)."""
    raise Stopped(signum)


@dataclass(frozen=True)
class RunSettings:
    """Everything the command line decides besides the matching options."""

    options: Options = field(default_factory=Options)
    output: Path | None = None
    output_dir: bool = False
    """``-o`` names a folder (``-o DIR/`` or an existing folder): every
    input, even a single file, is written into it under its own name."""
    in_place: bool = False
    backup: str | None = None
    check: bool = False
    diff: bool = False
    explain: bool = False
    json_target: str | None = None
    encoding: str | None = None
    quiet: bool = False
    verbose: bool = False
    globs: tuple[str, ...] = ()
    """Files to take from folders; empty means the mode's own default
    (``*.txt`` for text, ``*.jsonl`` and ``*.jsonl.gz`` with --jsonl)."""
    hidden: bool = False
    jobs: int | None = None
    jsonl: bool = False
    field: str = "text"
    stats_field: str | None = None
    drop_bad: bool = False
    dask: str | None = None
    report: Path | None = None
    """``--report FILE.html``: the review page written at the end of the run."""

    @property
    def writes_text(self) -> bool:
        """Cleaned text goes to stdout (not with --check, --diff, --json -)."""
        return not (self.check or self.diff or self.json_target == STDIN)


@dataclass
class Report:
    """Counts of a run, turned into the exit code at the end (like black's)."""

    seen: int = 0
    changed: int = 0
    failed: int = 0
    removed_paragraphs: int = 0
    removed_chars: int = 0

    @property
    def unchanged(self) -> int:
        return self.seen - self.changed - self.failed

    def done(self, result: DedupeResult) -> None:
        self.seen += 1
        if result.changed:
            self.changed += 1
            self.removed_paragraphs += len(result.removals)
            self.removed_chars += result.removed_chars

    def fail(self) -> None:
        self.seen += 1
        self.failed += 1

    def exit_code(self, check: bool) -> int:
        if self.failed:
            return EXIT_FAILED
        if check and self.changed:
            return EXIT_REPEATS
        return EXIT_OK


def clean_bytes(data: bytes, name: str, settings: RunSettings) -> tuple[bytes, DedupeResult]:
    """Decode, deduplicate, encode. Unchanged input comes back as the very
    same bytes, so a file without repeats is copied byte for byte."""
    text = decode(data, settings.encoding, name)
    result = dedupe_text(text, settings.options)
    if not result.changed:
        return data, result
    return encode(result.text, settings.encoding), result


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def warn(message: str) -> None:
    """One line on stderr; control characters in it (from a file name) are
    escaped, so a name can neither forge a second line nor steer the terminal."""
    print(printable(message), file=sys.stderr, flush=True)


def json_line(obj: dict[str, Any]) -> str:
    """One JSON object on one line, non-ASCII text raw. A file name that is
    not UTF-8 holds lone surrogates (Python's ``surrogateescape``): they are
    written as ``\\udcXX`` escapes, so the report stays valid UTF-8 and
    ``os.fsencode(record["path"])`` gives back the name's exact bytes."""
    import json
    import re

    text = json.dumps(obj, ensure_ascii=False)
    if not text.isascii():
        text = re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


@contextmanager
def json_sink(target: str | None) -> Iterator[Callable[[dict[str, Any]], None]]:
    """A writer of one JSON object per line (``--json FILE|-``), flushed per
    record so a long run can be followed as it goes."""
    if target is None:
        yield lambda obj: None
        return
    handle: IO[str]
    if target == STDIN:
        handle = sys.stdout
    else:
        handle = open(target, "w", encoding="utf-8")  # noqa: SIM115
    try:

        def write(obj: dict[str, Any]) -> None:
            handle.write(json_line(obj) + "\n")
            handle.flush()

        yield write
    finally:
        if handle is not sys.stdout:
            handle.close()


def show(
    name: str, result: DedupeResult, settings: RunSettings, warn: Callable[[str], None] = warn
) -> None:
    """Per-input messages on stderr: --explain table, --check and -v lines
    (the name escaped: ``warn`` may be a progress display's plain print)."""
    name = printable(name)
    if settings.explain:
        render.explain(name, result, sys.stderr)
    if settings.quiet:
        return
    if settings.check and result.changed:
        warn(f"{name}: {count(len(result.removals), 'repeated paragraph')}")
    elif settings.verbose:
        if result.changed:
            events = events_text(render.event_lines(result))
            warn(
                f"{name}: removed {count(len(result.removals), 'paragraph')}, "
                f"{count(result.removed_chars, 'character')} ({events})"
            )
        else:
            warn(f"{name}: no repeats")


def run(paths: list[str], settings: RunSettings) -> int:
    """Clean stdin or the given files; folders go to batch mode. A stop
    signal raises :class:`Stopped`."""
    with stop_signals_to(raise_stopped):
        return _run(paths, settings)


def _run(paths: list[str], settings: RunSettings) -> int:
    report = Report()
    if not paths:
        paths = [STDIN]
        if not settings.quiet and _is_terminal(sys.stdin):
            # a filter with no input named waits for the keyboard: say so
            warn(run_line("reading text from the terminal; end it with Ctrl-D (dedupe -h: help)"))
    problem = _json_target_problem(paths, settings) or _report_target_problem(paths, settings)
    if problem:
        warn(problem)
        return EXIT_USAGE
    if settings.jsonl:
        from newsdedupe.jsonl import run_jsonl

        return run_jsonl(paths, settings)
    if settings.output_dir and STDIN in paths:
        warn(run_line(f"-o {settings.output}/ names a folder; stdin needs -o FILE"))
        return EXIT_USAGE
    folders = [p for p in paths if p != STDIN and Path(p).is_dir()]
    if folders or settings.output_dir:
        from newsdedupe.batch import run_batch

        return run_batch(paths, settings)
    if settings.output is not None and len(paths) > 1:
        warn(run_line("-o FILE takes one input; give one file, or a folder with -o DIR/"))
        return EXIT_USAGE
    if settings.in_place and STDIN in paths:
        warn(run_line("--in-place needs files, not stdin"))
        return EXIT_USAGE
    if settings.output is not None:
        for p in paths:
            if p != STDIN and same_file(Path(p), settings.output):
                warn(f"{p}: -o names the input itself; use --in-place to rewrite it")
                return EXIT_USAGE
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


def open_review(settings: RunSettings, unit: str = "inputs") -> Review | None:
    """The collector of the ``--report`` page, or None without one."""
    if settings.report is None:
        return None
    from newsdedupe.htmlreport import Review  # only with --report: start-up stays fast

    return Review(settings.report, settings.options, unit)


def finish_review(review: Review | None, code: int) -> int:
    """Write the ``--report`` page; a page that cannot be written is a
    failure of the run (exit 3), with the reason on stderr."""
    if review is None:
        return code
    try:
        review.write()
    except InputError as exc:
        warn(f"{exc}; the --report page was not written")
        return EXIT_FAILED
    return code


def files_progress(paths: list[str], settings: RunSettings) -> BatchProgress:
    """The progress display for several files named on the command line:
    none for one input, nor while a per-file table (--explain) or text on a
    terminal's stdout would mix with it."""
    hide = settings.quiet or len(paths) < 2 or settings.explain
    to_stdout = settings.writes_text and settings.output is None and not settings.in_place
    if not hide and (to_stdout or settings.diff):
        hide = _is_terminal(sys.stdout)
    bar = open_progress(hide)
    bar.set_total(len(paths))
    return bar


def _json_target_problem(paths: list[str], settings: RunSettings) -> str | None:
    """``--json FILE`` is opened for writing before any input is read: naming
    an input (or the ``-o`` file) there would wipe it."""
    target = settings.json_target
    if target is None or target == STDIN:
        return None
    if os.path.isdir(target):
        return run_line(f"--json {target}: is a folder; give the report a file name")
    parent = os.path.dirname(target) or "."
    if not os.path.isdir(parent):
        return run_line(f"--json {target}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK) or (
        os.path.exists(target) and not os.access(target, os.W_OK)
    ):
        return run_line(f"--json {target}: cannot be written (permission denied)")
    for p in paths:
        if p != STDIN and same_file(Path(p), Path(target)):
            return f"{p}: --json names an input; give the report a file of its own"
    if settings.output is not None and Path(target).resolve() == settings.output.resolve():
        return f"{target}: --json and -o name the same file; give the report a file of its own"
    return None


def _report_target_problem(paths: list[str], settings: RunSettings) -> str | None:
    """``--report FILE`` is checked before any input is read: its folder must
    exist, and it must name neither an input nor another output."""
    target = settings.report
    if target is None:
        return None
    if str(target) == STDIN:
        return "--report writes a page to a file; give it a FILE.html, not -"
    if target.is_dir():
        return f"{target}: --report names a folder; give it a FILE.html"
    if not target.resolve().parent.is_dir():
        return f"{target}: --report: the folder {target.parent} does not exist"
    for p in paths:
        if p != STDIN and same_file(Path(p), target):
            return f"{p}: --report names an input; give the page a file of its own"
    others = [settings.output, Path(settings.json_target) if settings.json_target else None]
    for other in others:
        if other is not None and str(other) != STDIN and other.resolve() == target.resolve():
            return f"{target}: --report names another output; give the page a file of its own"
    return None


def run_one(
    name: str,
    settings: RunSettings,
    report: Report,
    write_json: Callable[[dict[str, Any]], None],
    review: Review | None = None,
    warn: Callable[[str], None] = warn,
) -> None:
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
        _failed(label, message, report, write_json, review, warn)
        return
    report.done(result)
    if settings.json_target is not None:  # (the record is made only to be written)
        write_json(render.record(label, result))
    if review is not None:
        from newsdedupe.htmlreport import entry

        review.add(entry(label, result))
    show(label, result, settings, warn)


def out_of_memory(label: str) -> str:
    """The failure of an input too large to clean in the memory there is."""
    return f"{label}: out of memory while cleaning it; skipped"


def _failed(
    label: str,
    message: str,
    report: Report,
    write_json: Callable[[dict[str, Any]], None],
    review: Review | None,
    warn: Callable[[str], None] = warn,
) -> None:
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
