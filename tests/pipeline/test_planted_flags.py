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
