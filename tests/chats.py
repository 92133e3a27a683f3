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
