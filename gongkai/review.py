"""Reviewer verdicts on findings: `gongkai review export` and `gongkai review import FILE`.

Export writes the open findings (failing, without a verdict yet) to CSV and XLSX with empty
`verdict`, `note`, `corrected_cell` and `corrected_value` columns. Import validates a filled
file and appends its verdicts to review/verdicts.csv (a file of the repository, beside the
seeds, not in the lake: a fresh lake or a rebuild keeps it). The warehouse reads that file
(the `review` source): fct_reconciliation_results carries each finding's latest verdict, a
verdict whose finding no longer exists is listed in rpt_review_verdicts, and an
`extraction_error` verdict with a corrected value corrects that cell at the next build.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from pathlib import Path

from gongkai.files import write_atomic, write_text_atomic
from gongkai.seeds import read_seed

VERDICT_COLUMNS = (
    "verdict_seq",
    "finding_id",
    "report_id",
    "rule_id",
    "scope_code",
    "verdict",
    "note",
    "corrected_table_code",
    "corrected_row_code",
    "corrected_col_code",
    "corrected_value",
    "source_file",
)
FILL_COLUMNS = ("verdict", "note", "corrected_cell", "corrected_value")
EXPORT_COLUMNS = (
    "finding_id",
    "report_id",
    "agency_name",
    "report_year",
    "rule_id",
    "rule_name",
    "scope_code",
    "scope_label_zh",
    "expected",
    "actual",
    "difference",
    "evidence_class",
    "compared_report_id",
    "inputs",
    "detail",
    "source_path",
    "report_page",
    *FILL_COLUMNS,
)
# The Chinese heading of each exported column (the XLSX prints it above the code).
EXPORT_COLUMNS_ZH = {
    "finding_id": "发现编号",
    "report_id": "报告编号",
    "agency_name": "发布机关",
    "report_year": "报告年度",
    "rule_id": "规则编号",
    "rule_name": "规则名称",
    "scope_code": "核对范围",
    "scope_label_zh": "范围说明",
    "expected": "应为",
    "actual": "实际",
    "difference": "差额",
    "evidence_class": "错误来源判断",
    "compared_report_id": "对比报告",
    "inputs": "涉及单元格",
    "detail": "说明",
    "source_path": "来源文件",
    "report_page": "报告页面",
    "verdict": "审核结论",
    "note": "备注",
    "corrected_cell": "更正单元格",
    "corrected_value": "更正值",
}
_FINDING_ID = re.compile(r"^[0-9a-f]{32}$")
_CELL = re.compile(r"^[a-z_]+/[a-z_0-9]+/[a-z_0-9]+$")


class ReviewFileError(ValueError):
    """A verdicts file that cannot be imported: names the file, the row and the reason."""


def verdicts_path() -> Path:
    """GONGKAI_REVIEW_DIR/verdicts.csv, by default review/verdicts.csv of the current folder
    (the repository root in a checkout, where the file is committed)."""
    folder = Path(os.environ.get("GONGKAI_REVIEW_DIR") or "review")
    return folder.resolve() / "verdicts.csv"


def ensure_verdicts_file() -> Path:
    """The verdicts file, created with its header when there is none yet (dbt reads it)."""
    path = verdicts_path()
    if not path.exists():
        write_text_atomic(path, ",".join(VERDICT_COLUMNS) + "\n")
    return path


def verdict_kinds() -> dict[str, dict[str, str]]:
    return {row["verdict"]: row for row in read_seed("review_verdict_kinds.csv")}


# ---------------------------------------------------------------- export


def export_open_findings(database: Path, out: Path) -> tuple[Path, Path, int]:
    """Write open_findings.csv (UTF-8 with BOM, for Excel) and open_findings.xlsx to `out`."""
    import duckdb

    from publish.xlsx import Column, Sheet, write_workbook

    columns = ", ".join(
        f"cast(null as varchar) as {column}" if column in FILL_COLUMNS else column
        for column in EXPORT_COLUMNS
    )
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(
            f"""
            select {columns}
            from (
                select
                    results.*,
                    reports.agency_name,
                    reports.report_year,
                    reports.source_path,
                    'report/reports/' || results.report_id || '.html' as report_page,
                    inputs.inputs
                from fct_reconciliation_results as results
                join dim_reports as reports using (report_id)
                left join (
                    select
                        finding_id,
                        string_agg(
                            case when input_report_id <> report_id
                                then 'report ' || input_report_id || ' ' else '' end
                            || table_code || '/' || row_code || '/' || col_code || ' = '
                            || coalesce(raw_text, '(none)') || ' [' || input_state || ']',
                            '; ' order by input_ordinal
                        ) as inputs
                    from fct_finding_cells
                    group by finding_id
                ) as inputs using (finding_id)
                where results.outcome = 'fail' and results.verdict is null
            )
            order by report_year, agency_name, report_id, rule_id, scope_code
            """
        ).fetchall()
    out.mkdir(parents=True, exist_ok=True)
    csv_path, xlsx_path = out / "open_findings.csv", out / "open_findings.xlsx"

    def write_csv(temporary: Path) -> None:
        with open(temporary, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(EXPORT_COLUMNS)
            writer.writerows([_csv_text(value) for value in row] for row in rows)

    write_atomic(csv_path, write_csv)
    columns = [Column(code, EXPORT_COLUMNS_ZH[code]) for code in EXPORT_COLUMNS]
    sheets = [Sheet("open_findings", columns, rows)]
    write_atomic(xlsx_path, lambda temporary: write_workbook(sheets, temporary, "open findings"))
    return csv_path, xlsx_path, len(rows)


def _csv_text(value: object) -> object:
    # A cell starting with = + - @ is a formula to a spreadsheet: keep it text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportResult:
    imported: int
    skipped_blank: int
    path: Path


def import_verdicts(path: Path, target: Path | None = None) -> ImportResult:
    """Validate the filled export (CSV or XLSX) at `path`; append its verdicts to `target`.

    Rows without a verdict are skipped; any invalid row rejects the whole file (nothing is
    written), with every problem named.
    """
    target = target or verdicts_path()
    rows = _read_filled(path)
    kinds = verdict_kinds()
    problems: list[str] = []
    verdicts: list[dict[str, str]] = []
    skipped = 0
    for line, row in rows:
        verdict = (row.get("verdict") or "").strip()
        if not verdict:
            skipped += 1
            continue
        problems.extend(f"{path}: row {line}: {p}" for p in _problems(row, verdict, kinds))
        verdict_row = {column: (row.get(column) or "").strip() for column in VERDICT_COLUMNS}
        cell = (row.get("corrected_cell") or "").strip()
        if _CELL.match(cell):
            table, row_code, col_code = cell.split("/")
            verdict_row.update(
                corrected_table_code=table, corrected_row_code=row_code, corrected_col_code=col_code
            )
        verdicts.append(verdict_row)
    if problems:
        raise ReviewFileError("\n".join(problems))
    existing = _read_csv(target) if target.exists() else []
    next_seq = max((int(r["verdict_seq"]) for r in existing), default=0) + 1
    for offset, verdict in enumerate(verdicts):
        verdict["verdict_seq"] = str(next_seq + offset)
        verdict["source_file"] = path.name
        verdict["corrected_value"] = _number_text(verdict["corrected_value"])

    def write_verdicts(temporary: Path) -> None:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, VERDICT_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(existing + verdicts)

    write_atomic(target, write_verdicts)
    return ImportResult(len(verdicts), skipped, target)


def _problems(row: dict[str, str], verdict: str, kinds: dict[str, dict[str, str]]) -> list[str]:
    found = []
    finding_id = (row.get("finding_id") or "").strip()
    if not _FINDING_ID.match(finding_id):
        found.append(f"finding_id {finding_id!r} is not a finding id (32 hex characters)")
    if verdict not in kinds:
        found.append(f"verdict {verdict!r} is not one of {', '.join(sorted(kinds))}")
    cell = (row.get("corrected_cell") or "").strip()
    value = (row.get("corrected_value") or "").strip()
    if (cell or value) and verdict != "extraction_error":
        found.append("a corrected cell or value goes with verdict extraction_error only")
    if bool(cell) != bool(value):
        found.append("corrected_cell and corrected_value go together")
    if cell and not _CELL.match(cell):
        found.append(f"corrected_cell {cell!r} is not table_code/row_code/col_code")
    if value:
        try:
            float(value.replace(",", ""))
        except ValueError:
            found.append(f"corrected_value {value!r} is not a number")
    if not (row.get("report_id") or "").strip():
        found.append("report_id is empty (keep the exported columns)")
    return found


def _number_text(value: str) -> str:
    return value.replace(",", "") if value else ""


def _read_filled(path: Path) -> list[tuple[int, dict[str, str]]]:
    if not path.exists():
        raise ReviewFileError(f"{path}: no such file")
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    if path.suffix.lower() != ".csv":
        raise ReviewFileError(f"{path}: expected a .csv or .xlsx file")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        _check_header(path, reader.fieldnames or [])
        return [(index + 2, _strip_quote(row)) for index, row in enumerate(reader)]


def _read_xlsx(path: Path) -> list[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    # The export prints the Chinese headings first, then the column codes.
    header_at = next((index for index, row in enumerate(rows[:3]) if "finding_id" in row), 0)
    header = [str(cell) if cell is not None else "" for cell in rows[header_at]] if rows else []
    _check_header(path, header)
    read = []
    for index, values in enumerate(rows[header_at + 1 :]):
        cells = ["" if value is None else _cell_text(value) for value in values]
        read.append((header_at + index + 2, dict(zip(header, cells, strict=False))))
    return read


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_header(path: Path, header: list[str]) -> None:
    missing = [c for c in ("finding_id", "report_id", *FILL_COLUMNS) if c not in header]
    if missing:
        raise ReviewFileError(f"{path}: missing columns {', '.join(missing)}")


def _strip_quote(row: dict[str, str]) -> dict[str, str]:
    return {key: (value[1:] if value.startswith("'") else value) for key, value in row.items()}


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
