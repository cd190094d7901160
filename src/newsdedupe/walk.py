"""The one walk of input folders, for every mode (black's ``files.py`` is
the model: one generator, one set of rules, the same files whatever the
mode does with them).

Folders are read one at a time and in name order, so the walk is the same on
every run and memory does not grow with the size of the tree: the first file
comes before the other folders are listed. A file is taken when one of the
globs matches it: a pattern with a ``/`` against its path relative to the
folder given (``sub/*.jsonl``), any other against its name (``*.txt``).
Hidden files and folders are left out unless asked for; so are this tool's
own temp files and, with a backup suffix, the backups of files beside them.

Below the modes: it imports only :mod:`newsdedupe.io`.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
from collections.abc import Iterator
from dataclasses import dataclass

from newsdedupe.io import TEMP_SUFFIX, is_stale_temp

Identity = tuple[int, int]
"""A file's (device, inode): the same file under any name or link."""


@dataclass(frozen=True)
class Rules:
    """What a walk takes, and how it treats links."""

    globs: tuple[str, ...]
    hidden: bool = False
    follow_links: bool = True
    """False: links to files and folders are left out (an in-place rewrite
    replaces real files only, never through a link)."""
    folder_links: bool = True
    """False: links to folders are not entered (files linked are still taken
    when ``follow_links``)."""
    sweep_temps: bool = False
    """Remove the temp files a killed run left (when rewriting in place)."""
    backup: str | None = None
    """Leave out ``NAME + backup`` where ``NAME`` lies beside it."""
    skip_dirs: frozenset[Identity] = frozenset()
    """Folders never entered (the output folder, reached through a link)."""
    skip_files: frozenset[Identity] = frozenset()
    """Files never taken (the run's own --json report and --report page)."""


@dataclass(frozen=True)
class Found:
    """A file the globs match: its path, its path relative to the folder
    given, and why it cannot be read as a file (a broken link, a device) or None."""

    path: str
    rel: str
    problem: str | None = None


@dataclass(frozen=True)
class Unreadable:
    """A folder that could not be listed; ``message`` names it."""

    path: str
    message: str


def identity(path: str) -> Identity | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def matches(name: str, rel: str, globs: tuple[str, ...]) -> bool:
    """A pattern with a '/' is matched against the path relative to the
    folder given (always with '/'), any other against the file name."""
    return any(fnmatch.fnmatchcase(rel if "/" in g else name, g) for g in globs)


def walk(
    root: str, rules: Rules, visited: set[Identity] | None = None
) -> Iterator[Found | Unreadable]:
    """The files under ``root`` the rules take, lazily, in name order: a
    folder's files, then its folders one by one. ``visited`` holds the
    folders already walked (shared between the roots of one run): a folder
    reached twice, through a link or a link loop, is walked once."""
    if visited is None:
        visited = set()
    ident = identity(root)
    if ident is None or ident in visited:
        return
    visited.add(ident)
    stack: list[tuple[str, str]] = [(root, "")]
    while stack:
        folder, rel = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            yield Unreadable(folder, f"{folder}: cannot be read ({reason}); its files skipped")
            continue
        names = {entry.name for entry in entries} if rules.backup else set()
        subfolders: list[tuple[str, str]] = []
        for entry in entries:
            name = entry.name
            if name.endswith(TEMP_SUFFIX):
                if rules.sweep_temps and is_stale_temp(name, entry.path):  # a killed run's
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
                continue
            if name.startswith(".") and not rules.hidden:
                continue
            if rules.backup and name.endswith(rules.backup) and name[: -len(rules.backup)] in names:
                continue  # the backup of a file beside it, from an earlier run
            try:
                link = entry.is_symlink()
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError:
                link, is_dir, is_file = False, False, False
            if link and not rules.follow_links:
                continue
            if is_dir:
                if link and not rules.folder_links:
                    continue
                ident = identity(entry.path)
                if ident is None or ident in visited or ident in rules.skip_dirs:
                    continue
                visited.add(ident)
                subfolders.append((entry.path, f"{rel}{name}/"))
                continue
            if not matches(name, rel + name, rules.globs):
                continue
            relative = os.path.join(*f"{rel}{name}".split("/"))
            if not is_file:
                yield Found(entry.path, relative, "broken link" if link else "not a regular file")
                continue
            if rules.skip_files and _is_skipped(entry, rules.skip_files):
                continue
            yield Found(entry.path, relative)
        stack.extend(reversed(subfolders))


def _is_skipped(entry: os.DirEntry[str], skip: frozenset[Identity]) -> bool:
    """The inode of an entry is free to read; only a match costs a stat."""
    if not entry.is_symlink() and all(entry.inode() != ino for _, ino in skip):
        return False
    return identity(entry.path) in skip
