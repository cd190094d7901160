"""The README documents the command as it is: every option of ``dedupe``
appears in it, in code (backticks), under at least one of its names."""

from __future__ import annotations

import re

from conftest import ROOT
from newsdedupe.cli import command


def _code_in_readme() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return " ".join(re.findall(r"`[^`]*`", readme))


def test_every_option_is_in_the_readme() -> None:
    code = _code_in_readme()
    missing = [
        "/".join(param.opts)
        for param in command.params
        if param.opts[0].startswith("-")
        and not any(
            re.search(re.escape(name) + r"(?![\w-])", code)
            for name in param.opts + param.secondary_opts
        )
    ]
    assert missing == []


def test_the_check_can_fail() -> None:
    # an option name the README does not use is reported as missing
    assert not re.search(re.escape("--no-such-option") + r"(?![\w-])", _code_in_readme())
