"""Key ideas across wrapped lines, and a hedge ("moves left/right") is not a misconception."""

from __future__ import annotations

from grader.checkers.concept import Idea, check_concept
from grader.checkers.meaning import TermSet, sentences

SLOPE = Idea("slope_up", "the slope increases", [TermSet.parse("slope + increase|increases|steeper")])
LEFT = Idea("moves_left", "the kink moves left", [TermSet.parse("kink + left")])
RIGHT = Idea("moves_right", "the kink moves right", [TermSet.parse("kink + right")])


def test_a_sentence_wrapped_over_lines_is_one_sentence() -> None:
    text = "During the backward pass the signal cannot reach\nthe encoder weights at all.\nA new point"
    assert [s.text for s in sentences(text)] == [
        "During the backward pass the signal cannot reach the encoder weights at all.",
        "A new point",
    ]


def test_a_line_break_after_a_full_stop_or_before_a_capital_still_splits() -> None:
    assert len(sentences("First point.\nsecond point")) == 2
    assert len(sentences("A heading\nThe body starts here")) == 2


def test_an_idea_stated_across_a_line_break_is_found() -> None:
    idea = Idea("blocked", "no signal reaches the encoder", [TermSet.parse("cannot + reach + encoder")])
    result = check_concept(
        "During the backward pass the signal cannot reach\nthe encoder weights at all, so they stay fixed.",
        [idea],
    )
    assert result.verdict == "correct", result.explanation


def test_a_hedge_naming_both_directions_is_not_the_misconception() -> None:
    text = "The slope increases with every step. In general the kink shifts left/right with the case. Here the kink moves left."
    result = check_concept(text, [SLOPE, LEFT], [RIGHT])
    assert result.verdict == "correct", result.explanation


def test_the_misconception_alone_still_counts() -> None:
    text = "The slope increases with every step, and after the update the kink moves to the right of where it was."
    result = check_concept(text, [SLOPE, LEFT], [RIGHT])
    assert result.verdict != "correct"
    assert "the kink moves right" in result.evidence["misconceptions"]


def test_a_misconception_beside_an_unrelated_idea_still_counts() -> None:
    # the slope idea and the kink misconception share no term: not a hedge
    text = "After the step the slope increases and the kink moves right, away from the data point seen."
    result = check_concept(text, [SLOPE, LEFT], [RIGHT])
    assert "the kink moves right" in result.evidence["misconceptions"]


def test_idea_and_misconception_in_one_sentence_without_alternatives_is_no_hedge() -> None:
    text = (
        "The slope increases at every step, while the kink is moved right and then pushed left again later."
    )
    result = check_concept(text, [SLOPE, LEFT], [RIGHT])
    assert "the kink moves right" in result.evidence["misconceptions"]
