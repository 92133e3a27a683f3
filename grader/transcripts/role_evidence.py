"""The kinds of evidence a reader gives for a block's speaker: a small fixed vocabulary, recorded in the
block's and the turn's ``meta[ROLE_EVIDENCE_KEY]`` beside the human-readable ``meta["evidence"]``, so that
later passes (``question_turns``) ask what kind of evidence decided a role instead of matching the
reader's wording."""

from __future__ import annotations

import os
from typing import Literal

EvidenceKind = Literal[
    "label",
    "bubble",
    "message_box",
    "outside_box",
    "indent",
    "reasoning_marker",
    "code_header",
    "bubble_page",
    "shading",
    "offset",
    "margin",
    "timestamps",
    "question_copy",
    "before_reasoning",
    "request",
]
"""What a role decision rests on:

- ``label``: a speaker or commentary label ("You said:", "Grok:", "Note:") the text has or follows;
- ``bubble``: a row inside a message bubble drawn on the page;
- ``message_box``: inside the boxes that hold most of the chat (the model's message boxes);
- ``outside_box``: outside the model's message boxes on a page that has them;
- ``indent``: set well right of the margin with room around it, as a user's message;
- ``reasoning_marker``: a "Thought for 12s"-style marker of the chat UI, or the line after it;
- ``code_header``: the header the chat UI sets over a code block of the model's ("python Copy code");
- ``bubble_page``: from the margin on a page whose user messages sit in bubbles;
- ``shading``: OCR'd text on a shaded background, like a user's bubble;
- ``offset``: text of a screenshot or an image set right of its margin;
- ``margin``: prose from the page's margin (the model writes most of a chat there: thin evidence);
- ``timestamps``: messages cut by the chat UI's timestamps;
- ``question_copy``: the text copies the course's question (content, not layout);
- ``before_reasoning``: the chat's opening message, before the first reply's visible reasoning (the
  order of the chat, not its layout);
- ``request``: a short paragraph addressed to the model (a question, an imperative, "can you ...")
  followed by a long structured reply that answers it (content, not layout:
  :mod:`grader.transcripts.request_turns`).
"""

ROLE_EVIDENCE_KEY = "role_evidence_kind"
"""The ``meta`` key holding the sorted list of :data:`EvidenceKind` values of a block or a turn."""

STRONG_KINDS: frozenset[str] = frozenset(
    {"label", "bubble", "message_box", "outside_box", "indent", "reasoning_marker", "code_header"}
)
"""Evidence seen in the layout itself: a role resting on one of these is not overturned by content."""

USER_LAYOUT_KINDS: frozenset[str] = frozenset(
    {"label", "bubble", "indent", "bubble_page", "shading", "offset"}
)
"""Evidence that tells a user's message apart in the layout: a label, a bubble or shading, an indent
(screenshots included)."""

HIDE_LAYOUT_CUES_ENV = "GRADER_HIDE_LAYOUT_CUES"
"""An experiment switch, off by default: when this environment variable is ``1``, the PDF reader
ignores speaker labels and bubble / indent / timestamp geometry of the text layer (screenshots keep
their OCR geometry), so that every chat reads as the issue's "no layout cue" files do. Used by
``benchmarks/bench_reading.py --hide-cues`` to measure what content evidence alone recovers."""


def layout_cues_hidden() -> bool:
    """Whether the :data:`HIDE_LAYOUT_CUES_ENV` experiment switch is on (read here and nowhere else)."""
    return os.environ.get(HIDE_LAYOUT_CUES_ENV, "") == "1"


__all__ = [
    "HIDE_LAYOUT_CUES_ENV",
    "ROLE_EVIDENCE_KEY",
    "STRONG_KINDS",
    "USER_LAYOUT_KINDS",
    "EvidenceKind",
    "layout_cues_hidden",
]
