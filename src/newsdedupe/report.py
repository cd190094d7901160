"""What a run tells: the counts that become the exit code and the summary
line, the per-input messages, the ``--json`` report and the ``--report``
page. Every mode reports through here, so the words are the same in each.

Below the modes: it imports the settings, the renderers and the messages,
never a mode or the runner.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

from newsdedupe.core import DedupeResult
from newsdedupe.io import InputError
from newsdedupe.messages import count, events_text, printable, run_line
from newsdedupe.settings import EXIT_FAILED, EXIT_OK, EXIT_REPEATS, STDIN, RunSettings, Views

if TYPE_CHECKING:
    from newsdedupe.htmlreport import Review


class Report:
    """Counts of a run, turned into the exit code at the end (like black's).

    ``seen`` counts the units of the mode (files, or shards with --jsonl);
    ``changed`` counts changed files, or changed records; ``records`` and
    ``bad`` are the records of JSON Lines shards.

    A plain class, not a dataclass: the dataclass would cost every start-up
    about 0.4 ms to create, for a record made once per run."""

    def __init__(self) -> None:
        self.seen = 0
        self.changed = 0
        self.failed = 0
        self.removed_paragraphs = 0
        self.removed_chars = 0
        self.records = 0
        self.bad = 0

    @property
    def unchanged(self) -> int:
        return self.seen - self.changed - self.failed

    def add(
        self,
        *,
        failed: bool = False,
        changed: int = 0,
        removed_paragraphs: int = 0,
        removed_chars: int = 0,
        records: int = 0,
        bad: int = 0,
    ) -> None:
        """One unit done. A failed one counts as failed only: its output was
        not written, so none of its changes is counted."""
        self.seen += 1
        if failed:
            self.failed += 1
            return
        self.changed += changed
        self.removed_paragraphs += removed_paragraphs
        self.removed_chars += removed_chars
        self.records += records
        self.bad += bad

    def done(self, result: DedupeResult) -> None:
        """One text cleaned."""
        self.add(
            changed=int(result.changed),
            removed_paragraphs=len(result.removals) if result.changed else 0,
            removed_chars=result.removed_chars if result.changed else 0,
        )

    def fail(self) -> None:
        self.add(failed=True)

    def exit_code(self, check: bool) -> int:
        if self.failed or self.bad:
            return EXIT_FAILED
        if check and self.changed:
            return EXIT_REPEATS
        return EXIT_OK

    def files_line(self, seconds: float, writes: bool) -> str:
        """The last line of a folder run: what was seen, changed, failed, removed."""
        verb = "removed" if writes else "to remove"
        return run_line(
            f"{count(self.seen, 'file')} seen, {self.changed:,} changed, "
            f"{self.unchanged:,} unchanged, {self.failed:,} failed; "
            f"{self._removed(verb)} in {seconds:.1f} s"
        )

    def shards_line(self, writes: bool) -> str:
        """The last line of a JSON Lines run: shards, records, what was removed."""
        text = (
            f"{count(self.seen, 'shard')}, {count(self.records, 'record')}: "
            f"{self.changed:,} changed, {self._removed('removed' if writes else 'to remove')}"
        )
        if self.bad:
            text += f"; {count(self.bad, 'bad record')}"
        if self.failed:
            text += f"; {count(self.failed, 'shard')} failed"
        return run_line(text)

    def _removed(self, verb: str) -> str:
        return (
            f"{count(self.removed_paragraphs, 'paragraph')} and "
            f"{count(self.removed_chars, 'character')} {verb}"
        )


def is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def warn(message: str) -> None:
    """One line on stderr; control characters in it (from a file name) are
    escaped, so a name can neither forge a second line nor steer the terminal."""
    print(printable(message), file=sys.stderr, flush=True)


def json_line(obj: dict[str, Any]) -> str:
    """One JSON object on one line, non-ASCII text raw. A file name that is
    not UTF-8 holds lone surrogates (Python's ``surrogateescape``): they are
    written as ``\\udcXX`` escapes, so the report stays valid UTF-8 and
    ``os.fsencode(record["path"])`` gives back the name's exact bytes."""
    import json  # (only with --json: start-up stays short)

    text = json.dumps(obj, ensure_ascii=False)
    if not text.isascii():
        text = re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


@contextmanager
def json_sink(target: str | None) -> Iterator[Callable[[dict[str, Any]], None]]:
    """A writer of one JSON object per line (``--json FILE|-``), flushed per
    record so a long run can be followed as it goes."""
    if target is None:
        yield lambda obj: None
        return
    handle: IO[str]
    if target == STDIN:
        handle = sys.stdout
    else:
        handle = open(target, "w", encoding="utf-8")  # noqa: SIM115
    try:

        def write(obj: dict[str, Any]) -> None:
            handle.write(json_line(obj) + "\n")
            handle.flush()

        yield write
    finally:
        if handle is not sys.stdout:
            handle.close()


def check_line(name: str, removed_paragraphs: int) -> str:
    """The ``--check`` line of one input with repeats."""
    return f"{name}: {count(removed_paragraphs, 'repeated paragraph')}"


def verbose_line(
    name: str, changed: bool, removed_paragraphs: int, removed_chars: int, events: list[str]
) -> str:
    """The ``-v`` line of one input."""
    if not changed:
        return f"{name}: no repeats"
    return (
        f"{name}: removed {count(removed_paragraphs, 'paragraph')}, "
        f"{count(removed_chars, 'character')} ({events_text(events)})"
    )


def show(name: str, result: DedupeResult, views: Views, warn: Callable[[str], None] = warn) -> None:
    """Per-input messages on stderr: --explain table, --check and -v lines
    (the name escaped: ``warn`` may be a progress display's plain print)."""
    name = printable(name)
    if views.explain:
        from newsdedupe import render  # (the renderers: only for the runs that show more)

        render.explain(name, result, sys.stderr, writes=views.writes)
    if views.quiet:
        return
    removed = len(result.removals)
    if views.check and result.changed:
        warn(check_line(name, removed))
    elif views.verbose:
        from newsdedupe import render

        events = render.event_lines(result) if result.changed else []
        warn(verbose_line(name, result.changed, removed, result.removed_chars, events))


def open_review(settings: RunSettings, unit: str = "inputs") -> Review | None:
    """The collector of the ``--report`` page, or None without one."""
    if settings.report is None:
        return None
    from newsdedupe.htmlreport import Review  # only with --report: start-up stays fast

    return Review(settings.report, settings.options, unit)


def finish_review(review: Review | None, code: int) -> int:
    """Write the ``--report`` page; a page that cannot be written is a
    failure of the run (exit 3), with the reason on stderr."""
    if review is None:
        return code
    try:
        review.write()
    except InputError as exc:
        warn(f"{exc}; the --report page was not written")
        return EXIT_FAILED
    return code
