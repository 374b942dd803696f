"""gongkai: government information-disclosure annual reports as reconciled data.

The top of the package: the command line (`gongkai.cli`), the build (`gongkai.build`) and the
few helpers every layer shares. It is the only code that imports both `ingest` and `publish`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["describe", "marts", "read"]


def __getattr__(name: str) -> Any:
    """`gongkai.read`, `gongkai.describe`, `gongkai.marts` (see gongkai.notebook), loaded on first
    use so the command line does not import polars."""
    if name in __all__:
        from gongkai import notebook

        return getattr(notebook, name)
    raise AttributeError(f"module 'gongkai' has no attribute {name!r}")
