"""The lists' rows kept between report runs: one file per list, mapped, never parsed.

    .list-<name>.rows    a line of magic, a line of JSON (the code that drew the rows, the
                         row count, the byte length of each section), then the sections:
                         report_id (offsets, UTF-8), report_key (uint64), html (offsets,
                         UTF-8), json (offsets, UTF-8); offsets are int64, little-endian,
                         and every section starts on a multiple of 64 bytes.

Each section is what an Arrow array holds, so a run maps the file and has the rows as Arrow
arrays without reading or copying them; and it writes a list's rows straight from the
slices of the arrays they came from (kept rows and rows just drawn), without first joining
them into one table. The bytes depend only on the rows: the same rows, the same file.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from gongkai.files import write_atomic

MAGIC = b"gongkai list rows 1\n"
ALIGNMENT = 64
STRING_COLUMNS = ("report_id", "html", "json")
SCHEMA = pa.schema(
    [
        ("report_id", pa.large_string()),
        ("report_key", pa.uint64()),
        ("html", pa.large_string()),
        ("json", pa.large_string()),
    ]
)


class Strings:
    """A column of strings, however many chunks, as slices of its UTF-8 buffers."""

    def __init__(self, column: pa.ChunkedArray) -> None:
        self.parts: list[tuple[int, memoryview, memoryview]] = []  # (first row, offsets, data)
        row = 0
        for chunk in column.chunks:
            chunk = chunk.cast(pa.large_string())
            if len(chunk) == 0:
                continue
            _, offsets, data = chunk.buffers()
            bounds = memoryview(offsets).cast("q")[chunk.offset : chunk.offset + len(chunk) + 1]
            self.parts.append((row, bounds, memoryview(data) if data is not None else b""))
            row += len(chunk)
        self.count = row
        self.firsts = [first for first, _, _ in self.parts]

    def segments(self, start: int, stop: int) -> list[memoryview]:
        """The bytes of rows start..stop-1, end to end, as slices of the buffers."""
        pieces = []
        index = bisect_right(self.firsts, start) - 1
        while start < stop:
            first, bounds, data = self.parts[index]
            end = min(stop, first + len(bounds) - 1)
            pieces.append(data[bounds[start - first] : bounds[end - first]])
            start, index = end, index + 1
        return pieces

    def joined(self, start: int, stop: int) -> bytes:
        """Rows start..stop-1 end to end."""
        return b"".join(self.segments(start, stop))


def read_rows(path: Path, code: str) -> pa.Table | None:
    """The rows kept in `path`, if `code` drew them (else None: draw them again)."""
    try:
        with pa.memory_map(str(path)) as source:
            whole = source.read_buffer()
    except (FileNotFoundError, OSError):
        return None
    try:
        magic_end = len(MAGIC)
        head = memoryview(whole)[: min(len(whole), 1 << 16)].tobytes()
        if not head.startswith(MAGIC):
            return None
        header_end = head.index(b"\n", magic_end) + 1
        header = json.loads(head[magic_end:header_end])
        if header.get("code") != code:
            return None
        rows = int(header["rows"])
        position = _aligned(header_end)
        sections = []
        for length in header["sections"]:
            sections.append(whole.slice(position, length))
            position = _aligned(position + length)
        if len(sections) != 7 or position > _aligned(len(whole)):
            return None
        arrays = (
            pa.Array.from_buffers(pa.large_string(), rows, [None, sections[0], sections[1]]),
            pa.Array.from_buffers(pa.uint64(), rows, [None, sections[2]]),
            pa.Array.from_buffers(pa.large_string(), rows, [None, sections[3], sections[4]]),
            pa.Array.from_buffers(pa.large_string(), rows, [None, sections[5], sections[6]]),
        )
        for array in arrays:
            array.validate()  # the buffers are as long as the rows say (a cut file is not)
    except (ValueError, KeyError, TypeError, IndexError, pa.ArrowInvalid):
        return None
    return pa.Table.from_arrays(list(arrays), schema=SCHEMA)


def write_rows(path: Path, code: str, rows: pa.Table) -> None:
    """Keep `rows` (the SCHEMA columns, any chunks) in `path`, atomically."""
    sections: list[list[memoryview | bytes]] = []
    for name in SCHEMA.names:
        column = rows.column(name)
        if name in STRING_COLUMNS:
            strings = Strings(column)
            sections.append([_offsets(column)])
            sections.append(strings.segments(0, strings.count))
        else:
            sections.append([_plain(column)])
    lengths = [sum(len(piece) for piece in section) for section in sections]
    header = json.dumps({"code": code, "rows": rows.num_rows, "sections": lengths}).encode()

    def write(temporary: Path) -> None:
        with temporary.open("wb") as file:
            file.write(MAGIC + header + b"\n")
            position = len(MAGIC) + len(header) + 1
            for section, length in zip(sections, lengths, strict=True):
                file.write(bytes(_aligned(position) - position))
                for piece in section:
                    file.write(piece)
                position = _aligned(position) + length

    write_atomic(path, write)


def _offsets(column: pa.ChunkedArray) -> bytes:
    """The int64 offsets of a string column as one array would hold them (from 0)."""
    lengths = pc.binary_length(column.cast(pa.large_string()))
    ends = pc.cumulative_sum(lengths).combine_chunks() if len(column) else pa.array([], pa.int64())
    return _little_endian(pa.concat_arrays([pa.array([0], pa.int64()), ends.cast(pa.int64())]))


def _plain(column: pa.ChunkedArray) -> bytes:
    """The values buffer of a fixed-width column without nulls, as one array holds it."""
    array = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if array.null_count:
        raise ValueError("a kept column holds a null")
    return _little_endian(array)


def _little_endian(array: pa.Array) -> bytes:
    """The values of a fixed-width array (Arrow's buffers are little-endian wherever
    pyarrow's wheels run)."""
    width = array.type.bit_width // 8
    data = array.buffers()[1]
    return memoryview(data)[array.offset * width : (array.offset + len(array)) * width].tobytes()


def _aligned(position: int) -> int:
    return -(-position // ALIGNMENT) * ALIGNMENT
