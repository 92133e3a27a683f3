"""``false_statement`` from a known misconception that a claim states (grader.flags_claims), graded end to
end on synthetic chats written for these tests."""

from __future__ import annotations

import pytest

from grader.flags_claims import claim_flags, states_misconception
from grader.models import Block, ClaimResult, Transcript, Turn
from grader.pipeline import grade
from grader.rubric import Rubric, parse_rubric_text
from tests.chats import chat

_DOWN = '{id: down, text: "the slope decreases", from: "test", match: ["slope + decrease|decreases|smaller|lower"]}'


def _concept_rubric(rubric_id: str, ideas: list[str], misconceptions: list[str]) -> str:
    """A one-part rubric whose answer is a concept with these ideas and misconceptions (YAML flow maps)."""
    lines = [
        f"id: {rubric_id}",
        f'title: "{rubric_id}"',
        "parts:",
        '  - {id: q1, question: "1", label: "", points: 1, answers: [{id: effect, kind: concept, points: 1,',
        f"      ideas: [{', '.join(ideas)}],",
        f"      misconceptions: [{', '.join(misconceptions)}]}}]}}",
    ]
    return "\n".join(lines) + "\n"


RUBRIC = _concept_rubric(
    "toy-misconception",
    [_DOWN],
    [
        '{id: up, text: "the slope increases", from: "test", match: ["slope + increase|increases|larger|steeper"]}'
    ],
)


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "toy-misconception.yaml")


def _part(t: Transcript, rubric: Rubric):  # type: ignore[no-untyped-def]
    return grade(t, rubric).part("q1")


def test_a_stated_misconception_is_a_false_statement(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve problem 1: what happens to the slope after one gradient step?"]),
        ("assistant", ["After the step the slope increases, because the update adds to w."]),
    )
    part = _part(t, rubric)
    assert part.final == "incorrect"
    assert "false_statement" in part.flags


def test_the_right_idea_raises_no_flag(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve problem 1: what happens to the slope after one gradient step?"]),
        ("assistant", ["After the step the slope decreases, because the update subtracts lambda x from w."]),
    )
    part = _part(t, rubric)
    assert part.final == "correct"
    assert part.flags == []


def test_a_misconception_beside_the_key_idea_is_no_evidence(rubric: Rubric) -> None:
    # the misconception's words next to the key idea may be those of a qualified, true statement
    t = chat(
        ("user", ["Solve problem 1: what happens to the slope after one gradient step?"]),
        (
            "assistant",
            [
                "The slope decreases after the step. One might think the slope increases since x > 0, "
                "but the update subtracts lambda x from w, so that reading is wrong."
            ],
        ),
    )
    assert "false_statement" not in _part(t, rubric).flags


def test_a_misconception_read_from_lossy_text_raises_nothing(rubric: Rubric) -> None:
    t = Transcript(
        source="x.pdf",
        format="pdf",
        turns=[
            Turn(index=0, role="user", blocks=[Block(kind="text", text="Solve problem 1 about the slope.")]),
            Turn(
                index=1,
                role="assistant",
                blocks=[Block(kind="text", text="After the step the slope increases.", fidelity="ocr")],
            ),
        ],
    )
    part = _part(t, rubric)
    assert "false_statement" not in part.flags
    assert part.final != "incorrect"


@pytest.mark.parametrize(
    "verdict,misconceptions,fidelity,block,expected",
    [
        ("incorrect", ["the slope increases"], "exact", 0, True),
        # judged partial (a key idea beside it), not judged, or no misconception: no evidence
        ("partial", ["the slope increases"], "exact", 0, False),
        ("unparseable", ["the slope increases"], "exact", 0, False),
        ("incorrect", [], "exact", 0, False),
        # read from text that may not be what was written, or from no known block
        ("incorrect", ["the slope increases"], "ocr", 0, False),
        ("incorrect", ["the slope increases"], "exact", None, False),
    ],
)
def test_states_misconception(
    verdict: str, misconceptions: list[str], fidelity: str, block: int | None, expected: bool
) -> None:
    claim = ClaimResult(
        answer="effect",
        text="the slope increases",
        verdict=verdict,  # type: ignore[arg-type]
        evidence={"misconceptions": misconceptions},
        block=block,
    )
    blocks = {0: Block(kind="text", text="the slope increases", fidelity=fidelity)}  # type: ignore[arg-type]
    assert states_misconception(claim, blocks) is expected
    assert claim_flags([claim], blocks) == (["false_statement"] if expected else [])


RUBRIC_TWO = _concept_rubric(
    "toy-plain",
    [
        _DOWN,
        '{id: either, text: "the kink may move either way", from: "test", match: ["kink + either|depend|depends"]}',
    ],
    ['{id: right, text: "the kink always moves right", from: "test", match: ["kink + move|moves + right"]}'],
)


@pytest.mark.parametrize(
    "answer,flagged",
    [
        # partial, with the misconception stated flat out in a sentence of its own: a false statement
        ("After the step the slope decreases a little. The kink moves right.", True),
        # qualified (a condition, a hedge): its words may be those of a true statement
        ("After the step the slope decreases a little. The kink moves right if b is small.", False),
        (
            "After the step the slope decreases a little. The kink probably moves right, but not always.",
            False,
        ),
    ],
)
def test_a_plain_misconception_beside_a_key_idea(answer: str, flagged: bool) -> None:
    rubric = parse_rubric_text(RUBRIC_TWO, "toy-plain.yaml")
    t = chat(
        ("user", ["Solve problem 1: what happens to the slope and the kink after one gradient step?"]),
        ("assistant", [answer]),
    )
    part = grade(t, rubric).part("q1")
    assert part is not None and part.final == "partial"
    assert ("false_statement" in part.flags) is flagged
