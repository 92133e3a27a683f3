"""Bytes to text, with the checks every upload needs: size cap, empty, binary, encoding.

UTF-8 (with or without a BOM) and UTF-16 with a BOM are decoded as such; anything else that
is not valid UTF-8 falls back to Latin-1 with a warning, so that a stray byte never makes a
transcript unreadable. Newlines are normalised to ``\\n``: span offsets refer to that text.
"""

from __future__ import annotations

from grader.errors import BinaryInputError, EmptyInputError, InputTooLargeError

MAX_BYTES = 20 * 1024 * 1024

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file; convert it to text or Markdown first"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image; not a transcript"),
    (b"\xff\xd8\xff", "a JPEG image; not a transcript"),
    (b"GIF8", "a GIF image; not a transcript"),
    (b"PK\x03\x04", "a ZIP archive; unpack it and upload its files"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
)


def check_size(size: int, where: str) -> None:
    """Raise InputTooLargeError when ``size`` bytes is over :data:`MAX_BYTES`."""
    if size > MAX_BYTES:
        raise InputTooLargeError(
            f"input is {size} bytes, over the {MAX_BYTES}-byte cap; split the file", where=where
        )


def _check_binary(data: bytes, where: str) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BinaryInputError(f"binary content ({what})", where=where)
    nuls = data.count(b"\x00")
    if nuls and (nuls > 16 or nuls > len(data) // 1000):
        nul = data.find(b"\x00")
        raise BinaryInputError(f"binary content (NUL bytes at offset {nul}); not a transcript", where=where)
    sample = data[:4096]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if sample and controls / len(sample) > 0.1:
        raise BinaryInputError(
            f"binary content ({controls} control bytes in the first {len(sample)}); not a transcript",
            where=where,
        )


def decode_bytes(data: bytes, where: str) -> tuple[str, list[str]]:
    """Decode an upload to text, returning ``(text, warnings)``.

    Raises EmptyInputError, BinaryInputError or InputTooLargeError with ``where`` set.

    >>> decode_bytes(b"caf\\xe9", "x.txt")[1]
    ['not valid UTF-8 (first bad byte at offset 3); decoded as Latin-1']
    """
    check_size(len(data), where)
    if not data:
        raise EmptyInputError("file is empty", where=where)
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise BinaryInputError(
                f"invalid UTF-16 at byte {exc.start}; not a transcript", where=where
            ) from exc
    else:
        _check_binary(data, where)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            text = data.decode("latin-1")
            warnings.append(f"not valid UTF-8 (first bad byte at offset {exc.start}); decoded as Latin-1")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    strays = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\t")
    if strays:
        # a few control characters pasted from a PDF (brackets its font mapped to \x00, \x01):
        # marked, not fatal, so that the rest of the text is read
        text = "".join("\ufffd" if ord(ch) < 32 and ch not in "\n\t" else ch for ch in text)
        warnings.append(f"{strays} control character(s) replaced by \ufffd (pasted from a PDF?)")
    if not text.strip():
        raise EmptyInputError("file holds only whitespace", where=where)
    return text, warnings
