"""Final answers of an attempt and answers that contradict each other, without a rubric."""

from __future__ import annotations

from grader.align import Attempt, Section
from grader.course.answers import contradictions, final_answers
from grader.models import Block


def attempt(*texts: tuple[str, str]) -> Attempt:
    blocks = [(i, Block(kind=kind, text=text)) for i, (kind, text) in enumerate(texts)]  # type: ignore[arg-type]
    return Attempt("q1a", 1, [Section("q1a", 1, blocks)], [0])


def test_boxed_and_answer_lines_in_order() -> None:
    att = attempt(
        (
            "text",
            "Setting the gradient to zero, $u = -\\frac{\\alpha}{2} g$, so $$\\boxed{u = -\\frac{\\alpha}{2} g}$$",
        ),
        ("text", "**Answer:** gradient descent"),
    )
    found = final_answers(att)
    assert [(a.block, a.source) for a in found] == [(0, "boxed"), (1, "answer-line")]
    assert "gradient descent" in found[1].text


def test_last_display_formula_when_nothing_is_marked() -> None:
    att = attempt(("text", "We expand the square."), ("math", "\\theta = \\frac{a}{\\|a\\|^2}"))
    (only,) = final_answers(att)
    assert only.source == "last-math" and "frac" in only.text


def test_two_values_for_one_name_contradict() -> None:
    att = attempt(
        ("text", "So $$\\boxed{u = -\\frac{\\alpha}{2} g}$$"),
        ("text", "Summary. **Final answer:** $u = -\\alpha g$"),
    )
    (c,) = contradictions(final_answers(att))
    assert c.name == "u"
    assert c.explanation.startswith("two different final answers for u")
    assert c.evidence["instance"]  # the random instance that separates the two values


def test_equivalent_forms_and_different_names_do_not_contradict() -> None:
    att = attempt(
        ("text", "$$\\boxed{u = -\\frac{\\alpha}{2} g}$$"),
        ("text", "**Final answer:** $u = -\\alpha g / 2$"),
        ("text", "$$\\boxed{v = 3}$$ and $$\\boxed{w = 4}$$"),
    )
    assert contradictions(final_answers(att)) == []


def test_unreadable_answers_never_contradict() -> None:
    att = attempt(("text", "$$\\boxed{u = \\frac{(}{}}$$"), ("text", "**Final answer:** $u = 2$"))
    assert contradictions(final_answers(att)) == []
