"""Find the three standard tables in a token stream and recognise the template.

Sections are located by the markers in seeds/markers.csv (the 第二十条 captions, the 勾稽关系
note, the 行政复议 header); the template by the column and row labels only one template prints,
never by the report year alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from gongkai.text import normalize
from ingest.readers import SourceRow
from ingest.tables.labels import markers
from ingest.tables.tokens import TEXT, Token
from ingest.vocabulary import table_templates

TABLE_ORDER = ("proactive", "applications", "reviews_litigation")
# A start marker counts only when the table's own header words follow within this many runs.
CONFIRM_WINDOW = 12


@dataclass(frozen=True)
class TextRun:
    """Consecutive text tokens: first and last token index and their normalized text."""

    first: int
    last: int
    norm: str


def text_runs(tokens: list[Token]) -> list[TextRun]:
    runs: list[TextRun] = []
    start = None
    for index, token in enumerate(tokens + [Token("end", "", "", -1, False, False, "")]):
        if token.kind == TEXT:
            if start is None:
                start = index
            continue
        if start is not None:
            norm = "".join(t.norm for t in tokens[start:index])
            runs.append(TextRun(start, index - 1, norm))
            start = None
    return runs


@cache
def table_start_hint() -> re.Pattern[str]:
    """The section start markers as one regex that also works on raw page text."""
    return re.compile("|".join(f"(?:{p.pattern})" for _, p in markers()["section_start"]))


def first_table_row(rows: list[SourceRow]) -> int:
    """Index of the first row that may open a table; narrative before it need not be tokenized."""
    patterns = [p for _, p in markers()["section_start"]]
    for index, row in enumerate(rows):
        norm = normalize("".join(row.cells))
        if any(p.search(norm) for p in patterns):
            return index
    return 0


def find_sections(tokens: list[Token], runs: list[TextRun]) -> dict[str, tuple[int, int]]:
    """table_code -> (first token, end token exclusive) for each table found."""
    starts: dict[str, int] = {}
    search_from = 0
    marker_sets = markers()
    for table in TABLE_ORDER:
        patterns = [p for name, p in marker_sets["section_start"] if name == table]
        confirms = [p for name, p in marker_sets["section_confirm"] if name == table]
        for run_index in range(search_from, len(runs)):
            if not any(p.search(runs[run_index].norm) for p in patterns):
                continue
            window = "".join(run.norm for run in runs[run_index : run_index + CONFIRM_WINDOW])
            if any(p.search(window) for p in confirms):
                starts[table] = run_index
                search_from = run_index + 1
                break
    end_patterns = [p for _, p in marker_sets["section_end"]]
    sections: dict[str, tuple[int, int]] = {}
    ordered = sorted(starts.items(), key=lambda item: item[1])
    for position, (table, run_index) in enumerate(ordered):
        end_token = len(tokens)
        if position + 1 < len(ordered):
            end_token = runs[ordered[position + 1][1]].first
        for later in runs[run_index + 1 :]:
            if later.first >= end_token:
                break
            if any(p.search(later.norm) for p in end_patterns):
                end_token = later.first
                break
        sections[table] = (runs[run_index].first, end_token)
    return sections


def detect_template(runs: list[TextRun], sections: dict[str, tuple[int, int]]) -> str | None:
    """The table template ('2019', '2021', …) whose fingerprint labels the tables print most,
    or None when they do not say (no votes, or a tie at the top)."""
    if not sections:
        return None
    first = min(start for start, _ in sections.values())
    last = max(end for _, end in sections.values())
    text = "".join(run.norm for run in runs if first <= run.first < last)
    votes = {
        template.template: sum(
            1 for _, p in markers().get(f"template_{template.template}", []) if p.search(text)
        )
        for template in table_templates()
    }
    ranked = sorted(votes.values(), reverse=True)
    if ranked[0] == 0 or (len(ranked) > 1 and ranked[0] == ranked[1]):
        return None
    return max(votes, key=votes.__getitem__)
