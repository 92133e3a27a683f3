"""Small inputs for the batch tests: the project's own sample transcripts, copied into a tmp folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "transcripts"

BATCH_SAMPLES = ("chatgpt_hw2_writeup.txt", "claude_hw7_roles.md", "exports/gemini_takeout_hw2.json")
"""A plain write-up, a role-marked Markdown chat and a JSON export holding two conversations."""


@pytest.fixture()
def inputs(tmp_path: Path) -> Path:
    """A folder with three sample transcripts and one file that cannot be graded (empty)."""
    d = tmp_path / "in"
    for rel in BATCH_SAMPLES:
        target = d / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLES / rel, target)
    (d / "empty.txt").write_text("", encoding="utf-8")
    return d


def outputs(folder: Path) -> dict[str, str]:
    """Every file an output folder holds (the cache left out): relative path -> text."""
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".grader-cache" not in p.parts
    }
