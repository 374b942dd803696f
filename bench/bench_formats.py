"""Per-format parse throughput: the same real report as HTML, text, PDF, Word, Excel, MHTML.

Parses each file of tests/fixtures/formats (and a few sample reports, and real reports printed
to PDF by a browser) in-process, repeatedly, and prints documents per second and milliseconds
per document, then each binary format's median over its files with the ratio to its target.
Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import time
from pathlib import Path

from ingest.document import parse_document

ROOT = Path(__file__).resolve().parent.parent

FILES = [
    "corpus/sample/004_b946b0eb2e73828a.txt",
    "corpus/sample/2024_shanghai-science-commission_2021template_pdftext.md",
    "tests/fixtures/formats/shuyang.html",
    "tests/fixtures/formats/shuyang.mht",
    "tests/fixtures/formats/shuyang.docx",
    "tests/fixtures/formats/rendered.docx",
    "tests/fixtures/formats/shuyang.xlsx",
    "tests/fixtures/formats/rendered.xlsx",
    "tests/fixtures/formats/shuyang.pdf",
    "tests/fixtures/formats/borderless.pdf",
    "tests/fixtures/formats/paged.pdf",
    "tests/fixtures/real/2022_pingtan-zone_2021template.chromium.pdf",
    "tests/fixtures/real/2023_shuyang-county-development-reform-bureau_2021template.chromium.pdf",
]

# Documents per CPU-second of one core the issue asks of each binary format.
TARGETS = {".pdf": 20, ".docx": 100, ".xlsx": 100}


def measure(path: Path, seconds: float) -> tuple[int, float, str]:
    """(documents parsed, CPU seconds, document status) within about `seconds` of CPU."""
    data = path.read_bytes()
    doc, _ = parse_document(data, path.name, "bench")
    count, started = 0, time.process_time()
    while time.process_time() - started < seconds or count < 3:
        parse_document(data, path.name, "bench")
        count += 1
    return count, time.process_time() - started, doc["status"]


def measure_ocr(path: Path) -> tuple[int, float, str]:
    """(pages read, wall seconds, status) for a scan made from `path` (OCR runs in Tesseract's
    own process, so wall time is what counts)."""
    from gongkai.render import scanned

    data = scanned(path.read_bytes())
    import pypdfium2

    pages = len(pypdfium2.PdfDocument(data))
    started = time.perf_counter()
    doc, _ = parse_document(data, "scan.pdf", "bench")
    return pages, time.perf_counter() - started, doc["status"]


def _verdict(rate: float, target: float) -> str:
    return "met" if rate >= target else f"missed (x{rate / target:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=2.0, help="CPU seconds per file")
    parser.add_argument("--no-ocr", action="store_true", help="skip the (slow) OCR figure")
    arguments = parser.parse_args()
    print(f"load before: {os.getloadavg()}")
    print(f"{'file':<58} {'status':<8} {'docs/s':>8} {'ms/doc':>8}  target (docs/s per core)")
    rates: dict[str, list[float]] = {}
    for name in FILES:
        count, cpu, status = measure(ROOT / name, arguments.seconds)
        rate = count / cpu
        target = TARGETS.get(Path(name).suffix)
        verdict = ""
        if target:
            rates.setdefault(Path(name).suffix, []).append(rate)
            verdict = f"  >= {target}: {_verdict(rate, target)}"
        shown = Path(name).name[:58]
        print(f"{shown:<58} {status:<8} {rate:>8.1f} {cpu / count * 1000:>8.2f}{verdict}")
    print(f"load after: {os.getloadavg()}  (docs/s per CPU-second of one process)")
    for suffix, found in rates.items():
        median = statistics.median(found)
        print(
            f"{suffix[1:].upper()}: median {median:.1f} docs/s over {len(found)} files "
            f"(range {min(found):.1f}-{max(found):.1f}); target {TARGETS[suffix]}: "
            f"{_verdict(median, TARGETS[suffix])}, x{median / TARGETS[suffix]:.2f}"
        )
    if arguments.no_ocr:
        return
    if shutil.which("tesseract"):
        pages, wall, status = measure_ocr(ROOT / "tests/fixtures/formats/shuyang.pdf")
        print(
            f"{'OCR: scan of tests/fixtures/formats/shuyang.pdf':<58} {status:<8} "
            f"{pages / wall:>8.2f} pages/s ({pages} pages in {wall:.1f} s wall)"
        )
    else:
        print("OCR: tesseract not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)")


if __name__ == "__main__":
    main()
