"""Glyphs the text layer names wrongly: alternate forms that a browser's print wrote a letter for.

Chrome subsets a web font by glyph order: capitals, small letters, digits, then punctuation and,
after each bracket or operator, its *alternate* forms (Inter raises brackets, ``=``, ``+``, ``<``
to the height of digits and ligates ``=>`` into an arrow). Alternates have no Unicode value of
their own, and the print's ToUnicode table gives them a wrong one: the DeepSeek print of
``θ0 = 0`` reads ``θ0 e 0`` and ``[1, 0.1, 0.01]`` reads ``X1, 0.1, 0.01Y``.

Such a glyph gives itself away by its glyph id: a letter listed after the font's punctuation, or a
character that a second, earlier glyph of the same font already stands for. Only glyphs caught
this way are replaced, by the form they draw (read off the rendered page; the table below is for
Inter, the font these prints use). Suspects with no known form are reported, not guessed.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

# Inter's alternate forms as Chrome's ToUnicode names them -> the character they draw.
INTER_ALTERNATES = {
    "[": "(",
    "h": ")",
    "X": "[",
    "Y": "]",
    "v": "{",
    "u": "}",
    "y": ":",
    "r": "<",
    "]": ">",
    "e": "=",
    "l": "+",
    "}": "*",
    "w": "←",
    "|": "→",
    "f": "⇒",
}

Key = tuple[float, float]


def _key(origin: tuple[float, float]) -> Key:
    return (round(origin[0], 1), round(origin[1], 1))


def suspect_glyphs(fonts: dict[str, set[tuple[str, int]]]) -> dict[tuple[str, int], str]:
    """(font, glyph id) -> the character the ToUnicode table gives it, for glyphs that cannot be it.

    A font counts only when it looks like an ordered subset: its letters and digits come before
    its punctuation. Then a letter after the first punctuation glyph, or a character already
    given to an earlier glyph, is an alternate form.

    >>> letters = {(c, g) for g, c in enumerate("ABCabcdefg0123", start=1)}
    >>> fonts = {"Inter": letters | {("(", 20), ("[", 21), ("[", 22), ("e", 23), ("X", 24)}}
    >>> sorted(suspect_glyphs(fonts).items())
    [(('Inter', 22), '['), (('Inter', 23), 'e'), (('Inter', 24), 'X')]
    """
    out: dict[tuple[str, int], str] = {}
    for font, pairs in fonts.items():
        punct = [g for c, g in pairs if not (c.isalnum() or c.isspace())]
        if not punct:
            continue
        first_punct = min(punct)
        head = [c for c, g in sorted(pairs, key=lambda t: t[1]) if g < first_punct]
        ranks = [(c.isdigit(), c.islower(), c) for c in head]
        if len(head) < 10 or not all(c.isascii() and c.isalnum() for c in head) or ranks != sorted(ranks):
            continue  # not a subset in glyph order: nothing can be told from the ids
        first_gid: dict[str, int] = {}
        for c, g in sorted(pairs, key=lambda t: t[1]):
            late_letter = c.isascii() and c.isalpha() and g > first_punct
            if late_letter or (c in first_gid and first_gid[c] != g):
                out[(font, g)] = c
            first_gid.setdefault(c, g)
    return out


def glyph_fixes(pages: list[Any]) -> tuple[list[dict[Key, str]], int]:
    """Per page, the characters to put in place of misnamed glyphs (keyed by glyph origin), and
    the number of misnamed glyphs whose form is unknown (left as they are)."""
    fonts: dict[str, set[tuple[str, int]]] = defaultdict(set)
    traces = []
    for page in pages:
        try:
            trace = page.get_texttrace()
        except Exception:  # an old PyMuPDF or a damaged page: no repair
            trace = []
        traces.append(trace)
        for span in trace:
            for ch in span["chars"]:
                if ch[0] > 0:
                    fonts[span["font"]].add((chr(ch[0]), ch[1]))
    suspects = suspect_glyphs(fonts)
    fixes: list[dict[Key, str]] = []
    unknown = 0
    for trace in traces:
        page_fix: dict[Key, str] = {}
        for span in trace:
            font = span["font"]
            for ch in span["chars"]:
                if (font, ch[1]) not in suspects:
                    continue
                form = INTER_ALTERNATES.get(chr(ch[0])) if font.startswith("Inter") else None
                if form is None:
                    unknown += 1
                    continue
                page_fix[_key(ch[2])] = form
        fixes.append(page_fix)
    return fixes, unknown


def apply_fixes(chars: list[dict[str, Any]], fixes: dict[Key, str]) -> int:
    """Replace misnamed glyphs among a span's ``rawdict`` chars in place; returns how many."""
    done = 0
    for ch in chars:
        form = fixes.get(_key(ch["origin"]))
        if form is not None:
            ch["c"] = form
            done += 1
    return done
