"""Golden files of the rendered reports, under ``tests/reports/golden/``.

Set ``UPDATE_GOLDEN=1`` to rewrite them (pytest options only work in the root conftest,
hence the environment variable); review the diff before keeping it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, actual: str) -> None:
    """Compare ``actual`` with ``golden/<name>``; rewrite the file instead when ``UPDATE_GOLDEN=1``."""
    path = GOLDEN_DIR / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"golden file {path} is missing: run with UPDATE_GOLDEN=1 to create it")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it after review)"
    )
