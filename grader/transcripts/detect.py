"""Which reader takes a text: decided by content, never by file name."""

from __future__ import annotations

import re

from grader.errors import UnknownFormatError
from grader.models import Transcript
from grader.transcripts.file_names import question_number_in_name
from grader.transcripts.role_markdown import find_markers, read_role_markdown
from grader.transcripts.writeup import read_writeup

_HOMEWORK_WORDS = re.compile(
    r"\b(?:question|problem|solve|solution|derive|derivation|answer|gradient|optimi[sz]\w*|matrix|vector"
    r"|loss|theta|proof|prove|compute|homework|hw\d*|part \(?[a-z]\)?)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]{2,}")
_PART_REFS = re.compile(
    r"\b(?:Problem|Question|Exercise|Part|Q)\s*\d+|^\s*(?:#+\s*)?\(?[a-h]\)\s", re.I | re.M
)


def homework_signals(text: str) -> int:
    """How many distinct homework-like terms (plus LaTeX math) the text holds."""
    terms = {m.group(0).lower() for m in _HOMEWORK_WORDS.finditer(text)}
    return len(terms) + (1 if re.search(r"\$[^$\n]+\$", text) else 0)


def detect(text: str) -> str:
    """The format id of ``text``: "role-markdown" or "writeup-text".

    Raises UnknownFormatError ("no chat structure found") for text that is neither, such as
    a shopping list, a CSV or random words. A homework text with no conversation is read as one document
    (:func:`grader.transcripts.document.read_document`) when it answers numbered parts, or when its file's
    name names one question (:mod:`grader.transcripts.file_names`).

    >>> detect("## User\\nWhat is 2+2?\\n\\n## Assistant\\n4")
    'role-markdown'
    """
    return detect_and_read(text, "<text>").format


def detect_and_read(text: str, source: str) -> Transcript:
    """Detect the format of ``text`` and read it, reading a write-up only once."""
    if find_markers(text):
        return read_role_markdown(text, source)
    if len(_WORD.findall(text)) >= 25 and homework_signals(text) >= 3:
        transcript = read_writeup(text, source)
        roles = {turn.role for turn in transcript.turns if turn.blocks}
        if {"user", "assistant"} <= roles:
            return transcript
    if (
        len(_WORD.findall(text)) >= 40
        and homework_signals(text) >= 3
        and (len(_PART_REFS.findall(text)) >= 3 or question_number_in_name(source) is not None)
    ):
        # answers to numbered homework parts, or a homework text in a file named for one question
        # (``solution_q2.md``): no conversation, a solutions file or a write-up
        from grader.transcripts.document import read_document

        return read_document(text, source)
    raise UnknownFormatError(
        "no chat structure found: no role markers (## User / ## Assistant, User: / Assistant:) and no "
        "write-up layout (a prompt followed by a model reply), and no homework solution text (numbered parts, or "
        "a file named for its question such as solution_q2.md)",
        where=source,
    )
