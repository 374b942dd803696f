"""Reading a seed CSV: the dictionaries and rules that Python and dbt share."""

from __future__ import annotations

import csv

from gongkai.paths import seeds_dir


def read_seed(name: str) -> list[dict[str, str]]:
    """The rows of seeds/`name` as dicts of text (codes stay text, as dbt's column_types pin)."""
    with open(seeds_dir() / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
