"""``dedupe --jsonl``: JSON Lines shards in, the same shards out with one field
cleaned. Every test compares bytes: the lines a corpus builder gets back must
be the lines they gave, except for the cleaned field."""

from __future__ import annotations

import gzip
import json
import os
import stat
import subprocess
import sys
import tracemalloc
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLES, invoke, run_process
from newsdedupe import Options, dedupe_text
from newsdedupe.records import BadRecord, clean_line, clean_record
from newsdedupe.settings import RunSettings
from newsdedupe.shard import ShardJob, clean_shard

# A short article written for these tests: a lead and four body paragraphs,
# then the body pasted again, one paragraph per line as scrapers leave it.
LEAD = (
    "Harbour workers in Velmora ended a nine-day strike on Thursday after the port "
    "authority agreed to a new shift plan."
)
BODY = [
    "The agreement, signed late on Wednesday night, limits night shifts to four a week "
    "and adds a second crane crew at the container terminal.",
    "Ana Müller, who speaks for the dockers’ union, said the strike had cost members "
    "about a third of their monthly pay, but that the new rota was worth it.",
    "Shipping lines had diverted at least eleven vessels to neighbouring ports during "
    "the dispute, according to the port authority.",
    "The first ships are expected to dock again on Saturday morning, and the backlog "
    "should be cleared within two weeks.",
]
CLEAN = LEAD + "\n" + "\n".join(BODY) + "\n"
DOUBLED = CLEAN + "\n".join(BODY) + "\n"
REMOVED = len(DOUBLED) - len(CLEAN)
SHORT = "- Café opens on Monday.\n- Café opens on Monday.\n"  # a column of equal items: kept


def dumps(value: object, ascii_only: bool = False) -> str:
    return json.dumps(value, ensure_ascii=ascii_only)


def test_the_test_article_is_a_doubled_body() -> None:
    result = dedupe_text(DOUBLED)
    assert result.text == CLEAN
    assert len(result.removals) == 4
    assert not dedupe_text(SHORT).changed


# --- what is written for each record ---------------------------------------------


def test_unchanged_records_come_back_byte_for_byte() -> None:
    lines = [
        '{"id": 1, "text": "No repeats here.", "score": 1e5, "ratio": 1.10}\n',
        '{"text":"Caf\\u00e9 \\/ bar","id":2,"id":3}\n',  # escapes, duplicate key
        '  { "text" : "Zürich “quoted” — dash" ,"tags":[ ] }  \r\n',  # spacing, CRLF
        "\n",  # a blank line is no record, and stays
        '{"url": "https://example.org/x?a=1&b=2", "text": ' + dumps(SHORT) + "}",  # no final \n
    ]
    data = "".join(lines).encode("utf-8")
    out = invoke(["--jsonl", "-q"], stdin=data)
    assert out.code == 0
    assert out.stdout == data
    assert out.stderr == b""


def test_changed_record_gets_only_its_field_replaced() -> None:
    head = '{"id": 7, "url": "https://example.org/a?x=1\\/2", "text": '
    tail = ', "date": "2024-03-01", "n": 1.10, "title": "Caf\\u00e9"}\n'
    line = head + dumps(DOUBLED) + tail
    out = invoke(["--jsonl", "-q"], stdin=line.encode("utf-8"))
    assert out.code == 0
    assert out.stdout == (head + dumps(CLEAN) + tail).encode("utf-8")
    assert "Müller" in out.out and "\\u" not in dumps(CLEAN)  # non-ASCII stays raw


def test_escaped_field_stays_escaped() -> None:
    line = '{"text":' + dumps(DOUBLED, ascii_only=True) + ',"id":"x"}\n'
    assert "\\u00fc" in line
    out = invoke(["--jsonl", "-q"], stdin=line.encode("utf-8"))
    assert out.stdout == ('{"text":' + dumps(CLEAN, ascii_only=True) + ',"id":"x"}\n').encode(
        "ascii"
    )


def test_first_line_bom_is_kept() -> None:
    data = ("\ufeff" + '{"text": ' + dumps(DOUBLED) + "}\n").encode("utf-8")
    out = invoke(["--jsonl", "-q"], stdin=data)
    assert out.code == 0
    assert out.stdout == ("\ufeff" + '{"text": ' + dumps(CLEAN) + "}\n").encode("utf-8")


def test_stats_field_uses_the_records_own_separators() -> None:
    compact = '{"id":1,"text":' + dumps(DOUBLED) + "}\n"
    spaced = '{"id": 2, "text": ' + dumps(SHORT) + "}\n"
    existing = '{"dd": null, "text": ' + dumps(SHORT) + "}\n"
    alone = '{"text":' + dumps(SHORT) + "}\n"
    data = (compact + spaced + existing + alone).encode("utf-8")
    out = invoke(["--jsonl", "--stats-field", "dd", "-q"], stdin=data)
    assert out.code == 0
    assert out.out == (
        '{"id":1,"text":'
        + dumps(CLEAN)
        + ',"dd":{"removed_paragraphs":4,"removed_chars":'
        + str(REMOVED)
        + "}}\n"
        '{"id": 2, "text": '
        + dumps(SHORT)
        + ', "dd": {"removed_paragraphs": 0, "removed_chars": 0}}\n'
        '{"dd": {"removed_paragraphs": 0, "removed_chars": 0}, "text": ' + dumps(SHORT) + "}\n"
        '{"text":' + dumps(SHORT) + ',"dd":{"removed_paragraphs":0,"removed_chars":0}}\n'
    )


def test_other_field_name() -> None:
    line = '{"text": "left alone", "body": ' + dumps(DOUBLED) + "}\n"
    out = invoke(["--jsonl", "--field", "body", "-q"], stdin=line.encode("utf-8"))
    assert out.out == '{"text": "left alone", "body": ' + dumps(CLEAN) + "}\n"


# --- bad records --------------------------------------------------------------------


BAD = [
    '{"id": 1, "text": ' + dumps(DOUBLED) + "}\n",
    "not json at all\n",
    '{"id": 3}\n',
    '{"id": 4, "text": null}\n',
    '{"id": 5, "text": ["a"]}\n',
    "[1, 2]\n",
    '{"id": 7, "text": "cut short\n',
    '{"id": 8, "text": ' + dumps(SHORT) + "}\n",
]
BAD_BYTES = "".join(BAD).encode("utf-8")[:-1] + b"\xff\n"  # line 8 ends in a stray byte


def test_bad_lines_are_reported_with_line_numbers_and_passed_through() -> None:
    out = invoke(["--jsonl"], stdin=BAD_BYTES)
    assert out.code == 3
    assert (
        out.stdout
        == ('{"id": 1, "text": ' + dumps(CLEAN) + "}\n").encode()
        + b"".join(line.encode("utf-8") for line in BAD[1:7])
        + BAD[7].encode("utf-8")[:-1]
        + b"\xff\n"
    )
    assert out.err.splitlines() == [
        "<stdin>:2: not valid JSON at column 1: expecting value; passed through unchanged",
        '<stdin>:3: no "text" field; passed through unchanged',
        '<stdin>:4: "text" is null, not a string; passed through unchanged',
        '<stdin>:5: "text" is an array, not a string; passed through unchanged',
        "<stdin>:6: not a JSON object but an array; passed through unchanged",
        "<stdin>:7: not valid JSON at column 19: unterminated string starting; "
        "passed through unchanged",
        "<stdin>:8: not valid UTF-8 (byte "
        + str(len(BAD[7].encode("utf-8")))
        + "); passed through unchanged",
        f"dedupe: 1 shard, 8 records: 1 changed, 4 paragraphs and {REMOVED:,} characters removed; "
        "7 bad records",
    ]


def test_drop_bad_leaves_bad_lines_out() -> None:
    out = invoke(["--jsonl", "--drop-bad"], stdin=BAD_BYTES)
    assert out.code == 3
    assert out.out == '{"id": 1, "text": ' + dumps(CLEAN) + "}\n"
    assert (
        out.err.splitlines()[0]
        == "<stdin>:2: not valid JSON at column 1: expecting value; left out (--drop-bad)"
    )
    assert len(out.err.splitlines()) == 8


def test_bad_records_in_the_pure_functions() -> None:
    options = Options()
    assert clean_line(b"\n", options) == (b"\n", None)
    try:
        clean_line(b'{"body": "x"}\n', options)
    except BadRecord as exc:
        assert str(exc) == 'no "text" field'
    else:
        raise AssertionError("a record without the field must be bad")
    assert clean_record({"id": 1}) == {"id": 1}
    assert clean_record({"id": 1, "text": DOUBLED}, stats_field="s") == {
        "id": 1,
        "text": CLEAN,
        "s": {"removed_paragraphs": 4, "removed_chars": REMOVED},
    }
    assert clean_record(DOUBLED) == CLEAN


# --- the result per record is the core's ------------------------------------------

PARAGRAPHS = BODY + [
    LEAD,
    "Q:",
    "Short line.",
    "Zürich – “quoted” text that is long enough to count here.",
]


@st.composite
def records(draw: st.DrawFn) -> tuple[dict[str, object], str]:
    picks = draw(st.lists(st.sampled_from(PARAGRAPHS), min_size=0, max_size=8))
    sep = draw(st.sampled_from(["\n", "\n\n", "\r\n"]))
    text = sep.join(picks) + draw(st.sampled_from(["", sep]))
    extra = draw(
        st.dictionaries(
            st.text(min_size=1, max_size=5),
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(),
                st.text(max_size=10),
                st.floats(allow_nan=False),
            ),
            max_size=3,
        )
    )
    record: dict[str, object] = {k: v for k, v in extra.items() if k != "text"}
    record["text"] = text
    style = draw(st.sampled_from(["default", "compact", "ascii"]))
    if style == "compact":
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    else:
        line = json.dumps(record, ensure_ascii=style == "ascii")
    return record, line


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_each_record_equals_dedupe_text_on_its_text(case: tuple[dict[str, object], str]) -> None:
    record, line = case
    raw = line.encode("utf-8") + b"\n"
    out, result = clean_line(raw, Options())
    expected = dedupe_text(str(record["text"]), Options())
    parsed = json.loads(out)
    assert parsed["text"] == expected.text
    assert {k: v for k, v in parsed.items() if k != "text"} == {
        k: v for k, v in record.items() if k != "text"
    }
    assert result is not None and result.removals == expected.removals
    if not expected.changed:
        assert out == raw
    else:  # only the field's value differs: the bytes before and after it are the input's
        at = raw.rindex(b'"text":') + len(b'"text":')  # the field is the record's last key
        at += len(raw[at:]) - len(raw[at:].lstrip(b" "))
        assert out.startswith(raw[:at])
        old_value = json.dumps(record["text"], ensure_ascii=raw.isascii())
        assert raw[at:].startswith(old_value.encode("utf-8"))
        assert out.endswith(raw[at + len(old_value.encode("utf-8")) :])


def test_field_result_is_what_dedupe_stdin_gives() -> None:
    data = (SAMPLES / "qusayr.txt").read_bytes()
    text_out = invoke(["-"], stdin=data)
    line = json.dumps({"id": "q", "text": data.decode("utf-8")}, ensure_ascii=False) + "\n"
    jsonl_out = invoke(["--jsonl", "-q"], stdin=line.encode("utf-8"))
    assert text_out.code == jsonl_out.code == 0
    assert json.loads(jsonl_out.stdout)["text"].encode("utf-8") == text_out.stdout
    assert text_out.stdout == (SAMPLES / "qusayr.expected.txt").read_bytes()


# --- shards, folders, outputs ----------------------------------------------------------


def _shard(records: list[str]) -> bytes:
    return "".join(records).encode("utf-8")


def _corpus(root: Path) -> dict[str, bytes]:
    """A folder of shards; returns the expected output of each, by relative path."""
    a_in = [
        '{"id": "a1", "text": ' + dumps(DOUBLED) + "}\n",
        '{"id": "a2", "text": ' + dumps(SHORT) + "}\n",
    ]
    b_in = [
        '{"id":"b1","text":' + dumps(SHORT) + "}\n",
        '{"id":"b2","text":' + dumps(DOUBLED) + "}\n",
    ]
    (root / "sub").mkdir(parents=True)
    (root / "a.jsonl").write_bytes(_shard(a_in))
    (root / "sub" / "b.jsonl.gz").write_bytes(gzip.compress(_shard(b_in)))
    (root / "notes.txt").write_text("not a shard\n")
    (root / ".hidden.jsonl").write_text("{}\n")
    return {
        "a.jsonl": _shard(['{"id": "a1", "text": ' + dumps(CLEAN) + "}\n", a_in[1]]),
        "sub/b.jsonl.gz": _shard([b_in[0], '{"id":"b2","text":' + dumps(CLEAN) + "}\n"]),
    }


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_folder_of_plain_and_gzip_shards_is_mirrored(tmp_path: Path) -> None:
    expected = _corpus(tmp_path / "in")
    out = invoke(["--jsonl", str(tmp_path / "in"), "-o", str(tmp_path / "out")])
    assert out.code == 0
    assert out.stdout == b""
    assert out.err == (
        f"dedupe: 2 shards, 4 records: 2 changed, 8 paragraphs and "
        f"{2 * REMOVED:,} characters removed\n"
    )
    written = _tree(tmp_path / "out")
    assert sorted(written) == ["a.jsonl", "sub/b.jsonl.gz"]
    assert written["a.jsonl"] == expected["a.jsonl"]
    assert written["sub/b.jsonl.gz"][:2] == b"\x1f\x8b"  # still gzip
    assert gzip.decompress(written["sub/b.jsonl.gz"]) == expected["sub/b.jsonl.gz"]


def test_explicit_glob_replaces_the_shard_patterns(tmp_path: Path) -> None:
    """--glob '*.txt' with --jsonl means *.txt, not the default shard patterns."""
    expected = _corpus(tmp_path / "in")
    (tmp_path / "in" / "notes.txt").write_bytes((tmp_path / "in" / "a.jsonl").read_bytes())
    args = ["--jsonl", "-q", "--glob", "*.txt", str(tmp_path / "in"), "-o", str(tmp_path / "out")]
    out = invoke(args)
    assert out.code == 0
    assert _tree(tmp_path / "out") == {"notes.txt": expected["a.jsonl"]}


def test_gzip_output_is_reproducible(tmp_path: Path) -> None:
    _corpus(tmp_path / "in")
    invoke(["--jsonl", str(tmp_path / "in"), "-o", str(tmp_path / "one")])
    os.utime(tmp_path / "in" / "sub" / "b.jsonl.gz", (1, 1))
    invoke(["--jsonl", str(tmp_path / "in"), "-o", str(tmp_path / "two")])
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")


def test_folder_to_stdout_concatenates_shards_in_order(tmp_path: Path) -> None:
    expected = _corpus(tmp_path / "in")
    out = invoke(["--jsonl", "-q", str(tmp_path / "in")])
    assert out.code == 0
    assert out.stdout == expected["a.jsonl"] + expected["sub/b.jsonl.gz"]


def test_shard_without_final_newline_never_glues_records(write) -> None:  # type: ignore[no-untyped-def]
    first = write("one.jsonl", '{"text": "a"}')
    second = write("two.jsonl", '{"text": "b"}\n')
    out = invoke(["--jsonl", "-q", str(first), str(second)])
    assert out.stdout == b'{"text": "a"}\n{"text": "b"}\n'


def test_output_file_is_gzip_when_named_so(tmp_path: Path, write) -> None:  # type: ignore[no-untyped-def]
    src = write("in.jsonl", '{"text": ' + dumps(DOUBLED) + "}\n")
    out = invoke(["--jsonl", "-q", str(src), "-o", str(tmp_path / "clean.jsonl.gz")])
    assert out.code == 0
    assert gzip.decompress((tmp_path / "clean.jsonl.gz").read_bytes()) == (
        '{"text": ' + dumps(CLEAN) + "}\n"
    ).encode("utf-8")


def test_shard_modes_new_from_umask_rewritten_kept(tmp_path: Path, write) -> None:  # type: ignore[no-untyped-def]
    src = write("in.jsonl", '{"text": ' + dumps(DOUBLED) + "}\n")
    os.chmod(src, 0o600)
    old = os.umask(0o027)
    try:
        assert invoke(["--jsonl", "-q", str(src), "-o", str(tmp_path / "new.jsonl")]).code == 0
        assert invoke(["--jsonl", "-q", "--in-place", str(src)]).code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.jsonl").stat().st_mode) == 0o640  # 0o666 & ~0o027
    assert stat.S_IMODE(src.stat().st_mode) == 0o600
    assert src.read_text("utf-8") == '{"text": ' + dumps(CLEAN) + "}\n"
    assert sorted(p.name for p in tmp_path.iterdir() if ".dedupe-tmp" in p.name) == []


def test_in_place_with_backup(write) -> None:  # type: ignore[no-untyped-def]
    original = '{"text": ' + dumps(DOUBLED) + "}\n"
    src = write("shard.jsonl", original)
    out = invoke(["--jsonl", "-q", "--in-place", "--backup", ".orig", str(src)])
    assert out.code == 0
    assert src.read_text("utf-8") == '{"text": ' + dumps(CLEAN) + "}\n"
    assert src.with_name("shard.jsonl.orig").read_text("utf-8") == original


def test_check_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    _corpus(tmp_path / "in")
    out = invoke(["--jsonl", "--check", str(tmp_path / "in")])
    assert out.code == 1
    assert out.stdout == b""
    assert out.err.splitlines() == [
        f"{tmp_path / 'in' / 'a.jsonl'}: 4 repeated paragraphs in 1 record",
        f"{tmp_path / 'in' / 'sub' / 'b.jsonl.gz'}: 4 repeated paragraphs in 1 record",
        f"dedupe: 2 shards, 4 records: 2 changed, 8 paragraphs and "
        f"{2 * REMOVED:,} characters to remove",
    ]
    clean = invoke(["--jsonl", "--check", "-q"], stdin=b'{"text": "fine"}\n')
    assert (clean.code, clean.stdout, clean.stderr) == (0, b"", b"")


def test_json_reports_per_shard(tmp_path: Path) -> None:
    _corpus(tmp_path / "in")
    report = tmp_path / "report.jsonl"
    out = invoke(
        ["--jsonl", "-q", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--json", str(report)]
    )
    assert out.code == 0
    rows = [json.loads(line) for line in report.read_text("utf-8").splitlines()]
    common = {
        "status": "changed",
        "records": 2,
        "changed_records": 1,
        "bad_records": 0,
        "removed_paragraphs": 4,
        "removed_chars": REMOVED,
        "error": None,
    }
    assert rows == [
        {"path": str(tmp_path / "in" / "a.jsonl"), **common},
        {"path": str(tmp_path / "in" / "sub" / "b.jsonl.gz"), **common},
    ]


def test_missing_and_broken_shards_fail_alone(tmp_path: Path) -> None:
    expected = _corpus(tmp_path / "in")
    (tmp_path / "in" / "plain.jsonl.gz").write_bytes(b'{"text": "not compressed"}\n')
    missing = str(tmp_path / "nowhere.jsonl")
    out = invoke(["--jsonl", str(tmp_path / "in"), missing, "-o", str(tmp_path / "out")])
    assert out.code == 3
    assert out.err.splitlines() == [
        f"{tmp_path / 'in' / 'plain.jsonl.gz'}: cannot be read from the start (not gzip data); "
        "nothing written for this shard",
        f"{missing}: no such file or folder; check the path",
        f"dedupe: 4 shards, 4 records: 2 changed, 8 paragraphs and "
        f"{2 * REMOVED:,} characters removed; "
        "2 shards failed",
    ]
    written = _tree(tmp_path / "out")  # no output for the failed shard, no temporary file
    assert sorted(written) == ["a.jsonl", "sub/b.jsonl.gz"]
    assert written["a.jsonl"] == expected["a.jsonl"]


def test_gzip_cut_short_leaves_no_output(tmp_path: Path) -> None:
    line = ('{"text": ' + dumps(DOUBLED) + "}\n").encode("utf-8")
    data = gzip.compress(line * 200)
    src = tmp_path / "cut.jsonl.gz"
    src.write_bytes(data[: len(data) // 2])
    summary = clean_shard(
        ShardJob(str(src), str(tmp_path / "out" / "cut.jsonl.gz"), "cut"), RunSettings().work
    )
    assert summary.error is not None
    assert summary.error.startswith("cut: cannot be read after line ")
    assert summary.error.endswith(" (gzip data cut short); nothing written for this shard")
    assert summary.messages == [summary.error]
    assert list((tmp_path / "out").iterdir()) == []


def test_usage_errors_exit_2(tmp_path: Path, write) -> None:  # type: ignore[no-untyped-def]
    _corpus(tmp_path / "in")
    one = write("one.jsonl", "{}\n")
    two = write("two.jsonl", "{}\n")
    cases = [
        (
            ["--jsonl", str(tmp_path / "in"), "-o", str(tmp_path / "in" / "out")],
            f"dedupe: -o {tmp_path / 'in' / 'out'} lies inside the input folder {tmp_path / 'in'}; "
            "choose a folder outside it",
        ),
        (
            ["--jsonl", str(one), "--diff"],
            "dedupe: --diff does not apply to --jsonl; use --check, --explain or --stats-field",
        ),
        (
            ["--jsonl", str(one), "--stats-field", "text"],
            "dedupe: --stats-field must name another field than --field",
        ),
        (
            ["--jsonl", str(one), str(two), "-o", str(tmp_path / "x.jsonl")],
            "dedupe: -o FILE takes one input; give a folder of shards, or a folder as -o DIR/",
        ),
        (
            ["--jsonl", str(one), "-o", str(one)],
            f"{one}: -o names the input itself; use --in-place to rewrite it",
        ),
        (
            ["--jsonl", "-", "-o", str(tmp_path / "in")],
            "dedupe: stdin cannot be mirrored into -o DIR; give -o FILE",
        ),
        (
            ["--jsonl", str(one), "--dask", "local"],
            "dedupe: --dask writes shards: give -o DIR (or --in-place, or --check)",
        ),
        (
            ["--jsonl", "--encoding", "latin-1"],
            "dedupe: JSON Lines are UTF-8; --encoding does not apply to --jsonl",
        ),
    ]
    for args, message in cases:
        out = invoke(args, stdin=b"")
        assert (out.code, out.stdout, out.err) == (2, b"", message + "\n"), args
    assert not (tmp_path / "in" / "out").exists()


def test_failed_write_leaves_no_temporary_file(tmp_path: Path, write) -> None:  # type: ignore[no-untyped-def]
    src = write("shard.jsonl", '{"text": "a"}\n{"text": "b"}\nnot json\n')
    dst = tmp_path / "out" / "shard.jsonl"

    def lines_then_interrupt(data: bytes) -> None:
        raise KeyboardInterrupt

    job = ShardJob(str(src), str(dst), "shard.jsonl")
    # an interrupt while writing: nothing half-written stays
    from newsdedupe import shard

    original = shard.Buffer.write
    shard.Buffer.write = lambda self, data: lines_then_interrupt(data)  # type: ignore[method-assign]
    try:
        try:
            clean_shard(job, RunSettings().work)
        except KeyboardInterrupt:
            pass
        else:
            raise AssertionError("the interrupt must come through")
    finally:
        shard.Buffer.write = original  # type: ignore[method-assign]
    assert list((tmp_path / "out").iterdir()) == []
    summary = clean_shard(job, RunSettings().work)
    assert (summary.records, summary.bad, summary.messages) == (
        3,
        1,
        ["shard.jsonl:3: not valid JSON at column 1: expecting value; passed through unchanged"],
    )
    assert dst.read_bytes() == src.read_bytes()


def test_streaming_keeps_memory_flat(tmp_path: Path) -> None:
    """A 24 MB shard goes through with a few MB of Python memory: lines are
    read, cleaned and written one at a time, never the whole shard."""
    pad = "x" * 4000
    line = ('{"pad": "' + pad + '", "text": ' + dumps(SHORT) + "}\n").encode("utf-8")
    src = tmp_path / "big.jsonl"
    with open(src, "wb") as handle:
        for _ in range(6000):
            handle.write(line)
    job = ShardJob(str(src), str(tmp_path / "out.jsonl"), "big.jsonl")
    tracemalloc.start()
    try:
        summary = clean_shard(job, RunSettings().work)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert summary.records == 6000
    assert src.stat().st_size > 24_000_000
    assert peak < 4_000_000, peak
    assert (tmp_path / "out.jsonl").read_bytes() == src.read_bytes()


def test_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    src = tmp_path / "many.jsonl"
    src.write_bytes(b'{"text": "a line that stays"}\n' * 200_000)
    proc = subprocess.run(
        f'"{sys.executable}" -m newsdedupe --jsonl "{src}" | head -n 1',
        shell=True,
        capture_output=True,
        timeout=60,
    )
    assert proc.stdout == b'{"text": "a line that stays"}\n'
    assert proc.stderr == b""


def test_real_process_exit_code_and_streams(write) -> None:  # type: ignore[no-untyped-def]
    src = write("s.jsonl", '{"text": ' + dumps(DOUBLED) + "}\nbroken\n")
    out = run_process(["--jsonl", str(src)])
    assert out.code == 3
    assert out.stdout == ('{"text": ' + dumps(CLEAN) + "}\nbroken\n").encode("utf-8")
    assert out.err == (
        f"{src}:2: not valid JSON at column 1: expecting value; passed through unchanged\n"
        f"dedupe: 1 shard, 2 records: 1 changed, 4 paragraphs and {REMOVED:,} characters removed; "
        "1 bad record\n"
    )


def test_in_place_leaves_a_shard_without_repeats_alone(write) -> None:  # type: ignore[no-untyped-def]
    src = write("shard.jsonl.gz", gzip.compress(b'{"text": "nothing to do"}\n', mtime=5))
    before = src.stat()
    out = invoke(["--jsonl", "-q", "--in-place", "--backup", ".orig", str(src)])
    assert out.code == 0
    after = src.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert sorted(p.name for p in src.parent.iterdir()) == ["shard.jsonl.gz"]


def test_gzip_on_stdin_is_read(tmp_path: Path) -> None:
    line = '{"text": ' + dumps(DOUBLED) + "}\n"
    out = run_process(["--jsonl", "-q"], stdin=gzip.compress(line.encode("utf-8")))
    assert out.code == 0
    assert out.out == '{"text": ' + dumps(CLEAN) + "}\n"


def test_the_record_functions_are_still_importable_from_jsonl() -> None:
    """They moved to newsdedupe.records; code written against the old
    place (``from newsdedupe.jsonl import clean_line``) keeps working."""
    from newsdedupe import jsonl, records

    assert (jsonl.BadRecord, jsonl.clean_line, jsonl.clean_record) == (
        records.BadRecord,
        records.clean_line,
        records.clean_record,
    )
