"""Plain words out of transcript Markdown + LaTeX, and word counting.

Transcripts mix Markdown (``**bold**``, bullets, links, headings) with LaTeX (``$\\text{I}$``,
``\\langle \\text{sos} \\rangle``, ``\\frac{1}{\\sigma^2}``). The text checkers match words and
regexes, so they first reduce that markup to plain text. Nothing here evaluates anything: it is
string rewriting only, and every input (even binary garbage) yields a string.
"""

from __future__ import annotations

import re

__all__ = ["MAX_TEXT_CHARS", "check_word_limit", "count_words", "plain_text", "strip_markdown"]

MAX_TEXT_CHARS = 200_000
"""Texts are truncated to this many characters before any regex runs over them (size bound)."""

# LaTeX commands written as the word they name (Greek letters and a few operators), so that a
# rubric pattern like ``sigma\^2`` matches ``\sigma^2``.
_LATEX_WORDS = {
    "langle": "<",
    "rangle": ">",
    "cdot": "*",
    "times": "×",
    "approx": "≈",
    "sim": "~",
    "leq": "<=",
    "le": "<=",
    "geq": ">=",
    "ge": ">=",
    "neq": "!=",
    "to": "->",
    "rightarrow": "->",
    "longrightarrow": "->",
    "mapsto": "->",
    "leftarrow": "<-",
    "longleftarrow": "<-",
    "gets": "<-",
    "Rightarrow": "=>",
    "implies": "=>",
    "top": "T",
    "infty": "inf",
    "ell": "l",
    "ldots": "...",
    "dots": "...",
    "cdots": "...",
    "%": "%",
}
_OPERATORS = frozenset(
    "log ln exp sin cos tan tanh sinh cosh max min argmax argmin arg sup inf lim sum prod int "
    "nabla partial sqrt det tr rank softmax Pr".split()
)
"""Named operators, written as their name (``\\log`` is "log", ``\\sum`` is "sum"): a rubric's term set
"sigma + log" must meet ``\\sigma(\\log ...)`` in a displayed formula as it meets the prose "log"."""
_NO_PAD = {"%", "top", "infty", "ell"}  # written glued to their neighbours: W^T, l_inf
_GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
    "pi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi "
    "Psi Omega"
).split()

_TEXT_CMD = re.compile(
    r"\\(?:text|textbf|textit|mathrm|mathbf|mathit|mathcal|mathbb|boldsymbol|operatorname|"
    r"emph|texttt|bm|hat|tilde|bar|vec|underline|overline)\s*\{([^{}]*)\}"
)
_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_SQRT = re.compile(r"\\sqrt\s*\{([^{}]*)\}")
_CMD = re.compile(r"\\([A-Za-z]+|%)")
_SPACING = re.compile(r"\\[,;:!> ]|\\quad|\\qquad|\\(?:left|right|big|Big|bigg|Bigg)[lr]?(?![A-Za-z])")
"""Spacing and sizing commands (``\\right`` but not ``\\rightarrow``)."""
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)\)")
_ANGLE_URL = re.compile(r"<(https?://[^>\s]+)>")
_BOLD = re.compile(r"(\*\*|__)(.+?)\1", re.S)
_ITALIC = re.compile(
    r"(?<![\w*])\*(?=\S)([^*_\n]+?)(?<=\S)\*(?![\w*])|(?<![\w*}\\])_(?=[^\s{])([^*_\n]+?)(?<=\S)_(?![\w*{])"
)
"""Markdown italics, ``*x*`` or ``_x_``; never the subscripts of a formula (``\\sum_{j=1} K_{j}``: an
underscore after a brace or before one is LaTeX's)."""
_CODE = re.compile(r"`+([^`]*)`+")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]*", re.M)
_BULLET = re.compile(r"^[ \t]*(?:[-*+•▪◦]|\d{1,3}[.)])[ \t]+", re.M)
_HTML_TAG = re.compile(r"</?(?:sup|sub|b|i|em|strong|br|p|span|div)\b[^>]*>", re.I)
_WORD = re.compile(r"\w", re.U)


def _latex_to_words(s: str) -> str:
    """Rewrite LaTeX commands to plain words, innermost braces first."""
    for _ in range(6):  # nested \text{\mathbf{x}}: a few passes settle every real case
        # the kept text is fenced so that it never fuses with a neighbouring command (\langle\text{sos})
        new = _TEXT_CMD.sub("\x02\\1\x03", s)
        new = _FRAC.sub(r"(\1)/(\2)", new)
        new = _SQRT.sub(r"sqrt(\1)", new)
        if new == s:
            break
        s = new
    s = _SPACING.sub(" ", s)

    def command(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in _LATEX_WORDS:
            return f" {_LATEX_WORDS[name]} " if name not in _NO_PAD else _LATEX_WORDS[name]
        if name in _GREEK:
            return name
        if name in _OPERATORS:
            return f" {name} "
        return " "

    s = _CMD.sub(command, s)
    # keep ^ and _ (they carry meaning: sigma^2, W_1) but drop grouping braces
    return s.replace("{", "").replace("}", "").replace("\x02", "").replace("\x03", "")


def strip_markdown(text: str) -> str:
    """Remove Markdown markup (bold, italics, code ticks, headings, bullets, links), keep LaTeX.

    >>> strip_markdown("- **Weight Decay:** see [blog](http://x)")
    'Weight Decay: see blog'
    """
    s = text[:MAX_TEXT_CHARS]
    s = _LINK.sub(r"\1", s)
    s = _ANGLE_URL.sub(r"\1", s)
    s = _HTML_TAG.sub("", s)
    s = _CODE.sub(r"\1", s)
    s = _BOLD.sub(r"\2", s)
    s = _ITALIC.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), s)
    s = _HEADING.sub("", s)
    s = _BULLET.sub("", s)
    return s.replace("**", "")


def plain_text(markdown_latex: str) -> str:
    """Strip Markdown and LaTeX markup down to plain words, one line per input line.

    ``$...$`` delimiters go, ``\\text{I}`` becomes ``I``, ``\\langle \\text{sos} \\rangle`` becomes
    ``<sos>``, ``\\sigma^2`` becomes ``sigma^2``, ``\\frac{1}{\\sigma^2}`` becomes ``(1)/(sigma^2)``.

    >>> plain_text("This recovers **Gradient Descent** with $\\\\frac{\\\\alpha}{2}$")
    'This recovers Gradient Descent with (alpha)/(2)'
    """
    if not isinstance(markdown_latex, str):
        return ""
    s = strip_markdown(markdown_latex)
    s = s.replace("\\$", "\x00")  # an escaped dollar is a real dollar sign
    s = s.replace("$$", " ").replace("$", " ").replace("\\[", " ").replace("\\]", " ")
    s = s.replace("\\(", " ").replace("\\)", " ")
    s = _latex_to_words(s).replace("\x00", "$")
    s = re.sub(r"<\s+(\w+)\s+>", r"<\1>", s)  # "\langle \text{sos} \rangle" -> "<sos>"
    s = re.sub(r"[ \t]+", " ", s)
    s = re.sub(r" ([,;:.!?])(?=\s|$)", r"\1", s)
    return "\n".join(line.strip() for line in s.splitlines()).strip()


def count_words(text: str) -> int:
    """Number of words in ``text`` after markup is stripped (a word holds a letter or digit).

    >>> count_words("**Mixed-precision training** stood out: $3\\\\times$ faster.")
    6
    """
    return sum(1 for tok in plain_text(text).split() if _WORD.search(tok))


def check_word_limit(text: str, limit: int, tolerance: float = 0.25) -> tuple[bool, int]:
    """Whether ``text`` respects a "~limit words" instruction; returns (ok, word count).

    A "~100 words" instruction is soft, so up to ``limit * (1 + tolerance)`` words pass.

    >>> check_word_limit("one two three", 2, tolerance=0.5)
    (True, 3)
    """
    n = count_words(text)
    return n <= limit * (1.0 + max(0.0, tolerance)), n
