"""The transcript as read, as JSON (``schema: grader.transcript/1``, fixed in DESIGN.md).

Other tools score this object (for example the turn-structure scorer of the course corpus), so its
shape is a contract: ``{"schema", "source", "format", "model", "turns": [{"index", "role",
"blocks": [{"kind", "text", "fidelity", "page", ...}]}], "warnings"}``.
"""

from __future__ import annotations

from typing import Any

from grader.models import Transcript

TRANSCRIPT_SCHEMA = "grader.transcript/1"

__all__ = ["TRANSCRIPT_SCHEMA", "summary_lines", "transcript_json"]


def transcript_json(transcript: Transcript) -> dict[str, Any]:
    """The transcript as the ``grader.transcript/1`` JSON object.

    Each block carries ``page`` (1-based, ``None`` for formats without pages) beside its kind,
    text and fidelity; the reader's evidence for its decisions stays in ``meta``.
    """
    turns = []
    for turn in transcript.turns:
        blocks = []
        for block in turn.blocks:
            item: dict[str, Any] = {
                "kind": block.kind,
                "text": block.text,
                "fidelity": block.fidelity,
                "page": block.meta.get("page"),
            }
            if block.meta:
                item["meta"] = {k: v for k, v in block.meta.items() if k != "page"}
            blocks.append(item)
        entry: dict[str, Any] = {"index": turn.index, "role": turn.role, "blocks": blocks}
        if turn.role_inferred:
            entry["role_inferred"] = True
        if turn.meta:
            entry["meta"] = turn.meta
        if turn.timestamp:
            entry["timestamp"] = turn.timestamp
        turns.append(entry)
    return {
        "schema": TRANSCRIPT_SCHEMA,
        "source": transcript.source,
        "format": transcript.format,
        "model": transcript.model,
        "title": transcript.title,
        "turns": turns,
        "warnings": list(transcript.warnings),
    }


def _first_words(text: str, count: int = 10) -> str:
    words = text.split()
    out = " ".join(words[:count])
    return out + (" …" if len(words) > count else "")


def summary_lines(transcript: Transcript) -> list[str]:
    """One line per turn (index, role, page, block kinds, first words), then the warnings."""
    lines = [f"{transcript.source}  [{transcript.format}, {transcript.model or 'unknown model'}]"]
    for turn in transcript.turns:
        pages = sorted({b.meta["page"] for b in turn.blocks if isinstance(b.meta.get("page"), int)})
        page = f"p{pages[0]}" if pages else "  "
        kinds: dict[str, int] = {}
        for b in turn.blocks:
            kinds[b.kind] = kinds.get(b.kind, 0) + 1
        kind_text = ",".join(f"{k}×{n}" if n > 1 else k for k, n in kinds.items())
        chat = " ".join(b.text for b in turn.blocks if b.kind not in ("annotation", "thinking", "residue"))
        role = turn.role + ("?" if turn.role_inferred else "")
        lines.append(f"  {turn.index:>3} {role:<10} {page:<5} {kind_text:<28} {_first_words(chat)}")
        for b in turn.blocks:
            if b.kind in ("annotation", "thinking"):
                lines.append(f"        {b.kind}: {_first_words(b.text, 12)}")
    for w in transcript.warnings:
        lines.append(f"  warning: {w}")
    return lines
