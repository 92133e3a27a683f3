"""Zip archives (a ChatGPT / DeepSeek data export, or a folder of chats zipped by a TA).

:func:`read_archive` returns the members that are transcripts, after checking the archive
against the classic attacks before anything is decompressed into memory:

- a member name that is absolute (``/etc/x``, ``C:\\x``) or climbs out (``../x``);
- more than :data:`MAX_MEMBERS` members;
- a declared total uncompressed size over :data:`MAX_TOTAL_BYTES`;
- a member whose compression ratio is over :data:`MAX_RATIO` (a zip bomb); members smaller
  than :data:`RATIO_FLOOR_BYTES` are exempt, since a few KB of repeated text can legitimately
  compress that well and cannot hurt;
- a member that decompresses to more than its header declares (headers can lie): reading
  stops at the declared size plus one byte.

Transcript members: ``.json`` files whose content :func:`sniff` recognises (so a ChatGPT
export yields ``conversations.json`` and its shards but not ``user.json`` or
``message_feedback.json``), and ``.md`` / ``.markdown`` / ``.txt`` files. Folders, macOS
resource forks (``__MACOSX/``, ``._x``), hidden files and everything else are skipped.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable

from grader.errors import InputError

MAX_MEMBERS = 500
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 64 * 1024
TEXT_SUFFIXES = (".md", ".markdown", ".txt")
_CHUNK = 1024 * 1024


def _check_name(name: str, source: str) -> None:
    parts = re.split(r"[\\/]", name)
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise InputError(
            f"archive member {name!r} has an absolute path; refusing to read the archive", where=source
        )
    if ".." in parts:
        raise InputError(
            f"archive member {name!r} climbs out of the archive ('..'); refusing to read it", where=source
        )


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, source: str) -> bytes:
    limit = min(info.file_size, budget)
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as handle:
            while True:
                chunk = handle.read(min(_CHUNK, limit + 1 - size))
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise InputError(
                        f"archive member {info.filename!r} decompresses to more than its declared "
                        f"{info.file_size} bytes (or over the archive's size cap); refusing it",
                        where=source,
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError) as exc:
        raise InputError(f"archive member {info.filename!r} cannot be read: {exc}", where=source) from None
    return b"".join(chunks)


def _wanted(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    if name.startswith("__MACOSX/") or base.startswith(".") or not base:
        return False
    return base.lower().endswith((".json",) + TEXT_SUFFIXES)


def read_archive(
    data: bytes, source: str, sniff: Callable[[str], str | None] | None = None
) -> list[tuple[str, bytes]]:
    """The transcript members ``(name, bytes)`` of a zip archive, in archive order.

    ``sniff`` decides which ``.json`` members are transcripts (default: the export sniffer).
    Raises InputError (``where`` = ``source``) naming the member for path traversal, a zip
    bomb, too many members or too much data, an encrypted or corrupt member, or a file that is
    not a zip archive.
    """
    if sniff is None:
        from grader.transcripts.exports.sniffing import sniff as default_sniff

        sniff = default_sniff
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise InputError(f"not a readable zip archive: {exc}", where=source) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise InputError(
                f"archive has {len(infos)} members, over the limit of {MAX_MEMBERS}", where=source
            )
        total = 0
        for info in infos:
            _check_name(info.filename, source)
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise InputError(
                    f"archive uncompressed size passes {MAX_TOTAL_BYTES} bytes at member {info.filename!r}",
                    where=source,
                )
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size >= RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
                raise InputError(
                    f"archive member {info.filename!r} has compression ratio {ratio:.0f}:1 "
                    f"(over {MAX_RATIO}:1, a zip bomb?); refusing the archive",
                    where=source,
                )
        members: list[tuple[str, bytes]] = []
        budget = MAX_TOTAL_BYTES
        for info in infos:
            if info.is_dir() or not _wanted(info.filename):
                continue
            if info.flag_bits & 0x1:
                raise InputError(f"archive member {info.filename!r} is encrypted", where=source)
            content = _read_member(archive, info, budget, source)
            budget -= len(content)
            if info.filename.lower().endswith(".json"):
                head = content[:65536].decode("utf-8-sig", errors="replace")
                if sniff(head) is None:
                    continue
            members.append((info.filename, content))
    return members
