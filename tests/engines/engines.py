"""Running the dbt project on several engines and comparing what they built.

The marts are found in dbt's manifest (models under models/marts/), so a new mart is
compared without touching these tests. Every comparison happens in DuckDB: the Spark
build writes its marts and seeds to Parquet (GONGKAI_MARTS_PARQUET, macros/export_marts.sql).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpus" / "sample"
BIN = Path(sys.executable).parent

# Spark local mode on a small machine: two task threads, two shuffle partitions.
SPARK_SETTINGS = {
    "GONGKAI_SPARK_MASTER": "local[2]",
    "GONGKAI_SPARK_SHUFFLE_PARTITIONS": "2",
}


@dataclass(frozen=True)
class DbtRun:
    """One dbt invocation: its exit code, output and the target folder it wrote."""

    returncode: int
    output: str
    target: Path

    @property
    def manifest(self) -> dict:
        return json.loads((self.target / "manifest.json").read_text(encoding="utf-8"))

    @property
    def run_results(self) -> dict:
        return json.loads((self.target / "run_results.json").read_text(encoding="utf-8"))


def ingest(
    inputs: Path, lake: Path, *arguments: str, environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`gongkai ingest INPUTS --out LAKE [arguments]` (with `environment` added to ours)."""
    return subprocess.run(
        [str(BIN / "gongkai"), "ingest", str(inputs), "--out", str(lake), *arguments],
        cwd=ROOT,
        env={**os.environ, **(environment or {})},
        capture_output=True,
        text=True,
    )


def dbt(arguments: list[str], workdir: Path, environment: dict[str, str]) -> DbtRun:
    """Run dbt from the repository root with its own target and log folders under workdir."""
    target = workdir / "target"
    completed = subprocess.run(
        [
            str(BIN / "dbt"),
            *arguments,
            "--target-path",
            str(target),
            "--log-path",
            str(workdir / "logs"),
        ],
        cwd=ROOT,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
    )
    return DbtRun(completed.returncode, completed.stdout + completed.stderr, target)


def spark_environment(workdir: Path, lake: Path, marts: Path) -> dict[str, str]:
    """Everything a Spark build writes (metastore, tables, Parquet marts) under workdir."""
    return {
        **SPARK_SETTINGS,
        "GONGKAI_LAKE": str(lake),
        "GONGKAI_MARTS_PARQUET": str(marts),
        "GONGKAI_SPARK_WAREHOUSE": str(workdir / "spark-warehouse"),
        "GONGKAI_SPARK_METASTORE": str(workdir / "spark"),
    }


def mart_names(manifest: dict) -> list[str]:
    """The project's marts: every model under models/marts/."""
    return sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1] == "marts"
    )


def seed_names(manifest: dict) -> list[str]:
    return sorted(
        node["name"] for node in manifest["nodes"].values() if node["resource_type"] == "seed"
    )


def failed_nodes(run: DbtRun) -> list[str]:
    """Nodes whose status is an error or a failed test (warnings are findings, not failures)."""
    return [
        f"{result['unique_id']}: {result['status']} {result.get('message') or ''}"
        for result in run.run_results["results"]
        if result["status"] in ("error", "fail", "runtime error", "skipped")
    ]


_INTEGER_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
)
_NUMERIC_PREFIXES = ("FLOAT", "DOUBLE", "REAL", "DECIMAL", "NUMERIC")


def stable_text(column: str, data_type: str) -> str:
    """One column as text that means the same on every engine.

    Integers of any width print alike; fractional numbers are rounded to 9 decimals, so
    that a sum added up in another order compares equal; the rest is DuckDB's text of it.
    """
    quoted = '"' + column.replace('"', '""') + '"'
    data_type = data_type.upper()
    if data_type in _INTEGER_TYPES:
        return f"cast(cast({quoted} as hugeint) as varchar) as {quoted}"
    if data_type.startswith(_NUMERIC_PREFIXES):
        return f"cast(round(cast({quoted} as double), 9) as varchar) as {quoted}"
    return f"cast({quoted} as varchar) as {quoted}"


def columns_of(connection: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [
        (row[0], row[1])
        for row in connection.execute(f"describe select * from {relation}").fetchall()
    ]


@dataclass(frozen=True)
class Difference:
    relation: str
    problem: str

    def __str__(self) -> str:
        return f"{self.relation}: {self.problem}"


def compare_relations(
    connection: duckdb.DuckDBPyConnection, name: str, left: str, right: str, sample: int = 5
) -> list[Difference]:
    """Row-for-row comparison (EXCEPT ALL both ways after a stable cast); [] when equal."""
    left_columns = columns_of(connection, left)
    right_columns = columns_of(connection, right)
    left_names = [column for column, _ in left_columns]
    right_names = [column for column, _ in right_columns]
    if left_names != right_names:
        return [Difference(name, f"columns differ: {left_names} vs {right_names}")]
    left_select = ", ".join(stable_text(*column) for column in left_columns)
    right_select = ", ".join(stable_text(*column) for column in right_columns)
    differences = []
    for side, first, second in (
        (
            "only in the first",
            f"select {left_select} from {left}",
            f"select {right_select} from {right}",
        ),
        (
            "only in the second",
            f"select {right_select} from {right}",
            f"select {left_select} from {left}",
        ),
    ):
        query = f"select * from ({first} except all {second})"
        count = connection.execute(f"select count(*) from ({query})").fetchone()[0]
        if count:
            rows = connection.execute(f"{query} limit {sample}").fetchall()
            differences.append(Difference(name, f"{count} rows {side}, e.g. {rows}"))
    return differences


def parquet_relation(folder: Path) -> str:
    """A folder of Parquet part files (Spark's or DuckDB's) as a DuckDB relation."""
    return f"read_parquet('{folder.as_posix()}/*.parquet', union_by_name = true)"
