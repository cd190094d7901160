"""One JSON Lines record cleaned: pure, no I/O.

What is written for each line:

* a record whose field comes back unchanged (and no ``--stats-field``): the
  original line, byte for byte;
* a changed record: the original line with only the field's value replaced
  (spliced in place), so every other field keeps its bytes, order, spacing and
  escapes. The new value is written by ``json.dumps``: non-ASCII characters
  raw, or as ``\\u`` escapes when the old value was written that way (all
  ASCII);
* with ``--stats-field NAME``: the same splice for ``NAME`` when the record has
  it, else ``"NAME": {"removed_paragraphs": n, "removed_chars": c}`` added
  before the closing brace with the record's own separators;
* a blank line: passed through, it is not a record;
* a bad record (not UTF-8, not JSON, not an object, field missing or not a
  string): :class:`BadRecord`, with the reason.

The cleaned field is always ``dedupe_text(text, options).text``: the same
result ``dedupe -`` gives for that text. Beside the core: it imports only the
core and its options.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, overload

from newsdedupe.config import Options
from newsdedupe.core import DedupeResult, dedupe_text

_DECODER = json.JSONDecoder()


class BadRecord(ValueError):
    """A line that cannot be cleaned; the message says why."""


class MissingField(BadRecord):
    """A record without the ``--field``: usually every record of a run with a
    mistyped field, so it is reported once with a count, not per line."""


# --- one record ----------------------------------------------------------------


def stats(result: DedupeResult) -> dict[str, int]:
    """The value written under ``--stats-field``."""
    return {"removed_paragraphs": len(result.removals), "removed_chars": result.removed_chars}


@overload
def clean_record(
    record: str, options: Options | None = None, field: str = "text", stats_field: str | None = None
) -> str: ...


@overload
def clean_record(
    record: Mapping[str, Any],
    options: Options | None = None,
    field: str = "text",
    stats_field: str | None = None,
) -> dict[str, Any]: ...


def clean_record(
    record: str | Mapping[str, Any],
    options: Options | None = None,
    field: str = "text",
    stats_field: str | None = None,
) -> str | dict[str, Any]:
    """One parsed record (a mapping) or one text, cleaned; no I/O.

    A text comes back as ``dedupe_text(text, options).text``. A record comes
    back as a new dict with ``field`` cleaned (and ``stats_field`` set when
    given); a record without a string ``field`` comes back as it was, so one
    odd record never stops a whole job.
    """
    if isinstance(record, str):
        return dedupe_text(record, options).text
    text = record.get(field)
    if not isinstance(text, str):
        return dict(record)
    result = dedupe_text(text, options)
    out = dict(record)
    out[field] = result.text
    if stats_field is not None:
        out[stats_field] = stats(result)
    return out


def clean_line(
    raw: bytes,
    options: Options,
    field: str = "text",
    stats_field: str | None = None,
    first: bool = False,
) -> tuple[bytes, DedupeResult | None]:
    """One line of JSON Lines in, the line to write and the result out.

    ``raw`` includes its line ending. The result is None for a blank line
    (written back as it was). Raises :class:`BadRecord` when the line cannot
    be cleaned. ``first`` allows a UTF-8 BOM (the first line of a file).
    """
    body = raw[:-1] if raw.endswith(b"\n") else raw
    if not body.strip(b" \t\r"):
        return raw, None
    try:
        doc = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRecord(f"not valid UTF-8 (byte {exc.start + 1})") from None
    lead = "\ufeff" if first and doc.startswith("\ufeff") else ""
    doc = doc[len(lead) :]
    try:
        record = json.loads(doc)
    except json.JSONDecodeError as exc:
        reason = exc.msg.removesuffix(" at")  # "Unterminated string starting at"
        reason = reason[:1].lower() + reason[1:]
        raise BadRecord(f"not valid JSON at column {exc.colno + len(lead)}: {reason}") from None
    except RecursionError:
        raise BadRecord("not valid JSON (nested too deeply)") from None
    if not isinstance(record, dict):
        raise BadRecord(f"not a JSON object but {_kind(record)}")
    if field not in record:
        raise MissingField(f"no {quote(field)} field")
    text = record[field]
    if not isinstance(text, str):
        raise BadRecord(f"{quote(field)} is {_kind(text)}, not a string")
    result = dedupe_text(text, options)
    if not result.changed and stats_field is None:
        return raw, result
    try:
        new = _splice(doc, field, result, stats_field, force_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (from \ud800 escapes) cannot be raw UTF-8
        new = _splice(doc, field, result, stats_field, force_ascii=True).encode("utf-8")
    return lead.encode("utf-8") + new + raw[len(body) :], result


def quote(name: str) -> str:
    """A field name as JSON writes it, for messages."""
    return json.dumps(name, ensure_ascii=False)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


@dataclass(frozen=True)
class _Member:
    """Where one top-level member of an object stands in its line."""

    key: str
    key_start: int
    key_end: int
    value_start: int
    value_end: int


def _members(doc: str) -> list[_Member]:
    """The top-level members of a JSON object already known to be valid.

    The values are skipped with the json module's own scanner, so the spans are
    exactly what ``json.loads`` read.
    """
    pos = _skip(doc, _skip(doc, 0) + 1)  # after "{"
    members: list[_Member] = []
    if doc[pos] == "}":
        return members
    while True:
        key, key_end = _DECODER.raw_decode(doc, pos)
        colon = _skip(doc, key_end)
        value_start = _skip(doc, colon + 1)
        _, value_end = _DECODER.raw_decode(doc, value_start)
        members.append(_Member(key, pos, key_end, value_start, value_end))
        pos = _skip(doc, value_end)
        if doc[pos] == "}":
            return members
        pos = _skip(doc, pos + 1)


def _skip(doc: str, pos: int) -> int:
    """The position after the JSON whitespace at ``pos``."""
    while pos < len(doc) and doc[pos] in " \t\n\r":
        pos += 1
    return pos


def _splice(
    doc: str, field: str, result: DedupeResult, stats_field: str | None, force_ascii: bool
) -> str:
    """``doc`` with the field's value (and the stats member) replaced in place.

    When a key occurs twice, the last one is the one ``json.loads`` read, and
    the one replaced here.
    """
    members = _members(doc)
    spans = {m.key: (m.value_start, m.value_end) for m in members}
    edits: list[tuple[int, int, str]] = []
    if result.changed:
        start, end = spans[field]
        ascii_only = force_ascii or doc[start:end].isascii()
        edits.append((start, end, json.dumps(result.text, ensure_ascii=ascii_only)))
    if stats_field is not None:
        key_sep, item_sep = _separators(doc, members)
        value = json.dumps(stats(result), separators=(item_sep, key_sep))
        if stats_field in spans:
            start, end = spans[stats_field]
            edits.append((start, end, value))
        else:
            end = members[-1].value_end
            name = json.dumps(stats_field, ensure_ascii=force_ascii)
            edits.append((end, end, f"{item_sep}{name}{key_sep}{value}"))
    for start, end, new in sorted(edits, reverse=True):
        doc = doc[:start] + new + doc[end:]
    return doc


def _separators(doc: str, members: list[_Member]) -> tuple[str, str]:
    """The record's own ``":"`` and ``","`` with their spacing, for a new member."""
    first = members[0]
    key_sep = doc[first.key_end : first.value_start]
    if len(members) > 1:
        item_sep = doc[first.value_end : members[1].key_start]
    else:
        item_sep = ", " if key_sep.endswith((" ", "\t")) else ","
    return key_sep, item_sep
