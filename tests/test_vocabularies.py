"""Vocabularies are data: a new unit and a new blank marker are one CSV line each, and both
the Python ingest and the dbt models pick them up.

The lines go into a copy of the dbt project (GONGKAI_PROJECT points both at it); the same
commands against the shipped project read the new words as plain text, so the lines are
what makes the difference.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.conftest import ROOT, sample_file

DBT = Path(sys.executable).with_name("dbt")
PROJECT_PARTS = (
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds",
    "tests/dbt",
    "review",
)
NEW_UNIT = "百元,money,100,hundred yuan"
NEW_MARKER = "未填写,blank"
FEE_ROW = "行政事业性收费 |\n2480 |"  # the 2021 fee amount of the 连云区 2024 report
REGULATIONS_ROW = "规章 |\n0 |"  # its first regulations count


def copy_project(destination: Path) -> Path:
    for part in PROJECT_PARTS:
        source, target = ROOT / part, destination / part
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    return destination


def append_line(csv_path: Path, line: str) -> None:
    text = csv_path.read_text(encoding="utf-8")
    csv_path.write_text(text.rstrip("\n") + "\n" + line + "\n", encoding="utf-8")


def run(command: list[str], env: dict[str, str], cwd: Path) -> str:
    result = subprocess.run(
        [str(c) for c in command], env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return result.stdout


def parsed(text: str, env: dict[str, str], cwd: Path) -> str:
    """parse_value(text) in a fresh interpreter, which reads the seeds of `env`'s project."""
    code = f"from ingest.values import parse_value; print(tuple(parse_value({text!r})))"
    return run([sys.executable, "-c", code], env, cwd).strip()


def test_a_new_unit_and_marker_are_one_csv_line_each(tmp_path: Path) -> None:
    shipped = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
    project = copy_project(tmp_path / "project")
    append_line(project / "seeds" / "units.csv", NEW_UNIT)
    append_line(project / "seeds" / "value_markers.csv", NEW_MARKER)
    copied = {**shipped, "GONGKAI_PROJECT": str(project)}

    # Python: the shipped seeds read both as text; one line each makes them a unit, a blank.
    assert parsed("3百元", shipped, tmp_path) == "(None, None, 'text')"
    assert parsed("未填写", shipped, tmp_path) == "(None, None, 'text')"
    assert parsed("3百元", copied, tmp_path) == "(3.0, '百元', 'number')"
    assert parsed("未填写", copied, tmp_path) == "(None, None, 'blank')"

    # SQL: a report printing both, ingested and built with the copied project.
    report = sample_file("004_").read_text(encoding="utf-8")
    assert report.count(FEE_ROW) == 1 and report.count(REGULATIONS_ROW) == 1
    report = report.replace(FEE_ROW, "行政事业性收费 |\n3百元 |")
    report = report.replace(REGULATIONS_ROW, "规章 |\n未填写 |")
    inputs = tmp_path / "reports"
    inputs.mkdir()
    (inputs / "report.txt").write_text(report, encoding="utf-8")
    lake, database = tmp_path / "lake", tmp_path / "gongkai.duckdb"
    run([sys.executable, "-m", "gongkai", "ingest", inputs, "--out", lake], copied, tmp_path)
    environment = {
        **copied,
        "GONGKAI_LAKE": str(lake),
        "GONGKAI_DB": str(database),
        "GONGKAI_REVIEW_DIR": str(project / "review"),
    }
    run(
        [
            DBT,
            "build",
            "--select",
            "+fct_proactive_disclosure",
            "resource_type:seed",
            "--indirect-selection",
            "cautious",
            "--project-dir",
            project,
            "--profiles-dir",
            project,
            "--target-path",
            tmp_path / "target",
            "--log-path",
            tmp_path / "logs",
        ],
        environment,
        tmp_path,
    )
    with duckdb.connect(str(database), read_only=True) as connection:
        fee = connection.execute(
            "select raw_text, value, money_unit, amount_yuan, value_kind"
            " from fct_proactive_disclosure where item = 'admin_fees' and measure = 'fee_amount'"
        ).fetchall()
        regulations = connection.execute(
            "select raw_text, value, value_kind from fct_proactive_disclosure"
            " where item = 'regulations' and measure = 'issued'"
        ).fetchall()
        markers = connection.execute(
            "select value_kind from dictionaries.value_markers where marker = '未填写'"
        ).fetchall()
    assert fee == [("3百元", 3.0, "百元", 300.0, "number")]
    assert regulations == [("未填写", None, "blank")]
    assert markers == [("blank",)]
