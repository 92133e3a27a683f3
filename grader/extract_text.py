"""Answers that are not formulas: method names, token lists, selected options, quantities, yes/no, prose.

Each function returns the claims of one answer kind found in an attempt; the checkers decide.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from grader.align import Attempt
from grader.checkers.text_utils import plain_text
from grader.claim import Claim
from grader.extract_tables import keyed_rows
from grader.latex import math_segments, split_top_level
from grader.phrases import PhraseItem, search_any
from grader.rubric import AnswerSpec


def lines_of(attempt: Attempt) -> list[tuple[int, str]]:
    """(block index, line) for every line of the attempt's text and tables."""
    return [(bi, ln) for bi, b in attempt.blocks if b.kind in ("text", "table") for ln in b.text.splitlines()]


def _answer_line(attempt: Attempt) -> tuple[int, str] | None:
    """The last "Answer: ..." of the attempt (from the label on, wherever it sits in its line)."""
    for bi, ln in reversed(lines_of(attempt)):
        found = list(re.finditer(r"(?:\*\*)?\s*(?:final\s+)?answer\s*(?:\*\*)?\s*:", ln, re.I))
        if found:
            return bi, ln[found[-1].start() :].strip()
    return None


_NAME_CUE = re.compile(
    r"recovers?|correspond|this is|which is|known as|equivalent to|reduces to|same as|called"
    r"|version of|amounts to|idea behind|is (?:just|plain|exactly|simply|still)|gives|yields",
    re.I,
)
"""Words after which a sentence names what something is ("this recovers gradient descent")."""


def _sentences(attempt: Attempt) -> list[tuple[int, str]]:
    """Sentences of the attempt's text, joined across the line breaks a PDF puts inside them."""
    out = []
    for bi, b in attempt.blocks:
        if b.kind not in ("text", "table"):
            continue
        for para in re.split(r"\n\s*\n|\n(?=\s*(?:[-*]|\d+\.|#))", b.text):
            out += [(bi, s.strip()) for s in re.split(r"(?<=[.!?])\s+", para.replace("\n", " ")) if s.strip()]
    return out


def name_claims(
    attempt: Attempt, answer: AnswerSpec, names_in: Callable[[str], list[tuple[str, str]]]
) -> list[Claim]:
    """The sentence that names the answer: one labelled with a ``context`` phrase ("Optimizer: ..."),
    else the first with a cue word ("this recovers ...") followed by a known name, else one that gives
    a known name as a label's value ("Wq shape: [h, d, q]") when all such sentences agree.

    ``names_in`` finds the known names in a text (the rubric's vocabulary). The value checked is the
    sentence from its label or cue on.
    """
    named = [(bi, s) for bi, s in _sentences(attempt) if names_in(s)]
    for bi, sentence in named:
        m = search_any(list(answer.context), sentence)
        if m and re.match(r"\s*(?:\*\*)?\s*[:：]", sentence[m.end() :]) and names_in(sentence[m.end() :]):
            return [Claim(answer.id, sentence, sentence[m.end() :], "answer-line", bi)]
    row = keyed_row_claim(attempt, answer, names_in)
    if row:
        return row
    for bi, sentence in named:
        m = _NAME_CUE.search(sentence)
        if m and names_in(sentence[m.start() :]):
            return [Claim(answer.id, sentence, sentence[m.start() :], "text", bi)]
    # "(a) Wq shape: [h, d, q]": a name given as the value of a label, when every such statement of
    # the attempt gives the same one
    given = [
        (bi, s, m.end()) for bi, s in named for m in [_GIVEN_RE.search(s)] if m and names_in(s[m.end() :])
    ]
    by_label: Claim | None = None
    if given and len({names_in(s[at:])[0][0] for _, s, at in given}) == 1:
        bi, sentence, at = given[-1]
        by_label = Claim(answer.id, sentence, sentence[at:], "text", bi, bare=True)
    # a name set on a line of its own, as a display answer ("[h, d, q]" under the part's question, or
    # the one call of a code line: ``torch.einsum("bd,dk->bk", x, W_k)``), when every such line of the
    # attempt gives the same one
    alone = [(bi, ln.strip()) for bi, ln in lines_of(attempt) if _only_a_name(ln, names_in)]
    on_a_line: Claim | None = None
    if alone and len({names_in(ln)[0][0] for _, ln in alone}) == 1:
        bi, line = alone[-1]
        on_a_line = Claim(answer.id, line, line, "text", bi, bare=True)
    if by_label and on_a_line and by_label.block is not None and on_a_line.block is not None:
        # both bare: the one stated later concludes ("Weights: W_q with shape [h, d, q]" is working
        # that leads to the einsum line under it)
        return [by_label if by_label.block > on_a_line.block else on_a_line]
    return [c for c in (by_label or on_a_line,) if c is not None]


def keyed_row_claim(
    attempt: Attempt, answer: AnswerSpec, names_in: Callable[[str], list[tuple[str, str]]]
) -> list[Claim]:
    """The answer stated in a table row whose first cell is one of its ``context`` labels, the whole
    cell ("A | [h, d, q] | why"): the row's first other cell that names something known. The last such
    row of the attempt (a summary table restating the body states the final answer)."""
    found: list[Claim] = []
    for bi, key, cells in keyed_rows(attempt):
        label = plain_text(key).strip(" :*")
        m = search_any(list(answer.context), label)
        if not m or m.start() != 0 or m.end() != len(label):
            continue
        value = next((c for c in cells if names_in(c)), None)
        if value is not None:
            found = [Claim(answer.id, f"{key}: {value}", value, "table", bi)]
    return found


_CALL_LINE_RE = re.compile(r"^\s*[A-Za-z_][\w.]*\s*\((.*)\)\s*[;,.]?\s*$")
"""A line of code that is one call (``torch.einsum("bd,dk->bk", x, W_k)``): its arguments hold the name."""


def _only_a_name(line: str, names_in: Callable[[str], list[tuple[str, str]]]) -> bool:
    """Whether a line holds one known name and nothing else but markup and punctuation, or is one call
    of code whose arguments hold one known name and otherwise only identifiers."""
    found = names_in(line)
    if len(found) != 1:
        return False
    call = _CALL_LINE_RE.match(line)
    if call and found[0][1] in call.group(1):
        args = call.group(1).replace(found[0][1], " ", 1)
        return re.fullmatch(r"[\s\"',\w]*", args) is not None
    rest = plain_text(line).replace(found[0][1], " ", 1)
    return not re.search(r"[A-Za-z0-9]", rest)


_GIVEN_RE = re.compile(r"^[^:=]{1,60}?(?::|=|\bis\b)\s*(?:\*\*)?\s*")
"""A label and what it is given as: "Wq shape: ...", "A = ...", "The answer is ..."."""


_TOKEN_LIST_RE = re.compile(r"(?::|=)\s*((?:[^,\s][^,]{0,14},\s*){3,}[^,\s][^,]{0,14})\s*\.?\s*$")


def _list_of(length: int) -> re.Pattern[str]:
    """A "...: a, b, c" list of exactly ``length`` short items at the end of a line."""
    return re.compile(rf"(?::|=)\s*((?:[^,\s][^,]{{0,30}},\s*){{{length - 1}}}[^,\s][^,]{{0,30}}?)\s*\.?\s*$")


def token_claims(
    attempt: Attempt, answer: AnswerSpec, start: str | None = None, length: int = 0
) -> list[Claim]:
    """The token sequence of an attempt: lines listing tokens from ``start`` (the reference's first
    token, e.g. ``<sos>``) on; else the last "...: a, b, c" list as long as the reference (``length``);
    else the last such list of four or more short items."""
    claims = _start_token_claims(attempt, answer, start) if start else []
    if claims:
        return claims
    patterns = ([_list_of(length)] if length >= 2 else []) + [_TOKEN_LIST_RE]
    for pattern in patterns:
        for bi, ln in reversed(lines_of(attempt)):
            m = pattern.search(ln)
            if m:
                return [Claim(answer.id, ln.strip(), m.group(1), "list", bi)]
    return []


def _start_token_claims(attempt: Attempt, answer: AnswerSpec, start: str) -> list[Claim]:
    word = re.escape(re.sub(r"[^\w]", "", start) or start)
    for bi, b in attempt.blocks:
        if b.kind in ("text", "math") and re.search(word, b.text, re.I):
            lines = [
                ln for ln in b.text.splitlines() if re.search(rf"[A-Za-z]_\{{?\d|{word}|^\s*\d+\.", ln, re.I)
            ]
            if lines:
                text = "\n".join(lines)
                value = text
                if b.kind == "math":  # "$$w_{1:5} = <sos>, I, ...$$": the tokens are the right-hand side
                    inner = math_segments(text) or [text]
                    value = split_top_level(inner[0])[-1][1]
                return [Claim(answer.id, text, value, "list", bi)]
    return []


def choice_claims(attempt: Attempt, answer: AnswerSpec, *, multi: bool) -> list[Claim]:
    """The selection of a multiple choice: the "Answer:" line, else the conclusion, else the whole text."""
    line = _answer_line(attempt)
    if line and not multi:
        return [Claim(answer.id, line[1].strip(), line[1].strip(), "answer-line", line[0])]
    text = attempt.text(("text", "table"))
    conc = re.search(r"(?:\*\*)?Conclusion:?(?:\*\*)?:?(.*)$", text, re.S | re.I)
    body = conc.group(1) if conc and not multi else text
    if multi:
        return [Claim(answer.id, body.strip()[:2000], body, "text", None)]
    return [Claim(answer.id, body.strip()[:400], body, "text", None)]


def quantity_claims(attempt: Attempt, answer: AnswerSpec, unit: str, others: list[PhraseItem]) -> list[Claim]:
    """The first line, in the section its ``context`` phrases open ("baseline"), that states a
    quantity of the answer's unit; a line with one of ``others`` (the context phrases of the part's
    other answers, "final") leaves the section. Without ``context``: the first such line."""
    unit_re = (
        r"\d\s*\\?%|percent|\b0\.\d+"
        if unit == "percent"
        else r"\d[\d.,]*\s*(?:s\b|sec|seconds?|min|minutes?|h\b|hours?|hrs?)"
        if unit == "s"
        else r"\d"
    )
    phrases = list(answer.context)
    inside = not phrases
    for bi, ln in lines_of(attempt):
        if phrases and search_any(phrases, ln):
            inside = True
        elif others and search_any(others, ln):
            inside = False
        if inside and re.search(unit_re, ln, re.I) and re.search(r"\d", ln):
            if unit == "percent" and not re.search(r"\d\s*\\?%|0\.\d+", ln):
                continue
            return [Claim(answer.id, ln.strip(), ln.strip(), "text", bi)]
    return []


def yes_no_claims(attempt: Attempt, answer: AnswerSpec) -> list[Claim]:
    """A line that opens with yes/no, else the text after "Conclusion:"."""
    for bi, ln in lines_of(attempt):
        if re.match(r"^[-*\s]*(?:\*\*)?(yes|no)\b", ln.strip(), re.I):
            return [Claim(answer.id, ln.strip(), ln.strip(), "text", bi)]
    text = attempt.text(("text",))
    conc = re.search(r"Conclusion:?\**\s*(.{0,400})", text, re.S | re.I)
    if conc:
        return [Claim(answer.id, conc.group(1).strip(), conc.group(1), "text", None)]
    return []


def free_claims(
    attempt: Attempt, answer: AnswerSpec, *, with_math: bool = False, with_tables: bool = False
) -> list[Claim]:
    """The attempt's prose (with ``with_math``, its formulas too; with ``with_tables``, its tables, one
    row a line: a summary table often states the key ideas in its cells) as one claim."""
    kinds: tuple[str, ...] = ("text", "math") if with_math else ("text",)
    kinds += ("table",) if with_tables else ()
    text = attempt.text(kinds)
    if not text.strip():
        return []
    first_bi = attempt.blocks[0][0] if attempt.blocks else None
    return [Claim(answer.id, text[:300].strip(), text, "text", first_bi)]
