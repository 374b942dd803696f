"""The contracts between the layers: Parquet schema <-> dbt sources, seeds <-> each other."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import yaml

from ingest.schema import CELLS_SCHEMA, DOCUMENTS_SCHEMA
from tests.conftest import ROOT

SEEDS = ROOT / "seeds"


def _seed(name: str) -> list[dict[str, str]]:
    with open(SEEDS / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _documented_columns() -> dict[str, list[str]]:
    sources = yaml.safe_load((ROOT / "models/staging/_ingest__sources.yml").read_text("utf-8"))
    tables = sources["sources"][0]["tables"]
    return {table["name"]: [column["name"] for column in table["columns"]] for table in tables}


def test_parquet_schema_is_the_documented_source_contract() -> None:
    documented = _documented_columns()
    assert documented["cells"] == CELLS_SCHEMA.names
    assert documented["documents"] == DOCUMENTS_SCHEMA.names


def test_template_grid_uses_dictionary_codes() -> None:
    rows = {(r["table_code"], r["row_code"]) for r in _seed("row_labels")}
    columns = {(r["table_code"], r["col_code"]) for r in _seed("column_labels")}
    for cell in _seed("template_cells"):
        assert (cell["table_code"], cell["row_code"]) in rows, cell
        assert (cell["table_code"], cell["col_code"]) in columns, cell


def test_rule_terms_name_existing_codes() -> None:
    rules = {r["rule_id"] for r in _seed("reconciliation_rules")}
    rows = {(r["table_code"], r["row_code"]) for r in _seed("row_labels")}
    columns = {(r["table_code"], r["col_code"]) for r in _seed("column_labels")}
    for term in _seed("reconciliation_terms"):
        assert term["rule_id"] in rules, term
        if term["row_code"]:
            assert (term["table_code"], term["row_code"]) in rows, term
        if term["col_code"]:
            assert (term["table_code"], term["col_code"]) in columns, term


def test_label_patterns_compile_and_match_their_own_label() -> None:
    from gongkai.text import normalize

    for record in _seed("row_labels"):
        pattern = re.compile(record["match_pattern"])
        assert pattern.search(normalize(record["label_zh"])), record["row_code"]
    for record in _seed("markers"):
        re.compile(record["pattern"])


def test_every_seed_is_documented() -> None:
    documented = yaml.safe_load((SEEDS / "_seeds.yml").read_text("utf-8"))
    names = {seed["name"] for seed in documented["seeds"]}
    assert names == {path.stem for path in Path(SEEDS).glob("*.csv")}


def test_paired_terms_name_existing_codes_and_parameterised_rules() -> None:
    rules = {r["rule_id"]: r for r in _seed("reconciliation_rules")}
    parameters = {r["rule_id"] for r in _seed("rule_parameters")}
    rows = {(r["table_code"], r["row_code"]) for r in _seed("row_labels")}
    columns = {(r["table_code"], r["col_code"]) for r in _seed("column_labels")}
    for term in _seed("paired_terms"):
        assert rules[term["rule_id"]]["evaluation"] in ("paired_terms", "aggregate_parts"), term
        assert term["rule_id"] in parameters, term
        assert bool(term["row_code"]) != bool(term["col_code"]), term
        if term["row_code"]:
            assert (term["table_code"], term["row_code"]) in rows, term
        if term["col_code"]:
            assert (term["table_code"], term["col_code"]) in columns, term
