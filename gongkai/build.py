"""`gongkai build`: ingest the corpus, then `dbt build` and swap the new warehouse in.

dbt builds into a build file kept beside the warehouse (`.gongkai.incremental.duckdb`), so
that the next build is incremental: the report-incremental models rebuild only the reports
that were added, changed or removed since (macros/report_incremental.sql). A new project
(any file of the dbt project, or the gongkai version, differs from the one that made the
build file) starts it afresh. A successful build is copied to a temporary file, which then
replaces `warehouse/gongkai.duckdb` (an atomic rename), so readers never see a half-built
warehouse.
dbt's own output (target/, logs/, DuckDB's spill folder) goes under the working directory,
never into the project folder, which may be an installed, read-only package.
Before the swap the build-only schemas are dropped: their views read the lake by its path on
this machine and name dbt's catalog (`gongkai`), so the served file would break once copied
elsewhere. What is served (marts, dictionaries, stored findings) is plain tables.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from gongkai.paths import project_dir
from gongkai.review import ensure_verdicts_file
from ingest.lake.lock import lake_lock, locked
from ingest.lake.parquet import DOCUMENTS_DIR
from ingest.lake.pipeline import run
from ingest.lake.workers import Budget

DEFAULT_DB = Path("warehouse/gongkai.duckdb")
DEFAULT_TARGET = Path("target")
# `dbt docs generate` rewrites run_results.json; the build's node results are kept here.
BUILD_RESULTS = "build_run_results.json"
# The schemas dbt_project.yml gives staging and intermediate models: build steps, not served.
BUILD_ONLY_SCHEMAS = ("staging", "intermediate")
# What makes a build file reusable: the project's files and the package version.
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests/dbt")


def build(
    paths: list[str],
    lake: Path,
    workers: int = 2,
    database: Path = DEFAULT_DB,
    target: Path = DEFAULT_TARGET,
    replace: bool = False,
    exclude: tuple[str, ...] = (),
    budget: Budget | None = None,
    docs: bool = True,
    report: bool = True,
) -> int:
    """Ingest `paths` into `lake`, build the warehouse into `database`; 0 when all went well.

    `docs` and `report` choose whether the dbt docs and the HTML report are written too.

    dbt writes its artifacts to `target` and its logs to `logs/` beside it. The lake's lock
    is held throughout (dbt reads the lake), the warehouse's while dbt runs: a second build
    or ingest waits.
    """
    database = database.resolve()
    target = target.resolve()
    with locked(lake_lock(lake), f"the lake at {lake}"):
        summary = run(paths, lake, workers=workers, replace=replace, exclude=exclude, budget=budget)
        print(summary.render(), file=sys.stderr)
        if not any((lake / DOCUMENTS_DIR).glob("part-*.parquet")):
            print(
                f"gongkai: the lake {lake} holds no documents; nothing to build "
                "(ingest report files first)",
                file=sys.stderr,
            )
            return 1
        lock = database.with_name(f".{database.name}.lock")
        with locked(lock, f"the warehouse {database}"):
            built = _build_warehouse(lake, database, target, docs)
    if built is None:
        return 1
    _publish(database, built, target, report)
    return 1 if summary.failed else 0


def _build_warehouse(lake: Path, database: Path, target: Path, docs: bool = True) -> bool | None:
    """dbt build into a new file, swapped in on success; None on failure, else whether the
    docs were generated."""
    building = database.with_name(f".{database.stem}.building{database.suffix}")
    for leftover in (building, building.with_name(building.name + ".wal")):
        leftover.unlink(missing_ok=True)
    database.parent.mkdir(parents=True, exist_ok=True)
    state = _build_file(database)
    environment = {
        "GONGKAI_DUCKDB_TEMP": str(target / "duckdb_tmp"),
        **os.environ,
        "GONGKAI_LAKE": str(lake.resolve()),
        "GONGKAI_DB": str(state),
        # Reviewer verdicts live outside the lake: a fresh lake keeps them.
        "GONGKAI_REVIEW_DIR": str(ensure_verdicts_file().parent),
    }
    if not _dbt(["build"], environment, target):
        print(
            f"gongkai: dbt build failed ({_failures(target)}); {database} was left as it was",
            file=sys.stderr,
        )
        return None
    shutil.copyfile(target / "run_results.json", target / BUILD_RESULTS)
    docs = _docs(environment, target) if docs else False
    _checkpoint(state)
    shutil.copyfile(state, building)
    _drop_build_only_schemas(building)
    _checkpoint(building)
    os.replace(building, database)
    print(f"warehouse: {database}", file=sys.stderr)
    return docs


def _build_file(database: Path) -> Path:
    """The build file beside `database`, removed first when another project made it.

    The report-incremental models see changes to their own SQL and the seeds (the build
    keys carry a fingerprint of them) but not to macros or tests: a build file is reused
    only by the very project, and gongkai version, that made it.
    """
    state = database.with_name(f".{database.stem}.incremental{database.suffix}")
    stamp = state.with_name(state.name + ".project")
    fingerprint = _project_fingerprint()
    if not stamp.exists() or stamp.read_text() != fingerprint:
        for stale in (state, state.with_name(state.name + ".wal")):
            stale.unlink(missing_ok=True)
        stamp.write_text(fingerprint)
    return state


def _project_fingerprint() -> str:
    """sha256 over the gongkai version and every file of the dbt project dbt reads."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        digest = hashlib.sha256(version("gongkai").encode())
    except PackageNotFoundError:
        digest = hashlib.sha256(b"gongkai")
    root = project_dir()
    for part in PROJECT_PARTS:
        base = root / part
        files = sorted(base.rglob("*")) if base.is_dir() else [base]
        for path in files:
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _failures(target: Path, shown: int = 3) -> str:
    """The failed dbt nodes, from dbt's run_results.json, for the one-line message."""
    try:
        results = json.loads((target / "run_results.json").read_text())["results"]
    except (OSError, ValueError, KeyError):
        return "see the dbt output above and logs/dbt.log"
    failed = [r for r in results if r.get("status") in ("error", "fail", "runtime error")]
    if not failed:
        return "see the dbt output above and logs/dbt.log"
    names = ", ".join(
        f"{r['unique_id'].split('.')[-1]}: {' '.join(str(r.get('message') or '').split())[:120]}"
        for r in failed[:shown]
    )
    more = f" and {len(failed) - shown} more" if len(failed) > shown else ""
    return f"{len(failed)} failed: {names}{more}"


def _docs(environment: dict[str, str], target: Path) -> bool:
    """`dbt docs generate --static` against the new file, before it is swapped in.

    It is the file that becomes the warehouse (dbt names its database `gongkai` either way);
    after the swap dbt would need a write lock on the served file, which readers hold. A
    failure is a warning: the warehouse is built.
    """
    if _dbt(["docs", "generate", "--static"], environment, target):
        return True
    print("warning: dbt docs generate failed; docs not updated", file=sys.stderr)
    return False


def _publish(database: Path, docs: bool, target: Path, report: bool = True) -> None:
    """Copy the docs and write the HTML report beside the warehouse (read-only)."""
    from publish.docs import copy_static_docs
    from publish.report import write_report

    if docs:
        copied = copy_static_docs(target, database.parent / "docs")
        print(f"docs: {copied}", file=sys.stderr)
    if not report:
        return
    files = write_report(database, database.parent / "report")
    print(
        f"report: {database.parent / 'report' / 'index.html'} ({files.summary()})", file=sys.stderr
    )


def _drop_build_only_schemas(path: Path) -> None:
    """Drop staging and intermediate from the built file; fail if any view is left.

    A view stores its query, which names the lake's absolute path and the catalog the file
    had while dbt built it; a table does not.
    """
    import duckdb

    connection = duckdb.connect(str(path))
    try:
        for schema in BUILD_ONLY_SCHEMAS:
            connection.execute(f'drop schema if exists "{schema}" cascade')
        views = connection.execute(
            "select schema_name || '.' || view_name from duckdb_views() where not internal"
        ).fetchall()
    finally:
        connection.close()
    if views:
        names = ", ".join(name for (name,) in views)
        raise RuntimeError(f"{path}: views left in the warehouse after the build: {names}")


def _checkpoint(path: Path) -> None:
    """Fold any write-ahead log into the file: the rename must carry the whole warehouse."""
    import duckdb

    connection = duckdb.connect(str(path))
    try:
        connection.execute("checkpoint")
    finally:
        connection.close()
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} still exists after a checkpoint; not swapping it in")


def _dbt(arguments: list[str], environment: dict[str, str], target: Path) -> bool:
    """Run dbt in its own process: each build starts from a clean adapter state."""
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt),
        *arguments,
        "--project-dir",
        str(project_dir()),
        "--profiles-dir",
        str(project_dir()),
        "--target-path",
        str(target),
        "--log-path",
        str(target.with_name("logs")),
    ]
    return subprocess.run(command, env=environment, check=False).returncode == 0
