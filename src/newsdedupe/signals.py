"""Stop signals: Ctrl-C, SIGTERM and SIGHUP end a run the same clean way.

The bottom of the shell: it imports nothing of the project. The command
routes the signals as it starts (:func:`route_stop_signals`); the runner
and the executors route them to their own handlers while work is out.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any


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
