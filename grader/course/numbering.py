"""The questions and parts a transcript itself names, when no question PDF is given.

Read in order over every turn: question headings and references ("## Problem 3", "**Question 4:**",
"3. Title", "Problem 5(b)(iii)", "Q4 a)") set or name a question; part labels at the start of a line
("(a)", "**(b)**", "b)", "(ii)") under the current question name its parts. A question that has
lettered parts stands for them only; roman labels under a letter are its sub-parts.

>>> [p.id for p in parts_in_transcript_text("## Problem 2\\n(a) first\\n(b) second\\n### Q3\\nsolve it")]
['q2a', 'q2b', 'q3']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.course.model import part_id, part_label, roman_index
from grader.models import Transcript

_ROMAN = r"(?:ix|x|iv|v?i{1,3}|v)"
_REF_RE = re.compile(
    rf"\b(?:problem|question|q|exercise)\s*(\d{{1,2}})\s*(?:\(?\s*([a-l])\s*\)?(?:\s*\(?\s*({_ROMAN})\s*\))?)?(?![a-z0-9])",
    re.I,
)
_HEADING_RE = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(?:(?:problem|question|q|exercise)\s*(\d{1,2})(?:\s*\(?([a-l])\)?)?(?![a-z0-9])"
    r"|(\d{1,2})\.\s+[A-Z])",
    re.I,
)
_LABEL_RE = re.compile(
    rf"^\s*(?:[-*>]\s*)?(?:#{{1,6}}\s*)?(?:\*\*)?\s*(?:part\s+)?\(?\s*([a-l]|{_ROMAN})\s*\)(?:\s*\(\s*({_ROMAN})\s*\))?",
    re.I,
)


@dataclass(frozen=True)
class FoundPart:
    """A part named in a transcript."""

    question: str
    letter: str | None = None
    roman: str | None = None

    @property
    def id(self) -> str:
        """DESIGN.md part id."""
        return part_id(self.question, self.letter, self.roman)

    @property
    def label(self) -> str:
        """The rubric label (``b(i)``)."""
        return part_label(self.letter, self.roman)


def _order(p: FoundPart) -> tuple[int, str, int]:
    return (int(p.question), p.letter or "", roman_index(p.roman or "") or 0)


def parts_in_transcript_text(text: str) -> list[FoundPart]:
    """The parts a text names by numbering (see the module notes), in numbering order."""
    found: set[FoundPart] = set()
    question: str | None = None
    letter: str | None = None
    for line in text.splitlines():
        head = _HEADING_RE.match(line)
        if head:
            question = str(int(head.group(1) or head.group(3)))
            letter = head.group(2).lower() if head.group(2) else None
            found.add(FoundPart(question, letter))
        for m in _REF_RE.finditer(line):
            q, a, r = str(int(m.group(1))), m.group(2), m.group(3)
            found.add(FoundPart(q, a.lower() if a else None, r.lower() if r and a else None))
        lab = _LABEL_RE.match(line)
        if lab and question is not None and not head:
            first, second = lab.group(1).lower(), (lab.group(2) or "").lower() or None
            is_roman_first = roman_index(first) is not None and (
                letter is not None and not (first == "i" and letter == "h")
            )
            if is_roman_first and second is None:
                found.add(FoundPart(question, letter, first))
            else:
                letter = first
                found.add(FoundPart(question, letter, second))
    return _collapse(found)


def _collapse(found: set[FoundPart]) -> list[FoundPart]:
    """Drop a question (or letter) that has sub-parts: the sub-parts stand for it."""
    out = []
    for p in found:
        if p.letter is None and any(o.question == p.question and o.letter for o in found):
            continue
        if (
            p.roman is None
            and p.letter
            and any(o.question == p.question and o.letter == p.letter and o.roman for o in found)
        ):
            continue
        out.append(p)
    return sorted(out, key=_order)


def parts_in_transcript(transcript: Transcript) -> list[FoundPart]:
    """The parts a transcript names by numbering, over all of its text (annotations excluded)."""
    text = "\n".join(
        b.text
        for t in transcript.turns
        for b in t.blocks
        if b.kind in ("text", "math", "table", "attachment")
    )
    return parts_in_transcript_text(text)


def covers(named: str, pid: str) -> bool:
    """Does a named part id stand for ``pid``? (``q3`` covers ``q3b_i``, ``q3b`` covers ``q3b_ii``.)

    >>> covers("q3", "q3b_i"), covers("q3b", "q3b_ii"), covers("q3", "q31"), covers("q3b", "q3b")
    (True, True, False, True)
    """
    if pid == named:
        return True
    if not pid.startswith(named):
        return False
    nxt = pid[len(named)]
    return nxt == "_" or (named[-1].isdigit() and nxt.isalpha())
