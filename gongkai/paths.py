"""Where the dbt project and its seeds are: the one place that knows.

Code never climbs `Path(__file__).parent.parent`; it asks here.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path


@cache
def project_dir() -> Path:
    """The dbt project folder (the one holding dbt_project.yml, models/ and seeds/).

    In a checkout (and an editable install) that is the repository root, beside the package.
    """
    package = Path(str(files("gongkai")))
    checkout = package.parent
    if (checkout / "dbt_project.yml").is_file():
        return checkout
    raise FileNotFoundError(f"no dbt_project.yml beside the gongkai package ({package})")


def seeds_dir() -> Path:
    """The seeds/ folder: dictionaries and rules that both Python and dbt read."""
    return project_dir() / "seeds"
