"""Apache Superset as a BI client of the warehouse: the analyst queries of
analyses/analyst_queries.sql as dbt compiles them, run through Superset's SQL Lab REST API
against the DuckDB file
opened read-only, give exactly the answers DuckDB gives directly.

Needs Superset's own environment: `bash bi/superset/setup.sh` (creates .venv-superset/).
Marked `superset`; run with `uv run pytest -m superset`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import duckdb
import pytest

from gongkai.build import build
from tests.bi.queries import analyst_queries
from tests.conftest import ROOT, SAMPLE

pytestmark = pytest.mark.superset

VENV = Path(os.environ.get("SUPERSET_VENV", ROOT / ".venv-superset"))
SUPERSET = VENV / "bin" / "superset"
CONFIG = VENV / "superset_config.py"
METADATA = VENV / "superset_home" / "superset.db"  # made by setup.sh: admin user, roles
ADMIN_USER = os.environ.get("SUPERSET_ADMIN_USER", "admin")
ADMIN_PASSWORD = os.environ.get("SUPERSET_ADMIN_PASSWORD", "admin")
STARTUP_SECONDS = 180
REQUEST_SECONDS = 120


def _r01_breaking_report(directory: Path) -> Path:
    """A copy of a sample report whose 上年结转 total is 7 instead of 5, so R01 fails by 2.

    The sample corpus has no report that breaks R01; without this the R01 query would
    compare two empty results."""
    source = SAMPLE / "001_f034b2af3da2120e.txt"
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("二、上年结转"))
    values = [i for i in range(start + 1, start + 12) if re.fullmatch(r"\d+ \|\s*", lines[i])]
    total = values[6]  # 自然人, 5 organisation columns, then 总计
    assert lines[total].startswith("5 |"), lines[total]
    lines[total] = lines[total].replace("5", "7", 1)
    target = directory / "r01_breaking_copy_of_001.txt"
    target.write_text("".join(lines), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("superset_warehouse")
    extra = base / "extra"
    extra.mkdir()
    database = base / "gongkai.duckdb"
    sources = [str(SAMPLE), str(_r01_breaking_report(extra))]
    assert build(sources, base / "lake", database=database, target=base / "target") == 0
    return database


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _request(url: str, payload: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    """GET (payload None) or POST JSON; returns (status, parsed JSON body)."""
    headers = {"Accept": "application/json"}
    data = None
    if payload is not None:
        data = json.dumps(payload).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_SECONDS) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    try:
        return status, json.loads(body or b"{}")
    except json.JSONDecodeError:
        return status, {"raw": body.decode(errors="replace")[:2000]}


class Superset:
    """A Superset server process on 127.0.0.1 and a logged-in API client."""

    def __init__(self, directory: Path) -> None:
        # A copy of setup.sh's metadata database and a config pointing at it: the test
        # registers its databases there, never in .venv-superset/.
        self.metadata = directory / "superset.db"
        shutil.copyfile(METADATA, self.metadata)
        self.config = directory / "superset_config.py"
        self.config.write_text(
            CONFIG.read_text(encoding="utf-8")
            + f"\nSQLALCHEMY_DATABASE_URI = {'sqlite:///' + str(self.metadata)!r}\n",
            encoding="utf-8",
        )
        self.log = directory / "superset.log"
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.token: str | None = None

    def start(self) -> None:
        environment = {
            **os.environ,
            "SUPERSET_CONFIG_PATH": str(self.config),
            "FLASK_APP": "superset",
        }
        environment.pop("VIRTUAL_ENV", None)
        command = [str(SUPERSET), "run", "-h", "127.0.0.1", "-p", str(self.port), "--with-threads"]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                env=environment,
                cwd=self.config.parent,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as a whole
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"superset exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base}/health", timeout=5) as response:
                    if response.status == 200 and response.read().strip() == b"OK":
                        return
            except OSError:
                pass
            time.sleep(1)
        pytest.fail(f"superset /health not OK within {STARTUP_SECONDS} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def log_tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def login(self) -> None:
        status, body = _request(
            f"{self.base}/api/v1/security/login",
            {"username": ADMIN_USER, "password": ADMIN_PASSWORD, "provider": "db", "refresh": True},
        )
        assert status == 200 and body.get("access_token"), f"login failed: {status} {body}"
        self.token = body["access_token"]

    def post(self, path: str, payload: dict) -> tuple[int, dict]:
        return _request(f"{self.base}{path}", payload, self.token)

    def add_database(self, name: str, uri: str, allow_dml: bool = False) -> int:
        status, body = self.post(
            "/api/v1/database/",
            {
                "database_name": name,
                "sqlalchemy_uri": uri,
                "expose_in_sqllab": True,
                "allow_dml": allow_dml,
                "allow_run_async": False,
            },
        )
        assert status == 201, f"registering {uri} failed: {status} {body}\n{self.log_tail()}"
        return body["id"]

    def sql_lab(self, database_id: int, sql: str) -> tuple[int, dict]:
        return self.post(
            "/api/v1/sqllab/execute/",
            {
                "database_id": database_id,
                "sql": sql,
                "schema": "main",
                "runAsync": False,
                "queryLimit": 10000,
                "client_id": f"t{time.monotonic_ns() % 10**9}",  # at most 11 characters
            },
        )


@pytest.fixture(scope="module")
def superset(tmp_path_factory: pytest.TempPathFactory):
    if not (SUPERSET.exists() and CONFIG.exists() and METADATA.exists()):
        pytest.fail(
            f"Superset is not installed: {SUPERSET}, {CONFIG} or {METADATA} is missing. "
            "Run `bash bi/superset/setup.sh` first (about 2-3 minutes).",
            pytrace=False,
        )
    server = Superset(tmp_path_factory.mktemp("superset"))
    try:
        server.start()
        server.login()
        yield server
    finally:
        server.stop()


def _direct(database: Path, sql: str) -> tuple[list[str], list[list]]:
    connection = duckdb.connect(str(database), read_only=True)
    try:
        result = connection.execute(sql)
        return [column[0] for column in result.description], [
            list(row) for row in result.fetchall()
        ]
    finally:
        connection.close()


def test_analyst_queries_through_superset_equal_duckdb(superset: Superset, warehouse: Path) -> None:
    uri = f"duckdb:///{warehouse.resolve()}?access_mode=read_only"
    database_id = superset.add_database("gongkai (superset test)", uri)

    for name, sql in analyst_queries(warehouse.parent / "target").items():
        status, body = superset.sql_lab(database_id, sql)
        assert status == 200 and body.get("status") == "success", (
            f"{name}: SQL Lab answered {status} {json.dumps(body, ensure_ascii=False)[:2000]}"
        )
        columns, rows = _direct(warehouse, sql)
        assert [column["column_name"] for column in body["columns"]] == columns, name
        through_superset = [[record[column] for column in columns] for record in body["data"]]
        assert through_superset == rows, name
        if name == "r01_failures":
            # the copy of sample 001 with 上年结转 总计 5 -> 7 breaks R01 on its total column
            assert [row[3] for row in rows] == ["applications/total"], rows
            assert abs(rows[0][7]) == 2, rows
        else:
            assert rows, f"{name}: no rows on the sample warehouse"


def test_warehouse_is_read_only_through_superset(superset: Superset, warehouse: Path) -> None:
    """Even with DML allowed in Superset, the URI's access_mode=read_only makes DuckDB refuse."""
    uri = f"duckdb:///{warehouse.resolve()}?access_mode=read_only"
    database_id = superset.add_database("gongkai DML probe (superset test)", uri, allow_dml=True)
    status, body = superset.sql_lab(
        database_id, "create table main.superset_probe as select 1 as x"
    )
    message = json.dumps(body, ensure_ascii=False)
    assert body.get("status") != "success", f"write through Superset succeeded: {message}"
    assert "read-only" in message.lower() or "read only" in message.lower(), message
    tables = _direct(
        warehouse, "select count(*) from duckdb_tables() where table_name = 'superset_probe'"
    )
    assert tables[1] == [[0]]
