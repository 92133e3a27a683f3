"""Real write-ups from ../shared/seeds rendered as one-turn transcripts: nothing crashes,
nothing from the chat becomes live HTML, and every paragraph's words are still there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.models import Block, Report, Transcript, Turn
from grader.reports import render_html, render_markdown
from tests.reports.htmlscan import scan_html

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))[:3] if SEEDS.is_dir() else []

pytestmark = pytest.mark.shared


def seed_report(path: Path) -> Report:
    paragraphs = [
        p for p in re.split(r"\n\s*\n", path.read_text(encoding="utf-8", errors="replace")) if p.strip()
    ]
    blocks = [Block(kind="math" if p.strip().startswith("$$") else "text", text=p) for p in paragraphs]
    transcript = Transcript(
        source=path.name, format="writeup-text", turns=[Turn(index=0, role="assistant", blocks=blocks)]
    )
    return Report(source=path.name, format="writeup-text", homework="cs182-fa25-hw2", transcript=transcript)


@pytest.mark.skipif(not SEED_FILES, reason="../shared/seeds is absent")
@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_seed_renders_inert_and_complete(path: Path) -> None:
    report = seed_report(path)
    scan = scan_html(render_html(report))
    assert scan.tags("script") == [] and scan.tags("img") == []
    assert [e for e in scan.elements if any(a.startswith("on") for a in e.attrs)] == []
    text = scan.all_text
    # every alphanumeric word of the source survives (Markdown may drop only punctuation)
    source_words = set(re.findall(r"[A-Za-z]{4,}", path.read_text(encoding="utf-8", errors="replace")))
    missing = {w for w in source_words if w not in text}
    assert not missing, sorted(missing)[:10]
    assert render_markdown(report).startswith(f"# Grading report: {path.name}")
