"""What a TA should look at first: the parts that need attention, and the turns that can stay folded.

- :func:`attention_summary`: every part whose first or final verdict is ``incorrect``, ``partial``
  or ``needs_review``, with a link to the attempt to read;
- :func:`fold_turns`: in a long transcript, runs of turns with nothing to check (every claim
  correct, no wrong attempt, no student note the grader disagrees with) are folded, so the
  report opens on what matters; a question turn right before a turn that needs attention stays
  open, since it is the context of that answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.models import Report
from grader.reports.layout import TranscriptView, TurnView

ATTENTION_VERDICTS = frozenset({"incorrect", "partial", "needs_review"})
"""Part verdicts the summary links to."""
QUIET_CLAIMS = frozenset({"correct"})
"""Claim verdicts that need no second look."""
FOLD_MIN_TURNS = 6
"""Transcripts with fewer turns are shown whole."""


def attempt_anchor(part: str, number: int) -> str:
    """The id of an attempt's label in the transcript, e.g. ``attempt-q1a-2``."""
    return f"attempt-{part}-{number}"


@dataclass(frozen=True)
class AttentionItem:
    """One part to look at, and where."""

    part: str
    first: str
    final: str
    reason: str
    href: str
    """Anchor of the final attempt in the transcript (or of the part's row when it has none)."""


def attention_summary(report: Report) -> list[AttentionItem]:
    """The parts whose first or final verdict needs attention, in report order."""
    items = []
    for part in report.parts:
        if part.first not in ATTENTION_VERDICTS and part.final not in ATTENTION_VERDICTS:
            continue
        n = len(part.attempts)
        href = f"#{attempt_anchor(part.id, n)}" if n else f"#part-{part.id}"
        items.append(AttentionItem(part.id, part.first, part.final, part.reason or "", href))
    return items


def needs_attention(turn: TurnView) -> bool:
    """True when something in the turn deserves a look (see the module docstring)."""
    if any(label.verdict not in QUIET_CLAIMS and label.verdict != "unanswered" for label in turn.attempts):
        return True
    notes = [ref for bv in turn.blocks for ref in bv.notes] + turn.trailing_notes
    if any(ref.claim.verdict not in QUIET_CLAIMS for ref in notes):
        return True
    annotations = [
        bv.annotation for bv in turn.blocks if bv.annotation is not None
    ] + turn.trailing_annotations
    return any(a.agrees is False for a in annotations)


@dataclass
class TurnSection:
    """Consecutive turns shown together: open, or folded behind a one-line summary."""

    turns: list[TurnView] = field(default_factory=list)
    folded: bool = False

    @property
    def label(self) -> str:
        """What the folded turns hold, e.g. ``Turns 3–7 · 5 claims, all correct``."""
        first, last = self.turns[0].turn.index, self.turns[-1].turn.index
        span = f"Turn {first}" if first == last else f"Turns {first}–{last}"
        claims = sum(len(bv.notes) for tv in self.turns for bv in tv.blocks) + sum(
            len(tv.trailing_notes) for tv in self.turns
        )
        what = f"{claims} claim{'s' if claims != 1 else ''}, all correct" if claims else "nothing checked"
        return f"{span} · {what} (folded: nothing here needs attention)"


def fold_turns(view: TranscriptView, min_turns: int = FOLD_MIN_TURNS) -> list[TurnSection]:
    """The transcript's turns in sections; in a long transcript quiet runs are folded."""
    turns = view.turns
    if len(turns) < min_turns:
        return [TurnSection(list(turns))] if turns else []
    loud = [needs_attention(tv) for tv in turns]
    # A question right before an answer that needs attention is that answer's context.
    keep = [
        loud[i] or (tv.turn.role == "user" and i + 1 < len(turns) and loud[i + 1])
        for i, tv in enumerate(turns)
    ]
    sections: list[TurnSection] = []
    for tv, open_ in zip(turns, keep, strict=True):
        folded = not open_
        if sections and sections[-1].folded == folded:
            sections[-1].turns.append(tv)
        else:
            sections.append(TurnSection([tv], folded))
    return sections
