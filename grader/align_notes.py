"""The student's own headings between exchanges: which part the next exchange answers.

Write-ups often carry the student's section headings as typed notes between the chat excerpts ("2.4
Problem 3: Weight Decay", "Part (b): Momentum Update Rule", "1.5 e)"), while the prompts that
follow name no part ("Solve the question in this screenshot."). A heading note is the
first line of an annotation block that opens with a question reference ("Problem 4", "Question 2") or
a part label ("Part (b)", "(c)", "e)"), once the document's own section number ("3.1", "1.5") is set
aside. Only the reference and the label are kept, never the title or the paragraph run on after them,
so the note names a part and nothing else. :func:`grader.align.align` reads the notes met since the
last model answer when no prompt names a part, and takes their question number as the question at
hand.
"""

from __future__ import annotations

import re

from grader.align_labels import LETTER, ROMAN
from grader.models import Block, Turn

__all__ = ["heading_note", "notes_after_answer", "notes_heading"]

_SECTION_NUMBER = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+(?=\D)")
_QUESTION = re.compile(r"^(?:problem|question)\s*(\d{1,2})(?![\d.])", re.I)
_PART = re.compile(
    rf"^(?:part\s*)?(\(?\s*(?:{LETTER}|{ROMAN})\s*\))(?:\s*(?:[-–—]|to)\s*(\(?\s*(?:{LETTER}|{ROMAN})\s*\)))?"
    rf"|^part\s+({LETTER})\b",
    re.I,
)
_SHORT = 10
"""A first line of at most this many words is a heading; a longer one (a heading run on into its
paragraph by the PDF's text layer) only with a section number in front or a titled label ("Part (c):
Kernel Width ..."): "f) the model agrees with the key once ..." is commentary."""


def heading_note(block: Block) -> str | None:
    """The part reference a student's heading note opens with ("Problem 4", "Part (a)", "Problem 3
    (b)"), else None.

    >>> from grader.models import Block
    >>> heading_note(Block(kind="annotation", text="4.1 Problem 4: Layer Normalisation. Problem 4 asks"))
    'Problem 4'
    >>> heading_note(Block(kind="annotation", text="1.5 e)")), heading_note(Block(kind="annotation", text="Evaluation: correct"))
    ('e)', None)
    """
    if block.kind != "annotation" or not block.text.strip():
        return None
    line = block.text.strip().splitlines()[0]
    short = len(line.split()) <= _SHORT
    numbered = _SECTION_NUMBER.match(line) is not None
    line = _SECTION_NUMBER.sub("", line, count=1).lstrip("#*> ").strip()
    found: list[str] = []
    q = _QUESTION.match(line)
    if q:
        found.append(f"Problem {q.group(1)}")
        line = line[q.end() :].lstrip(" :.-–—")
    p = _PART.match(line)
    if p and not (short or numbered or re.match(r"\s*:\s*[A-Z$]", line[p.end() :])):
        p = None
    if q and not (short or numbered or re.match(r"\s*[A-Z$(]", line)):
        return None  # "Question 4 seems ..." run on: commentary
    if p:
        if p.group(3):
            found.append(f"({p.group(3).lower()})")
        else:
            found.append(p.group(1) if "(" in p.group(1) or not found else f"({p.group(1).strip('( )')})")
    return " ".join(found) if found else None


def notes_after_answer(turn: Turn) -> list[str]:
    """The heading notes of a turn that come after its last text of the chat (all of them in a user
    turn, or in a model turn with no text): the headings of what follows."""
    last = -1
    if turn.role == "assistant":
        last = max(
            (i for i, b in enumerate(turn.blocks) if b.kind in ("text", "math", "table", "code")), default=-1
        )
    return [n for b in turn.blocks[last + 1 :] if (n := heading_note(b))]


def notes_heading(notes: list[str]) -> tuple[str, str | None] | None:
    """The heading the notes met since the last answer give the next exchange, and the question number
    they name (None when they name only a label, "Part (b)"); None when there are no notes, or when they
    name several questions (a table of contents, "3 Question 1 ... 7 Question 6", heads no exchange).

    >>> notes_heading(["Problem 4", "(a)"]), notes_heading(["(b)"]), notes_heading(["Problem 1", "Problem 2"])
    (('Problem 4\\n(a)', '4'), ('(b)', None), None)
    """
    questions = {m.group(1) for n in notes if (m := _QUESTION.match(n))}
    if not notes or len(questions) > 1:
        return None
    return "\n".join(notes), next(iter(questions), None)
