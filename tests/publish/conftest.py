"""Every publish test reads the session's one sample warehouse (tests/conftest.py).

`gongkai build` also writes the dbt docs and the HTML report beside the database file.
"""

from __future__ import annotations

import pytest

from tests.conftest import Built

__all__ = ["Built"]


@pytest.fixture(scope="session")
def built(sample_build: Built) -> Built:
    return sample_build
