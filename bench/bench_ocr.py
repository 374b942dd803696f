"""OCR of scanned reports: cells exact, wrong and unread per report and scan condition, pages/s.

Scans are made from real reports' PDFs (`gongkai.render.scanned`: pages rendered in grey at the
condition's dpi, rotated, blurred and speckled) and ingested like any scanned PDF; each placed
cell is compared with the report's golden file (values read off the printed tables by hand).
`exact` cells carry the printed value; `wrong` cells are placed with another value (invented:
must stay 0); `unread` cells are printed but not placed (ambiguous, unparsed or missing).
Prints figures, asserts nothing.

    uv run python -m bench.bench_ocr                 # every report, every condition
    uv run python -m bench.bench_ocr --only default --list   # and name each miss
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

from gongkai.render import scanned
from ingest.document import parse_document
from ingest.tables.labels import template_rows
from ingest.values import parse_value

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests/fixtures/expected"

# (PDF of a real report, its golden file): a LibreOffice print of 沭阳's page, Chromium's print
# of 平潭 2022's saved government page (running heads, a row cut by a page break).
REPORTS = [
    ("tests/fixtures/formats/shuyang.pdf", "2023_shuyang-county-development-reform-bureau"),
    ("tests/fixtures/real/2022_pingtan-zone_2021template.chromium.pdf", "2022_pingtan-zone"),
    (
        "tests/fixtures/real/2023_shuyang-county-development-reform-bureau_2021template.chromium.pdf",
        "2023_shuyang-county-development-reform-bureau",
    ),
]

# name -> scanned() keyword arguments
CONDITIONS = {
    "clean": {"skew": 0.0, "blur": 0.0, "speckle": 0},
    "default": {},
    "skewed": {"skew": 1.5, "blur": 0.8},
    "rough": {"skew": -1.0, "blur": 1.2, "speckle": 400},
}


def golden(stem: str) -> list[tuple[str, str, list[str]]]:
    path = next(EXPECTED.glob(stem + "*.txt"))
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            table, row, *values = line.split()
            rows.append((table, row, values))
    return rows


def score(cells: list[dict], expected: list[tuple[str, str, list[str]]], template: str) -> dict:
    placed = {
        (c["table_code"], c["row_code"], c["col_code"]): c
        for c in cells
        if c["status"] in ("ok", "inferred")
    }
    tally = {"exact": 0, "wrong": 0, "unread": 0, "misses": []}
    for table, row, values in expected:
        spec = next(s for s in template_rows(template, table) if s.row_code == row)
        for col, printed in zip(spec.columns, values, strict=True):
            want = parse_value(printed if printed != "_" else "")
            cell = placed.get((table, row, col))
            if cell is None:
                tally["unread"] += 1
                others = [
                    c
                    for c in cells
                    if (c["table_code"], c["row_code"], c["col_code"]) == (table, row, col)
                ]
                got = others[0] if others else None
                tally["misses"].append(
                    (
                        "unread",
                        f"{table}.{row}.{col}",
                        printed,
                        got and (got["status"], got["raw_text"], got["confidence"], got["note"]),
                    )
                )
            elif cell["value"] == want.value and cell["value_kind"] == want.kind:
                tally["exact"] += 1
            else:
                tally["wrong"] += 1
                tally["misses"].append(
                    ("WRONG", f"{table}.{row}.{col}", printed, (cell["raw_text"], cell["value"]))
                )
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", action="append", help="condition(s) to run")
    parser.add_argument("--report", action="append", help="report path substring(s)")
    parser.add_argument("--list", action="store_true", help="print every miss")
    arguments = parser.parse_args()
    if not shutil.which("tesseract"):
        print("tesseract not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)")
        return
    import pypdfium2

    print(f"load before: {os.getloadavg()}")
    print(f"{'report':<48} {'condition':<8} {'exact':>6} {'wrong':>5} {'unread':>6} {'pages/s':>8}")
    totals: dict[str, list[int]] = {}
    pages_all = wall_all = 0.0
    for pdf, stem in REPORTS:
        if arguments.report and not any(part in pdf for part in arguments.report):
            continue
        expected = golden(stem)
        for name, options in CONDITIONS.items():
            if arguments.only and name not in arguments.only:
                continue
            data = scanned((ROOT / pdf).read_bytes(), **options)
            pages = len(pypdfium2.PdfDocument(data))
            started = time.perf_counter()
            doc, cells = parse_document(data, "scan.pdf", "bench")
            wall = time.perf_counter() - started
            pages_all += pages
            wall_all += wall
            tally = score(cells, expected, "2021")
            total = totals.setdefault(name, [0, 0, 0])
            for index, key in enumerate(("exact", "wrong", "unread")):
                total[index] += tally[key]
            print(
                f"{Path(pdf).name[:48]:<48} {name:<8} {tally['exact']:>6} {tally['wrong']:>5} "
                f"{tally['unread']:>6} {pages / wall:>8.2f}"
            )
            if arguments.list:
                for miss in tally["misses"]:
                    print("    ", *miss)
    for name, (exact, wrong, unread) in totals.items():
        cells = exact + wrong + unread
        print(f"{name:<8} {exact}/{cells} exact ({exact / cells:.1%}), {wrong} wrong")
    if wall_all:
        print(
            f"OCR {pages_all / wall_all:.2f} pages/s wall ({pages_all:.0f} pages, {wall_all:.0f} s)"
        )
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
