"""Views of the removal records: the ``--explain`` table, the ``--json``
object and the ``--diff``. The only module that imports rich, and only when a
table is actually drawn, so start-up stays fast.
"""

from __future__ import annotations

import os
from typing import IO, Any, NamedTuple

from newsdedupe import match
from newsdedupe.core import DedupeResult, Removal, dated_front
from newsdedupe.messages import count

_PREVIEW = 80
_LOG_WIDTH = 120
"""Width of the ``--explain`` table when stderr is no terminal and ``COLUMNS``
is not set: a log file gets lines that a reader's editor shows whole."""

_CELL = 600
"""Characters of a paragraph shown in an ``--explain`` cell, wrapped; a
longer paragraph is cut there (``--report`` and ``--json`` have it whole)."""

_CONTEXT = 60
"""Characters of the kept paragraph shown on each side of the matching stretch."""


def preview(text: str, width: int = _PREVIEW) -> str:
    """One line of at most ``width`` characters for a table cell."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "\u2026"


def record(name: str, result: DedupeResult | None, error: str | None = None) -> dict[str, Any]:
    """The JSON object for one input (``--json``): what was removed, from
    where, by which rule and score; or why the input failed."""
    if result is None:
        return {"path": name, "status": "failed", "error": error}
    return {
        "path": name,
        "status": "changed" if result.changed else "unchanged",
        "paragraphs": len(result.paragraphs),
        "removed_paragraphs": len(result.removals),
        "removed_chars": result.removed_chars,
        "removals": [
            {
                "index": r.index,
                "rule": r.rule,
                "source": r.source,
                "score": round(r.score, 1),
                "text": result.paragraphs[r.index],
            }
            for r in result.removals
        ],
        "kept": [{"index": k.index, "source": k.source, "reason": k.reason} for k in result.kept],
        "events": [
            {
                "first": e.first,
                "last": e.last,
                "source_first": e.source_first,
                "source_last": e.source_last,
            }
            for e in result.events()
        ],
        "error": None,
    }


def diff(name: str, result: DedupeResult) -> str:
    """A unified diff from the input to the cleaned text ('' when unchanged)."""
    if not result.changed:
        return ""
    before = _lines(result.layout.text)
    after = _lines(result.text)
    import difflib  # only for --diff: start-up stays fast

    lines = difflib.unified_diff(before, after, f"a/{name}", f"b/{name}")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _lines(text: str) -> list[str]:
    """Lines ending at ``\n`` only, as diff and patch count them:
    ``str.splitlines`` also breaks at U+2028, NEL and form feeds, which put
    "No newline at end of file" markers in the middle of a diff."""
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def event_lines(result: DedupeResult) -> list[str]:
    """'paragraphs 13-23 repeat 2-12' lines, numbered from 1 as a reader counts."""
    out = []
    for e in result.events():
        if e.first == e.last:
            out.append(f"paragraph {e.first + 1} repeats {e.source_first + 1}")
        else:
            out.append(
                f"paragraphs {e.first + 1}\u2013{e.last + 1} repeat "
                f"{e.source_first + 1}\u2013{e.source_last + 1}"
            )
    return out


def stream_width(stream: IO[str]) -> int:
    """The width a table on ``stream`` may take: ``COLUMNS`` when set (as
    ``shutil.get_terminal_size`` and rich read it), else the terminal's
    width, else :data:`_LOG_WIDTH` for a pipe or a log file."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdecimal() and int(columns) > 0:
        return int(columns)
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError):
        pass  # not a real file (a test's buffer) or no size to ask for
    return _LOG_WIDTH


class Stretch(NamedTuple):
    """Where the text of a removed paragraph stands in the kept paragraph
    that covers it (``start``..``end`` of the kept text), and the dateline
    the comparison set aside on the front of either copy ('' when none)."""

    start: int
    end: int
    set_aside: str


def stretch(result: DedupeResult, removal: Removal) -> Stretch:
    """The matching stretch of the kept paragraph for one removal.

    A removed paragraph no longer than its kept one is aligned inside it
    (rapidfuzz's best partial alignment), so a teaser points at the
    sentence it repeats rather than at the start of the article paragraph;
    a longer one (a copy that gained words, or one that spans several kept
    paragraphs) matches the kept paragraph whole. A front that only one
    copy has ("INNSBRUCK, 12.07.2023 (APA) -") is left out of the alignment
    and named, as the rules left it out of the comparison."""
    removed = result.paragraphs[removal.index]
    kept = result.paragraphs[removal.source]
    front_removed, front_kept = dated_front(removed), dated_front(kept)
    set_aside = ""
    if front_removed != front_kept:
        set_aside = front_removed or front_kept
        if front_removed:
            removed = removed.lstrip()[len(front_removed) :].strip()
    removed = removed.strip()
    if not removed or len(removed) >= len(kept.strip()):
        lead = len(kept) - len(kept.lstrip())
        return Stretch(lead, len(kept.rstrip()), set_aside)
    # case apart (when folding keeps every offset), then out to whole words
    same = len(removed.lower()) == len(removed) and len(kept.lower()) == len(kept)
    found = match.containment(removed.lower(), kept.lower()) if same else match.containment(
        removed, kept
    )
    if found.end <= found.start:
        return Stretch(0, len(kept), set_aside)
    start, end = found.start, found.end
    while start > 0 and kept[start - 1].isalnum():
        start -= 1
    while end < len(kept) and kept[end].isalnum():
        end += 1
    while end > start + 1 and kept[end - 1] in " ,;:":  # not a clause's trailing comma
        end -= 1
    return Stretch(start, end, set_aside)


def _cut(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _CELL else flat[: _CELL - 1] + "\u2026"


def _around(text: str, where: Stretch) -> tuple[str, int, int]:
    """The matching stretch of ``text`` with a little context ("\u2026" where
    cut), and where the stretch stands in what is shown."""
    start = max(0, where.start - _CONTEXT)
    end = min(len(text), where.end + _CONTEXT)
    if start:
        space = text.find(" ", start, where.start)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", where.end, end)
        end = space if space >= 0 else end
    lead = "\u2026" if start else ""
    before = " ".join(text[start : where.start].split())
    inside = " ".join(text[where.start : where.end].split())
    after = " ".join(text[where.end : end].split())
    if before and text[where.start - 1 : where.start].isspace():
        before += " "
    if after and text[where.end : where.end + 1].isspace():
        after = " " + after
    shown = _cut(lead + before + inside + after + ("\u2026" if end < len(text) else ""))
    first = len(lead + before)
    return shown, min(first, len(shown)), min(first + len(inside), len(shown))


def explain(
    name: str,
    result: DedupeResult,
    stream: IO[str],
    width: int | None = None,
    writes: bool = True,
) -> None:
    """The ``--explain`` table on ``stream`` (stderr): one row per removal
    with the removed paragraph and the stretch of the kept paragraph that
    matches it, wrapped to ``width`` (default: :func:`stream_width`). A run
    that writes nothing (``--check``, ``--diff``) says "to remove", as its
    summary line does."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text  # cells are text, never rich markup

    width = width or stream_width(stream)
    console = Console(file=stream, highlight=False, soft_wrap=False, width=width)
    if not result.changed:
        console.print(f"{name}: no repeats", markup=False)
        _print_kept(console, result)
        return
    verb = "removed" if writes else "to remove"
    console.print(f"{name}: {count(len(result.removals), 'paragraph')} {verb}", markup=False)
    table = Table(expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("removed", ratio=1, overflow="fold")
    table.add_column("kept: matching stretch", ratio=1, overflow="fold")
    table.add_column("rule", max_width=max(20, width // 4), overflow="fold")
    for r in result.removals:
        where = stretch(result, r)
        why = f"{r.rule}\nkept {r.source + 1}, score {r.score:.0f}"
        if where.set_aside:
            why += f"\nset aside: \u201c{where.set_aside}\u201d"
        shown, first, last = _around(result.paragraphs[r.source], where)
        kept = Text(shown)
        kept.stylize("bold", first, last)  # the stretch, on a terminal
        table.add_row(
            str(r.index + 1),
            Text(_cut(result.paragraphs[r.index])),
            kept,
            Text(why),
        )
    console.print(table)
    for line in event_lines(result):
        console.print(f"  {line}", markup=False)
    _print_kept(console, result)


def kept_lines(result: DedupeResult) -> list[str]:
    """The repeats kept on purpose, one line each, counted from 1:
    "kept: paragraph 9 repeats 6 (parallel structure: ...)"."""
    return [
        f"kept: paragraph {k.index + 1} repeats {k.source + 1} ({k.reason})" for k in result.kept
    ]


def _print_kept(console: Any, result: DedupeResult) -> None:
    for line in kept_lines(result):
        console.print(f"  {line}", markup=False)
