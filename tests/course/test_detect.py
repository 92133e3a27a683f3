"""Homework detection from content: question text, rubric phrases, "none of these", forced homeworks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from grader.course.detect import Detector
from grader.course.model import Course, Question, QuestionPart, QuestionSet
from grader.course.text import words
from grader.models import Block, Transcript, Turn
from grader.rubric import Rubric

SHARED_TEXT = "Homework process and study group: list the sources you used and the hours you spent."


def _qs(hw: str, parts: dict[str, str], title: str) -> QuestionSet:
    qparts = [
        QuestionPart(id=pid, question=pid[1], letter=pid[2], roman=None, text=t) for pid, t in parts.items()
    ]
    process = QuestionPart(id="q9", question="9", letter=None, roman=None, text=SHARED_TEXT)
    return QuestionSet(
        homework=hw,
        source=f"{hw}.pdf",
        questions=[
            Question(number="1", title=title, parts=qparts),
            Question(number="9", title="", parts=[process]),
        ],
    )


OTTERS = _qs(
    "toy-hw1",
    {
        "q1a": "Estimate how many sea otters a kelp forest of given area can feed through the winter months.",
        "q1b": "Derive the otter population growth rate when urchin density doubles every season.",
        "q1c": "Explain why the logistic carrying capacity bounds the otter count from above.",
    },
    "Sea Otters and Kelp Forests",
)
COMETS = _qs(
    "toy-hw2",
    {
        "q1a": "Compute the orbital period of a comet whose perihelion distance is a tenth of its aphelion.",
        "q1b": "Show that the comet tail always points away from the sun by radiation pressure.",
        "q1c": "Find the eccentricity at which the comet crosses the orbit of the inner planet twice.",
    },
    "Comets and Their Tails",
)
COURSE = Course(homeworks={"toy-hw1": OTTERS, "toy-hw2": COMETS})


def chat(*turns: tuple[str, str]) -> Transcript:
    return Transcript(
        source="x.md",
        format="role-markdown",
        turns=[
            Turn(index=i, role=role, blocks=[Block(kind="text", text=text)])  # type: ignore[arg-type]
            for i, (role, text) in enumerate(turns)
        ],
    )


def rubric(hw: str, identify: list[str], part_identify: list[str], title: str = "t") -> Rubric:
    data: dict[str, Any] = {
        "id": hw,
        "title": title,
        "identify": identify,
        "parts": [
            {
                "id": "q1a",
                "question": "1",
                "points": 1,
                "identify": part_identify,
                "answers": [{"id": "a", "kind": "free_text", "points": 1}],
            }
        ],
    }
    return Rubric.model_validate(data)


def test_pasted_question_text_finds_its_homework() -> None:
    t = chat(
        ("user", "Derive the otter population growth rate when urchin density doubles every season."),
        (
            "assistant",
            "The growth rate doubles... Next, the carrying capacity bounds the otter count from above.",
        ),
    )
    found = Detector.for_course(course=COURSE).detect(t)
    assert found.homework == "toy-hw1"
    assert found.scores["toy-hw1"] > 2 * found.scores["toy-hw2"]
    homework_words = " ".join(words(OTTERS.text()))
    assert found.evidence and all(e in homework_words for e in found.evidence)


def test_a_model_restating_several_parts_is_enough() -> None:
    t = chat(
        ("user", "Solve the attached homework."),
        (
            "assistant",
            "For the orbital period of a comet with perihelion distance a tenth of the aphelion we use Kepler. "
            "The comet tail always points away from the sun because of radiation pressure.",
        ),
    )
    assert Detector.for_course(course=COURSE).detect(t).homework == "toy-hw2"


def test_unrelated_text_is_none_of_these() -> None:
    found = Detector.for_course(course=COURSE).detect(
        chat(("user", "What is 2+2?"), ("assistant", "It is 4."))
    )
    assert found.homework is None
    assert "no homework" in found.reason


def test_text_every_homework_shares_identifies_none() -> None:
    found = Detector.for_course(course=COURSE).detect(chat(("user", SHARED_TEXT * 3), ("assistant", "ok")))
    assert found.homework is None
    assert found.scores == {"toy-hw1": 0.0, "toy-hw2": 0.0}


def test_text_of_two_homeworks_alike_is_undecided() -> None:
    text = OTTERS.parts()[0].text + " " + COMETS.parts()[0].text + " " + OTTERS.parts()[1].text
    text += " " + COMETS.parts()[1].text
    found = Detector.for_course(course=COURSE).detect(chat(("user", text), ("assistant", "Here goes.")))
    assert found.homework is None
    assert "too closely" in found.reason


def test_one_short_passage_is_not_enough() -> None:
    t = chat(("user", "the otter population growth rate"), ("assistant", "It grows."))
    found = Detector.for_course(course=COURSE).detect(t)
    assert found.homework is None
    assert found.scores["toy-hw1"] > 0


def test_file_name_and_title_are_never_read() -> None:
    t = chat(("user", "What is 2+2?"), ("assistant", "It is 4."))
    t.source, t.title = "toy-hw1 otters.md", "Sea Otters and Kelp Forests toy-hw1"
    assert Detector.for_course(course=COURSE).detect(t).homework is None


def test_case_variants_of_a_phrase_count_once() -> None:
    # The old detector counted "AutoEncoder" and "autoencoder" (both case-insensitive) as two matches.
    r = rubric("r-one", ["AutoEncoder", "autoencoder"], [])
    other = rubric("r-two", [], [], title="kelp")
    det = Detector.for_course([r, other])
    scores, _ = det.score_text("An autoencoder, i.e. an AutoEncoder.")
    assert scores["r-one"] == 1.0


def test_generic_words_do_not_identify() -> None:
    # "during training" names no homework: its only topic word is in every homework's text.
    one = rubric("r-one", ["during training", "teacher forcing"], [], title="training a translator")
    two = rubric("r-two", ["sliding window"], [], title="training a counter")
    det = Detector.for_course([one, two])
    scores, _ = det.score_text("What happens during training of the network?")
    assert scores["r-one"] == 0.0
    scores, _ = det.score_text("With teacher forcing the decoder sees the gold tokens.")
    assert scores["r-one"] == 1.0


def test_rubric_phrases_alone_detect_a_homework() -> None:
    one = rubric("r-one", ["Sea Otters and Kelp Forests"], ["otter population growth rate"])
    two = rubric("r-two", ["Comets and Their Tails"], ["orbital period of a comet"])
    t = chat(
        ("user", "Sea Otters and Kelp Forests, part (a): the otter population growth rate?"),
        ("assistant", "x"),
    )
    assert Detector.for_course([one, two]).detect(t).homework == "r-one"


def test_a_rubric_without_question_text_is_tried_on_its_phrases() -> None:
    # Homeworks with question text score higher on text about anything near them; a homework known
    # only by its rubric's phrases is tried on the phrases alone when the question text is undecided.
    lectures = rubric(
        "lectures", ["Sea Otters and Kelp Forests", "otter census by drone"], ["otter census by drone"]
    )
    det = Detector.for_course([lectures], COURSE)
    t = chat(("user", "Sea Otters and Kelp Forests lecture: otter census by drone"), ("assistant", "ok"))
    found = det.detect(t)
    assert found.homework == "lectures"
    assert "rubrics' phrases" in found.reason


def test_forced_homework_warning() -> None:
    det = Detector.for_course(course=COURSE)
    otters = chat(("user", OTTERS.parts()[1].text + " " + OTTERS.parts()[2].text), ("assistant", "ok"))
    warning = det.fit_warning(otters, "toy-hw2")
    assert warning is not None and "does not look like toy-hw2" in warning and "toy-hw1" in warning
    assert det.fit_warning(otters, "toy-hw1") is None
    smalltalk = chat(("user", "What is 2+2?"), ("assistant", "4"))
    warning = det.fit_warning(smalltalk, "toy-hw1")
    assert warning is not None and "shares too little" in warning


# The real course: a few corpus files that read quickly, against all 14 question PDFs.
QUICK = {
    "thread_849/ChatGPT-Special Participation A.pdf": "cs182-fa25-hw2",
    "thread_860/ParticipationA.pdf": "cs182-fa25-hw1",
    "thread_874/Deepseek_response_log.pdf": "cs182-fa25-hw0",
    "thread_456/chat-4de4d570-dc1c-4b2f-baf9-9afc394d0333.json": "cs182-fa25-hw10",
}


@pytest.mark.parametrize("name", sorted(QUICK))
def test_course_files(shared: Path, name: str) -> None:
    pytest.importorskip("pymupdf")
    from grader.course.loader import load_course
    from grader.rubric import rubrics
    from grader.transcripts import read_all

    path = shared / "corpus" / name
    if not path.exists() or not (shared / "course").is_dir():
        pytest.skip("corpus file or course folder absent")
    course = load_course(shared / "course", rubrics().keys())
    det = Detector.for_course(list(rubrics().values()), course)
    (transcript,) = read_all(path)
    assert det.detect(transcript).homework == QUICK[name]
