"""The chat's opening message is the user's when the first reply opens with its reasoning (PDFs built here)."""

from __future__ import annotations

import pytest

pytest.importorskip("pymupdf")

from grader.transcripts.pdf import read_pdf  # noqa: E402
from grader.transcripts.role_evidence import ROLE_EVIDENCE_KEY  # noqa: E402
from tests.transcripts_pdf.pdfgen import BEIGE, build  # noqa: E402

PROMPT = "Please solve the written questions of this homework with me, one part after the other."
REPLY = "Sure. Here is each part, worked out in order."


def _chat(reasoning: str | None) -> bytes:
    page = [("text", 49, 80, PROMPT)]
    y = 130
    if reasoning is not None:
        page.append(("text", 49, y, reasoning))
        y += 30
    page += [("text", 49, y, REPLY), ("text", 49, y + 16, "Send over the first question.")]
    return build([page])


def test_first_message_before_the_replys_reasoning_is_the_prompt() -> None:
    t = read_pdf(_chat("Thought for 12s"), "chat.pdf")
    roles = [turn.role for turn in t.turns]
    assert roles == ["user", "assistant"]
    assert PROMPT in t.turns[0].text()
    assert t.turns[1].blocks[0].kind == "thinking"
    assert t.turns[0].meta[ROLE_EVIDENCE_KEY] == ["before_reasoning"]
    assert any("visible reasoning" in e for e in t.turns[0].blocks[0].meta["evidence"])
    assert any(w.startswith("turn 0: read as the user's") for w in t.warnings)


def test_without_reasoning_the_first_message_stays_undecided() -> None:
    t = read_pdf(_chat(None), "chat.pdf")
    assert [turn.role for turn in t.turns] == ["assistant"]
    assert not any("before_reasoning" in turn.meta.get(ROLE_EVIDENCE_KEY, []) for turn in t.turns)


def test_a_first_message_in_the_models_message_box_is_not_overturned() -> None:
    page = [
        ("fill", 36, 60, 560, 110, BEIGE),
        ("text", 49, 80, REPLY),
        ("text", 49, 140, "Thought for 3s"),
        ("fill", 36, 150, 560, 260, BEIGE),
        ("text", 49, 180, "Here is the next part of the answer, worked out in full."),
    ]
    t = read_pdf(build([page]), "chat.pdf")
    assert t.turns[0].role == "assistant"
    assert not any("before_reasoning" in turn.meta.get(ROLE_EVIDENCE_KEY, []) for turn in t.turns)
