"""layout: claims and annotation notes placed in the transcript, nothing lost."""

from __future__ import annotations

import pytest

from grader.models import (
    AnnotationNote,
    AttemptResult,
    Block,
    ClaimResult,
    PartResult,
    Report,
    Transcript,
    Turn,
)
from grader.reports.layout import attempt_labels, iter_claims, layout_transcript


def make_report(claim_blocks: dict[int, list[int | None]], annotations: list[AnnotationNote]) -> Report:
    """A report on a 2-turn transcript (turn 1 has blocks 0..2, block 2 an annotation)."""
    transcript = Transcript(
        source="s",
        format="f",
        turns=[
            Turn(index=0, role="user", blocks=[Block(kind="text", text="q")]),
            Turn(
                index=1,
                role="assistant",
                blocks=[
                    Block(kind="text", text="a"),
                    Block(kind="math", text="x"),
                    Block(kind="annotation", text="Needed  a hint"),
                ],
            ),
        ],
    )
    attempts = [
        AttemptResult(
            turn=turn,
            verdict="correct",
            claims=[ClaimResult(answer="u", text="x", verdict="correct", block=b) for b in blocks],
        )
        for turn, blocks in claim_blocks.items()
    ]
    part = PartResult(id="q1a", first="correct", final="correct", attempts=attempts)
    return Report(
        source="s", format="f", homework="hw", parts=[part], annotations=annotations, transcript=transcript
    )


@pytest.mark.parametrize(
    "claim_blocks,on_blocks,trailing,unlocated",
    [
        # on its block
        ({1: [1]}, {1: ["q1a/1/1"]}, [], []),
        # block None: end of its turn
        ({1: [None]}, {}, ["q1a/1/1"], []),
        # block out of range (or negative): end of its turn
        ({1: [5, -1]}, {}, ["q1a/1/1", "q1a/1/2"], []),
        # turn not in the transcript: not located
        ({4: [0]}, {}, [], ["q1a/1/1"]),
    ],
)
def test_claim_placement(
    claim_blocks: dict[int, list[int | None]],
    on_blocks: dict[int, list[str]],
    trailing: list[str],
    unlocated: list[str],
) -> None:
    view = layout_transcript(make_report(claim_blocks, []))
    turn1 = view.turns[1]
    assert {bv.index: [r.key for r in bv.notes] for bv in turn1.blocks if bv.notes} == on_blocks
    assert [r.key for r in turn1.trailing_notes] == trailing
    assert [r.key for r in view.unlocated_notes] == unlocated


@pytest.mark.parametrize(
    "note_text,note_turn,on_block,trailing,unlocated",
    [
        # same text up to whitespace and case
        ("needed a hint", 1, True, False, False),
        # contained in the block's text
        ("a hint", 1, True, False, False),
        # a different text in the same turn: shown at the end of the turn
        ("hallucinated", 1, False, True, False),
        # a turn that is not in the transcript
        ("needed a hint", 7, False, False, True),
    ],
)
def test_annotation_matching(
    note_text: str, note_turn: int, on_block: bool, trailing: bool, unlocated: bool
) -> None:
    note = AnnotationNote(turn=note_turn, text=note_text, agrees=True)
    view = layout_transcript(make_report({}, [note]))
    assert (view.turns[1].blocks[2].annotation is note) is on_block
    assert (note in view.turns[1].trailing_annotations) is trailing
    assert (note in view.unlocated_annotations) is unlocated


def test_each_annotation_block_takes_one_note() -> None:
    notes = [AnnotationNote(turn=1, text="needed a hint"), AnnotationNote(turn=1, text="needed a hint")]
    view = layout_transcript(make_report({}, notes))
    assert view.turns[1].blocks[2].annotation is notes[0]
    assert view.turns[1].trailing_annotations == [notes[1]]


def test_iter_claims_keys_and_attempt_labels() -> None:
    report = make_report({1: [0, 1], 0: [None]}, [])
    assert [r.key for r in iter_claims(report)] == ["q1a/1/1", "q1a/1/2", "q1a/2/1"]
    labels = attempt_labels(report)
    assert [(lab.part, lab.number, lab.total) for lab in labels[1]] == [("q1a", 1, 2)]
    assert [(lab.part, lab.number, lab.total) for lab in labels[0]] == [("q1a", 2, 2)]
