"""What needs attention first: the summary of parts to look at, and folding the quiet turns of long transcripts."""

from __future__ import annotations

import pytest

from grader.models import AttemptResult, Block, ClaimResult, PartResult, Report, Transcript, Turn
from grader.reports import render_html
from grader.reports.attention import attention_summary, fold_turns
from grader.reports.layout import layout_transcript
from tests.reports.htmlscan import scan_html


def long_report(loud_turns: set[int], turns: int = 10) -> Report:
    """Alternating user/assistant turns; every assistant turn answers a part, wrongly in ``loud_turns``."""
    transcript = Transcript(
        source="long.md",
        format="role-markdown",
        turns=[
            Turn(
                index=i,
                role="user" if i % 2 == 0 else "assistant",
                blocks=[Block(kind="text", text=f"turn {i} text")],
            )
            for i in range(turns)
        ],
    )
    parts = []
    for i in range(1, turns, 2):
        verdict = "incorrect" if i in loud_turns else "correct"
        claim = ClaimResult(answer="u", text=f"u = {i}", verdict=verdict, block=0)  # type: ignore[arg-type]
        parts.append(
            PartResult(
                id=f"p{i}",
                first=verdict,  # type: ignore[arg-type]
                final=verdict,  # type: ignore[arg-type]
                reason=f"reason of p{i} with $x^{i}$",
                attempts=[AttemptResult(turn=i, verdict=verdict, claims=[claim])],  # type: ignore[arg-type]
            )
        )
    return Report(source="long.md", format="role-markdown", homework="hw", parts=parts, transcript=transcript)


def test_summary_links_every_part_needing_attention() -> None:
    report = long_report({3, 7})
    report.parts[0].final = "needs_review"  # p1: first correct, final needs review
    items = attention_summary(report)
    assert [(i.part, i.href) for i in items] == [
        ("p1", "#attempt-p1-1"),
        ("p3", "#attempt-p3-1"),
        ("p7", "#attempt-p7-1"),
    ]
    html = render_html(report)
    section = html[html.index('id="attention"') : html.index('class="parts"')]
    for item in items:
        assert f'href="{item.href}"' in section
        assert f'id="{item.href[1:]}"' in html  # the anchor exists
    assert "<math" in section  # the reason's formula is rendered


def test_summary_says_when_nothing_needs_attention() -> None:
    html = render_html(long_report(set()))
    assert "No part is incorrect, partial or in need of review." in html


# (turns that need attention, expected sections as (turn indexes, folded))
FOLDS = [
    # one wrong answer at turn 5: its question (turn 4) stays open with it
    ({5}, [([0, 1, 2, 3], True), ([4, 5], False), ([6, 7, 8, 9], True)]),
    # nothing wrong: everything folded in one section
    (set(), [([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], True)]),
    # first and last answers wrong
    ({1, 9}, [([0, 1], False), ([2, 3, 4, 5, 6, 7], True), ([8, 9], False)]),
]


@pytest.mark.parametrize("loud,expected", FOLDS)
def test_quiet_turns_of_long_transcripts_fold(loud: set[int], expected: list) -> None:
    sections = fold_turns(layout_transcript(long_report(loud)))
    assert [([tv.turn.index for tv in s.turns], s.folded) for s in sections] == expected


def test_short_transcripts_are_not_folded() -> None:
    sections = fold_turns(layout_transcript(long_report(set(), turns=4)))
    assert [s.folded for s in sections] == [False]


def test_folded_turns_are_still_in_the_page_with_every_claim() -> None:
    report = long_report({5})
    html = render_html(report)
    assert html.count('<details class="fold">') == 2
    assert "Turns 0–3 · 2 claims, all correct" in html
    claims = scan_html(html).with_attr("data-claim")
    assert len(claims) == 5


def test_a_student_note_the_grader_disagrees_with_keeps_its_turn_open() -> None:
    from grader.models import AnnotationNote

    report = long_report(set())
    report.transcript.turns[3].blocks.append(Block(kind="annotation", text="wrong!"))  # type: ignore[union-attr]
    report.annotations = [AnnotationNote(turn=3, text="wrong!", stance="negative", agrees=False)]
    sections = fold_turns(layout_transcript(report))
    assert [([tv.turn.index for tv in s.turns], s.folded) for s in sections if not s.folded] == [
        ([2, 3], False)
    ]
