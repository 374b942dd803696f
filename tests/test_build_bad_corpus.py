"""Bad inputs are rows, not build failures: a corpus of reports, pairs of empty files and
copies of a damaged file still builds a warehouse, even in a folder whose name has a `'`."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from gongkai.build import build
from gongkai.cli import main
from tests.conftest import SAMPLE


def test_a_corrupt_corpus_with_empty_file_pairs_still_builds(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("000_428f89f9cabfe0c4.txt", "004_b946b0eb2e73828a.txt"):
        shutil.copy(SAMPLE / name, corpus / name)
    shutil.copy(SAMPLE / "004_b946b0eb2e73828a.txt", corpus / "004_copy.txt")
    for name in ("a.txt", "b.txt", "c.html", "d.html", "e.pdf", "f.pdf"):
        (corpus / name).write_bytes(b"")
    damaged = b"%PDF-1.7\n" + bytes(range(256)) * 40
    (corpus / "damaged.pdf").write_bytes(damaged)
    (corpus / "damaged copy.pdf").write_bytes(damaged)
    root = tmp_path / "it's here"
    database = root / "gongkai.duckdb"
    # 1: files in error, but the warehouse is built.
    assert build([str(corpus)], root / "lake", database=database, workers=1) == 1
    connection = duckdb.connect(str(database), read_only=True)
    try:
        statuses = dict(
            connection.execute("select status, count(*) from dim_reports group by all").fetchall()
        )
    finally:
        connection.close()
    assert statuses == {"parsed": 2, "error": 7}


def test_build_without_input_says_so_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    lake, database = tmp_path / "lake", tmp_path / "gongkai.duckdb"
    code = main(["build", str(tmp_path / "empty"), "--out", str(lake)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"gongkai: the lake {lake} holds no documents" in err
    assert "Traceback" not in err and "IO Error" not in err
    assert not database.exists()


def test_a_failed_dbt_step_is_one_line_naming_what_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    import gongkai.build

    def failing_dbt(arguments: list[str], environment: dict, target: Path) -> bool:
        # What dbt leaves when a model fails: its run_results.json, and exit status 1.
        target.mkdir(parents=True, exist_ok=True)
        results = [
            {"unique_id": "model.gongkai.stg_ingest__cells", "status": "success", "message": ""},
            {
                "unique_id": "model.gongkai.dim_reports",
                "status": "error",
                "message": "Runtime Error\n  IO Error: No files found that match the pattern",
            },
        ]
        (target / "run_results.json").write_text(json.dumps({"results": results}))
        return False

    monkeypatch.setattr(gongkai.build, "_dbt", failing_dbt)
    database = tmp_path / "gongkai.duckdb"
    database.write_bytes(b"the warehouse served before")
    code = main(
        [
            "build",
            str(SAMPLE / "004_b946b0eb2e73828a.txt"),
            "--out",
            str(tmp_path / "lake"),
            "--database",
            str(database),
        ]
    )
    lines = [line for line in capsys.readouterr().err.splitlines() if "dbt" in line]
    assert code == 1
    assert lines == [
        "gongkai: dbt build failed (1 failed: dim_reports: Runtime Error IO Error: No files "
        f"found that match the pattern); {database} was left as it was"
    ]
    assert database.read_bytes() == b"the warehouse served before"
