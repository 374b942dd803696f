"""The analyst queries of analyses/analyst_queries.sql, compiled by dbt, for the BI client tests.

`gongkai build` compiles the analysis (its `dbt docs generate` step compiles every node), so
the queries are read as dbt wrote them, every ref() resolved to a mart.
"""

from __future__ import annotations

import re
from pathlib import Path

COMPILED = Path("compiled") / "gongkai" / "analyses" / "analyst_queries.sql"


def analyst_queries(target: Path) -> dict[str, str]:
    """The `-- name: x` blocks of the compiled analysis in `target`, semicolons dropped."""
    path = target / COMPILED
    text = path.read_text(encoding="utf-8")
    assert "{{" not in text, f"{path} is not compiled"
    parts = re.split(r"^-- name: (\w+)\s*$", text, flags=re.M)
    queries = {
        name: body.strip().rstrip(";").strip()
        for name, body in zip(parts[1::2], parts[2::2], strict=True)
    }
    assert queries, f"no `-- name:` queries in {path}"
    return queries
