"""Shared fixtures for the checker tests: the ../shared data folder (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """The project's shared data folder; tests using it skip cleanly when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not available")
    return SHARED


@pytest.fixture
def seed_002(shared_dir: Path) -> str:
    """Text of seed 002 (Mistral, HW7)."""
    files = sorted((shared_dir / "seeds").glob("002_*.txt"))
    if not files:
        pytest.skip("seed 002 is not available")
    return files[0].read_text(encoding="utf-8")
