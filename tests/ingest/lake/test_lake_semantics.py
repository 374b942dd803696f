"""What an ingest does to the lake, over sequences of commands: cumulative, re-synced per
folder, duplicates resolved over every current input, always equal to a fresh ingest."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gongkai.cli import main
from ingest.lake import pipeline
from ingest.lake.pipeline import remove_paths, run
from tests.conftest import SAMPLE

THREE = ("000_428f89f9cabfe0c4.txt", "001_f034b2af3da2120e.txt", "004_b946b0eb2e73828a.txt")


def snapshot(lake: Path) -> dict[str, bytes]:
    """Every file of the lake, by relative path: equal snapshots are byte-identical lakes."""
    return {
        p.relative_to(lake).as_posix(): p.read_bytes()
        for p in sorted(lake.rglob("*"))
        if p.is_file()
    }


def documents(lake: Path) -> dict[str, dict]:
    if not (lake / "documents").exists():
        return {}
    return {d["source_path"]: d for d in pq.read_table(lake / "documents").to_pylist()}


def cell_count(lake: Path) -> int:
    return pq.read_table(lake / "cells").num_rows


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in tmp_path with relative paths, as a user in their folder does."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _copy(names: tuple[str, ...], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(SAMPLE / name, folder / name)


def test_deleting_a_copy_gives_its_cells_back_to_the_original(here: Path) -> None:
    _copy(THREE, here / "A")
    _copy(THREE[2:], here / "0copy")  # sorts before A: the copy is found first
    run(["A", "0copy"], Path("lake"), workers=1)
    assert documents(Path("lake"))["A/" + THREE[2]]["status"] == "duplicate"
    (here / "0copy" / THREE[2]).unlink()
    summary = run(["A", "0copy"], Path("lake"), workers=1)
    docs = documents(Path("lake"))
    assert set(docs) == {f"A/{name}" for name in THREE}
    assert docs["A/" + THREE[2]]["status"] == "parsed"
    # its 200 table cells and the 4 figures its text quotes
    assert docs["A/" + THREE[2]]["cells_total"] == 204
    assert cell_count(Path("lake")) == sum(d["cells_total"] for d in docs.values())
    assert summary.removed == 1 and summary.parsed == 1
    fresh = here / "fresh"
    run(["A"], fresh, workers=1)
    assert snapshot(Path("lake")) == snapshot(fresh)


def test_a_copy_sorting_first_takes_over_and_gives_back(here: Path) -> None:
    _copy(THREE, here / "B")
    run(["B"], Path("lake"), workers=1)
    _copy(THREE[:1], here / "A")
    run(["A"], Path("lake"), workers=1)
    docs = documents(Path("lake"))
    assert docs["A/" + THREE[0]]["status"] != "duplicate"
    assert docs["B/" + THREE[0]]["status"] == "duplicate"
    assert docs["B/" + THREE[0]]["error"] == "same bytes as A/" + THREE[0]
    remove_paths(["A"], Path("lake"))
    fresh = here / "fresh"
    run(["B"], fresh, workers=1)
    assert snapshot(Path("lake")) == snapshot(fresh)


def test_ingesting_a_folder_keeps_the_reports_of_other_folders(here: Path) -> None:
    _copy(THREE[:2], here / "A")
    _copy(THREE[2:], here / "B")
    run(["A"], Path("lake"), workers=1)
    run(["B"], Path("lake"), workers=1)
    assert set(documents(Path("lake"))) == {"A/" + THREE[0], "A/" + THREE[1], "B/" + THREE[2]}
    # Re-sync of A: a deleted file goes, B stays.
    (here / "A" / THREE[1]).unlink()
    summary = run(["./A/"], Path("lake"), workers=1)
    assert set(documents(Path("lake"))) == {"A/" + THREE[0], "B/" + THREE[2]}
    assert (summary.removed, summary.parsed) == (1, 0)
    fresh = here / "fresh"
    run(["A", "B"], fresh, workers=1)
    assert snapshot(Path("lake")) == snapshot(fresh)


def test_replace_and_remove(here: Path) -> None:
    _copy(THREE[:2], here / "A")
    _copy(THREE[2:], here / "B")
    run(["A", "B"], Path("lake"), workers=1)
    run(["B"], Path("lake"), workers=1, replace=True)
    assert set(documents(Path("lake"))) == {"B/" + THREE[2]}
    run(["A"], Path("lake"), workers=1)
    assert main(["remove", "B", "--out", "lake"]) == 0
    assert set(documents(Path("lake"))) == {"A/" + THREE[0], "A/" + THREE[1]}
    assert main(["remove", "A/" + THREE[0], "--out", "lake"]) == 0
    assert set(documents(Path("lake"))) == {"A/" + THREE[1]}


def test_an_empty_folder_warns_and_changes_nothing_else(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _copy(THREE, here / "A")
    run(["A"], Path("lake"), workers=1)
    before = snapshot(Path("lake"))
    (here / "empty").mkdir()
    capsys.readouterr()
    assert main(["ingest", "empty", "--out", "lake"]) == 0
    assert "empty: no report files found" in capsys.readouterr().err
    assert snapshot(Path("lake")) == before
    assert main(["ingest", "empty", "--replace", "--out", "lake"]) == 0
    assert snapshot(Path("lake")) == before


def test_a_missing_path_says_so_and_changes_nothing(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _copy(THREE, here / "A")
    run(["A"], Path("lake"), workers=1)
    before = snapshot(Path("lake"))
    capsys.readouterr()
    assert main(["ingest", "A", "/nonexistent", "--out", "lake"]) == 1
    error = capsys.readouterr().err
    assert "no such file or directory: /nonexistent" in error
    assert "Traceback" not in error and len(error.strip().splitlines()) == 1
    assert snapshot(Path("lake")) == before


def test_identical_bad_files_do_not_share_a_report(here: Path) -> None:
    folder = here / "bad"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.html"):
        (folder / name).write_bytes(b"")
    damaged = b"%PDF-1.7\n" + bytes(range(256)) * 40
    (folder / "x.pdf").write_bytes(damaged)
    (folder / "y.pdf").write_bytes(damaged)
    run(["bad"], Path("lake"), workers=1)
    docs = documents(Path("lake"))
    assert [docs[f"bad/{n}"]["status"] for n in ("a.txt", "b.txt", "c.html")] == ["error"] * 3
    assert (docs["bad/x.pdf"]["status"], docs["bad/y.pdf"]["status"]) == ("error", "duplicate")
    originals = [d["report_id"] for d in docs.values() if d["status"] != "duplicate"]
    assert len(originals) == len(set(originals)) == 4


def test_a_new_parser_version_parses_everything_again(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _copy(THREE, here / "A")
    assert run(["A"], Path("lake"), workers=1).parsed == 3
    assert run(["A"], Path("lake"), workers=1).parsed == 0
    monkeypatch.setattr(pipeline, "PARSER_VERSION", "another")
    monkeypatch.setattr("ingest.document.PARSER_VERSION", "another")
    assert run(["A"], Path("lake"), workers=1).parsed == 3
    assert {d["parser_version"] for d in documents(Path("lake")).values()} == {"another"}


# --------------------------------------------------------------------------- property


FILES = [p.name for p in sorted(SAMPLE.iterdir()) if p.stat().st_size < 20_000]
FOLDERS = ("A", "B", "B/sub", "C")


def _random_step(rng: random.Random, root: Path, model: dict[str, bytes]) -> list[str]:
    """Change one folder (add, edit, delete, copy from elsewhere), then ingest or remove.

    Returns the command, and updates `model` (path -> bytes the lake must hold)."""
    folder = rng.choice(FOLDERS)
    target = root / folder
    target.mkdir(parents=True, exist_ok=True)
    for _ in range(rng.randint(1, 3)):
        present = sorted(p for p in target.iterdir() if p.is_file())
        action = rng.choice(["add", "add", "edit", "delete", "copy", "empty"])
        if action == "add":
            name = rng.choice(FILES)
            shutil.copy(SAMPLE / name, target / f"{rng.randint(0, 5)}_{name}")
        elif action == "edit" and present:
            victim = rng.choice(present)
            victim.write_bytes(victim.read_bytes().replace(b"1", b"7", 1))
        elif action == "delete" and present:
            rng.choice(present).unlink()
        elif action == "copy":
            others = sorted(p for p in root.glob("*/**/*") if p.is_file() and "lake" not in str(p))
            if others:
                source = rng.choice(others)
                shutil.copy(source, target / f"copy{rng.randint(0, 3)}_{source.name}")
        elif action == "empty":
            (target / f"empty{rng.randint(0, 1)}.txt").write_bytes(b"")
    command = rng.choice(["ingest", "ingest", "ingest", "remove", "replace", "file"])
    on_disk = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(target.rglob("*"))
        if p.is_file()
    }
    if command == "remove":
        for path in [p for p in model if p.startswith(folder + "/")]:
            del model[path]
        return ["remove", folder]
    if command == "file" and on_disk:
        path = rng.choice(sorted(on_disk))
        model[path] = on_disk[path]
        return ["ingest", path]
    if command == "replace":
        model.clear()
    for path in [p for p in model if p.startswith(folder + "/")]:
        del model[path]
    model.update(on_disk)
    return ["ingest", folder, "--replace"] if command == "replace" else ["ingest", folder]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_sequence_of_ingests_equals_a_fresh_ingest(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    root, lake = tmp_path / "work", tmp_path / "lake"
    root.mkdir()
    monkeypatch.chdir(root)
    model: dict[str, bytes] = {}
    for step in range(8):
        command = _random_step(rng, root, model)
        workers = ["--workers", str(rng.choice([1, 2]))] if command[0] == "ingest" else []
        main([*command, "--out", str(lake), *workers])
        # A fresh ingest of what the lake should hold, written out again elsewhere.
        fresh_root = tmp_path / f"fresh{step}"
        for path, data in model.items():
            (fresh_root / path).parent.mkdir(parents=True, exist_ok=True)
            (fresh_root / path).write_bytes(data)
        fresh_lake = tmp_path / f"fresh_lake{step}"
        os.chdir(fresh_root) if fresh_root.exists() else None
        if model:
            run(sorted({p.split("/")[0] for p in model}), fresh_lake, workers=1)
        os.chdir(root)
        assert sorted(documents(lake)) == sorted(model), (seed, step, command)
        assert snapshot(lake) == snapshot(fresh_lake), (seed, step, command)
        shutil.rmtree(fresh_root, ignore_errors=True)
        shutil.rmtree(fresh_lake, ignore_errors=True)
