"""Replies told apart by the homework's question headings, in PDFs with no other turn cue (built here)."""

from __future__ import annotations

from typing import Any

import pytest

pymupdf = pytest.importorskip("pymupdf")

from grader.transcripts.pdf import read_pdf  # noqa: E402
from grader.transcripts.pdf.question_headings import question_number  # noqa: E402

BODY = "We solve the recurrence step by step and state the answer at the end of this part."


def _doc(lines: list[tuple[Any, ...]]) -> bytes:
    """A plain typeset document: (text, size, bold[, leading]) lines from the left margin, new pages as
    needed; ``leading`` is the line's distance below the previous one in sizes (a bold line in lower case is
    the next line of the heading above it: set close under it)."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 72.0
    for text, size, bold, *leading in lines:
        if y > 770:
            page = doc.new_page(width=595, height=842)
            y = 72.0
        y += size * (leading[0] if leading else 1.2 if text[:1].islower() else 1.6 if bold else 1.3)
        page.insert_text((72, y), text, fontsize=size, fontname="hebo" if bold else "helv")
    return bytes(doc.tobytes())


def _section(heading: str, size: float = 17, paragraphs: int = 3) -> list[tuple[Any, ...]]:
    return [(heading, size, True)] + [(BODY, 11, False)] * paragraphs


def _starts(transcript: Any) -> list[str]:
    return [t.blocks[0].text.lstrip("# ").split("\n")[0] for t in transcript.turns]


# ------------------------------------------------------------------ which headings name one question
@pytest.mark.parametrize(
    "text,expected",
    [
        # the forms solution documents use
        ("Question 1", 1),
        ("Question 2.", 2),
        ("Answers to Homework 4, Question 3", 3),
        ("Problem 4(b): Weight decay", 4),
        ("Q5: Dropout", 5),
        ("3. Depthwise Separable Convolutions", 3),
        # several questions, a part, prose: not a question's heading
        ("Written Part (Questions 2, 3, 4, 5)", None),
        ("Problems 1-3", None),
        ("(a) Stability of the recurrence", None),
        ("Summary", None),
        ("In Question 2 we saw that the step size must stay below two over the largest eigenvalue", None),
    ],
)
def test_question_number(text: str, expected: int | None) -> None:
    assert question_number(text) == expected


# ------------------------------------------------------------------ documents
def test_solution_document_split_at_question_headings() -> None:
    lines = [("Solutions to Homework 1", 20, True), ("A. Student, November 2025", 11, False)]
    lines += _section("Question 1")
    lines += _section("(a) Stability of the recurrence", size=14)
    lines += _section("Question 2.")
    lines += _section("(a) Min-norm solution", size=14)
    lines += _section("Answers to Homework 4, Question 3")
    t = read_pdf(_doc(lines), "solutions.pdf")
    assert [turn.role for turn in t.turns] == ["assistant"] * 3
    assert _starts(t)[1:] == ["Question 2.", "Answers to Homework 4, Question 3"]
    assert "Question 1" in t.turns[0].text() and "Min-norm" in t.turns[1].text()
    head = t.turns[2].blocks[0]
    assert head.meta["turn_break"]["question"] == 3 and head.meta["turn_break"]["previous"] == 2
    assert any("question heading" in e for e in head.meta["evidence"])
    assert all(turn.role_inferred for turn in t.turns)
    assert any("question headings" in w for w in t.warnings)


def test_part_headings_set_smaller_do_not_split() -> None:
    lines = _section("Question 1") + _section("Problem 2 revisited", size=13) + _section("Question 2")
    t = read_pdf(_doc(lines), "solutions.pdf")
    assert _starts(t) == ["Question 1", "Question 2"]


def test_a_heading_that_goes_back_is_no_new_question() -> None:
    lines = _section("Question 2") + _section("Question 1") + _section("Question 3")
    t = read_pdf(_doc(lines), "solutions.pdf")
    assert _starts(t) == ["Question 2", "Question 3"]
    assert "Question 1" in t.turns[0].text()


def test_closing_section_at_question_level_keeps_one_document() -> None:
    lines = _section("Question 1") + _section("Question 2") + _section("Summary")
    t = read_pdf(_doc(lines), "solutions.pdf")
    assert len(t.turns) == 1
    assert not any("turn_break" in b.meta for b in t.turns[0].blocks)
    assert any("everything is read as the model's" in w for w in t.warnings)


def test_one_question_heading_is_no_split() -> None:
    t = read_pdf(_doc(_section("Question 4") + _section("(a) Adam", size=14)), "solutions.pdf")
    assert len(t.turns) == 1


def test_wrapped_heading_line_is_no_closing_section() -> None:
    lines = _section("Question 1") + [("Question 2: Alternate MAP Interpretation of Ridge Re-", 17, True)]
    lines += _section("gression")
    t = read_pdf(_doc(lines), "solutions.pdf")
    assert len(t.turns) == 2


def test_labelled_chat_is_not_cut_at_headings() -> None:
    lines = [("User:", 11, True), ("Please solve questions 1 and 2 of the homework.", 11, False)]
    lines += [("Assistant:", 11, True)] + _section("Question 1") + _section("Question 2")
    lines += [("User:", 11, True), ("Thanks, now question 3.", 11, False), ("Assistant:", 11, True)]
    lines += _section("Question 3")
    t = read_pdf(_doc(lines), "chat.pdf")
    assert [turn.role for turn in t.turns] == ["user", "assistant", "user", "assistant"]
    assert not any("turn_break" in b.meta for turn in t.turns for b in turn.blocks)


def test_heading_right_under_a_title_still_counts() -> None:
    # "Question 1" sits as close under the title as a wrapped line would: it names a question, so it is a
    # heading of its own
    lines: list[tuple[Any, ...]] = [("Solutions to Homework 1", 17, True), ("Question 1", 17, True, 1.2)]
    lines += [(BODY, 11, False)] * 3 + _section("Question 2")
    t = read_pdf(_doc(lines), "solutions.pdf")
    assert _starts(t) == ["Solutions to Homework 1", "Question 2"]
    assert t.turns[1].blocks[0].meta["turn_break"]["previous"] == 1


def test_word_document_split_at_question_headings() -> None:
    docx = pytest.importorskip("docx")
    import io

    from grader.transcripts.docx import read_docx

    document = docx.Document()
    document.add_heading("Solutions to Homework 3", level=0)
    for number in (1, 2, 3):
        document.add_heading(f"Problem {number}", level=1)
        for _ in range(3):
            document.add_paragraph(BODY)
    buffer = io.BytesIO()
    document.save(buffer)
    t = read_docx(buffer.getvalue(), "solutions.docx")
    assert [turn.role for turn in t.turns] == ["assistant"] * 3
    assert _starts(t)[1:] == ["Problem 2", "Problem 3"]
    assert all(turn.role_inferred for turn in t.turns)
