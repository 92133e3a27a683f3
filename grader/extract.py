"""Extract the claims of an attempt: the final answer(s) for each answer of a part.

Where a model states an answer, in priority order: a ``\\boxed{}`` or an "Answer:" / "Analytical
Solution:" / "Final answer" line, bold text, the last equation that defines the answer's symbol, and
summary-table cells. Every place that states a final answer yields a claim; the checker then sees
whether they agree (a summary table that contradicts the body is ``inconsistent_final``).

This module only finds and slices text; it never evaluates it. Formulas are found here; tables in
:mod:`grader.extract_tables`; names, tokens, options, quantities and prose in :mod:`grader.extract_text`.
"""

from __future__ import annotations

import re

from grader.align import Attempt
from grader.claim import Claim
from grader.extract_tables import body_row_claims, table_claims
from grader.extract_text import (
    choice_claims,
    free_claims,
    name_claims,
    quantity_claims,
    token_claims,
    yes_no_claims,
)
from grader.latex import boxed_contents, math_segments, normalize_name, split_top_level, strip_boxes
from grader.models import Block
from grader.rubric import AnswerSpec, PartSpec, Rubric

__all__ = ["Claim", "extract_claims", "final_claims"]

_ANSWER_HEADING_RE = re.compile(r"^#{1,6}\s*(?:\*\*)?\s*(?:final\s+answer|answer)\s*(?:\*\*)?\s*:?\s*$", re.I)
_ANSWER_LINE_RE = re.compile(
    r"^[-*>\s]*(?:\d+\.\s*)?(?:\*\*)?\s*(?:final\s+answer|answer|analytical\s+solution|result|final\s+result)"
    r"\s*(?:\*\*)?\s*[:：]",
    re.I,
)


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
                    out += [(bi, s, (pending + line) if i == 0 else "") for i, s in enumerate(segs)]
                    pending = ""
                elif (_ANSWER_LINE_RE.match(line) or _ANSWER_HEADING_RE.match(line)) and len(
                    line.strip()
                ) < 40:
                    pending = "Answer: "
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
        return [(strip_boxes(math), True)]
    rest = math
    for inner in boxed:
        rest = rest.replace(f"\\boxed{{{inner}}}", " ")
    out += [(piece.strip(), False) for piece in _IMPLIES_RE.split(rest) if piece.strip()]
    return out


def _defining_claims(
    attempt: Attempt, answer: AnswerSpec, names: set[str], bare_ok: bool = False
) -> list[Claim]:
    """Equations that define the answer's symbol; with ``bare_ok``, also a formula standing alone
    under an answer label ("**Final Answer**" then a display vector) when it is the part's only
    formula answer."""
    claims: list[Claim] = []
    for bi, math, line in _block_maths(attempt.blocks):
        for statement, boxed in _statements(math):
            chain = split_top_level(statement)
            labelled = bool(_ANSWER_LINE_RE.match(line)) or boxed
            if len(chain) == 1 and bare_ok and labelled and chain[0][1]:
                claims.append(
                    Claim(answer.id, statement, chain[0][1], "boxed" if boxed else "answer-line", bi)
                )
                continue
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


def final_claims(claims: list[Claim], rubric: Rubric | None = None) -> list[Claim]:
    """Boxed and answer-line claims when there are any (each a final statement), else the last equation.

    Without a marked answer, the last equation in the problem's own symbols is preferred over a
    later working form with a free constant (``\\theta_t = c_t a``, ``u = -r\\,\\mathrm{sign}(g)``).
    """
    marked = [c for c in claims if c.source in ("boxed", "answer-line")]
    if marked:
        return marked
    if rubric is not None:
        closed = [c for c in claims if _in_problem_symbols(c.value, rubric)]
        if closed:
            return _last_group(closed)
    return _last_group(claims)


def _in_problem_symbols(value: str, rubric: Rubric) -> bool:
    """Whether a formula uses only the rubric's declared symbols (parsed, never evaluated)."""
    from grader import mathx
    from grader.errors import BudgetExceeded, GraderError

    table = rubric.symbol_table()
    try:
        node = mathx.parse(value, table, budget_s=0.5)
    except (GraderError, BudgetExceeded, RecursionError):
        return False
    return mathx.free_symbols(node) <= set(table.symbols)


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
                math_answers = [a for a in part.answers if a.kind in ("expression", "vector")]
                found = _defining_claims(
                    attempt, answer, _names_for(answer.defines or "", rubric), bare_ok=len(math_answers) == 1
                )
                claims = final_claims(found, rubric)
        elif answer.kind == "count_formula":
            rows = [a.row for a in part.answers if a.row]
            claims = body_row_claims(attempt, answer, rows) + table_claims(attempt, answer)
        elif answer.kind == "name":
            claims = name_claims(attempt, answer)
        elif answer.kind == "tokens":
            claims = token_claims(attempt, answer)
        elif answer.kind in ("choice", "choices"):
            claims = choice_claims(attempt, answer)
        elif answer.kind == "quantity":
            claims = quantity_claims(attempt, answer)
        elif answer.kind == "yes_no":
            claims = yes_no_claims(attempt, answer)
        elif answer.kind in ("concept", "free_text", "derivation"):
            claims = free_claims(attempt, answer)
        elif answer.kind == "condition":
            claims = [Claim(answer.id, eq, eq, "equation", bi) for bi, eq in _condition_equations(attempt)]
        else:  # pragma: no cover - the rubric schema lists every kind
            claims = []
        if claims:
            out[answer.id] = claims
    return out
