"""Every attempt says why alignment gave it to its part: the prompt, the student's note, the reply's own
heading or quoted question text, or continuity with the previous answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.align import align
from grader.models import Block, Transcript, Turn
from grader.pipeline import grade
from grader.reports import render_html, render_markdown
from grader.rubric import Rubric, parse_rubric_text
from grader.transcripts import read_path
from tests.chats import chat

RUBRIC = r"""
id: toy-evidence
title: "Parts whose alignment is explained"
parts:
  - {id: q1a, question: "1", label: "a", points: 1, answers: [{id: v, kind: number, points: 1, reference: 3}]}
  - {id: q1b, question: "1", label: "b", points: 1, answers: [{id: v, kind: number, points: 1, reference: 5}]}
  - {id: q2a, question: "2", label: "a", points: 1, answers: [{id: v, kind: number, points: 1, reference: 8}]}
"""


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "toy-evidence.yaml")


def evidence(transcript: Transcript, rubric: Rubric) -> dict[str, list[list[str]]]:
    return {
        pid: [a.evidence for a in atts] for pid, atts in align(transcript, rubric).attempts.items() if atts
    }


def test_the_prompt_and_the_headings_are_recorded(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Please do problem 1."]),
        ("assistant", ["### (a)", "The value is $\\boxed{3}$.", "### (b)", "The value is $\\boxed{5}$."]),
    )
    ev = evidence(t, rubric)
    assert ev["q1a"] == [["the prompt (turn 0) names q1a, q1b", "heading '### (a)'"]]
    assert ev["q1b"] == [["the prompt (turn 0) names q1a, q1b", "heading '### (b)'"]]


def test_a_follow_up_that_names_nothing_continues_the_last_part(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve 2(a)."]),
        ("assistant", ["It is $\\boxed{7}$."]),
        ("user", ["Check that once more."]),
        ("assistant", ["Corrected: it is $\\boxed{8}$."]),
    )
    assert evidence(t, rubric)["q2a"] == [
        ["the prompt (turn 0) names q2a"],
        ["continues the previous answer (q2a)"],
    ]


def test_a_student_note_is_the_evidence_when_the_prompt_names_nothing(rubric: Rubric) -> None:
    note = Block(kind="annotation", text="Part (b)")
    turns = [
        Turn(index=0, role="user", blocks=[Block(kind="text", text="Solve 1(a).")]),
        Turn(index=1, role="assistant", blocks=[Block(kind="text", text="It is $\\boxed{3}$."), note]),
        Turn(index=2, role="user", blocks=[Block(kind="text", text="Here is the next one, solve it.")]),
        Turn(index=3, role="assistant", blocks=[Block(kind="text", text="It is $\\boxed{5}$.")]),
    ]
    ev = evidence(Transcript(source="x.md", format="role-markdown", turns=turns), rubric)
    assert ev["q1b"] == [["the student's heading note names q1b"]]


def test_the_report_says_why(rubric: Rubric) -> None:
    t = chat(("user", ["Solve 2(a)."]), ("assistant", ["It is $\\boxed{8}$."]))
    report = grade(t, rubric)
    part = report.part("q2a")
    assert part is not None and part.attempts[0].aligned_by == ["the prompt (turn 0) names q2a"]
    assert "Aligned by: the prompt (turn 0) names q2a" in render_markdown(report)
    html = render_html(report)
    assert (
        '<div class="aligned-by" data-part="q2a">q2a aligned by: the prompt (turn 0) names q2a</div>' in html
    )


# --------------------------------------------------------------------------- a reply's own numbering


def test_a_reply_that_opens_with_another_question_overrides_continuity(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve 1(b)."]),
        ("assistant", ["It is $\\boxed{5}$."]),
        ("user", ["Here is the next one."]),
        ("assistant", ["## Problem 2(a)", "The count comes to $\\boxed{8}$."]),
    )
    ev = evidence(t, rubric)
    assert [a[0] for a in ev["q2a"]] == ["the reply's heading '## Problem 2(a)' names q2a (over continuity)"]
    assert len(ev["q1b"]) == 1  # the second reply is not another attempt at 1(b)


def test_a_bare_label_does_not_override_continuity(rubric: Rubric) -> None:
    # "(a)" names no question: the follow-up stays within question 1 (never 2(a))
    t = chat(
        ("user", ["Solve 1(b)."]),
        ("assistant", ["It is $\\boxed{5}$."]),
        ("user", ["And the other one?"]),
        ("assistant", ["(a) It is $\\boxed{3}$."]),
    )
    ev = evidence(t, rubric)
    assert set(ev) <= {"q1a", "q1b"}


def test_a_heading_of_the_same_question_keeps_continuity(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve 1(a)."]),
        ("assistant", ["It is $\\boxed{3}$."]),
        ("user", ["Continue."]),
        ("assistant", ["### 1(b)", "It is $\\boxed{5}$."]),
    )
    ev = evidence(t, rubric)
    assert ev["q1b"] == [["continues the previous answer (q1a)", "heading '### 1(b)'"]]


# --------------------------------------------------------------------------- several files


def test_a_file_named_for_a_question_gives_its_replies_that_question(rubric: Rubric) -> None:
    reply = ["(a) Setting up the sum gives $\\boxed{8}$."]
    t = chat(("user", [""]), ("assistant", reply), source="problem2.md")
    ev = evidence(t, rubric)
    assert list(ev) == ["q2a"]
    assert ev["q2a"][0][0] == "the reply's opening names q2a (question 2 from the file's name 'problem2.md')"
    # the same reply in a file with no question in its name: "(a)" of which question, nothing says
    assert set(evidence(chat(("user", [""]), ("assistant", reply), source="notes.md"), rubric)) == {
        "q1a",
        "q2a",
    }


def test_a_file_name_never_overrides_the_prompt(rubric: Rubric) -> None:
    t = chat(("user", ["Solve 1(a)."]), ("assistant", ["It is $\\boxed{3}$."]), source="problem2.md")
    assert evidence(t, rubric) == {"q1a": [["the prompt (turn 0) names q1a"]]}


@pytest.mark.parametrize(
    "name,question",
    [
        ("answer_prob2.md", "2"),
        ("q2.pdf", "2"),
        ("hw5-question-02.md", "2"),
        ("Problem_1_solution.pdf", "1"),
        ("my_chat.md", None),  # no question in the name
        ("problem1_and_problem2.md", None),  # two questions: the name decides nothing
        ("problem7.md", None),  # not a question of the homework
        ("botq1.pdf", None),  # "q" inside a word is not a question number
    ],
)
def test_question_in_file_name(name: str, question: str | None) -> None:
    from grader.align_own import question_in_file_name

    toy = parse_rubric_text(
        RUBRIC.replace("toy-evidence", "toy-files")
        + '  - {id: q1c, question: "1", label: "c", points: 1, answers: [{id: v, kind: number, points: 1, reference: 1}]}\n',
        "toy-files.yaml",
    )
    assert question_in_file_name(name, toy) == question


def test_a_submission_of_several_files_aligns_each_by_its_name(rubric: Rubric, tmp_path: Path) -> None:
    # each file of the submission answers one question; its prompt names none ("solve this one")
    chat_file = (
        "## User\n\nSolve this one, please.\n\n## Assistant\n\n### (a)\n\nThe sum is $\\boxed{{{v}}}$.\n"
    )
    (tmp_path / "problem1.md").write_text(chat_file.format(v=3), encoding="utf-8")
    (tmp_path / "problem2.md").write_text(chat_file.format(v=8), encoding="utf-8")
    (tmp_path / "notes.md").write_text(chat_file.format(v=8), encoding="utf-8")
    reached = {}
    for name in ("problem1.md", "problem2.md", "notes.md"):
        attempts = align(read_path(tmp_path / name), rubric).attempts
        reached[name] = sorted(pid for pid, atts in attempts.items() if atts)
    assert reached == {
        "problem1.md": ["q1a"],
        "problem2.md": ["q2a"],
        "notes.md": [],
    }  # nothing names a question
    report = grade(read_path(tmp_path / "problem2.md"), rubric)
    assert {p.id: p.final for p in report.parts}["q2a"] == "correct"


# --------------------------------------------------------------------------- order


ORDER_RUBRIC = r"""
id: toy-order
title: "Parts answered in order"
parts:
  - {id: q1a, question: "1", label: "a", points: 1, answers: [{id: v, kind: number, points: 1, reference: 3}]}
  - {id: q1b, question: "1", label: "b", points: 1, answers: [{id: v, kind: number, points: 1, reference: 5}]}
  - {id: q1c, question: "1", label: "c", points: 1, answers: [{id: v, kind: number, points: 1, reference: 7}]}
  - {id: q1d, question: "1", label: "d", points: 1, answers: [{id: v, kind: number, points: 1, reference: 9}]}
  - {id: q2a, question: "2", label: "a", points: 1, answers: [{id: v, kind: number, points: 1, reference: 8}]}
"""


@pytest.mark.parametrize(
    "replies,placed",
    [
        # one reply between 1(a) and 1(c) that reached nothing: 1(b)
        ([(1, ["q1a"]), (3, []), (5, ["q1c"])], {3: "q1b"}),
        # two parts could fill the gap: order alone cannot tell
        ([(1, ["q1a"]), (3, []), (5, ["q1d"])], {}),
        # two replies in the gap: which one answers 1(b) is not known
        ([(1, ["q1a"]), (3, []), (4, []), (5, ["q1c"])], {}),
        # the part between already has an answer of its own
        ([(1, ["q1a", "q1b"]), (3, []), (5, ["q1c"])], {}),
        # answers of different questions on either side
        ([(1, ["q1d"]), (3, []), (5, ["q2a"])], {}),
        # nothing before the reply (a greeting before the first answer)
        ([(1, []), (3, ["q1a"])], {}),
    ],
)
def test_gap_parts(replies: list[tuple[int, list[str]]], placed: dict[int, str]) -> None:
    from grader.align_order import gap_parts

    rubric = parse_rubric_text(ORDER_RUBRIC, "toy-order.yaml")
    assert {turn: pid for turn, (pid, _) in gap_parts(replies, rubric).items()} == placed


def test_a_reply_between_two_parts_that_reached_nothing_answers_the_part_between() -> None:
    rubric = parse_rubric_text(ORDER_RUBRIC, "toy-order.yaml")
    # the middle reply carries a heading of a question the homework does not have (a wrong number)
    middle = "## Question 7\n\nAdding the two counts found in the previous step, each of them taken exactly once and with no overlap between the two groups, the value is $\\boxed{5}$."
    t = chat(
        ("user", ["Solve 1(a)."]),
        ("assistant", ["It is $\\boxed{3}$."]),
        ("user", ["Go on."]),
        ("assistant", [middle]),
        ("user", ["Solve 1(c)."]),
        ("assistant", ["It is $\\boxed{7}$."]),
    )
    attempts = align(t, rubric).attempts
    assert [a.turn for a in attempts["q1b"]] == [3]
    assert attempts["q1b"][0].evidence == ["between the answers to q1a and q1c (parts answered in order)"]
    assert {p.id: p.final for p in grade(t, rubric).parts}["q1b"] == "correct"
