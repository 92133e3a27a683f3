"""The students' annotations in the seeds are attached to the parts they comment on and audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.annotations import stance
from grader.pipeline import grade_file


@pytest.mark.parametrize(
    "text, expected",
    [
        ("→ correct answer", "positive"),
        ("One-shot the problem perfectly.", "positive"),
        ("It reported the wrong training time and accuracies.", "negative"),
        ("It got the correct optimality conditions, but it didn't explain the steps", "mixed"),
        ("This is the annotated trace", "neutral"),
        ("The model's answer about \"alignment issues\" didn't match the staff solution.", "negative"),
        ("It's not correct", "negative"),
    ],
)
def test_stance(text: str, expected: str) -> None:
    assert stance(text) == expected


# Notes the PDF conversion moved away from the answer they comment on are still attached by what
# they say. (seed, start of the note, part, agrees with the grader?)
EXPECTED = [
    ("002_2ca81225e9ca24a0.txt", "It reported the wrong training time", "q4a", True),
    ("002_2ca81225e9ca24a0.txt", "I am not sure how it derived the 3x speedup", "q4c", True),
    # q7a's free text goes to a person (no key idea recognised): nothing to agree with yet
    ("002_2ca81225e9ca24a0.txt", "The model's answer about", "q7a", None),
    ("002_2ca81225e9ca24a0.txt", "once again, it was able to give the right answers", "q8a_iii", True),
    # the Gemini summary table contradicts the body: the student's "connect" misses it
    ("000_cf389ef2afa5cc5b.txt", "**again connect**", "q5", False),
]


@pytest.mark.parametrize("seed, start, part, agrees", EXPECTED)
def test_note_attached_and_audited(shared: Path, seed: str, start: str, part: str, agrees: bool) -> None:
    report = grade_file(shared / "seeds" / seed)
    note = next(n for n in report.annotations if n.text.replace("’", "'").startswith(start))
    assert note.part == part
    assert note.agrees is agrees
