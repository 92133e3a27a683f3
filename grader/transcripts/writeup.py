"""Reader for annotated write-ups converted from PDF to text (format id ``writeup-text``).

There are no reliable role labels, so roles are inferred from layout, in this order:

1. message timestamps ("10/13/2025, 12:47:31 PM", "⚡ • 9:50pm") end a message: the next
   message is the other speaker's;
2. speaker glyphs start a message: ◆, ``**M**`` and ``*Thought: ...*`` a model reply,
   👤 and ⊙ a user message; with ◆ replies, "Question N: ..." starts the user's next paste;
3. otherwise, inside a model reply, a paragraph that reads as a prompt (an instruction or a
   pasted question part) starts a user message only when what follows it confirms it: the
   opening of a reply ("Let's tackle ...", "Here's a structured ..."), a glyph, a timestamp,
   or, after a question, a heading.

Annotations and residue are cut out as their own blocks wherever they appear; those that
sit between two messages go to the message that follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.models import Block, Role, Transcript, Turn
from grader.transcripts.blocks import unit_blocks
from grader.transcripts.cues import (
    Cue,
    breaks_prompt,
    classify,
    is_heading,
    is_prompt,
    is_question_text,
    is_short_instruction,
)
from grader.transcripts.residue import FULL_TIMESTAMP, clean_timestamp, find_model
from grader.transcripts.units import Unit, split_lines, split_units

FORMAT_ID = "writeup-text"
ROLES_WARNING = "roles inferred from layout"
_LOOKAHEAD = 80


@dataclass
class _Draft:
    role: Role
    blocks: list[Block] = field(default_factory=list)
    timestamp: str | None = None
    meta: dict[str, object] = field(default_factory=dict)
    attach_from: int | None = None  # units from this index on are pasted material


def _confirm_prompt(units: list[Unit], cues: list[Cue], start: int, strict: bool) -> int | None:
    """Index of the unit that opens the model's reply to the prompt at ``start``, or None.

    ``strict`` (a timestamped chat): only a timestamp or a reply glyph confirms.
    """
    question = "?" in units[start].text or "☐" in units[start].text
    for j in range(start + 1, min(len(units), start + _LOOKAHEAD)):
        cue = cues[j]
        if cue in (Cue.ASSISTANT_START, Cue.BOUNDARY) or (cue is Cue.OPENER and not strict):
            return j
        if cue in (Cue.ANNOTATION, Cue.RESIDUE):
            continue
        if is_heading(units[j]):
            return j if question and not strict else None
        if breaks_prompt(units[j]):
            return None
        question = question or "?" in units[j].text or "☐" in units[j].text
    return None


def _title(units: list[Unit]) -> tuple[str | None, int]:
    if units and units[0].kind == "para" and len(units[0].lines) == 1:
        line = units[0].lines[0].text.strip()
        if line.startswith("# "):
            return line[2:].strip(), 1
    return None, 0


class _Segmenter:
    """Walks the units once, opening turns as the cues say."""

    def __init__(self, units: list[Unit]) -> None:
        self.units = units
        self.glyph_mode = any(u.text.lstrip("- ").startswith("◆") for u in units if u.kind == "para")
        self.timestamped = sum(1 for u in units for ln in u.lines if FULL_TIMESTAMP.match(ln.text)) >= 2
        self.cues = [classify(u, self.glyph_mode) for u in units]
        self.turns: list[_Draft] = []
        self.waiting: list[Block] = []  # annotations/residue between two messages
        self.toggle = False
        self.reply_at: int | None = None
        self.warnings: list[str] = []

    @property
    def current(self) -> _Draft | None:
        return self.turns[-1] if self.turns else None

    def open(self, role: Role) -> _Draft:
        draft = _Draft(role, blocks=list(self.waiting))
        self.waiting.clear()
        self.turns.append(draft)
        self.toggle = False
        return draft

    def open_reply(self) -> _Draft:
        current = self.current
        if current is not None and current.role == "assistant" and not self.toggle:
            placeholder = self.open("user")
            placeholder.meta["placeholder"] = True
            self.warnings.append(
                f"turn {len(self.turns) - 1}: a model reply follows another with no prompt between them "
                "(probably an image); inserted an empty user turn"
            )
        return self.open("assistant")

    def run(self, start: int) -> list[_Draft]:
        for i in range(start, len(self.units)):
            self.step(i)
        return self.turns

    def step(self, i: int) -> None:
        unit, cue = self.units[i], self.cues[i]
        blocks = unit_blocks(unit)
        current = self.current
        if cue is Cue.BOUNDARY:
            if current is None or self.toggle:
                self.waiting.extend(blocks)
            else:
                current.blocks.extend(blocks)
                current.timestamp = current.timestamp or clean_timestamp(unit.text)
            self.toggle = True
            return
        if cue in (Cue.ANNOTATION, Cue.RESIDUE):
            (self.waiting if current is None or self.toggle else current.blocks).extend(blocks)
            return
        draft = self.choose(i, cue, current)
        attaching = draft.attach_from is not None and i >= draft.attach_from
        if draft.role == "user" and attaching and not is_question_text(unit):
            blocks = [_as_attachment(b) for b in blocks]
        draft.blocks.extend(blocks)

    def choose(self, i: int, cue: Cue, current: _Draft | None) -> _Draft:
        unit = self.units[i]
        if cue is Cue.ASSISTANT_START or i == self.reply_at:
            self.reply_at = None
            return self.open_reply()
        if cue in (Cue.USER_START, Cue.QUESTION_HEADER):
            return (
                current
                if current is not None and current.role == "user" and not self.toggle
                else self.open("user")
            )
        if current is None:
            return self._open_prompt(i, self.open("user"))
        if self.toggle:
            role: Role = "assistant" if current.role == "user" else "user"
            draft = self.open(role)
            return self._open_prompt(i, draft) if role == "user" else draft
        if current.role == "user":
            if cue is Cue.OPENER and current.blocks:
                return self.open_reply()
            return current
        if is_prompt(unit):
            reply = _confirm_prompt(self.units, self.cues, i, strict=self.timestamped)
            if reply is not None:
                self.reply_at = reply if self.cues[reply] is not Cue.BOUNDARY else None
                return self._open_prompt(i, self.open("user"))
        return current

    def _open_prompt(self, i: int, draft: _Draft) -> _Draft:
        if not is_short_instruction(self.units[i]):
            return draft
        window = range(i + 1, min(len(self.units), i + _LOOKAHEAD))
        nxt = next((j for j in window if self.cues[j] is Cue.CONTENT), None)
        if nxt is not None and not is_question_text(self.units[nxt]):
            draft.attach_from = i + 1
        return draft


def _as_attachment(block: Block) -> Block:
    if block.kind in ("text", "math", "table", "code"):
        return block.model_copy(update={"kind": "attachment", "meta": {**block.meta, "was": block.kind}})
    return block


def read_writeup(text: str, source: str = "<text>") -> Transcript:
    """Read an annotated write-up (PDF converted to text/Markdown) into a Transcript.

    Roles are inferred (``Turn.role_inferred``) and the transcript carries the warning
    "roles inferred from layout".
    """
    units = split_units(split_lines(text))
    title, start = _title(units)
    segmenter = _Segmenter(units)
    if start:
        segmenter.waiting.extend(
            b.model_copy(update={"kind": "residue", "meta": {"title": True}}) for b in unit_blocks(units[0])
        )
    drafts = segmenter.run(start)
    if segmenter.waiting and drafts:
        drafts[-1].blocks.extend(segmenter.waiting)
    turns = [
        Turn(index=k, role=d.role, blocks=d.blocks, timestamp=d.timestamp, role_inferred=True, meta=d.meta)
        for k, d in enumerate(drafts)
    ]
    warnings = [ROLES_WARNING, *segmenter.warnings]
    model = find_model(text, title)
    if model is None:
        model = _model_from_layout(segmenter)
        if model is not None:
            warnings.append(f"model inferred from layout ({model} export)")
    return Transcript(
        source=source, format=FORMAT_ID, model=model, title=title, turns=turns, warnings=warnings
    )


def _model_from_layout(segmenter: _Segmenter) -> str | None:
    texts = [u.text.lstrip("- ") for u in segmenter.units if u.kind == "para"]
    if segmenter.glyph_mode:
        return "Gemini"
    if any(t.startswith("**M**") for t in texts):
        return "Mistral"
    if segmenter.timestamped and any(t.startswith("*Thought:") for t in texts):
        return "Claude"
    return None
