"""Shared fixtures: the ../shared data folder (skipped cleanly when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared data folder next to the repo; skips the test when it is not there."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    return SHARED
