"""Replies told apart by the homework's question headings, in a document with no other turn cue.

A solutions document re-typeset from a chat (LaTeX, a word processor) keeps no speaker label, bubble,
indent or timestamp: the reader sees one run of the model's text. What it keeps is the homework's own
structure: each reply answers one question under a heading ("Question 2.", "Problem 3: Dropout",
"Answers to Homework 4, Question 3"). Where the layout says nothing else, a new reply starts at each
top-level question heading::

    heading rows   bold, larger than the body text, on a line of their own (a wrapped heading's next
                   line is the same heading)
    question ones  name one question number ("Question 4", "Problem 2(a)"), not several ("Questions 2-5")
    top level      the size of the largest of them: part headings ("(a) ...") set smaller do not count
    sequence       the numbers rise through the document: a heading that repeats or goes back to an
                   earlier number is a reference, not a new question
    a new reply    at each top-level question heading whose number differs from the previous one

Guards: at least two distinct questions, and no closing section at the questions' own level after the
last of them (a "Summary" or "Conclusion" as large as the question headings makes the questions the
sections of one piece of writing, not separate replies). Each break is recorded in the heading row's
``meta['turn_break']`` and in the line's evidence; the role stays the model's (nothing here says who
wrote what, only where one reply ends).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.transcripts.pdf.lines import Line

__all__ = ["HEADING_SIZE", "QUESTION_NUMBER", "question_breaks", "question_number"]

HEADING_SIZE = 1.1
"""A heading row is set at least this many times the body text's size (and bold): the same test the
assembler uses to mark a row as a heading (``## ``)."""

_SAME_LEVEL = 0.5
"""Points of font size within which two headings are at the same level."""

QUESTION_NUMBER = re.compile(
    r"(?:^|[\s,:;(])(?:Question|Problem|Exercise|Q)\s*\.?\s*#?\s*(\d{1,2})(?![\d.,]*\s*(?:-|–|,|and)\s*\d)"
    r"|^(\d{1,2})[.)]?\s+(?=[A-Z])",
    re.IGNORECASE,
)
"""One question number in a heading: "Question 3", "Problem 2(a)", "Q4:", "Answers to Homework 4,
Question 3", or a numbered section "3. Depthwise Separable Convolutions"; not a range or a list of
several ("Questions 2, 3, 4, 5", "Problems 1-3")."""

_MAX_HEADING_WORDS = 14
"""A heading longer than this is a sentence set in bold, not a heading."""


def question_number(text: str) -> int | None:
    """The question a heading's text names, or None.

    >>> question_number("Question 2."), question_number("Answers to Homework 4, Question 3")
    (2, 3)
    >>> question_number("Problem 4(b): Weight decay"), question_number("3. Depthwise Separable Convolutions")
    (4, 3)
    >>> question_number("Written Part (Questions 2, 3, 4, 5)"), question_number("(a) Stability")
    (None, None)
    """
    text = text.strip().lstrip("#").strip()
    if not text or len(text.split()) > _MAX_HEADING_WORDS:
        return None
    m = QUESTION_NUMBER.search(text)
    if m is None:
        return None
    return int(m.group(1) or m.group(2))


@dataclass
class _Heading:
    line: Line
    number: int | None


def _headings(lines: list[Line], body: float) -> list[_Heading]:
    """Heading rows of the model's text in reading order, a wrapped heading's next lines left out."""
    out: list[_Heading] = []
    prev: Line | None = None
    for ln in lines:
        if ln.kind not in ("text", "thinking"):
            continue  # notes and residue sit anywhere: they neither make nor end a heading
        row = ln.row
        heading = (
            ln.kind == "text"
            and ln.source == "text"
            and row.bold
            and not row.math_only
            and row.size > HEADING_SIZE * body
        )
        if heading and prev is not None and _wraps(prev, ln) and question_number(row.text) is None:
            prev = ln
            continue  # the second line of a heading that wrapped ("... Ridge Re-" / "gression")
        if heading:
            out.append(_Heading(ln, question_number(row.text)))
        prev = ln if heading else None
    return out


def _wraps(prev: Line, ln: Line) -> bool:
    a, b = prev.row, ln.row
    return (
        a.page == b.page
        and abs(a.size - b.size) <= _SAME_LEVEL
        and 0 < b.baseline - a.baseline <= 1.6 * a.size
    )


def question_breaks(lines: list[Line], body: float) -> int:
    """Mark where a new reply starts at a top-level question heading (see the module docstring).

    For a document in which nothing else told the turns apart. Sets ``starts_turn`` on each heading
    line that opens a new question, records why in its evidence and in ``row.meta['turn_break']``,
    and returns how many breaks it made (0 when the headings do not qualify).
    """
    heads = _headings(lines, body)
    questions = [h for h in heads if h.number is not None]
    if not questions:
        return 0
    top = max(h.line.row.size for h in questions)
    level = [h for h in questions if h.line.row.size >= top - _SAME_LEVEL]
    kept: list[_Heading] = []
    for h in level:
        assert h.number is not None
        if not kept or h.number > (kept[-1].number or 0):
            kept.append(h)
    if len(kept) < 2:
        return 0
    last = kept[-1].line
    after = heads[heads.index(next(h for h in heads if h.line is last)) + 1 :]
    if any(h.number is None and h.line.row.size >= top - _SAME_LEVEL for h in after):
        return 0  # a closing section at the questions' level: one piece of writing
    for prev, h in zip(kept, kept[1:], strict=False):
        row = h.line.row
        reason = (
            f"a top-level question heading (bold, {row.size:.1f} pt, on a line of its own; question "
            f"{h.number} after question {prev.number}) starts a new reply"
        )
        h.line.starts_turn = True
        h.line.why(reason)
        row.meta["turn_break"] = {
            "evidence": "question_heading",
            "question": h.number,
            "previous": prev.number,
            "size": round(row.size, 1),
            "headings": len(kept),
        }
    return len(kept) - 1
