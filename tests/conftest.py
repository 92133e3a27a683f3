"""Shared fixtures: where the project's data and ../shared live."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder beside the checkout; skips the test when it is absent."""
    if not (SHARED / "seeds").is_dir():
        pytest.skip("../shared is not present beside the checkout")
    return SHARED


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT
