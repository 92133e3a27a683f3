"""Paths and loaders shared by the export reader tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from grader.models import Transcript, Turn
from grader.transcripts.exports import EXPORT_READERS, sniff

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "transcripts" / "exports"
FORMATS = ROOT / ".." / "shared" / "formats"


def shared_file(name: str) -> Path:
    """A file of ../shared/formats; skips the test when ../shared is absent."""
    path = FORMATS / name
    if not path.is_file():
        pytest.skip("../shared/formats is not present beside the checkout")
    return path


def unwrap_excerpt(path: Path) -> str:
    """The export text inside a ../shared excerpt file.

    The excerpts wrap the real export in ``{"_excerpt_note": ..., "data": <export>}`` (or keep
    the real top-level keys beside ``_excerpt_note``); the readers take the export itself.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and ("_excerpt_note" in data or "_meta" in data):
        inner = data.get("data")
        if isinstance(inner, list) or (isinstance(inner, dict) and "biz_data" not in inner):
            data = inner
        else:
            data = {k: v for k, v in data.items() if not k.startswith("_")}
    return json.dumps(data, ensure_ascii=False)


def fenced_section(path: Path, heading: str, info: str = "markdown") -> str:
    """The body of the first ```<info> fence after ``heading`` in a Markdown collection file."""
    text = path.read_text(encoding="utf-8")
    start = text.index(heading)
    # sections of the collection files are "## A. ..." or "## <Vendor> — ..."; "## Prompt:" is content
    following = re.search(r"\n## (?:[A-Z]\. |\w[\w ]* — )", text[start + len(heading) :])
    end = start + len(heading) + following.start() if following else -1
    section = text[start : end if end >= 0 else len(text)]
    body_start = section.index(f"```{info}\n") + len(f"```{info}\n")
    return section[body_start : section.rindex("\n```")]


def read(text: str, source: str) -> list[Transcript]:
    """Sniff and read ``text``, failing the test when the sniffer does not recognise it."""
    fmt = sniff(text)
    assert fmt is not None, f"sniff() did not recognise {source}"
    return EXPORT_READERS[fmt](text, source)


def roles(transcript: Transcript) -> str:
    """The roles of the turns as a compact string: 'uaua' (u user, a assistant, s system, t tool)."""
    return "".join(turn.role[0] for turn in transcript.turns)


def kinds_text(turn: Turn, kind: str) -> str:
    """The text of a turn's blocks of one kind, joined by blank lines."""
    return "\n\n".join(b.text for b in turn.blocks if b.kind == kind)
