"""The package's imports point one way: down.

``LAYERS`` is the one list of where each module stands, bottom first. A
module may import modules of its own layer or of the layers below it, never
one above, and no two modules may import each other, directly or round a
circle. Every ``from newsdedupe...`` import counts, at the top of a module,
inside a function (a lazy import) or under ``TYPE_CHECKING``. A module not in
the list fails the test until it is placed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "newsdedupe"

LAYERS: list[tuple[str, ...]] = [
    # the core: pure text in, decisions out (``__init__`` is its public API),
    # bottom up: options and text forms, the index and the numbers, what one
    # paragraph reads as, a document's state, runs and short lines,
    # intentional repetition, rules 1-3, the order they are applied in
    ("config", "normalize", "split", "match", "keys"),
    ("index", "tuning"),
    ("paragraph",),
    ("doc",),
    ("runs", "lines"),
    ("intent",),
    ("rules",),
    ("core", "__init__"),
    # bytes, words and signals: nothing of the run
    ("messages", "io", "signals", "project_config", "progress"),
    # what the command line decided; views of one result; one record cleaned
    ("settings", "render", "records"),
    ("htmlreport",),
    # the shared vocabulary of every mode: counts and messages, the walk,
    # the executors (serial, process pool)
    ("report", "walk", "executors"),
    # the Dask executor
    ("dask",),
    # the work of one job: a text file (and stdin), a shard
    ("files", "shard"),
    # the modes: plan the jobs, handle the outcomes
    ("batch", "jsonl"),
    # the top: the runner chooses the mode and the executor and runs the one
    # loop; the CLI reads the command line
    ("runner",),
    ("cli",),
    ("__main__",),
]


def imports_of(source: str, name: str) -> set[str]:
    """The package modules ``source`` (module ``name``) imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source, name)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "newsdedupe":
                    found.add(parts[1] if len(parts) > 1 else "__init__")
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: from . import x, from .x import y
                module = "newsdedupe" + ("." + module if module else "")
            parts = module.split(".")
            if parts[0] != "newsdedupe":
                continue
            if len(parts) > 1:
                found.add(parts[1])
                continue
            for alias in node.names:  # from newsdedupe import render, __version__
                found.add(alias.name if (PACKAGE / f"{alias.name}.py").exists() else "__init__")
    found.discard(name)
    return found


def layering_problems(graph: dict[str, set[str]], layers: list[tuple[str, ...]]) -> list[str]:
    """Each module not placed, each import pointing up, each circle."""
    level = {module: i for i, layer in enumerate(layers) for module in layer}
    problems = [
        f"{module}.py is not in LAYERS: add it to the layer it belongs to "
        "(core-side modules go in the bottom layer)"
        for module in sorted(graph)
        if module not in level
    ]
    for module in sorted(graph):
        for target in sorted(graph[module]):
            if module in level and target in level and level[target] > level[module]:
                problems.append(
                    f"{module} imports {target}, a layer above it "
                    f"({level[module]} -> {level[target]})"
                )
    problems.extend(f"import circle: {' -> '.join(c)}" for c in _circles(graph))
    return problems


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle per module that can reach itself (depth-first search)."""
    circles: list[list[str]] = []
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            circles.append([*path[path.index(module) :], module])
            return
        if module in done:
            return
        for target in sorted(graph.get(module, ())):
            visit(target, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    return circles


def package_graph() -> dict[str, set[str]]:
    return {
        path.stem: imports_of(path.read_text(encoding="utf-8"), path.stem)
        for path in sorted(PACKAGE.glob("*.py"))
    }


def test_imports_point_down_and_never_round_a_circle() -> None:
    assert layering_problems(package_graph(), LAYERS) == []


def test_every_layer_names_modules_that_exist() -> None:
    stale = [m for layer in LAYERS for m in layer if not (PACKAGE / f"{m}.py").exists()]
    assert stale == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from newsdedupe.runner import run\n", {"runner"}),
        ("def f():\n    from newsdedupe.batch import Task\n", {"batch"}),
        ("import newsdedupe.jsonl\n", {"jsonl"}),
        ("from newsdedupe import render, __version__\n", {"render", "__init__"}),
        ("from . import io\nfrom .core import dedupe_text\n", {"io", "core"}),
        ("import json\nfrom click import echo\n", set()),
    ],
)
def test_every_kind_of_import_is_seen(source: str, expected: set[str]) -> None:
    assert imports_of(source, "example") == expected


def test_an_upward_import_an_unplaced_module_and_a_circle_are_each_reported() -> None:
    graph = {
        "core": {"report"},  # up
        "report": {"core"},  # down, but round a circle with the line above
        "newcomer": set(),
    }
    layers = [("core",), ("report",)]
    assert layering_problems(graph, layers) == [
        "newcomer.py is not in LAYERS: add it to the layer it belongs to "
        "(core-side modules go in the bottom layer)",
        "core imports report, a layer above it (0 -> 1)",
        "import circle: core -> report -> core",
    ]
