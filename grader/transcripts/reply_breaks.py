"""Where one model reply ends and the next begins, when no user turn was found between them.

A prompt that was only a screenshot, or whose text the print lost, leaves two of the model's replies
run together as one turn. What still shows the seam is how a chat reply is written, in every UI:

- a reply **ends** with the model's closing offer to the reader ("Let me know if ...", "Would you like me
  to ...?", "Hope this helps."): the model does not go on after it until it is spoken to again;
- a reply **opens** with an answer to what was said to it: assent ("Sure", "Certainly", "Understood"),
  agreement or praise addressed to the user ("You're right", "Good catch"), thanks or an apology.

Both are dialogue acts aimed at the other speaker, not the exposition of a solution, so they are read
from the grammar of the paragraph's first (or, for a closing, last) sentence, never from any one chat's
wording. A new reply starts at a block when, besides one of those cues::

    position    the model's text before it in the turn weighs a reply's worth
                (:data:`~grader.transcripts.request_turns.MIN_REPLY`) and the paragraph before it ends a
                sentence (not a lead-in "as follows:")
    what follows the block does not run on from the sentence before (it opens a sentence), and a reply's
                worth of the model's text follows from it
    weak role   the block's role rests on no layout evidence of its own

The role stays the model's: nothing here says who wrote what, only where a reply ends. Each break is
recorded in the first block's ``meta['turn_break']`` and the new turn's ``meta['reply_break']`` (the cue,
a confidence), and named in a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.models import Block, Transcript, Turn
from grader.transcripts.question_turns import install_turns, weak_role
from grader.transcripts.request_turns import MIN_REPLY, is_fragment, reply_weight

__all__ = ["BREAK_CONFIDENCE", "ReplyBreak", "mark_reply_breaks", "reply_closing", "reply_opening"]

BREAK_CONFIDENCE = 0.5
"""How sure a seam found from a reply's opening or closing alone is (a person should glance at it)."""

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
_CLOSED = re.compile(r"[.?!)\]\"'”’*]\s*$")
_APOSTROPHE = str.maketrans({"’": "'", "‘": "'"})

# Dialogue acts that answer the other speaker, at the head of a paragraph: assent, agreement with or
# praise of what the user said, thanks for it, an apology. Each must end its phrase (punctuation or a
# dash), so that "Sure enough, the sum ..." or "Certainly the bound holds" stay exposition.
_OPENING = re.compile(
    r"^(?:(?:ah|oh|ok(?:ay)?)\s*[,!.—–-]\s*)?"
    r"(?:(?:sure|certainly|absolutely|of\s+course|understood|got\s+it|(?:my\s+)?apologies|I\s+apologi[sz]e"
    r"|sorry|great|perfect|excellent|ah|oh)\s*[,.!:;—–-]"
    r"|(?:great|good|excellent|fantastic|nice|sharp)\s+(?:question|point|catch|observation|spot)\b"
    r"|you(?:'re|\s+are)\s+(?:absolutely\s+|completely\s+|quite\s+|totally\s+)?(?:right|correct)\b"
    r"|thanks?\s+(?:you\s+)?for\b"
    r"|thank\s+you\s+for\b)",
    re.IGNORECASE,
)

# The model's closing offer to the reader: second person, an offer of more, or a wish.
_CLOSING = re.compile(
    r"\blet\s+me\s+know\b|\b(?:would|do)\s+you\s+(?:like|want)\b|\bwant\s+me\s+to\b|\bshall\s+I\b"
    r"|\bif\s+you(?:'d|\s+would)?\s+(?:like|want|prefer|need)\b[^.?!]*\bI\b|\bfeel\s+free\b"
    r"|\bhope\s+(?:this|that)\s+helps\b|\bhappy\s+to\s+help\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ReplyBreak:
    """Why a new reply of the model's starts at a block."""

    cue: str
    """``opening`` (the block answers the user) or ``closing`` (the block before it closed a reply)."""
    sentence: str
    """The sentence that shows it (the block's first, or the previous block's last)."""


def reply_opening(text: str) -> bool:
    """Whether ``text`` opens on a dialogue act answering the other speaker (see the module docstring).

    >>> reply_opening("Sure! Here is the derivation for the second part."), reply_opening("Sure enough, it holds.")
    (True, False)
    >>> reply_opening("You're right, the sign of the second term was wrong.")
    True
    """
    return bool(_OPENING.match(" ".join(text.split()).translate(_APOSTROPHE)))


def reply_closing(text: str) -> bool:
    """Whether the last sentence of ``text`` is the model's closing offer to the reader.

    >>> reply_closing("The rate is one over n. Let me know if you want the proof.")
    True
    >>> reply_closing("If you want the proof, the bound above gives it in two lines.")
    False
    """
    flat = " ".join(text.split()).translate(_APOSTROPHE)
    sentences = [s for s in _SENTENCE_END.split(flat) if s]
    if not sentences or not _CLOSED.search(flat):
        return False
    last = sentences[-1]
    return bool(_CLOSING.search(last)) and (last.endswith("?") or last.endswith(".") or last.endswith("!"))


def _previous_text(turn: Turn, k: int) -> Block | None:
    return next((b for b in reversed(turn.blocks[:k]) if b.kind == "text"), None)


def _break_at(turn: Turn, k: int, start: int) -> ReplyBreak | None:
    """The seam before block ``k`` of ``turn`` (the current reply began at block ``start``), or None."""
    block = turn.blocks[k]
    if block.kind != "text" or not weak_role(turn, block):
        return None
    text = block.text.strip()
    if not text or text.startswith("#") or text[:1].islower():
        return None
    before = turn.blocks[k - 1] if k > 0 else None
    after = turn.blocks[k + 1] if k + 1 < len(turn.blocks) else None
    if is_fragment(before, block, after):
        return None
    previous = _previous_text(turn, k)
    if previous is None or k - start < 1:
        return None
    last = previous.text.strip()
    if last.endswith(":") or last.startswith("#") or not _CLOSED.search(last):
        return None
    if sum(reply_weight(b) for b in turn.blocks[start:k]) < MIN_REPLY:
        return None
    if sum(reply_weight(b) for b in turn.blocks[k:]) < MIN_REPLY:
        return None
    if reply_opening(text):
        return ReplyBreak("opening", _SENTENCE_END.split(" ".join(text.split()))[0])
    if previous is turn.blocks[k - 1] and reply_closing(last):
        return ReplyBreak("closing", _SENTENCE_END.split(" ".join(last.split()))[-1])
    return None


def _evidence(found: ReplyBreak) -> str:
    if found.cue == "opening":
        return f"a new reply of the model's: it opens by answering the user ({found.sentence[:60]!r})"
    return f"a new reply of the model's: the reply before it closed with an offer ({found.sentence[:60]!r})"


def _cut(turn: Turn) -> list[Turn]:
    """``turn`` cut at every seam found in it."""
    seams: list[tuple[int, ReplyBreak]] = []
    start = 0
    for k in range(1, len(turn.blocks)):
        found = _break_at(turn, k, start)
        if found is not None:
            seams.append((k, found))
            start = k
    if not seams:
        return [turn]
    bounds = [0] + [k for k, _ in seams] + [len(turn.blocks)]
    pieces = [turn.model_copy(update={"blocks": turn.blocks[: bounds[1]]})]
    for n, (k, found) in enumerate(seams):
        blocks = list(turn.blocks[k : bounds[n + 2]])
        why = _evidence(found)
        blocks[0] = blocks[0].model_copy(update={"meta": {**blocks[0].meta, "turn_break": why}})
        meta = {
            **turn.meta,
            "evidence": [*turn.meta.get("evidence", []), why],
            "reply_break": {"cue": found.cue, "sentence": found.sentence, "confidence": BREAK_CONFIDENCE},
            "confidence": min(BREAK_CONFIDENCE, turn.meta.get("confidence", 1.0)),
        }
        pieces.append(turn.model_copy(update={"blocks": blocks, "meta": meta}))
    return pieces


def mark_reply_breaks(transcript: Transcript) -> int:
    """Cut the model's turns where one reply ends and the next begins (see the module docstring).

    Changes ``transcript`` in place (turns renumbered, one warning per seam) and returns how many seams
    it found.
    """
    turns: list[Turn] = []
    made: list[Turn] = []
    for turn in transcript.turns:
        pieces = _cut(turn) if turn.role == "assistant" else [turn]
        turns.extend(pieces)
        made.extend(pieces[1:])
    if not made:
        return 0
    install_turns(transcript, turns)
    for turn in made:
        cue = turn.meta["reply_break"]["cue"]
        how = (
            "opens by answering the user" if cue == "opening" else "follows a reply that closed with an offer"
        )
        transcript.warnings.append(
            f"turn {turn.index}: read as a new reply of the model's because it {how}; no user message "
            "was found before it (a prompt given as an image, or lost in the print?)"
        )
    return len(made)
