"""`grader grade --questions`: question files found, homeworks without rubric reported, forced homeworks checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.cli import main
from tests.course.conftest import toy_homework

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def course_dir(tmp_path: Path) -> Path:
    d = tmp_path / "questions"
    d.mkdir()
    toy_homework().write(d / "hw99.pdf")  # a homework no rubric covers
    return d


@pytest.fixture()
def toy_chat(tmp_path: Path) -> Path:
    text = (
        "## User\nDerive the continuous time trajectory of the iterate under gradient flow. Then: "
        "Which coordinate of the pelican system converges first?\n\n"
        "## Assistant\n### (a)\nThe iterate decays exponentially: $$\\boxed{x(t) = x_0 e^{-\\lambda t}}$$\n\n"
        "### (c)(i)\nThe coordinate with the larger curvature.\n"
    )
    path = tmp_path / "pelican.md"
    path.write_text(text, encoding="utf-8")
    return path


def report_of(out: Path, stem: str) -> dict[str, object]:
    return json.loads((out / f"{stem}.report.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_homework_found_from_the_question_files(course_dir: Path, toy_chat: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = main(
        ["grade", str(toy_chat), "--questions", str(course_dir), "--out", str(out), "--format", "json"]
    )
    assert code == 0
    report = report_of(out, "pelican")
    assert report["homework"] == "hw99"
    parts = {p["id"]: p for p in report["parts"]}  # type: ignore[attr-defined]
    assert parts["q1a"]["final"] == "needs_review" and parts["q1c_i"]["final"] == "needs_review"
    assert parts["q2"]["final"] == "unanswered"
    assert any("x_0 e^{-\\lambda t}" in n for n in parts["q1a"]["attempts"][0]["notes"])
    assert any("no rubric for hw99" in w for w in report["warnings"])  # type: ignore[attr-defined]


def test_forced_homework_of_the_question_files(course_dir: Path, toy_chat: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    argv = ["grade", str(toy_chat), "--questions", str(course_dir), "--homework", "hw99", "--out", str(out)]
    assert main([*argv, "--format", "json"]) == 0
    assert report_of(out, "pelican")["homework"] == "hw99"


def test_bad_questions_path_is_a_usage_error(
    toy_chat: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["grade", str(toy_chat), "--questions", str(tmp_path / "nowhere")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_forced_homework_that_does_not_fit_is_said(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sample = ROOT / "transcripts" / "chatgpt_hw2_writeup.txt"
    argv = ["grade", str(sample), "--homework", "cs182-fa25-hw7", "--out", str(out), "--format", "json"]
    assert main(argv) == 0
    report = report_of(out, sample.stem)
    assert report["homework"] == "cs182-fa25-hw7"
    warning = next(w for w in report["warnings"] if "does not look like" in w)  # type: ignore[attr-defined]
    assert "cs182-fa25-hw2" in warning
    # graded as detected: no such warning
    assert main(["grade", str(sample), "--out", str(out), "--format", "json"]) == 0
    assert not any("does not look like" in w for w in report_of(out, sample.stem)["warnings"])  # type: ignore[attr-defined]
