"""Read-only access to the warehouse marts, each sorted by its natural key."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

# Every mart of schema `main`, with the columns that identify a row (the grain stated in
# models/marts/_marts__models.yml). Rows are exported and read in this order.
MART_KEYS: dict[str, tuple[str, ...]] = {
    "rpt_reports": ("report_id",),
    "dim_reports": ("report_id",),
    "fct_applications": ("report_id", "applicant_type"),
    "fct_application_outcomes": ("report_id", "applicant_type", "outcome_code"),
    "fct_reviews_litigation": ("report_id", "proceeding", "result"),
    "fct_proactive_disclosure": ("report_id", "item", "measure"),
    "fct_reconciliation_results": ("report_id", "rule_id", "scope_code"),
    "rpt_grant_rates": ("report_id", "applicant_type"),
    "rpt_correction_rates": ("report_id", "proceeding"),
    "rpt_correction_rates_by_year": ("proceeding", "is_all_years", "report_year"),
}
MARTS: tuple[str, ...] = tuple(MART_KEYS)


@contextmanager
def read_only(database: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection: it never blocks a rebuild for long."""
    if not database.exists():
        raise FileNotFoundError(f"{database}: no warehouse here; run `gongkai build` first")
    connection = duckdb.connect(str(database), read_only=True)
    try:
        yield connection
    finally:
        connection.close()


def fetch_table(
    connection: duckdb.DuckDBPyConnection, sql: str, parameters: list | None = None
) -> pa.Table:
    """Run `sql` and return the whole result as an Arrow table."""
    result = connection.execute(sql, parameters or []).arrow()
    return result.read_all() if isinstance(result, pa.RecordBatchReader) else result


def fetch_dicts(
    connection: duckdb.DuckDBPyConnection, sql: str, parameters: list | None = None
) -> list[dict[str, Any]]:
    """Run `sql` and return its rows as dictionaries keyed by column name."""
    cursor = connection.execute(sql, parameters or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def mart_table(connection: duckdb.DuckDBPyConnection, mart: str) -> pa.Table:
    """All rows of `mart`, ordered by its key (unique: dbt tests it)."""
    order = ", ".join(_quote(key) for key in MART_KEYS[mart])
    return fetch_table(connection, f"select * from main.{_quote(mart)} order by {order}")


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
