"""Reading a question PDF into questions and parts, on PDFs the tests build (and the course's, when present)."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.course.pdf_questions import read_question_pdf, read_question_pdf_bytes
from grader.errors import InputError
from tests.course.conftest import Layout, pymupdf


def test_questions_parts_and_numbering(toy_pdf: Path) -> None:
    qs = read_question_pdf(toy_pdf, "toy-hw3")
    assert qs.homework == "toy-hw3"
    assert qs.title == "Homework 3"
    assert [q.number for q in qs.questions] == ["1", "2", "3", "4"]
    assert [p.id for p in qs.parts()] == [
        "q1a", "q1b", "q1c_i", "q1c_ii",
        "q2",
        "q3a", "q3b", "q3c", "q3d", "q3e", "q3f", "q3g", "q3h", "q3i",
        "q4a", "q4b",
    ]  # fmt: skip
    assert qs.questions[0].title == "Gradient Flow on a Toy Quadratic"
    assert qs.part("q1c_ii") is not None and qs.part("q1c_ii").label == "c(ii)"  # type: ignore[union-attr]
    assert qs.part("q1c_ii").display == "1(c)(ii)"  # type: ignore[union-attr]


def test_part_text_and_context(toy_pdf: Path) -> None:
    qs = read_question_pdf(toy_pdf, "toy")
    q1b = qs.part("q1b")
    assert q1b is not None
    # the label is removed and a continuation line stays with its part
    assert q1b.text.startswith("Show that discretising")
    assert "largest stable step size" in q1b.text
    sub = qs.part("q1c_i")
    assert sub is not None
    assert sub.text == "Which coordinate of the pelican system converges first?"
    # a roman sub-part's context is the question's preamble and its lettered part's own text
    assert "Consider two curvatures at once." in sub.context
    assert "scalar quadratic loss" in sub.context
    # a question without lettered parts is one part with the question's text
    q2 = qs.part("q2")
    assert q2 is not None and "marmalade" in q2.text


def test_page_furniture_is_dropped(toy_pdf: Path) -> None:
    text = read_question_pdf(toy_pdf, "toy").text()
    assert "Course X" not in text
    assert "do not post" not in text


def test_an_algorithm_line_is_not_a_question(toy_pdf: Path) -> None:
    qs = read_question_pdf(toy_pdf, "toy")
    assert "5" not in [q.number for q in qs.questions]
    assert "5: Repeat" in qs.part("q2").text  # type: ignore[union-attr]


def test_letter_i_after_h_and_a_stray_subscript(toy_pdf: Path) -> None:
    qs = read_question_pdf(toy_pdf, "toy")
    q3i = qs.part("q3i")
    assert q3i is not None and q3i.text.startswith("Explain why the ninth estimate")
    # the "i." set far right on the line before is text, not a roman sub-part of (h)
    assert not any(p.id.startswith("q3h_") for p in qs.parts())


def test_a_section_heading_closes_the_question(toy_pdf: Path) -> None:
    qs = read_question_pdf(toy_pdf, "toy")
    assert "practice problems" not in qs.part("q3i").text  # type: ignore[union-attr]
    q4 = qs.question("4")
    assert q4 is not None and q4.page == 2


def test_points_and_optional_parts(toy_pdf: Path) -> None:
    qs = read_question_pdf(toy_pdf, "toy")
    assert qs.part("q4a").points == 4.0  # type: ignore[union-attr]
    assert qs.part("q4b").optional  # type: ignore[union-attr]
    assert not qs.part("q4a").optional  # type: ignore[union-attr]


def test_a_heading_wrapped_onto_two_lines(tmp_path: Path) -> None:
    lay = Layout()
    lay.heading("1. A Long Title About Learning Rates That Wraps Onto a Second Li-")
    lay.heading("ne of the Heading", font="helv")
    lay.part("(a)", "Find the learning rate.")
    qs = read_question_pdf(lay.write(tmp_path / "w.pdf"), "w")
    assert qs.questions[0].title.endswith("Second Line of the Heading")
    assert [p.id for p in qs.parts()] == ["q1a"]


# Bad input: a clear error naming the file
def test_not_a_pdf(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_question_pdf_bytes(b"hello, not a pdf", "x", "notes.pdf")
    assert exc.value.where == "notes.pdf"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_question_pdf(tmp_path / "absent.pdf", "x")


def test_pdf_without_numbered_questions(tmp_path: Path) -> None:
    lay = Layout()
    lay.body("Just a letter to the class, with no numbered question in it.")
    with pytest.raises(InputError, match="no numbered question"):
        read_question_pdf(lay.write(tmp_path / "letter.pdf"), "x")


def test_pdf_without_text(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.draw_rect(pymupdf.Rect(50, 50, 200, 200), color=(0, 0, 0))
    path = tmp_path / "scan.pdf"
    doc.save(str(path))
    with pytest.raises(InputError, match="no text layer"):
        read_question_pdf(path, "x")


def test_encrypted_pdf(tmp_path: Path, toy_pdf: Path) -> None:
    doc = pymupdf.open(str(toy_pdf))
    path = tmp_path / "locked.pdf"
    doc.save(str(path), encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    with pytest.raises(InputError, match="encrypted"):
        read_question_pdf(path, "x")
