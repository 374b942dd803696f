"""`gongkai export`: every mart to Parquet, CSV with BOM and XLSX, with a hashed manifest."""

from __future__ import annotations

import csv
import filecmp
import json
import zipfile
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import Built
from openpyxl import load_workbook

from publish.dictionary import chinese_name, split_caveats
from publish.export import export_warehouse, sha256_of
from publish.warehouse import MARTS
from publish.xlsx import ZIP_DATE


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
    out = exported[0]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for mart in MARTS:
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
    workbook = load_workbook(exported[0] / "gongkai.xlsx", read_only=True)
    assert workbook.sheetnames == [*MARTS, "data_dictionary"]
    for mart in MARTS:
        (count,) = built.query(f"select count(*) from main.{mart}")[0]
        rows = list(workbook[mart].iter_rows(values_only=True))
        assert len(rows) == count + 1
        assert list(rows[0]) == [
            c
            for (c,) in built.query(
                "select column_name from duckdb_columns() where schema_name = 'main'"
                " and table_name = ? order by column_index",
                [mart],
            )
        ]
    dictionary = list(workbook["data_dictionary"].iter_rows(values_only=True))
    assert dictionary[0][:3] == ("mart 数据表", "column 字段", "name_zh 中文名")
    by_column = {(row[0], row[1]): row for row in dictionary[1:]}
    case_count = by_column[("fct_reviews_litigation", "case_count")]
    assert case_count[2] == "案件数"
    assert case_count[5] == "Null when the report printed a blank."
    assert by_column[("fct_applications", "(table 表)")][2] == "收到和处理政府信息公开申请情况"
    columns = built.query(
        "select count(*) from duckdb_columns() where schema_name = 'main'"
        " and table_name in (select unnest(?))",
        [list(MARTS)],
    )[0][0]
    assert len(dictionary) == 1 + len(MARTS) + columns
    workbook.close()


def test_xlsx_has_fixed_dates(exported: tuple[Path, Path]) -> None:
    with zipfile.ZipFile(exported[0] / "gongkai.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {ZIP_DATE}
        core = archive.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core


def test_manifest_hashes_match_the_files(exported: tuple[Path, Path]) -> None:
    out = exported[0]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    paths = {entry["path"] for entry in manifest["files"]}
    assert paths == {f"{kind}/{mart}.{kind}" for mart in MARTS for kind in ("parquet", "csv")} | {
        "gongkai.xlsx"
    }
    for entry in manifest["files"]:
        assert entry["sha256"] == sha256_of(out / entry["path"])
        assert entry["bytes"] == (out / entry["path"]).stat().st_size


def test_two_exports_are_byte_identical(exported: tuple[Path, Path]) -> None:
    first, second = exported
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert len(files) == 2 * len(MARTS) + 2
    match, mismatch, errors = filecmp.cmpfiles(first, second, files, shallow=False)
    assert (mismatch, errors) == ([], [])


@pytest.mark.parametrize(
    ("description", "name"),
    [
        ("Number of cases (案件数); null when the report printed a blank.", "案件数"),
        ("Cells placed by label or position (status ok, 已定位).", "已定位"),
        ("count, signed_count (2019 本年增/减) or money (数值类型).", "数值类型"),
        (
            "Applications processed this year, total (三、本年度办理结果（七）总计).",
            "三、本年度办理结果（七）总计",
        ),
        ("Primary key, md5 of report_id and applicant_type.", ""),
    ],
)
def test_chinese_name_is_the_bracketed_chinese_label(description: str, name: str) -> None:
    assert chinese_name(description) == name


def test_caveats_follow_the_definition() -> None:
    assert split_caveats("Number of cases (案件数); null when blank.") == (
        "Number of cases (案件数).",
        "Null when blank.",
    )
    assert split_caveats("Paths of copies, separated by '; ' (重复文件路径).") == (
        "Paths of copies, separated by '; ' (重复文件路径).",
        "",
    )
