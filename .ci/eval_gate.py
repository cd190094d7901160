"""Fail CI when accuracy on the development evaluation set drops below the
bar of issue 3: >= 99% exact on every synthetic category, >= 90% exact on
`natural`, no real text lost anywhere (FP = 0), no clean / hard_negative /
structural case changed."""

from __future__ import annotations

import json
import sys

SYNTHETIC_MIN = 0.99
NATURAL_MIN = 0.90


def main(path: str) -> int:
    with open(path, encoding="utf-8") as handle:
        report = json.load(handle)
    problems = []
    for category, stats in sorted(report["per_category"].items()):
        floor = NATURAL_MIN if category == "natural" else SYNTHETIC_MIN
        if stats["exact_rate"] < floor:
            problems.append(f"{category}: {stats['exact_rate']:.1%} exact < {floor:.0%}")
        if stats["fp"]:
            problems.append(f"{category}: {stats['fp']} paragraph(s) of real text removed (FP)")
        if stats.get("errors"):
            problems.append(f"{category}: {stats['errors']} case(s) failed to run")
    if report["negatives_changed"]:
        changed = report["negatives_changed"]
        problems.append(f"{changed} clean/hard_negative/structural case(s) changed")
    for line in problems:
        print(f"eval gate: {line}", file=sys.stderr)
    if problems:
        return 1
    print("eval gate: passed (synthetic >= 99%, natural >= 90%, FP = 0, no negative changed)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
