"""Publish the warehouse: bulk exports (Parquet, CSV, XLSX), a static HTML report, offline docs.

Everything here reads the DuckDB warehouse read-only and writes deterministic files: the same
warehouse gives byte-identical output.
"""

from __future__ import annotations

from typing import Any

__all__ = ["export_warehouse", "write_report"]


def __getattr__(name: str) -> Any:
    # Imported on first use: `gongkai report` need not load the exports' writers (polars,
    # XlsxWriter: about a second of start-up) to draw a few pages.
    if name == "export_warehouse":
        from publish.export import export_warehouse

        return export_warehouse
    if name == "write_report":
        from publish.report import write_report

        return write_report
    raise AttributeError(f"module 'publish' has no attribute {name!r}")
