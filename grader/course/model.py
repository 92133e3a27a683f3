"""The course's questions as read at run time: homework -> questions -> parts, with the PDF's numbering.

The question text is the course's (copyrighted) material: it is read from the files a TA points the
grader at and kept in memory only; nothing here is written into the project.

Part ids follow DESIGN.md: ``q`` + question number + part letter + ``_`` + roman numeral, lowercase:
3(b) -> ``q3b``, 5(b)(iii) -> ``q5b_iii``, a question without lettered parts -> ``q6``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv")


def roman_index(label: str) -> int | None:
    """1-based value of a lowercase roman numeral up to xv, else None.

    >>> roman_index("iv"), roman_index("q")
    (4, None)
    """
    label = label.lower()
    return _ROMAN.index(label) + 1 if label in _ROMAN else None


def part_id(question: str, letter: str | None = None, roman: str | None = None) -> str:
    """The DESIGN.md part id of question ``question``, part ``letter``, sub-part ``roman``.

    >>> part_id("3", "b"), part_id("5", "b", "iii"), part_id("6"), part_id("2", None, "ii")
    ('q3b', 'q5b_iii', 'q6', 'q2_ii')
    """
    pid = f"q{question}{(letter or '').lower()}"
    return f"{pid}_{roman.lower()}" if roman else pid


def part_label(letter: str | None, roman: str | None) -> str:
    """The rubric's ``label`` of a part: ``b(i)``, ``a``, ``(ii)`` or ``""``.

    >>> part_label("b", "i"), part_label("a", None), part_label(None, None)
    ('b(i)', 'a', '')
    """
    label = letter or ""
    return f"{label}({roman})" if roman else label


_ID_RE = re.compile(r"^q(\d+)([a-z]?)(?:_([ivx]+))?$")


def split_part_id(pid: str) -> tuple[str, str | None, str | None] | None:
    """``q5b_iii`` -> ``("5", "b", "iii")``; None when ``pid`` is not a DESIGN.md part id."""
    m = _ID_RE.match(pid)
    if not m:
        return None
    return m.group(1), m.group(2) or None, m.group(3)


@dataclass
class QuestionPart:
    """One answerable part of a question (a leaf of the PDF's numbering)."""

    id: str
    """DESIGN.md part id (``q3b_i``)."""
    question: str
    """The question number (``"3"``)."""
    letter: str | None
    """The lettered part (``"b"``), None for a question without lettered parts."""
    roman: str | None
    """The roman sub-part (``"i"``), if any."""
    text: str
    """The part's own text as read from the PDF (its label removed)."""
    context: str = ""
    """Lead-in text that applies to the part: the question's preamble and the lettered part's own text
    when the part is a roman sub-part."""
    page: int = 0
    """1-based page where the part starts."""
    points: float | None = None
    """Points printed with the part ("(4pts)"), if any."""
    optional: bool = False
    """The part (or its question) is marked optional."""

    @property
    def label(self) -> str:
        """The rubric label of the part (``b(i)``)."""
        return part_label(self.letter, self.roman)

    @property
    def display(self) -> str:
        """How the course writes the part: ``3(b)(i)``."""
        out = self.question
        if self.letter:
            out += f"({self.letter})"
        if self.roman:
            out += f"({self.roman})"
        return out


@dataclass
class Question:
    """A numbered question of a homework."""

    number: str
    title: str
    preamble: str = ""
    """Text between the heading and the first part."""
    parts: list[QuestionPart] = field(default_factory=list)
    """The answerable parts in order (one part ``qN`` when the question has no lettered parts)."""
    page: int = 0
    optional: bool = False


@dataclass
class QuestionSet:
    """The questions of one homework, read from its question file."""

    homework: str
    """The homework id (``cs182-fa25-hw2``)."""
    source: str
    """The file the questions were read from."""
    title: str = ""
    """The document's own title ("Homework 2"), when found."""
    questions: list[Question] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def parts(self) -> list[QuestionPart]:
        """Every answerable part, in document order."""
        return [p for q in self.questions for p in q.parts]

    def part(self, pid: str) -> QuestionPart | None:
        """The part by id, or None."""
        return next((p for p in self.parts() if p.id == pid), None)

    def question(self, number: str) -> Question | None:
        """The question by number, or None."""
        return next((q for q in self.questions if q.number == number), None)

    def text(self) -> str:
        """All question text of the homework (titles, preambles, parts)."""
        chunks: list[str] = [self.title]
        for q in self.questions:
            chunks += [q.title, q.preamble]
            chunks += [p.text for p in q.parts]
        return "\n".join(c for c in chunks if c)


@dataclass
class Course:
    """The homeworks of a course whose question files the TA supplied."""

    homeworks: dict[str, QuestionSet] = field(default_factory=dict)
    source: str = ""

    def get(self, homework: str) -> QuestionSet | None:
        """The question set of a homework id, or None."""
        return self.homeworks.get(homework)

    def __len__(self) -> int:
        return len(self.homeworks)
