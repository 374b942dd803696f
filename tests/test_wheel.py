"""`pip install .` into a fresh virtual environment outside the checkout, then `gongkai build`
in another directory: the dbt project and seeds travel inside the package, and everything
generated lands under the working directory.

Installs with uv's pip interface (uv's cache makes it take seconds, with the versions pinned
in uv.lock) and runs a whole build, so it is marked `wheel` and runs as its own CI step.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, SAMPLE

pytestmark = pytest.mark.wheel


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def test_installed_package_builds_the_sample_outside_the_checkout(tmp_path: Path) -> None:
    uv = os.environ.get("UV") or shutil.which("uv")  # `uv run` sets UV to its own binary
    assert uv, "uv is needed to install the package (python3 -m pip install uv)"
    requirements = tmp_path / "requirements.txt"
    run(
        [
            uv,
            "export",
            "--frozen",
            "--no-dev",
            "--no-hashes",
            "--no-emit-project",
            "-o",
            requirements,
        ],
        cwd=ROOT,
    )
    venv = tmp_path / "venv"
    run([uv, "venv", "--quiet", "--python", sys.executable, venv], cwd=tmp_path)
    python = venv / "bin" / "python"
    run(
        [uv, "pip", "install", "--quiet", "--python", python, "-r", requirements, ROOT],
        cwd=tmp_path,
    )

    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("VIRTUAL_ENV", "PYTHONPATH") and not key.startswith("GONGKAI_")
    }
    located = run(
        [python, "-c", "import gongkai.paths; print(gongkai.paths.project_dir())"],
        cwd=tmp_path,
        env=environment,
    )
    project = Path(located.strip())
    assert project.is_relative_to(venv), f"the project should come from the package: {project}"

    reports = tmp_path / "reports"
    shutil.copytree(SAMPLE, reports)
    work = tmp_path / "elsewhere"
    work.mkdir()
    run([venv / "bin" / "gongkai", "build", reports], cwd=work, env=environment)

    database = work / "warehouse" / "gongkai.duckdb"
    with duckdb.connect(str(database), read_only=True) as connection:
        reports_built = connection.execute("select count(*) from dim_reports").fetchone()[0]
    assert reports_built == len([path for path in reports.iterdir() if path.is_file()])
    assert (work / "warehouse" / "report" / "index.html").is_file()
    assert (work / "warehouse" / "docs" / "index.html").is_file()
    assert (work / "target" / "manifest.json").is_file()
    assert (work / "logs").is_dir()
    assert not (project / "target").exists(), "dbt wrote into the installed package"
    assert not (project / "logs").exists(), "dbt logged into the installed package"
