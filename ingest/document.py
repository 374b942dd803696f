"""One document's bytes -> its documents row and its cell rows. Pure: no file system access.

Reading (readers/), tokenizing, finding the sections, placing the values (tables/) and
reading the metadata (metadata) are separate modules; this one wires them for one document and
decides the document's status.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from itertools import islice
from typing import Any

from ingest.agency import match_agency
from ingest.cells import CELL_FIELDS, CellBatch
from ingest.figures import figure_cells
from ingest.figures.narrative import SCOPE_SELF
from ingest.metadata import Metadata, extract_metadata
from ingest.readers import Decoded, ReadError
from ingest.readers.dispatch import read_document
from ingest.schema import (
    AGENCY_COLUMNS,
    CELL_AMBIGUOUS,
    CELL_INFERRED,
    CELL_STATUSES,
    CELL_UNPARSED,
    DOC_ERROR,
    DOC_NO_STANDARD_TABLES,
    DOC_PARSED,
    DOC_PARTIAL,
    KIND_TEXT,
    PARSER_VERSION,
    TEMPLATE_UNKNOWN,
)
from ingest.source_url import source_url
from ingest.tables.labels import column_label, column_labels, placement_rows
from ingest.tables.placement import Placed, parse_table
from ingest.tables.sections import (
    TABLE_ORDER,
    TextRun,
    detect_template,
    find_sections,
    first_table_row,
    table_start_hint,
    text_runs,
)
from ingest.tables.solver import Quote, Quotes
from ingest.tables.tokens import Token, tokenize
from ingest.values import parse_value
from ingest.vocabulary import assumed_table_template, placed_cell_statuses, template_of_year

MAX_ERROR_CHARS = 2000

Row = dict[str, Any]
Spans = dict[str, tuple[int, int]]  # table_code -> (first token, end token exclusive)


def parse_document(data: bytes, source_path: str, report_id: str) -> tuple[Row, list[Row]]:
    """Return (documents row, cell rows) for one file; never raises for bad input."""
    doc, cells = parse_document_columns(data, source_path, report_id)
    return doc, cells.rows()


def parse_document_columns(data: bytes, source_path: str, report_id: str) -> tuple[Row, CellBatch]:
    """`parse_document` with the cells as columns, as the lake's writer takes them.

    The stages in order: read the bytes, describe the report (metadata, agency), locate the
    table sections, recognise the template, place each table's cells, add the figures of the
    text, then decide the document's status. A report without the standard tables leaves
    after the third stage (its statistics table and figures are read instead).
    """
    doc = empty_document_row(report_id, source_path)
    decoded = _read(doc, data, source_path)
    if decoded is None:
        return doc, CellBatch()
    metadata = _describe(doc, decoded)
    tokens, runs, sections = _locate_tables(decoded)
    if not sections:
        return _without_standard_tables(doc, decoded, metadata)
    problems: list[str] = []
    notes: list[str] = []
    template = _recognise_template(doc, runs, sections, metadata, problems)
    # The text's figures first: a figure it quotes about the body may break a split's tie.
    figures = figure_cells(decoded, metadata.report_year, statistics=False)
    quotes = _own_quotes(figures.cells)
    cells = _place_tables(doc, tokens, sections, template, problems, notes, quotes)
    _add_figures(cells, report_id, source_path, figures.cells)
    _number_cells(cells)
    _conclude(doc, decoded, cells, problems, notes)
    return doc, cells


def _read(doc: Row, data: bytes, source_path: str) -> Decoded | None:
    """The decoded rows, or None with the documents row marked as an error saying why."""
    if not data:
        _error(doc, f"{source_path}: empty file (0 bytes)")
        return None
    try:
        decoded = read_document(data, source_path, text_start=table_start_hint())
    except ReadError as error:
        doc["source_url"] = source_url(data, [])
        _error(doc, str(error))
        return None
    # The address the file records of itself (a saved page's marker), read from the bytes.
    doc.update(
        file_format=decoded.file_format,
        encoding=decoded.encoding,
        source_url=source_url(data, decoded.lines),
    )
    return decoded


def _describe(doc: Row, decoded: Decoded) -> Metadata:
    """Title, year, dates, index number and the matched agency, written into the row."""
    metadata = extract_metadata(decoded.lines)
    doc.update(
        title=metadata.title,
        agency=metadata.agency,
        report_year=metadata.report_year,
        published_date=metadata.published_date,
        index_no=metadata.index_no,
    )
    doc.update(match_agency(decoded.lines, metadata.title, metadata.report_year).as_row())
    return metadata


def _locate_tables(decoded: Decoded) -> tuple[list[Token], list[TextRun], Spans]:
    """The tokens from the first table row on, their text runs, and each table's span."""
    # Text readers already start their rows at the first table marker.
    first = 0 if decoded.file_format in ("text", "markdown") else first_table_row(decoded.rows)
    tokens = tokenize(decoded.rows[first:])
    runs = text_runs(tokens)
    return tokens, runs, find_sections(tokens, runs)


def _recognise_template(
    doc: Row, runs: list[TextRun], sections: Spans, metadata: Metadata, problems: list[str]
) -> str:
    """The template whose rows place the cells; when the labels do not tell, the year's
    template is assumed (a problem) and the documents row keeps `unknown`."""
    template = detect_template(runs, sections)
    if template is None:
        template = assumed_table_template(metadata.report_year)
        problems.append(f"table labels do not tell the template; {template} assumed from the year")
        doc["template"] = TEMPLATE_UNKNOWN
    else:
        doc["template"] = template
    return template


def _place_tables(
    doc: Row,
    tokens: list[Token],
    sections: Spans,
    template: str,
    problems: list[str],
    notes: list[str],
    quotes: Quotes,
) -> CellBatch:
    """The cells of every standard table found, in table order; a missing table, and
    what placing a table could not settle, become problems."""
    cells = CellBatch()
    for table in TABLE_ORDER:
        if table not in sections:
            problems.append(f"table {table} not found")
            continue
        start, end = sections[table]
        specs = placement_rows(template, table)
        result = parse_table(
            tokens[start:end],
            specs,
            use_anchors=table != "reviews_litigation",
            template=template,
            quotes=quotes,
        )
        problems.extend(f"{table}: {problem}" for problem in result.problems)
        notes.extend(f"{table}: {note}" for note in result.notes)
        if result.cells:
            _add_placed(cells, doc["report_id"], doc["source_path"], table, result.cells)
    return cells


def _own_quotes(figures: list[dict[str, Any]]) -> Quotes:
    """Figures the text quotes about the body itself (scope self) for a standard-table cell.

    A money cell takes a quote only in its column's own unit (万元 against 万元): a figure
    in another unit is not the cell's text.
    """
    quotes: dict[tuple[str, str], list[Quote]] = {}
    labels = column_labels()
    for cell in figures:
        if cell["value"] is None or cell["scope"] != SCOPE_SELF or not cell["row_code"]:
            continue
        money = [r for (_, col), r in labels.items() if col == cell["col_code"]]
        if any(r["value_type"] == "money" and r["default_unit"] != cell["unit"] for r in money):
            continue
        quote = Quote(cell["value"], cell["unit"], cell["locator"])
        quotes.setdefault((cell["row_code"], cell["col_code"]), []).append(quote)
    return {key: tuple(found) for key, found in quotes.items()}


def _number_cells(cells: CellBatch) -> None:
    """cell_seq: the cells' order of reading, the key within a report."""
    cells.columns["cell_seq"] = list(range(len(cells)))


def _conclude(
    doc: Row, decoded: Decoded, cells: CellBatch, problems: list[str], notes: list[str]
) -> None:
    """Layout, status counts, and the status: partial when a problem or a doubtful cell
    (ambiguous, unparsed) remains, parsed otherwise."""
    _count_statuses(doc, cells)
    unparsed = doc[f"cells_{CELL_UNPARSED}"]
    if unparsed:
        columns = cells.columns
        problems.extend(
            f"{table}: {row}.{col} printed '{text}', not a number"
            for table, row, col, text, status in zip(
                columns["table_code"],
                columns["row_code"],
                columns["col_code"],
                columns["raw_text"],
                columns["status"],
                strict=True,
            )
            if status == CELL_UNPARSED
        )
    doc["layout"] = _layout(decoded, cells)
    has_doubt = unparsed > 0 or doc[f"cells_{CELL_AMBIGUOUS}"] > 0
    doc["status"] = DOC_PARTIAL if problems or has_doubt else DOC_PARSED
    doc["error"] = _limit("; ".join(problems)) if problems else None
    doc["notes"] = _limit("; ".join(notes)) if notes else None


def _without_standard_tables(
    doc: Row, decoded: Decoded, metadata: Metadata
) -> tuple[Row, CellBatch]:
    """A report without the 2019+ tables: its pre-2019 statistics table and its figures."""
    figures = figure_cells(decoded, metadata.report_year, statistics=True)
    cells = CellBatch()
    _add_figures(cells, doc["report_id"], doc["source_path"], figures.cells)
    _number_cells(cells)
    _count_statuses(doc, cells)
    if figures.has_statistics_table:
        doc["template"] = "pre2019"
        doc["layout"] = "run_together" if doc["cells_inferred"] else _layout(decoded, cells)
        problems = list(figures.problems)
        if doc["cells_ambiguous"]:
            problems.append(f"legacy: {doc['cells_ambiguous']} run-together row(s) left ambiguous")
        doc["status"] = DOC_PARTIAL if problems else DOC_PARSED
        doc["error"] = _limit("; ".join(problems)) if problems else None
    else:
        doc["template"] = _template_without_tables(metadata)
        doc["status"] = DOC_NO_STANDARD_TABLES
        doc["error"] = (
            "no standard tables (二/三/四) and no statistics table found; "
            f"{len(cells)} figure(s) read from the text"
        )
    doc["notes"] = _limit("; ".join(figures.notes)) if figures.notes else None
    return doc, cells


def _add_figures(
    cells: CellBatch, report_id: str, source_path: str, figures: list[dict[str, Any]]
) -> None:
    """Statistics-table or narrative cells added as lake cells: what a figure does not say
    is empty (its report and path excepted)."""
    if not figures:
        return
    given = {"report_id": report_id, "source_path": source_path}
    for name in CELL_FIELDS:
        if name != "cell_seq":  # numbered once the document's cells are all in
            default = given.get(name)
            cells.columns[name].extend([figure.get(name, default) for figure in figures])


@cache
def _column_facts(table: str) -> dict[str | None, tuple[str | None, bool]]:
    """col_code -> (printed heading, holds money) for one table; None: an unplaced cell."""
    facts: dict[str | None, tuple[str | None, bool]] = {None: (None, False)}
    for (table_code, col_code), record in column_labels().items():
        if table_code == table:
            facts[col_code] = (column_label(table, col_code), record["value_type"] == "money")
    return facts


def _add_placed(
    cells: CellBatch, report_id: str, source_path: str, table: str, placed: list[Placed]
) -> None:
    """One table's placed cells added as lake cells, field by field: the printed text
    read as a value, a placed cell whose text is no number `unparsed`, and a money cell
    printed without a unit taking the unit its table states."""
    count = len(placed)
    fields = zip(*placed, strict=True)
    row_codes, col_codes, labels, texts, locators, statuses, hints = islice(fields, 7)
    notes, candidates, confidences = islice(fields, 3)  # OCR's alternatives are not kept
    facts = _column_facts(table)
    column_facts = [facts[col] for col in col_codes]
    parsed = list(map(parse_value, texts))
    placed_statuses = placed_cell_statuses()
    statuses = [
        CELL_UNPARSED if status in placed_statuses and value.kind == KIND_TEXT else status
        for status, value in zip(statuses, parsed, strict=True)
    ]
    columns = cells.columns
    columns["report_id"].extend([report_id] * count)
    columns["source_path"].extend([source_path] * count)
    columns["table_code"].extend([table] * count)
    columns["row_code"].extend(row_codes)
    columns["col_code"].extend(col_codes)
    columns["row_label_raw"].extend(labels)
    columns["col_label_raw"].extend([label for label, _ in column_facts])
    columns["raw_text"].extend(texts)
    columns["value"].extend(
        [
            value.value if status in placed_statuses else None
            for value, status in zip(parsed, statuses, strict=True)
        ]
    )
    columns["unit"].extend(
        [
            value.unit or (hint if is_money else None)
            for value, hint, (_, is_money) in zip(parsed, hints, column_facts, strict=True)
        ]
    )
    columns["value_kind"].extend([value.kind for value in parsed])
    columns["status"].extend(statuses)
    columns["locator"].extend(locators)
    columns["note"].extend(notes)
    columns["candidates"].extend(candidates)
    columns["confidence"].extend(confidences)
    columns["scope"].extend([None] * count)


def _layout(decoded: Decoded, cells: CellBatch) -> str:
    if decoded.ocr:
        return "ocr_scan"  # read from page images; its cells carry the engine's confidence
    if CELL_INFERRED in cells.columns["status"]:
        return "run_together"
    if any(row.explicit for row in decoded.rows):
        return "markdown_table" if decoded.file_format in ("text", "markdown") else "grid_table"
    if sum(1 for row in decoded.rows if len(row.cells) > 1) > 10:
        return "pipe_text"
    return "line_text"


def _count_statuses(doc: Row, cells: CellBatch) -> None:
    doc["cells_total"] = len(cells)
    counts = Counter(cells.columns["status"])
    for status in CELL_STATUSES:
        doc[f"cells_{status}"] = counts[status]


def _template_without_tables(metadata: Metadata) -> str:
    """A template whose reports print no standard tables (pre-2019 appendices), or unknown."""
    template = template_of_year(metadata.report_year)
    if template is not None and not template.has_standard_tables:
        return template.template
    return TEMPLATE_UNKNOWN


def empty_document_row(report_id: str, source_path: str) -> Row:
    """A documents row with nothing read yet: the base every outcome fills in."""
    row: Row = {
        "report_id": report_id,
        "source_path": source_path,
        "file_format": None,
        "encoding": None,
        "layout": None,
        "title": None,
        "agency": None,
        **{column: None for column in AGENCY_COLUMNS},
        "report_year": None,
        "published_date": None,
        "index_no": None,
        "source_url": None,
        "template": TEMPLATE_UNKNOWN,
        "status": DOC_PARSED,
        "error": None,
        "notes": None,
        "parser_version": PARSER_VERSION,
    }
    row.update({f"cells_{status}": 0 for status in ("total", *CELL_STATUSES)})
    return row


def _error(doc: Row, message: str) -> Row:
    doc.update(status=DOC_ERROR, error=_limit(message))
    return doc


def _limit(message: str) -> str:
    return message if len(message) <= MAX_ERROR_CHARS else message[: MAX_ERROR_CHARS - 1] + "…"
