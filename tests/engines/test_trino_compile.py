"""The project compiles for Trino (dbt-trino, no server) and no engine-specific function
leaks into its SQL: engine-specific SQL lives behind macros that dispatch on target.type.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.engines.engines import ROOT, dbt

# Functions and syntax of one engine that Trino rejects or reads differently.
LEAKS = {
    "md5 of text (Trino's md5 takes varbinary)": r"\bmd5\((?!to_utf8\()",
    "aggregate filter clause (DuckDB style in this project)": r"\bfilter\s*\(\s*where\b",
    "string_agg (DuckDB, Postgres)": r"\bstring_agg\(",
    "DuckDB hash()": r"(?<![\w.])hash\(",
    "DuckDB :: casts": r"::",
    "DuckDB not materialized": r"\bnot materialized\b",
    "DuckDB read_parquet": r"\bread_parquet\(",
    "DuckDB list functions": r"\blist_\w+\(",
    "DuckDB struct_pack": r"\bstruct_pack\(",
    "Spark named_struct / struct": r"\b(?:named_)?struct\(",
    "Spark collect_list": r"\bcollect_list\(",
    "Spark xxhash64 of text": r"\bxxhash64\((?!to_utf8\()",
    "Spark string type": r"\bas string\b",
    "ilike (not in Trino)": r"\bilike\b",
    "qualify (not in Trino)": r"\bqualify\b",
}


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, str]:
    workdir = tmp_path_factory.mktemp("trino")
    run = dbt(["compile", "--target", "trino", "--no-populate-cache"], workdir, {})
    assert run.returncode == 0, run.output[-5000:]
    files = sorted((run.target / "compiled").rglob("*.sql"))
    return {path.relative_to(run.target): path.read_text(encoding="utf-8") for path in files}


def test_every_model_and_test_compiles(compiled: dict[Path, str]) -> None:
    models = [path for path in compiled if "models" in path.parts and path.parent.suffix != ".yml"]
    assert len(models) >= 10
    assert sum(1 for path in compiled if "tests" in path.parts or path.parent.suffix == ".yml")


@pytest.mark.parametrize("leak", sorted(LEAKS))
def test_no_engine_specific_sql_leaks(compiled: dict[Path, str], leak: str) -> None:
    pattern = re.compile(LEAKS[leak], re.IGNORECASE)
    leaking = {
        str(path): match.group(0)
        for path, sql in compiled.items()
        for match in [pattern.search(_without_comments(sql))]
        if match
    }
    assert leaking == {}, f"{leak} in the Trino SQL"


def _without_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", re.sub(r"/\*.*?\*/", "", sql, flags=re.DOTALL))


def test_the_lake_and_review_sources_are_named_for_trino(tmp_path: Path) -> None:
    """On Trino the on-run-start hook names the lake tables that must exist and gives the
    statement that makes the reviewer verdicts table: every documented column, as text."""
    run = dbt(
        ["run-operation", "register_lake_sources", "--target", "trino"],
        tmp_path,
        {"GONGKAI_REVIEW_DIR": "s3a://reviews/gongkai"},
    )
    assert run.returncode == 0, run.output[-5000:]
    assert "the lake table gongkai_ingest.cells must exist" in run.output
    assert "the lake table gongkai_ingest.documents must exist" in run.output
    (statement,) = re.findall(r"review table \S+ must exist: (create table .*)", run.output)
    sources = yaml.safe_load((ROOT / "models/staging/_review__sources.yml").read_text("utf-8"))
    (table,) = sources["sources"][0]["tables"]
    columns = ", ".join(f"{column['name']} varchar" for column in table["columns"])
    assert f"({columns})" in statement
    assert "format = 'CSV'" in statement and "skip_header_line_count = 1" in statement
    assert "external_location = 's3a://reviews/gongkai'" in statement
