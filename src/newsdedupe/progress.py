"""The folder-mode progress display on stderr.

A terminal gets a live rich bar (files done / total, files changed,
paragraphs removed, rate, time left), with messages printed above it. Anything
else (a log file, a pipe, CI) gets plain lines only: the messages, and a short
progress line now and then on long runs. ``-q`` shows no progress at all; the
messages the caller still passes (errors) are printed as they come.

rich is imported only when a bar is actually drawn, so start-up stays fast.
"""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import Any, TextIO


class BatchProgress:
    """Quiet display: messages only, no progress. The base of the others."""

    wants_total = False
    """True when the display shows a total, so counting the files is worth it."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self.changed = 0
        self.failed = 0
        self.removed = 0
        self.total: int | None = None
        self.started = time.monotonic()
        self._lock = threading.Lock()

    def message(self, text: str) -> None:
        """A line (or a few) on stderr, never mixed into the display."""
        print(text, file=self.stream, flush=True)

    def set_total(self, total: int) -> None:
        self.total = total

    def advance(self, *, changed: bool, failed: bool, removed: int) -> None:
        """One more file finished."""
        with self._lock:
            self.done += 1
            self.changed += changed
            self.failed += failed
            self.removed += removed

    def rate(self) -> float:
        """Files per second so far."""
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

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
    ``interval`` seconds so a log shows the run is alive."""

    def __init__(self, stream: TextIO | None = None, interval: float = 10.0) -> None:
        super().__init__(stream)
        self.interval = interval
        self._last = self.started

    def advance(self, *, changed: bool, failed: bool, removed: int) -> None:
        super().advance(changed=changed, failed=failed, removed=removed)
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            total = f"/{self.total}" if self.total is not None else ""
            self.message(
                f"dedupe: {self.done}{total} files done, {self.changed} changed, "
                f"{self.failed} failed, {self.rate():.0f} files/s"
            )


class RichProgress(BatchProgress):
    """A terminal: a live bar that redraws in place."""

    wants_total = True

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__(stream)
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.console = Console(file=self.stream, highlight=False)
        self.bar: Any = Progress(
            TextColumn("dedupe"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files, {task.fields[changed]} changed,"),
            TextColumn("{task.fields[removed]} paragraphs removed,"),
            TextColumn("{task.fields[rate]} files/s"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            redirect_stdout=False,  # stdout carries diffs and JSON, never the bar
            redirect_stderr=False,
            transient=False,
        )
        self.task: Any = self.bar.add_task("files", total=None, changed=0, removed=0, rate="0")
        self.bar.start()
        self._open = True

    def message(self, text: str) -> None:
        if self._open:
            self.bar.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            super().message(text)

    def set_total(self, total: int) -> None:
        super().set_total(total)
        self.bar.update(self.task, total=max(total, self.done))

    def advance(self, *, changed: bool, failed: bool, removed: int) -> None:
        super().advance(changed=changed, failed=failed, removed=removed)
        self.bar.update(
            self.task,
            completed=self.done,
            changed=self.changed,
            removed=self.removed,
            rate=f"{self.rate():.0f}",
        )

    def close(self) -> None:
        if self._open:
            self._open = False
            self.bar.stop()


def open_progress(quiet: bool, stream: TextIO | None = None) -> BatchProgress:
    """The display that suits ``stream`` (default stderr): a bar on a
    terminal, plain lines elsewhere, no progress with ``-q``."""
    target = stream if stream is not None else sys.stderr
    if quiet:
        return BatchProgress(target)
    if _is_terminal(target):
        return RichProgress(target)
    return PlainProgress(target)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
