"""The benchmark claims (../shared/bench/claims.jsonl) are graded right when they appear inside a chat.

Each claim is put into a small role-marked transcript the way models write answers (a question, then
the answer in display math, in bold or in a table), the transcript is graded end to end, and the
verdict of the claim's answer must match the benchmark's expectation.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.pipeline import grade
from grader.rubric import get_rubric
from grader.transcripts import read_text

QUESTIONS = {
    "q1a": "HW2 Question 1 (a): Let's assume Euclidean distance is the norm. What is the analytical solution "
    "for $u$ in $u = \\operatorname{argmin}_{\\Delta\\theta} g^\\top\\Delta\\theta + \\frac{1}{\\alpha}"
    "\\|\\Delta\\theta\\|_2^2$? What standard optimizer does this recover?",
    "q1b": "HW2 Question 1 (b): Now consider the squared infinity norm, $u = \\operatorname{argmin}_{\\Delta\\theta}"
    " g^\\top\\Delta\\theta + \\frac{1}{\\alpha}\\|\\Delta\\theta\\|_\\infty^2$. What is the analytical solution? "
    "Which optimizer does this correspond to?",
    "q2a": "HW2 Question 2 (a): What specific vector would standard vanilla SGD converge to?",
    "q2b": "HW2 Question 2 (b): What specific vector would the simplified version of Adam converge to?",
    "q2c": "HW2 Question 2 (c): With feature rescaling, then SGD, then mapping back, what vector do we get?",
    "q5": "HW2 Question 5: Analyzing Distributed Training. Fill in the number of messages and their size for "
    "All-to-All, Parameter Server and Ring All-Reduce.",
    "q4a": "HW7 Question 4 (a): in How to Train Your ResNet, what were the baseline and final training time "
    "and accuracy?",
    "q7b": "HW7 Question 7 (b): What five tokens will be passed into the decoder during training?",
    "q7c": "HW7 Question 7 (c): What five tokens would be passed into the decoder at evaluation time?",
    "q8a_i": "HW7 Question 8 (a)(i): How many linear layers do you need?",
    "q8a_ii": "HW7 Question 8 (a)(ii): What is the loss function that you will be using?",
    "q8a_iii": "HW7 Question 8 (a)(iii): to optimize (7) exactly as it is written, which components do you need?",
}
ROWS = {"all_to_all": "All-to-All", "ps": "Parameter Server", "ring": "Ring All-Reduce"}


def answer_text(part: str, answer: str, claim: str) -> str:
    """The model's reply stating ``claim`` for ``part.answer`` (other answers of the part absent)."""
    if part == "q5":
        row, column = answer.rsplit("_", 1)
        cells = f"${claim}$ | " if column == "count" else f" | ${claim}$"
        return (
            "| Paradigm | Number of Messages Sent | Size of each message |\n|---|---|---|\n"
            f"| {ROWS[row]} | {cells} |"
        )
    if answer == "optimizer":
        return f"This recovers **{claim}**."
    if answer in ("u", "theta"):
        label = "" if "=" in claim else ("u = " if answer == "u" else "\\theta = ")
        return f"Setting the gradient to zero and solving:\n\n$$\\boxed{{{label}{claim}}}$$"
    if part == "q4a":
        when = "Baseline" if answer.startswith("baseline") else "Final"
        return f"- **{when}:** {claim}"
    if answer == "tokens":
        return f"The decoder inputs are: {claim}"
    return f"**Answer:** {claim}"


def _cases() -> list[dict]:
    path = Path(__file__).resolve().parents[2].parent / "shared" / "bench" / "claims.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


CASES = _cases()


@pytest.mark.skipif(not CASES, reason="../shared/bench/claims.jsonl is not present")
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_claim_graded_inside_a_transcript(case: dict) -> None:
    homework, part_id, answer_id = case["target"].split(".")
    chat = (
        f"## User\n\n{QUESTIONS[part_id]}\n\n## Assistant\n\n"
        f"{answer_text(part_id, answer_id, case['claim'])}\n"
    )
    report = grade(read_text(chat, f"{case['id']}.md"), get_rubric(homework))
    part = report.part(part_id)
    assert part is not None and part.attempts, "the answer was not aligned with its part"
    claims = [c for c in part.attempts[-1].claims if c.answer == answer_id]
    assert claims, f"no claim extracted for {answer_id} from:\n{chat}"
    verdicts = {c.verdict for c in claims}
    assert (verdicts == {"correct"}) == case["expected"], [c.explanation for c in claims]
