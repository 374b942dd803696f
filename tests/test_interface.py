"""The warehouse's public interface: consumers read marts only, and rules are data.

Static checks over the repository's files (no build needed).
"""

from __future__ import annotations

import re
import subprocess

from tests.conftest import ROOT

# A schema-qualified name in the build-only schemas, e.g. intermediate.int_cells_labeled.
BUILD_SCHEMA_NAME = re.compile(r"\b(?:intermediate|staging)\.[a-z_]")
RULE_ID = re.compile(r"\bR\d{2}\b")
JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
SQL_COMMENT = re.compile(r"--[^\n]*")


def _tracked(*patterns: str) -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", *patterns],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [name for name in listed.stdout.splitlines() if (ROOT / name).is_file()]


def test_nothing_outside_models_names_intermediate_or_staging() -> None:
    offenders = []
    for name in _tracked():
        if name.startswith(("models/", "corpus/", "tests/fixtures/")) or name.endswith(
            (".png", ".lock", ".pdf", ".docx", ".xlsx", ".doc", ".xls")
        ):
            continue
        if name == "tests/test_interface.py":
            continue
        text = (ROOT / name).read_text(encoding="utf-8", errors="replace")
        offenders += [f"{name}: {match.group(0)}" for match in BUILD_SCHEMA_NAME.finditer(text)]
    assert offenders == []


def test_no_rule_id_is_a_literal_in_sql() -> None:
    """Rules are routed by the seed's `evaluation` column: models, macros and dbt tests name
    no rule id outside comments (YAML tests and unit-test fixtures may)."""
    files = _tracked("models/*.sql", "macros/*.sql", "tests/dbt/*.sql")
    assert any(name.startswith("models/") for name in files)
    offenders = []
    for name in files:
        code = SQL_COMMENT.sub("", JINJA_COMMENT.sub("", (ROOT / name).read_text("utf-8")))
        offenders += [f"{name}: {match.group(0)}" for match in RULE_ID.finditer(code)]
    assert offenders == []


def test_rule_id_check_catches_a_literal() -> None:
    code = "select 'R06' as rule_id {# R05 in a comment #} -- R01 here too"
    cleaned = SQL_COMMENT.sub("", JINJA_COMMENT.sub("", code))
    assert RULE_ID.findall(cleaned) == ["R06"]
