"""Alignment reads the question text: pasted questions find their parts; any homework's numbering."""

from __future__ import annotations

from grader.align import align, parts_in_text
from grader.course.part_match import PartMatcher
from grader.course.synthetic import parts_of_questions, stand_in_rubric
from grader.models import Block, Transcript, Turn
from grader.rubric import get_rubric
from tests.course.test_detect import OTTERS

RUBRIC = stand_in_rubric("toy-hw1", parts_of_questions(OTTERS))


def chat(*turns: tuple[str, str | list[str]]) -> Transcript:
    out = []
    for i, (role, text) in enumerate(turns):
        texts = [text] if isinstance(text, str) else text
        out.append(Turn(index=i, role=role, blocks=[Block(kind="text", text=t) for t in texts]))  # type: ignore[arg-type]
    return Transcript(source="x.md", format="role-markdown", turns=out)


def attempts(transcript: Transcript, with_questions: bool = True) -> dict[str, list[int]]:
    al = align(transcript, RUBRIC, OTTERS if with_questions else None)
    return {pid: [a.turn for a in atts] for pid, atts in al.attempts.items() if atts}


def test_pasted_question_text_finds_its_part() -> None:
    t = chat(
        ("user", OTTERS.part("q1c").text),  # type: ignore[union-attr]
        ("assistant", "Because growth slows near K."),
        ("user", OTTERS.part("q1a").text),  # type: ignore[union-attr]
        ("assistant", "About forty otters."),
    )
    assert attempts(t) == {"q1a": [3], "q1c": [1]}
    # without the question text, nothing tells which part these prompts are
    assert attempts(t, with_questions=False) == {}


def test_an_answer_section_that_quotes_a_part_starts_it() -> None:
    # one model turn answering two parts without headings, each section quoting its question
    t = chat(
        ("user", "Solve the otter questions."),
        (
            "assistant",
            [
                "We are asked to " + OTTERS.part("q1a").text.lower(),  # type: ignore[union-attr]
                "Forty otters.",
                "Next: " + OTTERS.part("q1b").text.lower(),  # type: ignore[union-attr]
                "The rate doubles.",
            ],
        ),
    )
    al = align(t, RUBRIC, OTTERS)
    (a,) = al.attempts["q1a"]
    (b,) = al.attempts["q1b"]
    assert [bi for bi, _ in a.blocks] == [0, 1] and [bi for bi, _ in b.blocks] == [2, 3]


def test_a_submission_read_as_one_turn_is_split_by_its_numbering() -> None:
    hw7 = get_rubric("cs182-fa25-hw7")
    t = chat(
        (
            "assistant",
            [
                "My write-up of the homework, with the model's answers.",
                "## Problem 3b: PCA and autoencoders",
                "(i) First order conditions",
                "The gradients vanish.",
                "(ii) Principal components",
                "U_k satisfies them.",
                "## Problem 4",
                "(a) Baseline and final",
                "341 s and 94%.",
            ],
        )
    )
    al = align(t, hw7)
    got = {pid: [bi for bi, _ in atts[0].blocks] for pid, atts in al.attempts.items() if atts}
    # "## Problem 4" names a question of several parts: it sets the context, the "(a)" heading starts q4a
    assert got == {"q3b_i": [0, 1, 2, 3], "q3b_ii": [4, 5, 6], "q4a": [7, 8]}


def test_numbering_of_any_homework() -> None:
    # letters past h and roman numerals past v
    rubric = stand_in_rubric(
        "x", [("q5l", "5", "l", ""), ("q4a_ix", "4", "a(ix)", ""), ("q4a_i", "4", "a(i)", "")]
    )
    assert parts_in_text("Now do Problem 5(l), please.", rubric) == ["q5l"]
    assert parts_in_text("Q4 a) (ix) next", rubric) == ["q4a_ix"]


def test_matcher_in_parts_in_text() -> None:
    text = "Here is the next one: " + OTTERS.part("q1b").text  # type: ignore[union-attr]
    assert parts_in_text(text, RUBRIC) == []
    assert parts_in_text(text, RUBRIC, matcher=PartMatcher(OTTERS)) == ["q1b"]
