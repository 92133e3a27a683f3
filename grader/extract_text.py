"""Answers that are not formulas: method names, token lists, selected options, quantities, yes/no, prose.

Each function returns the claims of one answer kind found in an attempt; the checkers decide.
"""

from __future__ import annotations

import re

from grader.align import Attempt
from grader.claim import Claim
from grader.latex import math_segments, split_top_level
from grader.rubric import AnswerSpec


def lines_of(attempt: Attempt) -> list[tuple[int, str]]:
    return [(bi, ln) for bi, b in attempt.blocks if b.kind in ("text", "table") for ln in b.text.splitlines()]


def _answer_line(attempt: Attempt) -> tuple[int, str] | None:
    """The last "Answer: ..." of the attempt (from the label on, wherever it sits in its line)."""
    for bi, ln in reversed(lines_of(attempt)):
        found = list(re.finditer(r"(?:\*\*)?\s*(?:final\s+)?answer\s*(?:\*\*)?\s*:", ln, re.I))
        if found:
            return bi, ln[found[-1].start() :].strip()
    return None


_NAME_CUE = re.compile(
    r"optimi[sz]er|recovers?|correspond|this is|which is|known as|equivalent to|reduces to|same as"
    r"|version of|amounts to|idea behind|is (?:just|plain|exactly|simply|still)|gives|yields",
    re.I,
)


def _sentences(attempt: Attempt) -> list[tuple[int, str]]:
    """Sentences of the attempt's text, joined across the line breaks a PDF puts inside them."""
    out = []
    for bi, b in attempt.blocks:
        if b.kind not in ("text", "table"):
            continue
        for para in re.split(r"\n\s*\n|\n(?=\s*(?:[-*]|\d+\.|#))", b.text):
            out += [(bi, s.strip()) for s in re.split(r"(?<=[.!?])\s+", para.replace("\n", " ")) if s.strip()]
    return out


def name_claims(attempt: Attempt, answer: AnswerSpec) -> list[Claim]:
    """The sentence that names the method: an "Optimizer:" line first, then one with a cue word.

    The value checked is the sentence from its cue on ("... the steepest-descent direction — this is
    the idea behind signSGD": signSGD is what it names).
    """
    from grader.checkers.names import identify_names

    named = [(bi, s) for bi, s in _sentences(attempt) if identify_names(s)]
    labelled = [h for h in named if re.search(r"optimizer\s*(?:\*\*)?\s*:", h[1], re.I)]
    if labelled:
        bi, sentence = labelled[0]
        return [Claim(answer.id, sentence, sentence, "answer-line", bi)]
    for bi, sentence in named:
        m = _NAME_CUE.search(sentence)
        if m and identify_names(sentence[m.start() :]):
            return [Claim(answer.id, sentence, sentence[m.start() :], "text", bi)]
    return []


_TOKEN_LIST_RE = re.compile(r"(?::|=)\s*((?:[^,\s][^,]{0,14},\s*){3,}[^,\s][^,]{0,14})\s*\.?\s*$")


def token_claims(attempt: Attempt, answer: AnswerSpec) -> list[Claim]:
    claims = _sos_token_claims(attempt, answer)
    if claims:
        return claims
    # No start token: the last "...: w1, w2, w3, w4" list of short items is the answer.
    for bi, ln in reversed(lines_of(attempt)):
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


def choice_claims(attempt: Attempt, answer: AnswerSpec) -> list[Claim]:
    line = _answer_line(attempt)
    if line and answer.kind == "choice":
        return [Claim(answer.id, line[1].strip(), line[1].strip(), "answer-line", line[0])]
    text = attempt.text(("text", "table"))
    conc = re.search(r"(?:\*\*)?Conclusion:?(?:\*\*)?:?(.*)$", text, re.S | re.I)
    body = conc.group(1) if conc and answer.kind == "choice" else text
    if answer.kind == "choices":
        return [Claim(answer.id, body.strip()[:2000], body, "text", None)]
    return [Claim(answer.id, body.strip()[:400], body, "text", None)]


def quantity_claims(attempt: Attempt, answer: AnswerSpec) -> list[Claim]:
    context: str | None = None
    want = (answer.label or "").lower()
    unit_re = (
        r"\d\s*\\?%|percent|accuracy|\b0\.\d+"
        if answer.unit == "percent"
        else r"\d[\d.,]*\s*(?:s\b|sec|seconds?|min|minutes?|h\b|hours?|hrs?)"
    )
    for bi, ln in lines_of(attempt):
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


def yes_no_claims(attempt: Attempt, answer: AnswerSpec) -> list[Claim]:
    for bi, ln in lines_of(attempt):
        if re.match(r"^[-*\s]*(?:\*\*)?(yes|no)\b", ln.strip(), re.I):
            return [Claim(answer.id, ln.strip(), ln.strip(), "text", bi)]
    text = attempt.text(("text",))
    conc = re.search(r"Conclusion:?\**\s*(.{0,400})", text, re.S | re.I)
    if conc:
        return [Claim(answer.id, conc.group(1).strip(), conc.group(1), "text", None)]
    return []


def free_claims(attempt: Attempt, answer: AnswerSpec) -> list[Claim]:
    """The attempt's prose (for a proof, its formulas too) as one claim."""
    kinds = ("text", "math") if answer.kind == "derivation" else ("text",)
    text = attempt.text(kinds)
    if not text.strip():
        return []
    first_bi = attempt.blocks[0][0] if attempt.blocks else None
    return [Claim(answer.id, text[:300].strip(), text, "text", first_bi)]
