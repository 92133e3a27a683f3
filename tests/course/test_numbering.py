"""Parts a transcript names by its own numbering (no question PDF)."""

from __future__ import annotations

import pytest

from grader.course.numbering import covers, parts_in_transcript_text


@pytest.mark.parametrize(
    "text, ids",
    [
        # headings set the question, line labels its parts
        ("## Problem 2\n(a) first\n(b) second\n### Q3\nsolve it", ["q2a", "q2b", "q3"]),
        ("**Question 4:** go\n**(a)** x\n- (b) y", ["q4a", "q4b"]),
        # roman sub-parts under a letter; the letter i after h stays a letter
        ("## Problem 5\n(a) setup\n(i) one\n(ii) two\n(b) next", ["q5a_i", "q5a_ii", "q5b"]),
        ("3. Features\n(g) x\n(h) y\n(i) z", ["q3g", "q3h", "q3i"]),
        # references anywhere: "Problem 5(b)(iii)", "Q4 a)"
        ("Please do Problem 5(b)(iii) and Q4 a) now.", ["q4a", "q5b_iii"]),
        ("Problem 3b: PCA\n(i) First order conditions", ["q3b_i"]),
        ("Let's tackle Problem 3b and question 4.", ["q3b", "q4"]),
        # labels with no question named are not parts
        ("(a) apples\n(b) pears", []),
        ("Nothing numbered here.", []),
    ],
)
def test_numbering(text: str, ids: list[str]) -> None:
    assert [p.id for p in parts_in_transcript_text(text)] == ids


def test_covers() -> None:
    assert covers("q3", "q3b_i") and covers("q3b", "q3b_ii") and covers("q3b_i", "q3b_i")
    assert not covers("q3", "q31") and not covers("q3b", "q3c")
