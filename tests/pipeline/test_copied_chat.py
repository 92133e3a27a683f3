"""A chat copied out of a chat UI, with its "You said:" / "ChatGPT said:" lines, is graded end to end."""

from __future__ import annotations

import pytest

from grader.pipeline import grade
from grader.rubric import get_rubric
from grader.transcripts import read_text

CHAT = """You said:
HW2 question 1(a): what is the analytical solution for u with the Euclidean penalty, and what optimizer does
it recover?

ChatGPT said:
Setting the gradient to zero gives

$$u = {answer}$$

This is gradient descent.
"""


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [(r"-\frac{\alpha}{2} g", "correct"), (r"-2 \alpha g", "incorrect")],
)
def test_copied_chat_is_read_into_turns_and_graded(answer: str, verdict: str) -> None:
    transcript = read_text(CHAT.replace("{answer}", answer), "copied.txt")
    assert [t.role for t in transcript.turns] == ["user", "assistant"]
    report = grade(transcript, get_rubric("cs182-fa25-hw2"))
    part = report.part("q1a")
    assert part is not None and part.attempts, "the reply was not aligned with Q1(a)"
    assert part.attempts[-1].verdict == verdict
