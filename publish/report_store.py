"""The lists' rows kept between report runs: the list files themselves, and an index of them.

    .list-<name>.index   a line of magic, a line of JSON (the code that drew the rows, the
                         row and report counts, each page with its data file: their names,
                         sizes, where their rows start and which rows they hold, and the
                         byte length of each section), then the sections: report_id
                         (offsets, UTF-8) and report_key (uint64) of each report's run of
                         rows, the run ends (int64), the ends of the rows' HTML and of their
                         JSON (int64, from 0 over the whole list); little-endian, every
                         section on a multiple of 64 bytes.

A list page holds its rows' HTML end to end, its data file their JSON (the last row without
its comma): the index says where, so a run maps the list files and has the kept rows as
Arrow arrays over their bytes, without reading or copying them, and the only copy of the
rows on disk is the list itself (a copy beside it was 1.7 GB rewritten by every run at 100k
reports; the index is a few bytes a row). The index is removed before a list file is
rewritten and written after all of them; a file whose size is not the one recorded voids
it. Its bytes depend only on the rows and the files: the same rows, the same index.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

MAGIC = b"gongkai list index 1\n"
ALIGNMENT = 64
SCHEMA = pa.schema(
    [
        ("report_id", pa.large_string()),
        ("report_key", pa.uint64()),
        ("html", pa.large_string()),
        ("json", pa.large_string()),
    ]
)


@dataclass(frozen=True)
class Page:
    """Where a list page's rows are: rows first..stop-1 of the list, their HTML from byte
    `html_start` of the page, their JSON from byte `json_start` of its data file."""

    page: str
    page_size: int
    html_start: int
    data: str
    data_size: int
    json_start: int
    first: int
    stop: int


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


def index_path(out: Path, name: str) -> Path:
    return out / f".list-{name}.index"


def read_rows(out: Path, name: str, code: str) -> pa.Table | None:
    """The rows of list `name` in `out`/list as the index records them, if `code` drew them
    and every file is as the index says (else None: draw them again)."""
    try:
        with pa.memory_map(str(index_path(out, name))) as source:
            whole = source.read_buffer()
    except (FileNotFoundError, OSError):
        return None
    try:
        head = whole.slice(0, min(len(whole), 1 << 24)).to_pybytes()
        if not head.startswith(MAGIC):
            return None
        header_end = head.index(b"\n", len(MAGIC)) + 1
        header = json.loads(head[len(MAGIC) : header_end])
        if header.get("code") != code:
            return None
        rows, reports = int(header["rows"]), int(header["reports"])
        sections = _sections(whole, _aligned(header_end), header["sections"])
        if sections is None or len(sections) != 6:
            return None
        ids = pa.Array.from_buffers(pa.large_string(), reports, [None, sections[0], sections[1]])
        keys = pa.Array.from_buffers(pa.uint64(), reports, [None, sections[2]])
        run_ends = pa.Array.from_buffers(pa.int64(), reports, [None, sections[3]])
        html_ends = pa.Array.from_buffers(pa.int64(), rows + 1, [None, sections[4]])
        json_ends = pa.Array.from_buffers(pa.int64(), rows + 1, [None, sections[5]])
        for array in (ids, keys, run_ends, html_ends, json_ends):
            array.validate()  # the buffers are as long as the counts say (a cut file is not)
        if (run_ends[-1].as_py() if reports else 0) != rows:
            return None
        html: list[pa.Array] = []
        json_rows: list[pa.Array] = []
        for entry in header["pages"]:
            page = Page(*entry)
            if not _page_rows(out / "list", page, html_ends, json_ends, html, json_rows):
                return None
        if sum(len(chunk) for chunk in html) != rows:
            return None
    except (ValueError, KeyError, TypeError, IndexError, pa.ArrowInvalid):
        return None
    # A report's run of rows: its id and key on each of them.
    if reports:
        runs = pa.RunEndEncodedArray.from_arrays(run_ends, pa.array(range(reports), pa.int64()))
        which = pc.run_end_decode(runs)
        row_ids, row_keys = ids.take(which), keys.take(which)
    else:
        row_ids, row_keys = ids, keys
    return pa.Table.from_arrays(
        [
            pa.chunked_array([row_ids], pa.large_string()),
            pa.chunked_array([row_keys], pa.uint64()),
            pa.chunked_array(html, pa.large_string()),
            pa.chunked_array(json_rows, pa.large_string()),
        ],
        schema=SCHEMA,
    )


def index_bytes(code: str, rows: pa.Table, pages: list[Page]) -> bytes:
    """The index of a list whose rows are `rows` (the SCHEMA columns, any chunks), laid out
    in the files `pages` describe."""
    count = rows.num_rows
    if count:
        encoded = pc.run_end_encode(rows.column("report_id").combine_chunks())
        run_ends = encoded.run_ends.cast(pa.int64())
        ids = encoded.values.cast(pa.large_string())
        starts = pa.concat_arrays([pa.array([0], pa.int64()), run_ends.slice(0, len(run_ends) - 1)])
        keys = rows.column("report_key").take(starts).combine_chunks()
    else:
        run_ends = pa.array([], pa.int64())
        ids = pa.array([], pa.large_string())
        keys = pa.array([], pa.uint64())
    sections = [
        _offsets(pa.chunked_array([ids])),
        b"".join(Strings(pa.chunked_array([ids])).segments(0, len(ids))),
        _plain(keys),
        _plain(run_ends),
        _offsets(rows.column("html")),
        _offsets(rows.column("json")),
    ]
    header = json.dumps(
        {
            "code": code,
            "rows": count,
            "reports": len(ids),
            "pages": [list(page.__dict__.values()) for page in pages],
            "sections": [len(section) for section in sections],
        },
        ensure_ascii=True,
    ).encode()
    parts = [MAGIC + header + b"\n"]
    position = len(parts[0])
    for section in sections:
        parts.append(bytes(_aligned(position) - position))
        parts.append(section)
        position = _aligned(position) + len(section)
    return b"".join(parts)


def _page_rows(
    folder: Path,
    page: Page,
    html_ends: pa.Array,
    json_ends: pa.Array,
    html: list[pa.Array],
    json_rows: list[pa.Array],
) -> bool:
    """Append the page's rows, over the mapped bytes of its two files, to `html` and
    `json_rows`; False if a file is missing or not the size recorded."""
    page_bytes = _mapped(folder / page.page, page.page_size)
    data_bytes = _mapped(folder / page.data, page.data_size)
    if page_bytes is None or data_bytes is None:
        return False
    count = page.stop - page.first
    if count <= 0:
        return count == 0
    html_bounds = _rebased(html_ends, page.first, page.stop)
    json_bounds = _rebased(json_ends, page.first, page.stop)
    html_length, json_length = html_bounds[-1].as_py(), json_bounds[-1].as_py()
    if page.html_start + html_length > len(page_bytes) or page.json_start + json_length - 1 > len(
        data_bytes
    ):
        return False
    html.append(
        pa.Array.from_buffers(
            pa.large_string(),
            count,
            [None, html_bounds.buffers()[1], page_bytes.slice(page.html_start, html_length)],
        )
    )
    # The data file drops the last row's comma: all rows but the last over the file's bytes,
    # the last one copied with it.
    before_last = json_bounds[count - 1].as_py()
    json_rows.append(
        pa.Array.from_buffers(
            pa.large_string(),
            count - 1,
            [None, json_bounds.buffers()[1], data_bytes.slice(page.json_start, before_last)],
        )
    )
    last = data_bytes.slice(page.json_start + before_last, json_length - 1 - before_last)
    json_rows.append(pa.array([last.to_pybytes().decode("utf-8") + ","], pa.large_string()))
    return True


def _mapped(path: Path, size: int) -> pa.Buffer | None:
    try:
        if path.stat().st_size != size:
            return None
        with pa.memory_map(str(path)) as source:
            return source.read_buffer()
    except (FileNotFoundError, OSError):
        return None


def _rebased(ends: pa.Array, first: int, stop: int) -> pa.Array:
    """Offsets of rows first..stop-1 from 0 (a fresh array: its buffer starts at them)."""
    window = ends.slice(first, stop - first + 1)
    return pc.subtract(window, window[0])


def _sections(whole: pa.Buffer, position: int, lengths: list[int]) -> list[pa.Buffer] | None:
    sections = []
    for length in lengths:
        if position + int(length) > len(whole):
            return None
        sections.append(whole.slice(position, int(length)))
        position = _aligned(position + int(length))
    return sections


def _offsets(column: pa.ChunkedArray) -> bytes:
    """The int64 offsets of a string column as one array would hold them (from 0)."""
    lengths = pc.binary_length(column.cast(pa.large_string()))
    ends = pc.cumulative_sum(lengths).combine_chunks() if len(column) else pa.array([], pa.int64())
    return _little_endian(pa.concat_arrays([pa.array([0], pa.int64()), ends.cast(pa.int64())]))


def _plain(array: pa.Array) -> bytes:
    """The values buffer of a fixed-width array without nulls."""
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
