"""Command line: `gongkai ingest PATH… --out DIR`, `gongkai remove PATH…`, `gongkai build`,
`gongkai export`, `gongkai report`, `gongkai publish --marts DIR`, `gongkai review
export|import`. Arguments and messages
only, no logic."""

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
    remove = commands.add_parser("remove", help="drop the reports ingested from PATH… (below)")
    remove.add_argument("paths", nargs="+", help="files or folders, named as when ingested")
    remove.add_argument("--out", type=Path, default=DEFAULT_LAKE, help="lake folder")
    build = commands.add_parser("build", help="ingest, then `dbt build` into the DuckDB file")
    build.add_argument(
        "paths",
        nargs="*",
        default=[str(DEFAULT_SAMPLE)],
        help=f"files or folders (default: {DEFAULT_SAMPLE})",
    )
    _lake_arguments(build)
    build.add_argument("--database", type=Path, default=DEFAULT_DB, help="warehouse file")
    export = commands.add_parser("export", help="marts -> Parquet, CSV (UTF-8 BOM) and XLSX")
    export.add_argument("--database", type=Path, default=DEFAULT_DB, help="warehouse file")
    export.add_argument("--out", type=Path, default=Path("warehouse/export"), help="folder")
    report = commands.add_parser("report", help="static HTML report with charts")
    report.add_argument("--database", type=Path, default=DEFAULT_DB, help="warehouse file")
    report.add_argument("--out", type=Path, default=Path("warehouse/report"), help="folder")
    publish = commands.add_parser(
        "publish", help="marts as Parquet from any engine's build -> DuckDB file, exports, report"
    )
    publish.add_argument(
        "--marts",
        type=Path,
        required=True,
        help="folder of GONGKAI_MARTS_PARQUET (<mart>/*.parquet)",
    )
    publish.add_argument(
        "--manifest", type=Path, default=Path("target/manifest.json"), help="that build's manifest"
    )
    publish.add_argument("--out", type=Path, default=Path("warehouse/published"), help="folder")
    review = commands.add_parser("review", help="reviewer verdicts on findings")
    review_commands = review.add_subparsers(dest="review_command", required=True)
    review_export = review_commands.add_parser(
        "export", help="open findings -> CSV and XLSX for a reviewer to fill"
    )
    review_export.add_argument("--database", type=Path, default=DEFAULT_DB, help="warehouse")
    review_export.add_argument(
        "--out", type=Path, default=Path("warehouse/review"), help="folder for the files"
    )
    review_import = review_commands.add_parser(
        "import", help="validate a filled file and store its verdicts (review/verdicts.csv)"
    )
    review_import.add_argument("file", type=Path, help="the filled CSV or XLSX")
    arguments = parser.parse_args(argv)
    if arguments.command == "publish":
        return _publish(arguments)
    if arguments.command == "review":
        return _review(arguments)
    if arguments.command == "ingest":
        return _ingest(arguments)
    if arguments.command == "remove":
        return _remove(arguments)
    if arguments.command == "export":
        return _export(arguments)
    if arguments.command == "report":
        return _report(arguments)
    return _build(arguments)


def _ingest_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", help="report files or folders (searched recursively)")
    _lake_arguments(parser)
    parser.add_argument(
        "--engine",
        choices=["local", "spark"],
        default="local",
        help="who parses: local worker processes, or Spark tasks (pyspark, `--group spark`)",
    )


def _lake_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=DEFAULT_LAKE, help="lake folder")
    parser.add_argument("--workers", type=int, default=2, help="parser processes (default 2)")
    parser.add_argument(
        "--replace",
        action="store_true",
        help="make the lake exactly these inputs (default: add them, keep reports from elsewhere)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip files or folders matching GLOB (repeatable; also read from .gongkaiignore)",
    )
    parser.add_argument(
        "--doc-seconds",
        type=float,
        default=300.0,
        help="time budget per document; past it the document is an error row (default 300)",
    )
    parser.add_argument(
        "--doc-memory-mb",
        type=int,
        default=3072,
        help="memory budget per document, in MB (default 3072)",
    )


def _options(arguments: argparse.Namespace) -> dict:
    from ingest.lake.workers import Budget

    return {
        "workers": arguments.workers,
        "replace": arguments.replace,
        "exclude": tuple(arguments.exclude),
        "budget": Budget(arguments.doc_seconds, arguments.doc_memory_mb),
    }


def _ingest(arguments: argparse.Namespace) -> int:
    from ingest.lake.pipeline import run

    parse = None
    if arguments.engine == "spark":
        from ingest.lake.spark import parse_on_spark as parse
    try:
        summary = run(arguments.paths, arguments.out, **_options(arguments), parse=parse)
    except (FileNotFoundError, OSError) as error:
        return _fail(error, arguments.out)
    print(summary.render(), file=sys.stderr)
    return 1 if summary.failed else 0


def _remove(arguments: argparse.Namespace) -> int:
    from ingest.lake.pipeline import remove_paths

    try:
        summary = remove_paths(arguments.paths, arguments.out)
    except OSError as error:
        return _fail(error, arguments.out)
    print(summary.render(), file=sys.stderr)
    return 0


def _build(arguments: argparse.Namespace) -> int:
    from gongkai.build import build

    try:
        return build(
            arguments.paths, arguments.out, database=arguments.database, **_options(arguments)
        )
    except (FileNotFoundError, OSError) as error:
        return _fail(error, arguments.out)


def _fail(error: OSError, lake: Path) -> int:
    """One line for the person at the console, no traceback; the lake was not changed."""
    if isinstance(error, FileNotFoundError) and not error.filename:
        print(f"gongkai: {error}; nothing was changed", file=sys.stderr)
        return 1
    where = f"{error.filename}: " if error.filename else ""
    reason = error.strerror or str(error)
    print(
        f"gongkai: cannot update the lake {lake}: {where}{reason}; the lake was left as it was",
        file=sys.stderr,
    )
    return 1


def _export(arguments: argparse.Namespace) -> int:
    from publish.export import export_warehouse

    manifest = export_warehouse(arguments.database, arguments.out)
    print(f"export: {len(manifest['files'])} files in {arguments.out}", file=sys.stderr)
    return 0


def _publish(arguments: argparse.Namespace) -> int:
    from publish.export import export_warehouse
    from publish.from_parquet import warehouse_from_parquet
    from publish.report import write_report

    database = arguments.out / "gongkai.duckdb"
    marts = warehouse_from_parquet(arguments.marts, arguments.manifest, database)
    print(f"warehouse: {database} ({len(marts)} marts)", file=sys.stderr)
    manifest = export_warehouse(database, arguments.out / "export")
    print(f"export: {len(manifest['files'])} files in {arguments.out / 'export'}", file=sys.stderr)
    pages = write_report(database, arguments.out / "report")
    print(
        f"report: {len(pages)} pages, open {arguments.out / 'report' / 'index.html'}",
        file=sys.stderr,
    )
    return 0


def _report(arguments: argparse.Namespace) -> int:
    from publish.report import write_report

    pages = write_report(arguments.database, arguments.out)
    print(f"report: {len(pages)} pages, open {arguments.out / 'index.html'}", file=sys.stderr)
    return 0


def _review(arguments: argparse.Namespace) -> int:
    from gongkai.review import ReviewFileError, export_open_findings, import_verdicts

    if arguments.review_command == "export":
        csv_path, xlsx_path, count = export_open_findings(arguments.database, arguments.out)
        print(f"review: {count} open findings in {csv_path} and {xlsx_path}", file=sys.stderr)
        return 0
    try:
        result = import_verdicts(arguments.file)
    except ReviewFileError as error:
        print(f"review import refused, nothing stored:\n{error}", file=sys.stderr)
        return 2
    print(
        f"review: {result.imported} verdicts stored in {result.path} "
        f"({result.skipped_blank} rows without a verdict skipped); run `gongkai build`",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
