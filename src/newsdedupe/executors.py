"""Executors: where the jobs a mode plans are cleaned. The runner picks one
and reads the outcomes from it; the mode never knows which one ran.

* :class:`Serial` cleans each job in this process, in plan order.
* :class:`Pool` cleans them in worker processes (black's ``concurrency.py``
  is the model: a ``ProcessPoolExecutor`` whose pending work is cancelled on
  Ctrl-C). The Dask executor lives in :mod:`newsdedupe.dask`.

A plan is an iterator of jobs and of outcomes already known (a file that
cannot be taken); an outcome in the plan passes straight through. ``clean``
is a picklable ``clean(job) -> outcome`` (a module-level function, or a
``functools.partial`` of one), sent once to each worker when it starts.

Workers ignore SIGINT; on Ctrl-C the parent stops handing out jobs, lets the
jobs already being written finish (each output is written through a temp
file and a rename, so it is whole or absent), and the run exits 130. A
second Ctrl-C, or a worker that does not finish in time, gets its workers
terminated and their temp files removed. A worker that dies (crash, out of
memory) breaks only the jobs it may have been holding: those are retried
one at a time in a fresh process, and the one that kills its worker again
is reported as failed.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator
from types import FrameType
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

from newsdedupe.io import remove_stale_temps
from newsdedupe.signals import STOP_SIGNALS, Stopped

if TYPE_CHECKING:
    from concurrent.futures import Future

# (multiprocessing and concurrent.futures are imported where a pool is
# made or read: a run in this process, and start-up, do without them)


class Job(Protocol):
    """What an executor needs to know of a job."""

    @property
    def label(self) -> str:
        """The name in messages."""

    @property
    def source(self) -> str:
        """The input file (its size decides whether workers pay)."""

    @property
    def dest(self) -> str | None:
        """The output file, beside which a killed worker may leave a temp file."""


J = TypeVar("J", bound=Job)
O = TypeVar("O")  # noqa: E741

Clean = Callable[[J], O]
Failed = Callable[[J, str], O]
"""The outcome of a job that could not be cleaned, with the message."""

SERIAL_BYTES = 10_000_000
"""Without ``--jobs``, a folder whose files add up to less than this runs in
the ``dedupe`` process itself: starting worker processes (each a fresh
interpreter importing the package) costs more than it saves on small
folders. Measured with ``benchmarks/bench_jobs.py`` on 2 CPUs: the two
were level at 7 MB in one run and 14 MB in another (see the README,
"Workers")."""

QUEUED_PER_WORKER = 4
"""Chunks handed out ahead per worker: enough to keep workers busy, few
enough that the parent holds only a handful of jobs whatever the size of
the plan."""

GRACE_SECONDS = 5.0
"""After Ctrl-C, how long the jobs already being written may take to finish
before their workers are terminated."""

POLL_SECONDS = 0.2
"""How often the parent looks at the Ctrl-C flag while it waits for workers."""


def internal_error(job: Job, exc: BaseException) -> str:
    """The message of a bug met on one job: that job's failure, not the run's."""
    return f"{job.label}: internal error ({type(exc).__name__}: {exc}); skipped"


class Stoppable:
    """Ctrl-C (or SIGTERM, SIGHUP): the first asks to stop, the second insists."""

    def __init__(self) -> None:
        self.stop = False
        self.force = False
        self.raise_on_force = False
        self.signum: int = signal.SIGINT

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.stop:
            self.force = True
            if self.raise_on_force:
                raise Stopped(self.signum)
        else:
            self.signum = signum
        self.stop = True


class Serial(Stoppable, Generic[J, O]):
    """Every job in this process, in plan order; stops between two jobs."""

    def run(self, clean: Clean[J, O], plan: Iterator[J | O], job: type) -> Generator[O, None, None]:
        self.raise_on_force = True
        for item in plan:
            if self.stop:
                break
            yield clean(cast(J, item)) if isinstance(item, job) else cast(O, item)


def workers_for(asked: int | None, plan: Iterator[Any], job: type) -> tuple[int, Iterator[Any]]:
    """How many workers, and the plan to run. ``--jobs N`` is taken as
    given; without it, the plan is read ahead until its inputs reach
    :data:`SERIAL_BYTES`: a plan that ends before that runs in-process."""
    if asked is not None:
        return asked, plan
    cpus = os.cpu_count() or 1
    if cpus == 1:
        return 1, plan
    ahead: list[Any] = []
    size = 0
    for item in plan:
        ahead.append(item)
        if isinstance(item, job):
            with contextlib.suppress(OSError):
                size += os.stat(cast(Job, item).source).st_size
            if size >= SERIAL_BYTES:
                return cpus, itertools.chain(ahead, plan)
    return 1, iter(ahead)


Numbered = list[tuple[int, Any]]
"""A chunk: the jobs with their places in the plan."""


class Pool(Stoppable, Generic[J, O]):
    """Jobs in worker processes, ``chunk`` at a time per round trip.

    Outcomes come as the chunks finish, or in plan order with ``ordered``
    (a shard's messages and report lines then read as in one process)."""

    def __init__(self, jobs: int, failed: Failed[J, O], chunk: int = 1, ordered: bool = False):
        super().__init__()
        self.jobs = jobs
        self.failed = failed
        self.chunk = chunk
        self.ordered = ordered
        self._clean: Clean[J, O] | None = None
        self._queue: deque[O] = deque()
        self._held: dict[int, O] = {}
        self._next = 0

    def run(self, clean: Clean[J, O], plan: Iterator[J | O], job: type) -> Generator[O, None, None]:
        self._clean = clean
        workers = Workers(self.jobs, clean)
        pending: dict[Future[list[O]], Numbered] = {}
        chunk: Numbered = []
        try:
            for place, item in enumerate(plan):
                if self.stop:
                    break
                if not isinstance(item, job):
                    self._done(place, cast(O, item))
                    yield from self._release()
                    continue
                chunk.append((place, item))
                if len(chunk) < self.chunk:
                    continue
                pending[workers.submit(chunk)] = chunk
                chunk = []
                while len(pending) >= self.jobs * QUEUED_PER_WORKER and not self.stop:
                    workers = self._collect(workers, pending)
                    yield from self._release()
            if chunk and not self.stop:
                pending[workers.submit(chunk)] = chunk
            while pending and not self.stop:
                workers = self._collect(workers, pending)
                yield from self._release()
            if pending:
                self._wind_down(workers, pending)
            yield from self._release(final=True)
        except BaseException:
            # A closed stdout, a bug in the parent: stop now, leave nothing half-done.
            self._abandon(workers, pending)
            raise
        finally:
            workers.shutdown()

    def _done(self, place: int, outcome: O) -> None:
        if self.ordered:
            self._held[place] = outcome
        else:
            self._queue.append(outcome)

    def _release(self, final: bool = False) -> Iterator[O]:
        while self._queue:
            yield self._queue.popleft()
        while self._next in self._held:
            yield self._held.pop(self._next)
            self._next += 1
        if final:  # after a stop, the jobs never run leave gaps
            for place in sorted(self._held):
                yield self._held.pop(place)

    def _collect(self, workers: Workers, pending: dict[Future[list[O]], Numbered]) -> Workers:
        """Take the chunks that finished; recover if a worker died."""
        from concurrent.futures import FIRST_COMPLETED, wait

        done, _ = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
        suspects = self._take(done, pending)
        if not suspects:
            return workers
        # The pool is broken: every chunk still out will come back broken too.
        suspects += self._take(wait(pending).done, pending)
        workers.terminate()
        for _, job in suspects:
            remove_temp_files(job)
        self._retry_alone(suspects)
        return Workers(workers.jobs, workers.clean)

    def _take(
        self, done: set[Future[list[O]]], pending: dict[Future[list[O]], Numbered]
    ) -> Numbered:
        """Take finished chunks; return the jobs whose worker died (a dead
        worker's chunk gives no outcome, so all of its jobs)."""
        from concurrent.futures import CancelledError
        from concurrent.futures.process import BrokenProcessPool

        broken: Numbered = []
        for future in done:
            numbered = pending.pop(future)
            try:
                outcomes = future.result()
            except CancelledError:
                continue
            except BrokenProcessPool:
                broken.extend(numbered)
                continue
            except Exception as exc:
                outcomes = [self.failed(job, internal_error(job, exc)) for _, job in numbered]
            for (place, _), outcome in zip(numbered, outcomes, strict=False):
                self._done(place, outcome)
        return broken

    def _retry_alone(self, suspects: Numbered) -> None:
        """Run each job a dead worker may have held in a process of its own:
        the one that kills its worker again is that job's failure."""
        from concurrent.futures import wait
        from concurrent.futures.process import BrokenProcessPool

        assert self._clean is not None
        workers = Workers(1, self._clean)
        try:
            for place, job in sorted(suspects, key=lambda s: s[1].label):
                if self.stop:
                    return
                future = workers.submit([(place, job)])
                while not future.done() and not self.force:
                    wait([future], timeout=POLL_SECONDS)
                if not future.done():
                    workers.terminate()
                    remove_temp_files(job)
                    return
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    remove_temp_files(job)
                    message = (
                        f"{job.label}: the worker process died while cleaning it "
                        "(crash or out of memory); skipped"
                    )
                    outcomes = [self.failed(job, message)]
                    workers.terminate()
                    workers = Workers(1, self._clean)
                except Exception as exc:
                    outcomes = [self.failed(job, internal_error(job, exc))]
                for outcome in outcomes:
                    self._done(place, outcome)
        finally:
            workers.shutdown()

    def _wind_down(self, workers: Workers, pending: dict[Future[list[O]], Numbered]) -> None:
        """After Ctrl-C: cancel what has not started, let the workers finish
        the job each is writing (whole outputs only), terminate what will not."""
        from concurrent.futures import FIRST_COMPLETED, wait

        workers.stop.set()  # workers stop after the job in hand
        for future in list(pending):
            if future.cancel():
                del pending[future]
        deadline = time.monotonic() + GRACE_SECONDS
        while pending and not self.force and time.monotonic() < deadline:
            done, _ = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
            for _, job in self._take(done, pending):  # a broken pool now is not retried
                remove_temp_files(job)
        self._abandon(workers, pending)

    @staticmethod
    def _abandon(workers: Workers, pending: dict[Future[list[O]], Numbered]) -> None:
        """Terminate the workers still holding jobs and remove their temp files."""
        if not pending:
            return
        workers.terminate()
        for numbered in pending.values():
            for _, job in numbered:
                remove_temp_files(job)
        pending.clear()


def remove_temp_files(job: Job) -> None:
    """Remove temp files killed workers left beside the job's output (call
    once they are gone: a live process's temp files are kept)."""
    if job.dest is not None:
        remove_stale_temps(os.path.dirname(job.dest) or ".")


class Workers:
    """A process pool whose workers ignore Ctrl-C from their very start."""

    def __init__(self, jobs: int, clean: Callable[[Any], Any]) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.jobs = jobs
        self.clean = clean
        context = multiprocessing.get_context("spawn")
        self.stop = context.Event()
        self.executor = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=_init_worker,
            initargs=(clean, self.stop, os.getpid()),
        )

    def submit(self, numbered: Numbered) -> Future[list[Any]]:
        with _signals_held():
            return self.executor.submit(clean_chunk, [job for _, job in numbered])

    def terminate(self) -> None:
        """Stop the workers now (an output being written loses only its temp
        file). They ignore SIGTERM, so they are killed."""
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        for process in processes:
            with contextlib.suppress(Exception):
                process.kill()
        for process in processes:
            with contextlib.suppress(Exception):
                process.join(2)
        self._end_half_sent_result()
        self.shutdown()

    def _end_half_sent_result(self) -> None:
        """A worker killed while sending its result leaves the pool's reader
        thread waiting for the rest of it, and ``shutdown`` (and the
        interpreter's exit) waiting for that thread for ever. With the
        workers dead, this process holds the last write end of the result
        pipe: closing it turns the wait into end-of-file, which the pool
        reads as a broken pool and ends."""
        queue = getattr(self.executor, "_result_queue", None)
        writer = getattr(queue, "_writer", None)
        if writer is not None:
            with contextlib.suppress(OSError):
                writer.close()

    def shutdown(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold the stop signals back while workers may be started: a new
    process starts with them blocked (the mask is inherited) and ignores them
    before they can act; in this process they are delivered, not lost, once
    released."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, set(STOP_SIGNALS))
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


# ------------------------------------------------------------- in a worker

_worker: dict[str, Any] = {}
"""In a worker process: the mode's ``clean`` and the parent's stop flag,
sent once when the worker starts rather than with every chunk."""


def _init_worker(clean: Callable[[Any], Any], stop: Any, parent: int) -> None:
    """Workers leave Ctrl-C, SIGTERM and SIGHUP to the parent, which decides
    what still finishes. They start with those blocked (see
    :func:`_signals_held`); once ignored they can be let through.

    A worker must not outlive its parent (killed, out of memory, terminal
    closed): on Linux the kernel kills it when the parent dies; elsewhere,
    and as a second guard, it stops between two jobs once its parent is
    gone (:func:`clean_chunk`)."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, set(STOP_SIGNALS))
    _die_with_parent(parent)
    _worker.update(clean=clean, stop=stop, parent=parent)


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies; exit now if
    the parent is already gone (it may die before the request is made)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def clean_chunk(jobs: list[Any]) -> list[Any]:
    """A worker's share: clean each job in turn, and stop between two jobs
    once the parent has been interrupted (the jobs not started are not in
    the list)."""
    clean, stop, parent = _worker["clean"], _worker["stop"], _worker["parent"]
    outcomes = []
    for job in jobs:
        if stop.is_set():
            break
        if os.getppid() != parent:
            os._exit(1)  # the parent is gone: nobody will take the outcome
        outcomes.append(clean(job))
    return outcomes
