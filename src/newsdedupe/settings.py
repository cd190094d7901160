"""What the command line decided, and the words every layer shares: exit
codes, ``-`` for stdin, and :class:`UsageError`.

The bottom of the shell: it imports only the core's :mod:`newsdedupe.config`.
The CLI builds one :class:`RunSettings`; a layer below the modes takes only
the group it uses (:class:`Views` for the per-input messages, :class:`Records`
for a JSON Lines record, :class:`Work` for the cleaning of one job), so a
signature says what can change its result.

The groups are named tuples, not dataclasses: they are made once per run,
and a dataclass costs about a millisecond to create at import, which every
``dedupe`` start-up would pay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from newsdedupe.config import Options

if TYPE_CHECKING:
    from pathlib import Path  # (not imported at run time: start-up stays short)

EXIT_OK = 0
EXIT_REPEATS = 1
EXIT_USAGE = 2
EXIT_FAILED = 3
EXIT_INTERRUPTED = 130
"""Ctrl-C (SIGINT); SIGTERM gives 143 and SIGHUP 129, as 128 + the signal."""

STDIN = "-"

TEXT_GLOBS: tuple[str, ...] = ("*.txt",)
"""The files a folder gives in text mode when no --glob is given."""

SHARD_GLOBS: tuple[str, ...] = ("*.jsonl", "*.jsonl.gz")
"""The files a folder gives with --jsonl when no --glob is given."""


class UsageError(Exception):
    """Settings or inputs that cannot work together, found before anything
    is read or written. Raised where the problem is seen, however deep;
    turned into one stderr line and exit 2 in one place, the runner (as
    sqlite-utils raises ``click.ClickException`` and click's ``main`` shows
    it). The message is the whole line."""


class Views(NamedTuple):
    """What the run shows besides the cleaned text: the per-input messages,
    the ``--json`` report and the ``--report`` page."""

    check: bool = False
    diff: bool = False
    explain: bool = False
    quiet: bool = False
    verbose: bool = False
    json: bool = False
    """A ``--json`` report is written (its records are made only then)."""
    report: bool = False
    """A ``--report`` page is written (its entries are made only then)."""

    @property
    def writes(self) -> bool:
        """Cleaned text is written (not with --check or --diff)."""
        return not (self.check or self.diff)


class Records(NamedTuple):
    """How a JSON Lines record is cleaned: the field, the counts' field, and
    what happens to a bad record."""

    field: str = "text"
    stats_field: str | None = None
    drop_bad: bool = False


class Work(NamedTuple):
    """What cleaning one input needs, and nothing more: the group a job's
    ``clean`` receives (sent once to each worker process)."""

    options: Options = Options()
    encoding: str | None = None
    check: bool = False
    in_place: bool = False
    backup: str | None = None
    records: Records = Records()
    views: Views = Views()


class RunSettings(NamedTuple):
    """Everything the command line decides besides the matching options."""

    options: Options = Options()
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
    (:data:`TEXT_GLOBS`, or :data:`SHARD_GLOBS` with --jsonl)."""
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

    @property
    def views(self) -> Views:
        return Views(
            check=self.check,
            diff=self.diff,
            explain=self.explain,
            quiet=self.quiet,
            verbose=self.verbose,
            json=self.json_target is not None,
            report=self.report is not None,
        )

    @property
    def records(self) -> Records:
        return Records(self.field, self.stats_field, self.drop_bad)

    @property
    def work(self) -> Work:
        return Work(
            options=self.options,
            encoding=self.encoding,
            check=self.check,
            in_place=self.in_place,
            backup=self.backup,
            records=self.records,
            views=self.views,
        )
