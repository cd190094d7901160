"""The candidate index changes how long a document takes, never what is
removed: with the index the output (text and every removal record) equals
the comparison of every pair, on every evaluation case and on the project's
own generated text, also when every search is forced into the rare-word
mode that long documents use."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from newsdedupe import Options
from newsdedupe import index as ix
from newsdedupe.core import ALL_PAIRS_BELOW, DedupeResult, _dedupe, dedupe_text
from newsdedupe.io import decode

ROOT = Path(__file__).resolve().parents[1]
CASES = Path(__file__).resolve().parents[2] / "shared" / "eval" / "cases"

OPTION_SETS = [
    Options(),
    Options(threshold=80, keep="longest"),
    Options(split="line", min_length=30),
]


def _corpus():  # the benchmark generator
    spec = importlib.util.spec_from_file_location("nd_corpus", ROOT / "benchmarks" / "corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _real():  # the benchmark's real-text builder
    spec = importlib.util.spec_from_file_location("nd_real", ROOT / "benchmarks" / "real.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _same(a: DedupeResult, b: DedupeResult) -> bool:
    return a.text == b.text and a.removals == b.removals


def _eval_texts() -> list[tuple[str, str]]:
    if not CASES.is_dir():
        pytest.skip(f"no evaluation cases at {CASES} (they sit beside the clone in CI)")
    names = [json.loads(line)["name"] for line in (CASES / "cases.jsonl").open(encoding="utf-8")]
    return [(n, decode((CASES / f"{n}.txt").read_bytes(), None, n)) for n in names]


@pytest.fixture(scope="module")
def eval_texts() -> list[tuple[str, str]]:
    return _eval_texts()


@pytest.fixture(scope="module")
def generated() -> list[tuple[str, str]]:
    corpus = _corpus()
    docs = [(f"dump-{seed}", corpus.Generator(seed).dump(450)) for seed in (21, 22, 23)]
    articles = list(corpus.articles(seed=24, count=120))
    return docs + articles


@pytest.mark.parametrize("options", OPTION_SETS, ids=["default", "t80-longest", "line-min30"])
def test_index_equals_all_pairs_on_the_evaluation_cases(
    eval_texts: list[tuple[str, str]], options: Options
) -> None:
    differ = [
        name
        for name, text in eval_texts
        if not _same(_dedupe(text, options, indexed=False), _dedupe(text, options, indexed=True))
    ]
    assert differ == []


def test_rare_word_mode_equals_all_pairs_on_the_evaluation_cases(
    eval_texts: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Long documents outgrow the exact searches' budgets; with the budgets
    at zero every search here takes the rare-word route instead."""
    expected = {name: _dedupe(text, Options(), indexed=False) for name, text in eval_texts}
    for budget in ("COVER_BUDGET", "SIMILAR_BUDGET", "WIDE_BUDGET"):
        monkeypatch.setattr(ix, budget, 0)
    differ = [
        name
        for name, text in eval_texts
        if not _same(expected[name], _dedupe(text, Options(), indexed=True))
    ]
    assert differ == []


@pytest.mark.parametrize("rare_only", [False, True], ids=["budgets", "rare-word"])
@pytest.mark.parametrize(("texts", "planted"), [("generated", 100), ("recombined", 40)])
def test_index_equals_all_pairs_on_generated_text(
    texts: str,
    planted: int,
    rare_only: bool,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    """Generated pseudo-news, and real sentences recombined (see the
    ``recombined`` fixture)."""
    if rare_only:
        for budget in ("COVER_BUDGET", "SIMILAR_BUDGET", "WIDE_BUDGET"):
            monkeypatch.setattr(ix, budget, 0)
    removed = 0
    for name, text in request.getfixturevalue(texts):
        a = _dedupe(text, Options(), indexed=False)
        b = _dedupe(text, Options(), indexed=True)
        assert _same(a, b), name
        removed += len(a.removals)
    assert removed > planted  # the planted repeats were found (and found alike)


@pytest.fixture(scope="module")
def recombined() -> list[tuple[str, str]]:
    """Real sentences in new company (every sentence recurs, so words are
    common and the searches wide) and real articles with planted repeats,
    built at run time from the evaluation cases."""
    if not CASES.is_dir():
        pytest.skip(f"no evaluation cases at {CASES} (they sit beside the clone in CI)")
    real = _real()
    pool = real.Pool(CASES.parent)
    docs = [(f"recombined-{seed}", real.recombined(pool, 300, seed=seed)) for seed in (31, 32)]
    articles = [(rel, text) for rel, text, planted in real.articles(pool, 60, seed=33) if planted]
    return docs + articles


def test_dedupe_text_uses_the_index_from_the_size_on() -> None:
    gen = _corpus().Generator(25)
    small = "\n".join(gen.paragraph() for _ in range(ALL_PAIRS_BELOW - 1)) + "\n"
    assert dedupe_text(small).text == small
    body = "\n".join(gen.paragraph() for _ in range(30))
    doubled = body + "\n" + body + "\n"
    result = dedupe_text(doubled)
    assert result.text == body + "\n"
    assert [r.index for r in result.removals] == list(range(30, 60))
    assert _same(result, _dedupe(doubled, Options(), indexed=False))


@pytest.mark.xfail(
    strict=True,
    reason="rule 1 with the index misses a copy whose every word of five letters or more "
    "has two letters swapped (ratio about 92): too few of its words match for the "
    "candidate search; the miss is in the safe direction (kept, not lost)",
)
def test_index_finds_a_copy_with_a_typo_in_every_long_word() -> None:
    import re

    lead = (
        "The regional parliament passed the new housing law on Thursday after a debate "
        "that lasted well into the night and several amendments."
    )
    others = [
        "Opposition members said the law would do little for young families who cannot "
        "afford deposits.",
        "The ministry expects the first new flats to be finished within three years of the "
        "vote, officials said.",
        "Tenants' groups welcomed the cap on rent rises but asked for stronger protection "
        "against evictions.",
    ]
    copy = re.sub(r"[A-Za-z]{5,}", lambda m: m[0][0] + m[0][2] + m[0][1] + m[0][3:], lead)
    text = "\n\n".join([lead, *others, copy]) + "\n"
    every_pair = _dedupe(text, Options(), indexed=False)
    assert [r.index for r in every_pair.removals] == [4]
    assert _dedupe(text, Options(), indexed=True).text == every_pair.text
