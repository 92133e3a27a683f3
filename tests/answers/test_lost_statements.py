"""A final statement that a PDF's layout may have garbled is not the only word on an answer: the
statement just before it, or the working it was solved from, can show it right
(:meth:`grader.answers.expression.ExpressionKind.outcome`, :mod:`grader.answers.lost_radical`)."""

from __future__ import annotations

import pytest

from grader.pipeline import grade
from grader.rubric import get_rubric
from grader.transcripts import read_text

ARGMAX = """## User

HW9 Question 2, Argmax Attention. (a) Perform argmax attention with the given keys and values, using the
query q. What would be the output of the attention layer for this query?

## Assistant

The scores of the four keys are 3, 11, 5 and 2, so the second key wins.

output = 0 $· v_{1} + 1 · v_{2} + 0 · v_{3} + 0 · v_{4} = {named}$
{rows}
"""

ROWS = "$213$\noutput = $445$\n3"
"""A column vector laid out a row a line: the value read on the line of "output =" is not the vector."""


def _argmax(named: str, rows: str = ROWS):
    chat = ARGMAX.replace("{named}", named).replace("{rows}", rows)
    return grade(read_text(chat, "argmax.md"), get_rubric("cs182-fa25-hw9")).part("q2a")


def test_the_statement_before_rows_laid_out_apart_speaks_for_the_answer() -> None:
    part = _argmax("v_{2}")
    assert part.final == "correct", part.reason
    texts = [c.explanation for a in part.attempts for c in a.claims if c.verdict == "correct"]
    assert texts and all("the one before it" in t for t in texts)


def test_a_wrong_statement_before_never_makes_it_incorrect() -> None:
    # the earlier statement names another value: working the last one may correct, so only a person can tell
    assert _argmax("v_{3}").final == "needs_review"


def test_a_final_statement_read_cleanly_is_judged_alone() -> None:
    assert _argmax("v_{2}", rows="output = $445$").final == "incorrect"


SCALE = """## User

HW9 Question 1 (c), Scaled-Dot Product Attention. Let s be the scaling factor on the dot product. What should
s be in terms of d?

## Assistant

We need the variance of the scaled product to be one:

$$Var(\\frac{q k}{s})=\\frac{1}{s^{2}}Var(q^{T}k)={working}.$$

$$T$$

Solving for $s$:

$$s={read}.$$
"""


def _scale(working: str, read: str):
    chat = SCALE.replace("{working}", working).replace("{read}", read)
    return grade(read_text(chat, "scale.md"), get_rubric("cs182-fa25-hw9")).part("q1c")


def test_a_radical_lost_by_the_text_layer_is_restored_when_the_working_asks_for_it() -> None:
    part = _scale("\\frac{d}{s^{2}}=1", "d")
    assert part.final == "correct", part.reason
    claim = next(c for a in part.attempts for c in a.claims)
    assert claim.evidence.get("restored_radical") == "\\sqrt{d}"
    assert "\\frac{d}{s^{2}} = 1" in claim.explanation


@pytest.mark.parametrize(
    "working,read",
    [
        ("1", "d"),  # no equation in s to solve: nothing supports the radical
        ("\\frac{d}{s}=1", "d"),  # the working holds for what was read, not for its square root
        ("\\frac{d}{s^{2}}=1", "d^{2}"),  # the square root of what was read is not the reference
    ],
)
def test_no_restoration_without_both_pieces_of_evidence(working: str, read: str) -> None:
    assert _scale(working, read).final == "needs_review"


def test_no_restoration_without_a_layout_that_may_have_lost_marks() -> None:
    chat = SCALE.replace("{working}", "\\frac{d}{s^{2}}=1").replace("{read}", "d").replace("$$T$$\n", "")
    assert grade(read_text(chat, "scale.md"), get_rubric("cs182-fa25-hw9")).part("q1c").final == "incorrect"
