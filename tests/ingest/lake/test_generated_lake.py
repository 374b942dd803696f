"""A generated lake (bench/generate_lake.py) is cut into shards as the ingest cuts them, so that
further copies, removals and an ingest extend it shard by shard."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from bench.generate import generate as generate_corpus
from bench.generate_lake import connect, extend, generate
from ingest.lake import pipeline
from ingest.lake.pipeline import run, shards_of


@pytest.fixture
def small_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "SHARD_DOCUMENTS", 4)
    monkeypatch.setattr(pipeline, "SHARD_MAX", 16)


def _held(lake: Path) -> dict[str, list[str]]:
    """shard name -> its documents' paths, and every cell in the shard of its path."""
    held = {}
    for path in sorted((lake / "documents").glob("part-*.parquet")):
        paths = pq.read_table(path, columns=["source_path"])["source_path"].to_pylist()
        cells = pq.read_table(lake / "cells" / path.name, columns=["source_path"])
        assert set(cells["source_path"].to_pylist()) <= set(paths), path.name
        held[path.stem.removeprefix("part-")] = sorted(paths)
    assert {p.name for p in (lake / "cells").glob("*.parquet")} == {
        p.name for p in (lake / "documents").glob("*.parquet")
    }
    return held


def _bytes(lake: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((lake / "cells").glob("part-*.parquet"))}


def _counts(lake: Path) -> tuple[int, int, int]:
    with duckdb.connect() as connection:
        return connection.execute(
            f"select (select count(*) from '{lake}/documents/*.parquet'), "
            f"(select count(distinct report_id) from '{lake}/documents/*.parquet'), "
            f"(select count(*) from '{lake}/cells/*.parquet')"
        ).fetchone()


def test_generated_lake_has_the_ingest_layout_and_grows_shard_by_shard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_shards: None
) -> None:
    monkeypatch.chdir(tmp_path)
    generate_corpus(Path("reports/a"), 24, seed=5, workers=1)
    base = Path("base")
    run(["reports"], base, workers=1, progress=False)
    documents, reports, cells = _counts(base)

    lake = Path("lake")
    written, shards, removed = generate(base, lake, 3)
    assert (written, removed) == (3 * cells, 0)
    held = _held(lake)
    assert shards == len(held) > 3
    assert held == {name: sorted(paths) for name, paths in shards_of(sum(held.values(), []))}
    assert _counts(lake) == (3 * documents, 3 * reports, 3 * cells)

    # One more copy: only the shards whose paths change are written.
    before = _bytes(lake)
    written, shards, removed = generate(base, lake, 1, first=3)
    after = _bytes(lake)
    assert written >= cells  # the new cells and those kept in rewritten shards
    assert shards == len([name for name, data in after.items() if before.get(name) != data])
    assert shards < len(after)
    held = _held(lake)
    assert held == {name: sorted(paths) for name, paths in shards_of(sum(held.values(), []))}
    assert _counts(lake) == (4 * documents, 4 * reports, 4 * cells)

    # Paths dropped: their shards are rewritten or removed, the others kept as they were.
    first_shard = sorted(held)[0]
    dropped = held[first_shard]
    connection = connect(base)
    connection.execute("create table added_documents as select * from base_documents limit 0")
    before = _bytes(lake)
    _, shards, removed = extend(connection, lake, lambda chunk: "select 1 where false", dropped)
    held = _held(lake)
    assert not set(dropped) & set(sum(held.values(), []))
    assert held == {name: sorted(paths) for name, paths in shards_of(sum(held.values(), []))}
    assert sum(before.get(name) != data for name, data in _bytes(lake).items()) <= shards
    assert 1 <= shards + removed <= 3

    # And the ingest extends the generated lake, keeping its reports.
    kept = _counts(lake)
    generate_corpus(Path("reports/b"), 4, seed=6, workers=1)
    summary = run(["reports/b"], lake, workers=1, progress=False)
    assert summary.parsed == 4
    assert _counts(lake)[0] == kept[0] + 4
