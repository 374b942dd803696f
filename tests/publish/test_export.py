"""`gongkai export`: every mart to Parquet, CSV with BOM and XLSX, with a hashed manifest."""

from __future__ import annotations

import csv
import datetime
import filecmp
import json
import zipfile
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import Built
from openpyxl import load_workbook

from publish.export import REPORT_CONTEXT, csv_text, export_warehouse, neutralised, sha256_of
from publish.table3 import SHEET_NAME as TABLE3_SHEET
from publish.warehouse import mart_keys, read_only
from publish.xlsx import Column, Sheet, write_workbook


def _marts(built: Built) -> list[str]:
    """The exported marts in export order, as the dictionary mart (from the YAML) lists them."""
    with read_only(built.database) as connection:
        return list(mart_keys(connection))


@pytest.fixture(scope="module")
def exported(built: Built, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    first = tmp_path_factory.mktemp("export-1")
    second = tmp_path_factory.mktemp("export-2")
    # A read-only connection held open meanwhile: the export must not need write access.
    with duckdb.connect(str(built.database), read_only=True):
        export_warehouse(built.database, first)
        export_warehouse(built.database, second)
    return first, second


def test_row_counts_equal_the_marts(built: Built, exported: tuple[Path, Path]) -> None:
    marts = _marts(built)
    out = exported[0]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for mart in marts:
        (count,) = built.query(f"select count(*) from main.{mart}")[0]
        assert count > 0, mart
        assert manifest["marts"][mart]["rows"] == count
        assert pq.read_metadata(out / "parquet" / f"{mart}.parquet").num_rows == count
        with (out / "csv" / f"{mart}.csv").open(encoding="utf-8-sig", newline="") as handle:
            assert sum(1 for _ in csv.reader(handle)) == count + 1  # header


def test_csv_has_a_bom_and_reads_back_chinese_text(
    built: Built, exported: tuple[Path, Path]
) -> None:
    path = exported[0] / "csv" / "fct_applications.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbfapplication_id,")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = built.query(
        "select report_id, applicant_type, applicant_type_label_zh, new_received"
        " from main.fct_applications order by report_id, applicant_type"
    )
    assert [(r["report_id"], r["applicant_type"], r["applicant_type_label_zh"]) for r in rows] == [
        row[:3] for row in expected
    ]
    assert {r["applicant_type_label_zh"] for r in rows} >= {"自然人", "商业企业", "总计"}
    # A blank count is an empty field, never 0.
    for row, (_, _, _, value) in zip(rows, expected, strict=True):
        assert row["new_received"] == ("" if value is None else f"{value:g}")


def test_csv_keeps_blank_cells_blank(built: Built, exported: tuple[Path, Path]) -> None:
    path = exported[0] / "csv" / "fct_application_outcomes.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        blanks = [r for r in csv.DictReader(handle) if r["value_kind"] == "blank"]
    assert blanks, "the sample has printed blanks in table 三"
    assert all(r["application_count"] == "" and r["raw_text"] == "" for r in blanks)


def test_xlsx_has_a_sheet_per_mart_and_a_dictionary(
    built: Built, exported: tuple[Path, Path]
) -> None:
    marts = _marts(built)
    workbook = load_workbook(exported[0] / "gongkai.xlsx", read_only=True)
    assert workbook.sheetnames == [*marts, TABLE3_SHEET, "data_dictionary"]
    assert marts[0] == "rpt_reports"  # the wide per-report sheet comes first
    for mart in marts:
        (count,) = built.query(f"select count(*) from main.{mart}")[0]
        rows = list(workbook[mart].iter_rows(values_only=True))
        assert len(rows) == count + 2  # Chinese names, then the column codes
        columns = [
            c
            for (c,) in built.query(
                "select column_name from duckdb_columns() where schema_name = 'main'"
                " and table_name = ? order by column_index",
                [mart],
            )
        ]
        if "report_id" in columns and not set(REPORT_CONTEXT) & set(columns):
            at = columns.index("report_id") + 1
            columns[at:at] = list(REPORT_CONTEXT)
        assert list(rows[1]) == columns
    dictionary = list(workbook["data_dictionary"].iter_rows(values_only=True))
    assert dictionary[0][:3] == ("数据表", "字段", "中文名")
    assert dictionary[1][:3] == ("mart", "column", "name_zh")
    by_column = {(row[0], row[1]): row for row in dictionary[2:]}
    case_count = by_column[("fct_reviews_litigation", "case_count")]
    assert case_count[2] == "案件数"
    assert case_count[5] == "Null when the report printed a blank."
    assert by_column[("fct_applications", "(table 表)")][2] == "收到和处理政府信息公开申请情况"
    columns = built.query(
        "select count(*) from duckdb_columns() where schema_name = 'main'"
        " and table_name in (select unnest(?))",
        [list(marts)],
    )[0][0]
    assert len(dictionary) == 2 + len(marts) + columns
    workbook.close()


def test_xlsx_sheets_are_laid_out_for_people(built: Built, exported: tuple[Path, Path]) -> None:
    workbook = load_workbook(exported[0] / "gongkai.xlsx")
    sheet = workbook["fct_applications"]
    assert [cell.value for cell in sheet[1]][:4] == [
        "申请情况编号",  # every column has a Chinese name in the YAML meta now
        "报告编号",
        "发布机关",
        "报告年度",
    ]
    assert [cell.value for cell in sheet[2]][:4] == [
        "application_id",
        "report_id",
        "agency",
        "report_year",
    ]
    last = sheet.cell(2, sheet.max_column).column_letter
    assert sheet.auto_filter.ref == f"A2:{last}{sheet.max_row}"
    assert sheet.freeze_panes == "A3"
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.column_dimensions["C"].width >= 20  # agency names are wide CJK text
    # agency and year are the report's, row by row
    expected = dict(built.query("select report_id, agency from main.dim_reports"))
    for row in sheet.iter_rows(min_row=3, values_only=True):
        assert row[2] == expected[row[1]]
    reports = workbook["rpt_reports"]
    codes = [cell.value for cell in reports[2]]
    column = codes.index("published_date") + 1
    published = [reports.cell(row, column) for row in range(3, reports.max_row + 1)]
    dated = [cell for cell in published if cell.value is not None]
    assert dated and all(cell.is_date and cell.number_format == "yyyy-mm-dd" for cell in dated)
    assert all(isinstance(cell.value, datetime.datetime) for cell in dated)
    workbook.close()


def test_xlsx_mirrors_the_printed_table_3_of_one_report(
    built: Built, exported: tuple[Path, Path]
) -> None:
    manifest = json.loads((exported[0] / "manifest.json").read_text(encoding="utf-8"))
    report_id = manifest["table3_report"]
    workbook = load_workbook(exported[0] / "gongkai.xlsx", read_only=True)
    rows = list(workbook[TABLE3_SHEET].iter_rows(values_only=True))
    assert report_id in rows[0][0] and "收到和处理政府信息公开申请情况" in rows[0][0]
    assert rows[1] == (
        "项目 item",
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    )
    by_label = {row[0]: row[1:] for row in rows[2:]}
    (total,) = built.query(
        "select new_received from main.fct_applications"
        " where report_id = ? and applicant_type = 'total'",
        [report_id],
    )[0]
    assert by_label["一、本年新收政府信息公开申请数量"][-1] == total
    assert "（七）总计" in by_label and "四、结转下年度继续办理" in by_label
    workbook.close()


def test_report_text_is_never_a_formula(tmp_path: Path) -> None:
    hostile = [
        '=HYPERLINK("http://example.invalid","CLICK")',
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "http://example.invalid/x",
    ]
    columns = [
        Column("report_id", "报告编号"),
        Column("title", "报告标题"),
        Column("change", "本年增/减"),
    ]
    rows = [(f"r{index}", text, -index) for index, text in enumerate(hostile)]
    path = tmp_path / "hostile.xlsx"
    write_workbook([Sheet("hostile", columns, rows)], path, "hostile")
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        names = archive.namelist()
    assert "<f>" not in sheet_xml and "<hyperlink" not in sheet_xml
    assert not any("relationships" in name and "sheet" in name for name in names)
    workbook = load_workbook(path)
    sheet = workbook["hostile"]
    assert [sheet.cell(3 + i, 2).value for i in range(len(hostile))] == hostile
    assert {sheet.cell(3 + i, 2).data_type for i in range(len(hostile))} == {"s"}
    assert [sheet.cell(3 + i, 3).value for i in range(len(hostile))] == [0, -1, -2, -3, -4, -5]
    # CSV: text gets the quote OWASP recommends; numbers stay numbers
    assert [neutralised(text) for text in hostile] == ["'" + text for text in hostile[:5]] + [
        hostile[5]
    ]
    assert csv_text(-2.0) == "-2" and csv_text("=1+1") == "'=1+1"
    assert csv_text("平潭综合实验区") == "平潭综合实验区"


def test_parquet_carries_the_column_descriptions(exported: tuple[Path, Path]) -> None:
    schema = pq.read_schema(exported[0] / "parquet" / "fct_reviews_litigation.parquet")
    case_count = schema.field("case_count").metadata
    assert case_count[b"name_zh"].decode() == "案件数"
    assert case_count[b"description"].decode().startswith("Number of cases (案件数).")
    assert schema.metadata[b"description"].decode().startswith("One row per report")


def test_xlsx_has_fixed_dates(exported: tuple[Path, Path]) -> None:
    with zipfile.ZipFile(exported[0] / "gongkai.xlsx") as archive:
        assert len({info.date_time for info in archive.infolist()}) == 1
        core = archive.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core


def test_manifest_hashes_match_the_files(built: Built, exported: tuple[Path, Path]) -> None:
    marts = _marts(built)
    out = exported[0]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    paths = {entry["path"] for entry in manifest["files"]}
    assert paths == {f"{kind}/{mart}.{kind}" for mart in marts for kind in ("parquet", "csv")} | {
        "gongkai.xlsx"
    }
    for entry in manifest["files"]:
        assert entry["sha256"] == sha256_of(out / entry["path"])
        assert entry["bytes"] == (out / entry["path"]).stat().st_size


def test_two_exports_are_byte_identical(built: Built, exported: tuple[Path, Path]) -> None:
    marts = _marts(built)
    first, second = exported
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert len(files) == 2 * len(marts) + 2
    match, mismatch, errors = filecmp.cmpfiles(first, second, files, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_mart_keys_come_from_the_yaml_grain(built: Built) -> None:
    with read_only(built.database) as connection:
        keys = mart_keys(connection)
    assert keys["fct_applications"] == ("report_id", "applicant_type")
    assert keys["fct_finding_cells"] == ("finding_id", "input_ordinal")
    assert "fct_cells" not in keys and "dim_data_dictionary" not in keys  # meta.exported false
