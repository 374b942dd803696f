"""The parser version: a hash of the parser's code, the seeds it reads and its readers.

The lake keeps it in every documents row; a row whose version differs from the running one
is re-parsed. So any edit to the code or to a seed the parser reads re-parses everything,
and nothing else does.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from importlib import metadata
from pathlib import Path

from gongkai.paths import seeds_dir

PACKAGE_DIR = Path(__file__).resolve().parent
# Libraries whose output the readers pass on: a new version may read a file differently.
READER_LIBRARIES = (
    "selectolax",
    "pdfplumber",
    "pdfminer.six",
    "pypdfium2",
    "python-docx",
    "openpyxl",
    "lxml",
)
_SEED_NAME_RE = re.compile(r"""["']([\w.-]+\.csv)["']""")
_HELPER_RE = re.compile(r"^\s*(?:from|import)\s+gongkai\.(\w+)", re.MULTILINE)


def code_files(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """Every Python file of the ingest package, and the gongkai helpers it imports."""
    sources = sorted(package_dir.rglob("*.py"))
    helpers: set[str] = set()
    for source in sources:
        helpers.update(_HELPER_RE.findall(source.read_text(encoding="utf-8")))
    top = package_dir.parent / "gongkai"
    imported = (top / f"{name}.py" for name in helpers)
    return sources + sorted(path for path in imported if path.is_file())


def seed_files(sources: list[Path], seeds: Path) -> list[Path]:
    """The seeds the code names (`read_seed("row_labels.csv")`): the parser reads them."""
    names: set[str] = set()
    for source in sources:
        names.update(_SEED_NAME_RE.findall(source.read_text(encoding="utf-8")))
    return sorted(seeds / name for name in names if (seeds / name).is_file())


@cache
def parser_version() -> str:
    return compute_version(PACKAGE_DIR, seeds_dir())


def compute_version(package_dir: Path, seeds: Path) -> str:
    """`<release>+<12 hex>`: the same code, seeds and reader libraries give the same string."""
    digest = hashlib.sha256()
    sources = code_files(package_dir)
    root = package_dir.parent
    named = [(f"code/{p.relative_to(root).as_posix()}", p) for p in sources]
    named += [(f"seeds/{p.name}", p) for p in seed_files(sources, seeds)]
    for name, path in named:
        content = path.read_bytes()
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    for library in READER_LIBRARIES:
        try:
            digest.update(f"{library}=={metadata.version(library)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} missing\0".encode())
    try:
        release = metadata.version("gongkai")
    except metadata.PackageNotFoundError:
        release = "0"
    return f"{release}+{digest.hexdigest()[:12]}"
