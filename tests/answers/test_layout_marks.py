"""Scripts and radicals that a PDF's text layer sets apart: a formula read without them is not shown
wrong (:mod:`grader.answers.layout_marks`)."""

from __future__ import annotations

import pytest

from grader.align import Attempt, Section
from grader.answers.layout_marks import is_marks_line, is_numbers_line, rows_set_apart, scripts_set_apart
from grader.claim import Claim
from grader.models import Block
from grader.pipeline import grade
from grader.rubric import get_rubric
from grader.transcripts import read_text


@pytest.mark.parametrize(
    "line,expected",
    [
        ("∗ 𝑇 −1 𝑇", True),  # the star, transposes and inverse of (X^T X)^{-1} X^T y, in math italic
        ("T -1 T", True),
        ("s √", True),  # a radical whose radicand stayed on the line below
        ("√", True),
        ("$$T$$", True),
        ("† ′", True),
        ("2", False),  # a lone number may be an answer of its own
        ("i j", False),  # letters alone: an index or a short answer, no mark
        ("d = 4", False),
        ("The answer is T", False),  # prose
        ("Therefore", False),
        ("", False),
        ("T " * 30, False),  # too long to be the scripts of one formula
    ],
)
def test_marks_line(line: str, expected: bool) -> None:
    assert is_marks_line(line) is expected


def _attempt(*texts: str) -> Attempt:
    blocks = [(i, Block(kind="text", text=t)) for i, t in enumerate(texts)]
    return Attempt(part="q1", turn=1, sections=[Section("q1", 1, blocks)], prompt_turns=[0])


def test_marks_on_the_line_before_the_claim() -> None:
    attempt = _attempt("Solving for the scale:\nk √\nk = m\nwhich is the usual factor.")
    why = scripts_set_apart(attempt, Claim("k", "k = m", "m", "body", 0))
    assert why is not None and "√" in why


def test_marks_in_a_block_of_their_own_in_the_same_answer() -> None:
    attempt = _attempt("We need", "T", "Solving:", "$$k = m$$")
    assert scripts_set_apart(attempt, Claim("k", "k = m", "m", "equation", 3)) is not None


def test_no_marks_no_excuse() -> None:
    attempt = _attempt("Solving for the scale:\n2\nk = m\nwhich is the usual factor.", "Therefore")
    assert scripts_set_apart(attempt, Claim("k", "k = m", "m", "body", 0)) is None
    assert scripts_set_apart(attempt, Claim("k", "k = m", "m", "body", None)) is None


def test_marks_far_from_the_claims_line_in_its_block_do_not_count() -> None:
    attempt = _attempt("T\nfirst we expand the square\nthen we collect terms\nk = m")
    assert scripts_set_apart(attempt, Claim("k", "k = m", "m", "body", 0)) is None


@pytest.mark.parametrize(
    "line,expected",
    [
        ("7", True),
        ("0 -2", True),
        ("1.5 −3", True),
        ("x = 2", False),
        ("one", False),
        ("", False),
        ("1 2 3 4 5 6 7", False),
    ],
)
def test_numbers_line(line: str, expected: bool) -> None:
    assert is_numbers_line(line) is expected


def test_a_value_between_rows_may_be_one_row_of_a_vector() -> None:
    # [2; 7; 9] laid out a row a line: the middle row shares the line of "z ="
    attempt = _attempt("so the result is\n2\nz = 7\n9\nwhich is the second value vector.")
    why = rows_set_apart(attempt, Claim("z", "z = 7", "7", "body", 0))
    assert why is not None and "rows" in why


def test_rows_need_numbers_on_both_sides() -> None:
    attempt = _attempt("so the result is\n2\nz = 7\nwhich is a scalar.")
    assert rows_set_apart(attempt, Claim("z", "z = 7", "7", "body", 0)) is None


CHAT = """## User

HW2 Question 1 (a): Let's assume Euclidean distance is the norm. What is the analytical solution for $u$
in $u = \\operatorname{argmin}_{\\Delta\\theta} g^\\top \\Delta\\theta + \\frac{1}{\\alpha}\\|\\Delta\\theta\\|_2^2$?
What standard optimizer does this recover?

## Assistant

Setting the gradient to zero gives
{marks}
u = −α g

This recovers gradient descent.
"""


def _q1a(marks: str):
    chat = CHAT.replace("{marks}", marks)
    return grade(read_text(chat, "marks.md"), get_rubric("cs182-fa25-hw2")).part("q1a")


def test_a_wrong_formula_read_cleanly_stays_incorrect() -> None:
    assert _q1a("").final == "incorrect"
    assert _q1a("2").final == "incorrect"  # a number alone is no mark


@pytest.mark.parametrize("marks", ["∗ 1", "√", "T −1"])
def test_a_formula_beside_stray_marks_needs_review(marks: str) -> None:
    part = _q1a(marks)
    assert part.final == "needs_review", part.reason
    claim = next(c for a in part.attempts for c in a.claims if c.answer == "u")
    assert claim.verdict == "unparseable"
    assert "scripts" in claim.explanation


def test_a_scalar_for_a_vector_between_rows_needs_review() -> None:
    chat = CHAT.replace("{marks}\nu = −α g", "1\nu = 3\n2")
    part = grade(read_text(chat, "rows.md"), get_rubric("cs182-fa25-hw2")).part("q1a")
    assert part.final == "needs_review", part.reason
    alone = CHAT.replace("{marks}\nu = −α g", "u = 3")
    assert grade(read_text(alone, "rows.md"), get_rubric("cs182-fa25-hw2")).part("q1a").final == "incorrect"


@pytest.mark.parametrize(
    "line,expected",
    [
        ("> 2", True),  # the transpose (drawn as ">") and the square of q^T k ... mu^2
        ("+ 2", True),
        ("2", False),  # a digit alone is no mark
        ("2 3", False),  # nor are numbers alone (a row of a vector)
        ("x 2", False),
        ("> 2 > 2 > 2", False),  # too many to be the scripts of one formula
    ],
)
def test_exponent_line(line: str, expected: bool) -> None:
    from grader.answers.layout_marks import is_exponent_line

    assert is_exponent_line(line) is expected


def test_an_exponent_line_beside_a_formula_found_wrong_needs_review() -> None:
    assert _q1a("> 2").final == "needs_review"


def test_rows_in_math_delimiters_are_rows_too() -> None:
    # [2; 4; 3] laid out a row a line, the rows in $...$ and the claim read across them
    attempt = _attempt("so the result is\n$213$\noutput = $445$\n3\nwhich is the second value vector.")
    why = rows_set_apart(attempt, Claim("output", "output = 445", "445", "equation", 0))
    assert why is not None and "rows" in why
    assert (
        rows_set_apart(
            _attempt("so\noutput = $445$\nthat is all."), Claim("o", "output = 445", "445", "e", 0)
        )
        is None
    )
