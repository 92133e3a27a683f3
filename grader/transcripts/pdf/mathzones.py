"""Where a line of a print that is not KaTeX holds a formula, so that it can be written ``$...$``.

KaTeX tells its glyphs apart by font; a TeX or browser print sets a formula's letters in a math font
(``CMMI``, ``LatinModernMath``, ``STIXTwoMath``...) but its digits, brackets and relations in the text
font. A formula is therefore read as a run of glyph runs that holds at least one *core* run (a math
font, or a structure rebuilt from geometry: a fraction, a radical, a script, a matrix) and otherwise
only runs without words (symbols, digits, single letters, operator names such as ``Var``). Runs before
the first core run join only when they end in an opening bracket, hold a relation or operator
(``y =``) or touch it, and a word that applies a function to it (``sim(``, ``input[``); a closing ``.``/``,``/``:`` is
left outside the dollars.
"""

from __future__ import annotations

import re

from grader.transcripts.pdf.katex import Piece

_MATH_FONT = re.compile(
    r"Math|(?:^|\+)(?:CMMI|CMSY|CMEX|CMBSY|MSBM|MSAM|EUFM|EUSM|EUEX|RSFS|LMMathItalic|LMMathSymbols)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]{2,}")
_OPERATOR_NAMES = frozenset(
    "Var Cov exp log ln sin cos tan tanh sinh cosh max min arg argmax argmin det tr diag softmax sup inf "
    "lim sign sgn rank Pr mod dim ker Tr".split()
)
_OPENERS = ("(", "[", "{", "‖", "|", "−", "∥", "⟨")
_OPERATOR = re.compile(r"[=<>≤≥≈≠∈∝+×·−∼→⇒]")
_APPLIED = re.compile(r"(?:^|\s)[A-Za-z]+[(\[]$")
_COMMAND = re.compile(r"\\[A-Za-z]+(?:\{[a-z]*matrix\})?")
_TRAILING = re.compile(r"[\s.,;:*]+$")


def is_math_font(font: str) -> bool:
    """True for the fonts TeX and browsers set formulas' letters and symbols in.

    >>> is_math_font("ABCDEF+CMMI10"), is_math_font("LatinModernMath-Regular"), is_math_font("CMR10")
    (True, True, False)
    """
    return bool(_MATH_FONT.search(font))


def _core(p: Piece) -> bool:
    """A math font's run, or a structure rebuilt from geometry that is no word with a footnote mark."""
    return is_math_font(p.font) or (bool(p.rebuilt) and _wordless(p))


def _wordless(p: Piece) -> bool:
    """No word in the run but operator names: it may continue a formula ("= 1", ")", "Var(").
    A hyphen of the text font is prose punctuation (a formula's minus is ``−``)."""
    if re.search(r"(?:^|\s)-(?:\s|$)", p.text):
        return False
    text = _COMMAND.sub(" ", p.text)  # \frac, \begin{bmatrix}: the structures rebuilt, not words
    return all(w in _OPERATOR_NAMES for w in _WORD.findall(text))


def _continues(p: Piece) -> bool:
    return _core(p) or _wordless(p)


def _applied_inside(pieces: list[Piece], k: int) -> bool:
    """``input[`` between two parts of a formula: a function or array applied inside it."""
    return bool(_APPLIED.search(pieces[k].text)) and k + 1 < len(pieces) and _continues(pieces[k + 1])


def math_runs(pieces: list[Piece]) -> list[int]:
    """For non-KaTeX ``pieces`` in reading order, the formula each belongs to (-1: prose).

    >>> def pc(t, font="CMR10"): return Piece(t, 0, 1, 0, 1, 1, 10, font, 0, False)
    >>> math_runs([pc("Hence"), pc("x", "CMMI10"), pc(" = 1"), pc("and"), pc("y", "CMMI10")])
    [-1, 0, 0, -1, 1]
    """
    out = [-1] * len(pieces)
    run = -1
    i = 0
    while i < len(pieces):
        if not _core(pieces[i]):
            i += 1
            continue
        run += 1
        start = i
        while start > 0 and out[start - 1] == -1 and _wordless(pieces[start - 1]):
            before, first = pieces[start - 1], pieces[start]
            touching = first.x0 - before.x1 <= 0.1 * first.size and not before.text.endswith(" ")
            opens = before.text.rstrip().endswith(_OPENERS) or _OPERATOR.search(before.text)
            if not (touching or opens):
                break
            start -= 1
        if start > 0 and out[start - 1] == -1 and _APPLIED.search(pieces[start - 1].text):
            start -= 1  # a function applied to the formula: "sim(" before "q, k)"
        end = i
        while end + 1 < len(pieces) and (_continues(pieces[end + 1]) or _applied_inside(pieces, end + 1)):
            end += 1
        while end > i and not _core(pieces[end]) and not pieces[end].text.strip(" .,;:*"):
            end -= 1  # a closing comma or full stop is the sentence's
        for k in range(start, end + 1):
            out[k] = run
        i = end + 1
    return out


def wrap_math(text: str) -> str:
    """``$text$``, with a closing ``.``/``,``/``:`` of the sentence left outside.

    >>> wrap_math("x = 1:")
    '$x = 1$:'
    """
    tail = _TRAILING.search(text)
    cut = tail.start() if tail else len(text)
    core = text[:cut].strip()
    return f"${core}${text[cut:].rstrip()}" if core else text
