"""Transcript readers: every supported format in, one :class:`grader.models.Transcript` out.

::

    read_path(path) ─▶ decode (size cap, empty, binary, encoding) ─▶ read_text
    read_text(text) ─▶ detect(text) ─▶ READERS[format](text, source) ─▶ Transcript

Formats (ids stored in ``Transcript.format``):

- ``role-markdown``: explicit role markers (``## User``, ``#### ChatGPT:``, ``User:`` ...);
- ``writeup-text``: annotated write-ups converted from PDF, roles inferred from layout;
- the JSON and text exports of ``grader.transcripts.exports`` (ChatGPT, Claude, Le Chat, DeepSeek,
  Open WebUI, LibreChat, Gemini Takeout, exporter Markdown), sniffed by content;
- a zip of any of these: every transcript member is read (see :func:`read_all`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from grader.errors import BinaryInputError, InputError, UnknownFormatError
from grader.models import Transcript
from grader.transcripts.decode import MAX_BYTES, check_size, decode_bytes
from grader.transcripts.detect import detect, detect_and_read
from grader.transcripts.exports import EXPORT_READERS, read_archive, sniff
from grader.transcripts.residue import find_model
from grader.transcripts.role_markdown import read_role_markdown
from grader.transcripts.writeup import read_writeup

if TYPE_CHECKING:
    from grader.course.model import Course

__all__ = [
    "MAX_BYTES",
    "READERS",
    "detect",
    "read_all",
    "read_bytes",
    "read_path",
    "read_text",
    "read_text_all",
]

READERS: dict[str, Callable[[str, str], Transcript]] = {
    "role-markdown": read_role_markdown,
    "writeup-text": read_writeup,
}
"""Format id -> reader(text, source)."""


_EXPORTER_ONLY = re.compile(
    r"^#{1,4}\s*(?:Prompt|Response)\s*:\s*$|Powered by ChatGPT Exporter|^Exported:", re.M
)


def read_text_all(text: str, source: str = "<text>") -> list[Transcript]:
    """Every transcript in a text (an export may hold several conversations), format by content."""
    stripped = text.lstrip()
    fmt = sniff(text)
    if stripped[:1] in ("{", "[") and fmt is None:
        raise UnknownFormatError(
            "JSON of an unknown shape: not a ChatGPT, Claude, Le Chat, DeepSeek, Open WebUI, LibreChat "
            "or Gemini Takeout export",
            where=source,
        )
    if fmt == "exporter-markdown" and not _EXPORTER_ONLY.search(text):
        # Plain role markers (## User / ## Assistant): the role-markdown reader, which also finds the
        # student's notes, reads them; the exporter reader stays the fallback.
        try:
            return [detect_and_read(text, source)]
        except UnknownFormatError:
            pass
    if fmt is not None:
        try:
            found = EXPORT_READERS[fmt](text, source)
        except InputError:
            if fmt != "exporter-markdown":
                raise
            found = []  # exporter-like Markdown the exporter reader cannot take: the generic reader may
        if found:
            for t in found:
                t.model = t.model or find_model(text[:4000], t.title)
            return found
    return [detect_and_read(text, source)]


def read_text(text: str, source: str = "<text>") -> Transcript:
    """Read a transcript from text, detecting its format by content (the first one, if several).

    Raises EmptyInputError, BinaryInputError, InputTooLargeError or UnknownFormatError, each
    with ``where`` set to ``source``.
    """
    return _first(_read_bytes_all(text.encode("utf-8", errors="replace"), source), source)


def read_all(path: Path, questions: Course | None = None) -> list[Transcript]:
    """Every transcript in a file: one for a chat, several for a multi-conversation export or a zip.

    ``questions``: the course's question files; where the layout did not say who wrote a block, a
    pasted copy of their text is the user's (:mod:`grader.transcripts.question_turns`).
    Raises the errors of :func:`read_path`; a zip with a path-traversal member, too many members or
    a decompression bomb raises InputError naming the member.
    """
    path = Path(path)
    data = _read_file(path)
    return _with_questions(_read_bytes_all(data, path.name), questions)


def read_bytes(data: bytes, source: str, questions: Course | None = None) -> list[Transcript]:
    """Every transcript in the bytes of one uploaded file (``source`` names it in errors).

    The one way in shared by the CLI, the web app and batch jobs: PDFs, every export format, zips and
    plain text are recognised by content. ``questions`` as in :func:`read_all`. Raises the errors of
    :func:`read_path`.
    """
    check_size(len(data), source)
    return _with_questions(_read_bytes_all(data, source), questions)


def _with_questions(transcripts: list[Transcript], questions: Course | None) -> list[Transcript]:
    if questions is not None:
        from grader.transcripts.question_turns import mark_question_turns

        for transcript in transcripts:
            mark_question_turns(transcript, questions)
    return transcripts


def read_path(path: Path) -> Transcript:
    """Read a transcript file (any supported format), with the file name as ``source``.

    A file holding several conversations yields the first, with a warning saying how many there are.
    Raises EmptyInputError ("file is empty"), BinaryInputError ("binary content (NUL bytes at
    offset 12); not a transcript"), UnknownFormatError or InputTooLargeError, each with
    ``where`` set to the file name.
    """
    path = Path(path)
    return _first(read_all(path), path.name)


def _first(transcripts: list[Transcript], where: str) -> Transcript:
    if not transcripts:
        raise UnknownFormatError("the file holds no conversation", where=where)
    first = transcripts[0]
    if len(transcripts) > 1:
        first.warnings.append(f"{where} holds {len(transcripts)} conversations; this is the first")
    return first


def _read_file(path: Path) -> bytes:
    where = path.name
    try:
        check_size(path.stat().st_size, where)
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", where=where) from exc


def _is_docx(data: bytes) -> bool:
    import io
    import zipfile

    from grader.transcripts.docx import is_docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return is_docx(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _read_bytes_all(data: bytes, where: str) -> list[Transcript]:
    if data[:4] == b"PK\x03\x04":
        if _is_docx(data):
            from grader.transcripts.docx import read_docx

            return [read_docx(data, where)]
        out: list[Transcript] = []
        try:
            members = read_archive(data, where, sniff)
        except InputError as exc:
            if "not a readable zip" in exc.message:
                raise BinaryInputError(f"corrupt ZIP archive: {exc.message}", where=where) from None
            raise
        for name, member in members:
            out += _read_bytes_all(member, f"{where}/{name}")
        if not out:
            raise UnknownFormatError("the zip holds no transcript", where=where)
        return out
    if data[:1024].find(b"%PDF-") != -1:
        from grader.transcripts.pdf import is_pdf, read_pdf  # needs the optional PyMuPDF

        if is_pdf(data):
            return [read_pdf(data, where)]
    text, warnings = decode_bytes(data, where)
    transcripts = read_text_all(text, where)
    for t in transcripts:
        t.warnings.extend(warnings)
    return transcripts
