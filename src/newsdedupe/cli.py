"""The ``dedupe`` command: the only module that imports click.

It turns the command line into :class:`~newsdedupe.runner.RunSettings` and
hands over; every message it prints itself goes to stderr.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import TYPE_CHECKING, NoReturn

import click
from click.core import ParameterSource

from newsdedupe import __version__
from newsdedupe.config import DEFAULT_MIN_LENGTH, DEFAULT_THRESHOLD, Options
from newsdedupe.runner import run
from newsdedupe.settings import EXIT_USAGE, RunSettings
from newsdedupe.signals import raise_stopped, route_stop_signals, stop_message

if TYPE_CHECKING:
    from pathlib import Path  # (imported where a path is given: stdin does without)

EPILOG = """\b
Examples:
  dedupe article.txt                   cleaned text to stdout
  cat article.txt | dedupe             the same through a pipe
  dedupe article.txt -o clean.txt      write to a file
  dedupe --in-place --backup .orig a.txt b.txt
  dedupe --check article.txt           exit 1 if it has repeats
  dedupe --diff --explain article.txt  what would go, and why
  dedupe crawl/ --report review.html   review the removals in a browser
  dedupe crawl/ -o clean/ --jobs 4     a whole folder, same tree
  dedupe a.txt b.txt -o clean/         files into a folder (trailing /)
  dedupe --jsonl shards/ -o out/       JSON Lines records, field "text"

\b
Exit codes: 0 done, 1 --check found repeats, 2 bad usage,
3 one or more inputs failed (the others were still processed).

\b
Defaults can be set in [tool.newsdedupe] of the nearest pyproject.toml
(or --config FILE); options given here win.
"""


SANE_THRESHOLD = 70.0
"""Below this ``--threshold`` two unrelated paragraphs of the same language
can count as copies (two different Arabic paragraphs score 44), so the
command warns."""

_JSONL_ONLY = ("field", "stats_field", "drop_bad", "dask")
"""Options that mean something only with --jsonl."""


def _refuse_other_mode_options(ctx: click.Context, jsonl: bool) -> None:
    """An option of JSON Lines mode given without --jsonl would be silently
    ignored: refuse it. Defaults from a config file are not "given"."""
    if jsonl:
        return
    for name in _JSONL_ONLY:
        source = ctx.get_parameter_source(name)
        if source in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT):
            flag = "--" + name.replace("_", "-")
            raise click.UsageError(f"{flag} applies to JSON Lines input; add --jsonl")


def _check_backup(suffix: str, in_place: bool) -> None:
    """``--backup`` is a suffix added to the file's own name."""
    if not in_place:
        raise click.UsageError("--backup goes with --in-place")
    if not suffix:
        raise click.BadParameter(
            "the suffix is empty, so no backup would be kept; give one such as .orig",
            param_hint="--backup",
        )
    if "/" in suffix or os.sep in suffix or (os.altsep and os.altsep in suffix):
        raise click.BadParameter(
            f"{suffix!r} is a path; give a suffix such as .orig (the backup goes beside the file)",
            param_hint="--backup",
        )


def _load_config(ctx: click.Context, value: str | None) -> None:
    """Set the command's defaults from ``[tool.newsdedupe]`` (click's
    ``default_map``): options given on the command line still win."""
    from newsdedupe.project_config import ConfigError, find_pyproject, load_defaults

    required = value is not None
    path = _as_path(value) if value is not None else find_pyproject(os.getcwd())
    if path is None:
        return
    try:
        defaults = load_defaults(path, required)
    except ConfigError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param_hint="--config") from None
    if defaults:
        ctx.default_map = {**(ctx.default_map or {}), **defaults}


def _as_path(value: str | None) -> Path | None:
    """A path given on the command line as a :class:`~pathlib.Path`; pathlib
    is imported only then (``cat a.txt | dedupe`` does without it)."""
    if value is None:
        return None
    from pathlib import Path

    return Path(value)


def _names_folder(output: str) -> bool:
    """``-o DIR/`` (trailing slash) or an existing folder means "write into
    this folder", as ``cp`` reads its last argument."""
    return output.endswith(("/", os.sep)) or os.path.isdir(output)


@click.command(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=str),
    help="Write to FILE (one input) or DIR (folders; a trailing / or an existing folder).",
)
@click.option("--in-place", is_flag=True, help="Rewrite each file atomically.")
@click.option(
    "--backup",
    metavar="SUFFIX",
    help="With --in-place, keep the original as FILE+SUFFIX.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any input has repeats.")
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Print a unified diff of what would be removed.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Table of each removal (what, kept source, rule, score) on stderr.",
)
@click.option(
    "--json",
    "json_target",
    metavar="FILE|-",
    help="One JSON object per input: removals or error.",
)
@click.option(
    "--report",
    "report_target",
    type=click.Path(path_type=str, dir_okay=False),
    metavar="FILE.html",
    help="Write a page to review the run in a browser: removed paragraphs "
    "struck through beside the kept text that covers them.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 100),
    default=DEFAULT_THRESHOLD,
    show_default=True,
    help="Similarity (0-100) for near-duplicates; 100 = exact after normalization.",
)
@click.option(
    "--min-length",
    type=click.IntRange(0),
    default=DEFAULT_MIN_LENGTH,
    show_default=True,
    help=(
        "Shorter paragraphs (in characters; a Chinese, Japanese or Korean one"
        " counts two) are only dropped inside a repeated run."
    ),
)
@click.option(
    "--split",
    type=click.Choice(["auto", "blank", "line"]),
    default="auto",
    show_default=True,
    help="Paragraphs: detect, blank-line blocks, or one per line.",
)
@click.option(
    "--keep",
    type=click.Choice(["first", "longest"]),
    default="first",
    show_default=True,
    help="Which copy of a near-duplicate stays.",
)
@click.option(
    "--encoding",
    metavar="CODEC",
    help="Input and output encoding (default UTF-8, BOM kept).",
)
@click.option(
    "--glob",
    "globs",
    multiple=True,
    metavar="PATTERN",
    help="Files to take from folders (default *.txt).",
)
@click.option("--hidden", is_flag=True, help="Also take hidden files and folders from folders.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1),
    help="Worker processes for folders and for JSON Lines shards written to files.",
)
@click.option(
    "--jsonl",
    is_flag=True,
    help="Inputs are JSON Lines records (.jsonl, .jsonl.gz); clean one field.",
)
@click.option(
    "--field",
    default="text",
    show_default=True,
    help="With --jsonl, the field to clean.",
)
@click.option(
    "--stats-field",
    metavar="NAME",
    help="With --jsonl, add removal counts to each record under NAME.",
)
@click.option(
    "--drop-bad",
    is_flag=True,
    help="With --jsonl, leave out bad records instead of passing them through.",
)
@click.option("--dask", metavar="ADDRESS|local", help="With --jsonl, run shards on a Dask cluster.")
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=str),
    is_eager=True,
    expose_value=False,
    callback=lambda ctx, param, value: _load_config(ctx, value),
    help="Defaults from FILE's [tool.newsdedupe] table "
    "(default: the nearest pyproject.toml upward).",
)
@click.option("-q", "--quiet", is_flag=True, help="No messages but errors.")
@click.option("-v", "--verbose", is_flag=True, help="A line per input on stderr.")
@click.version_option(__version__, "-V", "--version", prog_name="dedupe")
def command(
    paths: tuple[str, ...],
    output: str | None,
    in_place: bool,
    backup: str | None,
    check: bool,
    show_diff: bool,
    explain: bool,
    json_target: str | None,
    report_target: str | None,
    threshold: float,
    min_length: int,
    split: str,
    keep: str,
    encoding: str | None,
    globs: tuple[str, ...],
    hidden: bool,
    jobs: int | None,
    jsonl: bool,
    field: str,
    stats_field: str | None,
    drop_bad: bool,
    dask: str | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Remove repeated paragraphs from news-article text.

    Reads PATHS (files, folders, or - for stdin; stdin when none) and keeps
    the first copy of every repeated paragraph, leaving every kept byte as
    it was.
    """
    ctx = click.get_current_context()
    _refuse_other_mode_options(ctx, jsonl)
    if output is not None and in_place:
        raise click.UsageError("give either -o or --in-place, not both")
    if backup is not None:
        _check_backup(backup, in_place)
    if show_diff and (output is not None and output != "-" or in_place):
        where = "--in-place" if in_place else "-o"
        raise click.UsageError(
            f"--diff only shows what would go and writes no file; run {where} without --diff"
        )
    output_dir = output is not None and output != "-" and _names_folder(output)
    if output is not None and output == "-":
        output = None  # "-o -" is stdout, where the text goes anyway
    if json_target == "-" and show_diff:
        raise click.UsageError("--diff and --json - both write to stdout; give --json a FILE")
    if encoding:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise click.BadParameter(
                f"unknown encoding {encoding!r}", param_hint="--encoding"
            ) from None
    if threshold < SANE_THRESHOLD and not quiet:
        click.echo(
            f"dedupe: --threshold {threshold:g} is below {SANE_THRESHOLD:g}: unrelated "
            "paragraphs start to count as copies (two different paragraphs can score 44); "
            f"{SANE_THRESHOLD:g}-100 is the useful range",
            err=True,
        )
    settings = RunSettings(
        options=Options(threshold=threshold, min_length=min_length, split=split, keep=keep),  # type: ignore[arg-type]
        output=_as_path(output),
        output_dir=output_dir,
        in_place=in_place,
        backup=backup,
        check=check,
        diff=show_diff,
        explain=explain,
        json_target=json_target,
        encoding=encoding,
        quiet=quiet,
        verbose=verbose and not quiet,
        globs=globs,
        hidden=hidden,
        jobs=jobs,
        jsonl=jsonl,
        field=field,
        stats_field=stats_field,
        drop_bad=drop_bad,
        dask=dask,
        report=_as_path(report_target),
    )
    try:
        code = run(list(paths), settings)
    except BrokenPipeError:
        # caught here, before click's own handler turns it into exit code 1
        _quiet_pipe()
    except KeyboardInterrupt as exc:
        # caught here, before click's own handler prints an empty line
        _interrupted(exc)
    sys.exit(code)


def main() -> None:
    """Entry point: a closed pipe ends quietly, Ctrl-C exits 130 (SIGTERM
    143, SIGHUP 129)."""
    route_stop_signals(raise_stopped)
    try:
        command.main(standalone_mode=False, prog_name="dedupe")
    except click.exceptions.Abort as exc:
        _interrupted(exc.__cause__)  # click's wrapping of a stop signal
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE if exc.exit_code == 2 else exc.exit_code)
    except KeyboardInterrupt as exc:
        _interrupted(exc)
    except BrokenPipeError:
        _quiet_pipe()
    except SystemExit as exc:
        _flush_or_quiet()
        raise exc
    _flush_or_quiet()


def _interrupted(exc: BaseException | None = None) -> None:
    """Ctrl-C exits 130; SIGTERM 143 and SIGHUP 129 (128 + the signal)."""
    message, code = stop_message(getattr(exc, "signum", signal.SIGINT))
    print(message, file=sys.stderr)
    sys.exit(code)


def _flush_or_quiet() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_pipe()


def _quiet_pipe() -> NoReturn:
    """The reader went away (``dedupe big.txt | head``): stop without a
    traceback. stdout is pointed at /dev/null so the interpreter's own flush
    at exit cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)
