"""The Parquet contract: column names, types and status vocabularies.

Everything that reads or writes the lake takes its names from here; the dbt source
definitions in models/staging/_ingest__sources.yml document the same columns.
"""

from __future__ import annotations

import pyarrow as pa

from ingest.version import parser_version

# A hash of the parser's code and the seeds it reads: any change re-parses (ingest/version.py).
PARSER_VERSION = parser_version()

# Cell status: how sure we are that the cell sits where we put it.
CELL_OK = "ok"  # printed as its own cell and placed by label or position
CELL_INFERRED = "inferred"  # recovered from run-together digits, unique under the row's own total
CELL_AMBIGUOUS = "ambiguous"  # several placements are possible: raw text kept, no column assigned
CELL_UNPLACED = "unplaced"  # a number inside a table section that fits no template cell
CELL_UNPARSED = "unparsed"  # placed, but its text is neither a number nor a blank marker
# A pre-2019 indicator the label map does not know: raw label and value kept, row_code null.
CELL_UNMAPPED = "unmapped"
CELL_STATUSES = (
    CELL_OK,
    CELL_INFERRED,
    CELL_AMBIGUOUS,
    CELL_UNPLACED,
    CELL_UNPARSED,
    CELL_UNMAPPED,
)

# What the printed text of a cell is, independent of where it sits.
KIND_NUMBER = "number"
KIND_ZERO = "zero"
KIND_BLANK = "blank"
KIND_NOT_APPLICABLE = "not_applicable"
KIND_TEXT = "text"
VALUE_KINDS = (KIND_NUMBER, KIND_ZERO, KIND_BLANK, KIND_NOT_APPLICABLE, KIND_TEXT)

# Document status.
DOC_PARSED = "parsed"
DOC_PARTIAL = "partial"
DOC_NO_STANDARD_TABLES = "no_standard_tables"
DOC_DUPLICATE = "duplicate"
DOC_ERROR = "error"
DOC_STATUSES = (DOC_PARSED, DOC_PARTIAL, DOC_NO_STANDARD_TABLES, DOC_DUPLICATE, DOC_ERROR)

AGENCY_COLUMNS = (
    "agency_name",
    "agency_division_code",
    "agency_kind",
    "agency_township",
    "agency_match_method",
    "agency_match_evidence",
    "agency_match_note",
    "agency_report_scope",
)

TEMPLATES = ("2019", "2021", "pre2019", "unknown")

CELLS_SCHEMA = pa.schema(
    [
        pa.field("report_id", pa.string(), nullable=False),
        pa.field("cell_seq", pa.int32(), nullable=False),
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("table_code", pa.string(), nullable=False),
        pa.field("row_code", pa.string()),
        pa.field("col_code", pa.string()),
        pa.field("row_label_raw", pa.string()),
        pa.field("col_label_raw", pa.string()),
        pa.field("raw_text", pa.string(), nullable=False),
        pa.field("value", pa.float64()),
        pa.field("unit", pa.string()),
        pa.field("value_kind", pa.string(), nullable=False),
        pa.field("status", pa.string(), nullable=False),
        pa.field("locator", pa.string(), nullable=False),
        pa.field("note", pa.string()),
        pa.field("candidates", pa.string()),
        pa.field("confidence", pa.float64()),
        # Narrative figures: whom the sentence counts (self, or the aggregate it names).
        pa.field("scope", pa.string()),
    ]
)

DOCUMENTS_SCHEMA = pa.schema(
    [
        pa.field("report_id", pa.string(), nullable=False),
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("sha256", pa.string(), nullable=False),
        pa.field("bytes", pa.int64(), nullable=False),
        pa.field("file_format", pa.string()),
        pa.field("encoding", pa.string()),
        pa.field("layout", pa.string()),
        pa.field("title", pa.string()),
        pa.field("agency", pa.string()),
        # The issuing body as matched against the division data (ingest/agency.py).
        pa.field("agency_name", pa.string()),
        pa.field("agency_division_code", pa.string()),
        pa.field("agency_kind", pa.string()),
        pa.field("agency_township", pa.string()),
        pa.field("agency_match_method", pa.string()),
        pa.field("agency_match_evidence", pa.string()),
        pa.field("agency_match_note", pa.string()),
        pa.field("agency_report_scope", pa.string()),
        pa.field("report_year", pa.int32()),
        pa.field("published_date", pa.date32()),
        pa.field("index_no", pa.string()),
        pa.field("template", pa.string(), nullable=False),
        pa.field("status", pa.string(), nullable=False),
        pa.field("error", pa.string()),
        pa.field("notes", pa.string()),
        pa.field("cells_total", pa.int32(), nullable=False),
        pa.field("cells_ok", pa.int32(), nullable=False),
        pa.field("cells_inferred", pa.int32(), nullable=False),
        pa.field("cells_ambiguous", pa.int32(), nullable=False),
        pa.field("cells_unplaced", pa.int32(), nullable=False),
        pa.field("cells_unparsed", pa.int32(), nullable=False),
        pa.field("cells_unmapped", pa.int32(), nullable=False),
        pa.field("parser_version", pa.string(), nullable=False),
    ]
)
