"""A key idea spread over a case's heading and the sentences below it ("Case 1: ..." then the result):
the heading ties them together for key ideas, never for misconceptions (answers written for these tests)."""

from __future__ import annotations

import pytest

from grader.checkers.concept import Idea, check_concept
from grader.checkers.meaning import TermSet, case_sentences

IDEAS = [
    Idea("short", "a short rod sags little", [TermSet.parse("short + sag|sags + little|barely")]),
    Idea("long", "a long rod sags a lot", [TermSet.parse("long + sag|sags + much|lot|strongly")]),
]
WRONG = [Idea("snap", "a long rod snaps", [TermSet.parse("long + snap|snaps|break|breaks")])]

CASES = """Case 1: a short rod
Under its own weight the deflection is tiny.
It barely sags.
Case 2: a long rod
The deflection grows with the fourth power of the length.
So it sags a lot."""


def test_a_case_heading_joins_its_sentences() -> None:
    texts = [s.text for s in case_sentences(CASES)]
    assert "Case 1: a short rod It barely sags." in texts
    assert "Case 2: a long rod So it sags a lot." in texts
    # a sentence belongs to its own case only
    assert not any(t.startswith("Case 1") and "sags a lot" in t for t in texts)
    result = check_concept(CASES, IDEAS, WRONG)
    assert result.verdict == "correct", result.explanation


def test_ideas_of_the_wrong_case_are_not_found() -> None:
    swapped = CASES.replace("It barely sags.", "It sags a lot.").replace(
        "So it sags a lot.", "It barely sags."
    )
    result = check_concept(swapped, IDEAS, WRONG)
    assert result.verdict != "correct", result.explanation


def test_without_a_heading_nothing_is_joined() -> None:
    assert case_sentences("A short rod.\nIt barely sags.") == []


@pytest.mark.parametrize(
    "text,verdict",
    [
        # a misconception must be stated in one sentence: the heading does not spread it
        (CASES.replace("So it sags a lot.", "Then it breaks under load."), "partial"),
        ("Case 2: a long rod\nIt snaps under its own weight, as any long rod does in practice.", "incorrect"),
    ],
)
def test_misconceptions_stay_in_one_sentence(text: str, verdict: str) -> None:
    assert check_concept(text, IDEAS, WRONG).verdict == verdict
