"""Identifying phrases of a rubric: plain text matched case-insensitively and as whole words.

A rubric recognises a homework, a part, a table row or a method name by short phrases a TA types
as they read them ("Ring All-Reduce", "parameter server", "HW2"). A phrase matches text when its
words occur in order, as whole words, whatever the case, with any run of spaces or hyphens between
words ("all to all" = "All-to-All" = "all-to-all") and optional spacing between letters and digits
("HW2" = "HW 2" = "hw-2"). Punctuation in a phrase must appear, with optional spaces around it
("[1, 0.1, 0.01]" = "[1,0.1,0.01]").

A phrase may instead be an explicit regular expression, written ``{regex: "..."}`` in the rubric:
an option for the rare case (LaTeX spacing variants) a phrase cannot say. It is compiled
case-insensitively; an invalid one is a rubric error.

Example:
    >>> compile_phrase("All-to-All").search("the all to all protocol") is not None
    True
    >>> compile_phrase("HW2").search("HW 21") is None
    True
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

__all__ = ["PhraseItem", "compile_phrase", "phrase_text", "phrase_error", "search_any"]

PhraseItem = str | dict[str, str]
"""A phrase as written in a rubric: plain text, or ``{"regex": pattern}``."""

_SPACE = r"[\s\-‐‑–—_]+"
_HYPHEN = r"[\s\-‐‑–—_]*"
_LETTER_DIGIT = re.compile(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")


def _chunk(chunk: str) -> str:
    """One whitespace-free piece of a phrase as a pattern (hyphens and letter/digit seams flexible)."""
    pieces = re.split(r"[\-‐‑–—]+", chunk)
    out = []
    for piece in pieces:
        subs = _LETTER_DIGIT.split(piece)
        out.append(_HYPHEN.join(re.escape(s) for s in subs))
    return _HYPHEN.join(out)


def _plain_pattern(phrase: str) -> str:
    chunks = phrase.split()
    if not chunks:
        raise ValueError("an empty phrase matches everything")
    pattern = _chunk(chunks[0])
    for prev, nxt in zip(chunks, chunks[1:], strict=False):
        joiner = _SPACE if (prev[-1].isalnum() and nxt[0].isalnum()) else r"\s*"
        pattern += joiner + _chunk(nxt)
    start = r"(?<!\w)" if chunks[0][0].isalnum() or chunks[0][0] == "_" else ""
    end = r"(?!\w)" if chunks[-1][-1].isalnum() or chunks[-1][-1] == "_" else ""
    return start + pattern + end


@lru_cache(maxsize=4096)
def _compiled(kind: str, text: str) -> re.Pattern[str]:
    if kind == "regex":
        return re.compile(text, re.I)
    return re.compile(_plain_pattern(text), re.I)


def _split(item: Any) -> tuple[str, str]:
    if isinstance(item, str):
        return "phrase", item
    if isinstance(item, dict) and set(item) == {"regex"} and isinstance(item["regex"], str):
        return "regex", item["regex"]
    raise ValueError(f"a phrase is plain text or {{regex: ...}}, got {item!r}")


def compile_phrase(item: PhraseItem) -> re.Pattern[str]:
    """The compiled pattern of one phrase item (plain phrase or ``{"regex": ...}``).

    Raises:
        ValueError: an empty phrase, a malformed item or an invalid regex.

    Example:
        >>> bool(compile_phrase("parameter server").search("Parameter-Server"))
        True
        >>> bool(compile_phrase({"regex": r"\\bring\\b"}).search("Ring All-Reduce"))
        True
    """
    kind, text = _split(item)
    if not text.strip():
        raise ValueError("an empty phrase matches everything")
    try:
        return _compiled(kind, text)
    except re.error as exc:
        raise ValueError(f"invalid regex {text!r}: {exc}") from exc


def phrase_error(item: Any) -> str | None:
    """Why ``item`` is not a valid phrase, or None when it is."""
    try:
        compile_phrase(item)
    except ValueError as exc:
        return str(exc)
    return None


def phrase_text(item: PhraseItem) -> str:
    """The phrase as a person reads it (the regex source for a regex item)."""
    return _split(item)[1]


def search_any(items: list[PhraseItem], text: str) -> re.Match[str] | None:
    """The earliest match in ``text`` of any of ``items`` (None when none matches)."""
    best: re.Match[str] | None = None
    for item in items:
        m = compile_phrase(item).search(text)
        if m and (best is None or m.start() < best.start()):
            best = m
    return best
