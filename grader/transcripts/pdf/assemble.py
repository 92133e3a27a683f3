"""Rows of every page -> turns of typed blocks.

Block spans point into the reader's reconstructed text: one line per row, in reading order
(``Block.meta['page']`` gives the 1-based page). Fidelity: ``lossy`` for rows whose math the
geometry could not rebuild (or whose font maps glyphs wrongly), ``ocr`` for OCR'd pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from grader.models import Block, BlockKind, Fidelity, Role, Span, Turn
from grader.transcripts.pdf.boilerplate import ATTACHMENT_NAME, ATTACHMENT_TYPE
from grader.transcripts.pdf.layout import Row
from grader.transcripts.pdf.roles import THOUGHT
from grader.transcripts.residue import clean_timestamp, is_timestamp

_RAW_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_BARE_NORM = re.compile(r"(?<!\\)\|([^|$\s]{1,40}?)(?<!\\)\|(?=_)")


def restore_norm_bars(latex: str) -> str:
    r"""Put back the backslashes of ``\|`` that Markdown ate from raw LaTeX: ``|g|_1`` -> ``\|g\|_1``.

    An exporter renders the message as Markdown before KaTeX; ``\|`` is an escaped pipe there, so
    a formula KaTeX then failed on is printed with bare bars. Bars with a subscript after them can
    only be a norm (an absolute value takes no subscript).

    >>> print(restore_norm_bars(r"u = -\frac{\alpha|g|_1}{2}"))
    u = -\frac{\alpha\|g\|_1}{2}
    >>> print(restore_norm_bars(r"|x_i| + \|a\|_2"))
    |x_i| + \|a\|_2
    """
    return _BARE_NORM.sub(lambda m: "\\|" + m.group(1) + "\\|", latex)


@dataclass
class Item:
    """A row with its role and the kind of block it feeds."""

    row: Row
    role: Role
    kind: BlockKind
    line: int = 0


@dataclass
class Source:
    """The reconstructed text, one line per row, for block spans."""

    lines: list[str] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)

    def add(self, text: str) -> int:
        """Append a line; returns its 1-based number."""
        start = self.offsets[-1] + len(self.lines[-1]) + 1 if self.lines else 0
        self.lines.append(text.replace("\n", " "))
        self.offsets.append(start)
        return len(self.lines)

    def span(self, first: int, last: int) -> Span:
        """Span of lines ``first..last`` (1-based, inclusive)."""
        start = self.offsets[first - 1]
        end = self.offsets[last - 1] + len(self.lines[last - 1])
        return Span(start=start, end=end, line_start=first, line_end=last)


def _paragraph_blocks(items: list[Item], source: Source, body: float) -> list[Block]:
    """Blocks of consecutive text rows of one kind: paragraphs, display math, raw ``$$`` math."""
    blocks: list[Block] = []
    group: list[Item] = []

    def flush() -> None:
        if not group:
            return
        kind = group[0].kind
        text = "\n".join(i.row.text for i in group)
        fidelity: Fidelity = "lossy" if any(i.row.lossy for i in group) else "exact"
        meta: dict[str, Any] = {"page": group[0].row.page + 1}
        if any(i.row.meta.get("ocr") for i in group):
            fidelity = "ocr"
            meta["ocr"] = "tesseract"
        if any(i.row.has_math for i in group):
            meta["math"] = "katex-geometry"
        span = source.span(group[0].line, group[-1].line)
        if kind == "text" and "$$" in text:
            pos = 0
            for m in _RAW_DISPLAY.finditer(text):
                if text[pos : m.start()].strip():
                    blocks.append(
                        Block(
                            kind="text",
                            text=text[pos : m.start()].strip(),
                            span=span,
                            fidelity=fidelity,
                            meta=meta,
                        )
                    )
                blocks.append(
                    Block(
                        kind="math",
                        text="$$" + restore_norm_bars(" ".join(m.group(1).split("\n"))) + "$$",
                        span=span,
                        meta={**meta, "math": "raw-latex"},
                    )
                )
                pos = m.end()
            if text[pos:].strip():
                blocks.append(
                    Block(kind="text", text=text[pos:].strip(), span=span, fidelity=fidelity, meta=meta)
                )
        else:
            blocks.append(Block(kind=kind, text=text, span=span, fidelity=fidelity, meta=meta))
        group.clear()

    prev: Item | None = None
    for item in items:
        row = item.row
        same_table = prev is not None and item.kind == prev.kind == "table"
        new_para = not same_table and (
            prev is None
            or item.kind != prev.kind
            or row.math_only
            or prev.row.math_only
            or "ocr" in row.meta
            or "ocr" in prev.row.meta
            or (row.page == prev.row.page and row.baseline - prev.row.baseline > 1.9 * max(row.size, body))
            or (row.bold and row.size > 1.1 * body)
            or (prev.row.bold and prev.row.size > 1.1 * body)
        )
        if new_para:
            flush()
        if row.math_only:
            row.text = f"$${row.text}$$"
            kind: BlockKind = "thinking" if item.kind == "thinking" else "math"  # reasoning stays reasoning
            group.append(Item(row, item.role, kind, item.line))
            flush()
        else:
            if row.bold and row.size > 1.1 * body and item.kind == "text" and not row.text.startswith("#"):
                row.text = "## " + row.text
            group.append(item)
        prev = item
    flush()
    return blocks


def classify(row: Row, role: Role, thinking_rows: bool) -> BlockKind:
    """Block kind of one row (before paragraphs are built)."""
    if row.note:
        return "annotation"
    if row.meta.get("table"):
        return "table"
    if is_timestamp(row.text):
        return "residue"
    if THOUGHT.match(row.text) or thinking_rows:
        return "thinking"
    return "text"


def build_turns(items: list[Item], source: Source, body: float, role_inferred: bool) -> list[Turn]:
    """Group items into turns (a role change or a message timestamp ends a turn) and blocks.

    A turn's role is the role of its chat rows: the student's notes sit beside the chat wherever
    they like, so they never decide (or split) a turn. A note line that continues a note of the
    turn just closed (the next line of the same typed comment) stays with that turn.
    """
    groups: list[tuple[list[Item], str | None]] = []
    current: list[Item] = []
    pending_notes: list[Item] = []
    timestamp: str | None = None

    def close() -> None:
        nonlocal timestamp
        if current:
            groups.append((list(current), timestamp))
        current.clear()
        timestamp = None

    for item in items:
        if current and item.row.meta.get("ocr_page") and item.row.page != current[-1].row.page:
            close()  # a page of screenshots is a turn of its own (roles cannot be told apart)
        if item.kind == "annotation":
            if current:
                current.append(item)
            elif groups and _continues_note(groups[-1][0], item):
                groups[-1][0].append(item)
            else:
                pending_notes.append(item)
            continue
        if item.kind == "residue" and is_timestamp(item.row.text):
            timestamp = clean_timestamp(item.row.text)
            if current:
                current.append(item)
            close()
            continue
        if current and item.role != _role(current):
            close()
        if pending_notes and not current:
            current.extend(pending_notes)
            pending_notes.clear()
        current.append(item)
    current.extend(pending_notes)
    close()
    return [
        Turn(
            index=n,
            role=_role(group),
            blocks=_blocks(group, source, body),
            timestamp=stamp,
            role_inferred=role_inferred,
        )
        for n, (group, stamp) in enumerate(groups)
    ]


def _role(items: list[Item]) -> Role:
    """The role of a turn's chat rows (a turn of notes only takes its first note's role)."""
    return next((i.role for i in items if i.kind != "annotation"), items[0].role)


def _continues_note(items: list[Item], note: Item) -> bool:
    """True when ``note`` is the next line of a typed note among ``items`` (same column, next line)."""
    if "annot" in note.row.meta:
        return False
    for other in reversed(items):
        if other.kind != "annotation" or "annot" in other.row.meta:
            continue
        r, o = note.row, other.row
        gap = r.baseline - o.baseline
        return r.page == o.page and abs(r.x0 - o.x0) <= 3 and 0 < gap <= 2.2 * max(r.size, o.size)
    return False


def _blocks(items: list[Item], source: Source, body: float) -> list[Block]:
    """Blocks of one turn: annotations grouped by proximity, chips, residue, paragraphs."""
    blocks: list[Block] = []
    text_run: list[Item] = []
    notes = [i for i in items if i.kind == "annotation"]
    used: set[int] = set()
    for idx, item in enumerate(items):
        if item.kind == "annotation":
            if id(item) in used:
                continue
            blocks += _paragraph_blocks(text_run, source, body)
            text_run = []
            group = [item]
            for other in notes:
                if id(other) in used or other is item or other.row.page != item.row.page:
                    continue
                if "annot" in other.row.meta or "annot" in item.row.meta:
                    continue
                if 0 < other.row.baseline - group[-1].row.baseline <= 2.2 * other.row.size:
                    group.append(other)
            used.update(id(g) for g in group)
            blocks.append(_annotation(group, source))
            continue
        if item.kind == "residue":
            blocks += _paragraph_blocks(text_run, source, body)
            text_run = []
            blocks.append(
                Block(
                    kind="residue",
                    text=item.row.text,
                    span=source.span(item.line, item.line),
                    meta={"page": item.row.page + 1},
                )
            )
            continue
        nxt = items[idx + 1] if idx + 1 < len(items) else None
        if ATTACHMENT_NAME.match(item.row.text) and nxt is not None and ATTACHMENT_TYPE.match(nxt.row.text):
            blocks += _paragraph_blocks(text_run, source, body)
            text_run = []
            blocks.append(
                Block(
                    kind="attachment",
                    text=item.row.text.strip(),
                    span=source.span(item.line, item.line),
                    fidelity="lossy",  # the file itself is not in the PDF: its content was not read
                    meta={"page": item.row.page + 1, "chip": True, "content": "not in the PDF"},
                )
            )
            nxt.kind = "residue"
            nxt.row.meta["chip"] = True
            continue
        if item.row.meta.get("chip"):
            continue
        text_run.append(item)
    blocks += _paragraph_blocks(text_run, source, body)
    return blocks


def _annotation(group: list[Item], source: Source) -> Block:
    first = group[0].row
    meta = {"page": first.page + 1, "form": first.meta.get("annot", "pdf-typed-note")}
    if "author" in first.meta:
        meta["author"] = first.meta["author"]
    text = " ".join(i.row.text.strip() for i in group)
    lines = sorted(i.line for i in group)
    fidelity: Fidelity = "ocr" if first.meta.get("ocr") else "exact"
    return Block(
        kind="annotation", text=text, span=source.span(lines[0], lines[-1]), fidelity=fidelity, meta=meta
    )
