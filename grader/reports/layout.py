"""Where each claim and each student annotation goes in the rendered transcript.

A claim is placed beside the block it was found in, by ``(attempt.turn, claim.block)``.
A claim whose block is ``None`` (or out of range) goes at the end of its turn, and a claim
whose turn is not in the transcript goes to a final "not located" list: every claim of the
report is shown exactly once, whatever the transcript looks like.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from grader.models import AnnotationNote, Block, ClaimResult, Report, Turn


@dataclass(frozen=True)
class ClaimRef:
    """One claim of the report with its position in the report."""

    part: str
    """Id of the part the claim belongs to."""
    attempt: int
    """1-based number of the attempt within the part."""
    index: int
    """1-based number of the claim within the attempt."""
    turn: int
    """Index of the turn of the attempt."""
    claim: ClaimResult
    """The checked claim."""

    @property
    def key(self) -> str:
        """A stable id for the claim, e.g. ``q1a/1/2`` (part / attempt / claim)."""
        return f"{self.part}/{self.attempt}/{self.index}"


@dataclass(frozen=True)
class AttemptLabel:
    """The label of an attempt boundary: which part a turn answers, and how well."""

    part: str
    number: int
    """1-based number of this attempt among the part's attempts."""
    total: int
    verdict: str
    aligned_by: tuple[str, ...] = ()
    """Why the turn was taken as an answer to the part (the alignment's evidence)."""


@dataclass
class BlockView:
    """A block of a turn with the notes and annotation audit placed beside it."""

    index: int
    block: Block
    notes: list[ClaimRef] = field(default_factory=list)
    annotation: AnnotationNote | None = None


@dataclass
class TurnView:
    """A turn ready to render."""

    turn: Turn
    attempts: list[AttemptLabel] = field(default_factory=list)
    blocks: list[BlockView] = field(default_factory=list)
    trailing_notes: list[ClaimRef] = field(default_factory=list)
    """Claims of the turn with no (valid) block index."""
    trailing_annotations: list[AnnotationNote] = field(default_factory=list)
    """Annotation notes of the turn that match no annotation block."""


@dataclass
class TranscriptView:
    """The whole transcript ready to render, plus what could not be placed in it."""

    turns: list[TurnView] = field(default_factory=list)
    unlocated_notes: list[ClaimRef] = field(default_factory=list)
    unlocated_annotations: list[AnnotationNote] = field(default_factory=list)


def iter_claims(report: Report) -> Iterator[ClaimRef]:
    """Every claim of the report, in report order (part, attempt, claim)."""
    for part in report.parts:
        for a_no, attempt in enumerate(part.attempts, start=1):
            for c_no, claim in enumerate(attempt.claims, start=1):
                yield ClaimRef(part.id, a_no, c_no, attempt.turn, claim)


def attempt_labels(report: Report) -> dict[int, list[AttemptLabel]]:
    """Attempt labels keyed by turn index, in report order."""
    labels: dict[int, list[AttemptLabel]] = {}
    for part in report.parts:
        total = len(part.attempts)
        for number, attempt in enumerate(part.attempts, start=1):
            label = AttemptLabel(part.id, number, total, attempt.verdict, tuple(attempt.aligned_by))
            labels.setdefault(attempt.turn, []).append(label)
    return labels


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _match_annotations(turn_view: TurnView, notes: list[AnnotationNote]) -> None:
    """Pair annotation notes with the turn's annotation blocks (same text first, then containment)."""
    free = [bv for bv in turn_view.blocks if bv.block.kind == "annotation"]
    rest: list[AnnotationNote] = []
    for note in notes:
        hit = next((bv for bv in free if _norm(bv.block.text) == _norm(note.text)), None)
        if hit is None:
            rest.append(note)
            continue
        hit.annotation = note
        free.remove(hit)
    for note in rest:
        wanted = _norm(note.text)
        hit = next(
            (
                bv
                for bv in free
                if wanted and (wanted in _norm(bv.block.text) or _norm(bv.block.text) in wanted)
            ),
            None,
        )
        if hit is None:
            turn_view.trailing_annotations.append(note)
        else:
            hit.annotation = note
            free.remove(hit)


def layout_transcript(report: Report) -> TranscriptView:
    """Place the report's claims and annotation notes in its transcript (see module docstring)."""
    view = TranscriptView()
    labels = attempt_labels(report)
    by_turn: dict[int, TurnView] = {}
    if report.transcript is not None:
        for turn in report.transcript.turns:
            tv = TurnView(turn=turn, attempts=labels.get(turn.index, []))
            tv.blocks = [BlockView(i, b) for i, b in enumerate(turn.blocks)]
            view.turns.append(tv)
            by_turn.setdefault(turn.index, tv)

    for ref in iter_claims(report):
        home = by_turn.get(ref.turn)
        block = ref.claim.block
        if home is None:
            view.unlocated_notes.append(ref)
        elif block is not None and 0 <= block < len(home.blocks):
            home.blocks[block].notes.append(ref)
        else:
            home.trailing_notes.append(ref)

    notes_by_turn: dict[int, list[AnnotationNote]] = {}
    for note in report.annotations:
        if note.turn in by_turn:
            notes_by_turn.setdefault(note.turn, []).append(note)
        else:
            view.unlocated_annotations.append(note)
    for turn_index, notes in notes_by_turn.items():
        _match_annotations(by_turn[turn_index], notes)
    return view
