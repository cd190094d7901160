"""What each part of the precision method is worth, measured by turning it off.

    python benchmarks/ablation.py [--eval ../shared/eval] [--jobs 2] [--only NAME]

For each part below, the part is disabled in-process (the function is
replaced for that run only) and both development sets are scored with
``dedupe_text`` on the decoded input bytes: the cases set (exact-match rate
over all cases and over the ``natural`` category, and FP) and the web set
(exact-match rate, FP, FN). A case is exact when ``result.text`` encodes to
the expected file's bytes; FP counts input paragraphs the tool removed that
the case's ``removed`` list keeps, FN the ones it lists that the tool kept
(both by ``result.removals`` index). The evaluation texts are read from the
eval directory at run time; nothing of them is stored in the project.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsdedupe import core, dedupe_text, intent, lines, paragraph, rules, runs

HERE = Path(__file__).resolve().parent
DEFAULT_EVAL = HERE.parent.parent / "shared" / "eval"


def _returning(value: object) -> Callable[..., Any]:
    def replacement(*_args: object, **_kwargs: object) -> object:
        return value

    return replacement


# name shown in the table -> the functions replaced for that run, as
# "module.name" where the function is called (a name imported into a module
# is that module's own binding, so it is replaced there)
PARTS: dict[str, dict[str, Callable[..., Any]]] = {
    "(full method)": {},
    "hold back copies (held_back)": {"rules.held_back": _returning(None)},
    "parallel lists (in_two_lists)": {"intent.in_two_lists": _returning(False)},
    "quoted copies (introduced)": {
        "intent.introduced": _returning(False),
        "rules.introduced": _returning(False),
    },
    "distinguishing words (distinguishing)": {
        "paragraph.distinguishing": _returning(None),
        "intent.distinguishing": _returning(None),
        "runs.distinguishing": _returning(None),
    },
    "title/label echo (starts_sentence, is_quotation)": {
        "rules.starts_sentence": _returning(True),
        "rules.is_quotation": _returning(True),
    },
    "refrains, formula families (spare_intentional)": {"core.spare_intentional": _returning(None)},
    "confirm held-back in runs (confirm_pending)": {"core.confirm_pending": _returning(False)},
    "template blocks (spare_templates)": {"core.spare_templates": _returning(None)},
    "template blocks not lined up (framed_alike)": {"intent.framed_alike": _returning(False)},
    "refrains of several paragraphs (refrain)": {"intent.refrain": _returning(False)},
    "one label, two values (same_label)": {"intent.same_label": _returning(False)},
    "numbered headings (numbered_alike)": {"intent.numbered_alike": _returning(False)},
    "rule 5 title (title)": {"core.title": _returning(None)},
    "rule 4 stutter (stutters)": {"core.stutters": _returning(None)},
    "rule 4 one-word name headings (heads)": {"lines.heads": _returning(False)},
    "interleaved copies (take_interleaved)": {"runs.take_interleaved": _returning(False)},
    "run skips one source paragraph (past_one)": {"runs.past_one": _returning(None)},
    "one word added in a row (one_word_added)": {"intent.one_word_added": _returning(False)},
    "rule 4 across a caption line (across_a_caption)": {"lines.across_a_caption": _returning([])},
    "parallel headings (parallel_headings)": {"intent.parallel_headings": _returning(False)},
    "questions asked again (is_question)": {"intent.is_question": _returning(False)},
}

MODULES = {
    "core": core,
    "intent": intent,
    "lines": lines,
    "paragraph": paragraph,
    "rules": rules,
    "runs": runs,
}


def _set(dotted: str, value: object) -> None:
    module, name = dotted.split(".")
    setattr(MODULES[module], name, value)


Row = tuple[str, str, bool, int, int]
"""part, category, exact, FP, FN"""


def _load(directory: Path) -> list[dict[str, Any]]:
    with open(directory / "cases.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _score(task: tuple[str, str, dict[str, Any]]) -> Row:
    part, directory, case = task
    for name, replacement in PARTS[part].items():
        _set(name, replacement)
    try:
        folder = Path(directory)
        raw = (folder / f"{case['name']}.txt").read_bytes()
        expected = (folder / f"{case['name']}.expected.txt").read_bytes()
        result = dedupe_text(raw.decode("utf-8"))
    finally:
        for name in PARTS[part]:
            _set(name, ORIGINAL[name])
    removed = {r.index for r in result.removals}
    wanted = set(case["removed"])
    exact = result.text.encode("utf-8") == expected
    return part, case["category"], exact, len(removed - wanted), len(wanted - removed)


ORIGINAL = {
    name: getattr(MODULES[name.split(".")[0]], name.split(".")[1])
    for parts in PARTS.values()
    for name in parts
}


def _rate(rows: list[Row]) -> str:
    exact = sum(r[2] for r in rows)
    return f"{100 * exact / len(rows):.1f} % ({exact}/{len(rows)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", action="append", help="run only parts whose name contains this")
    args = parser.parse_args()
    sets = {"cases": args.eval / "cases", "web": args.eval / "web"}
    loaded = {key: _load(folder) for key, folder in sets.items()}
    parts = [
        p for p in PARTS if not args.only or p == "(full method)" or any(o in p for o in args.only)
    ]

    header = (
        "| part disabled | cases exact | natural exact | FP cases | web exact | web FP | web FN |"
    )
    print(header)
    print("|---|---:|---:|---:|---:|---:|---:|")
    with multiprocessing.Pool(args.jobs) as pool:
        for part in parts:
            tasks = [(part, str(sets[key]), case) for key in sets for case in loaded[key]]
            rows = pool.map(_score, tasks, chunksize=8)
            cases = rows[: len(loaded["cases"])]
            web = rows[len(loaded["cases"]) :]
            natural = [r for r in cases if r[1] == "natural"]

            print(
                f"| {part} | {_rate(cases)} | {_rate(natural)} | {sum(r[3] for r in cases)} "
                f"| {_rate(web)} | {sum(r[3] for r in web)} | {sum(r[4] for r in web)} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
