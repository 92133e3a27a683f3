"""Never a wrong verdict from what could not be read or checked: lossy math and a spent budget."""

from __future__ import annotations

import pytest

from grader.pipeline import grade
from grader.rubric import get_rubric
from grader.transcripts import read_text

CHAT = """## User

HW2 Question 1 (a): Let's assume Euclidean distance is the norm. What is the analytical solution for $u$
in $u = \\operatorname{argmin}_{\\Delta\\theta} g^\\top \\Delta\\theta + \\frac{1}{\\alpha}\\|\\Delta\\theta\\|_2^2$?
What standard optimizer does this recover?

## Assistant

Setting the gradient to zero gives

$$u = -\\alpha g$$

This recovers **gradient descent**.
"""


def _grade(lossy: bool):
    transcript = read_text(CHAT, "lossy.md")
    if lossy:
        for turn in transcript.turns:
            for block in turn.blocks:
                if block.kind == "math":
                    block.fidelity = "lossy"
    return grade(transcript, get_rubric("cs182-fa25-hw2")).part("q1a")


def test_exact_wrong_answer_is_incorrect() -> None:
    part = _grade(lossy=False)
    assert part.final == "incorrect"


def test_lossy_wrong_answer_needs_review() -> None:
    part = _grade(lossy=True)
    assert part.final == "needs_review"
    claim = next(c for a in part.attempts for c in a.claims if c.answer == "u")
    assert claim.evidence.get("fidelity") == "lossy"
    assert "lossy" in claim.explanation


def test_a_spent_transcript_budget_ends_in_timeouts_not_verdicts() -> None:
    transcript = read_text(CHAT, "budget.md")
    report = grade(transcript, get_rubric("cs182-fa25-hw2"), budget_s=0.0)
    claims = [c for p in report.parts for a in p.attempts for c in a.claims]
    assert claims and all(c.verdict == "timeout" for c in claims)
    assert report.part("q1a").final == "needs_review"
    assert any("budget" in w for w in report.warnings)


# --------------------------------------------------------------------------- the part-level rule

RIGHT_BUT_UNREADABLE = {
    # an undeclared symbol: \tilde{g} may well be the gradient, the rubric cannot tell
    "undeclared": "$$u = -\\frac{\\alpha}{2} \\tilde{g}$$",
    # a formula the engine cannot parse
    "unparseable": "$$u = -\\frac{\\alpha}{2 g$$",
    # a function nobody declared
    "undeclared function": "$$u = -\\frac{\\alpha}{2} \\operatorname{grad}(\\theta)$$",
}


@pytest.mark.parametrize("what", sorted(RIGHT_BUT_UNREADABLE))
def test_only_unreadable_evidence_gives_needs_review_never_incorrect(what: str) -> None:
    chat = CHAT.replace("$$u = -\\alpha g$$", RIGHT_BUT_UNREADABLE[what]).replace(
        "This recovers **gradient descent**.", "This recovers gradient descent with step alpha/2."
    )
    report = grade(read_text(chat, "unreadable.md"), get_rubric("cs182-fa25-hw2"))
    part = report.part("q1a")
    assert part is not None
    assert part.final == "needs_review" and part.first == "needs_review", part.reason
    assert part.confidence == "low"
    claim = next(c for a in part.attempts for c in a.claims if c.answer == "u")
    assert claim.verdict == "unparseable" and claim.explanation
    assert report.needs_review >= 1


# --------------------------------------------------------------------------- lossy dissent

# one chain that states the answer twice, once wrong (as a PDF's lost script can make it read)
TWO_STATEMENTS = CHAT.replace(
    "$$u = -\\alpha g$$", "$$u \\approx -\\alpha g \\approx -\\frac{\\alpha}{2} g$$"
)


def _grade_two(lossy: bool):
    transcript = read_text(TWO_STATEMENTS, "two.md")
    if lossy:
        for turn in transcript.turns:
            for block in turn.blocks:
                if block.kind == "math":
                    block.fidelity = "lossy"
    return grade(transcript, get_rubric("cs182-fa25-hw2")).part("q1a")


def test_exact_right_and_wrong_statements_are_inconsistent() -> None:
    part = _grade_two(lossy=False)
    assert part is not None
    assert part.final == "partial" and "inconsistent_final" in part.flags, (part.final, part.flags)


def test_a_wrong_statement_read_from_lossy_text_does_not_outvote_a_right_one() -> None:
    part = _grade_two(lossy=True)
    assert part is not None
    assert part.final == "correct" and "inconsistent_final" not in part.flags, (part.final, part.flags)
    wrong = [c for a in part.attempts for c in a.claims if c.answer == "u" and c.verdict == "incorrect"]
    assert wrong and all(c.evidence.get("fidelity") == "lossy" for c in wrong)
    assert all("not counted against" in c.explanation for c in wrong)
