"""A known incomplete answer of a concept part (a misconception with ``credit: partial``): partial where
the key ideas it stands in place of are missing, moot where they are stated, never ``incorrect``; and the
rubric fields it needs are checked (a synthetic rubric and answers written for these tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.check import check_value
from grader.rubric import Rubric, parse_rubric_text
from grader.rubric.verify import verify_rubric_file

RUBRIC = r"""
id: incomplete
title: "Incomplete answers"
parts:
  - id: q1
    question: "1"
    points: 1
    answers:
      - id: heat
        kind: concept
        points: 1
        ideas:
          - {id: conduction, text: "heat flows by conduction", from: "question", match: ["conduction|conducts"]}
          - {id: radiation, text: "heat flows by radiation", from: "question", match: ["radiation|radiates"]}
          - {id: convection, text: "heat flows by convection", from: "question", match: ["convection"]}
        misconceptions:
          - id: vacuum_only
            text: "only radiation, as in a vacuum (the question's room has air)"
            from: "question (the room is filled with air)"
            credit: partial
            instead_of: [conduction, convection]
            match: ["vacuum + radiation|radiates"]
          - id: cold_flows
            text: "cold flows into the warm body"
            from: "rubric author"
            match: ["cold + flow|flows"]
        examples:
          right: ["The stove warms the room by conduction through the floor, convection of the air and radiation."]
          partial: ["As in a vacuum, the stove warms the room only because it radiates energy to the walls."]
          wrong: ["The stove makes the cold flow out of the room through the open window in the evening."]
"""


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "incomplete.yaml")


@pytest.mark.parametrize(
    "text,verdict",
    [
        # the incomplete answer: partial, although fewer than half the ideas are found
        ("As in a vacuum, the stove warms the room only because it radiates energy to the walls.", "partial"),
        # the ideas it stands in place of are stated too: complete, the comparison with a vacuum is moot
        (
            "Unlike in a vacuum, where the stove only radiates, here conduction and convection of the air "
            "carry heat as well.",
            "correct",
        ),
        # a wrong idea beside a key idea: partial by the usual rule, and the misconception is reported
        (
            "As in a vacuum the stove radiates. The cold flows out of the room meanwhile, which cools it.",
            "partial",
        ),
        # a wrong idea alone stays wrong
        (
            "The stove makes the cold flow out of the room through the open window in the evening.",
            "incorrect",
        ),
        # nothing recognised: a person reads it
        ("The stove heats the room in the usual way over the course of an afternoon.", "needs_review"),
    ],
)
def test_a_known_incomplete_answer_is_partial(rubric: Rubric, text: str, verdict: str) -> None:
    part = rubric.part("q1")
    answer = part.answer("heat")
    assert answer is not None
    result = check_value(text, answer, part, rubric, None)
    want = "unparseable" if verdict == "needs_review" else verdict
    assert result.verdict == want, result.explanation
    if verdict == "partial":
        assert "known incomplete answer" in result.explanation
        assert ("misconception:" in result.explanation) == ("cold" in text)


def test_the_rubric_fields_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "incomplete.yaml"
    path.write_text(RUBRIC, encoding="utf-8")
    assert verify_rubric_file(path).problems == []
    path.write_text(RUBRIC.replace("instead_of: [conduction, convection]", "instead_of: [diffusion]"))
    assert any("no key idea diffusion" in p.message for p in verify_rubric_file(path).problems)
    bad_idea = RUBRIC.replace('match: ["convection"]}', 'match: ["convection"], credit: partial}')
    path.write_text(bad_idea)
    assert any("for misconceptions" in p.message for p in verify_rubric_file(path).problems)


def test_a_misconception_false_only_for_an_incomplete_answer() -> None:
    from grader.checkers.concept import Idea, check_concept
    from grader.checkers.meaning import TermSet

    ideas = [
        Idea("lid", "put the lid on", [TermSet.parse("lid + on|close|closed")]),
        Idea("flame", "turn the flame up", [TermSet.parse("flame|heat + up|higher|increase")]),
    ]
    # "it boils now" is false while the flame is left as it was, true once it is turned up
    boils = Idea(
        "boils", "it boils with no other change", [TermSet.parse("boil|boils + now")], instead_of=("flame",)
    )
    incomplete = check_concept(
        "Put the lid on the pot. It boils now, with nothing else to do.", ideas, [boils]
    )
    assert incomplete.verdict == "partial" and incomplete.evidence["misconceptions"] == [boils.text]
    complete = check_concept(
        "Put the lid on the pot and turn the flame up. It boils now, with nothing else to do.", ideas, [boils]
    )
    assert complete.verdict == "correct", complete.explanation
