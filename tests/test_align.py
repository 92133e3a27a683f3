"""Alignment of answers with parts: numbered headings, ambiguous labels in reading order, questions
asked as a whole, headings of other questions, and preface turns."""

from __future__ import annotations

import pytest

from grader.align import align, numbered_label, parts_in_text
from grader.models import Transcript
from grader.pipeline import grade
from grader.rubric import Rubric, parse_rubric_text
from tests.chats import chat

RUBRIC = r"""
id: toy-align
title: "Parts to align"
symbols:
  x: {kind: scalar}
parts:
  - {id: q1a, question: "1", label: "a", points: 1, identify: ["mean of the first"],
     answers: [{id: v, kind: number, points: 1, reference: 3}]}
  - {id: q1b, question: "1", label: "b", points: 1, identify: ["variance of the second"],
     answers: [{id: v, kind: number, points: 1, reference: 5}]}
  - {id: q1c, question: "1", label: "c", points: 1,
     answers: [{id: v, kind: number, points: 1, reference: 7}]}
  - {id: q2a_i, question: "2", label: "a(i)", points: 1, answers: [{id: v, kind: number, points: 1, reference: 1}]}
  - {id: q2a_ii, question: "2", label: "a(ii)", points: 1, answers: [{id: v, kind: number, points: 1, reference: 2}]}
  - {id: q2b_i, question: "2", label: "b(i)", points: 1, answers: [{id: v, kind: number, points: 1, reference: 3}]}
  - {id: q2h, question: "2", label: "h", points: 1, answers: [{id: v, kind: number, points: 1, reference: 8}]}
  - {id: q2i, question: "2", label: "i", points: 1, answers: [{id: v, kind: number, points: 1, reference: 9}]}
  - {id: q3, question: "3", points: 1, answers: [{id: v, kind: number, points: 1, reference: 4}]}
"""


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "toy-align.yaml")


def blocks_of(transcript: Transcript, rubric: Rubric) -> dict[str, list[int]]:
    al = align(transcript, rubric)
    # parts with blocks (a part the prompt asked and the reply left out has an empty attempt)
    return {
        pid: [bi for a in atts for bi, _ in a.blocks]
        for pid, atts in al.attempts.items()
        if any(a.blocks for a in atts)
    }


@pytest.mark.parametrize(
    "line,expected",
    [
        ("### 1(a) The mean", ("1", ["a"])),
        ("**2b.** Variance", ("2", ["b"])),
        ("2(b)(ii) the case", ("2", ["b", "ii"])),
        ("1. Answer each subquestion", None),  # a numbered list item
        ("## 2. A simple model", None),  # a numbered section title, not part 2(a)
        ("1(a)ii. The bound", ("1", ["a", "ii"])),  # a bare roman sub-label after the letter
        ("**3(c) iv:** the limit", ("3", ["c", "iv"])),
        ("1(a) in the limit", ("1", ["a"])),  # a word starting with a roman letter is no sub-label
        ("2(b) I think so", ("2", ["b"])),  # upper case "I" is a word
    ],
)
def test_numbered_label(line: str, expected: tuple[str, list[str]] | None) -> None:
    assert numbered_label(line) == expected


def test_headings_with_the_question_number_split_a_turn(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve problem 1."]),
        ("assistant", ["### 1(a)", "$$\\boxed{3}$$", "### 1(b)", "$$\\boxed{5}$$"]),
    )
    assert blocks_of(t, rubric) == {"q1a": [0, 1], "q1b": [2, 3]}


def test_a_part_the_answer_does_not_reach_stays_unanswered(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve problem 1."]),
        ("assistant", ["### 1(a)", "$$\\boxed{3}$$", "### 1(b)", "$$\\boxed{5}$$"]),
    )
    verdicts = {p.id: p.final for p in grade(t, rubric).parts if p.id.startswith("q1")}
    assert verdicts == {"q1a": "correct", "q1b": "correct", "q1c": "unanswered"}


def test_a_whole_question_asked_and_a_turn_without_headings(rubric: Rubric) -> None:
    # the turn names one part (its identifying phrase): only that part is answered
    t = chat(("user", ["Solve problem 1."]), ("assistant", ["The mean of the first sample is $\\boxed{3}$."]))
    assert blocks_of(t, rubric) == {"q1a": [0]}
    # nothing tells which part it answers: every part asked gets it (claims are picked per answer)
    t = chat(("user", ["Solve problem 1."]), ("assistant", ["It is $\\boxed{3}$."]))
    assert blocks_of(t, rubric) == {"q1a": [0], "q1b": [0], "q1c": [0]}
    # a part named in the prompt is answered whatever the turn says
    t = chat(("user", ["Solve problem 1(b)."]), ("assistant", ["It is $\\boxed{5}$."]))
    assert blocks_of(t, rubric) == {"q1b": [0]}


def test_ambiguous_labels_follow_reading_order(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve problem 2."]),
        (
            "assistant",
            [
                "Part (a): the first case",
                "(i) one",
                "(ii) two",
                "Part (b)",
                "(i) three",
                "(h) eight",
                "(i) nine",
            ],
        ),
    )
    assert blocks_of(t, rubric) == {
        "q2a_i": [0, 1],  # "Part (a)" opens at a(i), "(i)" continues it
        "q2a_ii": [2],
        "q2b_i": [3, 4],
        "q2h": [5],
        "q2i": [6],  # "(i)" after "(h)" is the letter part i
    }


def test_a_heading_of_another_question_ends_the_parts_asked(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve problem 1(a)."]),
        ("assistant", ["It is $\\boxed{3}$.", "## Question 3", "The count is $\\boxed{4}$."]),
    )
    assert blocks_of(t, rubric) == {"q1a": [0], "q3": [1, 2]}


def test_a_preface_turn_answers_nothing(rubric: Rubric) -> None:
    t = chat(
        ("user", ["I will paste the homework questions one by one."]),
        ("assistant", ["Ready! I will:\n1. Answer each subquestion\n2. Show the steps\n3. Box the result"]),
    )
    assert blocks_of(t, rubric) == {}


def test_user_lines_with_numbered_labels_name_parts(rubric: Rubric) -> None:
    assert parts_in_text("1(b) What is the variance?\n1(c) And then?", rubric) == ["q1b", "q1c"]


KEYED_RUBRIC = r"""
id: toy-keyed
title: "Blanks answered in one table"
vocabulary:
  hdq: ["[h, d, q]"]
  dq: ["[d, q]"]
  dk: ["[d, k]"]
  hdk: ["[h, d, k]"]
parts:
  - {id: q4a, question: "4", label: "a", points: 1,
     answers: [{id: shape, kind: name, points: 1, reference: hdq, context: ["A", "answer"]}]}
  - {id: q4b, question: "4", label: "b", points: 1,
     answers: [{id: shape, kind: name, points: 1, reference: dk, context: ["B", "answer"]}]}
"""


def _keyed_finals(table: str) -> dict[str, str]:
    """The final verdicts of KEYED_RUBRIC's parts for a reply that restates both questions, then answers
    in ``table`` (tab-separated rows) after them."""
    from grader.rubric import parse_rubric_text
    from tests.chats import chat, finals

    rubric = parse_rubric_text(KEYED_RUBRIC, "toy-keyed.yaml")
    reply = ["(a) What is A? [h, d, q] or [d, q]", "(b) What is B? [h, d, k] or [d, k]", "Solution", table]
    return finals(chat(("user", ["Solve problem 4."]), ("assistant", reply)), rubric)


def test_a_table_keyed_by_the_blanks_answers_each_part_it_keys() -> None:
    table = "item\tcorrect answer\twhy\nA\t[h, d, q]\tone projection per head\nB\t[h, d, k]\tshared keys"
    # B's row names a wrong option: positive evidence, so incorrect, read from B's row and not A's
    assert _keyed_finals(table) == {"q4a": "correct", "q4b": "incorrect"}


def test_a_key_shared_by_several_parts_gives_the_table_to_none_of_them() -> None:
    assert _keyed_finals("item\tvalue\nanswer\t[d, q]")["q4a"] != "incorrect"


BLANKS_RUBRIC = r"""
id: toy-blanks
title: "Blanks labelled like parts"
symbols:
  n: {kind: scalar, positive: true}
parts:
  - id: q3a
    question: "3"
    label: "a"
    points: 1
    answers:
      - id: blanks
        kind: concept
        points: 1
        ideas:
          - {id: first, text: "(a) is n", from: "question", match: ["blank + n"]}
          - {id: second, text: "(b) is softmax", from: "question", match: ["softmax"]}
  - {id: q3b, question: "3", label: "b", points: 1,
     answers: [{id: v, kind: expression, points: 1, reference: "2 n"}]}
"""


def test_a_blank_labelled_like_a_part_and_given_a_value_stays_in_its_part() -> None:
    from grader.rubric import parse_rubric_text
    from tests.chats import chat

    rubric = parse_rubric_text(BLANKS_RUBRIC, "toy-blanks.yaml")
    t = chat(
        ("user", ["Solve problem 3."]),
        (
            "assistant",
            [
                "Part (a): Fill in the blanks. The first blank holds n.",
                "(a) = n",
                "(b) = softmax, since the scores become probabilities.",
                "Part (b): the value is $v = 2n$.",
            ],
        ),
    )
    al = align(t, rubric)
    texts_a = " ".join(b.text for a in al.attempts["q3a"] for _, b in a.blocks)
    texts_b = " ".join(b.text for a in al.attempts["q3b"] for _, b in a.blocks)
    assert "(b) = softmax" in texts_a and "(b) = softmax" not in texts_b
    assert "v = 2n" in texts_b
