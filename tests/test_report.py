"""``--report FILE.html``: the page's structure read with html.parser, and the
page rendered by headless Chromium (the distribution's package) with its
JavaScript run, checked element by element."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import SAMPLES, invoke
from newsdedupe import htmlreport
from newsdedupe.config import Options
from newsdedupe.core import Kept, dedupe_text
from newsdedupe.io import InputError

# --- a small DOM from html.parser ----------------------------------------------------

_VOID = {"meta", "input", "br", "link", "img", "hr", "source", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find_all(self, tag: str, cls: str | None = None) -> list[Node]:
        return [n for n in self.walk() if n.tag == tag and (cls is None or cls in n.classes)]

    def by_id(self, ident: str) -> Node:
        (found,) = [n for n in self.walk() if n.attrs.get("id") == ident]
        return found


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def data_of(page: Node) -> list[dict[str, object]]:
    script = page.by_id("report-data")
    assert script.attrs["type"] == "application/json"
    inputs: list[dict[str, object]] = json.loads(script.text)["inputs"]
    return inputs


# --- the run the tests look at --------------------------------------------------------

BAD_ERROR_TAIL = "broken.txt: binary data (NUL bytes), not text; skipped"
SCRIPT_TEXT = "A line that reads </script><script>document.title='owned'</script> in an article."
ESCAPES = f"Escapes\n\n{SCRIPT_TEXT}\n\nSomething else entirely.\n\n{SCRIPT_TEXT}\n"


@pytest.fixture
def run(tmp_path: Path) -> tuple[Path, Path]:
    """A folder of four inputs (a dated copy, a pull quote, no repeats, one
    that fails) plus one with markup in its text, reported into page.html."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("dateline-copy.txt", "pull-quote-near-verbatim.txt", "refrain.txt"):
        shutil.copy(SAMPLES / name, folder / name)
    (folder / "broken.txt").write_bytes(b"Some text\x00\x00 with NUL bytes\n")
    (folder / "escapes.txt").write_text(ESCAPES, encoding="utf-8")
    page = tmp_path / "out" / "page.html"
    page.parent.mkdir()
    return folder, page


def _report(folder: Path, page: Path) -> Node:
    result = invoke([str(folder), "--report", str(page), "--jobs", "1"])
    assert result.code == 3  # one input failed
    assert result.stdout == b""  # a folder with only --report writes no text
    assert f"{folder}/{BAD_ERROR_TAIL}" in result.err
    return parse(page.read_text(encoding="utf-8"))


def test_report_is_one_self_contained_page(run: tuple[Path, Path]) -> None:
    page = _report(*run)
    (csp,) = [m for m in page.find_all("meta") if m.attrs.get("http-equiv")]
    assert csp.attrs["content"] == (
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"
    )
    assert page.find_all("link") == [] and page.find_all("img") == []
    for node in page.walk():
        assert "src" not in node.attrs, node
        assert not node.attrs.get("href", "").startswith(("http:", "https:", "//")), node
    assert [s.attrs.get("type") for s in page.find_all("script")] == ["application/json", None]
    assert os.listdir(run[1].parent) == ["page.html"]  # no temp file left beside it


def test_report_summary_and_failed_inputs(run: tuple[Path, Path]) -> None:
    folder, _ = run
    page = _report(*run)
    stats = {d.attrs["data-key"]: d.find_all("dd")[0].text for d in page.find_all("div", "stat")}
    assert stats == {
        "inputs seen": "5",
        "with removals": "3",
        "without removals": "1",
        "failed": "1",
        "paragraphs removed": "3",
        "characters removed": str(168 + 113 + len(SCRIPT_TEXT) + 2),
        "repeats kept on purpose": "2",  # the refrain's two later copies
    }
    assert page.by_id("settings").text == (
        "dedupe 0.1.0; threshold 90, min length 50, split auto, keep first"
    )
    failed = page.by_id("failed")
    assert failed.find_all("h2")[0].text == "Failed (1)"
    (item,) = failed.find_all("li", "failed-input")
    assert [n.text for n in item.find_all("span")] == [
        f"{folder}/broken.txt",
        f"{folder}/{BAD_ERROR_TAIL}",
    ]


def test_report_data_has_each_removal_with_its_stretch(run: tuple[Path, Path]) -> None:
    folder, _ = run
    inputs = data_of(_report(*run))
    assert [(i["name"], i["status"], i["removed"]) for i in inputs] == [
        (f"{folder}/broken.txt", "failed", 0),
        (f"{folder}/dateline-copy.txt", "changed", 1),
        (f"{folder}/escapes.txt", "changed", 1),
        (f"{folder}/pull-quote-near-verbatim.txt", "changed", 1),
        (f"{folder}/refrain.txt", "unchanged", 0),
    ]
    refrain = inputs[4]["doc"]  # no removals, but repeats kept on purpose: its text is kept
    assert isinstance(refrain, dict)
    assert refrain["kept"] == [
        [5, 3, "refrain: 3 copies at different places"],
        [7, 3, "refrain: 3 copies at different places"],
    ]
    dated = inputs[1]["doc"]
    assert isinstance(dated, dict)
    kept = dated["text"][2]
    assert dated["events"] == ["paragraph 5 repeats 3"]
    assert dated["removals"] == [
        [4, 2, "near-duplicate", 100.0, 0, len(kept), "INNSBRUCK, 12.07.2023 (APA) -"]
    ]
    quote = inputs[3]["doc"]
    assert isinstance(quote, dict)
    ((index, source, rule, score, start, end, aside),) = quote["removals"]
    assert (index, source, rule, score, aside) == (2, 3, "contained", 99.1, "")
    assert quote["text"][source][start:end] == (
        "Children who start an hour later are more awake, they learn more, "
        "and they are late far less often than before"
    )
    escapes = inputs[2]["doc"]
    assert isinstance(escapes, dict)
    assert escapes["text"][3] == SCRIPT_TEXT  # markup in a text stays text


def test_report_of_one_file_keeps_the_text_on_stdout(tmp_path: Path) -> None:
    page = tmp_path / "one.html"
    result = invoke([str(SAMPLES / "dateline-copy.txt"), "--report", str(page)])
    assert result.code == 0
    assert result.stdout == (SAMPLES / "dateline-copy.expected.txt").read_bytes()
    assert [i["name"] for i in data_of(parse(page.read_text(encoding="utf-8")))] == [
        str(SAMPLES / "dateline-copy.txt")
    ]


def test_report_replaces_an_old_page_whole(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("old page", encoding="utf-8")
    result = invoke(["--check", str(SAMPLES / "teaser.txt"), "--report", str(page)])
    assert result.code == 1
    assert page.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert os.listdir(tmp_path) == ["page.html"]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "missing/page.html",
            "{t}: --report: the folder {tmp}/missing does not exist; create it first",
        ),
        ("-", "--report writes a page to a file; give it a FILE.html, not -"),
        ("in.txt", "{tmp}/in.txt: --report names an input; give the page a file of its own"),
    ],
)
def test_report_target_problems_are_usage_errors_before_reading(
    tmp_path: Path, target: str, message: str
) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes((SAMPLES / "teaser.txt").read_bytes())
    t = target if target == "-" else str(tmp_path / target)
    result = invoke([str(source), "--report", t])
    assert result.code == 2
    assert result.stdout == b""
    assert result.err == message.format(t=t, tmp=tmp_path) + "\n"
    assert source.read_bytes() == (SAMPLES / "teaser.txt").read_bytes()


def test_report_of_json_lines_lists_changed_and_bad_records(tmp_path: Path) -> None:
    doubled = (SAMPLES / "doubled-body.txt").read_text(encoding="utf-8")
    shard = tmp_path / "shard.jsonl"
    lines = [
        json.dumps({"id": 1, "text": doubled}),
        json.dumps({"id": 2, "text": "One paragraph only."}),
        "not json",
    ]
    shard.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = tmp_path / "page.html"
    result = invoke(["--jsonl", "--check", str(shard), "--report", str(page)])
    assert result.code == 3
    tree = parse(page.read_text(encoding="utf-8"))
    inputs = data_of(tree)
    assert [(i["name"], i["status"], i["removed"]) for i in inputs] == [
        (f"{shard}:1", "changed", 6),
        (f"{shard}:3", "failed", 0),
    ]
    stats = {d.attrs["data-key"]: d.find_all("dd")[0].text for d in tree.find_all("div", "stat")}
    counts = (stats["records seen"], stats["with removals"], stats["without removals"])
    assert counts == ("3", "1", "1")


def test_review_keeps_text_and_rows_up_to_its_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(htmlreport, "MAX_FULL", 1)
    monkeypatch.setattr(htmlreport, "MAX_ROWS", 2)
    result = dedupe_text((SAMPLES / "teaser.txt").read_text(encoding="utf-8"))
    review = htmlreport.Review(Path("unused.html"), Options())
    for name in ("a.txt", "b.txt", "c.txt"):
        review.add(htmlreport.entry(name, result))
    assert [(i["name"], i["doc"] is None, i.get("cut")) for i in review.items] == [
        ("a.txt", False, None),
        ("b.txt", True, True),
    ]
    assert review.counts["seen"] == 3 and review.counts["changed"] == 3
    notes = [
        n.text
        for n in parse(htmlreport.page(review.items, review.counts, Options())).find_all(
            "p", "note"
        )
    ]
    assert notes == [
        "The text of 1 input after the first 1 with removals is not in this page "
        "(their counts are); review them with a run of their own or with --json.",
        "1 input after the first 2 are counted above but not listed.",
    ]


# --- in a real browser ---------------------------------------------------------------


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed; .ci/run installs it with apt-get")
    pytest.skip("chromium is not installed (apt-get install chromium)")


def render(page: Path, fragment: str, profile: Path) -> Node:
    """The page's DOM after its scripts ran, as headless Chromium dumps it."""
    args = [
        _chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--virtual-time-budget=5000", "--dump-dom",
        page.as_uri() + fragment,
    ]  # fmt: skip
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        out, _ = proc.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # no helper process outlives the test
        proc.wait()
    assert proc.returncode == 0
    dom = parse(out.decode("utf-8"))
    (html_node,) = dom.find_all("html")
    assert html_node.attrs.get("data-ready") == "1"  # the page's script ran to its end
    return dom


def _rows(dom: Node) -> list[list[str]]:
    return [[td.text for td in tr.find_all("td")] for tr in dom.find_all("tr", "input-row")]


def test_browser_lists_inputs_by_what_was_removed(run: tuple[Path, Path], tmp_path: Path) -> None:
    folder, page = run
    _report(folder, page)
    dom = render(page, "", tmp_path / "profile")
    rows = _rows(dom)
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [
        ("2", f"{folder}/dateline-copy.txt", "1", "168"),
        ("4", f"{folder}/pull-quote-near-verbatim.txt", "1", "113"),
        ("3", f"{folder}/escapes.txt", "1", str(len(SCRIPT_TEXT) + 2)),
        ("1", f"{folder}/broken.txt", "0", "0"),
        ("5", f"{folder}/refrain.txt", "0", "0"),
    ]
    assert [r[6] for r in rows] == ["changed"] * 3 + ["failed", "unchanged"]
    (failed,) = dom.find_all("tr", "failed")
    assert (failed.attrs["id"], failed.attrs["title"]) == ("row-1", f"{folder}/{BAD_ERROR_TAIL}")
    assert dom.find_all("tr", "doc-row") == []  # nothing is built before it is opened
    assert dom.find_all("title")[0].text == "dedupe report: 5 inputs"


def test_browser_sorts_by_name_from_the_address(run: tuple[Path, Path], tmp_path: Path) -> None:
    folder, page = run
    _report(folder, page)
    dom = render(page, "#sort=name", tmp_path / "profile")
    names = [r[1] for r in _rows(dom)]
    assert names == sorted(names) and len(names) == 5
    pressed = [
        b.attrs["data-sort"]
        for b in dom.find_all("button")
        if b.attrs.get("aria-pressed") == "true"
    ]
    assert pressed == ["name"]


def test_browser_strikes_removed_text_and_links_the_kept_stretch(
    run: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, page = run
    _report(folder, page)
    dom = render(page, "#open=4", tmp_path / "profile")  # the pull quote
    doc = dom.by_id("doc-4")
    removed = doc.by_id("in4-p3")
    assert removed.classes == ["removed"]
    paragraphs = (SAMPLES / "pull-quote-near-verbatim.txt").read_text(encoding="utf-8")
    paragraphs = paragraphs.rstrip("\n").split("\n\n")
    (struck,) = removed.find_all("del")
    assert struck.text == paragraphs[2]
    (link,) = removed.find_all("a", "source-link")
    assert link.attrs["href"] == "#in4-p4"
    assert link.text == "kept paragraph 4"
    assert removed.find_all("span", "why")[0].text == (
        "removed: contained, score 99.1, covered by kept paragraph 4"
    )
    kept = doc.by_id("in4-p4")
    (mark,) = kept.find_all("mark", "stretch")
    assert mark.attrs["data-for"] == "3"
    assert mark.text == (
        "Children who start an hour later are more awake, they learn more, "
        "and they are late far less often than before"
    )
    assert kept.text == paragraphs[3]  # and the rest of the kept paragraph around it
    assert len(doc.find_all("li")) == 5
    assert [p.text for p in doc.find_all("p", "events")] == ["paragraph 3 repeats 4"]


def test_browser_shows_markup_in_a_text_as_text(run: tuple[Path, Path], tmp_path: Path) -> None:
    folder, page = run
    _report(folder, page)
    dom = render(page, "#open=3", tmp_path / "profile")
    assert dom.find_all("title")[0].text == "dedupe report: 5 inputs"
    assert dom.by_id("in3-p4").find_all("del")[0].text == SCRIPT_TEXT
    assert dom.by_id("in3-p2").text == SCRIPT_TEXT


def test_browser_names_the_set_aside_dateline(run: tuple[Path, Path], tmp_path: Path) -> None:
    folder, page = run
    _report(folder, page)
    dom = render(page, "#open=2", tmp_path / "profile")
    why = dom.by_id("in2-p5").find_all("span", "why")[0].text
    assert why == (
        "removed: near-duplicate, score 100, covered by kept paragraph 3, "
        "set aside: \u201cINNSBRUCK, 12.07.2023 (APA) -\u201d"
    )


def test_browser_builds_5000_inputs_a_page_at_a_time(tmp_path: Path) -> None:
    result = dedupe_text((SAMPLES / "teaser.txt").read_text(encoding="utf-8"))
    plain = dedupe_text("A single paragraph without any repeat in it at all.\n")
    review = htmlreport.Review(tmp_path / "big.html", Options())
    for n in range(5000):
        name = f"site/article{n:05d}.txt"
        review.add(htmlreport.entry(name, result if n % 5 == 0 else plain))
    review.write()
    # most removed first: the 1,000 with removals, in run order; the 1,000th is #4996
    dom = render(tmp_path / "big.html", "#open=4996", tmp_path / "profile")
    rows = dom.find_all("tr", "input-row")
    assert len(rows) == 1000  # the rows up to the opened input, not all 5,000
    assert rows[-1].attrs["id"] == "row-4996"
    assert dom.by_id("more").text == "show more (4,000 left)"
    (opened,) = dom.find_all("tr", "doc-row")
    assert opened.attrs["id"] == "doc-4996"
    assert len(opened.find_all("li", "removed")) == len(result.removals)
    first = render(tmp_path / "big.html", "", tmp_path / "profile2")
    assert len(first.find_all("tr", "input-row")) == htmlreport.PAGE_ROWS
    assert first.by_id("more").text == "show more (4,500 left)"
    assert first.find_all("tr", "doc-row") == []


def test_browser_marks_repeats_kept_on_purpose(tmp_path: Path) -> None:
    # The core lists repeats it keeps on purpose in DedupeResult.kept; the
    # refrain's second and third copies are given as such here.
    result = dedupe_text((SAMPLES / "refrain.txt").read_text(encoding="utf-8"))
    refrain = [Kept(5, 3, "refrain, 3 copies"), Kept(7, 3, "refrain, 3 copies")]
    item = htmlreport.entry("refrain.txt", replace(result, kept=refrain))
    assert (item["status"], item["kept"], item["removed"]) == ("unchanged", 2, 0)
    review = htmlreport.Review(tmp_path / "kept.html", Options())
    review.add(item)
    review.write()
    dom = render(tmp_path / "kept.html", "#open=1", tmp_path / "profile")
    marked = dom.find_all("li", "kept-repeat")
    assert [li.attrs["id"] for li in marked] == ["in1-p6", "in1-p8"]
    assert marked[0].find_all("span", "why")[0].text == (
        "kept on purpose: refrain, 3 copies (repeats paragraph 4)"
    )
    assert dom.find_all("li", "removed") == []


def test_report_from_worker_processes_matches_one_process(run: tuple[Path, Path]) -> None:
    folder, page = run
    alone = data_of(_report(folder, page))
    result = invoke([str(folder), "--report", str(page), "--jobs", "2"])
    assert result.code == 3
    assert data_of(parse(page.read_text(encoding="utf-8"))) == alone


def test_a_page_that_cannot_be_written_fails_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(path: Path, data: bytes) -> None:
        raise InputError(f"{path}: cannot be written (No space left on device)")

    monkeypatch.setattr(htmlreport, "atomic_write", full_disk)
    page = tmp_path / "page.html"
    result = invoke([str(SAMPLES / "teaser.txt"), "--report", str(page)])
    assert result.code == 3
    assert result.stdout == (SAMPLES / "teaser.expected.txt").read_bytes()
    assert result.err == (
        f"{page}: cannot be written (No space left on device); the --report page was not written\n"
    )
    assert not page.exists()
