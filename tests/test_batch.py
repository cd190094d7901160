"""Folder mode (SPEC.md section 3): a tree in, the same tree out, every file
exactly what ``dedupe FILE`` gives for it; bad files reported and left alone;
results independent of --jobs; atomic in-place rewrites; --check, --diff and
the JSON Lines report; refusal of an output inside the input."""

from __future__ import annotations

import io
import json
import os
import random
import re
import stat
from pathlib import Path

import pytest

from conftest import invoke
from newsdedupe import batch
from newsdedupe.batch import Task
from newsdedupe.progress import PlainProgress, RichProgress, open_progress

ARTICLES = [
    "2024-01-02/harbour.txt",
    "2024-01-02/late/extra.txt",
    "2024-01-02/weather.txt",
    "2024-01-03/courier/front.txt",
    "2024-01-03/courier/inside.txt",
    "top.txt",
]
"""The article files of the test crawl, relative to its root, sorted."""

NAMES = ["Marta Ilves", "Joss Okafor", "Wen Liang", "Petra Dvorak", "Aled Morgan", "Rosa Quint"]
TOWNS = ["Harrowby", "Kesteloo", "Port Ambry", "Vellmoor", "Idris Bay", "Calder Vale"]
THINGS = [
    "ferry link",
    "library annex",
    "water tariff",
    "tram depot",
    "harbour wall",
    "school bus contract",
]
VERBS = ["rise", "fall", "be reviewed", "be delayed", "be expanded", "be cut"]
MONTHS = ["March", "June", "September", "November"]


def paragraph(rng: random.Random) -> str:
    """One made-up news paragraph, long enough to count as prose."""
    return (
        f"{rng.choice(NAMES)} told reporters in {rng.choice(TOWNS)} that the "
        f"{rng.choice(THINGS)} would {rng.choice(VERBS)} by {rng.randint(2, 97)} percent "
        f"before {rng.choice(MONTHS)} {rng.randint(2025, 2031)}. "
        f"Residents of {rng.choice(TOWNS)} asked for {rng.randint(3, 900)} more "
        f"hearings on the {rng.choice(THINGS)}."
    )


def article(seed: int, doubled: bool, newline: str = "\n") -> bytes:
    """A title and a body; with ``doubled`` the body is printed twice (a
    scraper artifact the core must remove)."""
    rng = random.Random(seed)
    body = [paragraph(rng) for _ in range(rng.randint(3, 5))]
    lines = [f"Council notes no. {seed}", "", *body, *(body if doubled else [])]
    return (newline.join(lines) + newline).encode("utf-8")


def build_tree(root: Path) -> dict[str, bool]:
    """Nested folders of good articles; returns {relative path: doubled}."""
    layout = {
        "2024-01-02/harbour.txt": True,
        "2024-01-02/weather.txt": False,
        "2024-01-02/late/extra.txt": True,
        "2024-01-03/courier/front.txt": False,
        "2024-01-03/courier/inside.txt": True,
        "top.txt": False,
    }
    for i, (rel, doubled) in enumerate(layout.items()):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(article(i, doubled, "\r\n" if i == 4 else "\n"))
    (root / "2024-01-02" / "notes.md").write_bytes(article(50, True))  # not *.txt
    (root / ".cache").mkdir()
    (root / ".cache" / "old.txt").write_bytes(article(51, True))  # hidden folder
    (root / "2024-01-03" / ".draft.txt").write_bytes(article(52, True))  # hidden file
    return layout


def add_bad_files(root: Path) -> dict[str, bytes]:
    """Files that must fail; returns {relative path: bytes before the run}."""
    bad = {
        "2024-01-02/photo.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "2024-01-03/latin1.txt": "Caf\u00e9 au lait in Kesteloo\n".encode("latin-1"),
    }
    for rel, data in bad.items():
        (root / rel).write_bytes(data)
    return bad


def single(path: Path) -> bytes:
    """What ``dedupe FILE`` prints for one file: the reference for folder mode."""
    outcome = invoke([str(path)])
    assert outcome.code == 0, outcome.err
    return outcome.stdout


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden ones too), by relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def report(path: Path) -> list[dict[str, object]]:
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return sorted(records, key=lambda r: str(r["path"]))


def summary_counts(stderr: str) -> dict[str, int]:
    match = re.search(
        r"([\d,]+) files? seen, ([\d,]+) changed, ([\d,]+) unchanged, ([\d,]+) failed; "
        r"([\d,]+) paragraphs? and ([\d,]+) characters?",
        stderr,
    )
    assert match, stderr
    keys = ["seen", "changed", "unchanged", "failed", "paragraphs", "chars"]
    counts = (int(group.replace(",", "")) for group in match.groups())
    return dict(zip(keys, counts, strict=True))


@pytest.fixture
def crawl(tmp_path: Path) -> Path:
    root = tmp_path / "crawl"
    build_tree(root)
    return root


# ------------------------------------------------------------------ -o DIR


def test_output_tree_mirrors_input_and_each_file_equals_dedupe_file(
    crawl: Path, tmp_path: Path
) -> None:
    out = tmp_path / "clean"
    outcome = invoke([str(crawl), "-o", str(out), "--jobs", "2"])
    assert outcome.code == 0, outcome.err
    assert outcome.stdout == b""
    written = tree(out)
    expected = ARTICLES
    assert sorted(written) == expected
    for rel, data in written.items():
        assert data == single(crawl / rel), rel
    # doubled bodies lost their copy; clean files came through byte for byte
    for rel in [
        "2024-01-02/harbour.txt",
        "2024-01-02/late/extra.txt",
        "2024-01-03/courier/inside.txt",
    ]:
        assert len(written[rel]) < len((crawl / rel).read_bytes())
    for rel in ["2024-01-02/weather.txt", "2024-01-03/courier/front.txt", "top.txt"]:
        assert written[rel] == (crawl / rel).read_bytes()
    singles = [json.loads(invoke([str(crawl / rel), "--json", "-"]).out) for rel in expected]
    assert summary_counts(outcome.err) == {
        "seen": 6,
        "changed": 3,
        "unchanged": 3,
        "failed": 0,
        "paragraphs": sum(r["removed_paragraphs"] for r in singles),
        "chars": sum(r["removed_chars"] for r in singles),
    }


def test_jobs_1_and_jobs_2_give_identical_trees_and_reports(crawl: Path, tmp_path: Path) -> None:
    add_bad_files(crawl)
    runs = {}
    for jobs in ("1", "2"):
        out, rep = tmp_path / f"out{jobs}", tmp_path / f"report{jobs}.jsonl"
        outcome = invoke([str(crawl), "-o", str(out), "--jobs", jobs, "--json", str(rep)])
        assert outcome.code == 3, outcome.err
        runs[jobs] = (tree(out), report(rep))
    assert runs["1"] == runs["2"]
    records = runs["1"][1]
    assert [r["path"] for r in records] == sorted(
        str(crawl / rel)
        for rel in [
            "2024-01-02/harbour.txt",
            "2024-01-02/late/extra.txt",
            "2024-01-02/photo.txt",
            "2024-01-02/weather.txt",
            "2024-01-03/courier/front.txt",
            "2024-01-03/courier/inside.txt",
            "2024-01-03/latin1.txt",
            "top.txt",
        ]
    )
    assert [r["status"] for r in records] == [
        "changed",
        "changed",
        "failed",
        "unchanged",
        "unchanged",
        "changed",
        "failed",
        "unchanged",
    ]


def test_bad_files_are_reported_left_untouched_and_the_rest_is_written(
    crawl: Path, tmp_path: Path
) -> None:
    bad = add_bad_files(crawl)
    before = tree(crawl)
    out = tmp_path / "clean"
    outcome = invoke(
        [str(crawl), "-o", str(out), "--jobs", "2", "--json", str(tmp_path / "r.jsonl")]
    )
    assert outcome.code == 3
    errors = sorted(line for line in outcome.err.splitlines() if not line.startswith("dedupe:"))
    photo_error = f"{crawl / '2024-01-02/photo.txt'}: binary data (NUL bytes), not text; skipped"
    latin_error = (
        f"{crawl / '2024-01-03/latin1.txt'}: not valid utf-8 (byte 3); "
        "name its encoding with --encoding"
    )
    assert errors == [photo_error, latin_error]
    assert tree(crawl) == before
    written = tree(out)
    assert not set(bad) & set(written)
    assert len(written) == 6
    for rel, data in written.items():
        assert data == single(crawl / rel)
    counts = summary_counts(outcome.err)
    assert [counts[k] for k in ("seen", "failed", "changed", "unchanged")] == [8, 2, 3, 3]
    failed = [r for r in report(tmp_path / "r.jsonl") if r["status"] == "failed"]
    assert failed == [
        {"path": str(crawl / "2024-01-02/photo.txt"), "status": "failed", "error": photo_error},
        {"path": str(crawl / "2024-01-03/latin1.txt"), "status": "failed", "error": latin_error},
    ]


def test_unwritable_destination_fails_that_file_only_and_leaves_no_partial_file(
    crawl: Path, tmp_path: Path
) -> None:
    out = tmp_path / "clean"
    (out / "2024-01-02").mkdir(parents=True)
    (out / "2024-01-02" / "late").write_bytes(b"a file where a folder must go\n")
    (out / "top.txt").mkdir()  # a folder where a file must go
    outcome = invoke([str(crawl), "-o", str(out), "--jobs", "2"])
    assert outcome.code == 3
    errors = sorted(line for line in outcome.err.splitlines() if not line.startswith("dedupe:"))
    assert len(errors) == 2
    assert errors[0].startswith(
        f"{out / '2024-01-02/late/extra.txt'}: cannot be written (cannot create folder"
    )
    assert errors[1].startswith(f"{out / 'top.txt'}: cannot be written (")
    assert errors[1].endswith("; nothing changed")
    written = tree(out)
    assert written.pop("2024-01-02/late") == b"a file where a folder must go\n"
    assert sorted(written) == [
        "2024-01-02/harbour.txt",
        "2024-01-02/weather.txt",
        "2024-01-03/courier/front.txt",
        "2024-01-03/courier/inside.txt",
    ]
    assert not list((out / "top.txt").iterdir())


def test_file_vanishing_during_the_run_is_one_failure(
    crawl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder is listed before its files are read: a file deleted in
    between fails alone."""
    real = batch.clean_file
    victim = crawl / "2024-01-02" / "weather.txt"

    def delete_then_clean(task: Task, settings: batch.Work) -> batch.FileResult:
        if task.label.endswith("harbour.txt"):
            victim.unlink()
        return real(task, settings)

    monkeypatch.setattr(batch, "clean_file", delete_then_clean)
    outcome = invoke([str(crawl), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert outcome.code == 3
    assert f"{victim}: no such file; check the path\n" in outcome.err
    assert len(tree(tmp_path / "out")) == 5


def test_a_bug_on_one_file_is_that_files_failure(
    crawl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = batch.clean_bytes

    def explode(data: bytes, name: str, settings: batch.Work) -> object:
        if name.endswith("front.txt"):
            raise RuntimeError("boom")
        return real(data, name, settings)

    monkeypatch.setattr(batch, "clean_bytes", explode)
    outcome = invoke([str(crawl), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert outcome.code == 3
    front = crawl / "2024-01-03/courier/front.txt"
    assert f"{front}: internal error (RuntimeError: boom); skipped\n" in outcome.err
    assert sorted(tree(tmp_path / "out")) == [
        "2024-01-02/harbour.txt",
        "2024-01-02/late/extra.txt",
        "2024-01-02/weather.txt",
        "2024-01-03/courier/inside.txt",
        "top.txt",
    ]


def crash_on_marker(task: Task, settings: batch.Work) -> batch.FileResult:
    """Stands in for the worker function: the process dies on one file."""
    if task.label.endswith("inside.txt"):
        os._exit(7)
    return batch.clean_file(task, settings)


def test_a_worker_crash_is_that_files_failure_not_a_hang(
    crawl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "clean_file", crash_on_marker)
    out = tmp_path / "out"
    outcome = invoke(
        [str(crawl), "-o", str(out), "--jobs", "2", "--json", str(tmp_path / "r.jsonl")]
    )
    assert outcome.code == 3
    inside = crawl / "2024-01-03/courier/inside.txt"
    errors = [line for line in outcome.err.splitlines() if not line.startswith("dedupe:")]
    assert errors == [
        f"{inside}: the worker process died while cleaning it (crash or out of memory); skipped"
    ]
    written = tree(out)
    assert sorted(written) == [
        "2024-01-02/harbour.txt",
        "2024-01-02/late/extra.txt",
        "2024-01-02/weather.txt",
        "2024-01-03/courier/front.txt",
        "top.txt",
    ]
    for rel, data in written.items():
        assert data == single(crawl / rel)
    statuses = {r["path"]: r["status"] for r in report(tmp_path / "r.jsonl")}
    assert len(statuses) == 6
    assert statuses[str(inside)] == "failed"


# ---------------------------------------------------------------- in place


def test_in_place_rewrites_changed_files_keeps_modes_and_leaves_no_temp_files(crawl: Path) -> None:
    expected = {rel: single(crawl / rel) for rel in tree(crawl) if rel.endswith(".txt")}
    os.chmod(crawl / "2024-01-02/harbour.txt", 0o640)
    os.chmod(crawl / "2024-01-03/courier/inside.txt", 0o755)
    untouched = crawl / "top.txt"
    inode = untouched.stat().st_ino
    outcome = invoke([str(crawl), "--in-place", "--backup", ".orig", "--jobs", "2"])
    assert outcome.code == 0, outcome.err
    after = tree(crawl)
    for rel in ARTICLES:
        assert after[rel] == expected[rel], rel
    # hidden files were not asked for
    assert after[".cache/old.txt"] == article(51, True)
    assert after["2024-01-03/.draft.txt"] == article(52, True)
    assert stat.S_IMODE((crawl / "2024-01-02/harbour.txt").stat().st_mode) == 0o640
    assert stat.S_IMODE((crawl / "2024-01-03/courier/inside.txt").stat().st_mode) == 0o755
    assert untouched.stat().st_ino == inode  # unchanged files are not rewritten
    backups = sorted(rel for rel in after if rel.endswith(".orig"))
    assert backups == [
        "2024-01-02/harbour.txt.orig",
        "2024-01-02/late/extra.txt.orig",
        "2024-01-03/courier/inside.txt.orig",
    ]
    assert after["2024-01-02/harbour.txt.orig"] == article(0, True)
    assert not [rel for rel in after if rel.endswith(".dedupe-tmp")]


def test_in_place_again_leaves_earlier_backups_alone(crawl: Path) -> None:
    assert invoke([str(crawl), "--in-place", "--backup", ".orig"]).code == 0
    backups = {rel: data for rel, data in tree(crawl).items() if rel.endswith(".orig")}
    assert len(backups) == 3
    outcome = invoke([str(crawl), "--in-place", "--backup", ".orig", "--glob", "*"])
    assert outcome.code == 0, outcome.err
    after = tree(crawl)
    assert {rel: after[rel] for rel in backups} == backups
    assert [rel for rel in after if rel.endswith(".orig.orig")] == []
    assert "2024-01-02/notes.md.orig" in after  # --glob '*' did take new files


def test_in_place_skips_links_and_cleans_the_real_file_once(crawl: Path) -> None:
    link = crawl / "2024-01-03" / "alias.txt"
    link.symlink_to(crawl / "2024-01-02" / "harbour.txt")
    expected = single(crawl / "2024-01-02" / "harbour.txt")
    outcome = invoke([str(crawl), "--in-place", "-v", "--jobs", "2"])
    assert outcome.code == 0, outcome.err
    assert link.is_symlink()
    assert (crawl / "2024-01-02" / "harbour.txt").read_bytes() == expected
    assert str(link) not in outcome.err


def test_in_place_with_bad_files_rewrites_the_good_and_leaves_the_bad(crawl: Path) -> None:
    bad = add_bad_files(crawl)
    expected = {
        rel: single(crawl / rel) for rel in tree(crawl) if rel.endswith(".txt") and rel not in bad
    }
    outcome = invoke([str(crawl), "--in-place", "--jobs", "2"])
    assert outcome.code == 3
    after = tree(crawl)
    for rel, data in bad.items():
        assert after[rel] == data
    for rel, data in expected.items():
        if not rel.startswith(".") and "/." not in rel:
            assert after[rel] == data, rel


# ------------------------------------------------------- check, diff, json


def test_check_lists_files_with_repeats_writes_nothing_and_exits_1(crawl: Path) -> None:
    before = tree(crawl)
    outcome = invoke([str(crawl), "--check", "--jobs", "2"])
    assert outcome.code == 1
    assert outcome.stdout == b""
    listed = sorted(line for line in outcome.err.splitlines() if not line.startswith("dedupe:"))
    assert [line.split(": ")[0] for line in listed] == [
        str(crawl / "2024-01-02/harbour.txt"),
        str(crawl / "2024-01-02/late/extra.txt"),
        str(crawl / "2024-01-03/courier/inside.txt"),
    ]
    pattern = r".*: (1 repeated paragraph|\d+ repeated paragraphs)"
    assert all(re.fullmatch(pattern, line) for line in listed)
    assert tree(crawl) == before


def test_check_exit_codes_clean_folder_and_bad_file(tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    clean.mkdir()
    for i in range(3):
        (clean / f"a{i}.txt").write_bytes(article(i, False))
    outcome = invoke([str(clean), "--check"])
    assert outcome.code == 0
    assert outcome.err.splitlines()[:-1] == []
    (clean / "b.txt").write_bytes(article(9, True))
    assert invoke([str(clean), "--check"]).code == 1
    (clean / "c.txt").write_bytes(b"\x00\x01")
    assert invoke([str(clean), "--check"]).code == 3  # a failure outranks repeats


def test_verbose_lines_are_those_of_each_single_file(crawl: Path) -> None:
    outcome = invoke([str(crawl), "--check", "-v", "--jobs", "2"])
    lines = sorted(line for line in outcome.err.splitlines() if not line.startswith("dedupe:"))
    files = [p for p in sorted(crawl.rglob("*.txt")) if "/." not in p.as_posix()]
    expected = sorted(invoke(["--check", "-v", str(p)]).err.rstrip("\n") for p in files)
    assert len(expected) == 6
    assert lines == expected


def test_diff_shows_one_diff_per_changed_file(crawl: Path) -> None:
    outcome = invoke([str(crawl), "--diff", "--jobs", "2"])
    assert outcome.code == 0
    diffs = re.split(r"(?m)^(?=--- a/)", outcome.out)
    diffs = sorted(d for d in diffs if d)
    expected = sorted(
        invoke(["--diff", str(crawl / rel)]).out
        for rel in [
            "2024-01-02/harbour.txt",
            "2024-01-02/late/extra.txt",
            "2024-01-03/courier/inside.txt",
        ]
    )
    assert diffs == expected


def test_json_report_alone_writes_nothing_and_lists_every_file(crawl: Path, tmp_path: Path) -> None:
    before = tree(crawl)
    outcome = invoke([str(crawl), "--json", "-"])
    assert outcome.code == 0
    records = sorted(
        (json.loads(line) for line in outcome.out.splitlines()), key=lambda r: r["path"]
    )
    assert tree(crawl) == before
    assert len(records) == 6
    harbour = records[0]
    assert harbour["path"] == str(crawl / "2024-01-02/harbour.txt")
    assert harbour["status"] == "changed"
    single_record = json.loads(invoke([str(crawl / "2024-01-02/harbour.txt"), "--json", "-"]).out)
    assert harbour == single_record


# --------------------------------------------------------------- refusals


def test_output_inside_the_input_is_refused_up_front(crawl: Path) -> None:
    before = tree(crawl)
    for out in (crawl / "clean", crawl):
        outcome = invoke([str(crawl), "-o", str(out)])
        assert outcome.code == 2
        assert outcome.err.endswith("give one outside it, or use --in-place to rewrite the files\n")
        assert str(crawl) in outcome.err
        assert tree(crawl) == before


def test_folder_without_output_is_a_bad_input_and_other_inputs_still_run(
    crawl: Path, tmp_path: Path
) -> None:
    plain = tmp_path / "single.txt"
    plain.write_bytes(article(3, True))
    outcome = invoke([str(crawl), str(plain)])
    assert outcome.code == 3
    assert outcome.err == f"{crawl}: is a folder; give -o DIR or --in-place to clean it\n"
    assert outcome.stdout == single(plain)


def test_plain_files_with_output_folder_go_to_their_name_in_it(crawl: Path, tmp_path: Path) -> None:
    plain = tmp_path / "extra" / "single.txt"
    plain.parent.mkdir()
    plain.write_bytes(article(8, True))
    out = tmp_path / "out"
    outcome = invoke([str(crawl), str(plain), "-o", str(out), "--jobs", "2"])
    assert outcome.code == 0, outcome.err
    assert (out / "single.txt").read_bytes() == single(plain)
    assert len(tree(out)) == 7


# -------------------------------------------------------------------- walk


def test_hidden_files_and_other_globs_only_when_asked(crawl: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    outcome = invoke([str(crawl), "-o", str(out), "--hidden", "--glob", "*.txt", "--glob", "*.md"])
    assert outcome.code == 0, outcome.err
    written = tree(out)
    assert {".cache/old.txt", "2024-01-03/.draft.txt", "2024-01-02/notes.md"} <= set(written)
    assert written["2024-01-02/notes.md"] == single(crawl / "2024-01-02/notes.md")
    assert len(written) == 9


def test_symlink_loop_does_not_hang_the_walk(crawl: Path, tmp_path: Path) -> None:
    (crawl / "2024-01-02" / "back").symlink_to(crawl)
    (crawl / "2024-01-03" / "self").symlink_to(crawl / "2024-01-03")
    out = tmp_path / "out"
    outcome = invoke([str(crawl), "-o", str(out), "--jobs", "2"])
    assert outcome.code == 0, outcome.err
    assert len(tree(out)) == 6


def test_walk_is_a_generator_that_lists_folders_as_it_goes(crawl: Path) -> None:
    """The first file comes before the other folders are listed: a file
    added after it in a folder not yet reached is still found."""
    from newsdedupe.settings import RunSettings

    walker = batch.Walker(RunSettings(), None, write=False)
    items = walker.items([str(crawl)])
    first = next(items)
    assert isinstance(first, Task)
    assert first.label == str(crawl / "top.txt")
    (crawl / "2024-01-03" / "courier" / "late.txt").write_bytes(article(20, False))
    rest = [item.label for item in items]
    assert rest == [
        str(crawl / rel)
        for rel in [
            "2024-01-02/harbour.txt",
            "2024-01-02/weather.txt",
            "2024-01-02/late/extra.txt",
            "2024-01-03/courier/front.txt",
            "2024-01-03/courier/inside.txt",
            "2024-01-03/courier/late.txt",
        ]
    ]


# ---------------------------------------------------------------- progress


def test_quiet_shows_the_errors_and_nothing_else(crawl: Path, tmp_path: Path) -> None:
    add_bad_files(crawl)
    outcome = invoke([str(crawl), "-o", str(tmp_path / "out"), "-q", "--jobs", "2"])
    assert outcome.code == 3
    assert sorted(outcome.err.splitlines()) == [
        f"{crawl / '2024-01-02/photo.txt'}: binary data (NUL bytes), not text; skipped",
        f"{crawl / '2024-01-03/latin1.txt'}: not valid utf-8 (byte 3); "
        "name its encoding with --encoding",
    ]


def test_stderr_that_is_not_a_terminal_gets_plain_lines(crawl: Path, tmp_path: Path) -> None:
    outcome = invoke([str(crawl), "-o", str(tmp_path / "out"), "-v"])
    lines = outcome.err.splitlines()
    assert "\x1b" not in outcome.err and "\r" not in outcome.err
    assert len(lines) == 7
    assert lines[-1].startswith("dedupe: 6 files seen, 3 changed, 3 unchanged, 0 failed; ")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_live_bar_with_counts() -> None:
    stream = Terminal()
    with open_progress(False, stream) as progress:
        assert isinstance(progress, RichProgress)
        progress.set_total(2)
        progress.message("a.txt: no repeats")
        progress.advance(changed=False, failed=False, removed=0)
        progress.advance(changed=True, failed=False, removed=3)
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue())  # colours, cursor
    assert "a.txt: no repeats" in shown
    assert "2/2 files, 1 changed, 3 paragraphs removed" in shown


def test_plain_progress_prints_a_line_per_interval() -> None:
    stream = io.StringIO()
    progress = PlainProgress(stream, interval=0)
    progress.set_total(4)
    progress.advance(changed=True, failed=False, removed=2)
    progress.advance(changed=False, failed=True, removed=0)
    lines = stream.getvalue().splitlines()
    assert [", ".join(line.split(", ")[:3]) for line in lines] == [
        "dedupe: 1/4 files done, 1 changed, 0 failed",
        "dedupe: 2/4 files done, 1 changed, 1 failed",
    ]
    assert all(re.search(r", [\d,]+ files/s, ETA \d+:\d\d:\d\d$", line) for line in lines)
    assert isinstance(open_progress(True, Terminal()), type(open_progress(True, stream)))
