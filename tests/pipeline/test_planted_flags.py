"""Each flag is planted at least once in the project's own samples (transcripts/planted_flags_*.md),
and the grader finds every one of them where it was planted."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.pipeline import grade_file

SAMPLES = Path(__file__).resolve().parents[2] / "transcripts"

# (sample, part) -> the flag planted there, and the verdicts the planted answers deserve.
PLANTED = [
    ("planted_flags_hw2.md", "q1a", "derivation_error", "correct"),  # objective restated with 1/(2α)
    ("planted_flags_hw2.md", "q1b", "no_derivation", "correct"),  # boxed answer, no working
    ("planted_flags_hw2.md", "q5", "inconsistent_final", "partial"),  # table says ring size p
    ("planted_flags_hw7.md", "q3b_i", "dimension_error", "partial"),  # condition (1) ill-shaped
    ("planted_flags_hw7.md", "q3b_ii", "false_statement", "incorrect"),  # Σ_k² = U_kᵀ X Xᵀ
    ("planted_flags_hw7.md", "q4a", "hallucinated_fact", "incorrect"),  # 18 hours, 68%
    # free text: flagged, and left to a person (a flag earns no credit)
    ("planted_flags_hw7.md", "q4c", "word_limit", "needs_review"),  # ~230 words for ~100
]

ALL_FLAGS = {
    "derivation_error",
    "false_statement",
    "dimension_error",
    "inconsistent_final",
    "hallucinated_fact",
    "no_derivation",
    "word_limit",
}


def test_every_flag_is_planted() -> None:
    assert {flag for _, _, flag, _ in PLANTED} == ALL_FLAGS


@pytest.mark.parametrize("sample, part_id, flag, verdict", PLANTED)
def test_planted_flag_is_found(sample: str, part_id: str, flag: str, verdict: str) -> None:
    part = grade_file(SAMPLES / sample).part(part_id)
    assert part is not None
    assert flag in part.flags
    assert part.final == verdict


def test_numbers_that_the_source_states_are_not_hallucinations() -> None:
    # q4c of the HW7 sample cites 323 s, 297 s and 94%: all in the blog post.
    part = grade_file(SAMPLES / "planted_flags_hw7.md").part("q4c")
    assert part is not None and "hallucinated_fact" not in part.flags


def test_step_findings_quote_the_line_and_say_why() -> None:
    part = grade_file(SAMPLES / "planted_flags_hw2.md").part("q1a")
    steps = [c for a in part.attempts for c in a.claims if c.answer == "step"]
    assert steps, "the restated objective should be reported as a step"
    assert any("2\\alpha" in c.text for c in steps)
    assert all(c.verdict == "incorrect" and c.explanation for c in steps)


def _with_marks_beside_the_steps(marks: str):  # type: ignore[no-untyped-def]
    """Part q1a of the HW2 sample graded with a line ``marks`` after each line of its answer's turn, as a
    PDF's text layer sets scripts apart from their formula."""
    from grader.pipeline import grade
    from grader.rubric import get_rubric
    from grader.transcripts import read_path

    t = read_path(SAMPLES / "planted_flags_hw2.md")
    turn = next(u for u in t.turns if any("\\frac{1}{2\\alpha}" in b.text for b in u.blocks))
    for b in turn.blocks:
        if b.kind == "text":
            b.text = "\n".join(line + "\n" + marks for line in b.text.splitlines())
        elif b.kind == "math":
            b.kind, b.text = "text", b.text + "\n" + marks
    return grade(t, get_rubric("cs182-fa25-hw2")).part("q1a")


def test_a_step_whose_scripts_the_pdf_set_apart_raises_no_flag() -> None:
    part = _with_marks_beside_the_steps("T −1")
    assert "derivation_error" not in part.flags
    steps = [c for a in part.attempts for c in a.claims if c.answer == "step"]
    assert steps and all(c.verdict == "unparseable" and "not judged" in c.explanation for c in steps)


def test_beside_a_line_of_words_the_same_steps_are_flagged() -> None:
    part = _with_marks_beside_the_steps("as written")
    assert "derivation_error" in part.flags
