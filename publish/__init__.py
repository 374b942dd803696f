"""Publish the warehouse: bulk exports (Parquet, CSV, XLSX), a static HTML report, offline docs.

Everything here reads the DuckDB warehouse read-only and writes deterministic files: the same
warehouse gives byte-identical output.
"""

from publish.export import export_warehouse
from publish.report import write_report

__all__ = ["export_warehouse", "write_report"]
