"""Hints and answer leaks: a follow-up that states the answer before the model does is recorded."""

from __future__ import annotations

from grader.hints import substantive
from grader.models import Block, Turn
from grader.pipeline import grade
from grader.rubric import get_rubric
from grader.transcripts import read_text

LEAK = """## User

HW2 Question 1 (a): Let's assume Euclidean distance is the norm. What is the analytical solution for $u$?
What standard optimizer does this recover?

## Assistant

$$u = -\\alpha g$$, which is **gradient descent**.

## User

That is not right: the answer is $u = -\\frac{\\alpha}{2} g$.

## Assistant

You are right: $$u = -\\frac{\\alpha}{2} g$$ and this recovers **gradient descent**.
"""


def test_user_stating_the_answer_first_is_an_answer_leak() -> None:
    part = grade(read_text(LEAK, "leak.md"), get_rubric("cs182-fa25-hw2")).part("q1a")
    assert (part.first, part.final) == ("incorrect", "correct")
    assert part.leaks == ["u"]
    assert part.hinted


def _turn(text: str, kind: str = "text") -> Turn:
    return Turn(index=0, role="user", blocks=[Block(kind=kind, text=text)])  # type: ignore[arg-type]


# (user message, substantive?) — hints, corrections and sources count; "go on" does not.
HINTS = [
    ("you need to use the first order optimality conditions derived in part i)", True),
    ("Are you sure this is the same as sign Descent?", True),
    ("the term ‖g‖₁ should appear", True),
    ("explain each step", False),
    ("go on", False),
    ("retry problem 4.", False),
    # leading questions and requests for a named form carry content
    ("Doesn't the loss stay convex if you add the penalty?", True),
    ("Could you write the bound in terms of the spectral norm? Try to simplify it.", True),
    ("Since k = n/2, what happens to the second sum?", True),
    ("Please reconsider part (c); did you forget the bias?", True),
    ("my key gives the solution is O(n log n), same as yours?", True),
    # instructions about presentation only are not hints, even with a cue word
    ("Remember to give clearly labelled steps for every sub-question.", False),
    ("You should answer each problem in a short and readable way.", False),
    # ... unless the same sentence carries content
    ("Remember to show the step where x_0 = 0 is used.", True),
]


def test_hint_detection() -> None:
    for text, expected in HINTS:
        assert substantive(_turn(text)) is expected, text


def test_pasted_source_is_a_hint() -> None:
    assert substantive(_turn("blog text ...", kind="attachment"))
