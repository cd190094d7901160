"""Running the core over inputs: stdin, files, and the report that turns
what happened into an exit code. No click here: the CLI builds a
:class:`RunSettings` and calls :func:`run`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from newsdedupe import render
from newsdedupe.config import Options
from newsdedupe.core import DedupeResult, dedupe_text
from newsdedupe.io import InputError, atomic_write, decode, encode, read_file, same_file
from newsdedupe.messages import count, events_text, run_line
from newsdedupe.progress import BatchProgress, open_progress

EXIT_OK = 0
EXIT_REPEATS = 1
EXIT_USAGE = 2
EXIT_FAILED = 3
EXIT_INTERRUPTED = 130

STDIN = "-"


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
    """One line on stderr."""
    print(message, file=sys.stderr, flush=True)


@contextmanager
def json_sink(target: str | None) -> Iterator[Callable[[dict[str, Any]], None]]:
    """A writer of one JSON object per line (``--json FILE|-``), flushed per
    record so a long run can be followed as it goes."""
    if target is None:
        yield lambda obj: None
        return
    import json  # only when --json is given: start-up stays fast

    handle: IO[str]
    if target == STDIN:
        handle = sys.stdout
    else:
        handle = open(target, "w", encoding="utf-8")  # noqa: SIM115
    try:

        def write(obj: dict[str, Any]) -> None:
            handle.write(json.dumps(obj, ensure_ascii=False) + "\n")
            handle.flush()

        yield write
    finally:
        if handle is not sys.stdout:
            handle.close()


def show(
    name: str, result: DedupeResult, settings: RunSettings, warn: Callable[[str], None] = warn
) -> None:
    """Per-input messages on stderr: --explain table, --check and -v lines."""
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
    """Clean stdin or the given files; folders go to batch mode."""
    report = Report()
    if not paths:
        paths = [STDIN]
        if not settings.quiet and _is_terminal(sys.stdin):
            # a filter with no input named waits for the keyboard: say so
            warn(run_line("reading text from the terminal; end it with Ctrl-D (dedupe -h: help)"))
    problem = _json_target_problem(paths, settings)
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
    with json_sink(settings.json_target) as write_json, files_progress(paths, settings) as bar:
        for name in paths:
            before = (report.changed, report.failed, report.removed_paragraphs)
            run_one(name, settings, report, write_json, bar.message)
            bar.advance(
                changed=report.changed > before[0],
                failed=report.failed > before[1],
                removed=report.removed_paragraphs - before[2],
            )
    return report.exit_code(settings.check)


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


def run_one(
    name: str,
    settings: RunSettings,
    report: Report,
    write_json: Callable[[dict[str, Any]], None],
    warn: Callable[[str], None] = warn,
) -> None:
    label = "<stdin>" if name == STDIN else name
    try:
        data = sys.stdin.buffer.read() if name == STDIN else read_file(Path(name))
        out, result = clean_bytes(data, label, settings)
    except InputError as exc:
        warn(str(exc))
        report.fail()
        write_json(render.record(label, None, str(exc)))
        return
    try:
        emit(label, out, result, settings, Path(name) if name != STDIN else None)
    except InputError as exc:
        warn(str(exc))
        report.fail()
        write_json(render.record(label, None, str(exc)))
        return
    report.done(result)
    write_json(render.record(label, result))
    show(label, result, settings, warn)


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
