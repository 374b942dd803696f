"""Shards are runs of paths: documents added below a new folder leave the other shards alone,
and with many small shards (copies in other shards than their originals) every sequence of
ingests still equals a fresh ingest."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from bench.generate import generate
from ingest.lake import pipeline
from ingest.lake.pipeline import run, shards_of
from tests.conftest import SAMPLE
from tests.ingest.lake.test_lake_semantics import documents, snapshot
from tests.ingest.lake.test_lake_semantics import (
    test_any_sequence_of_ingests_equals_a_fresh_ingest as any_sequence_equals_a_fresh_ingest,
)


@pytest.fixture
def small_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    """About four documents per shard, so that a few dozen files make many shards."""
    monkeypatch.setattr(pipeline, "SHARD_DOCUMENTS", 4)
    monkeypatch.setattr(pipeline, "SHARD_MAX", 16)


def _shards(lake: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((lake / "cells").glob("part-*.parquet"))}


def test_documents_added_in_a_new_folder_rewrite_only_where_they_land(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_shards: None
) -> None:
    monkeypatch.chdir(tmp_path)
    generate(Path("reports/a"), 60, seed=3, workers=1)
    lake = Path("lake")
    run(["reports"], lake, workers=2, progress=False)
    before = _shards(lake)
    assert len(before) >= 6
    generate(Path("reports/b"), 12, seed=4, workers=1)
    summary = run(["reports"], lake, workers=2, progress=False)
    assert (summary.parsed, summary.unchanged) == (12, 60)
    after = _shards(lake)
    rewritten = [name for name, data in before.items() if after.get(name) != data]
    # Folder b sorts after every path of a: at most a's last shard takes some of its files.
    assert len(rewritten) <= 1, rewritten
    assert len(after) > len(before)
    fresh = Path("fresh")
    run(["reports"], fresh, workers=1, progress=False)
    assert snapshot(lake) == snapshot(fresh)
    # What the lake holds is what shards_of says an ingest of these paths writes.
    held = {
        name.removeprefix("part-").removesuffix(".parquet"): sorted(
            pq.read_table(lake / "documents" / name, columns=["source_path"])[
                "source_path"
            ].to_pylist()
        )
        for name in _shards(lake)
    }
    assert held == dict(shards_of([p for paths in held.values() for p in paths]))


def test_copies_in_other_shards_follow_their_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_shards: None
) -> None:
    monkeypatch.chdir(tmp_path)
    names = sorted(p.name for p in SAMPLE.iterdir())
    rng = random.Random(5)
    for folder in ("a", "m", "z"):
        Path(folder).mkdir()
        for name in rng.sample(names, 6):
            shutil.copy(SAMPLE / name, Path(folder) / name)
    lake = Path("lake")
    for step in range(4):
        if step:  # change, delete or copy a file, then ingest everything again
            files = sorted(p for p in Path(".").glob("[amz]/*") if p.is_file())
            victim = rng.choice(files)
            action = rng.choice(["change", "delete", "copy"])
            if action == "change":
                victim.write_bytes(victim.read_bytes() + b"\n")
            elif action == "delete":
                victim.unlink()
            else:
                shutil.copy(victim, Path(rng.choice("amz")) / f"0copy_{victim.name}")
        run(["a", "m", "z"], lake, workers=2, progress=False)
        fresh = Path(f"fresh{step}")
        run(["a", "m", "z"], fresh, workers=1, progress=False)
        assert snapshot(lake) == snapshot(fresh), step
        docs = documents(lake)
        assert len(_shards(lake)) > 2 and any(d["status"] == "duplicate" for d in docs.values())
        originals = {d["source_path"] for d in docs.values() if d["status"] != "duplicate"}
        for doc in docs.values():
            if doc["status"] == "duplicate":
                original = doc["error"].removeprefix("same bytes as ")
                assert original in originals and original < doc["source_path"]
        shutil.rmtree(fresh)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_sequence_of_ingests_into_small_shards_equals_a_fresh_ingest(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_shards: None
) -> None:
    any_sequence_equals_a_fresh_ingest(seed, tmp_path, monkeypatch)
