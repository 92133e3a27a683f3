"""Extract the claims of an attempt: the final answer(s) for each answer of a part.

Where a model states an answer, in priority order: a ``\\boxed{}`` or an "Answer:" / "Analytical
Solution:" / "Final answer" line, bold text, the last equation that defines the answer's symbol, and
summary-table cells. Every place that states a final answer yields a claim; the checker then sees
whether they agree (a summary table that contradicts the body is ``inconsistent_final``).

This module only finds and slices text; it never evaluates it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.align import Attempt
from grader.models import Block
from grader.rubric import AnswerSpec, PartSpec, Rubric

_MATH_RE = re.compile(r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\$(.+?)\$|\\\((.+?)\\\)", re.S)
_ANSWER_LINE_RE = re.compile(
    r"^[-*>\s]*(?:\d+\.\s*)?(?:\*\*)?\s*(?:final\s+answer|answer|analytical\s+solution|result|final\s+result)"
    r"\s*(?:\*\*)?\s*[:：]",
    re.I,
)
_FONT_RE = re.compile(
    r"\\(?:boldsymbol|mathbf|bm|mathrm|mathit|mathcal|operatorname|vec|bar|hat|tilde)\s*\{([^{}]*)\}"
)


@dataclass
class Claim:
    """A statement of an answer found in an attempt.

    Attributes:
        answer: the answer id it states.
        text: the claim as it appears (a formula or a sentence).
        value: the part to check (the right-hand side of an equation, a cell, a sentence).
        source: where it was found: boxed, answer-line, bold, equation, table, body, text.
        block: index of the block within its turn.
        final: whether it is stated as a final answer (as opposed to a working step).
    """

    answer: str
    text: str
    value: str
    source: str
    block: int | None
    final: bool = True


def math_segments(text: str) -> list[str]:
    """The LaTeX inside ``$$..$$``, ``\\[..\\]``, ``$..$`` and ``\\(..\\)``, in order."""
    return [next(g for g in m.groups() if g is not None).strip() for m in _MATH_RE.finditer(text)]


def boxed_contents(text: str) -> list[str]:
    """Contents of every ``\\boxed{...}`` (balanced braces)."""
    out = []
    for m in re.finditer(r"\\(?:boxed|fbox)\s*\{", text):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        if depth == 0:
            out.append(text[m.end() : i - 1])
    return out


def split_top_level(latex: str, seps: tuple[str, ...] = ("=", "\\approx", "≈")) -> list[tuple[str, str]]:
    """Split a chain ``a = b \\approx c`` at top-level relations: ``[("", a), ("=", b), ("\\approx", c)]``."""
    pieces: list[tuple[str, str]] = []
    depth, start, rel, i = 0, 0, "", 0
    while i < len(latex):
        ch = latex[i]
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


def _strip_boxes(latex: str) -> str:
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

    >>> normalize_name(r"\\boldsymbol{\\theta}_{\\infty}")
    'theta'
    """
    s = strip_markup(latex)
    s = re.sub(r"\^\{?(?:\*|\\ast|\\star)\}?$", "", s)
    s = re.sub(r"_\{?(?:\\infty|\\text\{[^}]*\}|[A-Za-z]{2,}|t|\*|\d+)\}?$", "", s)
    s = re.sub(r"\^\{?(?:\*|\\ast)\}?", "", s)
    s = s.lstrip("\\")
    return {"Delta\\theta": "Deltatheta", "θ": "theta", "Δθ": "Deltatheta"}.get(s, s)


def _names_for(symbol: str, rubric: Rubric) -> set[str]:
    names = {normalize_name(symbol)}
    decl = rubric.symbols.get(symbol)
    if decl:
        names |= {normalize_name(a) for a in decl.aliases}
    return names


def _defines(lhs: str, names: set[str]) -> bool:
    return normalize_name(lhs) in names


_PLAIN_EQ_RE = re.compile(
    r"^[-*>\s]*(?:\*\*)?([A-Za-zΔθ∇][\w()_{}^*'\\]{0,24})\s*(?:\*\*)?\s*=\s*([^=]{1,200})$"
)


def _plain_equation(line: str) -> list[str]:
    """A plain-text equation written without $...$ ("u = -(α/2) g"): the whole line as one formula."""
    if "$" in line or "\\(" in line:
        return []
    m = _PLAIN_EQ_RE.match(line.strip())
    if not m or len(re.findall(r"[A-Za-z]{4,}", m.group(2))) > 1:
        return []  # prose with an equals sign, not a formula
    return [f"{m.group(1)} = {m.group(2).strip().rstrip('.')}"]


def _block_maths(blocks: list[tuple[int, Block]]) -> list[tuple[int, str, str]]:
    """(block index, math, the line it sits in) for every formula of the attempt.

    A line that is only an answer label ("**Answer:**") passes its label to the next formula, which
    models often put on its own display line.
    """
    out = []
    pending = ""
    for bi, b in blocks:
        if b.kind == "math":
            body = b.text.strip()
            segs = math_segments(body) or [body]
            out += [(bi, s, pending + body) for s in segs]
            pending = ""
        elif b.kind in ("text",):
            for line in b.text.splitlines():
                segs = math_segments(line) or _plain_equation(line)
                if segs:
                    out += [(bi, s, (pending + line) if i == 0 else line) for i, s in enumerate(segs)]
                    pending = ""
                elif _ANSWER_LINE_RE.match(line) and len(line.strip()) < 40:
                    pending = line.strip() + " "
                elif line.strip():
                    pending = ""
    return out


_IMPLIES_RE = re.compile(r"\\(?:implies|Rightarrow|Longrightarrow|therefore|qquad|quad)(?![A-Za-z])|⟹|⇒")


def _statements(math: str) -> list[tuple[str, bool]]:
    """The statements of a formula: each boxed part, and the pieces between implication arrows.

    Returns (statement, boxed). ``\\boxed{\\theta} = a`` (a box around the label only) keeps the
    whole equation as one boxed statement.
    """
    boxed = boxed_contents(math)
    out: list[tuple[str, bool]] = []
    for inner in boxed:
        if len(split_top_level(inner)) >= 2:
            out.append((inner.strip(), True))
    if boxed and not out:
        return [(_strip_boxes(math), True)]
    rest = math
    for inner in boxed:
        rest = rest.replace(f"\\boxed{{{inner}}}", " ")
    out += [(piece.strip(), False) for piece in _IMPLIES_RE.split(rest) if piece.strip()]
    return out


def _defining_claims(attempt: Attempt, answer: AnswerSpec, names: set[str]) -> list[Claim]:
    claims: list[Claim] = []
    for bi, math, line in _block_maths(attempt.blocks):
        for statement, boxed in _statements(math):
            chain = split_top_level(statement)
            if len(chain) < 2 or not _defines(chain[0][1], names):
                continue
            values = [v for _, v in chain[1:] if v and v not in ("0",)]
            source = "boxed" if boxed else ("answer-line" if _ANSWER_LINE_RE.match(line) else "equation")
            claims += [Claim(answer.id, statement, v, source, bi) for v in values]
    return claims


def _last_group(claims: list[Claim]) -> list[Claim]:
    """The claims of the last stated equation (all pieces of its chain)."""
    if not claims:
        return []
    last_text = claims[-1].text
    return [c for c in claims if c.text == last_text and c.block == claims[-1].block]


def final_claims(claims: list[Claim]) -> list[Claim]:
    """Boxed and answer-line claims when there are any (each a final statement), else the last equation."""
    marked = [c for c in claims if c.source in ("boxed", "answer-line")]
    return marked or _last_group(claims)


# --------------------------------------------------------------------------- tables


def parse_table(text: str) -> list[list[str]]:
    """Rows of a Markdown (pipes) or tab-separated table, cells stripped; separator rows dropped."""
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if "|" in line and "\t" not in line:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
        else:
            cells = [c.strip() for c in line.split("\t")]
        if all(re.fullmatch(r":?-{2,}:?", c) or not c for c in cells):
            continue
        rows.append(cells)
    return rows


def clean_cell(cell: str) -> str:
    """A table cell reduced to its math: ``<b><math>n(n-1)</math></b>`` -> ``n(n-1)``."""
    s = re.sub(r"</?(?:b|strong|math|em|i)>", "", cell)
    s = s.replace("**", "")
    segs = math_segments(s)
    return segs[-1] if segs else s.strip()


_ROW_PATTERNS = {
    "all-to-all": r"all.?to.?all",
    "parameter server": r"parameter\s*server",
    "ring all-reduce": r"\bring\b",
}
_COLUMN_PATTERNS = {"count": r"number|messages|count|total", "size": r"size"}


def _row_re(row: str) -> str:
    return _ROW_PATTERNS.get(row.lower(), re.escape(row))


def _table_claims(attempt: Attempt, answer: AnswerSpec) -> list[Claim]:
    out: list[Claim] = []
    if not answer.row or not answer.column:
        return out
    for bi, b in attempt.blocks:
        if b.kind != "table" and not (b.kind == "text" and "\t" in b.text):
            continue
        rows = parse_table(b.text)
        if not rows:
            continue
        header_idx = next(
            (i for i, r in enumerate(rows) if any(re.search(r"size|messages", c, re.I) for c in r)), None
        )
        if header_idx is None:
            continue
        header = rows[header_idx]
        col = next(
            (
                j
                for j, c in enumerate(header)
                if re.search(_COLUMN_PATTERNS[answer.column], c, re.I)
                and not (answer.column == "count" and re.search("size", c, re.I))
            ),
            None,
        )
        if col is None:
            continue
        offset = 1 if header and header[0] == "" and len(header) > 1 else 0
        for r in rows[header_idx + 1 :]:
            if r and re.search(_row_re(answer.row), r[0], re.I):
                j = col if len(r) > col else col - offset
                if 0 <= j < len(r) and r[j].strip():
                    out.append(Claim(answer.id, r[j], clean_cell(r[j]), "table", bi))
    return out


def _body_row_claims(attempt: Attempt, answer: AnswerSpec) -> list[Claim]:
    """Lines like "**Total Messages:** $n(n-1)$" under a heading naming the row."""
    if not answer.row or not answer.column:
        return []
    found: list[Claim] = []
    current: str | None = None
    for bi, b in attempt.blocks:
        if b.kind != "text":
            continue
        for line in b.text.splitlines():
            s = line.strip()
            if not s:
                continue
            is_heading = s.startswith("#") or re.fullmatch(r"\**[^$]{0,60}\**:?", s) is not None
            if is_heading:
                current = next(
                    (row for row, pat in _ROW_PATTERNS.items() if re.search(pat, s, re.I)), current
                )
                continue
            if current != answer.row.lower():
                continue
            maths = math_segments(s)
            if not maths:
                continue
            low = s.lower()
            if answer.column == "count":
                ok = ("total" in low and "message" in low) or bool(
                    re.match(r"^[-*\s]*(?:\*\*)?total\s*(?:\*\*)?:", low)
                )
                ok = ok and "timestep" not in low
            else:
                ok = bool(re.search(r"size|each message (?:contains|is)|per message", low))
            if ok:
                value = maths[-1]
                chain = split_top_level(value)
                found.append(Claim(answer.id, s, chain[-1][1], "body", bi))
    return found[-1:]


# --------------------------------------------------------------------------- text answers


def _lines(attempt: Attempt) -> list[tuple[int, str]]:
    return [(bi, ln) for bi, b in attempt.blocks if b.kind in ("text", "table") for ln in b.text.splitlines()]


def _answer_line(attempt: Attempt) -> tuple[int, str] | None:
    """The last "Answer: ..." of the attempt (from the label on, wherever it sits in its line)."""
    for bi, ln in reversed(_lines(attempt)):
        found = list(re.finditer(r"(?:\*\*)?\s*(?:final\s+)?answer\s*(?:\*\*)?\s*:", ln, re.I))
        if found:
            return bi, ln[found[-1].start() :].strip()
    return None


def _name_claims(attempt: Attempt, answer: AnswerSpec) -> list[Claim]:
    """The sentence that names the method: an "Optimizer:" line first, then one with a cue word."""
    from grader.checkers.names import identify_names

    cue = re.compile(
        r"optimi[sz]er|recovers?|correspond|this is|which is|known as|equivalent to|reduces to|same as"
        r"|version of|amounts to|is (?:just|plain|exactly|simply|still)|gives|yields",
        re.I,
    )
    named = [(bi, ln) for bi, ln in _lines(attempt) if ln.strip() and identify_names(ln)]
    labelled = [h for h in named if re.search(r"optimizer\s*(?:\*\*)?\s*:", h[1], re.I)]
    cued = [h for h in named if cue.search(h[1])]
    chosen = labelled or cued
    return [
        Claim(answer.id, ln.strip(), ln.strip(), "answer-line" if labelled else "text", bi)
        for bi, ln in chosen[:1]
    ]


_TOKEN_LIST_RE = re.compile(r"(?::|=)\s*((?:[^,\s][^,]{0,14},\s*){3,}[^,\s][^,]{0,14})\s*\.?\s*$")


def _token_claims(attempt: Attempt, answer: AnswerSpec) -> list[Claim]:
    claims = _sos_token_claims(attempt, answer)
    if claims:
        return claims
    # No start token: the last "...: w1, w2, w3, w4" list of short items is the answer.
    for bi, ln in reversed(_lines(attempt)):
        m = _TOKEN_LIST_RE.search(ln)
        if m:
            return [Claim(answer.id, ln.strip(), m.group(1), "list", bi)]
    return []


def _sos_token_claims(attempt: Attempt, answer: AnswerSpec) -> list[Claim]:
    for bi, b in attempt.blocks:
        if b.kind in ("text", "math") and re.search(r"sos", b.text, re.I):
            lines = [ln for ln in b.text.splitlines() if re.search(r"w_\{?\d|sos|^\s*\d+\.", ln, re.I)]
            if lines:
                text = "\n".join(lines)
                value = text
                if b.kind == "math":  # "$$w_{1:5} = <sos>, I, ...$$": the tokens are the right-hand side
                    inner = math_segments(text) or [text]
                    value = split_top_level(inner[0])[-1][1]
                return [Claim(answer.id, text, value, "list", bi)]
    return []


def _choice_claims(attempt: Attempt, answer: AnswerSpec) -> list[Claim]:
    line = _answer_line(attempt)
    if line and answer.kind == "choice":
        return [Claim(answer.id, line[1].strip(), line[1].strip(), "answer-line", line[0])]
    text = attempt.text(("text", "table"))
    conc = re.search(r"(?:\*\*)?Conclusion:?(?:\*\*)?:?(.*)$", text, re.S | re.I)
    body = conc.group(1) if conc and answer.kind == "choice" else text
    if answer.kind == "choices":
        return [Claim(answer.id, body.strip()[:2000], body, "text", None)]
    return [Claim(answer.id, body.strip()[:400], body, "text", None)]


def _quantity_claims(attempt: Attempt, answer: AnswerSpec) -> list[Claim]:
    context: str | None = None
    want = (answer.label or "").lower()
    unit_re = (
        r"\d\s*\\?%|percent|accuracy|\b0\.\d+"
        if answer.unit == "percent"
        else r"\d[\d.,]*\s*(?:s\b|sec|seconds?|min|minutes?|h\b|hours?|hrs?)"
    )
    for bi, ln in _lines(attempt):
        low = ln.lower()
        if re.search(r"\bbaseline\b", low):
            context = "baseline"
        if re.search(r"\bfinal\b|after (?:applying|optimi)", low):
            context = "final"
        if context == want and re.search(unit_re, ln, re.I) and re.search(r"\d", ln):
            if answer.unit == "percent" and not re.search(r"\d\s*\\?%|0\.\d+", ln):
                continue
            return [Claim(answer.id, ln.strip(), ln.strip(), "text", bi)]
    return []


def _yes_no_claims(attempt: Attempt, answer: AnswerSpec) -> list[Claim]:
    for bi, ln in _lines(attempt):
        if re.match(r"^[-*\s]*(?:\*\*)?(yes|no)\b", ln.strip(), re.I):
            return [Claim(answer.id, ln.strip(), ln.strip(), "text", bi)]
    text = attempt.text(("text",))
    conc = re.search(r"Conclusion:?\**\s*(.{0,400})", text, re.S | re.I)
    if conc:
        return [Claim(answer.id, conc.group(1).strip(), conc.group(1), "text", None)]
    return []


def _free_claims(attempt: Attempt, answer: AnswerSpec) -> list[Claim]:
    text = attempt.text(("text",))
    if not text.strip():
        return []
    first_bi = attempt.blocks[0][0] if attempt.blocks else None
    return [Claim(answer.id, text[:300].strip(), text, "text", first_bi)]


def _condition_equations(attempt: Attempt) -> list[tuple[int, str]]:
    """Equations of the attempt that look like optimality conditions (matrices, no derivative)."""
    out = []
    for bi, math, _line in _block_maths(attempt.blocks):
        if "=" not in math:
            continue
        if "\\partial" in math or "\\nabla" in math:
            # "\nabla_{W_2} L = -2(...) = 0" states a condition in gradient form.
            chain = split_top_level(math)
            if len(chain) >= 3 and chain[-1][1].strip() == "0" and re.search(r"W_\{?[12]", chain[-2][1]):
                out.append((bi, f"{chain[-2][1]} = 0"))
            continue
        if re.search(r"\\text\{tr\}|\\operatorname\{tr\}|\\mathrm\{tr\}|\\sum|\\Sigma|U_k", math):
            continue
        if re.search(r"W_\{?[12]", math):
            chain = split_top_level(re.sub(r"\\quad\s*\(\d+\)\s*$|\(\d+\)\s*$", "", math).strip())
            if len(chain) == 2 and not re.fullmatch(r"\\?[A-Za-z]+(?:_\{?\w+\}?)?", chain[0][1].strip()):
                out.append((bi, re.sub(r"\\quad\s*\(\d+\)\s*$|\(\d+\)\s*$", "", math).strip()))
    return out


def _gradient_claims(attempt: Attempt, answer: AnswerSpec) -> list[Claim]:
    var = re.sub(r"[^0-9]", "", answer.defines or "")
    w = rf"(?:W_\{{?{var}\}}?|W{var})"
    # \frac{\partial L}{\partial W_1}, \partial_{W_1} L, \nabla_{W_1} \mathcal{L}
    lhs_re = re.compile(rf"\\partial\s*{w}\s*\}}?|\\(?:nabla|partial)_\{{?\s*{w}\s*\}}?")
    claims = []
    for bi, math, _line in _block_maths(attempt.blocks):
        chain = split_top_level(math)
        if len(chain) < 2 or not lhs_re.search(chain[0][1]) or re.search(r"\\partial|\\nabla", chain[1][1]):
            continue
        values = [v for _, v in chain[1:] if v.strip() not in ("0", "")]
        if values:
            claims.append(Claim(answer.id, math, values[-1], "equation", bi))
    return claims


def extract_claims(attempt: Attempt, part: PartSpec, rubric: Rubric) -> dict[str, list[Claim]]:
    """All final claims of an attempt, per answer id (an answer the attempt does not state is absent)."""
    out: dict[str, list[Claim]] = {}
    for answer in part.answers:
        claims: list[Claim]
        if answer.kind in ("expression", "vector"):
            if answer.defines and answer.defines.startswith("\\partial"):
                claims = _gradient_claims(attempt, answer)[-1:]
            else:
                claims = final_claims(
                    _defining_claims(attempt, answer, _names_for(answer.defines or "", rubric))
                )
        elif answer.kind == "count_formula":
            claims = _body_row_claims(attempt, answer) + _table_claims(attempt, answer)
        elif answer.kind == "name":
            claims = _name_claims(attempt, answer)
        elif answer.kind == "tokens":
            claims = _token_claims(attempt, answer)
        elif answer.kind in ("choice", "choices"):
            claims = _choice_claims(attempt, answer)
        elif answer.kind == "quantity":
            claims = _quantity_claims(attempt, answer)
        elif answer.kind == "yes_no":
            claims = _yes_no_claims(attempt, answer)
        elif answer.kind in ("concept", "free_text", "derivation"):
            claims = _free_claims(attempt, answer)
        elif answer.kind == "condition":
            claims = [Claim(answer.id, eq, eq, "equation", bi) for bi, eq in _condition_equations(attempt)]
        else:  # pragma: no cover - the rubric schema lists every kind
            claims = []
        if claims:
            out[answer.id] = claims
    return out
