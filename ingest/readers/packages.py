"""ZIP packages (.docx, .xlsx) are measured before they are opened.

A few megabytes of ZIP can expand to many gigabytes (a "zip bomb"). The sizes a package
declares bound what is decompressed (Python's zipfile stops at the declared size and reports
a bad CRC past it), so checking the declared total first bounds the reader's memory.
"""

from __future__ import annotations

import io
import zipfile

from ingest.readers import ReadError

MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # far above any real report; below a worker's budget
MAX_MEMBERS = 10_000


def check_package(data: bytes, path: str, kind: str) -> None:
    """Raise ReadError when the package would unpack to more than the budget allows."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a readable ZIP: the reader says so in its own words
    if len(members) > MAX_MEMBERS:
        raise ReadError(
            f"{path}: {kind} package holds {len(members):,} parts, over the "
            f"{MAX_MEMBERS:,} a document may have; not read"
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ReadError(
            f"{path}: {kind} package unpacks to {unpacked / 1e6:,.0f} MB, over the "
            f"{MAX_UNPACKED_BYTES / 1e6:,.0f} MB a document may use (a zip bomb?); not read"
        )
