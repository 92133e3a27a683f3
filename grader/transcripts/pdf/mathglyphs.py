"""Glyphs of math prints whose text layer names them wrongly or in pieces.

- TeX's symbol and extension fonts (``cmsy``, ``cmex`` and Latin Modern's extension font) printed
  without a ToUnicode table give each glyph the ASCII character at its position: ``>`` for ``⊤``,
  ``p`` for ``√``, ``X`` for a display ``∑`` (:func:`tex_font_text`);
- tall delimiters are drawn from parts, which TeX's fonts name by Adobe's private-use codes
  (:func:`bracket_part_text` maps them to ``⎡ ⎢ ⎣``...; :func:`is_bracket_part` finds such runs);
- the big glyphs of the extension fonts hang from their origin: :func:`hang_extension_glyphs` puts
  them on the line they belong to.
"""

from __future__ import annotations

import re
from dataclasses import replace

from grader.transcripts.pdf.katex import Piece

# Adobe's private-use codes for the parts of tall delimiters (TeX's cmex fonts print them).
_PUA_PARTS = dict(zip(map(chr, range(0xF8EB, 0xF8FF)), "⎛⎜⎝⎡⎢⎣⎧⎨⎩⎪\uf8f5⎞⎟⎠⎤⎥⎦⎫⎬⎭", strict=True))
LEFT_PARTS = frozenset("⎛⎜⎝⎡⎢⎣⎧⎨⎩")
RIGHT_PARTS = frozenset("⎞⎟⎠⎤⎥⎦⎫⎬⎭")
BRACKET_PARTS = LEFT_PARTS | RIGHT_PARTS | {"⎪"}


# TeX's symbol and extension fonts (cmsy, cmex) printed without a ToUnicode table: their codes
# come out as the ASCII characters at the same positions. Those fonts have no digits, small
# letters or punctuation of their own, so such a character is always one of these symbols.
# Positions of the OMS encoding (cmsy): https://ctan.org/pkg/cm (cmsy10.pl); the two arrows are the
# characters PyMuPDF gives for positions 0x18 and 0x19 of such fonts.
_TEX_SYMBOL_CODES = {">": "⊤", "?": "⊥", "2": "∈", "3": "∋", "p": "√", "0": "′", "1": "∞", "!": "→"}
_TEX_SYMBOL_CODES |= {")": "⇒", "(": "⇐", "j": "|", "k": "‖", "f": "{", "g": "}", "h": "⟨", "i": "⟩"}
_TEX_SYMBOL_CODES |= {"\x00": "−", "\x01": "·", "\x02": "×", "\x03": "∗", "\x06": "±", "\x14": "≤"}
_TEX_SYMBOL_CODES |= {"\x15": "≥", "⇠": "∼", "⇡": "≈"}
# cmex positions: big delimiters (0x00-0x23, 0x68-0x6F), radicals (0x70-0x73), operators (0x50-0x5A).
_TEX_EXTENSION_CODES = {"P": "∑", "X": "∑", "Q": "∏", "Y": "∏", "R": "∫", "Z": "∫"}
_TEX_EXTENSION_CODES |= {"\x00": "(", "\x01": ")", "\x02": "[", "\x03": "]", "\x08": "{", "\x09": "}"}
_TEX_EXTENSION_CODES |= {"\x0c": "|", "\x0d": "‖", "\x10": "(", "\x11": ")", "\x12": "(", "\x13": ")"}
_TEX_EXTENSION_CODES |= {"\x14": "[", "\x15": "]", "\x1a": "{", "\x1b": "}", "!": ")", '"': "[", "#": "]"}
_TEX_EXTENSION_CODES |= {"h": "[", "i": "]", "n": "{", "o": "}", "p": "√", "q": "√", "r": "√", "s": "√"}
# cmex fonts whose ToUnicode table names the \Big parentheses by dingbats: "✓" for "(", "◆" for ")"
# (``O\Big(d^2 + bd\Big)`` is read ``O✓d^2 + bd◆``). Only in a cmex run, where no check mark is printed.
_TEX_EXTENSION_CODES |= {"✓": "(", "◆": ")"}
_TEX_SYMBOL_FONT = re.compile(r"(?:^|\+)CMSY\d", re.IGNORECASE)
_TEX_EXTENSION_FONT = re.compile(r"(?:^|\+)(?:CMEX\d|LMMathExtension)", re.IGNORECASE)


def is_tex_extension_font(font: str) -> bool:
    """TeX's extension fonts, whose big glyphs hang from their origin instead of standing on it."""
    return bool(_TEX_EXTENSION_FONT.search(font))


def tex_font_text(text: str, font: str) -> str:
    """``text`` of a run in TeX's cmsy/cmex fonts with the ASCII stand-ins of its symbols replaced.

    >>> tex_font_text("2", "CMSY10"), tex_font_text("X", "ABCDEF+CMEX10"), tex_font_text("2", "CMR10")
    ('∈', '∑', '2')
    """
    if _TEX_SYMBOL_FONT.search(font):
        return "".join(_TEX_SYMBOL_CODES.get(c, c) for c in text)
    if _TEX_EXTENSION_FONT.search(font) and text.strip() in _TEX_EXTENSION_CODES:
        return text.replace(text.strip(), _TEX_EXTENSION_CODES[text.strip()])
    return text


def bracket_part_text(text: str) -> str:
    """``text`` with the private-use codes of delimiter parts replaced by their Unicode forms.

    >>> bracket_part_text("\\uf8ee\\uf8ef\\uf8f0")
    '⎡⎢⎣'
    """
    if not any("\uf8eb" <= c <= "\uf8fe" for c in text):
        return text
    return "".join(_PUA_PARTS.get(c, c) for c in text)


def is_bracket_part(piece: Piece) -> bool:
    """True for a run made only of delimiter parts (a tall bracket drawn from pieces)."""
    text = piece.text.strip()
    return bool(text) and all(c in BRACKET_PARTS for c in text)


def hang_extension_glyphs(pieces: list[Piece]) -> list[Piece]:
    """Put the big glyphs of TeX's extension fonts (``(`` of ``\\bigg``, a display ``∑``) on the line
    they belong to: their origin is at their top, so their own baseline is above the line. The line is
    that of the nearest run beside them whose baseline lies within the glyph's height below its
    origin."""
    out: list[Piece] = []
    for p in pieces:
        if p.katex or not is_tex_extension_font(p.font) or not p.text.strip():
            out.append(p)
            continue
        beside = [
            q
            for q in pieces
            if q is not p
            and not is_tex_extension_font(q.font)
            and q.text.strip()
            and min(abs(q.x0 - p.x1), abs(p.x0 - q.x1)) <= 0.6 * p.size
            and p.baseline < q.baseline <= p.baseline + 2.5 * p.size
        ]
        if not beside:
            out.append(p)
            continue
        line = min(beside, key=lambda q: min(abs(q.x0 - p.x1), abs(p.x0 - q.x1))).baseline
        out.append(replace(p, baseline=line, top=p.baseline, bottom=max(p.bottom, line)))
    return out
