"""Cleaning on a Dask cluster: a bag of records, or whole shards.

Dask is an optional extra (``pip install 'newsdedupe[dask]'``). It is imported
inside the functions here, never at import time, so the plain install and
every other command never load it.

* :func:`dedupe_bag` maps the pure core over a ``dask.bag`` of records (dicts)
  or of texts (str), for people who already hold their corpus in a bag.
* :func:`run_shards` is what ``dedupe --jsonl SHARDS -o DIR --dask ADDRESS``
  runs: one task per shard, each doing on a worker exactly what the local run
  does (:func:`newsdedupe.jsonl.clean_shard`), so the shards written are the
  same bytes. The workers read and write the shard paths themselves: they need
  the same file system as the command (a ``LocalCluster``, or a cluster on a
  shared or network file system).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from newsdedupe.config import Options
from newsdedupe.jsonl import ShardJob, ShardSummary, clean_record, clean_shard
from newsdedupe.settings import EXIT_FAILED, EXIT_USAGE, RunSettings

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
    unchanged. See :func:`newsdedupe.jsonl.clean_record`.
    """
    mapper: Any = bag.map  # dask's own methods are not annotated
    cleaned: dask.bag.Bag = mapper(
        clean_record, options=options, field=field, stats_field=stats_field
    )
    return cleaned


def run_shards(
    jobs: Sequence[ShardJob],
    settings: RunSettings,
    on_done: Callable[[ShardJob, bool], None] | None = None,
) -> Iterator[ShardSummary]:
    """Run each shard on the cluster named by ``settings.dask`` (an address,
    or ``local``); yield the summaries in the order of ``jobs``.

    ``on_done(job, failed)`` is called as each shard finishes, in the order
    they finish (from the client's thread), so a progress display moves while
    an early shard is still running. A shard that fails on a worker is a
    failed summary; the other shards go on. Raises :class:`ClusterError`
    when there is no cluster to run on.
    """
    client, cluster = _connect(settings)
    try:
        futures = client.map(_clean_shard_task, list(jobs), settings=settings, pure=False)
        if on_done is not None:
            for job, future in zip(jobs, futures, strict=True):
                future.add_done_callback(lambda f, job=job: on_done(job, f.status != "finished"))
        for job, future in zip(jobs, futures, strict=True):
            try:
                summary: ShardSummary = future.result()
            except Exception as exc:  # one shard's crash must not end the run
                error = f"{job.label}: failed on the cluster ({type(exc).__name__}: {exc})"
                summary = ShardSummary(job.label, error=error, messages=[error])
            yield summary
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _clean_shard_task(job: ShardJob, settings: RunSettings) -> ShardSummary:
    """What a worker runs: messages are collected, not printed."""
    return clean_shard(job, settings)


def _connect(settings: RunSettings) -> tuple[Any, Any]:
    try:
        import distributed
    except ImportError:
        raise ClusterError(INSTALL_HINT, EXIT_USAGE) from None
    # distributed's constructors are not annotated
    client_type: Any = distributed.Client
    cluster_type: Any = distributed.LocalCluster
    address = settings.dask or LOCAL
    if address == LOCAL:
        try:
            cluster = cluster_type(
                n_workers=settings.jobs or os.cpu_count() or 1,
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
