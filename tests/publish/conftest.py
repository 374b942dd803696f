"""One warehouse for every publish test: the sample corpus built once into a temporary folder.

`build()` also writes the dbt docs and the HTML report beside the database file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from gongkai.build import build
from tests.conftest import SAMPLE


@dataclass(frozen=True)
class Built:
    database: Path

    @property
    def report(self) -> Path:
        return self.database.parent / "report"

    @property
    def docs(self) -> Path:
        return self.database.parent / "docs"

    def query(self, sql: str, parameters: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.database), read_only=True) as connection:
            return connection.execute(sql, parameters or []).fetchall()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("publish")
    database = folder / "gongkai.duckdb"
    assert build([str(SAMPLE)], folder / "lake", database=database) == 0
    return Built(database)
