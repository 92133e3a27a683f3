"""Was the final attempt at a part hinted? (the user gave a hint, a correction, the answer or the source)."""

from __future__ import annotations

import re
from collections.abc import Callable

from grader.align import Attempt
from grader.models import Transcript, Turn

_CONTENT_FREE = re.compile(
    r"^\W*(?:please\s+)?(?:go on|continue|keep going|retry(?: problem \w+)?|try again|explain(?: each step| more| in detail)?"
    r"|show (?:the |your )?(?:steps|work)|more detail|redo|thanks?)\W*$",
    re.I,
)
_HINT = re.compile(
    r"\byou (?:need|have|should|must) to\b|\byou should\b|\bhint\b|\buse the\b|\bremember\b|\bshould appear\b"
    r"|\bthe (?:answer|solution|result) (?:is|should be)\b|\bis (?:wrong|incorrect|not right)\b|\bmistake\b"
    r"|\bas you mentioned\b|\bare you sure\b|\bkey step\b|\bnote that\b|\bconsider that\b"
    # a leading question that proposes the content ("isn't the gradient 1 at ...?")
    r"|\b(?:isn|aren|wouldn|shouldn|doesn|don|can)['’]?t (?:the|it|this|that|there|you|we)\b"
    # asking for a specific other form of the answer, or to check a named point again
    r"|\b(?:rewrite|re-?express|simplify)\b|\bmake sure (?:you|that)\b|\breflect on whether\b|\breconsider\b"
    r"|\bdid you (?:forget|include|consider|account)\b|\bsince [^.?!]{0,40}=",
    re.I,
)
# A sentence about how to present the answer (steps, layout, clarity), not about its content.
_PRESENTATION = re.compile(
    r"\b(?:answer|provide|show|give|write|label|explain|justify|describe|present|format|restate|introduce)\b"
    r"[^.?!]*\b(?:steps?|reasoning|work|way|format|labell?ed|clear(?:ly)?|detail(?:ed)?|diagrams?|structure"
    r"|question|problem)\b",
    re.I,
)
_CONTENT = re.compile(r"[=<>^_\\]|\b(?:wrong|incorrect|mistake|not right)\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n\s*\n")


def _hint_sentence(sentence: str) -> bool:
    """A sentence that hints at the answer's content; an instruction about presentation is not one."""
    if not _HINT.search(sentence):
        return False
    return not (_PRESENTATION.search(sentence) and not _CONTENT.search(sentence))


def substantive(turn: Turn) -> bool:
    """True when a user turn carries information beyond 'go on': a hint, a correction or source material."""
    if any(b.kind == "attachment" for b in turn.blocks):
        return True
    text = " ".join(b.text for b in turn.blocks if b.kind in ("text", "math", "table")).strip()
    if not text or _CONTENT_FREE.match(text):
        return False
    return any(_hint_sentence(s) for s in _SENTENCE_END.split(" ".join(text.split())))


def was_hinted(transcript: Transcript, attempts: list[Attempt]) -> bool:
    """True when a substantive user turn came after the first attempt and before the final one."""
    if len(attempts) < 2:
        return False
    by_index = {t.index: t for t in transcript.turns}
    for att in attempts[1:]:
        for ui in att.prompt_turns:
            if substantive(by_index[ui]):
                return True
    return False


def answer_leaks(
    transcript: Transcript,
    attempts: list[Attempt],
    correct_before: list[set[str]],
    check: Callable[[str], list[str]],
) -> list[str]:
    """Answers that a follow-up user turn states correctly before the model had them right.

    ``correct_before[i]`` is the set of answer ids the model had right after attempt i; ``check(text)``
    returns the answer ids that a formula typed by the user states correctly.
    """
    by_index = {t.index: t for t in transcript.turns}
    leaked: list[str] = []
    for i, att in enumerate(attempts[1:], start=1):
        for ui in att.prompt_turns:
            turn = by_index[ui]
            text = "\n".join(b.text for b in turn.blocks if b.kind in ("text", "math"))
            for aid in check(text):
                if aid not in correct_before[i - 1] and aid not in leaked:
                    leaked.append(aid)
    return leaked
