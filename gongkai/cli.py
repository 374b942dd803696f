"""Command line: `gongkai ingest PATH… --out DIR`, `gongkai build`, `gongkai export`,
`gongkai report`. Arguments only, no logic."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_LAKE = Path("warehouse/lake")
DEFAULT_SAMPLE = Path("corpus/sample")
DEFAULT_DB = Path("warehouse/gongkai.duckdb")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gongkai", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", help="documents -> Parquet cells and documents")
    _ingest_arguments(ingest)
    build = commands.add_parser("build", help="ingest, then `dbt build` into the DuckDB file")
    build.add_argument(
        "paths",
        nargs="*",
        default=[str(DEFAULT_SAMPLE)],
        help=f"files or folders (default: {DEFAULT_SAMPLE})",
    )
    build.add_argument("--out", type=Path, default=DEFAULT_LAKE, help="lake folder")
    build.add_argument("--workers", type=int, default=2)
    export = commands.add_parser("export", help="marts -> Parquet, CSV (UTF-8 BOM) and XLSX")
    export.add_argument("--database", type=Path, default=DEFAULT_DB, help="warehouse file")
    export.add_argument("--out", type=Path, default=Path("warehouse/export"), help="folder")
    report = commands.add_parser("report", help="static HTML report with charts")
    report.add_argument("--database", type=Path, default=DEFAULT_DB, help="warehouse file")
    report.add_argument("--out", type=Path, default=Path("warehouse/report"), help="folder")
    arguments = parser.parse_args(argv)
    if arguments.command == "ingest":
        return _ingest(arguments)
    if arguments.command == "export":
        return _export(arguments)
    if arguments.command == "report":
        return _report(arguments)
    return _build(arguments)


def _ingest_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", help="report files or folders (searched recursively)")
    parser.add_argument("--out", type=Path, default=DEFAULT_LAKE, help="lake folder")
    parser.add_argument("--workers", type=int, default=2, help="parser processes (default 2)")


def _ingest(arguments: argparse.Namespace) -> int:
    from ingest.lake.pipeline import run

    summary = run(arguments.paths, arguments.out, workers=arguments.workers)
    print(summary.render(), file=sys.stderr)
    return 1 if summary.failed else 0


def _build(arguments: argparse.Namespace) -> int:
    from gongkai.build import build

    return build(arguments.paths, arguments.out, workers=arguments.workers)


def _export(arguments: argparse.Namespace) -> int:
    from publish.export import export_warehouse

    manifest = export_warehouse(arguments.database, arguments.out)
    print(f"export: {len(manifest['files'])} files in {arguments.out}", file=sys.stderr)
    return 0


def _report(arguments: argparse.Namespace) -> int:
    from publish.report import write_report

    pages = write_report(arguments.database, arguments.out)
    print(f"report: {len(pages)} pages, open {arguments.out / 'index.html'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
