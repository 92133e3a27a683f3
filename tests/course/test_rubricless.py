"""A submission of a homework without a rubric gets the rubric-less report: never refused, never `incorrect`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from grader.cli import main
from grader.course.model import Course
from grader.course.rubricless import grade_without_rubric, report_without_rubric
from grader.models import Block, Report, Transcript, Turn
from grader.pipeline import grade, grade_transcript
from grader.transcripts import read_path
from tests.course.test_detect import OTTERS

ROOT = Path(__file__).resolve().parents[2]
HW7_SAMPLE = ROOT / "transcripts" / "claude_hw7_roles.md"


@pytest.fixture()
def hw7_hidden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project's rubrics without HW7's."""
    d = tmp_path / "rubrics"
    d.mkdir()
    for f in (ROOT / "rubrics").glob("*.yaml"):
        if "hw7" not in f.name:
            shutil.copy(f, d / f.name)
    monkeypatch.setenv("GRADER_RUBRICS_DIR", str(d))
    return d


def verdicts(report: dict[str, Any] | Report) -> set[str]:
    data = report.to_json_dict() if isinstance(report, Report) else report
    out = set()
    for p in data["parts"]:
        out |= {p["first"], p["final"]}
        for a in p["attempts"]:
            out.add(a["verdict"])
            out |= {c["verdict"] for c in a["claims"]}
    return out


def test_hidden_rubric_gives_the_rubricless_report(hw7_hidden: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["grade", str(HW7_SAMPLE), "--out", str(out), "--format", "json,html,md"]) == 0
    report = json.loads((out / "claude_hw7_roles.report.json").read_text(encoding="utf-8"))
    assert "incorrect" not in verdicts(report) and "correct" not in verdicts(report)
    assert report["homework"] == "unknown"  # without question files, HW7 is no known homework
    assert any("cannot tell which homework" in w for w in report["warnings"])
    assert any("no rubric" in w and "needs_review" in w for w in report["warnings"])
    parts = {p["id"]: p for p in report["parts"]}
    # the parts come from the transcript's own numbering
    assert {"q3b_i", "q4a", "q7b", "q7c"} <= set(parts)
    assert parts["q4a"]["final"] == "needs_review"
    # the model's final answers are shown per attempt
    notes = " ".join(n for a in parts["q7b"]["attempts"] for n in a["notes"])
    assert "sos" in notes
    # the student's annotation is attached to a part
    assert any(a["part"] == "q7c" or a["part"] == "q7b" for a in report["annotations"])
    assert (out / "claude_hw7_roles.report.html").exists()


def test_pipeline_falls_back_instead_of_raising(hw7_hidden: Path) -> None:
    transcript = read_path(HW7_SAMPLE)
    report = grade_transcript(transcript)
    assert report.homework == "unknown"
    assert report.transcript is transcript  # the transcript as read, for the annotated report
    assert grade(transcript, None).homework == "unknown"


def chat(*turns: tuple[str, str]) -> Transcript:
    return Transcript(
        source="otters.md",
        format="role-markdown",
        turns=[
            Turn(index=i, role=role, blocks=[Block(kind="text", text=text)])  # type: ignore[arg-type]
            for i, (role, text) in enumerate(turns)
        ],
    )


OTTER_CHAT = chat(
    ("user", OTTERS.part("q1b").text),  # type: ignore[union-attr]
    (
        "assistant",
        "The rate doubles, so $$\\boxed{r = 2 r_0}$$ and, summing up, **Final answer:** $r = 3 r_0$.",
    ),
    ("user", OTTERS.part("q1c").text),  # type: ignore[union-attr]
    ("assistant", "Because $$N_{t+1} = N_t + r N_t (1 - N_t / K)$$ stays below K."),
)


def test_parts_from_the_question_file() -> None:
    report = grade_without_rubric(OTTER_CHAT, OTTERS)
    assert report.homework == "toy-hw1"
    parts = {p.id: p for p in report.parts}
    assert set(parts) == {p.id for p in OTTERS.parts()}
    assert parts["q1b"].final == parts["q1c"].final == "needs_review"
    assert parts["q1a"].final == "unanswered"
    # two different final answers for r in one response: a contradiction, shown as a flag
    assert parts["q1b"].flags == ["inconsistent_final"]
    assert any("two different final answers for r" in n for n in parts["q1b"].attempts[0].notes)
    assert "incorrect" not in verdicts(report)


def test_detected_homework_without_rubric_is_named() -> None:
    report = report_without_rubric(OTTER_CHAT, [], Course(homeworks={"toy-hw1": OTTERS}))
    assert report.homework == "toy-hw1"
    assert report.warnings[0].startswith("detected toy-hw1")
    forced = report_without_rubric(OTTER_CHAT, [], None, homework="toy-hw9")
    assert forced.homework == "toy-hw9" and forced.warnings[0] == "toy-hw9 has no rubric"


def test_nothing_numbered_is_one_part() -> None:
    report = grade_without_rubric(chat(("user", "What is 2+2?"), ("assistant", "It is $$\\boxed{4}$$")))
    assert [p.id for p in report.parts] == ["q1"]
    assert report.parts[0].final == "needs_review"
    assert "4" in report.parts[0].reason
    assert any("one part, q1" in w for w in report.warnings)


def test_a_step_that_does_not_follow_is_flagged_not_marked_wrong() -> None:
    t = chat(
        ("user", "Problem 1. Solve 2x + 4 = 10 for x."),
        ("assistant", "From $2x + 4 = 10$ we get $$x = 7$$ so **Answer:** $x = 7$"),
    )
    report = grade_without_rubric(t)
    (part,) = [p for p in report.parts if p.attempts]
    assert part.final == "needs_review"
    assert "derivation_error" in part.flags
    assert any("does not solve" in n for n in part.attempts[0].notes)
    assert "incorrect" not in verdicts(report)


def test_seed_with_hidden_rubric(shared: Path, hw7_hidden: Path) -> None:
    """A real HW7 write-up with HW7's rubric hidden: with the question PDFs, HW7's parts."""
    pytest.importorskip("pymupdf")
    from grader.course.loader import load_course

    course_dir = shared / "course"
    if not course_dir.is_dir():
        pytest.skip("no ../shared/course")
    course = load_course(course_dir, ["cs182-fa25-hw2", "cs182-fa25-hw7"])
    transcript = read_path(shared / "seeds" / "002_2ca81225e9ca24a0.txt")
    report = grade_transcript(transcript, questions=course)
    assert report.homework == "cs182-fa25-hw7"
    assert "incorrect" not in verdicts(report)
    answered = {p.id for p in report.parts if p.final == "needs_review"}
    assert {"q3b_i", "q3b_ii", "q4a", "q7a", "q8b"} <= answered


def test_a_number_with_a_unit_is_not_a_wrong_step() -> None:
    # untyped symbols would read "50 ns" as 50·n·s, which does not solve 10 t_d = 500
    t = chat(
        ("user", "Problem 5. What disk latency matches 500 ns of recomputation?"),
        ("assistant", "We need $$10 \\times t_{d} = 500$$ so $$t_{d} = 50\u00a0ns$$"),
    )
    (part,) = [p for p in grade_without_rubric(t).parts if p.attempts]
    assert "derivation_error" not in part.flags


def test_any_homework_id_of_a_course_file() -> None:
    report = grade_without_rubric(OTTER_CHAT, OTTERS, homework="CS 182 / HW_3")
    assert report.homework == "CS 182 / HW_3"
    assert report.part("q1b").final == "needs_review"  # type: ignore[union-attr]
