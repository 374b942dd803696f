"""Legacy Office files (.doc, .xls) -> their OOXML form, by LibreOffice headless.

Used only for the old binary formats; .docx and .xlsx are read directly. Each conversion gets
its own LibreOffice profile directory, so parallel ingest workers do not block each other.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ingest.readers import ReadError

TIMEOUT_SECONDS = 120
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc, .xls, .wps
ZIP_MAGIC = b"PK\x03\x04"


def soffice_path() -> str | None:
    """The LibreOffice executable on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, path: str, suffix: str, target: str, kind: str) -> bytes:
    """Return the bytes of `data` (a `suffix` file) converted to `target` (e.g. "docx").

    Raises ReadError naming what is missing when LibreOffice is not installed, and the
    converter's own complaint when it fails, so a person can act on either.
    """
    soffice = soffice_path()
    if soffice is None:
        raise ReadError(
            f"{path}: legacy {kind} ({suffix}) files are converted with LibreOffice, which is "
            f"not installed (no 'soffice' on PATH); install it or save the report as .{target}"
        )
    with tempfile.TemporaryDirectory(prefix="gongkai-convert-") as tmp_name:
        tmp = Path(tmp_name)
        source = tmp / f"input{suffix}"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(tmp / "out"),
            str(source),
        ]
        try:
            result = subprocess.run(
                command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            raise ReadError(
                f"{path}: LibreOffice did not convert the {kind} file within {TIMEOUT_SECONDS} s"
            ) from None
        converted = tmp / "out" / f"input.{target}"
        if not converted.exists():
            said = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
            raise ReadError(
                f"{path}: LibreOffice could not convert this {kind} file"
                + (f" ({said[-300:]})" if said else "; it may be damaged")
            )
        return converted.read_bytes()
