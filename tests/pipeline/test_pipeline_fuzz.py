"""Property test: any chat, however odd its math, is graded without an exception and in bounded time."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.errors import GraderError
from grader.pipeline import grade
from grader.rubric import get_rubric
from grader.transcripts import read_text

FRAGMENTS = [
    "u = ",
    "\\frac{",
    "}{",
    "}",
    "\\alpha",
    "g",
    "\\|",
    "\\|_1",
    "\\operatorname{sign}(",
    ")",
    "^T",
    "\\top",
    "W_1",
    "W_2",
    "X",
    "\\theta",
    "[1, 0.1, 0.01]",
    "\\begin{bmatrix}",
    "\\\\",
    "\\end{bmatrix}",
    "=",
    "+",
    "-",
    "2^{2^{2^{10}}}",
    "\\boxed{",
    "n(n-1)",
    "p/n",
    "**Answer:** ",
    "$",
    "$$",
    "\n",
    " ",
    "(a) ",
    "(b) ",
    "Question 1",
    "Question 5",
    "Ring All-Reduce",
    "<script>",
    "\\infty",
    "\\sum_i",
    "|g_i|",
    "≈",
    "θ",
    "∇",
]

formula = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join)
chat = st.lists(st.tuples(formula, formula), min_size=1, max_size=4).map(
    lambda turns: "\n\n".join(
        f"## User\n\nHW2 Question 1 (a) Euclidean distance {q}\n\n## Assistant\n\n{a}\n" for q, a in turns
    )
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chat)
def test_any_chat_is_graded_without_error(text: str) -> None:
    try:
        transcript = read_text(text, "fuzz.md")
    except GraderError:
        return  # a clear input error is a valid outcome
    start = time.monotonic()
    report = grade(transcript, get_rubric("cs182-fa25-hw2"), budget_s=5.0)
    assert time.monotonic() - start < 30
    assert report.schema_ == "grader.report/1"
    for part in report.parts:
        assert part.final in ("correct", "partial", "incorrect", "unanswered", "needs_review")
        for attempt in part.attempts:
            for claim in attempt.claims:
                assert claim.verdict in ("correct", "incorrect", "partial", "unparseable", "timeout")
