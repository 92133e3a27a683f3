"""The student's own headings between exchanges (grader.align_notes) and how alignment reads them, and a
heading that closes a model turn (synthetic transcripts and notes written for these tests)."""

from __future__ import annotations

import pytest

from grader.align import align
from grader.align_notes import heading_note, notes_after_answer, notes_heading
from grader.models import Block, Transcript, Turn
from grader.rubric import Rubric, parse_rubric_text
from tests.chats import chat, finals, value_rubric

RUBRIC = value_rubric("toy-notes", {"q1a": "2 a", "q1b": "a^2", "q2a": "a + 1", "q2b": "3 a"})


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return parse_rubric_text(RUBRIC, "toy-notes.yaml")


def _note(text: str) -> Block:
    return Block(kind="annotation", text=text)


@pytest.mark.parametrize(
    "text,expected",
    [
        # headings, with the document's section number set aside
        ("Part (b): Momentum Update Rule", "(b)"),
        ("1.5 e)", "e)"),
        ("2.4 Problem 3: Weight Decay and Early Stopping", "Problem 3"),
        ("Problem 2: Stochastic Gradient Descent", "Problem 2"),
        ("Question 4 (c)", "Problem 4 (c)"),
        # a heading run on into its paragraph: a section number or a titled label still tells
        (
            "4.1 Problem 4: Layer Normalisation (Backward Pass) Problem 4 asks for the gradient of the scale",
            "Problem 4",
        ),
        (
            "Part (c): Kernel Width and Smoothness. For the subparts below, I pasted the figure as an image",
            "(c)",
        ),
        # commentary, not headings
        ("Evaluation: Correct, one-shot.", None),
        ("Part 1: Executive Summary", None),
        ("Part c: although the padding keeps the length, the stride halves it at every layer", None),
        ("f) the model agrees with the key once it is shown the figure a second time", None),
        ("Question 4 seems to have been the hardest part for the model in the whole assignment", None),
    ],
)
def test_heading_note(text: str, expected: str | None) -> None:
    assert heading_note(_note(text)) == expected


def test_only_annotations_make_notes() -> None:
    assert heading_note(Block(kind="text", text="Part (b): the model's own heading")) is None


def test_notes_after_answer_are_those_after_the_last_chat_text() -> None:
    turn = Turn(
        index=1,
        role="assistant",
        blocks=[_note("Part (a): Mean"), Block(kind="text", text="$v = 2a$"), _note("Part (b): Variance")],
    )
    assert notes_after_answer(turn) == ["(b)"]
    user = Turn(index=2, role="user", blocks=[_note("Problem 2"), Block(kind="text", text="Solve it.")])
    assert notes_after_answer(user) == ["Problem 2"]


def test_notes_heading_and_a_table_of_contents() -> None:
    assert notes_heading(["Problem 2", "(b)"]) == ("Problem 2\n(b)", "2")
    assert notes_heading(["(b)"]) == ("(b)", None)
    assert notes_heading([]) is None
    assert notes_heading(["Problem 1", "Problem 2", "Problem 3"]) is None  # a table of contents


def _with_notes(*turns: tuple[str, list[Block]]) -> Transcript:
    return Transcript(
        source="x.pdf",
        format="pdf",
        turns=[Turn(index=i, role=role, blocks=blocks) for i, (role, blocks) in enumerate(turns)],  # type: ignore[arg-type]
    )


def _text(t: str) -> Block:
    return Block(kind="text", text=t)


def test_the_students_headings_name_the_parts_no_prompt_names(rubric: Rubric) -> None:
    t = _with_notes(
        ("user", [_note("Problem 2: Second question"), _note("Part (a): The value"), _text("Solve this.")]),
        (
            "assistant",
            [_text("We find $v = a + 1$."), _note("Evaluation: correct."), _note("Part (b): Triple")],
        ),
        ("user", [_text("Now solve the next one from the image.")]),
        ("assistant", [_text("Here $v = 3a$.")]),
    )
    a = align(t, rubric)
    assert [at.turn for at in a.attempts["q2a"]] == [1]
    assert [at.turn for at in a.attempts["q2b"]] == [3]
    assert not a.attempts["q1a"] and not a.attempts["q1b"]
    assert finals(t, rubric)["q2b"] == "correct"


def test_a_prompt_that_names_its_part_wins_over_the_heading(rubric: Rubric) -> None:
    t = _with_notes(
        ("user", [_note("Part (b): Square"), _text("Solve problem 1(a).")]),
        ("assistant", [_text("$v = 2a$")]),
    )
    a = align(t, rubric)
    assert [at.turn for at in a.attempts["q1a"]] == [1]
    assert not a.attempts["q1b"]


def test_a_table_of_contents_names_no_part(rubric: Rubric) -> None:
    t = _with_notes(
        ("user", [_note("1 Problem 1: First 2"), _note("2 Problem 2: Second 5"), _text("Hello, ready?")]),
        ("assistant", [_text("Yes, send the first question when you are ready to start working on it.")]),
    )
    a = align(t, rubric)
    assert not any(a.attempts.values())


def test_a_heading_that_closes_a_turn_heads_the_next_answer(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve problem 1(a)."]),
        ("assistant", ["(a) We get $v = 2a$.", "## 1 (b)"]),
        ("user", ["Now do the next part from the image I attached."]),
        ("assistant", ["The value is $v = a^2$."]),
    )
    a = align(t, rubric)
    # the heading at the foot of turn 1 is no attempt at (b): its answer is turn 3
    assert [at.turn for at in a.attempts["q1b"]] == [3]
    got = grade_first(t, rubric)
    assert got["q1b"] == "correct"


def test_a_heading_with_its_answer_on_the_line_stays_an_attempt(rubric: Rubric) -> None:
    t = chat(
        ("user", ["Solve problem 1."]),
        ("assistant", ["(a) We get $v = 2a$.", "(b) $v = a^2$"]),
    )
    a = align(t, rubric)
    assert [at.turn for at in a.attempts["q1b"]] == [1]
    # a labelled line with a word may be the answer itself ("(b) Yes"): only a document heading moves
    t = chat(("user", ["Solve problem 1."]), ("assistant", ["(a) We get $v = 2a$.", "(b) The square"]))
    assert [at.turn for at in align(t, rubric).attempts["q1b"]] == [1]


def grade_first(t: Transcript, rubric: Rubric) -> dict[str, str]:
    from grader.pipeline import grade

    return {p.id: p.first for p in grade(t, rubric).parts}
