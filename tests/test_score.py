"""Attempt verdicts from answer outcomes: an answer no claim states is no evidence against the part."""

from __future__ import annotations

import pytest

from grader.rubric import PartSpec
from grader.score import AnswerOutcome, attempt_verdict, missing_answers, reason

PART = PartSpec.model_validate(
    {
        "id": "q1",
        "question": "1",
        "points": 3,
        "answers": [
            {"id": "a", "kind": "number", "points": 1, "reference": 1},
            {"id": "b", "kind": "number", "points": 1, "reference": 2},
            {"id": "c", "kind": "number", "points": 1, "reference": 3},
        ],
    }
)


def _outcomes(**states: str) -> dict[str, AnswerOutcome]:
    return {aid: AnswerOutcome(aid, state) for aid, state in states.items()}


@pytest.mark.parametrize(
    "states,verdict",
    [
        # ---- every answer stated: the credit decides
        ({"a": "correct", "b": "correct", "c": "correct"}, "correct"),
        ({"a": "correct", "b": "correct", "c": "incorrect"}, "partial"),
        ({"a": "correct", "b": "incorrect", "c": "incorrect"}, "incorrect"),
        # ---- nothing stated: not attempted
        ({}, "unanswered"),
        # ---- answers not found: never incorrect for want of a claim
        ({"a": "correct"}, "needs_review"),
        ({"a": "correct", "b": "correct"}, "needs_review"),
        ({"a": "incorrect"}, "needs_review"),  # b and c right would make it partial
        ({"a": "correct", "b": "unanswered"}, "needs_review"),
        # ---- ... unless what is stated decides it whatever the missing answer is
        ({"a": "incorrect", "b": "incorrect"}, "incorrect"),
        # ---- an answer a person must read decides nothing either
        ({"a": "correct", "b": "needs_review", "c": "correct"}, "needs_review"),
    ],
)
def test_attempt_verdict(states: dict[str, str], verdict: str) -> None:
    assert attempt_verdict(PART, _outcomes(**states)) == verdict


def test_the_reason_names_the_missing_answers() -> None:
    outcomes = _outcomes(a="correct")
    assert missing_answers(PART, outcomes) == ["b", "c"]
    assert "b: not found in the answer" in reason(PART, outcomes, "needs_review")
