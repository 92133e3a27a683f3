"""Which turn holds a part's attempts, in reading order: the later parts of a question a continuing turn may
go on to, the part a turn ended with (which the next turn goes on with), the earlier parts that the text
before a turn's first heading answers, and the parts a prompted reply left out (an empty first attempt).
Used by :mod:`grader.align`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from grader.align_labels import reading_key
from grader.rubric import Rubric

if TYPE_CHECKING:
    from grader.align import Attempt, Section

__all__ = ["ended_with", "flush_skipped", "gap_parts", "later_parts", "parts_before", "skipped_parts"]


def flush_skipped(skipped: dict[str, Attempt], attempts: dict[str, list[Attempt]]) -> None:
    """Record the empty first attempts of the parts a reply left out, unless the model turns that
    continued it (no prompt between) answered them."""
    for pid, empty in skipped.items():
        if not attempts[pid]:
            attempts[pid].append(empty)


def skipped_parts(
    asked: list[str], answered: dict[str, Attempt], attempts: dict[str, list[Attempt]], rubric: Rubric
) -> list[str]:
    """Parts a prompt asked for, never attempted before, that the reply leaves out although it answers
    other parts of their question (a model that stops part-way, "I will stop here"): their first
    attempt is this turn's, with nothing in it (unanswered), so that a later answer, often after a
    nudge, is not taken for the first."""
    reached = {rubric.part(pid).question for pid, a in answered.items() if a.sections}
    return [
        pid
        for pid in asked
        if pid not in answered and not attempts[pid] and rubric.part(pid).question in reached
    ]


def later_parts(parts: list[str], rubric: Rubric, known: list[str]) -> list[str]:
    """The parts of the last part's question that come after it in reading order."""
    last = max((rubric.part(pid) for pid in parts), key=reading_key)
    return [
        p.id
        for p in rubric.parts
        if p.question == last.question
        and reading_key(p) > reading_key(last)
        and p.id not in parts
        and p.id not in known
    ]


def ended_with(this_turn: dict[str, Attempt]) -> list[str]:
    """The parts whose sections hold the last block a turn answers with (several when a stretch without
    headings answered them all)."""
    last = max((bi for a in this_turn.values() for bi, _ in a.blocks), default=None)
    return [pid for pid, a in this_turn.items() if last is not None and any(bi == last for bi, _ in a.blocks)]


def parts_before(sections: list[Section], part_ids: list[str], rubric: Rubric) -> list[str]:
    """The parts being answered that come before the first section's part in its question and that no
    section of the turn answers."""
    first = rubric.part(sections[0].part)
    have = {s.part for s in sections}
    return [
        pid
        for pid in part_ids
        if pid not in have
        and rubric.part(pid).question == first.question
        and reading_key(rubric.part(pid)) < reading_key(first)
    ]


def gap_parts(replies: list[tuple[int, list[str]]], rubric: Rubric) -> dict[int, tuple[str, str]]:
    """Replies that reached no part, placed by order: parts are answered in reading order, so the one
    reply between an answer to 2(a) and one to 2(c) that reached nothing answers 2(b), when 2(b) has
    no answer of its own. ``replies``: each substantive assistant turn in order, with the parts it
    reached (empty when none). Returns turn -> (part, evidence) for the replies so placed; a gap of
    several replies, or one that more than one part could fill, places nothing (order alone cannot
    tell them apart)."""
    answered = {pid for _, parts in replies for pid in parts}
    out: dict[int, tuple[str, str]] = {}
    for i, (turn, parts) in enumerate(replies):
        if parts or i == 0 or i + 1 >= len(replies):
            continue
        before, after = replies[i - 1][1], replies[i + 1][1]
        if not before or not after:
            continue
        last = max((rubric.part(pid) for pid in before), key=reading_key)
        first = min((rubric.part(pid) for pid in after), key=reading_key)
        if last.question != first.question:
            continue
        between = [
            p.id
            for p in rubric.parts
            if p.question == last.question and reading_key(last) < reading_key(p) < reading_key(first)
        ]
        if len(between) == 1 and between[0] not in answered:
            why = f"between the answers to {last.id} and {first.id} (parts answered in order)"
            out[turn] = (between[0], why)
    return out
