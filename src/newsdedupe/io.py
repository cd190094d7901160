"""Bytes in and out: decoding, refusing binary data, atomic writes.

Nothing here decides what a repeat is; the core never sees a path.
"""

from __future__ import annotations

import codecs
import contextlib
import itertools
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

# (gzip and shutil, with the compression modules they load, are imported by
# the writers that use them: cleaning stdin to stdout does without them; so
# is pathlib, which paths given as text do not need)


class InputError(Exception):
    """An input that cannot be processed; the message says what to do."""


def decode(data: bytes, encoding: str | None, name: str) -> str:
    """Text of ``data``: UTF-8 by default, a BOM kept as U+FEFF so it is
    written back. NUL bytes mean binary data: refused, never mangled."""
    if b"\x00" in data and not _is_wide_unicode(encoding):
        wide = _wide_bom(data)
        if wide:
            raise InputError(
                f"{name}: {wide.upper()} text (byte-order mark); give --encoding {wide}"
            )
        raise InputError(f"{name}: binary data (NUL bytes), not text; skipped")
    codec = encoding or "utf-8"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid {codec} (byte {exc.start}); name its encoding with --encoding"
        ) from None
    except LookupError:
        raise InputError(f"unknown encoding {codec!r}") from None


def _is_wide_unicode(encoding: str | None) -> bool:
    if not encoding:
        return False
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name.startswith(("utf-16", "utf-32"))


def _wide_bom(data: bytes) -> str | None:
    """``utf-16`` or ``utf-32`` when ``data`` starts with that byte-order mark."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def read_file(path: Path) -> bytes:
    """The bytes of ``path``, with a one-line reason when that fails.

    Only a regular file is read: a device (``/dev/zero``), a pipe or a socket
    has no end to trust; pipe such a thing to stdin instead. Running out of
    memory on a huge file is that file's failure, not the run's."""
    try:
        refuse_irregular(path)
        return path.read_bytes()
    except MemoryError:
        raise InputError(f"{path}: out of memory while reading it; skipped") from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give -o DIR or --in-place to clean it") from None
    except PermissionError:
        raise InputError(f"{path}: cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def refuse_irregular(path: Path | str) -> None:
    """Raise :class:`InputError` unless ``path`` is a regular file (or a link
    to one); a missing path is left to the caller's open."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise InputError(
            f"{path}: not a regular file; skipped (to clean what it gives, pipe it to stdin)"
        )


class FolderNotMade(Exception):
    """The missing folder above an output could not be created."""

    def __init__(self, folder: Path, cause: OSError) -> None:
        super().__init__(f"{folder}: {cause.strerror or cause}")
        self.folder = folder
        self.cause = cause


class AtomicOutput:
    """The writer of one :func:`atomic_output`; set ``keep_old`` to drop the
    new bytes and leave the file as it was."""

    def __init__(self, write: Callable[[bytes], object]) -> None:
        self.write = write
        self.keep_old = False


GZIP_LEVEL = 6
"""gzip's own default: much faster than 9, nearly as small."""


@contextlib.contextmanager
def atomic_output(
    path: Path,
    backup_suffix: str | None = None,
    *,
    durable: bool = True,
    parents: bool = False,
    compress: bool = False,
) -> Iterator[AtomicOutput]:
    """A stream that replaces ``path`` only when it is complete (isort's
    write-to-temp-then-replace around a stream): a crash, an error or Ctrl-C
    leaves either the old file or the new one, never half of it.

    The bytes go to a temporary file in the same folder (same file system),
    gzip-compressed with ``compress`` (no name or time in the header, so
    equal content gives equal bytes). At the end the file takes the old
    file's permission bits (a new file has the umask's), with
    ``backup_suffix`` the original is kept beside it (:func:`keep_backup`,
    atomic too), and it is renamed over ``path``. Any failure removes the
    temporary file. Errors are raised as they come (``OSError``;
    :class:`FolderNotMade`; :class:`InputError` for a backup name that is a
    folder): each caller words them.

    ``durable`` flushes the data to disk before the rename, so that even a
    power cut leaves the old file or the new one. Folder mode writing into
    ``-o DIR`` passes False and flushes once at the end instead
    (:func:`flush_to_disk`): there the originals are not at stake, and a
    flush per file cost 0.2-0.3 ms per file on the development machine.
    ``parents`` creates the missing folders above ``path``.
    """
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except (FileNotFoundError, NotADirectoryError):
        mode = None  # a new file (its folder may be missing, or a file stands in the way)
    try:
        fd, tmp_name = create_temp(path)
    except (FileNotFoundError, NotADirectoryError):
        if not parents:
            raise
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FolderNotMade(path.parent, exc) from None
        fd, tmp_name = create_temp(path)
    temp: str | None = tmp_name
    try:
        with os.fdopen(fd, "wb") as raw:
            if compress:
                import gzip

                with gzip.GzipFile(
                    filename="", mode="wb", fileobj=raw, compresslevel=GZIP_LEVEL, mtime=0
                ) as packed:
                    out = AtomicOutput(packed.write)
                    yield out
            else:
                out = AtomicOutput(raw.write)
                yield out
            if out.keep_old:
                return  # the temporary file goes in ``finally``
            if durable:
                raw.flush()
                os.fsync(raw.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        if backup_suffix and mode is not None:
            keep_backup(path, backup_suffix)
        os.replace(tmp_name, path)
        temp = None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def atomic_write(
    path: Path,
    data: bytes | Iterable[bytes],
    backup_suffix: str | None = None,
    *,
    durable: bool = True,
    parents: bool = False,
) -> None:
    """Replace ``path`` with ``data`` (bytes, or pieces of them written one
    after another) through :func:`atomic_output`; a failure is an
    :class:`InputError` whose message ends "nothing changed"."""
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        pass  # a new file
    except OSError as exc:
        raise InputError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    try:
        with atomic_output(path, backup_suffix, durable=durable, parents=parents) as out:
            for chunk in (data,) if isinstance(data, (bytes, bytearray)) else data:
                out.write(chunk)
    except FolderNotMade as exc:
        raise InputError(
            f"{path}: cannot be written (cannot create folder {exc.folder}: "
            f"{exc.cause.strerror or exc.cause}); nothing changed"
        ) from None
    except PermissionError:
        raise InputError(
            f"{path}: cannot be written (permission denied); nothing changed"
        ) from None
    except OSError as exc:
        raise InputError(
            f"{path}: cannot be written ({exc.strerror or exc}); nothing changed"
        ) from None


def keep_backup(path: Path, suffix: str) -> None:
    """Make ``path + suffix`` the current bytes of ``path``, atomically.

    A hard link to the original under a temp name is renamed onto the backup
    name: no byte is copied, so a full disk cannot cut it short, and an
    earlier backup is replaced only by a complete one (or kept, when anything
    fails). Where the file system refuses links, a copy goes through a temp
    file, flushed, then renamed. Raises :class:`InputError` when the backup
    name is a folder (nothing is written inside it), ``OSError`` otherwise.
    """
    backup = path.with_name(path.name + suffix)
    if backup.is_dir() and not backup.is_symlink():
        raise InputError(f"{path}: the backup {backup} is a folder; move it away; nothing changed")
    tmp_name: str | None = None
    try:
        tmp_name = _temp_name(backup.parent)
        try:
            os.link(path, tmp_name)
        except OSError:
            import shutil

            tmp_name = None
            fd, tmp_name = create_temp(backup)
            with os.fdopen(fd, "wb") as handle, open(path, "rb") as original:
                shutil.copyfileobj(original, handle)
                handle.flush()
                os.fsync(handle.fileno())
            shutil.copystat(path, tmp_name)
        os.replace(tmp_name, backup)
        tmp_name = None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


TEMP_SUFFIX = ".dedupe-tmp"
"""Ending of the temp files this tool makes: ``.<pid>-<n>.dedupe-tmp``, short
whatever the length of the file's own name (a name may take all 255 bytes
the file system allows). The pid says whose it is, so a later run can tell a
killed run's leftovers from a live run's work (:func:`remove_stale_temps`)."""

_TEMP_NAME = re.compile(r"\.(\d+)-\d+" + re.escape(TEMP_SUFFIX) + "$")
"""The end of a temp file's name; earlier versions put the file's name before it."""

_temp_tags = itertools.count()

_swept: set[str] = set()
"""Folders this process has already cleared of stale temp files."""

_SWEPT_MAX = 4096
"""Folders remembered before the set starts again (memory stays flat)."""


def _temp_name(folder: Path | str) -> str:
    return os.path.join(folder, f".{os.getpid()}-{next(_temp_tags)}{TEMP_SUFFIX}")


def create_temp(path: Path) -> tuple[int, str]:
    """A new, empty temp file beside ``path``, opened for writing: its
    descriptor and name. It is created with mode 0o666
    less the umask, as a new file written directly would be (``mkstemp``
    would give 0o600 and cost a chmod and two umask calls per file).

    The first time a process writes into a folder, the temp files that
    killed runs left there are removed."""
    folder = str(path.parent)
    if folder not in _swept:
        if len(_swept) >= _SWEPT_MAX:
            _swept.clear()
        _swept.add(folder)
        remove_stale_temps(folder)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        name = _temp_name(folder)
        try:
            return os.open(name, flags, 0o666), name
        except FileExistsError:
            continue  # left by an earlier process with the same id


def is_stale_temp(name: str, path: str | None = None) -> bool:
    """True for the name of a temp file whose process no longer runs. With
    the file's ``path``, also when a process of that id runs but started
    after the file was last written: the id was given to a new process
    (ids wrap around, on a busy machine within seconds), which cannot own
    the file."""
    found = _TEMP_NAME.search(name) if name.startswith(".") else None
    if found is None:
        return False
    pid = int(found.group(1))
    if not pid_alive(pid):
        return True
    if path is None:
        return False
    started = _started(pid)
    try:
        written = os.stat(path).st_mtime
    except OSError:
        return False
    return started is not None and started > written + _START_SLACK


_START_SLACK = 0.1
"""Seconds of doubt between a process's start (from /proc) and a file's
modification time: within them the file is left to a later run."""


def _started(pid: int) -> float | None:
    """When process ``pid`` started, in seconds since the epoch (Linux's
    /proc), or None where that cannot be told."""
    boottime = getattr(time, "CLOCK_BOOTTIME", None)
    if boottime is None:
        return None
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        ticks = int(fields[19])  # field 22 of stat: start time, clock ticks after boot
        since_boot = time.clock_gettime(boottime) - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None
    return time.time() - since_boot


def remove_stale_temps(folder: str) -> None:
    """Remove the temp files in ``folder`` of processes that no longer run
    (a run killed with SIGKILL, or by a power cut, cannot remove its own).
    A live process's temp files are left alone, whoever runs it."""
    try:
        with os.scandir(folder) as listing:
            names = [e.name for e in listing if e.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return
    for name in names:
        path = os.path.join(folder, name)
        if is_stale_temp(name, path):
            with contextlib.suppress(OSError):
                os.unlink(path)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (another user's counts)."""
    if pid <= 0:
        return True  # not a name this tool makes: never touched
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """A process that has ended but not been reaped yet (its parent, or an
    init that reaps slowly, has not waited for it): dead for our purposes."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (OSError, IndexError):
        return False


LOCK_WAIT_SECONDS = 120.0
"""How long an in-place rewrite waits for a file another run holds."""

_LOCK_POLL_SECONDS = 0.05


@contextlib.contextmanager
def file_lock(path: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold ``path`` for an in-place rewrite: read, clean, back up, replace.

    Two runs rewriting the same file at once would otherwise both read the
    original, and the second would back up the first one's cleaned text as
    the "original". The lock is an advisory ``flock`` on the file itself,
    released by the system when the process ends however it ends. Once
    held, the path must still name the file locked (another run may have
    replaced it meanwhile); if not, the new file is locked instead, and is
    read as it now is. After ``wait`` seconds the file is that run's failure.
    Where ``flock`` does not exist (Windows) nothing is locked. Taking and
    releasing the lock cost 8.7 us per file on the development machine
    (``timeit``, 20,000 rounds).
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            yield  # the read that follows says what is wrong
            return
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise InputError(
                            f"{path}: another dedupe run is rewriting it; skipped, nothing changed"
                        ) from None
                    time.sleep(_LOCK_POLL_SECONDS)
                except OSError:
                    break  # a file system without locks: go on unlocked
            held = os.fstat(fd)
            try:
                now = os.stat(path)
            except OSError:
                now = held
            if (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino):
                yield
                return
        finally:
            os.close(fd)


def flush_to_disk() -> None:
    """Flush every file written so far to disk: one call for a whole batch
    of ``atomic_write(..., durable=False)``."""
    if hasattr(os, "sync"):
        os.sync()


def same_file(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` name one file (both must exist)."""
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def input_inside_output(paths: list[str], output: Path) -> str | None:
    """The refusal when an input lies inside the output folder ``-o DIR``
    (the other way round is the caller's check): its files would be written
    over by the cleaned copies of others, before or after they are read.
    ``-`` (stdin) is no file. Checked before anything is read. Paths are
    compared resolved, so a link cannot hide the overlap."""
    from pathlib import Path

    if not output.exists():
        return None
    for name in paths:
        if name == "-" or not os.path.exists(name) or same_file(Path(name), output):
            continue
        if is_inside(Path(name), output):
            what = "input folder" if os.path.isdir(name) else "input"
            return (
                f"{name}: the {what} lies inside the output folder {output}; "
                "give an output folder outside it"
            )
    return None


def is_inside(child: Path, parent: Path) -> bool:
    """True when ``child`` is ``parent`` or lies below it (resolved paths)."""
    c, p = child.resolve(), parent.resolve()
    return c == p or p in c.parents
