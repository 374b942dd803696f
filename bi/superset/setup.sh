#!/usr/bin/env bash
# Apache Superset for the gongkai warehouse, in its own virtual environment.
#
#   bash bi/superset/setup.sh
#
# Creates .venv-superset/ at the repository root, installs bi/superset/requirements.txt
# (exact pins, nothing else), writes .venv-superset/superset_config.py, creates Superset's
# metadata database (SQLite, inside .venv-superset/), an admin user and the default roles.
# Idempotent: a second run reinstalls nothing when the requirements did not change.
#
# Environment:
#   PYTHON                    interpreter for the venv (default: python3; 3.10-3.12)
#   SUPERSET_VENV             venv location (default: <repo>/.venv-superset)
#   SUPERSET_ADMIN_USER       admin user name (default: admin)
#   SUPERSET_ADMIN_PASSWORD   admin password (default: admin; local use only)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="${SUPERSET_VENV:-$ROOT/.venv-superset}"
PYTHON="${PYTHON:-python3}"
ADMIN_USER="${SUPERSET_ADMIN_USER:-admin}"
ADMIN_PASSWORD="${SUPERSET_ADMIN_PASSWORD:-admin}"
REQUIREMENTS="$HERE/requirements.txt"

log() { printf 'superset setup: %s\n' "$*" >&2; }

# 1. The virtual environment.
if [[ ! -x "$VENV/bin/python" ]]; then
    "$PYTHON" -c 'import sys; assert (3, 10) <= sys.version_info[:2] <= (3, 12), sys.version' \
        || { log "Superset 6.1 needs Python 3.10-3.12; set PYTHON=..."; exit 1; }
    log "creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi

# 2. The pinned requirements, installed again only when requirements.txt changed.
STAMP="$VENV/.requirements.sha256"
WANT="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$WANT" ]]; then
    log "installing $REQUIREMENTS (log: $VENV/pip-install.log)"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -r "$REQUIREMENTS" \
        >"$VENV/pip-install.log" 2>&1 || { tail -40 "$VENV/pip-install.log" >&2; exit 1; }
    "$VENV/bin/python" -m pip check >&2
    echo "$WANT" > "$STAMP"
else
    log "requirements unchanged, nothing to install"
fi

# 3. Configuration: everything Superset writes stays inside the venv folder.
mkdir -p "$VENV/superset_home"
if [[ ! -s "$VENV/superset_home/secret_key" ]]; then
    "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(48))' \
        > "$VENV/superset_home/secret_key"
    chmod 600 "$VENV/superset_home/secret_key"
fi
cat > "$VENV/superset_config.py" <<EOF
# Written by bi/superset/setup.sh; edits are overwritten on the next run.
# Local use only: the secret key is random per machine, the metadata database is SQLite.
from pathlib import Path

_HOME = Path("$VENV/superset_home")

SECRET_KEY = (_HOME / "secret_key").read_text().strip()
SQLALCHEMY_DATABASE_URI = "sqlite:///" + str(_HOME / "superset.db")
DATA_DIR = str(_HOME)

# The REST API is used with a bearer token (login -> access_token); no CSRF token needed.
WTF_CSRF_ENABLED = False

# DuckDB is not on Superset's list of unsafe dialects (SQLite and shillelagh are), so the
# warehouse URI duckdb:////abs/path/gongkai.duckdb?access_mode=read_only is accepted with
# the safe default kept on.
PREVENT_UNSAFE_DB_CONNECTIONS = True

# No optional features: plain SQL Lab and charts, synchronous queries, no Celery.
FEATURE_FLAGS: dict[str, bool] = {}
TALISMAN_ENABLED = False
EOF

export SUPERSET_CONFIG_PATH="$VENV/superset_config.py"
export FLASK_APP=superset
SUPERSET="$VENV/bin/superset"

# 4. Metadata database, admin user, roles and permissions.
log "superset db upgrade"
"$SUPERSET" db upgrade >"$VENV/superset_home/setup.log" 2>&1 \
    || { tail -40 "$VENV/superset_home/setup.log" >&2; exit 1; }
log "admin user $ADMIN_USER"
USERS="$("$SUPERSET" fab list-users 2>>"$VENV/superset_home/setup.log")" \
    || { tail -40 "$VENV/superset_home/setup.log" >&2; exit 1; }
if grep -qF "username:$ADMIN_USER |" <<<"$USERS"; then
    log "admin user exists"
else
    "$SUPERSET" fab create-admin --username "$ADMIN_USER" --firstname Admin --lastname User \
        --email "$ADMIN_USER@localhost" --password "$ADMIN_PASSWORD" \
        >>"$VENV/superset_home/setup.log" 2>&1 \
        || { tail -40 "$VENV/superset_home/setup.log" >&2; exit 1; }
fi
log "superset init"
"$SUPERSET" init >>"$VENV/superset_home/setup.log" 2>&1 \
    || { tail -40 "$VENV/superset_home/setup.log" >&2; exit 1; }

log "done: SUPERSET_CONFIG_PATH=$VENV/superset_config.py $SUPERSET run -h 127.0.0.1 -p 8088"
