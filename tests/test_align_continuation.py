"""Sections of an answer the reader put in one block, turns that continue an answer past a prompt that
names no part, and the quantity a heading restates (synthetic transcripts written for these tests)."""

from __future__ import annotations

import pytest

from grader.align import Section, align
from grader.align_headings import heading_quantities
from grader.models import Block
from grader.rubric import Rubric, parse_rubric_text
from tests.chats import chat, finals

RUBRIC = r"""
id: toy-continue
title: "Parts answered in one block or in a continuing turn"
symbols:
  a: {kind: scalar, positive: true}
  n: {kind: scalar, positive: true}
  v: {kind: scalar}
parts:
  - {id: q1a, question: "1", label: "a", points: 1,
     answers: [{id: val, kind: expression, points: 1, defines: v, reference: "2 a"}]}
  - {id: q1b, question: "1", label: "b", points: 1,
     answers: [{id: val, kind: expression, points: 1, defines: v, reference: "a^2"}]}
  - {id: q1c, question: "1", label: "c", points: 1,
     answers: [{id: val, kind: expression, points: 1, defines: v, reference: "a + 1"}]}
  - {id: q1d, question: "1", label: "d", points: 1,
     answers: [{id: val, kind: expression, points: 1, defines: v, reference: "3 a"}]}
  - {id: q2a, question: "2", label: "a", points: 1,
     answers: [{id: mean, kind: expression, points: 1, reference: "n"}]}
  - {id: q2b, question: "2", label: "b", points: 2,
     answers: [{id: lo, kind: expression, points: 1, reference: "n"},
               {id: hi, kind: expression, points: 1, reference: "2 n"}]}
"""


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "toy-continue.yaml")


def test_answers_to_several_parts_in_one_block_are_split_at_their_labels(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve problem 1."]),
        (
            "assistant",
            ["Summary of the results:\n(a) $v = 2a$\n(b) $v = a^2$\n(c) $v = a + 2$"],
        ),
    )
    got = finals(t, rubric)
    assert (got["q1a"], got["q1b"], got["q1c"], got["q1d"]) == (
        "correct",
        "correct",
        "incorrect",
        "unanswered",
    )


def test_one_block_with_parts_written_as_part_headings(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Please do question 1."]),
        ("assistant", ["Part (a): doubling gives\n$$v = 2a$$\nPart (b): squaring gives\n$$v = a^2$$"]),
    )
    al = align(t, rubric)
    assert [a.text() for a in al.attempts["q1b"]] == ["Part (b): squaring gives\n$$v = a^2$$"]
    assert finals(t, rubric)["q1a"] == "correct"


def test_a_turn_after_a_prompt_naming_no_part_goes_on_to_later_parts(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve 1(a)."]),
        ("assistant", ["(a) Doubling: $v = 2a$."]),
        ("user", ["This matches the textbook."]),
        ("assistant", ["One more check of the above: $v = 2a$.", "Part (b): then", "$v = a^2$"]),
    )
    al = align(t, rubric)
    by_turn = {pid: [(a.turn, [bi for bi, _ in a.blocks]) for a in atts] for pid, atts in al.attempts.items()}
    assert by_turn["q1a"] == [(1, [0]), (3, [0])]
    assert by_turn["q1b"] == [(3, [1, 2])]
    assert by_turn["q1c"] == []


def test_a_continuing_turn_does_not_go_back_to_earlier_parts(rubric: Rubric) -> None:
    # "(a)" inside a continued answer to (c) is a list item, not a return to part (a)
    t = chat(
        ("user", ["Solve 1(c)."]),
        ("assistant", ["(c) $v = a + 1$"]),
        ("user", ["ok"]),
        ("assistant", ["Two remarks:", "(a) the shift is one", "(b) it holds for every a"]),
    )
    al = align(t, rubric)
    assert [a.turn for a in al.attempts["q1c"]] == [1, 3]
    assert al.attempts["q1a"] == [] and al.attempts["q1b"] == []


def test_a_prompt_naming_one_part_keeps_its_whole_answer(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve problem 1(c)."]),
        ("assistant", ["(c) $v = a + 1$", "(d) as a side note, tripling gives $v = 3a$"]),
    )
    al = align(t, rubric)
    assert al.attempts["q1d"] == []


def test_the_quantity_a_heading_names_is_the_answer_of_a_one_answer_part(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve 2(a) and 2(b)."]),
        (
            "assistant",
            [
                "### (a) $\\mathbb{E}[z^\\top z]$",
                "$$\\mathbb{E}[z_i^2] = 1$$",
                "$$E[z^T z] = n$$",
                "### (b) $\\mathrm{Var}(z^\\top z)$",
                "$$\\mathrm{Var}(z^\\top z) = 2n$$",
            ],
        ),
    )
    got = finals(t, rubric)
    assert got["q2a"] == "correct"
    assert got["q2b"] == "unanswered"  # two answers: the heading does not say which one the value is


@pytest.mark.parametrize(
    "heading,expected",
    [
        ("### (a) $\\mathbb{E}[q^T k]$ for $\\mu = 0$", ["\\mathbb{E}[q^T k]"]),
        ("(h) Compute $X$ from $X \\sim N(0, 1)$", []),  # a bare name and a relation are not quantities
        ("(b) $\\frac{\\partial L}{\\partial W}$", ["\\frac{\\partial L}{\\partial W}"]),
        ("Some prose with $f(x)$ that is no heading at all", []),
    ],
)
def test_heading_quantities(heading: str, expected: list[str]) -> None:
    section = Section("q1a", 1, [(0, Block(kind="text", text=heading + "\nbody"))])
    assert heading_quantities(section.blocks) == expected


def test_a_part_named_in_prose_is_asked_within_the_question_at_hand(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve problem 1(a) first."]),
        ("assistant", ["$v = 2a$"]),
        ("user", ["Good. Now answer part (c), using what you found in part (a)."]),
        ("assistant", ["$v = a + 1$"]),
        ("user", ["Then parts (b) and (d)."]),
        ("assistant", ["(b) $v = a^2$", "(d) $v = 3a$"]),
    )
    got = finals(t, rubric)
    assert (got["q1a"], got["q1b"], got["q1c"], got["q1d"]) == ("correct",) * 4
    al = align(t, rubric)
    assert [a.turn for a in al.attempts["q1a"]] == [1]  # "in part (a)" refers back: not asked again


def test_a_part_named_in_prose_without_a_question_at_hand_names_nothing(rubric: Rubric) -> None:
    from grader.align_labels import parts_in_text

    assert parts_in_text("Please answer part (a).", rubric) == []  # part (a) of question 1 or 2?
    assert parts_in_text("Please answer part (a).", rubric, "2") == ["q2a"]


def test_a_model_turn_that_follows_another_goes_on_past_the_part_it_opens_with(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Walk me through question 1, one part per message."]),
        ("assistant", ["(a) Doubling: $v = 2a$."]),
        ("assistant", ["Part (b): squaring.\n$$v = a^2$$\nPart (c): the shift.\n$$v = a + 1$$"]),
    )
    got = finals(t, rubric)
    assert (got["q1a"], got["q1b"], got["q1c"]) == ("correct", "correct", "correct")


def test_bare_labels_in_a_continuing_turn_stay_in_its_question(rubric: Rubric) -> None:
    # question 2 has no part (c) or (d): here they label blanks of the answer, not parts of question 1
    t = chat(
        ("user", ["Solve problem 2(a)."]),
        ("assistant", ["The mean: $E[z^T z] = n$."]),
        (
            "assistant",
            [
                "Continuing from where the last message stopped.",
                "Recap:\n1. expand the sum\n2. take means",
                "The blanks:\n(c) the mean\n(d) the sum\nso $E[z^T z] = n$.",
            ],
        ),
    )
    al = align(t, rubric)
    assert [a.turn for a in al.attempts["q2a"]] == [1, 2]
    assert al.attempts["q1c"] == [] and al.attempts["q1d"] == []


def test_a_continuing_turn_may_name_another_question_with_its_number(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve problem 2(a)."]),
        ("assistant", ["The mean: $E[z^T z] = n$."]),
        ("assistant", ["## Question 1", "(c) $v = a + 1$"]),
    )
    assert finals(t, rubric)["q1c"] == "correct"
