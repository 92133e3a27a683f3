"""Answers read from a PDF's text layer, where formulas carry no ``$`` and lose their scripts: the quantity
a plain-text part heading restates, and the plain-text equation that gives it a value (synthetic
transcripts written for these tests)."""

from __future__ import annotations

import pytest

from grader.align import Section
from grader.align_headings import heading_quantities
from grader.extract import block_maths
from grader.models import Block, Transcript
from grader.pipeline import grade
from grader.rubric import Rubric, parse_rubric_text
from tests.chats import chat as make_chat
from tests.chats import finals, value_rubric

RUBRIC = r"""
id: toy-plain
title: "Answers in plain text"
symbols:
  n: {kind: scalar, positive: true}
  c: {kind: scalar, positive: true}
parts:
  - {id: q1a, question: "1", label: "a", points: 1,
     answers: [{id: mean, kind: expression, points: 1, reference: "n c"}]}
  - {id: q1b, question: "1", label: "b", points: 1,
     answers: [{id: spread, kind: expression, points: 1, reference: "2 n"}]}
"""


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "toy-plain.yaml")


def chat(*turns: tuple[str, list[str]]) -> Transcript:
    """A chat read from a PDF's text layer (no math delimiters)."""
    return make_chat(*turns, source="x.pdf", fmt="pdf")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Part (b): with c = 0, find Var(z y) in terms of n\nbody", ["Var(z y)"]),
        ("2(a) Define E[z y]\nbody", ["E[z y]"]),
        ("(c) Choose t such that E[z y/t] = 0\nbody", []),  # a condition, not the quantity asked
        ("Part (a) of the problem\nbody", []),  # the label itself is no quantity
        ("Some prose naming E[z] that is no heading\nbody", []),
    ],
)
def test_a_plain_text_heading_restates_its_quantity(text: str, expected: list[str]) -> None:
    section = Section("q1a", 1, [(0, Block(kind="text", text=text))])
    assert heading_quantities(section.blocks) == expected


def test_a_part_heading_after_a_line_of_setup_still_names_the_quantity() -> None:
    blocks = [
        (0, Block(kind="text", text="Let us set things up first.")),
        (1, Block(kind="text", text="Part (a): Find E[z y] in terms of n")),
        (2, Block(kind="text", text="Step 1: G(t) expands")),
    ]
    assert heading_quantities(blocks) == ["E[z y]"]
    # a step heading names a step, not the part
    assert heading_quantities([(0, Block(kind="text", text="Intro.\nStep 1: find G(t) first"))]) == []


@pytest.mark.parametrize(
    "line,expected",
    [
        ("Var(z y) = 2n", ["Var(z y) = 2n"]),
        ("Var(z y) = 1 + 1 = 2n", ["Var(z y) = 1 + 1 = 2n"]),  # a chain after a quantity
        ("Output = v2 = 4", []),  # a chain after a bare name may hold a vector's row
        ("E[z y] = 1 =) t = n", []),  # a broken arrow: no chain
        ("Var(z y) = the sum of several independent terms", []),  # prose
    ],
)
def test_plain_text_equations(line: str, expected: list[str]) -> None:
    got = [m for _, m, _ in block_maths([(0, Block(kind="text", text=line))])]
    assert got == expected


def test_plain_text_answers_under_part_headings_are_graded(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve question 1."]),
        (
            "assistant",
            [
                "We take the parts in turn.",
                "Part (a): Find E[z y] in terms of n and c",
                "Summing over the n terms:\nE[z y] = n c",
                "Part (b): find Var(z y) in terms of n\nEach term adds 2, so\nVar(z y) = n + n = 2n",
            ],
        ),
    )
    got = finals(t, rubric)
    assert (got["q1a"], got["q1b"]) == ("correct", "correct")


def test_a_wrong_plain_text_value_of_the_restated_quantity_is_incorrect(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve question 1."]),
        ("assistant", ["Part (b): find Var(z y) in terms of n", "Adding the terms up:\nVar(z y) = 3n"]),
    )
    assert finals(t, rubric)["q1b"] == "incorrect"


def test_without_the_heading_a_plain_text_quantity_names_nothing(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve question 1(b)."]),
        ("assistant", ["Adding the terms up:\nVar(z y) = 2n"]),
    )
    assert finals(t, rubric)["q1b"] == "unanswered"


# ----------------------------------------------------------------- parts a reply leaves out

SKIP_RUBRIC = value_rubric("toy-skip", {"q1a": "2 a", "q1b": "a^2", "q1c": "a + 1", "q2a": "3 a"})


@pytest.fixture(scope="module")
def skip_rubric() -> Rubric:
    return parse_rubric_text(SKIP_RUBRIC, "toy-skip.yaml")


def firsts(t: Transcript, rubric: Rubric) -> dict[str, tuple[str, str]]:
    return {p.id: (p.first, p.final) for p in grade(t, rubric).parts}


def test_a_part_the_reply_stops_before_is_unanswered_at_first(skip_rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve parts (a), (b) and (c) of problem 1."]),
        ("assistant", ["(a) $v = 2a$", "I will stop here; ask me to continue with the rest."]),
        ("user", ["Go on with (b) and (c) of problem 1."]),
        ("assistant", ["(b) $v = a^2$", "(c) $v = a + 1$"]),
    )
    got = firsts(t, skip_rubric)
    assert got["q1a"] == ("correct", "correct")
    assert got["q1b"] == ("unanswered", "correct")
    assert got["q1c"] == ("unanswered", "correct")


def test_a_reply_continued_by_the_next_model_turn_has_skipped_nothing(skip_rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve parts (a), (b) and (c) of problem 1."]),
        ("assistant", ["(a) $v = 2a$"]),
        ("assistant", ["(b) $v = a^2$"]),
        ("assistant", ["(c) $v = a + 1$"]),
    )
    got = firsts(t, skip_rubric)
    assert got["q1b"] == ("correct", "correct") and got["q1c"] == ("correct", "correct")


def test_a_question_the_reply_never_reaches_gets_no_empty_attempt(skip_rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve problem 1(a) and problem 2(a)."]),
        ("assistant", ["1(a) $v = 2a$"]),
        ("user", ["Now problem 2(a)."]),
        ("assistant", ["$v = 3a$"]),
    )
    from grader.align import align

    al = align(t, skip_rubric)
    assert [a.turn for a in al.attempts["q2a"]] == [3]  # the reply did not reach question 2 at all


# ----------------------------------------------------------------- which part a turn goes on with


def test_what_comes_before_a_later_parts_heading_answers_the_earlier_part(skip_rubric: Rubric) -> None:
    from grader.align import align

    t = chat(
        ("user", ["Solve parts (a) and (b) of problem 1."]),
        ("assistant", ["Working through the first one:\n$v = 2a$", "(b) Squaring:\n$v = a^2$"]),
    )
    al = align(t, skip_rubric)
    assert [bi for a in al.attempts["q1a"] for bi, _ in a.blocks] == [0]
    assert [bi for a in al.attempts["q1b"] for bi, _ in a.blocks] == [1]
    got = firsts(t, skip_rubric)
    assert got["q1a"] == ("correct", "correct") and got["q1b"] == ("correct", "correct")


def test_a_continuing_turn_goes_on_with_the_part_the_last_one_ended_with(skip_rubric: Rubric) -> None:
    from grader.align import align

    t = chat(
        ("user", ["Solve parts (a) and (b) of problem 1."]),
        ("assistant", ["(a) $v = 2a$", "(b) We square it, and"]),
        ("assistant", ["so the result is $v = a^2$."]),  # the same reply, broken over two turns
    )
    al = align(t, skip_rubric)
    assert [a.turn for a in al.attempts["q1a"]] == [1]  # the continuation is not another try at (a)
    assert [a.turn for a in al.attempts["q1b"]] == [1, 2]
    assert firsts(t, skip_rubric)["q1a"] == ("correct", "correct")


def test_a_continuing_turn_may_still_come_back_to_an_earlier_part_by_its_heading(skip_rubric: Rubric) -> None:
    from grader.align import align

    t = chat(
        ("user", ["Solve parts (a) and (b) of problem 1."]),
        ("assistant", ["(a) $v = 2a$", "(b) $v = a^2$"]),
        ("assistant", ["Recap:", "(a) doubling gives $v = 2a$"]),
    )
    al = align(t, skip_rubric)
    assert [a.turn for a in al.attempts["q1a"]] == [1, 2]
