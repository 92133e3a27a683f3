"""Small transcripts built in code for the pipeline's tests, and what grading them gives."""

from __future__ import annotations

from grader.models import Block, Transcript, Turn
from grader.pipeline import grade
from grader.rubric import Rubric


def chat(*turns: tuple[str, list[str]], source: str = "x.md", fmt: str = "role-markdown") -> Transcript:
    """A transcript of ``(role, [block texts])`` turns, each block plain text."""
    out = [
        Turn(index=i, role=role, blocks=[Block(kind="text", text=t) for t in texts])  # type: ignore[arg-type]
        for i, (role, texts) in enumerate(turns)
    ]
    return Transcript(source=source, format=fmt, turns=out)


def finals(transcript: Transcript, rubric: Rubric) -> dict[str, str]:
    """Each part's final verdict when ``transcript`` is graded against ``rubric``."""
    return {p.id: p.final for p in grade(transcript, rubric).parts}


def cueless_block(text: str, kind: str = "text") -> Block:
    """A block the reader gave to the model for want of any layout cue (page 1, confidence 0.3)."""
    return Block(
        kind=kind,  # type: ignore[arg-type]
        text=text,
        meta={"page": 1, "evidence": ["no layout cue: read as the model's"], "confidence": 0.3},
    )


def cueless_chat(*blocks: Block) -> Transcript:
    """A PDF read as one model turn because no layout cue said who speaks (the content passes' input)."""
    turn = Turn(index=0, role="assistant", blocks=list(blocks), role_inferred=True, meta={"confidence": 0.3})
    return Transcript(source="chat.pdf", format="pdf", turns=[turn])


def value_rubric(rubric_id: str, references: dict[str, str]) -> str:
    """The YAML of a toy rubric: one part per ``{"q1a": "2 a", ...}`` entry (question and label from the
    id), each asking for the expression ``v`` in the positive scalar ``a``."""
    lines = [
        f"id: {rubric_id}",
        f'title: "{rubric_id}"',
        "symbols:",
        "  a: {kind: scalar, positive: true}",
        "  v: {kind: scalar}",
        "parts:",
    ]
    for part_id, reference in references.items():
        question, label = part_id[1:-1], part_id[-1]
        lines.append(
            f'  - {{id: {part_id}, question: "{question}", label: "{label}", points: 1, answers: '
            f'[{{id: val, kind: expression, points: 1, defines: v, reference: "{reference}"}}]}}'
        )
    return "\n".join(lines) + "\n"
