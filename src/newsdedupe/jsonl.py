"""JSON Lines corpora: clean one field of every record, shard by shard, streamed.

A news corpus is shards of JSON Lines (plain or gzip), one record per line with
the article in a field (``text`` by default) beside ``url``, ``date``, ``id``.
Each shard is read and written line by line, so memory stays flat however
large the shard, and the records keep their order.

What is written for each line:

* a record whose field comes back unchanged (and no ``--stats-field``): the
  original line, byte for byte;
* a changed record: the original line with only the field's value replaced
  (spliced in place), so every other field keeps its bytes, order, spacing and
  escapes. The new value is written by ``json.dumps``: non-ASCII characters
  raw, or as ``\\u`` escapes when the old value was written that way (all
  ASCII);
* with ``--stats-field NAME``: the same splice for ``NAME`` when the record has
  it, else ``"NAME": {"removed_paragraphs": n, "removed_chars": c}`` added
  before the closing brace with the record's own separators;
* a blank line: passed through, it is not a record;
* a bad record (not UTF-8, not JSON, not an object, field missing or not a
  string): reported on stderr with file and line number, passed through
  unchanged (or left out with ``--drop-bad``), counted, and the run exits 3.

The cleaned field is always ``dedupe_text(text, options).text``: the same
result ``dedupe -`` gives for that text.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import io
import json
import os
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from newsdedupe import render
from newsdedupe.config import Options
from newsdedupe.core import DedupeResult, dedupe_text
from newsdedupe.io import (
    AtomicOutput,
    FolderNotMade,
    InputError,
    atomic_output,
    file_lock,
    input_inside_output,
    is_inside,
    printable,
    refuse_irregular,
    same_file,
)
from newsdedupe.messages import count, run_line
from newsdedupe.progress import BatchProgress, open_progress
from newsdedupe.report import Report, check_line, finish_review, json_sink, open_review, warn
from newsdedupe.settings import STDIN, RunSettings, UsageError
from newsdedupe.walk import Found, Rules, walk

if TYPE_CHECKING:
    from newsdedupe.htmlreport import Review

SHARD_GLOBS: tuple[str, ...] = ("*.jsonl", "*.jsonl.gz")
"""Files taken from folders with ``--jsonl`` unless ``--glob`` says otherwise."""

_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20  # bytes collected before a write
_DECODER = json.JSONDecoder()


class BadRecord(ValueError):
    """A line that cannot be cleaned; the message says why."""


class MissingField(BadRecord):
    """A record without the ``--field``: usually every record of a run with a
    mistyped field, so it is reported once with a count, not per line."""


class ShardError(Exception):
    """A shard that cannot be read or written; the message names it."""


# --- one record ----------------------------------------------------------------


def stats(result: DedupeResult) -> dict[str, int]:
    """The value written under ``--stats-field``."""
    return {"removed_paragraphs": len(result.removals), "removed_chars": result.removed_chars}


@overload
def clean_record(
    record: str, options: Options | None = None, field: str = "text", stats_field: str | None = None
) -> str: ...


@overload
def clean_record(
    record: Mapping[str, Any],
    options: Options | None = None,
    field: str = "text",
    stats_field: str | None = None,
) -> dict[str, Any]: ...


def clean_record(
    record: str | Mapping[str, Any],
    options: Options | None = None,
    field: str = "text",
    stats_field: str | None = None,
) -> str | dict[str, Any]:
    """One parsed record (a mapping) or one text, cleaned; no I/O.

    A text comes back as ``dedupe_text(text, options).text``. A record comes
    back as a new dict with ``field`` cleaned (and ``stats_field`` set when
    given); a record without a string ``field`` comes back as it was, so one
    odd record never stops a whole job.
    """
    if isinstance(record, str):
        return dedupe_text(record, options).text
    text = record.get(field)
    if not isinstance(text, str):
        return dict(record)
    result = dedupe_text(text, options)
    out = dict(record)
    out[field] = result.text
    if stats_field is not None:
        out[stats_field] = stats(result)
    return out


def clean_line(
    raw: bytes,
    options: Options,
    field: str = "text",
    stats_field: str | None = None,
    first: bool = False,
) -> tuple[bytes, DedupeResult | None]:
    """One line of JSON Lines in, the line to write and the result out.

    ``raw`` includes its line ending. The result is None for a blank line
    (written back as it was). Raises :class:`BadRecord` when the line cannot
    be cleaned. ``first`` allows a UTF-8 BOM (the first line of a file).
    """
    body = raw[:-1] if raw.endswith(b"\n") else raw
    if not body.strip(b" \t\r"):
        return raw, None
    try:
        doc = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRecord(f"not valid UTF-8 (byte {exc.start + 1})") from None
    lead = "\ufeff" if first and doc.startswith("\ufeff") else ""
    doc = doc[len(lead) :]
    try:
        record = json.loads(doc)
    except json.JSONDecodeError as exc:
        reason = exc.msg.removesuffix(" at")  # "Unterminated string starting at"
        reason = reason[:1].lower() + reason[1:]
        raise BadRecord(f"not valid JSON at column {exc.colno + len(lead)}: {reason}") from None
    except RecursionError:
        raise BadRecord("not valid JSON (nested too deeply)") from None
    if not isinstance(record, dict):
        raise BadRecord(f"not a JSON object but {_kind(record)}")
    if field not in record:
        raise MissingField(f"no {_quote(field)} field")
    text = record[field]
    if not isinstance(text, str):
        raise BadRecord(f"{_quote(field)} is {_kind(text)}, not a string")
    result = dedupe_text(text, options)
    if not result.changed and stats_field is None:
        return raw, result
    try:
        new = _splice(doc, field, result, stats_field, force_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (from \ud800 escapes) cannot be raw UTF-8
        new = _splice(doc, field, result, stats_field, force_ascii=True).encode("utf-8")
    return lead.encode("utf-8") + new + raw[len(body) :], result


def _quote(name: str) -> str:
    return json.dumps(name, ensure_ascii=False)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


@dataclass(frozen=True)
class _Member:
    """Where one top-level member of an object stands in its line."""

    key: str
    key_start: int
    key_end: int
    value_start: int
    value_end: int


def _members(doc: str) -> list[_Member]:
    """The top-level members of a JSON object already known to be valid.

    The values are skipped with the json module's own scanner, so the spans are
    exactly what ``json.loads`` read.
    """
    pos = _skip(doc, _skip(doc, 0) + 1)  # after "{"
    members: list[_Member] = []
    if doc[pos] == "}":
        return members
    while True:
        key, key_end = _DECODER.raw_decode(doc, pos)
        colon = _skip(doc, key_end)
        value_start = _skip(doc, colon + 1)
        _, value_end = _DECODER.raw_decode(doc, value_start)
        members.append(_Member(key, pos, key_end, value_start, value_end))
        pos = _skip(doc, value_end)
        if doc[pos] == "}":
            return members
        pos = _skip(doc, pos + 1)


def _skip(doc: str, pos: int) -> int:
    """The position after the JSON whitespace at ``pos``."""
    while pos < len(doc) and doc[pos] in " \t\n\r":
        pos += 1
    return pos


def _splice(
    doc: str, field: str, result: DedupeResult, stats_field: str | None, force_ascii: bool
) -> str:
    """``doc`` with the field's value (and the stats member) replaced in place.

    When a key occurs twice, the last one is the one ``json.loads`` read, and
    the one replaced here.
    """
    members = _members(doc)
    spans = {m.key: (m.value_start, m.value_end) for m in members}
    edits: list[tuple[int, int, str]] = []
    if result.changed:
        start, end = spans[field]
        ascii_only = force_ascii or doc[start:end].isascii()
        edits.append((start, end, json.dumps(result.text, ensure_ascii=ascii_only)))
    if stats_field is not None:
        key_sep, item_sep = _separators(doc, members)
        value = json.dumps(stats(result), separators=(item_sep, key_sep))
        if stats_field in spans:
            start, end = spans[stats_field]
            edits.append((start, end, value))
        else:
            end = members[-1].value_end
            name = json.dumps(stats_field, ensure_ascii=force_ascii)
            edits.append((end, end, f"{item_sep}{name}{key_sep}{value}"))
    for start, end, new in sorted(edits, reverse=True):
        doc = doc[:start] + new + doc[end:]
    return doc


def _separators(doc: str, members: list[_Member]) -> tuple[str, str]:
    """The record's own ``":"`` and ``","`` with their spacing, for a new member."""
    first = members[0]
    key_sep = doc[first.key_end : first.value_start]
    if len(members) > 1:
        item_sep = doc[first.value_end : members[1].key_start]
    else:
        item_sep = ", " if key_sep.endswith((" ", "\t")) else ","
    return key_sep, item_sep


# --- one shard -----------------------------------------------------------------


@dataclass(frozen=True)
class ShardJob:
    """One input and where its output goes: ``dst`` None means the shared
    stream (stdout) or nowhere (``--check``)."""

    src: str
    dst: str | None
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


class _Buffer:
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
    settings: RunSettings,
    stream: _Buffer | None = None,
    note: Callable[[str], None] | None = None,
    missing_told: bool = False,
    tick: Callable[[int, int], None] | None = None,
) -> ShardSummary:
    """Clean one shard: read line by line, write to ``job.dst`` atomically
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
        if job.dst is not None and not settings.check:
            backup = settings.backup if settings.in_place else None
            # in place, the shard is held from its first read to its replacement
            held = _held(job.dst) if settings.in_place else contextlib.nullcontext()
            with held, _shard_output(Path(job.dst), backup) as out:
                buffer = _Buffer(out.write)
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
        if lines.count and job.dst is None and stream is not None and not settings.check:
            summary.error += f"; its first {lines.count} line(s) were written"
        elif job.dst is not None and not settings.check:
            summary.error += "; nothing written for this shard"
        tell(summary.error)
        if settings.report is not None:
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


def _rewrites(summary: ShardSummary, settings: RunSettings) -> bool:
    """Whether the output differs from the input shard's content."""
    return bool(
        summary.changed or settings.stats_field is not None or (settings.drop_bad and summary.bad)
    )


def _clean_lines(
    lines: Iterable[bytes],
    write: Callable[[bytes], None],
    label: str,
    settings: RunSettings,
    summary: ShardSummary,
    note: Callable[[str], None],
) -> None:
    options, name, stats_field = settings.options, settings.field, settings.stats_field
    action = "left out (--drop-bad)" if settings.drop_bad else "passed through unchanged"
    for lineno, raw in enumerate(lines, 1):
        try:
            out, result = clean_line(raw, options, name, stats_field, first=lineno == 1)
        except BadRecord as exc:
            summary.records += 1
            summary.bad += 1
            if settings.report is not None:
                summary.reviews.append(_failed_entry(f"{label}:{lineno}", str(exc)))
            if isinstance(exc, MissingField):
                summary.missing += 1
                if summary.first_missing is None:
                    summary.first_missing = f"{label}:{lineno}: {exc}; {action}"
                    note(summary.first_missing)
            else:
                note(f"{label}:{lineno}: {exc}; {action}")
            if not settings.drop_bad:
                write(raw)
            continue
        if result is not None:
            summary.records += 1
            if result.changed:
                summary.changed += 1
                summary.removed_paragraphs += len(result.removals)
                summary.removed_chars += result.removed_chars
                if settings.explain:
                    render.explain(printable(f"{label}:{lineno}"), result, sys.stderr)
            if settings.report is not None:
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
        if job.src == STDIN:
            stdin: Any = sys.stdin.buffer
            if hasattr(stdin, "peek") and stdin.peek(2)[:2] == _GZIP_MAGIC:
                stdin = gzip.GzipFile(fileobj=stdin, mode="rb")
            yield from self._lines(stdin.readline)
            return
        try:
            refuse_irregular(job.src)
        except InputError as exc:
            raise ShardError(str(exc)) from None
        try:
            handle: io.BufferedIOBase = (
                gzip.GzipFile(job.src, "rb") if job.src.endswith(".gz") else open(job.src, "rb")  # noqa: SIM115
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


# --- a run ---------------------------------------------------------------------


ShardsOnCluster = Callable[
    [list[ShardJob], RunSettings, Callable[[ShardJob, bool], None]], Iterator[ShardSummary]
]
"""Runs shards on a cluster (:func:`newsdedupe.dask.run_shards`), given by the runner."""


def run_jsonl(
    paths: list[str], settings: RunSettings, on_cluster: ShardsOnCluster | None = None
) -> int:
    """Clean the records of JSON Lines inputs: files, folders of shards, stdin.

    Output goes to stdout (shards one after another), ``-o FILE`` (one
    input), ``-o DIR`` (the shards mirrored, gzip kept), or back in place; with
    ``--dask`` the shards run on a Dask cluster and give the same bytes.
    """
    paths = paths or [STDIN]
    problem = _usage_problem(paths, settings)
    if problem is None:
        plan, problem = _plan(paths, settings)
    if problem is not None:
        raise UsageError(problem)
    totals = Report()
    review = open_review(settings, "records")
    missing = 0
    # a live display would mix with records printed on the same terminal
    to_stdout = settings.writes_text and settings.output is None and not settings.in_place
    hide = settings.quiet or (to_stdout and _tty_stdout())
    with json_sink(settings.json_target) as write_json, open_progress(hide, unit="shards") as bar:
        meter = _Meter(bar, plan, cluster=settings.dask is not None)
        try:
            for summary in _summaries(plan, settings, meter, on_cluster):
                totals.add(
                    failed=summary.error is not None,
                    changed=summary.changed,
                    removed_paragraphs=summary.removed_paragraphs,
                    removed_chars=summary.removed_chars,
                    records=summary.records,
                    bad=summary.bad,
                )
                for message in summary.messages:
                    if message != summary.first_missing or not missing:
                        bar.message(message)
                missing += summary.missing
                meter.finished(summary)
                write_json(summary.record())
                _show(summary, settings, bar.message)
                if review is not None:
                    _review(review, summary)
        finally:
            bar.close()
        if missing > 1:
            bar.message(_missing_line(missing - 1, settings))
        if not settings.quiet:
            bar.message(totals.shards_line(writes=not settings.check))
    return finish_review(review, totals.exit_code(settings.check))


def _review(review: Review, summary: ShardSummary) -> None:
    """A shard's records into the ``--report`` page: every record with
    removals or bad, and a count of the others."""
    listed = 0
    for item in summary.reviews:
        review.add(item)
        listed += item["status"] != "failed" or item["name"] != summary.label
    review.add_unchanged(summary.records - listed)


def _tty_stdout() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


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
            if isinstance(item, ShardJob) and item.src != STDIN:
                with contextlib.suppress(OSError):
                    self.sizes[item.src] = os.stat(item.src).st_size
        bar.set_total(len(plan))
        if self.sizes and all(isinstance(i, ShardSummary) or i.src in self.sizes for i in plan):
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
            self._failed_on_cluster.add(job.src)
        self.bar.add_work(self.sizes.get(job.src, 0))
        self.bar.advance(changed=False, failed=failed, removed=0)

    def finished(self, summary: ShardSummary) -> None:
        """A shard's summary, in input order (on a cluster, a shard that ran
        was already counted done by :meth:`shard_done`)."""
        item = self.plan[self._next]
        self._next += 1
        counted = self.cluster and isinstance(item, ShardJob)
        told = isinstance(item, ShardJob) and item.src in self._failed_on_cluster
        if not counted and isinstance(item, ShardJob):
            self.bar.add_work(max(0, self.sizes.get(item.src, 0) - self._position))
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
        f"{count(more, 'more record')} {have} no {_quote(settings.field)} field, "
        f"{action}; check --field"
    )


def _summaries(
    plan: list[ShardJob | ShardSummary],
    settings: RunSettings,
    meter: _Meter,
    on_cluster: ShardsOnCluster | None,
) -> Iterator[ShardSummary]:
    """Each shard's summary in input order, run here or on the cluster."""
    jobs = [item for item in plan if isinstance(item, ShardJob)]
    if on_cluster is not None and jobs:
        done: Iterator[ShardSummary] = on_cluster(jobs, settings, meter.shard_done)
    else:
        done = _run_local(jobs, settings, meter)
    for item in plan:
        yield item if isinstance(item, ShardSummary) else next(done)


def _run_local(
    jobs: list[ShardJob], settings: RunSettings, meter: _Meter
) -> Iterator[ShardSummary]:
    stdout = _Buffer(sys.stdout.buffer.write) if settings.writes_text else None

    def note(message: str) -> None:
        if stdout is not None:
            stdout.flush()
            sys.stdout.buffer.flush()
        meter.bar.message(message)

    missing = 0
    for job in jobs:
        summary = clean_shard(
            job, settings, stream=stdout, note=note, missing_told=missing > 0, tick=meter.reading
        )
        missing += summary.missing
        if stdout is not None:
            sys.stdout.buffer.flush()
        yield summary


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
