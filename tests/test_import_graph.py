"""The import graph points one way: gongkai's CLI and build on top, ingest and publish beside
each other below it, shared helpers at the bottom, and ingest's stages in data-flow order.

Read from the source with `ast`, so imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGES = ("gongkai", "ingest", "publish", "bench", "tests")
# The benchmarks' gitignored output (corpora, lakes, checkouts of other commits): not code.
BENCH_OUTPUT = ROOT / "bench" / "out"
# The only modules that may import both ingest and publish: they wire the whole build.
WIRING = {"gongkai.cli", "gongkai.build"}
# ingest's stages in data-flow order; a module imports only its own stage or earlier ones.
INGEST_STAGES = (
    # the seeds' vocabularies, the contract (its parser version, its cells as columns),
    # printed cell text
    ("ingest.vocabulary", "ingest.schema", "ingest.cells", "ingest.version", "ingest.values"),
    ("ingest.readers",),  # bytes -> decoded rows
    # rows -> placed cells; page text -> metadata and the issuing body; pre-2019 tables and
    # the narrative -> figures
    ("ingest.tables", "ingest.metadata", "ingest.source_url", "ingest.agency", "ingest.figures"),
    ("ingest.document",),  # one document: readers, tables and metadata wired
    ("ingest.lake",),  # inputs, Parquet, the incremental pipeline
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module `path` imports (absolute names; the code uses no relative imports)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            found.add(node.module or "")
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in PACKAGES}


def graph() -> dict[str, set[str]]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.is_relative_to(BENCH_OUTPUT):
                continue
            modules[module_name(path)] = path
    # "from ingest.readers import Decoded" names a module's attribute: keep module names only.
    return {
        name: {imported for imported in imports_of(path) if imported in modules}
        for name, path in modules.items()
    }


def top(name: str) -> str:
    return name.split(".")[0]


def stage(name: str) -> int:
    for rank, prefixes in enumerate(INGEST_STAGES):
        if any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes):
            return rank
    raise AssertionError(f"{name} belongs to no ingest stage: add it to INGEST_STAGES")


def test_the_graph_is_read() -> None:
    edges = graph()
    assert "ingest.lake.pipeline" in edges["gongkai.build"]
    assert "publish.report" in edges["gongkai.build"]
    assert "ingest.readers" in edges["ingest.readers.pdf"]


def test_ingest_and_publish_never_import_each_other() -> None:
    for name, imported in graph().items():
        if top(name) == "ingest":
            assert not {i for i in imported if top(i) == "publish"}, name
        if top(name) == "publish":
            assert not {i for i in imported if top(i) == "ingest"}, name


def test_only_cli_and_build_import_both_ingest_and_publish() -> None:
    both = {
        name
        for name, imported in graph().items()
        if top(name) != "tests" and {"ingest", "publish"} <= {top(i) for i in imported}
    }
    assert both <= WIRING


def test_ingest_and_publish_use_only_gongkais_shared_helpers() -> None:
    """Helpers they take from gongkai import neither ingest nor publish: no cycle via the top."""
    edges = graph()
    helpers = {
        name
        for name, imported in edges.items()
        if top(name) == "gongkai" and not {top(i) for i in imported} & {"ingest", "publish"}
    }
    for name, imported in edges.items():
        if top(name) in ("ingest", "publish"):
            assert {i for i in imported if top(i) == "gongkai"} <= helpers, name


def test_nothing_outside_tests_imports_tests() -> None:
    for name, imported in graph().items():
        if top(name) != "tests":
            assert not {i for i in imported if top(i) == "tests"}, name


def test_ingest_stages_import_only_earlier_stages() -> None:
    for name, imported in graph().items():
        if top(name) != "ingest" or name == "ingest":
            continue
        later = {i for i in imported if top(i) == "ingest" and stage(i) > stage(name)}
        assert not later, f"{name} (stage {stage(name)}) imports later stages: {later}"
