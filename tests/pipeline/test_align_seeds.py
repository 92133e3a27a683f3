"""Alignment of the real seed write-ups: which assistant turns attempt which part (read by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.align import align, detect_homework, detect_variant, parts_in_text
from grader.rubric import get_rubric, rubrics
from grader.transcripts import read_path

# For each seed: part -> number of attempts, and the part's variant where the question shows one.
EXPECTED = {
    "000_cf389ef2afa5cc5b.txt": (
        "cs182-fa25-hw2",
        {"q1a": 1, "q1b": 1, "q2a": 1, "q2b": 1, "q2c": 1, "q5": 1},
        {"q1b": "unsquared"},
    ),
    "001_29990ff1c069adec.txt": (
        "cs182-fa25-hw2",
        # q1b and q2a each get a follow-up ("Are you sure ...", "Can you think of a simpler solution?")
        {"q1a": 1, "q1b": 2, "q2a": 2, "q2b": 1, "q2c": 1, "q5": 1},
        {"q1b": "squared"},
    ),
    "002_2ca81225e9ca24a0.txt": (
        "cs182-fa25-hw7",
        {
            "q3b_i": 2,
            "q3b_ii": 2,
            "q4a": 2,
            "q4b": 2,
            "q4c": 2,
            "q7a": 1,
            "q7b": 1,
            "q7c": 1,
            "q8a_i": 1,
            "q8a_ii": 1,
            "q8a_iii": 1,
            "q8b": 1,
        },
        {},
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_attempts_per_part(shared: Path, name: str) -> None:
    homework, counts, variants = EXPECTED[name]
    transcript = read_path(shared / "seeds" / name)
    rubric = detect_homework(transcript, list(rubrics().values()))
    assert rubric.id == homework
    alignment = align(transcript, rubric)
    got = {pid: len(atts) for pid, atts in alignment.attempts.items() if atts}
    assert got == counts
    for pid, variant in variants.items():
        assert detect_variant(rubric.part(pid), alignment.question_text[pid]) == variant


HW2 = get_rubric("cs182-fa25-hw2")
HW7 = get_rubric("cs182-fa25-hw7")


@pytest.mark.parametrize(
    "rubric, text, context, expected",
    [
        # explicit references
        (
            HW7,
            "Specifically solve problem 3b and question 4. Go step by step",
            None,
            ["q3b_i", "q3b_ii", "q4a", "q4b", "q4c"],
        ),
        (HW7, "retry problem 4.", None, ["q4a", "q4b", "q4c"]),
        (
            HW2,
            "Solve the questions on this worksheet: 1,\n2, and 5.",
            None,
            ["q1a", "q1b", "q2a", "q2b", "q2c", "q5"],
        ),
        # a sub-label at the start selects within the question the message is about
        (
            HW7,
            "for (ii) Show that the Principal Components U_k satisfy the optimality conditions, "
            "you need to use the first order optimality conditions derived in part i)",
            "3",
            ["q3b_ii"],
        ),
        (
            HW7,
            "(a) You want to use SGD-style training ...\n(i) How many linear layers do you need?",
            None,
            ["q8a_i"],
        ),
        (
            HW2,
            "## 2. Optimizers and their convergence\nConsider a simplified Adam-style optimizer\n"
            "- (a) What specific vector would standard vanilla SGD converge to?",
            None,
            ["q2a"],
        ),
        (
            HW2,
            "(a) Let's assume Euclidean distance ...\n(b) Now, consider ... the infinity norm",
            None,
            ["q1a", "q1b"],
        ),
        # content-free follow-ups name no part
        (HW2, "Are you sure this is the same as sign Descent?", None, []),
        (HW7, "go on", None, []),
    ],
)
def test_parts_in_text(rubric, text: str, context: str | None, expected: list[str]) -> None:
    assert parts_in_text(text, rubric, context) == expected
