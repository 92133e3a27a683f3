"""Where uploaded bytes live: in the database row, or in a content-addressed files dir.

Bytes are written before any grading starts; a file is written to ``<dir>/<ab>/<sha256>`` through
a temporary name and an atomic rename, and removed only when no row refers to it any more.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_hex(data: bytes) -> str:
    """SHA-256 of ``data``, hex."""
    return hashlib.sha256(data).hexdigest()


def save_blob(files_dir: Path, digest: str, data: bytes) -> str:
    """Write ``data`` under its digest (once); returns the path to record."""
    path = files_dir / digest[:2] / digest
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    return str(path)


def load_blob(content: bytes | None, file_path: str | None, what: str) -> bytes:
    """The stored bytes of a row (``content`` in the row, else the file at ``file_path``)."""
    if content is not None:
        return content
    if file_path:
        try:
            return Path(file_path).read_bytes()
        except OSError as exc:
            raise FileNotFoundError(f"{what}: stored file {file_path} is unreadable: {exc}") from exc
    raise FileNotFoundError(f"{what} has no stored content")


def remove_blob(file_path: str | None) -> None:
    """Delete a stored file (the caller checked that nothing else refers to it)."""
    if file_path:
        Path(file_path).unlink(missing_ok=True)


def human_size(n: int) -> str:
    """A byte count as people write it: ``20 MB``, ``195 KB``, ``512 bytes`` (1 MB = 2**20 bytes).

    >>> human_size(20 * 1024 * 1024), human_size(200_000), human_size(512), human_size(1536 * 1024)
    ('20 MB', '195 KB', '512 bytes', '1.5 MB')
    """
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            value = n / scale
            text = f"{value:.1f}".rstrip("0").rstrip(".") if value < 10 else f"{value:.0f}"
            return f"{text} {unit}"
    return f"{n} byte{'s' if n != 1 else ''}"
