"""Helpers for the transcript reader tests: the repo's samples and the ../shared seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.models import Transcript
from grader.transcripts import read_path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "transcripts"
SHARED = REPO / ".." / "shared"
SEEDS = SHARED / "seeds"


def seed_path(name: str) -> Path:
    """Path of a seed in ../shared/seeds, skipping the test when the data is absent."""
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"../shared data absent ({path})")
    return path


_CACHE: dict[Path, Transcript] = {}


def read_cached(path: Path) -> Transcript:
    """Read a file once per session (the seeds are read by many tests)."""
    if path not in _CACHE:
        _CACHE[path] = read_path(path)
    return _CACHE[path]


def assistant_text(transcript: Transcript) -> str:
    """All text, math, table and code of the assistant turns."""
    return "\n".join(t.text() for t in transcript.turns if t.role == "assistant")


def annotation_texts(transcript: Transcript) -> list[str]:
    """The text of every annotation block, in order."""
    return [b.text for _, b in transcript.annotations()]
