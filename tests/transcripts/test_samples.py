"""The project's own sample transcripts (transcripts/), one per supported format."""

from __future__ import annotations

import pytest

from grader.transcripts import detect
from tests.transcripts.helpers import SAMPLES, annotation_texts, assistant_text, read_cached

# (file, format, model, roles in order)
SHAPES = [
    ("chatgpt_hw2_writeup.txt", "writeup-text", "ChatGPT", ["user", "assistant"] * 4),
    ("claude_hw7_roles.md", "role-markdown", "Claude", ["user", "assistant"] * 4),
    ("deepseek_hw2_plain.txt", "role-markdown", "DeepSeek", ["user", "assistant"] * 2),
]


@pytest.mark.parametrize("name,fmt,model,roles", SHAPES)
def test_sample_shape(name: str, fmt: str, model: str, roles: list[str]) -> None:
    path = SAMPLES / name
    assert path.stat().st_size < 8 * 1024
    assert detect(path.read_text(encoding="utf-8")) == fmt
    transcript = read_cached(path)
    assert (transcript.format, transcript.model) == (fmt, model)
    assert [t.role for t in transcript.turns] == roles
    assert all(t.role_inferred == (fmt == "writeup-text") for t in transcript.turns)


# --------------------------------------------------------------------------- write-up sample


def test_writeup_sample_planted_wrong_answer_and_wrong_note_share_a_turn() -> None:
    transcript = read_cached(SAMPLES / "chatgpt_hw2_writeup.txt")
    q2_reply = transcript.turns[5]
    maths = [b.text for b in q2_reply.blocks if b.kind == "math"]
    assert any(r"\theta_{Adam} = \begin{bmatrix} 1/3 \\ 1/3 \\ 1/3 \end{bmatrix}" in m for m in maths)
    notes = [b.text for b in q2_reply.blocks if b.kind == "annotation"]
    assert "→ correct answer" in notes
    assert "It got all three parts of Question 2 right" in notes[-1]


def test_writeup_sample_notes_never_in_model_text() -> None:
    transcript = read_cached(SAMPLES / "chatgpt_hw2_writeup.txt")
    notes = annotation_texts(transcript)
    assert len(notes) == 7
    text = assistant_text(transcript)
    for note in ("clean setup", "nice use of duality", "min-norm", "One-shot the whole table"):
        assert any(note in n for n in notes)
        assert note not in text
    assert transcript.turns[0].timestamp == "11/02/2025, 3:14:07 PM"


# --------------------------------------------------------------------------- role samples


def test_roles_sample_keeps_code_and_student_note() -> None:
    transcript = read_cached(SAMPLES / "claude_hw7_roles.md")
    assert transcript.title == "Claude - CS182 HW7 (Q3, Q4, Q7, Q8)"
    last = transcript.turns[-1]
    assert [b.kind for b in last.blocks].count("code") == 1
    assert annotation_texts(transcript) == ["Student note: both token sequences match the staff solution."]
    assert "staff solution" not in assistant_text(transcript)


def test_plain_sample_ring_size_is_wrong_in_the_table_only() -> None:
    transcript = read_cached(SAMPLES / "deepseek_hw2_plain.txt")
    reply = transcript.turns[3]
    table = next(b.text for b in reply.blocks if b.kind == "table")
    assert "| Ring All-Reduce | $2n(n-1)$ | $p$ |" in table
    body = "\n".join(b.text for b in reply.blocks if b.kind == "text")
    assert "each of size $p/n$" in body
    assert transcript.turns[0].text().startswith("Solve HW2 Question 1(a).")
