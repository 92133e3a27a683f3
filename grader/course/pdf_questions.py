"""Read a homework's question PDF into questions and parts, with the PDF's own numbering.

Structure comes from layout, not from one course's wording:

* **question headings**: a line that starts with a number ("3. Title", "Problem 3", "Question 3:"),
  is bold or larger than the body text, sits at the left margin, and numbers upward;
* **part labels**: a line that opens with "(a)", "a)", "(ii)", "ii." ...; its level is the indentation
  at which the label's text starts (LaTeX and word processors align an item's text, whatever the
  label's width), and a label is accepted only where it continues its level's sequence ((a), (b), ...;
  (i), (ii), ...) or opens a deeper level ((a) or (i)), so that "(b)" quoted at the start of a wrapped
  line is read as text;
* **section breaks**: an unnumbered line styled like a heading ("The following are old exam
  questions...") closes the current question.

Letters give the part, roman numerals under a letter the sub-part; deeper levels stay in their parent's
text (DESIGN.md ids have two levels).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from grader.course.model import Question, QuestionPart, QuestionSet, part_id, roman_index
from grader.course.pdf_lines import Line, body_size, pdf_lines
from grader.errors import InputError

_HEADING_RE = re.compile(
    r"^\s*(?:(?:problem|question|exercise|task)\s*)?(\d{1,2})\s*(?:[.:)]\s*|\s+(?=[A-Z(]))(.*)$", re.I
)
_NAMED_HEADING_RE = re.compile(r"^\s*(?:problem|question|exercise|task)\s*(\d{1,2})\b\s*[.:)]?\s*(.*)$", re.I)
_LABEL_RE = re.compile(r"^\s*(?:\(([a-z]{1,5})\)|([a-z]{1,5})[.)])(?=\s|$)")
_POINTS_RE = re.compile(r"\(\s*(\d+(?:\.\d+)?)\s*(?:pts?|points?)\s*\)", re.I)
_OPTIONAL_RE = re.compile(r"\(\s*optional\b", re.I)
_INDENT_TOL = 3.0
_LABEL_REACH = 48.0
_TITLE_WORD_RE = re.compile(r"\b(?:homework|assignment|problem set|exam|quiz|hw\s*\d)", re.I)


@dataclass
class _Level:
    indent: float
    kind: str  # "letter" | "roman"
    last: str


@dataclass
class _Node:
    """A question, part or sub-part being read."""

    letter: str | None = None
    roman: str | None = None
    page: int = 0
    lines: list[str] = field(default_factory=list)

    def text(self) -> str:
        return _join(self.lines)


def _join(lines: list[str]) -> str:
    """Lines joined with newlines; a word hyphenated across a line break is rejoined."""
    out = ""
    for ln in lines:
        s = ln.strip()
        if not s:
            continue
        if out.endswith("-") and s[:1].islower() and len(out) > 1 and out[-2].isalpha():
            out = out[:-1] + s
        else:
            out = f"{out}\n{s}" if out else s
    return out


def _follows(level: _Level, label: str) -> bool:
    """Does ``label`` continue ``level``'s sequence ((a) -> (b), (ii) -> (iii); one skip allowed)?"""
    if level.kind == "letter":
        return len(label) == 1 and 0 < ord(label) - ord(level.last) <= 2
    now, before = roman_index(label), roman_index(level.last)
    return now is not None and before is not None and 0 < now - before <= 2


def _opens(label: str) -> str | None:
    """The kind of a new, deeper level that ``label`` opens, or None when it cannot open one."""
    if label == "a":
        return "letter"
    if label == "i":
        return "roman"
    return None


class _Reader:
    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.body = body_size(lines)
        body_lines = [ln.x0 for ln in lines if abs(ln.size - self.body) < 0.6]
        xs = sorted(body_lines) or [0.0]
        self.left = xs[len(xs) // 20]  # the left margin, robust to a few outliers
        self.questions: list[tuple[Question, list[_Node]]] = []
        self.stack: list[_Level] = []
        self.node: _Node | None = None
        self.title_lines: list[Line] = []
        self.heading: Line | None = None
        self.warnings: list[str] = []

    # ---------------------------------------------------------------- line kinds

    def _heading_style(self, ln: Line) -> bool:
        return ln.size >= self.body * 1.15 or (ln.bold and ln.size >= self.body * 0.95)

    def _question_heading(self, ln: Line) -> tuple[str, str] | None:
        if not self._heading_style(ln) or ln.x0 > self.left + 24:
            return None
        m = _NAMED_HEADING_RE.match(ln.text) or _HEADING_RE.match(ln.text)
        if not m:
            return None
        # The number itself is set like a heading (bold or large): "5: Repeat" in an algorithm is not.
        start, end = m.span(1)
        if not any(ln.char_bold[start:end]) and max(ln.char_size[start:end]) < self.body * 1.15:
            return None
        number = int(m.group(1))
        last = int(self.questions[-1][0].number) if self.questions else 0
        if not last < number <= last + 5:
            return None
        return str(number), (m.group(2) or "").strip()

    def _section_break(self, ln: Line) -> bool:
        """An unnumbered bold line, larger than the body, at the margin: a new section of the document."""
        big = ln.size >= self.body * 1.15 and ln.bold
        return big and ln.x0 <= self.left + 4 and _LABEL_RE.match(ln.text) is None

    def _label(self, ln: Line) -> tuple[int, str, str] | None:
        """(depth, kind, label) of a part label opening ``ln``, or None."""
        m = _LABEL_RE.match(ln.text)
        if not m:
            return None
        label = (m.group(1) or m.group(2)).lower()
        if len(label) > 1 and roman_index(label) is None:
            return None
        rest = len(ln.text) - len(ln.text[m.end() :].lstrip())
        indent = ln.x_at(rest) if rest < len(ln.text) else ln.x_at(m.end()) + 4.0
        column = self.stack[-1].indent if self.stack else self.left
        if ln.x0 > column + _LABEL_REACH:
            return None  # "i." far right on a line is a subscript, not a label
        for depth, level in enumerate(self.stack):
            if abs(level.indent - indent) <= _INDENT_TOL:
                if _follows(level, label):
                    return depth, level.kind, label
                if level.kind == "letter" and label == "i" and level.last == "h":
                    return depth, "letter", label
                return None
        if not self.stack or indent > self.stack[-1].indent + _INDENT_TOL:
            kind = _opens(label)
            if kind is not None:
                self.stack.append(_Level(indent, kind, label))
                return len(self.stack) - 1, kind, label
        return None

    # ---------------------------------------------------------------- reading

    def run(self) -> None:
        previous: Line | None = None
        for ln in self.lines:
            if self._title_continues(ln, previous):
                self.title_lines.append(ln)
                previous = ln
                continue
            self.heading = None
            head = self._question_heading(ln)
            if head is not None:
                self._start_question(ln, *head)
                previous = ln
                continue
            if self._section_break(ln):
                self._close_question()
                previous = ln
                continue
            if self.questions and self.node is not None:
                self._body_line(ln)
            previous = ln

    def _title_continues(self, ln: Line, previous: Line | None) -> bool:
        if self.heading is None or previous is None:
            return False
        same_size = abs(ln.size - self.heading.size) < 0.5
        close = -0.5 * ln.size <= ln.y0 - previous.y1 < self.heading.size * 1.2 and ln.page == previous.page
        return same_size and close and _LABEL_RE.match(ln.text) is None

    def _start_question(self, ln: Line, number: str, title: str) -> None:
        question = Question(number=number, title=title, page=ln.page)
        self.questions.append((question, [_Node(page=ln.page)]))
        self.node = self.questions[-1][1][0]
        self.stack = []
        self.heading = ln
        self.title_lines = [ln]

    def _close_question(self) -> None:
        self._finish_title()
        self.node = None
        self.stack = []

    def _finish_title(self) -> None:
        if self.questions and len(self.title_lines) > 1:
            question = self.questions[-1][0]
            question.title = _join([question.title] + [t.text for t in self.title_lines[1:]])
        self.title_lines = []

    def _body_line(self, ln: Line) -> None:
        self._finish_title()
        nodes = self.questions[-1][1]
        found = self._label(ln)
        if found is None:
            assert self.node is not None
            self.node.lines.append(ln.text)
            return
        depth, kind, label = found
        del self.stack[depth + 1 :]
        self.stack[depth].last = label
        text = _LABEL_RE.sub("", ln.text, count=1)
        current = self.node
        assert current is not None
        if depth == 0:
            node = _Node(letter=label, page=ln.page, lines=[text])
            if kind == "roman":
                node = _Node(roman=label, page=ln.page, lines=[text])
        elif depth == 1 and kind == "roman" and self.stack[0].kind == "letter":
            node = _Node(letter=current.letter, roman=label, page=ln.page, lines=[text])
        else:
            # Deeper than part and sub-part (or letters under letters): text of the parent.
            current.lines.append(ln.text)
            return
        nodes.append(node)
        self.node = node

    def finish(self, homework: str, source: str) -> QuestionSet:
        self._finish_title()
        result: list[Question] = []
        for question, nodes in self.questions:
            preamble = nodes[0].text()
            question.preamble = preamble
            question.optional = bool(_OPTIONAL_RE.search(question.title))
            parts = nodes[1:]
            leaves: list[_Node] = []
            letter_text: dict[str | None, str] = {}
            for node in parts:
                if node.roman is None:
                    letter_text[node.letter] = node.text()
                has_children = node.roman is None and any(
                    n.roman is not None and n.letter == node.letter for n in parts
                )
                if not has_children:
                    leaves.append(node)
            if not leaves:
                question.parts = [
                    QuestionPart(
                        id=part_id(question.number),
                        question=question.number,
                        letter=None,
                        roman=None,
                        text=preamble,
                        page=question.page,
                        points=_points(question.title + "\n" + preamble[:200]),
                        optional=question.optional,
                    )
                ]
            for node in leaves:
                own = node.text()
                context = preamble
                if node.roman is not None and node.letter is not None:
                    context = _join([preamble, letter_text.get(node.letter, "")])
                head = own[:120] + ("\n" + letter_text.get(node.letter, "")[:120] if node.roman else "")
                pid = part_id(question.number, node.letter, node.roman)
                if any(p.id == pid for p in question.parts):
                    self.warnings.append(f"{source}: part {pid} numbered twice; the second kept apart")
                    continue
                question.parts.append(
                    QuestionPart(
                        id=pid,
                        question=question.number,
                        letter=node.letter,
                        roman=node.roman,
                        text=own,
                        context=context,
                        page=node.page,
                        points=_points(head),
                        optional=question.optional or bool(_OPTIONAL_RE.search(head)),
                    )
                )
            result.append(question)
        return QuestionSet(
            homework=homework,
            source=source,
            title=self._document_title(),
            questions=result,
            warnings=self.warnings,
        )

    def _document_title(self) -> str:
        """The largest line before the first question ("Homework 2"), preferring one that names it."""
        first = self.questions[0][0] if self.questions else None
        before: list[Line] = []
        for ln in self.lines:
            if (
                first is not None
                and ln.page == first.page
                and _HEADING_RE.match(ln.text)
                and (self._question_heading_number(ln) == first.number)
            ):
                break
            if ln.size > self.body * 1.3:
                before.append(ln)
        if not before:
            return ""
        biggest = max(ln.size for ln in before)
        top = [ln.text.strip() for ln in before if ln.size == biggest]
        named = [t for t in top if _TITLE_WORD_RE.search(t)]
        return (named or top)[0]

    def _question_heading_number(self, ln: Line) -> str | None:
        m = _NAMED_HEADING_RE.match(ln.text) or _HEADING_RE.match(ln.text)
        return str(int(m.group(1))) if m else None


def _points(text: str) -> float | None:
    m = _POINTS_RE.search(text)
    return float(m.group(1)) if m else None


def read_question_pdf_bytes(data: bytes, homework: str, source: str) -> QuestionSet:
    """The questions and parts of one homework's question PDF (bytes).

    Raises:
        InputError: the file is not a readable PDF, or no numbered question was found in it.
    """
    lines = pdf_lines(data, source)
    reader = _Reader(lines)
    reader.run()
    qs = reader.finish(homework, source)
    if not qs.questions:
        if not lines:
            raise InputError("the PDF has no text layer (scanned?); question files must hold text", source)
        raise InputError(
            "no numbered question found (expected headings like '1. Title' or 'Problem 1')", source
        )
    return qs


def read_question_pdf(path: Path, homework: str) -> QuestionSet:
    """The questions and parts of one homework's question PDF file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read question file: {exc.strerror or exc}", str(path)) from exc
    return read_question_pdf_bytes(data, homework, str(path))
