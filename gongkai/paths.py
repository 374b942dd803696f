"""Where the dbt project and its seeds are: the one place that knows.

An installed gongkai carries the project inside the package (`gongkai/project/`, put there
by the wheel build, see pyproject.toml); in a checkout (and an editable install) the project
is the repository root, beside the package. Code never climbs `Path(__file__).parent.parent`;
it asks here.
"""

from __future__ import annotations

import os
from functools import cache
from importlib.resources import files
from pathlib import Path

BUNDLED = "project"  # the folder inside the package that holds the shipped dbt project
PROJECT_FILE = "dbt_project.yml"
PROJECT_ENV = "GONGKAI_PROJECT"


@cache
def project_dir() -> Path:
    """The dbt project folder (the one holding dbt_project.yml, models/ and seeds/).

    `GONGKAI_PROJECT` names another one (a copy with its own seeds): Python and dbt then
    read the same dictionaries from there.
    """
    chosen = os.environ.get(PROJECT_ENV)
    if chosen:
        if not (Path(chosen) / PROJECT_FILE).is_file():
            raise FileNotFoundError(f"{PROJECT_ENV}={chosen}: no {PROJECT_FILE} there")
        return Path(chosen).resolve()
    package = Path(str(files("gongkai")))
    for candidate in (package / BUNDLED, package.parent):
        if (candidate / PROJECT_FILE).is_file():
            return candidate
    raise FileNotFoundError(
        f"no {PROJECT_FILE} in {package / BUNDLED} (installed) or {package.parent} (checkout)"
    )


def seeds_dir() -> Path:
    """The seeds/ folder: dictionaries and rules that both Python and dbt read."""
    return project_dir() / "seeds"
