"""The naive approach, as a yardstick: every line against every earlier kept
line with rapidfuzz's ratio (threshold 90), in plain Python, one process.

    python benchmarks/naive.py SRC_DIR OUT_DIR

It knows nothing of the project's rules (numbers, runs, teasers); it is
only the obvious quadratic loop that the candidate index replaces.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rapidfuzz import fuzz


def clean(text: str, threshold: float = 90.0) -> str:
    kept: list[str] = []
    out: list[str] = []
    for line in text.split("\n"):
        norm = " ".join(line.casefold().split())
        if norm and any(fuzz.ratio(norm, k, score_cutoff=threshold) for k in kept):
            continue
        if norm:
            kept.append(norm)
        out.append(line)
    return "\n".join(out)


def main(src: Path, dst: Path) -> None:
    for path in sorted(src.rglob("*.txt")):
        target = dst / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(clean(path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
