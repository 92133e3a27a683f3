"""Upload checks done before anything is stored: size cap, file name, binary or unknown content.

A file over the cap is refused with 413 while it is read (never held whole in memory); a
binary file or one no reader recognises is refused with 415. Everything that is a readable
transcript is stored and graded in the background; grading errors show on its page.
"""

from __future__ import annotations

import re
import unicodedata

from starlette.datastructures import UploadFile

from grader.errors import HomeworkError, InputTooLargeError, UnknownFormatError
from grader.rubric import rubrics
from grader.transcripts import detect
from grader.transcripts.decode import decode_bytes

CHUNK = 1024 * 1024
PASTED_NAME = "pasted.txt"


def safe_filename(name: str | None, default: str = "upload.txt") -> str:
    """The base name of an uploaded file, printable and at most 200 characters.

    >>> safe_filename("../../etc/passwd"), safe_filename("C:\\\\x\\\\chat log.md"), safe_filename("")
    ('passwd', 'chat log.md', 'upload.txt')
    """
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return base[:200] or default


def too_large(cap: int, where: str) -> InputTooLargeError:
    """The error for an upload over the cap."""
    return InputTooLargeError(
        f"upload is over the {cap}-byte cap ({cap / (1024 * 1024):g} MB); split the file", where=where
    )


async def read_capped(upload: UploadFile, cap: int) -> bytes:
    """Read an uploaded file, raising InputTooLargeError (413) as soon as it passes ``cap``."""
    name = safe_filename(upload.filename)
    chunks: list[bytes] = []
    total = 0
    while chunk := await upload.read(CHUNK):
        total += len(chunk)
        if total > cap:
            raise too_large(cap, name)
        chunks.append(chunk)
    return b"".join(chunks)


def check_content(data: bytes, filename: str, cap: int) -> None:
    """Raise the upload's error when it is too large, empty, binary or in no known format."""
    if len(data) > cap:
        raise too_large(cap, filename)
    text, _warnings = decode_bytes(data, filename)
    try:
        detect(text)
    except UnknownFormatError as exc:
        raise UnknownFormatError(exc.message, where=filename) from None


def check_homework(homework: str | None) -> str | None:
    """The homework id chosen by the user (None for auto-detect); HomeworkError (422) when unknown."""
    homework = (homework or "").strip()
    if not homework or homework == "auto":
        return None
    known = rubrics()
    if homework not in known:
        raise HomeworkError(f"unknown homework {homework!r}; known: {', '.join(sorted(known))}", "homework")
    return homework
