"""Text with no conversation in it: a solutions file a model wrote, or the student's own write-up.

A submission often holds more than the chat: the Markdown file a model wrote its solutions into (via a
coding agent or a file tool), or the student's report about the chat. Neither has turns. Rather than
refuse them, the reader takes the whole text as one document and says so:

- written *about* the model, in the student's voice ("I used GPT 5.1 on ...", "the model got ...",
  judged by ``student_notes.voice_score`` per paragraph) — the student's commentary: one ``system``
  turn (no chat speaker) whose blocks are ``annotation``;
- otherwise — the model's text: one ``assistant`` turn, its role marked as inferred.
"""

from __future__ import annotations

import re

from grader.models import Block, Transcript, Turn
from grader.transcripts.residue import find_model
from grader.transcripts.student_notes import voice_score

FORMAT_ID = "document"
_PARAGRAPH = re.compile(r"\n\s*\n")
_MATH = re.compile(r"\$\$.+?\$\$|\\\[.+?\\\]", re.DOTALL)


def _blocks(text: str, kind: str) -> list[Block]:
    blocks = []
    for para in _PARAGRAPH.split(text):
        para = para.strip()
        if not para:
            continue
        block_kind = "math" if kind == "text" and _MATH.fullmatch(para) else kind
        blocks.append(Block(kind=block_kind, text=para))  # type: ignore[arg-type]
    return blocks


def is_commentary(text: str) -> bool:
    """True when most of the text's paragraphs read as the student writing about the model."""
    paras = [p for p in _PARAGRAPH.split(text) if len(p.split()) >= 8]
    if not paras:
        return False
    voiced = sum(1 for p in paras if voice_score(p) >= 3)
    return voiced >= max(1, len(paras) // 4)


def read_document(text: str, source: str) -> Transcript:
    """One document turn: the student's commentary (annotations) or the model's text (see module notes)."""
    if is_commentary(text):
        turn = Turn(index=0, role="system", blocks=_blocks(text, "annotation"), meta={"document": "write-up"})
        note = "no conversation in this file: read as the student's own write-up (annotations)"
    else:
        turn = Turn(index=0, role="assistant", blocks=_blocks(text, "text"), role_inferred=True)
        turn.meta["document"] = "model text"
        note = "no conversation in this file: read as one piece of the model's text (a solutions file?)"
    return Transcript(
        source=source, format=FORMAT_ID, model=find_model(text[:4000]), turns=[turn], warnings=[note]
    )
