"""The progress display on stderr, for every mode that runs many inputs
(several files, folders, JSON Lines shards, Dask).

A terminal gets one live line that redraws in place, with messages printed
above it. What a user needs most stays on it at any width from 60 columns:
done/total, failed and the time left (``ETA``); the rest (records, files
changed, paragraphs removed, rate, a bar) is added only while it fits, so
nothing is ever cut in the middle. Anything else (a log file, a pipe, CI)
gets plain lines only: the messages, and a progress line with the total and
the time left every ``interval`` seconds on long runs. ``-q`` shows no
progress at all; the messages the caller still passes (errors) are printed
as they come.

rich is imported only when a live line is actually drawn, so start-up stays
fast.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, TextIO

MIN_BAR = 10
"""A bar narrower than this says nothing; it is left out instead."""


def format_eta(seconds: float | None) -> str:
    """``0:01:05`` as rich writes it; ``-:--:--`` while it is unknown."""
    if seconds is None:
        return "-:--:--"
    whole = max(0, int(seconds + 0.5))
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


class BatchProgress:
    """Quiet display: messages only, no progress. The base of the others.

    ``unit`` names what is counted (``files``, ``shards``). ``records`` is
    counted when the inputs hold records (JSON Lines). The time left is
    estimated from the bytes of input done when the caller knows them
    (:meth:`set_work`, :meth:`add_work`), else from the inputs done.
    """

    wants_total = False
    """True when the display shows a total, so counting the files is worth it."""

    def __init__(
        self,
        stream: TextIO | None = None,
        unit: str = "files",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.unit = unit
        self.clock = clock
        self.done = 0
        self.changed = 0
        self.failed = 0
        self.removed = 0
        self.records: int | None = None
        self.total: int | None = None
        self.work_total: int | None = None
        self.work_done = 0
        self.started = clock()
        self._lock = threading.Lock()

    def message(self, text: str) -> None:
        """A line (or a few) on stderr, never mixed into the display."""
        print(text, file=self.stream, flush=True)

    def set_total(self, total: int) -> None:
        self.total = total

    def set_work(self, total_bytes: int) -> None:
        """The bytes of input the run will read, for the time left."""
        self.work_total = total_bytes

    def add_work(self, done_bytes: int) -> None:
        """More bytes of input read (an input in progress may report as it goes)."""
        with self._lock:
            self.work_done += done_bytes
        self.refresh()

    def add_records(self, records: int) -> None:
        with self._lock:
            self.records = (self.records or 0) + records
        self.refresh()

    def advance(self, *, changed: int, failed: bool, removed: int, done: int = 1) -> None:
        """One more input finished (``done=0``: counts of one told earlier).
        ``changed`` is 0 or 1 for a file, the records changed for a shard."""
        with self._lock:
            self.done += done
            self.changed += changed
            self.failed += failed
            self.removed += removed
        self.refresh()

    def refresh(self) -> None:
        """The counts changed (the quiet display shows nothing)."""

    def elapsed(self) -> float:
        return self.clock() - self.started

    def rate(self) -> float:
        """Inputs per second so far."""
        elapsed = self.elapsed()
        return self.done / elapsed if elapsed > 0 else 0.0

    def eta(self) -> float | None:
        """Seconds left, or None while there is nothing to go by."""
        elapsed = self.elapsed()
        if self.work_total and self.work_done > 0 and elapsed > 0:
            left = max(0, self.work_total - self.work_done)
            return left * elapsed / self.work_done
        if self.total is None:
            return None
        if self.done >= self.total:
            return 0.0
        if self.done == 0 or elapsed <= 0:
            return None
        return (self.total - self.done) * elapsed / self.done

    def line(self, width: int) -> str:
        """The live line, at most ``width - 1`` characters: done/total,
        failed and ETA always; the rest in order of use while it fits."""
        total = f"{self.total:,}" if self.total is not None else "?"
        head = f"dedupe {self.done:,}/{total} {self.unit}"
        tail = f"{self.failed:,} failed, ETA {format_eta(self.eta())}"
        extras = []
        if self.records is not None:
            extras.append(f"{self.records:,} records")
        extras.append(f"{self.changed:,} changed")
        extras.append(f"{self.removed:,} paragraphs removed")
        extras.append(f"{self.rate():,.0f} {self.unit}/s")
        room = width - 1
        parts = [head]
        for extra in extras:
            if len(", ".join([*parts, extra, tail])) > room:
                break
            parts.append(extra)
        text = ", ".join([*parts, tail])
        bar_width = room - len(text) - 1
        if bar_width >= MIN_BAR:
            text = f"{text} {self._bar(bar_width)}"
        return text

    def _bar(self, width: int) -> str:
        inner = width - 2
        if self.work_total:
            fraction = self.work_done / self.work_total
        elif self.total:
            fraction = self.done / self.total
        else:
            fraction = 0.0
        filled = int(inner * min(1.0, fraction))
        return "[" + "#" * filled + "-" * (inner - filled) + "]"

    def close(self) -> None:
        """Take the display down; later messages go below it."""

    def __enter__(self) -> BatchProgress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class PlainProgress(BatchProgress):
    """Not a terminal: plain lines; on long runs a progress line every
    ``interval`` seconds so a log shows the run is alive and when it ends."""

    wants_total = True

    def __init__(
        self,
        stream: TextIO | None = None,
        interval: float = 10.0,
        unit: str = "files",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(stream, unit, clock)
        self.interval = interval
        self._last = self.started

    def refresh(self) -> None:
        now = self.clock()
        if now - self._last < self.interval:
            return
        self._last = now
        self.message(self.plain_line())

    def plain_line(self) -> str:
        total = f"{self.total:,}" if self.total is not None else "?"
        records = f", {self.records:,} records" if self.records is not None else ""
        return (
            f"dedupe: {self.done:,}/{total} {self.unit} done{records}, {self.changed:,} changed, "
            f"{self.failed:,} failed, {self.rate():,.0f} {self.unit}/s, "
            f"ETA {format_eta(self.eta())}"
        )


class RichProgress(BatchProgress):
    """A terminal: a live line that redraws in place (rich's ``Live``)."""

    wants_total = True

    def __init__(
        self,
        stream: TextIO | None = None,
        unit: str = "files",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(stream, unit, clock)
        from rich.console import Console
        from rich.live import Live

        self.console = Console(file=self.stream, highlight=False)
        self.live: Any = Live(
            _Line(self),
            console=self.console,
            refresh_per_second=4,
            redirect_stdout=False,  # stdout carries text, diffs and JSON, never the display
            redirect_stderr=False,
            transient=False,
        )
        # drawn at once, before any message: a message printed before the
        # first draw would find no line to clear, and the refresh thread
        # could then draw the line just ahead of it, the two run together
        self.live.start(refresh=True)
        self._open = True

    def message(self, text: str) -> None:
        if self._open:
            self.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            super().message(text)

    def close(self) -> None:
        if self._open:
            self._open = False
            self.live.stop()


class _Line:
    """What the live display draws: the progress line fitted to the width
    of the terminal at each refresh (a resized window is followed)."""

    def __init__(self, progress: RichProgress) -> None:
        self.progress = progress

    def __rich__(self) -> Any:
        from rich.text import Text

        width = self.progress.console.width
        return Text(self.progress.line(width), no_wrap=True, overflow="crop")


def open_progress(quiet: bool, stream: TextIO | None = None, unit: str = "files") -> BatchProgress:
    """The display that suits ``stream`` (default stderr): a live line on a
    terminal, plain lines elsewhere, no progress with ``-q``."""
    target = stream if stream is not None else sys.stderr
    if quiet:
        return BatchProgress(target, unit)
    if _is_terminal(target):
        return RichProgress(target, unit)
    return PlainProgress(target, unit=unit)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
