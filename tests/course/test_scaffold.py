"""`grader rubric new`: a rubric skeleton with a question PDF's parts, loadable, with short titles."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.cli import main
from grader.course.pdf_questions import read_question_pdf
from grader.course.phrases import MAX_WORDS
from grader.course.scaffold import scaffold_rubric
from grader.course.text import words
from grader.rubric import load_rubric_file


@pytest.fixture()
def skeleton(toy_pdf: Path, tmp_path: Path) -> Path:
    out = tmp_path / "toy-hw3.yaml"
    out.write_text(scaffold_rubric(read_question_pdf(toy_pdf, "toy-hw3")), encoding="utf-8")
    return out


def test_skeleton_loads_with_the_pdf_numbering(skeleton: Path, toy_pdf: Path) -> None:
    rubric = load_rubric_file(skeleton)
    qs = read_question_pdf(toy_pdf, "toy-hw3")
    assert rubric.id == "toy-hw3"
    assert [p.id for p in rubric.parts] == [p.id for p in qs.parts()]
    part = rubric.part("q1c_ii")
    assert (part.question, part.label) == ("1", "c(ii)")
    assert rubric.part("q4a").points == 4  # printed in the PDF
    assert all(a.kind == "free_text" for p in rubric.parts for a in p.answers)


def test_titles_are_a_few_words_of_the_part_never_its_text(skeleton: Path, toy_pdf: Path) -> None:
    rubric = load_rubric_file(skeleton)
    qs = read_question_pdf(toy_pdf, "toy-hw3")
    for part in rubric.parts:
        source = qs.part(part.id)
        assert source is not None
        title = words(part.title)
        assert 2 <= len(title) <= MAX_WORDS
        assert " ".join(title) in " ".join(words(source.text + " " + qs.question(part.question).title))  # type: ignore[union-attr]
        if len(words(source.text)) > MAX_WORDS:
            assert len(title) < len(words(source.text))
        # the identify phrase matches the part's own words
        assert part.identified_in(source.text.replace("\n", " ")), part.id


def test_the_most_specific_words_are_chosen(skeleton: Path) -> None:
    rubric = load_rubric_file(skeleton)
    assert "pelican" in rubric.part("q1c_i").title
    # (a)-(h) share "the quokka feature map and its variance bound"; (i)'s own words are chosen
    assert "ninth estimate" in rubric.part("q3i").title


def test_todo_markers(skeleton: Path) -> None:
    text = skeleton.read_text(encoding="utf-8")
    assert "reference_module" not in text and "TODO: kind and reference" in text
    assert text.count("# TODO: points") == len(load_rubric_file(skeleton).parts) - 1  # q4a has its points
    assert "# optional in the PDF" in text


def test_cli_rubric_new(toy_pdf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r" / "toy-hw3.yaml"
    out.parent.mkdir()
    assert main(["rubric", "new", "--questions", str(toy_pdf), "--id", "toy-hw3", "--out", str(out)]) == 0
    assert "16 parts in 4 questions" in capsys.readouterr().out
    assert load_rubric_file(out).id == "toy-hw3"
    # refuses to overwrite without --force
    assert main(["rubric", "new", "--questions", str(toy_pdf), "--id", "toy-hw3", "--out", str(out)]) == 2
    assert main(["rubric", "new", "--questions", str(toy_pdf), "--out", str(out), "--force"]) == 0
    assert load_rubric_file(out).id == "hw3"  # the PDF's stem by default
    # to standard output
    assert main(["rubric", "new", "--questions", str(toy_pdf)]) == 0
    assert "id: hw3" in capsys.readouterr().out


@pytest.mark.parametrize("argv_tail", [["--id", "Bad Id"], ["--questions", "nowhere.pdf"]])
def test_cli_rubric_new_usage_errors(
    toy_pdf: Path, argv_tail: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rubric", "new", "--questions", str(toy_pdf), *argv_tail]) == 2
    assert "error" in capsys.readouterr().err
