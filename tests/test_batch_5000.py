"""A crawl-sized run: 5,000 article files with --jobs 2 finish without error,
and the summary on stderr agrees with the JSON Lines report, file by file."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from conftest import run_process

FILES = 5000
SOURCES = ["courier", "gazette", "herald", "ledger", "tribune"]
SUBJECTS = [
    "The harbour board",
    "A parish clerk",
    "The ferry operator",
    "Two councillors",
    "The mayor",
]
ACTIONS = ["approved", "postponed", "questioned", "announced", "rejected", "costed"]
OBJECTS = [
    "a night bus route",
    "the pier repairs",
    "a flood barrier",
    "the market lease",
    "new bins",
]


def story(rng: random.Random, number: int) -> bytes:
    """A short made-up article; every fourth one has its body doubled and
    every seventh one is written with CRLF line endings."""
    body = [
        f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)} {rng.choice(OBJECTS)} on "
        f"{rng.randint(1, 28)} May after {rng.randint(2, 60)} objections from residents."
        for _ in range(rng.randint(2, 4))
    ]
    if number % 4 == 0:
        body += body
    newline = "\r\n" if number % 7 == 0 else "\n"
    return (newline.join([f"Brief {number}", "", *body]) + newline).encode("utf-8")


def test_5000_files_with_two_jobs_summary_matches_report(tmp_path: Path) -> None:
    rng = random.Random(5000)
    crawl = tmp_path / "crawl"
    for number in range(FILES):
        folder = crawl / SOURCES[number % 5] / f"2024-05-{1 + number % 28:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"brief-{number:04d}.txt").write_bytes(story(rng, number))
    out, report = tmp_path / "clean", tmp_path / "report.jsonl"

    outcome = run_process(
        [str(crawl), "-o", str(out), "--jobs", "2", "--json", str(report)], module=True
    )

    assert outcome.code == 0, outcome.err
    match = re.search(
        r"^dedupe: ([\d,]+) files seen, ([\d,]+) changed, ([\d,]+) unchanged, ([\d,]+) failed; "
        r"([\d,]+) paragraphs and ([\d,]+) characters removed in [\d.]+ s$",
        outcome.err,
        re.MULTILINE,
    )
    assert match, outcome.err
    seen, changed, unchanged, failed, paragraphs, chars = (
        int(group.replace(",", "")) for group in match.groups()
    )

    records = [json.loads(line) for line in report.read_text("utf-8").splitlines()]
    assert len(records) == len({r["path"] for r in records}) == FILES
    statuses = [r["status"] for r in records]
    assert seen == FILES
    assert changed == statuses.count("changed") >= FILES // 4
    assert unchanged == statuses.count("unchanged")
    assert failed == statuses.count("failed") == 0
    assert paragraphs == sum(r["removed_paragraphs"] for r in records)
    assert chars == sum(r["removed_chars"] for r in records)
    assert sum(1 for p in out.rglob("*") if p.is_file()) == FILES
