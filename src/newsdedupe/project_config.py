"""Defaults from a project's ``pyproject.toml`` (``[tool.newsdedupe]``).

A repository of articles can fix its own threshold, globs and so on once::

    [tool.newsdedupe]
    threshold = 92
    min-length = 40
    glob = ["*.txt", "*.md"]

The table is read from the nearest ``pyproject.toml`` found from the current
folder upward (the nearest one decides, as for black: a project without the
table gets the built-in defaults), or from the file given with ``--config``.
Options given on the command line always win over the file.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

KEYS: dict[str, str] = {
    "threshold": "threshold",
    "min_length": "min_length",
    "split": "split",
    "keep": "keep",
    "encoding": "encoding",
    "glob": "globs",
    "hidden": "hidden",
    "jobs": "jobs",
    "field": "field",
    "stats_field": "stats_field",
}
"""Keys of ``[tool.newsdedupe]`` (dashes or underscores) and the command's
parameter each one sets."""


class ConfigError(Exception):
    """A config file that cannot be used; the message names it."""


def find_pyproject(start: str) -> str | None:
    """The nearest ``pyproject.toml`` in the folder ``start`` (an absolute
    path, such as the current folder) or a folder above it.

    It runs at every start-up, so it works on strings with :mod:`os.path`:
    importing pathlib would cost every ``dedupe`` a few milliseconds."""
    folder = start
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        if _is_file(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


_MISSING = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)
_MISSING_ON_WINDOWS = (21, 123, 1921)
"""The errors of ``stat`` that mean "no such file" (pathlib's own lists)."""


def _is_file(path: str) -> bool:
    """``Path(path).is_file()`` without pathlib: a regular file (through a
    symbolic link); an error other than "no such file" is raised."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError as exc:
        if exc.errno not in _MISSING and getattr(exc, "winerror", None) not in _MISSING_ON_WINDOWS:
            raise
        return False
    except ValueError:
        return False


def load_defaults(path: Path | str, required: bool) -> dict[str, Any]:
    """The ``[tool.newsdedupe]`` table of ``path`` as command parameters
    (``{"min_length": 40, "globs": ["*.md"]}``). A missing table is an error
    only when the file was named (``required``)."""
    try:
        with open(path, "rb") as file:
            raw = file.read()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not required and b"newsdedupe" not in raw:
        return {}  # most projects: no need to load the TOML parser (about 4 ms)
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid UTF-8 ({exc.reason})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    table = data.get("tool", {}).get("newsdedupe")
    if table is None:
        if required:
            raise ConfigError(f"{path}: no [tool.newsdedupe] table")
        return {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.newsdedupe] must be a table")
    defaults: dict[str, Any] = {}
    for key, value in table.items():
        param = KEYS.get(key.replace("-", "_"))
        if param is None:
            known = ", ".join(k.replace("_", "-") for k in KEYS)
            raise ConfigError(f"{path}: [tool.newsdedupe] has no key {key!r}; known: {known}")
        if param == "globs" and isinstance(value, str):
            value = [value]
        defaults[param] = value
    return defaults
