"""Where a request may sit inside a model's turn when the layout found the user's other messages.

In a print that kept *some* speaker cues (a few bubbles, one label), the layout has told the speakers
apart for part of the chat; a prompt whose cue was lost still sits inside the model's text. There the
grammar of a request (:func:`grader.transcripts.request_turns.request_cues`) is not enough on its own:
the model quotes the question, walks the reader through its steps ("Compute the gradient first.") and
asks itself questions. So a request inside a model's turn of such a chat must also stand where a new
prompt stands::

    mood        it asks or tells (a question, "can you ...", an imperative at a sentence's start):
                person or a homework step alone is how a model narrates
    strength    at least :data:`PARTIAL_SCORE` cues
    position    after a concluded reply: the model's text before it in the turn weighs a reply's worth,
                and the paragraph before it ends a sentence (not a lead-in "as follows:")
    shape       not a list item, not a heading, not a quotation (a paragraph opening on a quote mark is
                the model quoting the task)

What follows (a long reply, not a sentence running on in lower case) is checked by the caller, the same
as in a chat with no cue at all. Each rejection is returned as a reason, so a caller can record why.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from grader.models import Block, Turn

__all__ = ["MOOD_CUES", "PARTIAL_SCORE", "partial_cue_obstacle"]

PARTIAL_SCORE = 3
"""Cues a request needs inside a model's turn of a chat whose layout found other user messages (one
more than where no cue survived at all: the layout already vouches for the model's text around it)."""

MOOD_CUES = frozenset({"question", "request", "imperative"})
"""The cues that set a sentence's mood: it asks or tells. One of them is needed."""

_QUOTE_OPEN = re.compile(r"^\s*[\"“‘'«>]")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•●▪◦]|\d+[.)]|\([a-z0-9]+\))\s")
_CLOSED = re.compile(r"[.?!)\]\"'”’*]\s*$")


def partial_cue_obstacle(
    turn: Turn, k: int, cues: tuple[str, ...], score: int, weight: Callable[[Block], int], min_reply: int
) -> str | None:
    """Why block ``k`` of the assistant ``turn``, a request by its grammar (``cues``, ``score``), cannot be
    the user's in a chat whose layout found other user messages; None when nothing stands against it.

    ``weight`` measures the model's text (words, a formula or list item counting more) and ``min_reply``
    is what a concluded reply weighs.
    """
    block = turn.blocks[k]
    text = block.text.strip()
    if not MOOD_CUES.intersection(cues):
        return "no question, request or imperative: person or a homework step alone is narration"
    if score < PARTIAL_SCORE:
        return f"{score} cues, fewer than {PARTIAL_SCORE}"
    if _QUOTE_OPEN.match(text):
        return "opens on a quotation mark: the model quoting the task"
    if _LIST_ITEM.match(text):
        return "an item of the model's list"
    before = sum(weight(b) for b in turn.blocks[:k])
    if before < min_reply:
        return "not after a concluded reply: the turn's own opening"
    previous = next((b for b in reversed(turn.blocks[:k]) if b.kind == "text"), None)
    if previous is not None:
        last = previous.text.strip()
        if last.endswith(":") or last.startswith("#"):
            return "follows a lead-in or a heading of the model's"
        if not _CLOSED.search(last):
            return "the paragraph before it does not end a sentence"
    return None
