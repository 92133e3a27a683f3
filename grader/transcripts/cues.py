"""Layout cues that tell who is speaking in a transcript without role labels.

A :class:`Cue` classifies one unit for the write-up segmenter: a message boundary (a
timestamp), an explicit speaker glyph, the opening of a model reply ("Let's tackle ...",
"Here's a structured ..."), a user prompt ("retry problem 4.", "(b) Now, consider ...",
"What is the loss function that you will be using?"), or plain content.
"""

from __future__ import annotations

import re
from enum import Enum

from grader.transcripts import student_notes as ann
from grader.transcripts.blocks import THINKING
from grader.transcripts.residue import ASSISTANT_GLYPH, USER_GLYPH, is_residue_line, is_timestamp
from grader.transcripts.units import Unit


class Cue(Enum):
    """What a unit says about the turn structure."""

    BOUNDARY = "boundary"  # a message timestamp: the next message is the other speaker's
    ASSISTANT_START = "assistant-start"  # ◆, **M**, *Thought: ...*
    USER_START = "user-start"  # 👤, ⊙
    QUESTION_HEADER = "question-header"  # "Question 2: ...", "#### Question 5: ..."
    ANNOTATION = "annotation"
    RESIDUE = "residue"
    OPENER = "opener"  # "Let's tackle ...", "Here's a structured ..."
    CONTENT = "content"


OPENER = re.compile(
    r"^\s*(?:Let's (?:tackle|address|derive|use|work|break|go|solve|start|walk|dive|approach|analy[sz]e"
    r"|examine|reconsider|revisit|carefully|redo|retry|re-?examine|compute|find|fill|complete)\b"
    r"|Here(?:'s| is) (?:a|an|the|my|how)\b|Looking at (?:this|the|each|problem|part|question)\b"
    r"|(?:Great|Excellent|Good) question\b|You're (?:absolutely )?right\b|Ah,? (?:yes|I see)\b"
    r"|(?:Sure|Certainly|Of course|Absolutely)[,!.])"
)
QUESTION_HEADER = re.compile(r"^\s*(?:#{1,6}\s*)?Question\s+\d+[a-z]?\s*[:.)]", re.IGNORECASE)
_NUMBERED_HEADING = re.compile(r"^\s*#{1,3}\s*\d+\.\s+[A-Z]")
PART_LABEL = re.compile(r"^\s*(?:[-*]\s+)?\(?(?:[a-h]|i{1,3}|iv|vi{0,3})\)\s*(?:\(\d+\s*pts?\)\s*)?")
_IMPERATIVE = re.compile(
    r"^\s*(?:please|solve|retry|redo|re-do|try again|now,? (?:solve|do|answer|try|consider|what)"
    r"|show|explain|derive|compute|calculate|find|perform|answer (?:the|this|these|question|part)|continue"
    r"|fill in|prove|can you|could you|are you sure|what about|how about|you are an?|go step by step"
    r"|for part|in part|next,|then,? what|great\.? (?:now|then|next|what))\b|^\s*(?:for|in|now for) \(?[a-z]{1,4}\)",
    re.IGNORECASE,
)
_INTERROGATIVE = re.compile(
    r"^\s*(?:What|Which|How|Why|Do|Does|Is|Are|Can|Could|Should|State|Suppose|Consider|Assume)\b"
)
_POINTS = re.compile(r"\(\s*\d+\s*pts?\s*\)", re.IGNORECASE)
_YOU = re.compile(r"\byou(?:r)?\b", re.IGNORECASE)
_MODEL_OFFER = re.compile(r"^\s*(?:\*\*Next Step:?\*\*:?\s*)?Would you like\b", re.IGNORECASE)
_ASSISTANT_LIKE = re.compile(
    r"^\s*(?:#{1,6}\s|[-*]\s+\*\*[^*]+\*\*|\*\*[^*?]+\*\*(?![^?]*\?)|Answer\s*:|Conclusion\s*:)"
)
_ATTACH_HINT = re.compile(r"\b(?:retry|redo|again|attached|below|blog|paper|article|source|pasted?)\b", re.I)


def classify(unit: Unit, glyph_mode: bool) -> Cue:
    """The structural cue of one unit (``glyph_mode``: the chat marks replies with ◆)."""
    text = unit.text
    lines = [line.text for line in unit.lines if line.text.strip()]
    if unit.kind == "para" and lines and all(is_timestamp(line) for line in lines):
        return Cue.BOUNDARY
    if unit.kind != "para":
        return Cue.CONTENT
    if THINKING.match(text) or ASSISTANT_GLYPH.match(text):
        return Cue.ASSISTANT_START
    if USER_GLYPH.match(text):
        return Cue.USER_START
    if glyph_mode and QUESTION_HEADER.match(text):
        return Cue.QUESTION_HEADER
    if ann.paragraph_form(text):
        return Cue.ANNOTATION
    if lines and all(is_residue_line(line) for line in lines):
        return Cue.RESIDUE
    if OPENER.match(text):
        return Cue.OPENER
    return Cue.CONTENT


def is_prompt(unit: Unit) -> bool:
    """True when a paragraph reads as the user asking: an instruction or a pasted question part."""
    if unit.kind != "para":
        return False
    text = unit.text.strip()
    if "$$" in text or _MODEL_OFFER.match(text) or OPENER.match(text) or _ASSISTANT_LIKE.match(text):
        return QUESTION_HEADER.match(text) is not None
    if QUESTION_HEADER.match(text):
        return True
    if _IMPERATIVE.match(text) and len(text) <= 800:
        return True
    label = PART_LABEL.match(text)
    if label and label.end() > 0 and len(text) > 40:
        rest = text[label.end() :]
        return "?" in text or bool(_POINTS.search(text) or _YOU.search(rest) or _IMPERATIVE.match(rest))
    return bool(_INTERROGATIVE.match(text) and "?" in text and _YOU.search(text) and len(text) > 25)


def is_question_text(unit: Unit) -> bool:
    """True for a pasted homework question (header, part label, choice boxes, numbered heading)."""
    text = unit.text.strip()
    return bool(
        QUESTION_HEADER.match(text)
        or _NUMBERED_HEADING.match(text)
        or (PART_LABEL.match(text) and len(text) > 40)
        or "☐" in text
        or (_INTERROGATIVE.match(text) and "?" in text)
    )


def is_short_instruction(unit: Unit) -> bool:
    """An instruction that announces pasted material after it ("retry problem 4.")."""
    text = unit.text.strip()
    return len(text) <= 200 and bool(_IMPERATIVE.match(text)) and bool(_ATTACH_HINT.search(text))


def breaks_prompt(unit: Unit) -> bool:
    """True for a unit that cannot belong to a pasted prompt (a heading, a bold label, 'Answer:')."""
    if unit.kind == "code":
        return True
    text = unit.text.strip()
    return bool(_ASSISTANT_LIKE.match(text)) and not QUESTION_HEADER.match(text)


def is_heading(unit: Unit) -> bool:
    """A Markdown heading line."""
    return unit.kind == "para" and bool(re.match(r"^\s*#{1,6}\s", unit.text))
