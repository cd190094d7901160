"""Cleaning on a Dask cluster: a bag of records, or the jobs of a run.

Dask is an optional extra (``pip install 'newsdedupe[dask]'``). It is imported
inside the functions here, never at import time, so the plain install and
every other command never load it.

* :func:`dedupe_bag` maps the pure core over a ``dask.bag`` of records (dicts)
  or of texts (str), for people who already hold their corpus in a bag.
* :class:`Cluster` is the executor ``dedupe --jsonl SHARDS -o DIR --dask
  ADDRESS`` runs on: one task per job, each doing on a worker exactly what a
  local run does (the mode's ``clean``, :func:`newsdedupe.shard.clean_shard`
  for shards), so the outputs written are the same bytes. The workers read
  and write the paths themselves: they need the same file system as the
  command (a ``LocalCluster``, or a cluster on a shared or network file
  system).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any, Generic, cast

from newsdedupe.config import Options
from newsdedupe.executors import Clean, Failed, J, O, Stoppable
from newsdedupe.records import clean_record
from newsdedupe.settings import EXIT_FAILED, EXIT_USAGE

if TYPE_CHECKING:
    import dask.bag

LOCAL = "local"
"""``--dask local`` starts a ``LocalCluster`` on this machine."""


class ClusterError(Exception):
    """No Dask cluster to run on; the message says what to do."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


INSTALL_HINT = (
    "--dask needs the optional Dask extra: pip install 'newsdedupe[dask]' "
    "(from a clone: pip install '.[dask]')"
)


def dedupe_bag(
    bag: dask.bag.Bag,
    options: Options | None = None,
    *,
    field: str = "text",
    stats_field: str | None = None,
) -> dask.bag.Bag:
    """The bag with every element cleaned, lazily (nothing runs until
    ``.compute()`` or ``.to_textfiles()``).

    A text becomes ``dedupe_text(text, options).text``; a record (a dict)
    becomes a copy with ``field`` cleaned and, with ``stats_field``, the
    removal counts added. A record without a string ``field`` comes back
    unchanged. See :func:`newsdedupe.records.clean_record`.
    """
    mapper: Any = bag.map  # dask's own methods are not annotated
    cleaned: dask.bag.Bag = mapper(
        clean_record, options=options, field=field, stats_field=stats_field
    )
    return cleaned


class Cluster(Stoppable, Generic[J, O]):
    """The executor on a Dask cluster: ``address``, or ``local`` for a
    ``LocalCluster`` of ``workers`` processes (default: the CPU count).

    Outcomes come in plan order. ``on_done(job, failed)`` is called as each
    job finishes, in the order they finish (from the client's thread), so a
    progress display moves while an early job is still running. A job that
    fails on a worker is that job's failure; the others go on. Raises
    :class:`ClusterError` when there is no cluster to run on."""

    def __init__(
        self,
        address: str,
        workers: int | None,
        failed: Failed[J, O],
        on_done: Callable[[J, bool], None] | None = None,
    ) -> None:
        super().__init__()
        self.address = address
        self.workers = workers
        self.failed = failed
        self.on_done = on_done

    def run(self, clean: Clean[J, O], plan: Iterator[J | O], job: type) -> Generator[O, None, None]:
        items = list(plan)
        jobs = [cast(J, item) for item in items if isinstance(item, job)]
        if not jobs:
            yield from (cast(O, item) for item in items)
            return
        client, cluster = _connect(self.address, self.workers)
        try:
            futures = client.map(clean, jobs, pure=False)
            if self.on_done is not None:
                done = self.on_done
                for one, future in zip(jobs, futures, strict=True):
                    future.add_done_callback(lambda f, one=one: done(one, f.status != "finished"))
            running = iter(zip(jobs, futures, strict=True))
            for item in items:
                if not isinstance(item, job):
                    yield cast(O, item)
                    continue
                one, future = next(running)
                try:
                    outcome: O = future.result()
                except Exception as exc:  # one job's crash must not end the run
                    message = f"{one.label}: failed on the cluster ({type(exc).__name__}: {exc})"
                    outcome = self.failed(one, message)
                yield outcome
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def _connect(address: str, workers: int | None) -> tuple[Any, Any]:
    try:
        import distributed
    except ImportError:
        raise ClusterError(INSTALL_HINT, EXIT_USAGE) from None
    # distributed's constructors are not annotated
    client_type: Any = distributed.Client
    cluster_type: Any = distributed.LocalCluster
    if address == LOCAL:
        try:
            cluster = cluster_type(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # a free port: never clash with a running cluster
                silence_logs=logging.ERROR,
            )
        except Exception as exc:  # any start-up failure is reported alike
            raise ClusterError(f"cannot start a local Dask cluster ({exc})") from None
        return client_type(cluster), cluster
    try:
        return client_type(address, timeout="10s"), None
    except Exception as exc:  # OSError, TimeoutError, ValueError (bad address)
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address} ({exc}); "
            "check the address, or use --dask local"
        ) from None
