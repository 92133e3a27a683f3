"""Attach each student annotation to the part it comments on, and audit it against the grader.

The stance of an annotation is read from its words ("correct answer", "one-shot" are positive;
"hallucinated", "wrong", "did not" are negative; both → mixed). An annotation agrees with the grader
when a positive note sits on a part whose verdict is correct, a negative one on a part that is not,
and a mixed one on a part judged partial (or a part whose first and final verdicts differ).
"""

from __future__ import annotations

import re

from grader.align import Alignment
from grader.models import AnnotationNote, PartResult, Report, Transcript

_POSITIVE = re.compile(
    r"\bcorrect\b|\bright\b|one-?shot|successfully|\bgood\b|properly|perfectly|\baccurate\b|\bmatch(?:es|ed)?\b"
    r"|\bconnect\b|effective|useful|was able to|\bclean",
    re.I,
)
_NEGATIVE = re.compile(
    r"\bwrong\b|\bincorrect\b|hallucinat|did ?n[o']t|does ?n[o']t|not align|struggl|mistake|missing|\bfail"
    r"|unable|not sure|never|incomplete|over-?complicated|needed to be prompted|typo",
    re.I,
)


def stance(text: str) -> str:
    """positive | negative | mixed | neutral, from the annotation's words."""
    pos, neg = bool(_POSITIVE.search(text)), bool(_NEGATIVE.search(text))
    if pos and neg:
        return "mixed"
    return "positive" if pos else "negative" if neg else "neutral"


def _part_at(alignment: Alignment, turn: int, block: int) -> str | None:
    """The part answered at (turn, block), else the part of the nearest attempt."""
    best: tuple[int, str] | None = None
    for pid, attempts in alignment.attempts.items():
        for att in attempts:
            if att.turn == turn and any(bi == block for bi, _ in att.blocks):
                return pid
            dist = att.turn - turn
            # Notes usually sit just before (in the prompt) or inside the answer they comment on.
            score = dist if dist >= 0 else 2 * -dist + 1
            if best is None or score < best[0]:
                best = (score, pid)
    return best[1] if best else None


def agrees(note_stance: str, part: PartResult) -> bool | None:
    """Whether an annotation of the given stance agrees with the grader's verdicts on the part."""
    verdicts = {part.first, part.final}
    if note_stance == "neutral" or "needs_review" in verdicts:
        return None
    if note_stance == "positive":
        return part.final == "correct"
    if note_stance == "negative":
        return part.final != "correct" or part.first != "correct"
    return part.final == "partial" or part.first != part.final


def audit_annotations(transcript: Transcript, alignment: Alignment, report: Report) -> list[AnnotationNote]:
    """The transcript's annotations, each attached to a part and audited."""
    notes = []
    parts = {p.id: p for p in report.parts}
    for turn in transcript.turns:
        for bi, block in enumerate(turn.blocks):
            if block.kind != "annotation":
                continue
            pid = _part_at(alignment, turn.index, bi)
            st = stance(block.text)
            part = parts.get(pid) if pid else None
            notes.append(
                AnnotationNote(
                    turn=turn.index,
                    text=block.text,
                    part=pid,
                    stance=st,  # type: ignore[arg-type]
                    agrees=agrees(st, part) if part else None,
                )
            )
    return notes
