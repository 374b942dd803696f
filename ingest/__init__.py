"""gongkai ingest: report documents -> one Parquet row per table cell."""
