"""The student's commentary typed in the chat's own print: told from the chat by its voice and its place.

A write-up, a Google Doc or a print with notes typed between the turns may set the student's remarks in
the same font and colour as the chat, so no style tells them apart. What does (a line under a speaker
label is never taken: the layout says who speaks there):

- **voice** (``student_voice``): the paragraph talks about the model or its answer in the third person
  and judges it, or narrates in the student's own first person what was asked ("I asked it ...",
  "my prompt"), and never speaks to the model ("you", an imperative) nor as the model ("Let me");
- **place**: it opens or closes a message (a verdict typed after a reply, a remark before the next
  prompt) or sits between two messages. A paragraph inside a message must read much more strongly as
  the student's (two clear sentences of it) to be taken out of it.

A paragraph whose first or last lines are the student's and the rest the chat (a note typed on in the
same block as a prompt or a reply) is cut where the voice changes: at the end of a line that ends a
sentence, the student's lines becoming the note and the rest keeping its role. A cut where the line's
style (colour, font, left edge) also changes is more certain, and says so.

Every decision records the voice's evidence and a confidence in the line's ``evidence``.
"""

from __future__ import annotations

import re

from grader.transcripts.pdf.assemble import note_heading
from grader.transcripts.pdf.lead_in import chat_messages
from grader.transcripts.pdf.lines import Line, text_style
from grader.transcripts.student_voice import Voice, student_voice

EDGE_MIN = 3
"""A paragraph at a message's edge reads at least this strongly as the student's (one clear sentence)."""
INTERIOR_MIN = 6
"""A paragraph inside a message must read this strongly (two clear sentences) to be taken out."""
REST_MAX = 0
"""After a cut, what stays in the message must not read as the student's at all."""
_SENTENCE_END = re.compile(r"[.:!?][\"”'*)$\]]*\s*$")
MAX_NOTE_CHARS = 1500
"""Longer paragraphs are the model's prose, however they read."""


def _paragraphs(message: list[Line]) -> list[list[Line]]:
    """A message's paragraphs: a new one at a page break, a blank line's gap, or a math-only row."""
    paras: list[list[Line]] = []
    for ln in message:
        if paras:
            prev = paras[-1][-1].row
            row = ln.row
            gap = row.top - prev.bottom
            if row.page == prev.page and gap <= 0.5 * max(row.size, prev.size) and not row.math_only:
                if not prev.math_only:
                    paras[-1].append(ln)
                    continue
        paras.append([ln])
    return paras


def _text(lines: list[Line]) -> str:
    return " ".join(ln.row.text.strip() for ln in lines)


def _voiced(lines: list[Line], least: int, every: bool = False) -> Voice | None:
    """The voice of ``lines`` when it is the student's: at least ``least``, in half of the sentences
    (``every``: in all of them, for lines cut off a block), none of them speaking to or as the model."""
    text = _text(lines)
    if not text or len(text) > MAX_NOTE_CHARS or any(ln.row.math_only or _speaker(ln) for ln in lines):
        return None
    voice = student_voice(text)
    whole = voice.voiced == voice.sentences if every else voice.throughout
    return voice if voice.score >= least and whole and not voice.addressed else None


def _mark(lines: list[Line], voice: Voice, place: str, extra: str = "") -> None:
    reason = (
        f"the student's commentary in the chat's own print, {place}: "
        + "; ".join(voice.evidence)
        + f" (voice score {voice.score}){extra}"
    )
    for ln in lines:
        ln.kind = "annotation"
        ln.row.meta["voiced_note"] = True
        ln.why(reason, voice.confidence)


def _speaker(ln: Line) -> bool:
    """The line carries a speaker label ("Gemini Output:", "Me:"): the layout says who speaks there."""
    return ln.label is not None and ln.label.role in ("user", "assistant")


def _ends_sentence(ln: Line) -> bool:
    return bool(_SENTENCE_END.search(ln.row.text))


def _style_changes(a: Line, b: Line) -> bool:
    return text_style(a.row)[0] != text_style(b.row)[0] or abs(a.row.x0 - b.row.x0) > 3


def _runs(para: list[Line]) -> list[list[Line]]:
    """The paragraph cut where the print changes (colour, left edge)."""
    runs: list[list[Line]] = []
    for ln in para:
        if runs and not _style_changes(runs[-1][-1], ln):
            runs[-1].append(ln)
        else:
            runs.append([ln])
    return runs


def _cut_head(para: list[Line]) -> tuple[int, Voice] | None:
    """The longest run of first lines, ending a sentence, that is the student's while the rest is not."""
    for k in range(len(para) - 1, 0, -1):
        if not _ends_sentence(para[k - 1]):
            continue
        voice = _voiced(para[:k], EDGE_MIN, every=True)
        if voice is not None and student_voice(_text(para[k:])).score <= REST_MAX:
            return k, voice
    return None


def _cut_tail(para: list[Line]) -> tuple[int, Voice] | None:
    """The longest run of last lines, after a sentence's end, that is the student's while the lines
    before it are not."""
    for k in range(1, len(para)):
        if not _ends_sentence(para[k - 1]):
            continue
        voice = _voiced(para[k:], EDGE_MIN, every=True)
        if voice is not None and student_voice(_text(para[:k])).score <= REST_MAX:
            return k, voice
    return None


def voiced_notes(lines: list[Line]) -> None:
    """Mark the student's commentary typed in the chat's print (see the module docstring)."""
    for message in chat_messages(lines):
        for section in _sections(_paragraphs(message)):
            _section_notes(section)


def _sections(paras: list[list[Line]]) -> list[list[list[Line]]]:
    """A message's paragraphs cut at its headings (a short line of its own that ends no sentence): the
    edges of a section are edges of the document's structure as much as a message's are."""
    sections: list[list[list[Line]]] = [[]]
    for para in paras:
        if len(para) == 1 and note_heading(para[0].row.text):
            sections.append([])
        else:
            sections[-1].append(para)
    return [sec for sec in sections if sec]


def _section_notes(paras: list[list[Line]]) -> None:
    """The student's paragraphs of one section: whole ones at its edges (or strongly voiced inside it),
    then the student's lines cut out of the rest (:func:`_split`)."""
    lo, hi = 0, len(paras)
    # a paragraph in two prints is never taken whole: its lines are told apart by :func:`_split`
    while lo < hi and len(_runs(paras[lo])) == 1 and (voice := _voiced(paras[lo], EDGE_MIN)) is not None:
        _mark(paras[lo], voice, "opening its message or section")
        lo += 1
    while (
        hi > lo and len(_runs(paras[hi - 1])) == 1 and (voice := _voiced(paras[hi - 1], EDGE_MIN)) is not None
    ):
        _mark(paras[hi - 1], voice, "closing its message or section")
        hi -= 1
    for i in range(lo, hi):
        para = paras[i]
        if lo < i < hi - 1 and len(_runs(para)) == 1 and (voice := _voiced(para, INTERIOR_MIN)) is not None:
            _mark(para, voice, "a paragraph of its own inside the message")
            continue
        _split(para, first=i == lo, last=i == hi - 1)


def _split(para: list[Line], first: bool, last: bool) -> None:
    """Cut the student's lines out of a paragraph that also holds the chat's: where the print changes
    and the voice with it (anywhere), or, at the message's edge, where a sentence ends and the voice
    changes (the note typed on in the same block as the prompt or the reply)."""
    if len(para) < 2:
        return
    runs = _runs(para)
    if len(runs) > 1:
        for run in runs:
            voice = _voiced(run, EDGE_MIN)
            if voice is not None:
                _mark(
                    run, voice, "lines set apart in another print", "; the print changes where the voice does"
                )
        if any(ln.kind == "annotation" for ln in para):
            return
    if first and (head := _cut_head(para)) is not None:
        k, voice = head
        _mark(para[:k], voice, "the first lines of its message")
        para = para[k:]
    if last and len(para) > 1 and (tail := _cut_tail(para)) is not None:
        k, voice = tail
        _mark(para[k:], voice, "the last lines of its message")
