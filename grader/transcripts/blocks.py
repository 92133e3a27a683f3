"""Turn layout units into typed blocks: text, math, table, code, thinking, annotation, residue.

Shared by every reader. Annotations and residue are cut out of paragraphs line by line (and
out of lines, for a leading ``*note* ←``, a trailing ``**note**`` or an inline ``[note](#)``),
so that what remains as ``text`` is only what the turn's author wrote.
"""

from __future__ import annotations

import re

from grader.models import Block, BlockKind
from grader.transcripts import student_notes as ann
from grader.transcripts.residue import ASSISTANT_GLYPH, USER_GLYPH, is_residue_line
from grader.transcripts.units import Line, Unit, span_of

THINKING = re.compile(
    r"^\s*(?:\*Thought:[^*]*\*|_Thought:[^_]*_|\**Thought for [\w .]+\**|Thinking\.{0,3}|### Thought Process)\s*$",
    re.IGNORECASE | re.DOTALL,
)


def _block(kind: BlockKind, lines: list[Line], text: str | None = None, **meta: object) -> Block:
    body = "\n".join(line.text for line in lines) if text is None else text
    return Block(kind=kind, text=body, span=span_of(lines), meta=dict(meta))


def annotation_block(lines: list[Line], form: str) -> Block:
    """An annotation block with normalized text; the raw text is kept in ``meta['raw']``."""
    raw = "\n".join(line.text for line in lines)
    return _block("annotation", lines, ann.normalize(raw), form=form, raw=raw)


def _sub(line: Line, start: int, end: int) -> Line:
    return Line(line.text[start:end], line.start + start, line.number)


_MAX_SPLIT_LINE = 4000  # longer lines (pasted blobs) are kept whole: bounded regex work


def _split_line(line: Line) -> list[tuple[str, Line]]:
    """Cut a leading glyph, a leading note, a trailing bold note and comment links out of a line."""
    if len(line.text) > _MAX_SPLIT_LINE:
        return [("text", line)]
    pieces: list[tuple[str, Line]] = []
    for glyph_re in (ASSISTANT_GLYPH, USER_GLYPH):
        glyph = glyph_re.match(line.text)
        if glyph and glyph.end() < len(line.text):
            pieces.append(("residue", _sub(line, glyph.start(1), glyph.end(1))))
            line = _sub(line, glyph.end(), len(line.text))
            break
    lead = ann.LEADING_NOTE.match(line.text)
    if lead:
        pieces.append(("annotation", _sub(line, 0, lead.end("note"))))
        line = _sub(line, lead.start("rest"), len(line.text))
    tail_note: Line | None = None
    tail = ann.TRAILING_BOLD_NOTE.match(line.text)
    if tail:
        tail_note = _sub(line, tail.start("note"), tail.end("note"))
        line = _sub(line, 0, tail.end("rest"))
    pos = 0
    for link in ann.COMMENT_LINK.finditer(line.text):
        if ann.voice_score(link.group("body")) < 2:
            continue
        if line.text[pos : link.start()].strip():
            pieces.append(("text", _sub(line, pos, link.start())))
        pieces.append(("annotation", _sub(line, link.start(), link.end())))
        pos = link.end()
    if line.text[pos:].strip():
        pieces.append(("text", _sub(line, pos, len(line.text))))
    if tail_note is not None:
        pieces.append(("annotation", tail_note))
    return pieces


def paragraph_blocks(unit: Unit) -> list[Block]:
    """Blocks of one paragraph unit, annotations and residue cut out in order."""
    text = unit.text
    if THINKING.match(text):
        return [_block("thinking", list(unit.lines))]
    form = ann.paragraph_form(text)
    if form:
        return [annotation_block(list(unit.lines), form)]
    blocks: list[Block] = []
    pending: list[Line] = []

    def flush() -> None:
        if pending and any(line.text.strip() for line in pending):
            blocks.append(_block("text", pending))
        pending.clear()

    for line in unit.lines:
        if is_residue_line(line.text):
            flush()
            blocks.append(_block("residue", [line], line.text.strip()))
            continue
        single = ann.line_form(line.text)
        if single:
            flush()
            blocks.append(annotation_block([line], single))
            continue
        for kind, piece in _split_line(line):
            if kind == "text":
                pending.append(piece)
                continue
            flush()
            if kind == "annotation":
                blocks.append(annotation_block([piece], "inline-note"))
            else:
                blocks.append(_block("residue", [piece], piece.text.strip()))
    flush()
    return blocks


def unit_blocks(unit: Unit) -> list[Block]:
    """All blocks of one unit, whatever its kind."""
    if unit.kind == "math":
        return [_block("math", list(unit.lines))]
    if unit.kind == "table":
        return [_block("table", list(unit.lines))]
    if unit.kind == "code":
        return [_block("code", list(unit.lines))]
    return paragraph_blocks(unit)
