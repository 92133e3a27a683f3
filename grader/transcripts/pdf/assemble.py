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
from grader.transcripts.residue import clean_timestamp, is_timestamp
from grader.transcripts.role_evidence import ROLE_EVIDENCE_KEY

HEADING_GAP = 3.2
"""A note's heading is followed by its first line within this many line heights (headings sit apart)."""
_SENTENCE_END = re.compile(r"[.!?)\]]\s*$")
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
    """A row with its role and the kind of block it feeds (and why: the reader's evidence)."""

    row: Row
    role: Role
    kind: BlockKind
    line: int = 0
    starts_turn: bool = False
    closes_turn: bool = False
    group: str = ""
    evidence: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    """The kinds of role evidence among ``evidence`` (``grader.transcripts.role_evidence``)."""
    confidence: float = 0.5


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
        if group[0].evidence:
            meta["evidence"] = list(group[0].evidence)
            meta[ROLE_EVIDENCE_KEY] = list(group[0].kinds)
            meta["confidence"] = min(i.confidence for i in group)
        if "turn_break" in group[0].row.meta:  # why a new reply starts here (``question_headings``)
            meta["turn_break"] = group[0].row.meta["turn_break"]
        if any(i.row.meta.get("ocr") for i in group):
            fidelity = "ocr"
            meta["ocr"] = "tesseract"
        if any(i.row.has_math for i in group):
            meta["math"] = "katex-geometry"
        rebuilt = sorted({k for i in group for k in i.row.meta.get("math_rebuilt", [])})
        if rebuilt:  # formulas read back from glyph geometry (see ``mathgeom``): the evidence
            meta["math_rebuilt"] = rebuilt
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


def build_turns(items: list[Item], source: Source, body: float, role_inferred: bool) -> list[Turn]:
    """Group items into turns and blocks.

    A turn ends where the speaker changes, where an item starts a message of its own (a speaker
    label, a reasoning marker, another bubble of the user), and after a message timestamp. The
    student's notes sit beside the chat wherever they like, so they never decide (or split) a turn:
    they join the turn they sit in, or the next one when they come first.
    """
    groups: list[tuple[list[Item], str | None]] = []
    current: list[Item] = []
    pending: list[Item] = []
    timestamp: str | None = None
    last_chat: Item | None = None

    def close() -> None:
        nonlocal timestamp, last_chat, current
        if any(i.kind not in ("annotation", "residue") for i in current):
            groups.append((current, timestamp))  # the list itself: a note's next line may join it
        elif current and groups:
            groups[-1][0].extend(current)
        elif current:
            pending.extend(current)
        current = []
        timestamp = None
        last_chat = None

    note_home: dict[int, list[Item]] = {}
    prev_note: Item | None = None
    for item in items:
        if item.kind == "annotation":
            # the next line of a note stays with the note, whatever turn boundary falls between
            home = (
                note_home.get(id(prev_note))
                if prev_note is not None and _next_note_line(prev_note, item)
                else None
            )
            target = home if home is not None else (current if current else pending)
            target.append(item)
            note_home[id(item)] = target
            prev_note = item
            continue
        if item.kind == "residue" and not item.closes_turn:
            (current if current else pending).append(item)
            continue
        if item.closes_turn:
            timestamp = clean_timestamp(item.row.text) if is_timestamp(item.row.text) else None
            current.append(item)
            close()
            continue
        if last_chat is not None and _breaks(last_chat, item):
            close()
        if pending and not current:
            current.extend(pending)
            pending.clear()
        current.append(item)
        last_chat = item
    current.extend(pending)
    pending.clear()
    close()
    if pending and groups:
        groups[-1][0].extend(pending)
    turns = []
    for n, (group, stamp) in enumerate(groups):
        chat = [i for i in group if i.kind not in ("annotation", "residue")]
        meta: dict[str, Any] = {}
        if chat and chat[0].evidence:
            confs = sorted(i.confidence for i in chat)
            meta = {
                "evidence": list(chat[0].evidence),
                ROLE_EVIDENCE_KEY: list(chat[0].kinds),
                "confidence": round(confs[len(confs) // 2], 2),
            }
        turns.append(
            Turn(
                index=n,
                role=_role(group),
                blocks=_blocks(group, source, body),
                timestamp=stamp,
                role_inferred=role_inferred,
                meta=meta,
            )
        )
    return turns


def _next_note_line(prev: Item, item: Item) -> bool:
    """True when ``item`` is the next line of the typed note ``prev`` (same column, next line)."""
    if "annot" in item.row.meta or "annot" in prev.row.meta:
        return False
    r, o = item.row, prev.row
    gap = r.baseline - o.baseline
    return r.page == o.page and abs(r.x0 - o.x0) <= 3 and 0 < gap <= 2.2 * max(r.size, o.size)


def _breaks(prev: Item, item: Item) -> bool:
    """True when ``item`` begins a new message after ``prev`` (see :func:`build_turns`)."""
    if item.role != prev.role or item.starts_turn:
        return True
    if item.role == "user" and prev.group and item.group and prev.group != item.group:
        # two bubbles of the user with nothing between: two messages only when far apart
        gap = item.row.top - prev.row.bottom
        return item.row.page != prev.row.page and gap > 0 or gap > 3 * max(item.row.size, prev.row.size)
    return False


def _role(items: list[Item]) -> Role:
    """The role of a turn's chat rows (a turn of notes only takes its first note's role)."""
    return next((i.role for i in items if i.kind not in ("annotation", "residue")), items[0].role)


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
                gap = other.row.baseline - group[-1].row.baseline
                if 0 < gap <= 2.2 * other.row.size or (
                    0 < gap <= HEADING_GAP * max(other.row.size, group[-1].row.size)
                    and _heads(group[-1].row, other.row)
                ):
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
    return _join_tables(blocks)


def _join_tables(blocks: list[Block]) -> list[Block]:
    """A table continued on the next page is one table: consecutive table blocks (with only residue
    between them) are joined, and the header row a printer repeats on the new page is dropped."""
    out: list[Block] = []
    for block in blocks:
        prev_table = next(
            (i for i in range(len(out) - 1, -1, -1) if out[i].kind not in ("residue", "attachment")), None
        )
        if block.kind == "table" and prev_table is not None and out[prev_table].kind == "table":
            first = out[prev_table]
            lines = block.text.split("\n")
            if lines and lines[0] == first.text.split("\n")[0]:
                lines = lines[1:]
            if lines:
                out[prev_table] = first.model_copy(update={"text": first.text + "\n" + "\n".join(lines)})
            continue
        out.append(block)
    return out


def _heads(row: Row, nxt: Row) -> bool:
    """``row`` is the heading of the note line ``nxt``: a short line ending no sentence, set off as a
    heading (bold, larger than the line under it, or ending at a colon)."""
    set_off = row.bold or row.size >= 1.1 * nxt.size or row.text.rstrip().endswith(":")
    return set_off and note_heading(row.text)


def note_heading(text: str) -> bool:
    """A short line that does not end a sentence: the heading of the note under it ("Summary",
    "Overall verdict:"), which belongs to that note's block.

    >>> note_heading("Overall verdict:"), note_heading("It solved every part correctly.")
    (True, False)
    """
    return 0 < len(text.split()) <= 10 and not _SENTENCE_END.search(text) and "://" not in text


def _annotation(group: list[Item], source: Source) -> Block:
    first = group[0].row
    meta = {"page": first.page + 1, "form": first.meta.get("annot", "pdf-typed-note")}
    if "author" in first.meta:
        meta["author"] = first.meta["author"]
    if group[0].evidence:  # why the reader took it for the student's note
        meta["evidence"] = list(group[0].evidence)
        meta["confidence"] = min(i.confidence for i in group)
    if first.meta.get("coloured_tail"):
        meta["coloured_tail"] = True
    text = " ".join(i.row.text.strip() for i in group)
    lines = sorted(i.line for i in group)
    fidelity: Fidelity = "ocr" if first.meta.get("ocr") else "exact"
    return Block(
        kind="annotation", text=text, span=source.span(lines[0], lines[-1]), fidelity=fidelity, meta=meta
    )
