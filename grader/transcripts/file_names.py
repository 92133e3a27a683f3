"""What a submission file's name says about its content: the one question it answers, if it names one.

A student who hands in one file per question (``solution_q3.md``, ``prob-2.pdf``, ``hw4_question_1.txt``)
names the question in the file's name. That is evidence for two decisions: that a file with no
conversation in it is the answer to a homework question (reading, :mod:`grader.transcripts.detect`), and
which question its text answers when nothing inside the file says (alignment,
:func:`grader.align_own.question_in_file_name`). A name that holds no question number, or two different
ones, says nothing.
"""

from __future__ import annotations

import re
from pathlib import PurePath

__all__ = ["question_number_in_name"]

_FILE_QUESTION_RE = re.compile(
    r"(?:^|[^a-z0-9])(?:problem|prob|question|ques|exercise|ex|q|p)[\s_.-]*0*(\d{1,2})(?!\d)", re.I
)


def question_number_in_name(source: str) -> str | None:
    """The one question number a file's name gives ("3" for ``answers/prob03_v2.md``), or None.

    >>> question_number_in_name("solution_q3.md"), question_number_in_name("hw/Problem-12.pdf")
    ('3', '12')
    >>> question_number_in_name("answers.md"), question_number_in_name("q1_and_q2.md")
    (None, None)
    """
    stem = PurePath(source).stem
    found = {str(int(m.group(1))) for m in _FILE_QUESTION_RE.finditer(stem)}
    return found.pop() if len(found) == 1 else None
