"""Find input files and fingerprint them. The only module that lists directories."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

REPORT_ID_CHARS = 16


@dataclass(frozen=True)
class InputFile:
    """One input file as given on the command line (or found below a given folder)."""

    path: Path
    source_path: str  # posix path as the user named it; the documents table's key

    def fingerprint(self) -> Fingerprint:
        """Hash the file's bytes; a file that cannot be read still gets a stable id."""
        try:
            data = self.path.read_bytes()
        except OSError as error:
            reason = error.strerror or type(error).__name__
            digest = hashlib.sha256(f"unreadable:{self.source_path}".encode()).hexdigest()
            return Fingerprint(self, "", digest[:REPORT_ID_CHARS], -1, f"cannot read: {reason}")
        digest = hashlib.sha256(data).hexdigest()
        return Fingerprint(self, digest, digest[:REPORT_ID_CHARS], len(data), None)


@dataclass(frozen=True)
class Fingerprint:
    file: InputFile
    sha256: str  # empty when the file could not be read
    report_id: str
    size: int
    read_error: str | None

    @property
    def bucket(self) -> str:
        """Shard name: reports are spread over 256 Parquet files by id."""
        return self.report_id[:2]


def discover(arguments: list[str]) -> list[InputFile]:
    """Files named, and all files below folders named (hidden ones skipped), sorted by path."""
    found: dict[str, InputFile] = {}
    for argument in arguments:
        root = Path(argument)
        if root.is_dir():
            for directory, subdirs, names in os.walk(root):
                subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
                for name in names:
                    if name.startswith("."):
                        continue
                    path = Path(directory) / name
                    found[path.as_posix()] = InputFile(path, path.as_posix())
        else:
            # A missing file still becomes a documents row, with its error.
            found[root.as_posix()] = InputFile(root, root.as_posix())
    return [found[key] for key in sorted(found)]
