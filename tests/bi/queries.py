"""The analyst queries of bi/analyst_queries.sql, by name, for the BI client tests."""

from __future__ import annotations

import re

from tests.conftest import ROOT

QUERIES_FILE = ROOT / "bi" / "analyst_queries.sql"


def analyst_queries() -> dict[str, str]:
    """The `-- name: x` blocks of bi/analyst_queries.sql, trailing semicolon dropped."""
    text = QUERIES_FILE.read_text(encoding="utf-8")
    parts = re.split(r"^-- name: (\w+)\s*$", text, flags=re.M)
    queries = {
        name: body.strip().rstrip(";").strip()
        for name, body in zip(parts[1::2], parts[2::2], strict=True)
    }
    assert queries, f"no `-- name:` queries in {QUERIES_FILE}"
    return queries
