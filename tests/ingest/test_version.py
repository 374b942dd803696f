"""The parser version changes with the parser's code and the seeds it reads, nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

from ingest.version import code_files, compute_version, seed_files
from tests.conftest import ROOT


def test_parser_version_follows_code_and_the_seeds_it_reads(tmp_path: Path) -> None:
    package, seeds = tmp_path / "ingest", tmp_path / "seeds"
    shutil.copytree(ROOT / "ingest", package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "gongkai", tmp_path / "gongkai", ignore=shutil.ignore_patterns("__*"))
    shutil.copytree(ROOT / "seeds", seeds)
    first = compute_version(package, seeds)
    assert compute_version(package, seeds) == first
    read = {path.name for path in seed_files(code_files(package), seeds)}
    assert {"markers.csv", "row_labels.csv", "template_cells.csv"} <= read
    dbt_only = sorted(path for path in seeds.glob("*.csv") if path.name not in read)
    assert dbt_only, "every seed is read by the parser"
    with open(dbt_only[0], "a", encoding="utf-8") as handle:
        handle.write("\n")  # a seed only dbt reads: the parse is the same
    assert compute_version(package, seeds) == first
    with open(seeds / "markers.csv", "a", encoding="utf-8") as handle:
        handle.write("\n")
    second = compute_version(package, seeds)
    assert second != first
    with open(package / "tables" / "placement.py", "a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")
    third = compute_version(package, seeds)
    assert third not in (first, second)
    with open(tmp_path / "gongkai" / "text.py", "a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")
    assert compute_version(package, seeds) not in (first, second, third)
