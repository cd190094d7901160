"""One JSON Lines shard: read line by line (plain, gzip or stdin), each
record cleaned (:mod:`newsdedupe.records`), written through one atomic
output stream, counted. Memory stays flat however large the shard, and the
records keep their order. A bad record is reported with file and line
number, passed through unchanged (or left out with ``--drop-bad``) and
counted.

:func:`clean_shard` with a job and the settings is what a worker process or
a Dask worker runs; the mode (:mod:`newsdedupe.jsonl`) plans the jobs.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsdedupe import render
from newsdedupe.io import (
    AtomicOutput,
    FolderNotMade,
    InputError,
    atomic_output,
    file_lock,
    refuse_irregular,
)
from newsdedupe.messages import printable
from newsdedupe.records import BadRecord, MissingField, clean_line
from newsdedupe.settings import STDIN, Work

_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20  # bytes collected before a write


class ShardError(Exception):
    """A shard that cannot be read or written; the message names it."""


# --- one shard -----------------------------------------------------------------


@dataclass(frozen=True)
class ShardJob:
    """One input and where its output goes: ``dest`` None means the shared
    stream (stdout) or nowhere (``--check``)."""

    source: str
    dest: str | None
    label: str


@dataclass
class ShardSummary:
    """What happened to one shard; ``messages`` collects the stderr lines when
    the shard ran where stderr is not ours (a Dask worker)."""

    label: str
    records: int = 0
    changed: int = 0
    bad: int = 0
    removed_paragraphs: int = 0
    removed_chars: int = 0
    error: str | None = None
    messages: list[str] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    """With ``--report``: the entries of records with removals and of bad
    records (:mod:`newsdedupe.htmlreport`); the other records are counted."""
    missing: int = 0
    """Records without the field (counted among ``bad``)."""
    first_missing: str | None = None
    """The message for the shard's first record without the field."""

    def record(self) -> dict[str, Any]:
        """The ``--json`` object for this shard."""
        status = "changed" if self.changed else "unchanged"
        if self.error is not None:
            status = "failed"
        return {
            "path": self.label,
            "status": status,
            "records": self.records,
            "changed_records": self.changed,
            "bad_records": self.bad,
            "removed_paragraphs": self.removed_paragraphs,
            "removed_chars": self.removed_chars,
            "error": self.error,
        }


class Buffer:
    """Collects lines and writes them in large chunks; remembers whether the
    last byte written ended a line, so shards concatenated on one stream
    never glue two records together."""

    def __init__(self, write: Callable[[bytes], object]) -> None:
        self._write = write
        self._parts: list[bytes] = []
        self._size = 0
        self.ends_line = True
        self.shard_started = False

    def new_shard(self) -> None:
        self.shard_started = True

    def write(self, data: bytes) -> None:
        if not data:
            return
        if self.shard_started:
            self.shard_started = False
            if not self.ends_line:
                self._parts.append(b"\n")
        self._parts.append(data)
        self._size += len(data)
        self.ends_line = data.endswith(b"\n")
        if self._size >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            self._write(b"".join(self._parts))
            self._parts.clear()
            self._size = 0


def clean_shard(
    job: ShardJob,
    settings: Work,
    stream: Buffer | None = None,
    note: Callable[[str], None] | None = None,
    missing_told: bool = False,
    tick: Callable[[int, int], None] | None = None,
) -> ShardSummary:
    """Clean one shard: read line by line, write to ``job.dest`` atomically
    (or to ``stream``, or nowhere), return the counts.

    Bad records are passed to ``note`` (default: collected in the summary's
    messages). A shard that cannot be read or written leaves no output file
    and is reported in ``summary.error``. Of the records without the field
    only the first is told (none when ``missing_told``: an earlier shard
    told it); the rest are counted in ``summary.missing``.
    """
    summary = ShardSummary(job.label)
    messages = note if note is not None else summary.messages.append

    def tell(message: str) -> None:
        if message != summary.first_missing or not missing_told:
            messages(message)

    lines = _ReadLines(job, tick)
    try:
        if job.dest is not None and not settings.check:
            backup = settings.backup if settings.in_place else None
            # in place, the shard is held from its first read to its replacement
            held = _held(job.dest) if settings.in_place else contextlib.nullcontext()
            with held, _shard_output(Path(job.dest), backup) as out:
                buffer = Buffer(out.write)
                _clean_lines(lines, buffer.write, job.label, settings, summary, tell)
                buffer.flush()
                # in place, a shard that would come back the same is left alone
                out.keep_old = settings.in_place and not _rewrites(summary, settings)
        elif stream is not None and not settings.check:
            stream.new_shard()
            _clean_lines(lines, stream.write, job.label, settings, summary, tell)
            stream.flush()
        else:
            _clean_lines(lines, lambda data: None, job.label, settings, summary, tell)
    except (ShardError, MemoryError) as exc:
        if isinstance(exc, MemoryError):
            where = f"at line {lines.count + 1}" if lines.count else "at its start"
            summary.error = f"{job.label}: out of memory {where}"
        else:
            summary.error = str(exc)
        # a failed shard counts as failed only: its changes are not counted
        summary.changed = summary.removed_paragraphs = summary.removed_chars = 0
        if lines.count and job.dest is None and stream is not None and not settings.check:
            summary.error += f"; its first {lines.count} line(s) were written"
        elif job.dest is not None and not settings.check:
            summary.error += "; nothing written for this shard"
        tell(summary.error)
        if settings.views.report:
            summary.reviews.append(_failed_entry(job.label, summary.error))
    return summary


@contextlib.contextmanager
def _held(path: str) -> Iterator[None]:
    """:func:`~newsdedupe.io.file_lock` with its refusal as a shard error."""
    try:
        with file_lock(Path(path)):
            yield
    except InputError as exc:
        raise ShardError(str(exc)) from None


def _rewrites(summary: ShardSummary, settings: Work) -> bool:
    """Whether the output differs from the input shard's content."""
    return bool(
        summary.changed
        or settings.records.stats_field is not None
        or (settings.records.drop_bad and summary.bad)
    )


def _clean_lines(
    lines: Iterable[bytes],
    write: Callable[[bytes], None],
    label: str,
    settings: Work,
    summary: ShardSummary,
    note: Callable[[str], None],
) -> None:
    records = settings.records
    options, name, stats_field = settings.options, records.field, records.stats_field
    action = "left out (--drop-bad)" if records.drop_bad else "passed through unchanged"
    for lineno, raw in enumerate(lines, 1):
        try:
            out, result = clean_line(raw, options, name, stats_field, first=lineno == 1)
        except BadRecord as exc:
            summary.records += 1
            summary.bad += 1
            if settings.views.report:
                summary.reviews.append(_failed_entry(f"{label}:{lineno}", str(exc)))
            if isinstance(exc, MissingField):
                summary.missing += 1
                if summary.first_missing is None:
                    summary.first_missing = f"{label}:{lineno}: {exc}; {action}"
                    note(summary.first_missing)
            else:
                note(f"{label}:{lineno}: {exc}; {action}")
            if not records.drop_bad:
                write(raw)
            continue
        if result is not None:
            summary.records += 1
            if result.changed:
                summary.changed += 1
                summary.removed_paragraphs += len(result.removals)
                summary.removed_chars += result.removed_chars
                if settings.views.explain:
                    name = printable(f"{label}:{lineno}")
                    render.explain(name, result, sys.stderr, writes=settings.views.writes)
            if settings.views.report:
                from newsdedupe.htmlreport import collect

                collect(summary.reviews, f"{label}:{lineno}", result)
        write(out)


def _failed_entry(name: str, message: str) -> dict[str, Any]:
    from newsdedupe.htmlreport import failed_entry  # only with --report

    return failed_entry(name, message)


class _ReadLines:
    """The lines of a shard (gzip by its ``.gz`` suffix, or stdin), counted,
    with read errors turned into :class:`ShardError`."""

    TICK_LINES = 512
    """How often (in lines) ``tick`` hears how far the reading is."""

    def __init__(self, job: ShardJob, tick: Callable[[int, int], None] | None = None) -> None:
        self.job = job
        self.count = 0
        self.tick = tick
        self._tell: Callable[[], int] = lambda: 0

    def __iter__(self) -> Iterator[bytes]:
        job = self.job
        if job.source == STDIN:
            stdin: Any = sys.stdin.buffer
            if hasattr(stdin, "peek") and stdin.peek(2)[:2] == _GZIP_MAGIC:
                stdin = gzip.GzipFile(fileobj=stdin, mode="rb")
            yield from self._lines(stdin.readline)
            return
        try:
            refuse_irregular(job.source)
        except InputError as exc:
            raise ShardError(str(exc)) from None
        try:
            handle: io.BufferedIOBase = (
                gzip.GzipFile(job.source, "rb")
                if job.source.endswith(".gz")
                else open(job.source, "rb")  # noqa: SIM115
            )
        except OSError as exc:
            raise ShardError(f"{job.label}: {_os_reason(exc, 'read')}") from None
        raw = getattr(handle, "fileobj", None) or handle  # gzip: where in the compressed file
        self._tell = raw.tell
        with handle:
            yield from self._lines(handle.readline)

    def _lines(self, readline: Callable[[], bytes]) -> Iterator[bytes]:
        while True:
            try:
                line = readline()
            except (OSError, EOFError, zlib.error) as exc:
                where = f"after line {self.count}" if self.count else "from the start"
                reason = _describe(exc)
                raise ShardError(f"{self.job.label}: cannot be read {where} ({reason})") from None
            if not line:
                return
            self.count += 1
            if self.tick is not None and self.count % self.TICK_LINES == 0:
                self.tick(self.count, self._tell())
            yield line


def _os_reason(exc: OSError, verb: str) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file; check the path"
    if isinstance(exc, IsADirectoryError):
        return "is a folder"
    if isinstance(exc, PermissionError):
        return f"cannot be {verb} (permission denied)"
    return f"cannot be {verb} ({exc.strerror or exc})"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, gzip.BadGzipFile):
        return "not gzip data"
    if isinstance(exc, EOFError):
        return "gzip data cut short"
    if isinstance(exc, zlib.error):
        return "corrupt gzip data"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


@contextlib.contextmanager
def _shard_output(dst: Path, backup_suffix: str | None) -> Iterator[AtomicOutput]:
    """:func:`~newsdedupe.io.atomic_output` for one shard (gzip kept by its
    ``.gz`` suffix, missing folders made), its failures as shard errors."""
    try:
        with atomic_output(
            dst, backup_suffix, parents=True, compress=dst.name.endswith(".gz")
        ) as out:
            yield out
    except FolderNotMade as exc:
        raise ShardError(f"{dst}: {_os_reason(exc.cause, 'written')}") from None
    except OSError as exc:
        raise ShardError(f"{dst}: {_os_reason(exc, 'written')}") from None
    except InputError as exc:
        raise ShardError(str(exc)) from None
