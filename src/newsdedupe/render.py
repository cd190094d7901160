"""Views of the removal records: the ``--explain`` table, the ``--json``
object and the ``--diff``. The only module that imports rich, and only when a
table is actually drawn, so start-up stays fast.
"""

from __future__ import annotations

from typing import IO, Any

from newsdedupe.core import DedupeResult

_PREVIEW = 80
_LOG_WIDTH = 120


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


def explain(name: str, result: DedupeResult, stream: IO[str]) -> None:
    """The ``--explain`` table: one row per removal, on ``stream`` (stderr)."""
    from rich.console import Console
    from rich.table import Table

    # A log file or pipe gets a fixed, readable width instead of rich's 80.
    width = None if stream.isatty() else _LOG_WIDTH
    console = Console(file=stream, highlight=False, soft_wrap=False, width=width)
    if not result.changed:
        console.print(f"{name}: no repeats", markup=False)
        return
    table = Table(
        title=f"{name}: {len(result.removals)} paragraph(s) removed", title_justify="left"
    )
    table.add_column("#", justify="right")
    table.add_column("removed")
    table.add_column("kept #", justify="right")
    table.add_column("kept paragraph")
    table.add_column("rule")
    table.add_column("score", justify="right")
    for r in result.removals:
        table.add_row(
            str(r.index + 1),
            preview(result.paragraphs[r.index], 40),
            str(r.source + 1),
            preview(result.paragraphs[r.source], 40),
            r.rule,
            f"{r.score:.0f}",
        )
    console.print(table)
    for line in event_lines(result):
        console.print(f"  {line}", markup=False)
