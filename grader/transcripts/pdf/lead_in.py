"""The student's lead-in to a quoted prompt, typed at the head of the user's message.

A write-up that quotes each prompt often introduces it in the same print (an invented example: "For
part two I kept my wording short and simply asked the model to finish the derivation:"), then the
prompt. The lead-in is the student talking to the reader, not to the model. It is told from
the prompt by evidence that holds in any write-up, all of it required:

- it opens the user's message and ends at a colon (at a line's end, or mid-line before the prompt's
  first word), within its first few lines, and the prompt follows it;
- it speaks of the model in the third person ("the model", "Mistral") and never addresses it ("you",
  "your"): a prompt speaks to the model;
- it reads in the student's voice (``student_notes.voice_score``: "I copied ...", "I wanted to see ...", or
  ``student_voice``: the student's first person about the prompting, "my prompt", "I asked it").

The lead-in becomes the student's note; the prompt after the colon stays the user's message. A lead-in
that does not read as the student's voice stays in the prompt (it cannot be told from it).
"""

from __future__ import annotations

import dataclasses
import re

from grader.transcripts.pdf.labels import MODEL_WORDS
from grader.transcripts.pdf.lines import Line
from grader.transcripts.pdf.runin import split_row
from grader.transcripts.student_notes import voice_score
from grader.transcripts.student_voice import student_voice

MAX_LEAD_LINES = 6
"""The lead-in ends within this many lines of the message's start."""
MIN_VOICE = 3
"""How strongly the lead-in must read as the student's voice (``voice_score``)."""

_COLON_MID = re.compile(r":\s+(?=[A-Z\"“(])")
_THIRD_PERSON = re.compile(
    rf"\bthe (?:model|LLM|AI|chatbot|assistant)\b|\b(?:{MODEL_WORDS})\b",  # the models' names: labels.py's
    re.IGNORECASE,
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)


def chat_messages(lines: list[Line]) -> list[list[Line]]:
    """The page's chat text lines grouped into messages: consecutive lines of one role, cut where a line
    starts a turn or carries a speaker label."""
    chat = [ln for ln in lines if ln.kind == "text" and ln.source == "text"]
    messages: list[list[Line]] = []
    for ln in chat:
        if messages and ln.role == messages[-1][-1].role and not ln.starts_turn and ln.label is None:
            messages[-1].append(ln)
        else:
            messages.append([ln])
    return messages


def _cut(body: list[Line]) -> tuple[int, int | None] | None:
    """Where the lead-in ends: (line index, None) after a whole line ending at a colon, or (line index,
    words) inside a line, before its ``words``-th word; None when no colon ends a lead-in."""
    for k, ln in enumerate(body[:MAX_LEAD_LINES]):
        text = ln.row.text.rstrip()
        if text.endswith(":"):
            return (k, None) if k + 1 < len(body) else None
        mids = list(_COLON_MID.finditer(text))
        if mids:
            at = mids[-1].end()
            words = len(text[:at].split())
            if len(text[at:].split()) >= 3:
                return k, words
    return None


def lead_ins(lines: list[Line]) -> list[Line]:
    """``lines`` with the lead-in of every user's message that has one marked as the student's note
    (a line holding both the lead-in's end and the prompt's start cut in two); order kept."""
    replace: dict[int, tuple[Line, Line]] = {}
    for msg in chat_messages(lines):
        if msg[0].role != "user":
            continue
        body = [ln for ln in msg if ln.label is None]
        cut = _cut(body)
        if cut is None:
            continue
        k, words = cut
        texts = [ln.row.text for ln in body[:k]]
        last = body[k].row.text
        texts.append(last if words is None else " ".join(last.split()[:words]))
        lead = " ".join(texts)
        if _SECOND_PERSON.search(lead) or not _THIRD_PERSON.search(lead):
            continue
        # the phrase-based measure or the grammar of the voice (``student_voice``), whichever is stronger
        score = max(voice_score(lead), student_voice(lead).score)
        if score < MIN_VOICE:
            continue
        reason = (
            "opens the user's message up to a colon, speaking of the model in the third person in the "
            f"student's voice (voice score {score}): the student's lead-in to the prompt"
        )
        for ln in body[:k]:
            ln.kind = "annotation"
            ln.why(reason, 0.6)
        if words is None:
            body[k].kind = "annotation"
            body[k].why(reason, 0.6)
            continue
        head_row, tail_row = split_row(body[k].row, words)
        head = dataclasses.replace(
            body[k], row=head_row, evidence=list(body[k].evidence), kinds=set(body[k].kinds)
        )
        tail = dataclasses.replace(
            body[k], row=tail_row, evidence=list(body[k].evidence), kinds=set(body[k].kinds)
        )
        head.kind = "annotation"
        head.why(reason, 0.6)
        replace[id(body[k])] = (head, tail)
    if not replace:
        return lines
    out: list[Line] = []
    for ln in lines:
        out.extend(replace.get(id(ln), (ln,)))
    return out
