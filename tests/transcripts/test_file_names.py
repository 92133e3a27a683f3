"""A submission file's name as evidence of the question it answers."""

from __future__ import annotations

import pytest

from grader.transcripts.file_names import question_number_in_name


@pytest.mark.parametrize(
    "name,question",
    [
        ("solution_q3.md", "3"),
        ("hw/Problem-12.pdf", "12"),
        ("ex_05.txt", "5"),
        ("Question 4 answers.pdf", "4"),
        ("answers.md", None),  # no number
        ("q1_and_q2.md", None),  # two questions
        ("hw3.pdf", None),  # a homework number is no question number
        ("botq1.pdf", None),  # "q" inside a word
    ],
)
def test_question_number_in_name(name: str, question: str | None) -> None:
    assert question_number_in_name(name) == question
