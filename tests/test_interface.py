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


# They check the incremental build's own state (which reports it rebuilt), in the build
# file the served warehouse is copied from, not a consumer's view of the marts.
READS_THE_BUILD_STATE = ("tests/test_incremental_build.py", "bench/bench_scale.py")


def test_nothing_outside_models_names_intermediate_or_staging() -> None:
    offenders = []
    for name in _tracked():
        if name.startswith(("models/", "corpus/", "tests/fixtures/")) or name.endswith(
            (".png", ".lock", ".pdf", ".docx", ".xlsx", ".doc", ".xls")
        ):
            continue
        if name == "tests/test_interface.py" or name in READS_THE_BUILD_STATE:
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


def _mart_models() -> list[dict]:
    import yaml

    models = []
    for path in sorted((ROOT / "models" / "marts").rglob("_*models.yml")):
        models += yaml.safe_load(path.read_text(encoding="utf-8"))["models"]
    assert {"dim_reports", "fct_cells"} <= {model["name"] for model in models}
    return models


def test_every_mart_column_has_a_type_a_chinese_name_and_a_grain() -> None:
    """The marts' contracts (enforced for the folder in dbt_project.yml) and the dictionary's
    source: data_type and meta.label_zh on every column, meta.grain on every mart."""
    import yaml

    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["models"]["gongkai"]["marts"]["+contract"] == {"enforced": True}
    for model in _mart_models():
        meta = model["config"]["meta"]
        assert meta["label_zh"] and meta["grain"], model["name"]
        names = [column["name"] for column in model["columns"]]
        assert set(meta["grain"]) <= set(names), model["name"]
        for column in model["columns"]:
            assert column.get("data_type"), (model["name"], column["name"])
            assert column["config"]["meta"]["label_zh"], (model["name"], column["name"])


def test_counts_are_bigint_and_money_decimal() -> None:
    counts = {
        "application_count",
        "case_count",
        "item_count",
        "new_received",
        "carried_over",
        "total_processed",
        "carried_forward",
        "input_count",
        "unusable_input_count",
        "duplicate_file_count",
        "cells_total",
        "cells_placed",
        "report_count",
    }
    money = {"amount_yuan", "value", "expected", "actual", "difference"}
    seen = set()
    for model in _mart_models():
        for column in model["columns"]:
            name, data_type = column["name"], column["data_type"]
            if name in counts or name.endswith("_count") or name.startswith("cells_"):
                assert data_type == "bigint", (model["name"], name)
                seen.add(name)
            if name in money:
                assert data_type.startswith("decimal"), (model["name"], name)
                seen.add(name)
    assert {"application_count", "case_count", "amount_yuan", "new_received"} <= seen
