"""Command line: `gongkai ingest PATH… --out DIR`, `gongkai remove PATH…`, `gongkai build`,
`gongkai status`, `gongkai export`, `gongkai serve`, `gongkai report`,
`gongkai publish --marts DIR`, `gongkai review export|import`.
Arguments and messages only, no logic."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

DEFAULT_LAKE = Path("warehouse/lake")
DEFAULT_SAMPLE = Path("corpus/sample")
DEFAULT_DB = Path("warehouse/gongkai.duckdb")

DESCRIPTION = """\
gongkai (公开): government information-disclosure annual reports (政府信息公开工作年度报告)
as reconciled data. Report files go into a lake of Parquet cells; dbt builds the DuckDB
warehouse from it; the marts are exported to Excel, CSV and Parquet and shown as HTML."""
EPILOG = """\
examples:
  gongkai build                         build the warehouse from the bundled sample
  gongkai build my_reports/             add your folder of reports and rebuild
  gongkai status                        what failed, what is partial, what to do next
  gongkai export                        Excel, CSV and Parquet in warehouse/export/

Paths are relative to the current folder. Run `gongkai COMMAND --help` for a command's
options and their defaults."""


def _version() -> str:
    try:
        return version("gongkai")
    except PackageNotFoundError:
        return "unknown"


class _DefaultsShown(argparse.HelpFormatter):
    """Adds "(default: …)" to options that have a real default and do not state it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.default in (None, False, [], argparse.SUPPRESS) or "default" in text:
            return text
        if action.option_strings or action.nargs in ("?", "*"):
            return f"{text} (default: %(default)s)"
        return text


def _parser(
    name: str, commands: argparse._SubParsersAction, help_text: str, description: str
) -> argparse.ArgumentParser:
    return commands.add_parser(
        name, help=help_text, description=description, formatter_class=_DefaultsShown
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="gongkai",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"gongkai {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    ingest = _parser(
        "ingest",
        commands,
        "read report files into the lake (Parquet)",
        "Read report files (txt, md, html, mht, pdf, docx, xlsx, doc, xls) into "
        "the lake: one row per table cell and one per file.",
    )
    _ingest_arguments(ingest)
    remove = _parser(
        "remove",
        commands,
        "drop the reports ingested from PATH… (below)",
        "Drop from the lake the reports that were ingested from PATH….",
    )
    remove.add_argument("paths", nargs="+", help="files or folders, named as when ingested")
    remove.add_argument("--out", type=Path, default=DEFAULT_LAKE, help="lake folder")
    build = _parser(
        "build",
        commands,
        "ingest, then build the warehouse, docs and report",
        "Ingest PATH… into the lake, build the DuckDB warehouse with dbt (swapped "
        "in only when the build succeeds), then write the dbt docs and the HTML "
        "report beside it.",
    )
    build.add_argument(
        "paths",
        nargs="*",
        default=[str(DEFAULT_SAMPLE)],
        help=f"files or folders (default: {DEFAULT_SAMPLE})",
    )
    _lake_arguments(build)
    build.add_argument("--database", type=Path, default=DEFAULT_DB, help="warehouse file")
    build.add_argument("--no-docs", action="store_true", help="do not write the dbt docs")
    build.add_argument("--no-report", action="store_true", help="do not write the HTML report")
    status = _parser(
        "status",
        commands,
        "what failed, what is partial, what to do next",
        "Name the files that failed and why, the reports left partial and what "
        "is missing, the findings by rule, and the next steps. Exit code 1 when "
        "a file failed or a report is partial.",
    )
    status.add_argument("--database", type=Path, default=DEFAULT_DB, help="warehouse file")
    export = _parser(
        "export",
        commands,
        "marts -> Excel, CSV (UTF-8 BOM) and Parquet",
        "Write every mart as Parquet and CSV and one Excel workbook, with a manifest of hashes.",
    )
    export.add_argument("--database", type=Path, default=DEFAULT_DB, help="warehouse file")
    export.add_argument("--out", type=Path, default=Path("warehouse/export"), help="folder")
    export.add_argument(
        "--report-id",
        default=None,
        help="report whose table 三 the workbook mirrors (default: the latest parsed one)",
    )
    export.add_argument(
        "--sqlite",
        action="store_true",
        help="also write datasette/gongkai.sqlite and its metadata.json for Datasette",
    )
    serve = _parser(
        "serve",
        commands,
        "explore the marts in Datasette (a browser)",
        "Copy the marts into SQLite with their descriptions and open them in Datasette: "
        "facets, full-text search, a page per report and finding. Datasette is its own "
        "dependency group: `uv run --group datasette gongkai serve`.",
    )
    serve.add_argument("--database", type=Path, default=DEFAULT_DB, help="warehouse file")
    serve.add_argument("--out", type=Path, default=Path("warehouse/datasette"), help="folder")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8001, help="port to listen on")
    report = _parser(
        "report",
        commands,
        "static HTML report with charts",
        "Write the static HTML report (opens from disk, no server).",
    )
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
    with _terminate_as_interrupt():
        try:
            return _run(arguments)
        except KeyboardInterrupt:
            print(
                f"gongkai {arguments.command}: stopped before the end; the lake and the"
                " warehouse stay as the last complete run left them",
                file=sys.stderr,
            )
            return 130


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM stops a command the way Ctrl-C does: the cleanup that stops the workers and
    discards what was half written runs (by default SIGTERM ends the process on the spot and
    leaves its workers behind)."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(arguments: argparse.Namespace) -> int:
    if arguments.command == "publish":
        return _publish(arguments)
    if arguments.command == "review":
        return _review(arguments)
    if arguments.command == "ingest":
        return _ingest(arguments)
    if arguments.command == "remove":
        return _remove(arguments)
    if arguments.command == "status":
        return _status(arguments)
    if arguments.command == "serve":
        return _serve(arguments)
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

    options = _options(arguments)
    parse = None
    if arguments.engine == "spark":
        from ingest.lake.spark import parse_on_spark

        # Inside each Spark task the same per-document budget as the local pool's.
        parse = partial(parse_on_spark, budget=options["budget"])
    try:
        summary = run(arguments.paths, arguments.out, **options, parse=parse)
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
            arguments.paths,
            arguments.out,
            database=arguments.database,
            docs=not arguments.no_docs,
            report=not arguments.no_report,
            **_options(arguments),
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


def _no_warehouse(error: FileNotFoundError) -> int:
    print(f"gongkai: {error}", file=sys.stderr)
    return 1


def _status(arguments: argparse.Namespace) -> int:
    from publish.status import warehouse_status

    try:
        status = warehouse_status(arguments.database)
    except FileNotFoundError as error:
        return _no_warehouse(error)
    print(status.render())
    return status.exit_code


def _export(arguments: argparse.Namespace) -> int:
    from publish.export import export_warehouse

    try:
        manifest = export_warehouse(arguments.database, arguments.out, arguments.report_id)
    except FileNotFoundError as error:
        return _no_warehouse(error)
    except ValueError as error:  # e.g. an unknown --report-id
        print(f"gongkai: {error}", file=sys.stderr)
        return 1
    print(f"export: {len(manifest['files'])} files in {arguments.out}", file=sys.stderr)
    if arguments.sqlite:
        from publish.sqlite import export_sqlite

        sqlite = export_sqlite(arguments.database, arguments.out / "datasette")
        print(f"datasette: {sqlite} (serve it with `gongkai serve`)", file=sys.stderr)
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
    files = write_report(database, arguments.out / "report")
    print(
        f"report: {files.summary()}; open {arguments.out / 'report' / 'index.html'}",
        file=sys.stderr,
    )
    return 0


def _serve(arguments: argparse.Namespace) -> int:
    import importlib.util
    import subprocess

    from publish.sqlite import METADATA_FILE, export_sqlite

    if importlib.util.find_spec("datasette") is None:
        print(
            "gongkai: Datasette is not installed here; it has its own dependency group: "
            "uv run --group datasette gongkai serve",
            file=sys.stderr,
        )
        return 1
    try:
        sqlite = export_sqlite(arguments.database, arguments.out)
    except FileNotFoundError as error:
        return _no_warehouse(error)
    command = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        "--immutable",
        str(sqlite),
        "--metadata",
        str(arguments.out / METADATA_FILE),
        "--host",
        arguments.host,
        "--port",
        str(arguments.port),
    ]
    print(
        f"datasette: http://{arguments.host}:{arguments.port}/ (Ctrl-C stops it)", file=sys.stderr
    )
    try:
        return subprocess.run(command, check=False).returncode
    except KeyboardInterrupt:
        return 0


def _report(arguments: argparse.Namespace) -> int:
    from publish.report import write_report

    try:
        files = write_report(arguments.database, arguments.out)
    except FileNotFoundError as error:
        return _no_warehouse(error)
    print(f"report: {files.summary()}; open {arguments.out / 'index.html'}", file=sys.stderr)
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
