"""Which parts a message quotes, by similarity with the parts' question text."""

from __future__ import annotations

from grader.course.part_match import PartMatcher
from tests.course.test_detect import COMETS, OTTERS


def test_a_pasted_part_is_that_part() -> None:
    m = PartMatcher(OTTERS)
    assert m.quoted("(b) " + OTTERS.part("q1b").text) == ["q1b"]  # type: ignore[union-attr]
    assert m.best_part(OTTERS.part("q1c").text) == "q1c"  # type: ignore[union-attr]


def test_a_pasted_question_is_all_its_parts() -> None:
    m = PartMatcher(COMETS)
    text = "\n".join(p.text for p in COMETS.parts() if p.id.startswith("q1"))
    assert m.quoted(text) == ["q1a", "q1b", "q1c"]
    assert m.best_part(text) is None  # no single part leads


def test_other_text_quotes_nothing() -> None:
    m = PartMatcher(OTTERS)
    assert m.quoted(COMETS.part("q1a").text) == []  # type: ignore[union-attr]
    assert m.quoted("the otter") == []
    assert m.best_part("the otter", among=["q1a"]) is None
