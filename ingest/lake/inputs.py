"""Find input files and fingerprint them. The only module that lists directories.

Every path the walk meets ends either as an input (one documents row, possibly an error row:
an unreadable folder, a FIFO named like a report) or as a counted skip (hidden, excluded,
not a report type, a browser's page-assets folder). Nothing vanishes without a trace.

File names are kept losslessly: a name that is not valid UTF-8 is written with `\\xNN` for
each undecodable byte (and `\\\\` for a backslash), so the lake's `source_path` is readable
text and still names exactly one file (`filesystem_path` turns it back).
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ingest.readers.dispatch import REPORT_SUFFIXES, SNIFFED_SUFFIXES, sniff_html

REPORT_ID_CHARS = 16
IGNORE_FILE = ".gongkaiignore"
SNIFF_BYTES = 65536
_HASH_CHUNK = 1 << 20
# A browser's "save page, complete" writes NAME.html beside a NAME_files folder of assets.
_ASSET_FOLDER_SUFFIXES = ("_files", ".files")
_SAVED_PAGE_SUFFIXES = (".html", ".htm", ".mht", ".mhtml", ".shtml", ".xhtml")
_ESCAPE_RE = re.compile(rb"\\\\|\\x([0-9a-f]{2})")


def display_path(path: str) -> str:
    """A file system path as lossless, valid UTF-8 text.

    Names that are valid UTF-8 without a backslash stay as they are; otherwise each `\\` is
    doubled and each undecodable byte becomes `\\xNN`, which `filesystem_path` reverses.
    """
    raw = os.fsencode(path)
    try:
        text = raw.decode("utf-8")
        if "\\" not in text:
            return text
    except UnicodeDecodeError:
        pass
    return raw.replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")


def filesystem_path(source_path: str) -> Path:
    """The file a `source_path` names: the inverse of `display_path`."""
    if "\\" not in source_path:
        return Path(source_path)

    def replace(match: re.Match[bytes]) -> bytes:
        return b"\\" if match.group(1) is None else bytes([int(match.group(1), 16)])

    return Path(os.fsdecode(_ESCAPE_RE.sub(replace, source_path.encode("utf-8"))))


def normalize_argument(argument: str) -> str:
    """A path as named on the command line, normalised (`./a/` and `a` are one folder)."""
    return display_path(os.path.normpath(argument))


def under(source_path: str, scope: str) -> bool:
    """Whether `source_path` is `scope` or lies below the folder `scope`."""
    if scope == ".":
        return not source_path.startswith(("/", "../")) and source_path != ".."
    if source_path == scope:
        return True
    return source_path.startswith(scope if scope.endswith("/") else scope + "/")


@dataclass(frozen=True, slots=True)
class InputFile:
    """One input file as given on the command line (or found below a given folder).

    Only the readable path is kept: the parent holds one of these per input for the whole
    run, and the file system path is a function of it (`filesystem_path`)."""

    source_path: str  # readable lossless posix path as the user named it; the documents key
    problem: str | None = None  # why it cannot be read, known before opening it

    @property
    def path(self) -> Path:
        """The file system path (undecodable bytes surrogate-escaped)."""
        return filesystem_path(self.source_path)

    def fingerprint(self) -> Fingerprint:
        """Hash the file's bytes; a file that cannot be read still gets a stable id."""
        if self.problem:
            return self._unreadable(self.problem)
        try:
            digest, size = _hash_regular_file(self.path)
        except _NotRegular as error:
            return self._unreadable(f"not a regular file ({error})")
        except OSError as error:
            return self._unreadable(f"cannot read: {error.strerror or type(error).__name__}")
        if size == 0:
            # Empty files carry no content to identify them: each keeps its own id and error.
            return Fingerprint(self, digest, _path_id("empty", self.source_path), 0, None)
        return Fingerprint(self, digest, digest[:REPORT_ID_CHARS], size, None)

    def _unreadable(self, reason: str) -> Fingerprint:
        return Fingerprint(self, "", _path_id("unreadable", self.source_path), -1, reason)


def _path_id(kind: str, source_path: str) -> str:
    return hashlib.sha256(f"{kind}:{source_path}".encode()).hexdigest()[:REPORT_ID_CHARS]


class _NotRegular(Exception):
    pass


def _open_regular(path: Path) -> int:
    """Open for reading without blocking on a FIFO; refuse anything but a regular file."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise _NotRegular(_kind(mode))
    return descriptor


def _hash_regular_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with os.fdopen(_open_regular(path), "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file (never a FIFO or device: those raise OSError)."""
    try:
        descriptor = _open_regular(path)
    except _NotRegular as error:
        raise OSError(f"not a regular file ({error})") from None
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read()


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a plain file"


@dataclass(frozen=True, slots=True)
class Fingerprint:
    file: InputFile
    sha256: str  # empty when the file could not be read
    report_id: str
    size: int
    read_error: str | None


@dataclass
class Discovery:
    """What the walk found: the inputs, and what it skipped (reason -> count)."""

    files: list[InputFile] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    missing: list[str] = field(default_factory=list)  # arguments that do not exist
    empty: list[str] = field(default_factory=list)  # arguments holding no report file
    scopes: list[str] = field(default_factory=list)  # normalised arguments that found files


def discover(arguments: list[str], exclude: tuple[str, ...] = ()) -> Discovery:
    """Files named, and report files below folders named, sorted by path."""
    found: dict[str, InputFile] = {}
    result = Discovery()
    for argument in arguments:
        root = Path(os.path.normpath(argument))
        scope = normalize_argument(argument)
        before = len(found)
        if not os.path.lexists(root):
            result.missing.append(scope)
            continue
        if root.is_dir():
            _walk(root, _Patterns.for_root(root, exclude), found, result.skipped)
        else:
            # A file named explicitly is read whatever its name, unless it is excluded.
            if _Patterns(exclude).matches(root.name, root.name, False):
                result.skipped["excluded"] += 1
            else:
                found[scope] = _input(root, scope, explicit=True, skipped=result.skipped)
                if found[scope] is None:
                    del found[scope]
        (result.scopes if len(found) > before else result.empty).append(scope)
    result.files = [found[key] for key in sorted(found)]
    return result


class _Patterns:
    """Glob patterns from --exclude and the folder's ignore file (one per line, # comments).

    A pattern without `/` matches a name at any depth; with `/` it matches the path relative
    to the ingested folder; a trailing `/` matches folders only.
    """

    def __init__(self, patterns: tuple[str, ...] | list[str]) -> None:
        self.patterns = [p.strip() for p in patterns if p.strip() and not p.startswith("#")]

    @classmethod
    def for_root(cls, root: Path, exclude: tuple[str, ...]) -> _Patterns:
        patterns = list(exclude)
        ignore = root / IGNORE_FILE
        if ignore.is_file():
            patterns.extend(ignore.read_text(encoding="utf-8", errors="replace").splitlines())
        return cls(patterns)

    def matches(self, relative: str, name: str, is_dir: bool) -> bool:
        for pattern in self.patterns:
            folder_only = pattern.endswith("/")
            pattern = pattern.rstrip("/").removeprefix("/")
            if folder_only and not is_dir:
                continue
            target = relative if "/" in pattern else name
            if fnmatch.fnmatchcase(target, pattern):
                return True
        return False


def _walk(
    root: Path, patterns: _Patterns, found: dict[str, InputFile], skipped: Counter[str]
) -> None:
    def unreadable_folder(error: OSError) -> None:
        folder = Path(error.filename)
        source = display_path(folder.as_posix())
        reason = f"cannot read folder: {error.strerror or type(error).__name__}"
        found[source] = InputFile(source, problem=reason)

    for directory, subdirs, names in os.walk(root, onerror=unreadable_folder):
        here = Path(directory)
        kept = []
        for name in sorted(subdirs):
            relative = (here / name).relative_to(root).as_posix()
            if name.startswith("."):
                skipped["hidden"] += 1
            elif patterns.matches(relative, name, True):
                skipped["excluded"] += 1
            elif _is_page_assets(name, names):
                skipped["saved-page asset folders"] += 1
            elif (here / name).is_symlink():
                skipped["symbolic links to folders (not followed)"] += 1
            else:
                kept.append(name)
        subdirs[:] = kept
        for name in names:
            path = here / name
            relative = path.relative_to(root).as_posix()
            if name.startswith("."):
                skipped["hidden"] += 1
            elif patterns.matches(relative, name, False):
                skipped["excluded"] += 1
            else:
                source = display_path(path.as_posix())
                entry = _input(path, source, explicit=False, skipped=skipped)
                if entry is not None:
                    found[source] = entry


def _is_page_assets(name: str, sibling_files: list[str]) -> bool:
    for suffix in _ASSET_FOLDER_SUFFIXES:
        if name.endswith(suffix):
            page = name.removesuffix(suffix)
            return any(page + ext in sibling_files for ext in _SAVED_PAGE_SUFFIXES)
    return False


def _input(path: Path, source: str, explicit: bool, skipped: Counter[str]) -> InputFile | None:
    """The file as an input, or None (counted in `skipped`) when it is no report."""
    suffix = path.suffix.lower()
    known = suffix in REPORT_SUFFIXES
    if not known and not explicit and suffix not in SNIFFED_SUFFIXES:
        skipped[f"not a report type ({suffix})"] += 1
        return None
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if not known and not explicit:
            skipped["unreadable, not a report type"] += 1
            return None
        reason = error.strerror or type(error).__name__
        if os.path.islink(path):
            reason = f"broken symbolic link ({reason})"
        return InputFile(source, problem=f"cannot read: {reason}")
    if not stat.S_ISREG(mode):
        if not known and not explicit:
            skipped["not regular files"] += 1
            return None
        return InputFile(source, problem=f"not a regular file ({_kind(mode)})")
    if suffix in SNIFFED_SUFFIXES and not explicit and not _looks_like_report(path):
        skipped[f"text without Chinese or HTML ({suffix or 'no extension'})"] += 1
        return None
    return InputFile(source)


def _looks_like_report(path: Path) -> bool:
    """Plain text or extension-less files are read when they hold HTML, a PDF, or any
    non-ASCII text (reports are Chinese); an English README or a licence file is not."""
    try:
        with os.fdopen(_open_regular(path), "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except (OSError, _NotRegular):
        return True  # let the reader say what is wrong, as a row
    if not head or head.startswith(b"%PDF-") or sniff_html(head):
        return True
    return not head.isascii()
