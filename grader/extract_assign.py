"""Which answer of a part an unlabelled final statement is about.

A part often asks for several values ("the compute C and the tokens D", "the SSD and the DRAM cost").
A model states each as a boxed value or an "Answer:" line, usually without the symbol in front
(``\\boxed{5.7 \\times 10^{23}}``). Such a *bare* statement is given to one answer of the part, the
one it is about:

1. **by its words**: the line that holds it (or the line just above a display formula) names one
   answer's ``label``, ``context`` phrases or ``unit`` ("FLOP", "tokens") and no other's;
2. **by order**: when the part lists its answers in order and the attempt states as many bare values,
   in order, as the answers that are still without one;
3. the part's only answer of the family takes every bare statement;
4. without any bare statement, the part's only answer of the family (when nothing in the attempt names
   it) takes the *closing formula*: the last formula that stands alone on its line
   (:func:`closing_formula`, ``$O(bd^2 + bnd)$`` under a heading). It is not marked as the answer, so it
   can show the answer right but never wrong (a mismatch is no evidence: ``needs_review``).

Otherwise the statement is about no answer in particular and is left out: the answer it may state is
then missing, which the score treats as no evidence (``needs_review``), never as a wrong answer.

A statement carrying a label is never bare: ``C = 5.7e23`` belongs to the answer that defines ``C``
(:func:`grader.extract.defining_claims`), and ``N = 4`` to none of an answer defining ``C``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from grader.align import Attempt
from grader.claim import Claim
from grader.extract import ANSWER_HEADING_RE, ANSWER_LINE_RE, statements
from grader.latex import math_segments, split_top_level
from grader.mathx.extract import find_math
from grader.phrases import PhraseItem, search_any
from grader.rubric import AnswerSpec, PartSpec

__all__ = [
    "Bare",
    "about_by_words",
    "answer_lines",
    "assign",
    "assigned_bare_claims",
    "bare_statements",
    "closing_formula",
    "cues",
]


@dataclass(frozen=True)
class Bare:
    """An unlabelled final statement of an attempt."""

    block: int
    text: str
    """The statement as written (a formula, or the rest of an "Answer:" line)."""
    value: str
    """What it states (the formula, or the result of a computation ``27 + 12 = 39``)."""
    source: str
    """``boxed``, ``answer-line``, or ``closing`` (:func:`closing_formula`: not marked as the answer)."""
    line: str
    """The line that holds it."""
    above: str
    """The text line just above it (for a display formula under its heading)."""
    computed: bool = False
    """Whether it is a computation whose last side is the value (only numbers take those)."""


_NUMBERISH = re.compile(r"\d")
_LIST_SEP = re.compile(r"\s*(?:,|;|,?\s*and|,?\s*or)?\s*", re.I)
_LABEL_LHS = re.compile(r"^\s*(?:\\[A-Za-z]+\s*)*\{?\\?[A-Za-z][\w\\{}^'*]*\}?(?:\([^()]*\))?\s*$")


def _is_label(lhs: str) -> bool:
    """Whether the left side of an equation reads as a name (``C``, ``\\eta^*``, ``f(x)``), not a computation."""
    return bool(_LABEL_LHS.match(lhs)) and not re.search(r"\d\s*[-+*/×]|[-+*/×]\s*\d|\\times|\\cdot", lhs)


CONCLUSION_RE = re.compile(
    r"^\s*(?:\*\*)?\s*(?:hence|therefore|thus|so|finally|in\s+summary|(?:this|which)\s+gives|we\s+get|"
    r"(?:so\s+)?the\s+(?:final\s+)?(?:answer|result)\s+is)\s*(?:\*\*)?\s*[:,]?\s*(?:\*\*)?\s*$",
    re.I,
)
"""A line that only announces a conclusion ("Hence", "Therefore:", "So the answer is"): the display
formula under it is the result of the working above."""
_DISPLAY_LINE = re.compile(r"^\s*(?:\$\$.+\$\$|\\\[.+\\\])\s*\.?\s*$")


_CONDITION_BEFORE = re.compile(
    r"\b(?:when|if|for|as|since|where|with|unless|given|assuming)\s*(?:\*\*)?\s*$", re.I
)
"""Words that make the formula after them a condition ("when $\\sigma_i \\ll \\lambda$"), not a value."""


def bare_statements(attempt: Attempt) -> list[Bare]:
    """Every unlabelled boxed formula and "Answer:" statement of the attempt, in order; without any,
    the last display formula a conclusion line announces ("Hence", then ``$$O(bd^2 + bnd)$$``)."""
    out: list[Bare] = []
    concluded: list[Bare] = []
    above = ""
    pending = False
    conclusion = False
    for bi, block in attempt.blocks:
        if block.kind == "math":
            for seg in math_segments(block.text) or [block.text.strip()]:
                out += _from_math(bi, seg, "Answer: " + seg if pending else seg, above, pending)
                if conclusion and not pending:
                    concluded += _from_math(bi, seg, seg, above, True)
            pending = conclusion = False
            continue
        if block.kind != "text":
            continue
        for line in block.text.splitlines():
            stripped = line.strip()
            if not stripped:
                continue
            if conclusion and _DISPLAY_LINE.match(line):
                for seg in math_segments(line):
                    concluded += _from_math(bi, seg, seg, above, True)
            conclusion = bool(CONCLUSION_RE.match(line))
            if ANSWER_HEADING_RE.match(line):
                pending, above = True, line
                continue
            labelled = bool(ANSWER_LINE_RE.match(line)) or pending
            segs = find_math(line)
            if segs:
                for i, (start, _end, seg) in enumerate(segs):
                    # after the first formula of an answer line, only a list of values continues it
                    # ("Answer: $39$ and $108$"), not a remark ("... (where $C$ is a constant)")
                    listed = i == 0 or bool(_LIST_SEP.fullmatch(line[segs[i - 1][1] : start]))
                    # "Answer: when $\sigma \ll \lambda$, ...": a condition the answer is stated under
                    condition = bool(_CONDITION_BEFORE.search(line[segs[i - 1][1] if i else 0 : start]))
                    out += _from_math(bi, seg.strip(), line, above, labelled and listed and not condition)
                    labelled = labelled and listed
            elif labelled:
                rest = ANSWER_LINE_RE.sub("", line, count=1).strip(" *:")
                if rest and _NUMBERISH.search(rest) and len(rest) < 120:
                    out.append(Bare(bi, rest, rest, "answer-line", line, above))
                elif not rest:
                    pending = True
                    above = line
                    continue
            pending = False
            above = line
    return out or concluded[-1:]


_STANDALONE_REST = re.compile(r"[\s.,;:]*")
"""What may surround a formula that stands alone on its line: spaces and closing punctuation."""


def closing_formula(attempt: Attempt) -> list[Bare]:
    """The attempt's last formula standing alone on its line (a math block, or a line that is one
    ``$...$`` and nothing else), as a bare statement with source ``closing``; [] when that formula is a
    labelled equation (``W = ...``: about a name), when the text after it continues its sentence (a line
    that starts in lower case: "which is only part of it"), or when there is none. A computation
    (``2 + 3 = 5``) comes back ``computed``.

    >>> from grader.models import Block
    >>> from grader.align import Attempt, Section
    >>> blocks = [(0, Block(kind="text", text="Total: $O(bd)$ here")), (1, Block(kind="text", text="$O(bd^2)$"))]
    >>> [b.value for b in closing_formula(Attempt("p", 0, [Section("p", 0, blocks)], []))]
    ['O(bd^2)']
    """
    last: tuple[int, str, str, str] | None = None
    continued = after = False
    above = ""
    for bi, block in attempt.blocks:
        if block.kind == "math":
            segs = math_segments(block.text) or [block.text.strip()]
            if len(segs) == 1 and segs[0].strip():
                last, continued, after = (bi, segs[0].strip(), block.text.strip(), above), False, True
            continue
        if block.kind != "text":
            continue
        for line in block.text.splitlines():
            if not line.strip():
                continue
            found = find_math(line)
            if len(found) == 1 and found[0][2].strip():
                start, end, seg = found[0]
                if _STANDALONE_REST.fullmatch(line[:start]) and _STANDALONE_REST.fullmatch(line[end:]):
                    last, continued, after = (bi, seg.strip(), line, above), False, True
                    above = line
                    continue
            if after:
                continued, after = line.lstrip(" *_")[:1].islower(), False
            above = line
    if last is None or continued:
        return []
    bi, seg, line, above = last
    return [replace(b, source="closing") for b in _from_math(bi, seg, line, above, True)]


def _from_math(bi: int, math: str, line: str, above: str, labelled: bool) -> list[Bare]:
    found = []
    for statement, boxed in statements(math):
        if not (boxed or labelled):
            continue
        chain = split_top_level(statement)
        source = "boxed" if boxed else "answer-line"
        if len(chain) == 1 and chain[0][1]:
            found.append(Bare(bi, statement, chain[0][1], source, line, above))
        elif len(chain) >= 2 and chain[-1][1] and not _is_label(chain[0][1]):
            found.append(Bare(bi, statement, chain[-1][1], source, line, above, computed=True))
    return found


def cues(answer: AnswerSpec) -> list[PhraseItem]:
    """The words that say a statement is about ``answer``: its label, context phrases and unit."""
    found: list[PhraseItem] = list(answer.context)
    if answer.label:
        found.append(answer.label)
    if answer.unit and re.fullmatch(r"[A-Za-z][A-Za-z ]*", answer.unit):
        found.append(answer.unit)
    return found


def about_by_words(bare: Bare, family: list[AnswerSpec]) -> AnswerSpec | None:
    """The one answer of ``family`` whose cues the statement's line (else the line above) names."""
    for text in (bare.line, bare.above):
        hits = [a for a in family if (c := cues(a)) and search_any(c, text)]
        if len(hits) == 1:
            return hits[0]
        if hits:
            return None  # names several answers: order decides
    return None


def assigned_bare_claims(
    attempt: Attempt,
    part: PartSpec,
    answer: AnswerSpec,
    family: Callable[[AnswerSpec], bool],
    labelled: Callable[[AnswerSpec], bool],
    *,
    computed: bool = False,
) -> list[Claim]:
    """The bare statements of an attempt that are about ``answer`` (see the module docstring).

    ``family`` says which answers of the part take bare statements of this kind (the part's number
    and formula answers); ``labelled`` whether an answer already has statements that name it (such an
    answer takes bare ones by its words only, not by order). ``computed``: whether computations
    (``27 + 12 = 39``) count as statements of their result.
    """
    found = [b for b in bare_statements(attempt) if computed or not b.computed]
    members = [a for a in part.answers if family(a)]
    if not found and members == [answer] and not labelled(answer):
        found = [b for b in closing_formula(attempt) if computed or not b.computed]
    return [_claim(answer, b) for b in assign(found, members, answer, labelled)]


def answer_lines(attempt: Attempt) -> list[Bare]:
    """Every "Answer: ..." of the attempt (from the label on, wherever it sits in its line), in order."""
    out = []
    above = ""
    for bi, block in attempt.blocks:
        if block.kind not in ("text", "table"):
            continue
        for line in block.text.splitlines():
            found = list(_ANSWER_LABEL.finditer(line))
            if found:
                rest = line[found[-1].start() :].strip()
                out.append(Bare(bi, rest, rest, "answer-line", line, above))
            if line.strip():
                above = line
    return out


_ANSWER_LABEL = re.compile(r"(?:\*\*)?\s*(?:final\s+)?answer\s*(?:\*\*)?\s*:", re.I)


def assign(
    found: list[Bare],
    members: list[AnswerSpec],
    answer: AnswerSpec,
    labelled: Callable[[AnswerSpec], bool],
    about: Callable[[Bare, list[AnswerSpec]], AnswerSpec | None] | None = None,
) -> list[Bare]:
    """The statements of ``found`` that are about ``answer``, one of ``members`` (the answers of the
    part that such statements may state): by ``about`` (default: the words of the line), else in
    order when as many statements as answers still without one remain; all of them when ``answer``
    is the only member."""
    if answer not in members or not found:
        return []
    if len(members) == 1:
        return found
    decide = about or about_by_words
    owner: dict[int, AnswerSpec] = {}
    for i, b in enumerate(found):
        who = decide(b, members)
        if who is not None:
            owner[i] = who
    taken = {id(a) for a in owner.values()}
    free_answers = [a for a in members if id(a) not in taken and not labelled(a)]
    free_found = [i for i in range(len(found)) if i not in owner]
    if free_answers and len(free_found) == len(free_answers):
        owner.update(dict(zip(free_found, free_answers, strict=True)))
    return [found[i] for i in sorted(owner) if owner[i] is answer]


def _claim(answer: AnswerSpec, bare: Bare) -> Claim:
    return Claim(answer.id, bare.text, bare.value, bare.source, bare.block, bare=True)
