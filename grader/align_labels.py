"""Which parts a text names: part labels ("(b)", "1(a)", "b(ii)"), references ("problem 3b", "question 4",
"questions 1, 2 and 5", "now solve 2"), pasted question text and the rubric's identifying phrases.

Used by :mod:`grader.align` for user prompts (:func:`parts_in_text`, :func:`parts_asked`) and for the
headings of an answer (:func:`numbered_label`, :func:`match_labels`, :func:`references`). Pure text: nothing
here reads a transcript's structure.
"""

from __future__ import annotations

import re

from grader.course.model import roman_index
from grader.course.part_match import PartMatcher
from grader.rubric import PartSpec, Rubric

__all__ = [
    "LETTER",
    "NUMBERED_HEADING_RE",
    "REF_RE",
    "ROMAN",
    "explicit_refs",
    "labels_at_start",
    "match_labels",
    "numbered_label",
    "parts_asked",
    "parts_in_text",
    "reading_key",
    "references",
    "sublabels",
]

# Part labels of any homework: letters a-l, roman numerals i-x ("Problem 5(b)(iii)", "Q4 a)", "(ii)").
ROMAN = r"(?:ix|x|iv|v?i{1,3}|v)"
LETTER = r"[a-l]"
REF_RE = re.compile(
    rf"\b(?:problem|question|q|exercise)\s*(\d+)\s*(?:\(?\s*({LETTER})\s*\)?(?:\s*\(?\s*({ROMAN})\s*\))?)?(?![a-z0-9])",
    re.I,
)
NUMBERED_HEADING_RE = re.compile(r"^\s*#{1,6}\s*(\d+)\.\s+\S")
_LABELS_AT_START_RE = re.compile(
    rf"^\s*(?:[-*]\s*)?(?:#{{1,6}}\s*)?(?:\*\*)?(?:for\s+|part\s+)?((?:\(?\s*(?:{ROMAN}|{LETTER})\s*\)\s*)+)",
    re.I,
)
_SUBLABEL_RE = re.compile(rf"\(?\s*({ROMAN}|{LETTER})\s*\)", re.I)
_NUMBERED_LABEL_RE = re.compile(
    rf"^[-*>#\s]*(?:\*\*)?\s*(?:part\s+)?(\d{{1,2}})"
    rf"(?:\s*\.?\s*\(\s*({LETTER})\s*\)|(?-i:([a-l]))(?=[\s).:*]|$))(?:\s*\(\s*({ROMAN})\s*\)|\s?(?-i:({ROMAN}))(?=[.):]))?(?![a-z0-9])",
    re.I,
)
"""A part label with its question number in front: "1(a)", "### 1a", "**2.(b)(ii)**", "3(b)ii.": a
bare lower-case roman sub-label counts only right after the letter and before ".", ")" or ":"."""


def numbered_label(line: str) -> tuple[str, list[str]] | None:
    """(question, sub-labels) of a line that starts with a numbered part label, else None.

    >>> numbered_label("### 1(a) The mean"), numbered_label("**2b.** Variance"), numbered_label("1. Answer")
    (('1', ['a']), ('2', ['b']), None)
    >>> numbered_label("1(a)ii. The bound"), numbered_label("1(a) in the limit")
    (('1', ['a', 'ii']), ('1', ['a']))
    """
    m = _NUMBERED_LABEL_RE.match(line)
    if not m:
        return None
    roman = m.group(4) or m.group(5)
    labels = [(m.group(2) or m.group(3)).lower()] + ([roman.lower()] if roman else [])
    return m.group(1), labels


def sublabels(label: str) -> list[str]:
    """'b(i)' -> ['b', 'i']; 'a' -> ['a']; '' -> []."""
    return [x.lower() for x in re.findall(r"[a-z]+", label, re.I)]


def labels_at_start(line: str) -> list[str]:
    """The part labels a line opens with ("(b)(ii) ...", "**Part (c):**"), lower case; none for a label
    given a value ("(b) = d_model": a fill-in blank labelled like a part, answered inside a part).

    >>> labels_at_start("(b)(ii) Show that"), labels_at_start("(b) = d model")
    (['b', 'ii'], [])
    """
    m = _LABELS_AT_START_RE.match(line)
    if not m or line[m.end() :].lstrip(" *").startswith("="):
        return []
    return [x.lower() for x in _SUBLABEL_RE.findall(m.group(1))]


def match_labels(
    parts: list[PartSpec], labels: list[str], question: str | None, after: PartSpec | None = None
) -> list[PartSpec]:
    """Parts whose sub-labels end with ``labels`` (and whose question is ``question`` when given).

    A label several parts end with ("(i)": the letter part i, or the roman sub-part a(i), b(i)...) is
    the first of them from ``after`` (the part being answered) on in reading order, when there is one:
    answers follow the question's order, so "(i)" after "(h)" is part i, and "(ii)" after "(a)(i)"
    is a(ii).
    """
    out = []
    for p in parts:
        subs = sublabels(p.label)
        if question is not None and p.question != question:
            continue
        if labels and len(subs) >= len(labels) and subs[-len(labels) :] == labels:
            out.append(p)
    if len(out) > 1 and after is not None:
        exact = [p for p in out if sublabels(p.label) == labels]
        if len(exact) == 1 and len(labels) > 1:
            return exact
        later = [p for p in out if reading_key(p) >= reading_key(after)]
        if later:
            return [min(later, key=reading_key)]
    return out


def reading_key(part: PartSpec) -> tuple[int, int, int]:
    """Where a part comes in the question PDF: (question, letter, roman numeral), from its id
    (``q5i`` is the letter i; ``q5a_i`` the numeral i under a)."""
    m = re.fullmatch(r"q(\d+)([a-z])?(?:_([ivxl]+))?", part.id)
    if not m:
        return (0, 0, 0)
    letter = "abcdefghijklmnopqrstuvwxyz".find(m.group(2)) + 1 if m.group(2) else 0
    return (int(m.group(1)), letter, roman_index(m.group(3) or "") or 0)


_SHORT_REF_RE = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|great|thanks|now|next|then|and)\W+)*(?:please\s+)?"
    r"(?:solve|do|answer|try|continue\s+with|go\s+on\s+to|move\s+on\s+to|on\s+to|next\s+is)\s+"
    r"(?:the\s+)?(?:question\s+|problem\s+|q\s*|number\s+|#\s*)?(\d{1,2})"
    r"(?:\s*\.?\s*\(\s*([a-l])\s*\)|([a-l])(?![a-z0-9]))?(?![0-9])(?!\s*[.,]\d)",
    re.I,
)
"""A short follow-up that names a question by its number ("now solve 2", "do 3 next"), or one of its
parts ("solve 1(c)", "do 2b")."""

_REF_LIST_RE = re.compile(
    r"\b(?:questions|problems)\b[^.\n]{0,40}?((?:\d+\s*(?:,|and|&)\s*)+(?:and\s+)?\d+)\b", re.I
)


def explicit_refs(text: str, rubric: Rubric) -> list[PartSpec]:
    """Parts named by references like 'problem 3b', 'question 4', 'Q2(a)', 'questions 1, 2 and 5'."""
    return [p for p, _ in references(text, rubric)]


def references(text: str, rubric: Rubric) -> list[tuple[PartSpec, bool]]:
    """(part, whether it is named only through its whole question: 'problem 1', 'questions 1 and 2')."""
    out: list[tuple[PartSpec, bool]] = []
    for m in _REF_LIST_RE.finditer(text):
        numbers = set(re.findall(r"\d+", m.group(1)))
        out += [(p, True) for p in rubric.parts if p.question in numbers]
    short = _SHORT_REF_RE.match(text) if len(text.strip()) <= 80 else None
    if short:
        q, label = str(int(short.group(1))), (short.group(2) or short.group(3) or "").lower()
        out += [
            (p, not label)
            for p in rubric.parts
            if p.question == q and (not label or sublabels(p.label)[:1] == [label])
        ]
    for m in REF_RE.finditer(text):
        q, sub1, sub2 = m.group(1), m.group(2), m.group(3)
        for p in rubric.parts:
            subs = sublabels(p.label)
            if p.question != q:
                continue
            if sub1 and (not subs or subs[0] != sub1.lower()):
                continue
            if sub2 and (len(subs) < 2 or subs[1] != sub2.lower()):
                continue
            out.append((p, not sub1))
    return out


def _identified(text: str, rubric: Rubric) -> list[PartSpec]:
    return [p for p in rubric.parts if p.identified_in(text)]


def _question_context(text: str, parts: list[PartSpec], fallback: str | None) -> str | None:
    """The question a message is about: a numbered heading, else the most-named question, else fallback."""
    m = re.search(r"^\s*#{0,6}\s*(?:question\s*|problem\s*)?(\d+)\s*[.:]\s+\S", text, re.I | re.M)
    if m:
        return m.group(1)
    counts: dict[str, int] = {}
    for p in parts:
        counts[p.question] = counts.get(p.question, 0) + 1
    if counts:
        best = max(counts.values())
        tops = [q for q, c in counts.items() if c == best]
        return tops[0] if len(tops) == 1 or fallback not in tops else fallback
    return fallback


def _quoted(text: str, rubric: Rubric, matcher: PartMatcher | None) -> list[PartSpec]:
    """Rubric parts whose question text (from the question PDF) the message quotes."""
    if matcher is None:
        return []
    quoted = set(matcher.quoted(text))
    return [p for p in rubric.parts if p.id in quoted]


_PROSE_PART_RE = re.compile(
    rf"(?<!\w)(?<!from )(?<!in )(?<!of )(?<!using )(?<!see )parts?\s+"
    rf"((?:\(\s*(?:{LETTER}|{ROMAN})\s*\)\s*)+(?:(?:,|and|&)\s*(?:\(\s*(?:{LETTER}|{ROMAN})\s*\)\s*)+)*)",
    re.I,
)


def _prose_labels(text: str) -> list[list[str]]:
    """The labels a message names in prose ("answer part (c)", "parts (a) and (b)", "part (b)(ii)"), not
    those it refers back to ("from part (b)", "in part (a)")."""
    out: list[list[str]] = []
    for m in _PROSE_PART_RE.finditer(text):
        for group in re.split(r",|and|&", m.group(1)):
            labels = [x.lower() for x in _SUBLABEL_RE.findall(group)]
            if labels:
                out.append(labels)
    return out


def parts_in_text(
    text: str, rubric: Rubric, context_question: str | None = None, matcher: PartMatcher | None = None
) -> list[str]:
    """The part ids a user message asks about, in rubric order (empty when it names none).

    Sub-labels at the start of lines ("(b) Now, consider", "- (a) (4pts) ...", "for (ii) Show that",
    "1(a) ...") select parts within the message's question; otherwise explicit references ("problem
    3b", "question 4"), pasted question text (similar to a part's text in the question PDF, when
    ``matcher`` holds it) and each part's ``identify`` phrases decide.
    """
    return parts_asked(text, rubric, context_question, matcher)[0]


def parts_asked(
    text: str, rubric: Rubric, context_question: str | None = None, matcher: PartMatcher | None = None
) -> tuple[list[str], set[str]]:
    """:func:`parts_in_text`, and those of its parts that the message names only through their whole
    question ("solve problem 1": every part of question 1, none of them in particular)."""
    identified = _identified(text, rubric) + _quoted(text, rubric, matcher)
    refs = references(text, rubric)
    explicit = [p for p, _ in refs]
    named = {p.id for p in identified} | {p.id for p, whole in refs if not whole}
    for ln in text.splitlines():
        numbered = numbered_label(ln)
        if numbered is not None:
            hits = match_labels(rubric.parts, numbered[1], numbered[0])
            explicit += hits
            named |= {p.id for p in hits}
    line_labels = [lab for ln in text.splitlines() if (lab := labels_at_start(ln))]
    chosen: list[PartSpec] = []
    if line_labels:
        question = _question_context(text, explicit + identified, context_question)
        for labels in line_labels:
            hits = match_labels(rubric.parts, labels, question, chosen[-1] if chosen else None)
            chosen += hits
        named |= {p.id for p in chosen}
        if chosen:
            # An explicit reference to another question still counts ("(a) ... and also question 5").
            chosen += [p for p in explicit if p.question not in {c.question for c in chosen}]
    if not chosen:
        chosen = explicit + identified
    if not chosen:
        # "Now answer part (c)", "Then Part (d)": a part named in prose, within the question at hand
        question = _question_context(text, [], context_question)
        for labels in _prose_labels(text):
            hits = match_labels(rubric.parts, labels, question)
            if len({p.question for p in hits}) == 1:  # no question at hand: "part (a)" of which?
                chosen += [p for p in hits if p not in chosen]
        named |= {p.id for p in chosen}
    seen = {p.id for p in chosen}
    ids = [p.id for p in rubric.parts if p.id in seen]
    sizes = {q: sum(p.question == q for p in rubric.parts) for q in {p.question for p in rubric.parts}}
    broad = {p.id for p, whole in refs if whole and sizes[p.question] > 1} - named
    return ids, broad & seen
