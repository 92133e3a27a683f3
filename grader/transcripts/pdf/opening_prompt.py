"""The chat's opening message, told apart by the reasoning that opens the first reply.

A chat begins with the user: the model only ever answers. Where the layout gave the document's first
message no evidence of its own (no label, bubble, indent or message box: it was read as the model's
"with its neighbours") and the next turn is a reply that opens with its visible reasoning ("Thought for
12s", "Thought: ..."), that first message is the prompt the reasoning answers: a model does not write a
reply, stop, and then start thinking about it with nothing in between.

The decision is recorded in the turn's and its blocks' ``meta`` (``evidence``, the evidence kind
``before_reasoning``, a modest confidence), so that content evidence may still overturn it.
"""

from __future__ import annotations

from grader.models import Turn
from grader.transcripts.role_evidence import ROLE_EVIDENCE_KEY, STRONG_KINDS

__all__ = ["CONFIDENCE", "opening_prompt"]

CONFIDENCE = 0.6
"""The confidence of a role resting on this alone: the order of the chat, not its layout."""

_CHAT = ("text", "math", "table", "code")
_WEAK = 0.75
"""A first turn decided at or above this confidence (``question_turns.STRONG_CONFIDENCE``) is kept."""

REASON = "the chat's opening message, before the first reply's visible reasoning: the user's prompt"


def _kinds(turn: Turn) -> set[str]:
    kinds = set(turn.meta.get(ROLE_EVIDENCE_KEY, ()))
    for block in turn.blocks:
        if block.kind in _CHAT:
            kinds.update(block.meta.get(ROLE_EVIDENCE_KEY, ()))
    return kinds


def opening_prompt(turns: list[Turn]) -> Turn | None:
    """Make the first turn the user's when it is the prompt of a reply that opens with its reasoning.

    Acts only on a first turn read as the model's on weak evidence (no strong layout kind, a confidence
    under 0.75, no reasoning of its own) followed directly by an assistant turn whose first block is
    visible reasoning. Changes the turn in place and returns it (None when nothing changed).
    """
    chat = [t for t in turns if any(b.kind in (*_CHAT, "thinking") for b in t.blocks)]
    if len(chat) < 2:
        return None
    first, reply = chat[0], chat[1]
    if first.role != "assistant" or reply.role != "assistant":
        return None
    if any(b.kind == "thinking" for b in first.blocks) or _kinds(first) & STRONG_KINDS:
        return None
    confidence = first.meta.get("confidence", 0.5)
    if not isinstance(confidence, int | float) or confidence >= _WEAK:
        return None
    opening = next((b for b in reply.blocks if b.kind in (*_CHAT, "thinking")), None)
    if opening is None or opening.kind != "thinking":
        return None
    first.role = "user"
    first.meta = {"evidence": [REASON], ROLE_EVIDENCE_KEY: ["before_reasoning"], "confidence": CONFIDENCE}
    for block in first.blocks:
        if block.kind in _CHAT:
            block.meta = {
                **block.meta,
                "evidence": [*block.meta.get("evidence", []), REASON],
                ROLE_EVIDENCE_KEY: sorted({*block.meta.get(ROLE_EVIDENCE_KEY, []), "before_reasoning"}),
                "confidence": CONFIDENCE,
            }
    return first
