"""Text helpers for LaTeX as models write it: find formulas, boxes, chains and names.

Pure string slicing (no evaluation): the typed engine in :mod:`grader.mathx` does the math.
"""

from __future__ import annotations

import re

from grader.mathx.extract import find_boxes, find_math

_FONT_RE = re.compile(
    r"\\(?:boldsymbol|mathbf|bm|mathrm|mathit|mathcal|operatorname|vec|bar|hat|tilde)\s*\{([^{}]*)\}"
)
_BRACED_BOX = re.compile(r"\\(?:boxed|fbox)\s*\{")


def math_segments(text: str) -> list[str]:
    """The LaTeX inside ``$$..$$``, ``\\[..\\]``, ``$..$`` and ``\\(..\\)``, in order (escaped ``\\$`` is text)."""
    return [content.strip() for _, _, content in find_math(text)]


def boxed_contents(text: str) -> list[str]:
    """Contents of every closed ``\\boxed{...}`` / ``\\fbox{...}`` (balanced braces)."""
    return [
        content
        for start, end, content in find_boxes(text)
        if _BRACED_BOX.match(text, start) and _balanced(text[start:end])
    ]


def _balanced(span: str) -> bool:
    """Whether a box's span closes every brace it opens (an unclosed box runs to the end of the text)."""
    unescaped = re.sub(r"\\[{}]", "", span)
    return span.endswith("}") and unescaped.count("{") == unescaped.count("}")


def split_top_level(latex: str, seps: tuple[str, ...] = ("=", "\\approx", "≈")) -> list[tuple[str, str]]:
    """Split a chain ``a = b \\approx c`` at top-level relations: ``[("", a), ("=", b), ("\\approx", c)]``.

    Relations inside an environment (the conditions of ``\\begin{cases}``) are not top level.
    """
    pieces: list[tuple[str, str]] = []
    depth, start, rel, i = 0, 0, "", 0
    while i < len(latex):
        ch = latex[i]
        if latex.startswith("\\begin{", i):
            depth += 1  # the environment; its name's braces count on their own
        elif latex.startswith("\\end{", i):
            depth = max(0, depth - 1)
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth = max(0, depth - 1)
        elif depth == 0:
            hit = next((s for s in seps if latex.startswith(s, i)), None)
            if hit and not (hit == "=" and i > 0 and latex[i - 1] in "<>!\\:"):
                if not (hit.startswith("\\") and latex[i + len(hit) : i + len(hit) + 1].isalpha()):
                    pieces.append((rel, latex[start:i].strip()))
                    rel, start = hit, i + len(hit)
                    i += len(hit)
                    continue
        i += 1
    pieces.append((rel, latex[start:].strip()))
    return pieces


def strip_boxes(latex: str) -> str:
    out = latex
    for inner in boxed_contents(latex):
        out = out.replace(f"\\boxed{{{inner}}}", inner)
    return out


def strip_markup(latex: str) -> str:
    """LaTeX without font commands, ``\\left``/``\\right``, spacing commands and whitespace.

    >>> strip_markup(r"\\mathcal{L}(W_1, \\mathbf{X})")
    'L(W_1,X)'
    """
    s = latex.strip()
    prev = None
    while prev != s:
        prev = s
        s = _FONT_RE.sub(r"\1", s)
    s = re.sub(r"\\(?:left|right|,|;|!|quad|displaystyle)(?![A-Za-z])", "", s)
    s = re.sub(r"\\text\s*\{\s*\}", "", s)
    return re.sub(r"\s+", "", s)


def normalize_name(latex: str) -> str:
    """A symbol name reduced for comparison: fonts, spaces and decorations removed.

    >>> normalize_name(r"\\boldsymbol{\\theta}_{\\infty}"), normalize_name("p*")
    ('theta', 'p')
    """
    s = strip_markup(latex)
    # a star right after the name with nothing after it is a superscript the text layer or OCR set on
    # the line (``p*`` for ``p^*``): a product would need a second factor
    s = re.sub(r"(?<=[A-Za-z0-9}])\s*[*∗]$", "", s)
    s = re.sub(r"\^\{?(?:\*|\\ast|\\star)\}?$", "", s)
    s = re.sub(r"_\{?(?:\\infty|\\text\{[^}]*\}|[A-Za-z]{2,}|[A-Z]|\*)\}?$", "", s)
    s = re.sub(r"\^\{?(?:\*|\\ast)\}?", "", s)
    s = s.lstrip("\\")
    return {"Delta\\theta": "Deltatheta", "θ": "theta", "Δθ": "Deltatheta"}.get(s, s)
