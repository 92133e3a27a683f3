"""Tokens of LaTeX and plain-text math, with Unicode forms mapped to their LaTeX names.

The lexer drops what carries no meaning (``$``, ``\\left``/``\\right``, spacing such as ``\\,``
``\\quad``), turns font commands into plain letters (``\\mathbf{a}`` is ``a``, ``\\mathbf{1}`` is the
ones vector), reads numbers (decimals, thousands separators at bracket depth 0, scientific
notation, repeating decimals ``3.33...`` / ``3.\\overline{3}``), and finally removes braces around a
single token (``^{T}`` becomes ``^ T``) so that aliases and the parser see one spelling.
Positions are offsets in the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from grader.errors import MathParseError
from grader.mathx import budget

GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
    "omicron pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega ell"
).split()
"""Greek letters, and ``\\ell`` (a letter written as a command): symbols, not operators."""

COMBINING_ACCENTS = {"\u0302": "hat", "\u0303": "tilde", "\u0304": "bar", "\u0305": "bar", "\u0307": "dot",
                     "\u20d7": "vec"}  # fmt: skip
"""Combining accents, read as the accent commands (``f̂`` is ``\\hat{f}``)."""
UNICODE = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "µ": "mu", "ν": "nu",
    "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "φ": "phi", "ϕ": "phi", "χ": "chi",
    "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Σ": "Sigma",
    "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega", "∇": "nabla", "∞": "infty", "√": "sqrt", "∑": "sum",
    "∏": "prod", "∂": "partial", "∫": "int", "⋆": "star", "ℝ": "setR", "ℕ": "setN", "ℤ": "setZ",
    "ℚ": "setQ", "ℂ": "setC", "∅": "emptyset",
}  # fmt: skip
UNICODE_OPS = {
    "‖": ("NORM", "‖"), "∥": ("NORM", "‖"), "⊤": ("CMD", "top"), "≈": ("REL", "≈"), "≤": ("REL", "≤"), "≥": ("REL", "≥"),
    "≠": ("REL", "≠"), "∼": ("REL", "="), "·": ("OP", "*"), "⋅": ("OP", "*"), "×": ("OP", "*"), "∗": ("OP", "*"),
    "−": ("OP", "-"), "–": ("OP", "-"), "÷": ("OP", "/"), "⇒": ("IMPL", "⇒"), "⟹": ("IMPL", "⇒"),
    "→": ("IMPL", "⇒"), "∪": ("UNION", "∪"), "⟨": ("LANGLE", "⟨"), "⟩": ("RANGLE", "⟩"),
    "…": ("ELLIPSIS", "…"), "°": ("DEGREE", "°"), "∩": ("SETOP", "∩"), "∖": ("SETOP", "∖"),
    "∈": ("REL", "∈"), "∉": ("REL", "∉"), "±": ("OP", "±"), "∓": ("OP", "∓"), "←": ("REL", "="),
    "≔": ("REL", "="), "≡": ("REL", "="), "⟵": ("REL", "="), "∣": ("MID", "∣"), "†": ("CMD", "dagger"),
}  # fmt: skip
SUPERSCRIPTS = {
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9",
    "⁻": "-", "⁺": "+", "ᵀ": "T", "ⁿ": "n",
}  # fmt: skip
SKIP_CMDS = {
    "left", "right", "bigl", "bigr", "big", "Big", "bigg", "Bigg", "Bigl", "Bigr", "biggl", "biggr",
    "middle", "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "quad", "qquad",
    "enspace", "thinspace", "negthinspace", "medspace", "thickspace", "hfill", "mathstrut",
}  # fmt: skip
FONT_CMDS = {"mathbf", "boldsymbol", "bm", "mathit", "mathsf", "mathcal", "mathbb", "vec", "pmb", "mathbfit"}
TEXT_CMDS = {"text", "textrm", "textbf", "textit", "mbox", "operatorname", "mathrm", "textnormal", "hbox"}
# \sim is "distributed as" (X \sim \mathcal{N}(0, 1): the distribution is what is stated), so it links
# like "=", not like "≈" (whose tail after an exact value is only a remark)
REL_CMDS = {
    "le": "≤", "leq": "≤", "leqslant": "≤", "ge": "≥", "geq": "≥", "geqslant": "≥", "ne": "≠",
    "neq": "≠", "approx": "≈", "simeq": "≈", "sim": "=", "approxeq": "≈", "equiv": "=", "lt": "<", "gt": ">",
    "in": "∈", "notin": "∉", "leftarrow": "=", "gets": "=", "longleftarrow": "=", "coloneqq": "=",
    "coloneq": "=", "triangleq": "=", "doteq": "=", "eqqcolon": "=",
}  # fmt: skip
# \mathbb{R} and friends: the number sets (CMD "setR" ...), read as sets by the parser
NUMBER_SETS = {"R": "setR", "N": "setN", "Z": "setZ", "Q": "setQ", "C": "setC"}
CONNECTIVES = {"lor": "or", "vee": "or", "land": "and", "wedge": "and"}
MAX_NUMBER_DIGITS = 1000
"""Longer digit strings are refused (Python refuses to convert integers past 4,300 digits)."""
IMPL_CMDS = {"implies", "Rightarrow", "Longrightarrow", "iff", "Leftrightarrow", "Longleftrightarrow", "to"}
OP_CMDS = {"cdot": "*", "times": "*", "ast": "*", "div": "/", "pm": "±", "mp": "∓"}

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_THOUSANDS = re.compile(r"\d{1,3}(?:(?:,|\{,\})\d{3})+(?![\d])(?:\.\d+)?")
_SCI = re.compile(r"[eE]([+-]?\d+)(?![A-Za-z])")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|\\ldots|\\dots|\\cdots|…)")
_OVERLINE = re.compile(r"\s*\\(?:overline|dot)\s*\{?(\d+)\}?")


@dataclass(frozen=True, slots=True)
class Token:
    """One token: ``kind`` (NUM WORD CMD OP REL ...), ``text``, offset ``pos``; NUM carries its value."""

    kind: str
    text: str
    pos: int
    value: Fraction | None = None
    places: int | None = None
    braced: bool = False


def _repeating(int_part: str, frac: str, rep: str | None) -> Fraction | None:
    """Exact value of a repeating decimal; ``rep`` given explicitly (overline) or found in ``frac``."""
    if rep is None:
        for p in range(1, len(frac) // 2 + 1):
            tail = frac[-p:]
            if frac.endswith(tail * 2):
                k = len(frac) - p
                while k - p >= 0 and frac[k - p : k] == tail:
                    k -= p
                frac, rep = frac[:k], tail
                break
        if rep is None:
            return None
    base = Fraction(int(int_part or "0")) + (Fraction(int(frac), 10 ** len(frac)) if frac else 0)
    return base + Fraction(int(rep), (10 ** len(rep) - 1) * 10 ** len(frac))


def _read_group(s: str, i: int) -> tuple[str, int]:
    """Raw text of the brace group starting at ``s[i] == '{'`` and the index after it."""
    depth, j = 0, i
    while j < len(s):
        if s[j] == "{" and s[j - 1 : j] != "\\":
            depth += 1
        elif s[j] == "}" and s[j - 1 : j] != "\\":
            depth -= 1
            if depth == 0:
                return s[i + 1 : j], j + 1
        j += 1
    raise MathParseError(f"unclosed '{{' at {i}", str(i))


def _skip_ws(s: str, i: int) -> int:
    while i < len(s) and s[i].isspace():
        i += 1
    return i


class _Lexer:
    def __init__(self, text: str) -> None:
        self.s = text
        self.out: list[Token] = []
        self.depth = 0  # bracket depth, for thousands separators

    def add(
        self, kind: str, text: str, pos: int, value: Fraction | None = None, places: int | None = None
    ) -> None:
        self.out.append(Token(kind, text, pos, value, places))

    def accent(self, command: str, i: int) -> None:
        """A combining accent (``f̂``, or ``̂f`` as a PDF's text layer sets it, before its letter): on the
        letter just before it when one is (Unicode's order), else on what follows (``\\hat f``)."""
        last = self.out[-1] if self.out else None
        if (
            last is not None
            and last.kind == "WORD"
            and last.text[-1:].isalpha()
            and last.pos + len(last.text) == i
        ):
            self.out.pop()
            if len(last.text) > 1:
                self.add("WORD", last.text[:-1], last.pos)
            at = last.pos + len(last.text) - 1
            self.add("CMD", command, at)
            self.add("OP", "{", at)
            self.add("WORD", last.text[-1], at)
            self.add("OP", "}", at)
            return
        self.add("CMD", command, i)

    def number(self, i: int) -> int:
        s = self.s
        m = _THOUSANDS.match(s, i) if self.depth == 0 else None
        if m is None:
            m = _NUMBER.match(s, i)
        assert m is not None
        raw = m.group(0)
        j = m.end()
        if len(raw) > MAX_NUMBER_DIGITS:
            raise MathParseError(
                f"number with {len(raw)} digits at {i} is too long (limit {MAX_NUMBER_DIGITS})", str(i)
            )
        clean = raw.replace("{,}", "").replace(",", "")
        int_part, _, frac = clean.partition(".")
        value = Fraction(clean if not clean.endswith(".") else clean[:-1])
        places: int | None = len(frac) if "." in clean else None
        over = _OVERLINE.match(s, j) if "." in clean else None
        ell = _ELLIPSIS.match(s, j) if "." in clean else None
        sci = _SCI.match(s, j)
        if over:
            value = _repeating(int_part, frac, over.group(1)) or value
            places, j = None, over.end()
        elif ell:
            rep = _repeating(int_part, frac, None)
            if rep is not None:
                value, places = rep, None
            j = ell.end()
        elif sci:
            exp = int(sci.group(1))
            if abs(exp) > 400:
                raise MathParseError(f"exponent {exp} too large at {i}", str(i))
            value *= Fraction(10) ** exp
            places = None if places is None else places - exp
            j = sci.end()
        self.add("NUM", s[i:j], i, value, places)
        return j

    def command(self, i: int) -> int:
        s = self.s
        if i + 1 >= len(s):
            raise MathParseError(f"lone '\\' at {i}", str(i))
        c = s[i + 1]
        if not c.isalpha():
            two = {"|": ("NORM", "‖"), "{": ("LSET", "{"), "}": ("RSET", "}"), "\\": ("ROWSEP", "\\\\"),
                   "%": ("PERCENT", "%")}  # fmt: skip
            if c in two:
                kind, text = two[c]
                if kind == "LSET":
                    self.depth += 1
                elif kind == "RSET":
                    self.depth -= 1
                self.add(kind, text, i)
            elif c not in ",;:! []()":
                raise MathParseError(f"unknown command '\\{c}' at {i}", str(i))
            return i + 2
        j = i + 1
        while j < len(s) and s[j].isalpha():
            j += 1
        name = s[i + 1 : j]
        if j < len(s) and s[j] == "*" and name == "operatorname":
            j += 1
        if name in SKIP_CMDS:
            k = _skip_ws(s, j)
            if name in ("left", "right", "bigl", "bigr", "middle") and k < len(s) and s[k] == ".":
                k += 1
            return k if name in ("left", "right") else j
        if name in FONT_CMDS:
            k = _skip_ws(s, j)
            if k < len(s) and s[k] == "{":
                inner, end = _read_group(s, k)
                if inner.strip() == "1":
                    self.add("CMD", "ones", i)
                    return end
                if name == "mathbb" and inner.strip() in NUMBER_SETS:
                    self.add("CMD", NUMBER_SETS[inner.strip()], i)
                    return end
                if inner.strip().isalpha():
                    self.add("WORD", inner.strip(), i)
                    return end
            elif k < len(s) and s[k] == "1":
                self.add("CMD", "ones", i)
                return k + 1
            return j
        if name in TEXT_CMDS:
            k = _skip_ws(s, j)
            if k < len(s) and s[k] == "{":
                inner, end = _read_group(s, k)
                kind = "FUNC" if name == "operatorname" else "TEXT"
                if name == "mathrm" and not inner.strip().isalpha():
                    self.lex_into(inner, k + 1)
                    return end
                if name in ("mathrm", "mathit", "textit") and len(inner.strip()) == 1:
                    self.add("WORD", inner.strip(), i)  # \mathrm{d}x, \mathrm{e}, \mathrm{i}: a letter
                    return end
                self.add(kind, inner.strip(), i)
                return end
            return j
        if name in ("begin", "end"):
            k = _skip_ws(s, j)
            if k >= len(s) or s[k] != "{":
                raise MathParseError(f"\\{name} without environment at {i}", str(i))
            env, end = _read_group(s, k)
            self.depth += 1 if name == "begin" else -1
            self.add("BEGIN" if name == "begin" else "END", env.strip().rstrip("*"), i)
            if name == "begin" and env.strip() in ("array", "tabular"):
                # \begin{array}{cc}: the column spec is layout, not content.
                k = _skip_ws(s, end)
                if k < len(s) and s[k] == "{":
                    _, end = _read_group(s, k)
            return end
        if name in REL_CMDS:
            self.add("REL", REL_CMDS[name], i)
        elif name in IMPL_CMDS:
            self.add("IMPL", "⇒", i)
        elif name in OP_CMDS:
            self.add("OP", OP_CMDS[name], i)
        elif name in ("lVert", "rVert", "Vert"):
            self.add("NORM", "‖", i)
        elif name in ("lvert", "rvert", "vert"):
            self.add("OP", "|", i)
        elif name == "mid":
            self.add("MID", "∣", i)  # conditioning p(y \mid x), or "such that" in a set
        elif name in ("lbrace", "rbrace"):
            self.add("LSET" if name == "lbrace" else "RSET", name, i)
        elif name in ("langle", "rangle"):
            self.add("LANGLE" if name == "langle" else "RANGLE", name, i)
        elif name in ("ldots", "dots", "cdots"):
            self.add("ELLIPSIS", "…", i)
        elif name in ("cup", "bigcup"):
            self.add("UNION", name, i)
        elif name in ("cap", "bigcap"):
            self.add("SETOP", "∩", i)
        elif name in ("setminus", "smallsetminus"):
            self.add("SETOP", "∖", i)
        elif name in CONNECTIVES:
            self.add("TEXT", CONNECTIVES[name], i)
        elif name in ("varnothing", "emptyset"):
            self.add("CMD", "emptyset", i)
        elif name == "circ":
            self.add("DEGREE", "°", i)
        else:
            self.add("CMD", name, i)
        return j

    def lex_into(self, s_part: str, offset: int) -> None:
        sub = _Lexer(s_part)
        sub.depth = self.depth
        sub.run()
        self.out.extend(Token(t.kind, t.text, t.pos + offset, t.value, t.places) for t in sub.out)

    def run(self) -> None:
        s, i, n = self.s, 0, len(self.s)
        while i < n:
            if len(self.out) % 512 == 0:
                budget.check()
            c = s[i]
            if c.isspace() or c in "$~":
                i += 1
            elif c == "\\":
                i = self.command(i)
            elif c in "0123456789" or (c == "." and i + 1 < n and s[i + 1] in "0123456789"):
                i = self.number(i)
            elif c.isascii() and c.isalpha():
                j = i
                while j < n and s[j].isascii() and s[j].isalpha():
                    j += 1
                while j < n and s[j] in "0123456789":
                    j += 1
                self.add("WORD", s[i:j], i)
                i = j
            elif c in COMBINING_ACCENTS:
                self.accent(COMBINING_ACCENTS[c], i)
                i += 1
            elif c in UNICODE:
                self.add("CMD", UNICODE[c], i)
                i += 1
            elif c in UNICODE_OPS:
                kind, text = UNICODE_OPS[c]
                self.add(kind, text, i)
                i += 1
            elif c in SUPERSCRIPTS:
                j = i
                while j < n and s[j] in SUPERSCRIPTS:
                    j += 1
                self.add("OP", "^", i)
                self.add("OP", "{", i)
                self.lex_into("".join(SUPERSCRIPTS[x] for x in s[i:j]), i)
                self.add("OP", "}", j - 1)
                i = j
            elif s.startswith(":=", i):
                self.add("REL", "=", i)
                i += 2
            elif s.startswith("...", i):
                self.add("ELLIPSIS", "…", i)
                i += 3
            elif s.startswith("||", i):
                self.add("NORM", "‖", i)
                i += 2
            elif s.startswith("<=", i) or s.startswith(">=", i) or s.startswith("!=", i):
                self.add("REL", {"<": "≤", ">": "≥", "!": "≠"}[c], i)
                i += 2
            elif s.startswith("=>", i) or s.startswith("->", i):
                self.add("IMPL", "⇒", i)
                i += 2
            elif s.startswith("**", i):
                self.add("OP", "^", i)
                i += 2
            elif c in "=<>":
                self.add("REL", c, i)
                i += 1
            elif c == "%":
                self.add("PERCENT", "%", i)
                i += 1
            elif c == "*" and _starred_policy(s, i):
                self.add("OP", "^", i)  # π_θ*(y∣x): the star of an optimum, written inline
                self.add("OP", "*", i)
                i += 1
            elif c in "+-*/^_()[]{},;|!'&:":
                if c in "([{":
                    self.depth += 1
                elif c in ")]}":
                    self.depth -= 1
                self.add("OP", c, i)
                i += 1
            else:
                raise MathParseError(f"unexpected character {c!r} at {i}", str(i))


def _starred_policy(s: str, i: int) -> bool:
    """At ``s[i] == '*'``: a star glued to a name (a letter or a closing brace before it) and followed
    by a bracket with a conditioning bar (``π_θ*(y∣x)``, ``p*(y \\mid x)``): a superscript star, not a
    product (a product is never taken with a conditional ``(y | x)``)."""
    if i == 0 or not (s[i - 1] == "}" or s[i - 1].isalpha()) or s[i + 1 : i + 2] != "(":
        return False
    depth = 0
    for j in range(i + 1, min(len(s), i + 200)):
        ch = s[j]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return False
        elif depth == 1 and (ch == "∣" or s.startswith("\\mid", j)):
            return True
    return False


def _collapse_braces(tokens: list[Token]) -> list[Token]:
    """Remove braces around exactly one token: ``^{T}`` -> ``^ T``, ``\\boldsymbol{\\theta}`` -> theta."""
    out: list[Token] = []
    stack: list[int] = []
    for tok in tokens:
        if tok.kind == "OP" and tok.text == "{":
            stack.append(len(out))
            out.append(tok)
        elif tok.kind == "OP" and tok.text == "}" and stack:
            j = stack.pop()
            if len(out) - j - 1 == 1:
                inner = out.pop()
                out.pop()
                out.append(Token(inner.kind, inner.text, inner.pos, inner.value, inner.places, True))
            else:
                out.append(tok)
        else:
            out.append(tok)
    return out


_APPLIED = ("WORD", "CMD", "FUNCNAME", "TEXT")
"""Kinds of token a bracket can be applied to as a function's arguments (``p(``, ``\\pi(``, ``\\mathbb{E}[``)."""


def _conditional_bars(tokens: list[Token]) -> list[Token]:
    """A lone ``|`` at the top level of a bracket applied to a name (``p(y_t|x)``, ``\\pi_\\theta(a|s)``,
    ``E[x|y]``) is the conditioning bar ``\\mid``: bars of an absolute value come in pairs, so one bar
    alone opens none. Brackets holding two or more bars, or a ``\\mid`` already, are left as they are.
    One pass with a stack of open brackets (linear in the tokens)."""
    out = list(tokens)
    stack: list[tuple[bool, list[int]]] = []  # (applied to a name, positions of its top-level bars)
    for k, tok in enumerate(out):
        if tok.kind == "OP" and tok.text in "([{":
            prev = out[k - 1] if k else None
            applied = tok.text != "{" and prev is not None and (prev.kind in _APPLIED or prev.text == "}")
            stack.append((applied, []))
        elif tok.kind == "OP" and tok.text in ")]}" and stack:
            applied, bars = stack.pop()
            if applied and len(bars) == 1 and bars[0] >= 0:  # -1 marks a \\mid already there
                bar = out[bars[0]]
                out[bars[0]] = Token("MID", "∣", bar.pos)
        elif stack and ((tok.kind == "OP" and tok.text == "|") or tok.kind == "MID"):
            stack[-1][1].append(k if tok.kind == "OP" else -1)
    return out


def _math_alphanumeric(c: str) -> str:
    """The letter or digit a Mathematical Alphanumeric Symbol styles (𝑋 -> X, 𝜆 -> λ, 𝟏 -> 1);
    other characters unchanged. PDFs of rendered math give their letters in these styled forms."""
    if "\U0001d400" <= c <= "\U0001d7ff" or c == "ℎ":
        plain = unicodedata.normalize("NFKC", c)
        return plain if len(plain) == 1 else c
    return c


def plain_letters(text: str) -> str:
    """``text`` with styled math letters and digits mapped to plain ones, one character for one, so
    that offsets are kept.

    >>> plain_letters("𝑤 = 𝜆𝑋")
    'w = λX'
    """
    if text.isascii():
        return text
    return "".join(_math_alphanumeric(c) for c in text)


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` (ending with an EOF token).

    Example:
        >>> [t.text for t in tokenize(r"\\frac{\\alpha}{2} g^{T}")][:5]
        ['frac', 'alpha', '2', 'g', '^']
    """
    if len(text) > budget.MAX_INPUT_CHARS:
        raise MathParseError(f"input too long ({len(text)} characters, limit {budget.MAX_INPUT_CHARS})")
    lexer = _Lexer(plain_letters(text))
    lexer.run()
    tokens = _conditional_bars(_collapse_braces(lexer.out))
    tokens.append(Token("EOF", "", len(text)))
    return tokens
