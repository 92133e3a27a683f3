"""Transcript readers: every supported format in, one :class:`grader.models.Transcript` out.

::

    read_path(path) ─▶ decode (size cap, empty, binary, encoding) ─▶ read_text
    read_text(text) ─▶ detect(text) ─▶ READERS[format](text, source) ─▶ Transcript

Formats (ids stored in ``Transcript.format``):

- ``role-markdown``: explicit role markers (``## User``, ``#### ChatGPT:``, ``User:`` ...);
- ``writeup-text``: annotated write-ups converted from PDF, roles inferred from layout.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from grader.errors import InputError
from grader.models import Transcript
from grader.transcripts.decode import MAX_BYTES, check_size, decode_bytes
from grader.transcripts.detect import detect, detect_and_read
from grader.transcripts.role_markdown import read_role_markdown
from grader.transcripts.writeup import read_writeup

__all__ = ["MAX_BYTES", "READERS", "detect", "read_path", "read_text"]

READERS: dict[str, Callable[[str, str], Transcript]] = {
    "role-markdown": read_role_markdown,
    "writeup-text": read_writeup,
}
"""Format id -> reader(text, source)."""


def read_text(text: str, source: str = "<text>") -> Transcript:
    """Read a transcript from text, detecting its format by content.

    Raises EmptyInputError, BinaryInputError, InputTooLargeError or UnknownFormatError, each
    with ``where`` set to ``source``.
    """
    data = text.encode("utf-8", errors="replace")
    return _read_bytes(data, source)


def read_path(path: Path) -> Transcript:
    """Read a transcript file (any supported format), with the file name as ``source``.

    Raises EmptyInputError ("file is empty"), BinaryInputError ("binary content (NUL bytes at
    offset 12); not a transcript"), UnknownFormatError or InputTooLargeError, each with
    ``where`` set to the file name.
    """
    path = Path(path)
    where = path.name
    try:
        check_size(path.stat().st_size, where)
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", where=where) from exc
    return _read_bytes(data, where)


def _read_bytes(data: bytes, where: str) -> Transcript:
    text, warnings = decode_bytes(data, where)
    transcript = detect_and_read(text, where)
    transcript.warnings.extend(warnings)
    return transcript
