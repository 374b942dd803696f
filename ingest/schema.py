"""The Parquet contract: column names, types and status vocabularies.

Everything that reads or writes the lake takes its names from here; the dbt source
definitions in models/staging/_ingest__sources.yml document the same columns.
"""

from __future__ import annotations

import pyarrow as pa

from ingest.version import parser_version
from ingest.vocabulary import (
    cell_statuses,
    code,
    document_statuses,
    templates,
    value_kinds,
)

# A hash of the parser's code and the seeds it reads: any change re-parses (ingest/version.py).
PARSER_VERSION = parser_version()

# The vocabularies are seeds (cell_statuses, value_kinds, document_statuses, templates),
# loaded by dbt too; the names below are the codes the ingest's logic depends on.
CELL_STATUSES = cell_statuses()
CELL_OK = code(CELL_STATUSES, "ok")  # printed as its own cell, placed by label or position
CELL_INFERRED = code(CELL_STATUSES, "inferred")  # from run-together digits, unique by totals
CELL_AMBIGUOUS = code(CELL_STATUSES, "ambiguous")  # several placements possible: no column
CELL_UNPLACED = code(CELL_STATUSES, "unplaced")  # a number that fits no template cell
CELL_UNPARSED = code(CELL_STATUSES, "unparsed")  # placed, but neither a number nor a marker
CELL_UNMAPPED = code(CELL_STATUSES, "unmapped")  # a pre-2019 indicator the label map lacks

# What the printed text of a cell is, independent of where it sits.
VALUE_KINDS = value_kinds()
KIND_NUMBER = code(VALUE_KINDS, "number")
KIND_ZERO = code(VALUE_KINDS, "zero")
KIND_BLANK = code(VALUE_KINDS, "blank")
KIND_NOT_APPLICABLE = code(VALUE_KINDS, "not_applicable")
KIND_TEXT = code(VALUE_KINDS, "text")

DOC_STATUSES = document_statuses()
DOC_PARSED = code(DOC_STATUSES, "parsed")
DOC_PARTIAL = code(DOC_STATUSES, "partial")
DOC_NO_STANDARD_TABLES = code(DOC_STATUSES, "no_standard_tables")
DOC_DUPLICATE = code(DOC_STATUSES, "duplicate")
DOC_ERROR = code(DOC_STATUSES, "error")

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

TEMPLATES = tuple(template.template for template in templates())
TEMPLATE_UNKNOWN = code(TEMPLATES, "unknown")

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
        # The address the document was published at, as it records it (ingest/source_url.py).
        pa.field("source_url", pa.string()),
        pa.field("template", pa.string(), nullable=False),
        pa.field("status", pa.string(), nullable=False),
        pa.field("error", pa.string()),
        pa.field("notes", pa.string()),
        pa.field("cells_total", pa.int32(), nullable=False),
        # one count per cell status, in the seed's order
        *(pa.field(f"cells_{status}", pa.int32(), nullable=False) for status in CELL_STATUSES),
        pa.field("parser_version", pa.string(), nullable=False),
    ]
)
