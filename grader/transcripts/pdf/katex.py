"""Rebuild math that KaTeX rendered into a PDF from the geometry of its glyphs.

KaTeX prints every formula as absolutely positioned glyphs in its own fonts (``KaTeX_Main``,
``KaTeX_Math``, ``KaTeX_Size1..4``...). The text layer keeps the glyphs but loses the layout, and
an exporter may even move them to the end of the page. Here the layout is read back:

- a fraction is a thin filled rule with glyphs just above (numerator) and below (denominator);
- a sub/superscript is a glyph run in a smaller KaTeX size whose baseline sits below/above the
  baseline of the row it belongs to.

The loop over a page's rules (fractions, radicals, in every font) is ``mathgeom.fold_rules``; stacked
rows with no rule are ``matrices``'. What cannot be rebuilt is marked lossy.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

KATEX_PREFIX = "KaTeX_"
KATEX_ERROR_COLOR = 0xCC0000
"""KaTeX prints the source of a formula it failed to parse in this colour: it is raw LaTeX."""

# ⋆ and ∗ are how KaTeX draws \star and * (an optimum θ^⋆, a dual norm ‖·‖_∗).
_SYMBOLS = {"−": "-", "∥": "‖", "\u2061": "", "\u200b": "", "⋆": "\\star ", "∗": "*"}
_MAX_SCRIPT_CHARS = 6
"""A script is a short run (``ref``, ``2``, ``θ∗``): longer runs are text or structure."""
_LOSSY_GLYPHS = ("√", "⎩", "⎧", "⎨", "⎪", "⎣", "⎡", "⎢", "⎤", "⎦", "⎥")


@dataclass(frozen=True)
class Piece:
    """One run of glyphs in one font: a PyMuPDF span, or a rebuilt fraction."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float
    font: str
    color: int
    katex: bool
    bold: bool = False
    rebuilt: tuple[str, ...] = ()
    """The structures rebuilt from geometry into this piece (``frac``, ``sqrt``, ``script``, ``matrix``)."""

    @property
    def center_x(self) -> float:
        """Horizontal middle of the piece."""
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class Rule:
    """A thin horizontal filled rectangle or stroked line (a fraction or radical bar candidate)."""

    x0: float
    x1: float
    y: float
    stroked: bool = False
    """Drawn as a stroked line (TeX's bars), not a filled rectangle (browsers' bars, table borders)."""


def is_katex_font(font: str) -> bool:
    """True for the fonts KaTeX renders math in.

    >>> is_katex_font("KaTeX_Math-Italic"), is_katex_font("DejaVuSans")
    (True, False)
    """
    return font.startswith(KATEX_PREFIX)


def math_symbols(text: str) -> str:
    """KaTeX glyph text with the characters the math parser does not read mapped to ones it does.

    >>> math_symbols("∥Δθ∥ = −g"), math_symbols("𝜕𝑥")
    ('‖Δθ‖ = -g', '∂x')
    """
    for old, new in _SYMBOLS.items():
        text = text.replace(old, new)
    if not text.isascii():  # TeX's and browsers' math fonts print styled letters: 𝑥 -> x, 𝜕 -> ∂
        text = "".join(_plain_letter(c) for c in text)
    return text


def _plain_letter(c: str) -> str:
    if "\U0001d400" <= c <= "\U0001d7ff" or c == "ℎ":
        plain = unicodedata.normalize("NFKC", c)
        return plain if len(plain) == 1 else c
    return c


def is_lossy_math(text: str) -> bool:
    """True when the glyphs include shapes whose extent geometry alone does not give (radicals, big brackets)."""
    return any(g in text for g in _LOSSY_GLYPHS)


def pieces_text(pieces: list[Piece], base: float, main_size: float) -> str:
    """Math text of pieces on one baseline, sub/superscripts written ``_{..}`` / ``^{..}``."""
    out: list[str] = []
    script_kind = ""
    for p in sorted(pieces, key=lambda q: (q.x0, q.baseline)):
        text = math_symbols(p.text).strip()
        if not text:
            continue
        kind = ""
        if p.size < 0.8 * main_size:
            shift = min(1.0, 0.1 * main_size)  # a small print shifts its scripts less
            if p.baseline < base - shift:
                kind = "^"
            elif p.baseline > base + shift:
                kind = "_"
        if kind and kind == script_kind and out and out[-1].endswith("}"):
            out[-1] = out[-1][:-1] + text + "}"
            continue
        script_kind = kind
        out.append(f"{kind}{{{text}}}" if kind else text)
    joined = ""
    for token in out:
        if (
            joined
            and not token.startswith(("^", "_"))
            and joined[-1].isascii()
            and joined[-1].isalpha()
            and token[0].isascii()
            and token[0].isalpha()
        ):
            joined += " "
        joined += token
    return joined


def _main_baseline(pieces: list[Piece]) -> float:
    sizes = max(p.size for p in pieces)
    mains = [p.baseline for p in pieces if p.size >= 0.8 * sizes]
    return sorted(mains)[len(mains) // 2]


def katex_fraction(rule: Rule, pieces: list[Piece]) -> tuple[list[Piece], list[Piece]] | None:
    """(numerator, denominator) KaTeX runs just above and below ``rule``, or None."""
    inside = [p for p in pieces if p.katex and p.x0 >= rule.x0 - 2.5 and p.x1 <= rule.x1 + 2.5]
    num = [p for p in inside if rule.y - 1.1 * p.size <= p.baseline < rule.y + 0.5]
    den = [p for p in inside if rule.y + 2.5 <= p.baseline <= rule.y + 1.1 * p.size + 3]
    if not num or not den:
        return None
    big = max(p.size for p in num + den)
    near_num = max((p.baseline for p in num if p.size >= 0.8 * big), default=max(p.baseline for p in num))
    near_den = min((p.baseline for p in den if p.size >= 0.8 * big), default=min(p.baseline for p in den))
    num = [p for p in num if abs(p.baseline - near_num) < 8]
    den = [p for p in den if abs(p.baseline - near_den) < 8]
    return num + _scripts_of(inside, num, near_num, big), den + _scripts_of(inside, den, near_den, big)


def _scripts_of(inside: list[Piece], row: list[Piece], base: float, big: float) -> list[Piece]:
    """Script-size runs of a numerator or denominator row that the window by their own size missed: a
    subscript hangs below its row's baseline (``π`` + ``ref`` under the bar), a superscript rises above
    it, by less than half the row's size. Only short plain runs (``ref``, ``2``) that start where a run of
    the row ends: a rebuilt piece (a fraction nested in the row) is structure, not a script."""
    taken = {id(p) for p in row}
    return [
        p
        for p in inside
        if id(p) not in taken
        and not p.rebuilt
        and len(p.text.strip()) <= _MAX_SCRIPT_CHARS
        and p.size < 0.8 * big
        and 0 < abs(p.baseline - base) <= 0.5 * big
        and any(-0.15 * big <= p.x0 - q.x1 <= 0.25 * big for q in row)
    ]


def fraction_piece(num: list[Piece], den: list[Piece], rule: Rule, row_size: float) -> Piece:
    """One piece ``\\frac{num}{den}`` standing on the line of a ``row_size`` row through ``rule``."""
    num_base, den_base = _main_baseline(num), _main_baseline(den)
    size = max(p.size for p in num + den)
    text = f"\\frac{{{pieces_text(num, num_base, size)}}}{{{pieces_text(den, den_base, size)}}}"
    first = min(num + den, key=lambda p: p.x0)
    row_size = max(size, row_size)
    return replace(
        first,
        text=text,
        x0=rule.x0,
        x1=rule.x1,
        top=min(p.top for p in num),
        bottom=max(p.bottom for p in den),
        baseline=rule.y + 0.28 * row_size,
        size=row_size,
        katex=all(p.katex for p in num + den),
        rebuilt=tuple(sorted({"frac", *(k for p in num + den for k in p.rebuilt)})),
    )


def main_katex_size(pieces: list[Piece]) -> float:
    """The most common size of KaTeX glyphs among ``pieces`` (0.0 when there are none)."""
    sizes = [round(p.size, 1) for p in pieces if p.katex and p.text.strip()]
    return max(set(sizes), key=sizes.count) if sizes else 0.0


def script_pieces(pieces: list[Piece]) -> tuple[list[Piece], list[Piece]]:
    """Split KaTeX pieces into main-size ones and script-size ones (by the page's KaTeX sizes)."""
    sizes = [p.size for p in pieces if p.katex and p.text.strip()]
    if not sizes:
        return pieces, []
    main = max(set(round(s, 1) for s in sizes), key=lambda s: sum(1 for x in sizes if round(x, 1) == s))
    mains = [p for p in pieces if not (p.katex and p.size < 0.8 * main)]
    scripts = [p for p in pieces if p.katex and p.size < 0.8 * main]
    return mains, scripts


def row_math_text(pieces: list[Piece], base: float) -> str:
    """Text of a run of KaTeX pieces in one row (scripts placed relative to ``base``)."""
    main_size = max((p.size for p in pieces), default=12.0)
    return pieces_text(pieces, base, main_size)
