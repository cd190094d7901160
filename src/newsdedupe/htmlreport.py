"""``--report FILE.html``: one static page to review what a run removed.

The page is self-contained (inline CSS and JavaScript, no network: its
Content-Security-Policy forbids every fetch) and works from a file:// URL.

What flows where: for each input, the process that cleaned it (a worker in
folder mode) turns its result into a small JSON-ready *entry* with
:func:`entry`: counts, and for an input with removals or kept repeats its
paragraphs, each removal (rule, score, the kept paragraph and the matching
stretch in it, a set-aside dateline) and each kept repeat. An input without
either is only counted and listed, its text is not kept. The parent adds
entries to a :class:`Review`, which writes the page atomically at the end.

Size: the page lists every input up to :data:`MAX_ROWS` and keeps the text of
the first :data:`MAX_FULL` inputs with removals, kept repeats or errors;
the rest are counted in the summary, which says so. In the browser the table
shows :data:`PAGE_ROWS` rows at a time, and an input's paragraphs are built
only when it is opened, so 5,000 inputs stay one small table.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from newsdedupe import __version__, render
from newsdedupe.config import Options
from newsdedupe.core import DedupeResult
from newsdedupe.io import atomic_write

MAX_FULL = 10_000
"""Inputs whose text the page holds: about 5 KB each for a news article, so
the page stays under about 50 MB, which browsers open in seconds."""

MAX_ROWS = 200_000
"""Inputs listed in the table (a row is about 100 bytes of the page)."""

PAGE_ROWS = 500
"""Rows shown at a time; "show more" adds as many again."""


def entry(name: str, result: DedupeResult) -> dict[str, Any]:
    """What the page needs of one cleaned input: counts, and the paragraphs
    with every removal and kept repeat when there are any."""
    item: dict[str, Any] = {
        "name": name,
        "status": "changed" if result.changed else "unchanged",
        "paras": len(result.paragraphs),
        "removed": len(result.removals),
        "chars": result.removed_chars,
        "kept": len(result.kept),
        "error": None,
        "doc": None,
    }
    if result.removals or result.kept:
        removals = []
        for r in result.removals:
            where = render.stretch(result, r)
            removals.append(
                [r.index, r.source, r.rule, round(r.score, 1), where.start, where.end,
                 where.set_aside]
            )
        item["doc"] = {
            "text": result.paragraphs,
            "removals": removals,
            "kept": [[k.index, k.source, k.reason] for k in result.kept],
            "events": render.event_lines(result),
        }
    return item


def failed_entry(name: str, error: str) -> dict[str, Any]:
    """An input that could not be cleaned; ``error`` is its one-line message."""
    return {
        "name": name,
        "status": "failed",
        "paras": 0,
        "removed": 0,
        "chars": 0,
        "kept": 0,
        "error": error,
        "doc": None,
    }


class Review:
    """The entries of a run, collected in the parent, and the page made of them."""

    def __init__(self, target: Path, options: Options, unit: str = "inputs") -> None:
        self.target = target
        self.options = options
        self.unit = unit
        self.items: list[dict[str, Any]] = []
        self.full = 0
        self.counts = dict.fromkeys(
            ("seen", "changed", "unchanged", "failed", "removed", "chars", "kept", "unlisted",
             "text_left_out"),
            0,
        )

    def add(self, item: dict[str, Any]) -> None:
        counts = self.counts
        counts["seen"] += 1
        counts[str(item["status"])] += 1
        counts["removed"] += item["removed"]
        counts["chars"] += item["chars"]
        counts["kept"] += item["kept"]
        if len(self.items) >= MAX_ROWS:
            counts["unlisted"] += 1
            return
        if item["doc"] is not None or item["error"] is not None:
            if self.full >= MAX_FULL:
                item = {**item, "doc": None, "cut": True}
                counts["text_left_out"] += 1
            else:
                self.full += 1
        self.items.append(item)

    def add_unchanged(self, count: int) -> None:
        """Records without repeats (JSON Lines): counted, not listed."""
        self.counts["seen"] += count
        self.counts["unchanged"] += count

    def write(self) -> None:
        """The page, written atomically (the old report stays whole until
        the new one replaces it)."""
        atomic_write(self.target, page(self.items, self.counts, self.options, self.unit).encode())


def _number(n: int) -> str:
    return f"{n:,}"


def _plural(n: int, one: str, many: str) -> str:
    return f"{_number(n)} {one if n == 1 else many}"


def _summary(counts: dict[str, int], unit: str) -> str:
    singular = unit[:-1]
    rows = [
        (f"{unit} seen", _number(counts["seen"])),
        ("with removals", _number(counts["changed"])),
        ("without removals", _number(counts["unchanged"])),
        ("failed", _number(counts["failed"])),
        ("paragraphs removed", _number(counts["removed"])),
        ("characters removed", _number(counts["chars"])),
        ("repeats kept on purpose", _number(counts["kept"])),
    ]
    cells = "".join(
        f'<div class="stat" data-key="{html.escape(key)}"><dt>{html.escape(key)}</dt>'
        f"<dd>{value}</dd></div>"
        for key, value in rows
    )
    notes = []
    if counts["text_left_out"]:
        notes.append(
            f"The text of {_plural(counts['text_left_out'], singular, unit)} after the first "
            f"{_number(MAX_FULL)} with removals is not in this page (their counts are); "
            "review them with a run of their own or with --json."
        )
    if counts["unlisted"]:
        notes.append(
            f"{_plural(counts['unlisted'], singular, unit)} after the first "
            f"{_number(MAX_ROWS)} are counted above but not listed."
        )
    note = "".join(f'<p class="note">{html.escape(n)}</p>' for n in notes)
    return f'<dl id="summary">{cells}</dl>{note}'


def _failed(items: list[dict[str, Any]], counts: dict[str, int]) -> str:
    failed = [item for item in items if item["status"] == "failed"]
    if not counts["failed"]:
        return '<section id="failed" hidden></section>'
    rows = "".join(
        f'<li class="failed-input"><span class="name">{html.escape(item["name"])}</span>'
        f'<span class="error">{html.escape(str(item["error"]))}</span></li>'
        for item in failed
    )
    return (
        f'<section id="failed"><h2>Failed ({_number(counts["failed"])})</h2>'
        f"<ul>{rows}</ul></section>"
    )


def _data(items: list[dict[str, Any]]) -> str:
    """The entries as JSON that cannot end the script element early."""
    text = json.dumps({"inputs": items, "page": PAGE_ROWS}, ensure_ascii=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def page(
    items: list[dict[str, Any]], counts: dict[str, int], options: Options, unit: str = "inputs"
) -> str:
    """The whole page for these entries and counts."""
    settings = (
        f"threshold {options.threshold:g}, min length {options.min_length}, "
        f"split {options.split}, keep {options.keep}"
    )
    title = f"dedupe report: {_plural(counts['seen'], unit[:-1], unit)}"
    return _PAGE.format(
        title=html.escape(title),
        css=_CSS,
        summary=_summary(counts, unit),
        settings=html.escape(f"dedupe {__version__}; {settings}"),
        failed=_failed(items, counts),
        unit=html.escape(unit[:-1]),
        data=_data(items),
        js=_JS,
    )


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; \
style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header>
<h1>{title}</h1>
{summary}
<p id="settings">{settings}</p>
</header>
<main>
{failed}
<section id="inputs">
<h2>Inputs</h2>
<p class="controls">Sort by
<button type="button" data-sort="removed">paragraphs removed</button>
<button type="button" data-sort="chars">characters removed</button>
<button type="button" data-sort="kept">kept repeats</button>
<button type="button" data-sort="name">name</button>
<button type="button" data-sort="order">run order</button>
<label><input type="checkbox" id="only-changed"> only with removals</label></p>
<noscript><p>The table and the texts need JavaScript.</p></noscript>
<table id="input-table">
<thead><tr><th>#</th><th>{unit}</th><th>paragraphs</th><th>removed</th>\
<th>characters</th><th>kept</th><th>status</th></tr></thead>
<tbody></tbody>
</table>
<p><button type="button" id="more" hidden>show more</button></p>
</section>
</main>
<script type="application/json" id="report-data">{data}</script>
<script>{js}</script>
</body>
</html>
"""

_CSS = """
:root { color-scheme: light; --rm: #b3261e; --mark: #ffe58a; --line: #d8dbe0; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0;
  color: #1d2126; background: #f6f7f9; }
header, main { max-width: 1100px; margin: 0 auto; padding: 0 20px; }
h1 { font-size: 22px; margin: 20px 0 12px; }
h2 { font-size: 17px; margin: 22px 0 8px; }
#summary { display: flex; flex-wrap: wrap; gap: 8px; margin: 0; }
.stat { background: #fff; border: 1px solid var(--line); border-radius: 6px;
  padding: 6px 12px; }
.stat dt { font-size: 12px; color: #5b626b; }
.stat dd { margin: 0; font-size: 18px; font-weight: 600; }
#settings, .note { color: #5b626b; font-size: 13px; }
#failed ul { padding-left: 20px; }
.failed-input .name { font-weight: 600; margin-right: 8px; }
.failed-input .error, tr.failed td { color: var(--rm); }
.controls button { font: inherit; font-size: 13px; padding: 2px 8px; border-radius: 4px;
  border: 1px solid var(--line); background: #fff; cursor: pointer; }
.controls button[aria-pressed="true"] { background: #1d2126; color: #fff; }
.controls label { margin-left: 12px; font-size: 13px; }
table { border-collapse: collapse; width: 100%; background: #fff;
  border: 1px solid var(--line); }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: right;
  vertical-align: top; }
th:nth-child(2), td:nth-child(2), td.doc-cell { text-align: left; }
th:nth-child(2) { width: 45%; }
td:nth-child(2) { overflow-wrap: anywhere; }
td.doc-cell { background: #fbfbfc; padding: 10px 16px; }
button.open { font: inherit; border: 0; background: none; color: #0b57d0;
  cursor: pointer; padding: 0; text-align: left; }
ol.paras { margin: 0; padding-left: 36px; }
ol.paras li { margin: 0 0 8px; padding: 2px 6px; border-radius: 4px; }
ol.paras li.removed { background: #fdecea; }
ol.paras li.removed del { color: var(--rm); text-decoration-thickness: 1px; }
ol.paras li.kept-repeat { background: #eaf4ea; }
.events { margin: 0 0 8px; font-size: 13px; color: #5b626b; }
.why { display: block; font-size: 12px; color: #5b626b; }
.why a { color: #0b57d0; }
mark { background: var(--mark); padding: 0 1px; }
mark.flash, li.flash { outline: 2px solid #0b57d0; }
"""

_JS = r"""
"use strict";
const DATA = JSON.parse(document.getElementById("report-data").textContent);
const INPUTS = DATA.inputs;
const tbody = document.querySelector("#input-table tbody");
const more = document.getElementById("more");
const onlyChanged = document.getElementById("only-changed");
let order = INPUTS.map((_, i) => i);
let shown = DATA.page;
let sortKey = "removed";

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props || {});
  for (const child of children) node.append(child);
  return node;
}

const KEYS = {
  removed: (a, b) => b.removed - a.removed || b.chars - a.chars,
  chars: (a, b) => b.chars - a.chars || b.removed - a.removed,
  kept: (a, b) => b.kept - a.kept,
  name: (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  order: () => 0,
};

function sortBy(key) {
  if (!(key in KEYS)) return;
  sortKey = key;
  const cmp = KEYS[key];
  order = INPUTS.map((_, i) => i);
  if (onlyChanged.checked) order = order.filter((i) => INPUTS[i].removed > 0);
  order.sort((a, b) => cmp(INPUTS[a], INPUTS[b]) || a - b);
  for (const b of document.querySelectorAll("[data-sort]"))
    b.setAttribute("aria-pressed", String(b.dataset.sort === key));
  renderRows();
}

function renderRows() {
  const rows = [];
  for (const i of order.slice(0, shown)) rows.push(row(i));
  tbody.replaceChildren(...rows);
  more.hidden = order.length <= shown;
  more.textContent = "show more (" + (order.length - shown).toLocaleString("en") + " left)";
}

function row(i) {
  const e = INPUTS[i];
  const tr = el("tr", { id: "row-" + (i + 1), className: "input-row " + e.status });
  let name;
  if (e.doc) {
    name = el("button", { type: "button", className: "open", textContent: e.name });
    name.setAttribute("aria-expanded", "false");
    name.addEventListener("click", () => toggle(i));
  } else {
    name = e.name + (e.cut ? " (text not in this page)" : "");
  }
  const cells = [String(i + 1), name, e.paras, e.removed, e.chars, e.kept, e.status];
  for (const c of cells)
    tr.append(el("td", {}, typeof c === "number" ? c.toLocaleString("en") : c));
  if (e.error) tr.title = e.error;  // (the reason is also in the list of failed inputs)
  return tr;
}

function toggle(i) {
  const tr = document.getElementById("row-" + (i + 1));
  const button = tr.querySelector("button.open");
  const open = document.getElementById("doc-" + (i + 1));
  if (open) {
    open.remove();
    button.setAttribute("aria-expanded", "false");
    return null;
  }
  const cell = el("td", { colSpan: 7, className: "doc-cell" }, renderDoc(i));
  const detail = el("tr", { id: "doc-" + (i + 1), className: "doc-row" }, cell);
  tr.after(detail);
  button.setAttribute("aria-expanded", "true");
  return detail;
}

function merged(ranges) {
  ranges.sort((a, b) => a[0] - b[0]);
  const out = [];
  for (const [s, e, who] of ranges) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) {
      last[1] = Math.max(last[1], e);
      last[2].push(who);
    } else out.push([s, e, [who]]);
  }
  return out;
}

function renderDoc(i) {
  const d = INPUTS[i].doc;
  const base = "in" + (i + 1) + "-p";
  const removed = new Map(d.removals.map((r) => [r[0], r]));
  const kept = new Map(d.kept.map((k) => [k[0], k]));
  const marks = new Map();
  for (const r of d.removals) {
    if (!marks.has(r[1])) marks.set(r[1], []);
    marks.get(r[1]).push([r[4], r[5], r[0] + 1]);
  }
  const runs = el("p", { className: "events", textContent: d.events.join("; ") });
  const ol = el("ol", { className: "paras" });
  d.text.forEach((text, k) => {
    const li = el("li", { id: base + (k + 1), value: k + 1, dir: "auto" });
    const r = removed.get(k);
    if (r) {
      li.className = "removed";
      const link = el("a", { href: "#" + base + (r[1] + 1), className: "source-link",
        textContent: "kept paragraph " + (r[1] + 1) });
      link.addEventListener("click", (ev) => { ev.preventDefault(); flash(base, r); });
      const why = el("span", { className: "why" }, "removed: " + r[2] + ", score " + r[3] +
        ", covered by ", link);
      if (r[6]) why.append(", set aside: \u201c" + r[6] + "\u201d");
      li.append(el("del", { textContent: text }), why);
    } else {
      const cps = Array.from(text);
      let at = 0;
      for (const [s, e, who] of merged(marks.get(k) || [])) {
        li.append(cps.slice(at, s).join(""));
        const m = el("mark", { className: "stretch", textContent: cps.slice(s, e).join("") });
        m.dataset.for = who.join(" ");
        li.append(m);
        at = e;
      }
      li.append(cps.slice(at).join(""));
      const keep = kept.get(k);
      if (keep) {
        li.className = "kept-repeat";
        li.append(el("span", { className: "why", textContent: "kept on purpose: " + keep[2] +
          " (repeats paragraph " + (keep[1] + 1) + ")" }));
      }
    }
    ol.append(li);
  });
  const box = el("div", { className: "doc" });
  if (d.events.length) box.append(runs);
  box.append(ol);
  return box;
}

function flash(base, r) {
  for (const old of document.querySelectorAll(".flash")) old.classList.remove("flash");
  const target = document.getElementById(base + (r[1] + 1));
  const mark = Array.from(target.querySelectorAll("mark")).find(
    (m) => m.dataset.for.split(" ").includes(String(r[0] + 1)));
  (mark || target).classList.add("flash");
  (mark || target).scrollIntoView({ block: "center" });
}

for (const b of document.querySelectorAll("[data-sort]"))
  b.addEventListener("click", () => { shown = DATA.page; sortBy(b.dataset.sort); });
onlyChanged.addEventListener("change", () => sortBy(sortKey));
more.addEventListener("click", () => { shown += DATA.page; renderRows(); });

// The address can say how to open the page: #sort=name&open=3 (run order, from 1).
const want = new URLSearchParams(location.hash.slice(1));
sortBy(want.get("sort") || "removed");
const open = Number(want.get("open"));
if (open >= 1 && open <= INPUTS.length && INPUTS[open - 1].doc) {
  const place = order.indexOf(open - 1);
  if (place >= shown) { shown = place + 1; renderRows(); }
  if (place >= 0) {
    toggle(open - 1);
    document.getElementById("row-" + open).scrollIntoView({ block: "nearest" });
  }
}
document.documentElement.dataset.ready = "1";
"""


def collect(into: list[dict[str, Any]], name: str, result: DedupeResult) -> bool:
    """Add ``name``'s entry to ``into`` (a JSON Lines shard's list, sent to the
    parent) when it has removals or kept repeats, with its text while the list
    is under :data:`MAX_FULL`; False when the record is only to be counted."""
    if not (result.removals or result.kept):
        return False
    item = entry(name, result)
    if len(into) >= MAX_FULL:
        item["doc"] = None
    into.append(item)
    return True
