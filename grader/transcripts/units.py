"""Split decoded text into layout units: paragraphs, display math, tables and fenced code.

Every reader starts here. A unit keeps its character offsets and 1-based line numbers so
that blocks built from it carry a faithful :class:`grader.models.Span`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from grader.models import Span

UnitKind = Literal["para", "math", "table", "code"]

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_TAB_ROW = re.compile(r"\t")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")


@dataclass(frozen=True)
class Line:
    """One source line without its newline, with the offset of its first character."""

    text: str
    start: int
    number: int

    @property
    def end(self) -> int:
        """Offset one past the line's last character."""
        return self.start + len(self.text)


@dataclass(frozen=True)
class Unit:
    """A run of consecutive non-blank lines that reads as one layout element."""

    kind: UnitKind
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        """The unit's source text (lines joined with newlines)."""
        return "\n".join(line.text for line in self.lines)

    @property
    def span(self) -> Span:
        """Where the unit lies in the source."""
        return span_of(self.lines)


def span_of(lines: tuple[Line, ...] | list[Line]) -> Span:
    """The span covering ``lines`` (which must be non-empty and in order)."""
    first, last = lines[0], lines[-1]
    return Span(start=first.start, end=last.end, line_start=first.number, line_end=last.number)


def split_lines(text: str, first_line: int = 1, offset: int = 0) -> list[Line]:
    """Split ``text`` on newlines, keeping offsets (relative to ``offset``) and line numbers."""
    lines: list[Line] = []
    pos = 0
    for number, raw in enumerate(text.split("\n"), start=first_line):
        lines.append(Line(raw, offset + pos, number))
        pos += len(raw) + 1
    return lines


def _is_table(lines: list[Line]) -> bool:
    if len(lines) < 2:
        return False
    if all(_PIPE_ROW.match(line.text) for line in lines):
        return True
    return all(_TAB_ROW.search(line.text) for line in lines)


def _is_math(lines: list[Line]) -> bool:
    body = "\n".join(line.text for line in lines).strip()
    if body.startswith("$$") and body.endswith("$$") and len(body) > 4:
        return True
    return body.startswith("\\[") and body.endswith("\\]")


def _flush(units: list[Unit], current: list[Line]) -> None:
    if not current:
        return
    if _is_table(current):
        kind: UnitKind = "table"
    elif _is_math(current):
        kind = "math"
    else:
        kind = "para"
    units.append(Unit(kind, tuple(current)))
    current.clear()


def split_units(lines: list[Line]) -> list[Unit]:
    """Group lines into units: fenced code, ``$$`` display math, tables, paragraphs.

    Blank lines end a paragraph but not an open code fence or an open ``$$`` block.

    >>> [u.kind for u in split_units(split_lines("Hi there\\n\\n$$x=1$$\\n\\na\\tb\\nc\\td"))]
    ['para', 'math', 'table']
    """
    units: list[Unit] = []
    current: list[Line] = []
    fence: str | None = None
    in_math = False
    for line in lines:
        stripped = line.text.strip()
        if fence is not None:
            current.append(line)
            if stripped.startswith(fence):
                units.append(Unit("code", tuple(current)))
                current, fence = [], None
            continue
        if in_math:
            current.append(line)
            if "$$" in stripped or stripped.endswith("\\]"):
                in_math = False
            continue
        match = _FENCE.match(line.text)
        if match:
            _flush(units, current)
            current, fence = [line], match.group(1)
            continue
        if not stripped:
            _flush(units, current)
            continue
        if not current and ((stripped.startswith("$$") and stripped.count("$$") == 1) or stripped == "\\["):
            current, in_math = [line], True
            continue
        current.append(line)
    if fence is not None and current:
        units.append(Unit("code", tuple(current)))
        current = []
    _flush(units, current)
    return units
