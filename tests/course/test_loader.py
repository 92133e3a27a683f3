"""Loading a course's question files: one PDF, a folder, a course.yaml; errors name the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.course.loader import load_course
from grader.errors import InputError
from tests.course.conftest import toy_homework


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "course"
    d.mkdir()
    toy_homework().write(d / "hw3.pdf")
    toy_homework().write(d / "hw5.pdf")
    return d


def test_folder_ids_take_the_prefix_of_a_known_rubric(folder: Path) -> None:
    course = load_course(folder, ["cs999-sp30-hw3", "cs999-sp30-hw1"])
    assert sorted(course.homeworks) == ["cs999-sp30-hw3", "cs999-sp30-hw5"]
    assert course.get("cs999-sp30-hw5").homework == "cs999-sp30-hw5"  # type: ignore[union-attr]


def test_folder_ids_are_stems_without_a_matching_rubric(folder: Path) -> None:
    assert sorted(load_course(folder, ["other-hw9"]).homeworks) == ["hw3", "hw5"]


def test_one_pdf(folder: Path) -> None:
    course = load_course(folder / "hw3.pdf")
    assert list(course.homeworks) == ["hw3"]
    assert len(course) == 1


def test_course_file(folder: Path) -> None:
    (folder / "sub").mkdir()
    (folder / "hw5.pdf").rename(folder / "sub" / "questions-five.pdf")
    (folder / "course.yaml").write_text(
        "course: x\nhomeworks:\n  - {id: x-hw3, questions: hw3.pdf}\n  - {id: x-hw5, questions: sub/questions-five.pdf}\n",
        encoding="utf-8",
    )
    # a folder holding course.yaml is read through it
    for path in (folder, folder / "course.yaml"):
        course = load_course(path)
        assert sorted(course.homeworks) == ["x-hw3", "x-hw5"]
        assert course.get("x-hw5").parts()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text, message",
    [
        ("homeworks:\n  - {id: a, questions: absent.pdf}\n", "not found"),
        ("homeworks:\n  - {id: a, questions: hw3.pdf}\n  - {id: a, questions: hw3.pdf}\n", "listed twice"),
        ("homeworks:\n  - {questions: hw3.pdf}\n", "needs 'id'"),
        ("just: [a, list\n", "invalid YAML"),
        ("- a\n- b\n", "'homeworks' list"),
    ],
)
def test_bad_course_files(folder: Path, text: str, message: str) -> None:
    (folder / "course.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as exc:
        load_course(folder)
    assert "course.yaml" in exc.value.where


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_course(tmp_path / "nowhere")
    with pytest.raises(InputError, match="no question PDF"):
        load_course(tmp_path)
