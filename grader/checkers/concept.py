"""Free-text answers judged by the key ideas (and known misconceptions) a rubric states.

An :class:`Idea` is a sentence a TA would write from the question or the lecture, with the term
sets and formulas that state it (:mod:`grader.checkers.meaning`: stemmed words, synonyms, math).
Verdicts, with the principle that ``incorrect`` needs positive evidence:

* correct: every required idea found (or ``need`` of the ideas, for "state one problem"), no
  misconception, and (when expected) the right yes/no;
* incorrect: the wrong yes/no conclusion, or a known misconception stated with no key idea;
* partial: at least half the required ideas found (or all of them beside a misconception), or a known
  incomplete answer (a misconception with ``credit: partial``) stated where the key ideas it stands in
  place of (``instead_of``) are missing;
* unparseable (a person must read it): an empty or very short text, or fewer than half the ideas
  recognised and no misconception: missing words are not evidence that the idea is missing.

``evidence`` holds ``found`` (the sentences), ``missing`` (idea texts), ``misconceptions`` and a
``confidence`` (high | medium | low).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from grader.checkers.meaning import Sentence, TermSet, case_sentences, sentences, term_sets
from grader.checkers.meaning import words as stemmed_words
from grader.checkers.stemming import stem
from grader.checkers.text_utils import MAX_TEXT_CHARS, count_words, plain_text
from grader.errors import RubricError
from grader.models import ClaimVerdict
from grader.verdicts import CheckResult

__all__ = ["MIN_WORDS", "Idea", "check_concept", "detect_conclusion", "ideas_from_config"]

MIN_WORDS = 8
"""Below this many words a free-text answer is too short to judge."""

_CONCLUSION = re.compile(
    r"(?:^|[.!?:]\s+|\n|\banswer\s+is\s+|\bconclusion\s*:?\s*)\s*[\"'*]*\s*(yes|no)\b\s*(?=[,.!:;—–\-]|$|\s+(?:it|the|this|there|we|a|because|since))",
    re.I | re.M,
)


@dataclass
class Idea:
    """One key idea (or misconception) of a free-text answer.

    Attributes:
        id: short stable id ("prefix_dependency").
        text: the idea in words, as shown in reports.
        sets: term sets; the idea is found when one matches a sentence.
        math: formulas (LaTeX) that state the idea; one equal to a formula of the answer finds it.
        required: whether a correct answer must contain it.
        origin: where the idea comes from (question, lecture, catalog...).
        credit: on a misconception, ``"partial"`` for a known incomplete answer (partial, never incorrect).
        instead_of: the ids of the key ideas a misconception stands in place of: it counts only while
            none of them is found (an answer that also states them is complete; "the code runs as it
            is" is false only for an answer that leaves out a change the code needs).
    """

    id: str
    text: str
    sets: list[TermSet] = field(default_factory=list)
    math: list[str] = field(default_factory=list)
    required: bool = True
    origin: str = ""
    credit: str | None = None
    instead_of: tuple[str, ...] = ()

    def find(self, sents: list[Sentence], formulas: list[str]) -> str | None:
        """The sentence (or formula) that states the idea, or None."""
        for ts in self.sets:
            hit = ts.find(sents)
            if hit is not None:
                return hit
        for form in self.math:
            for got in formulas:
                if any(_same_formula(form, side) for side in _stated_values(got)):
                    return got
        return None


_CHAIN_RELATIONS = ("=", "\\approx", "≈", "\\propto", "∝", "\\rightarrow", "\\to", "→")
"""The relations whose right side a formula states: a value, an approximation, a density up to its
normalising constant (``p(w) \\propto \\exp(-\\|w\\|^2/2)`` states the exponential), or a limit
(``w_r \\to (X^\\top X)^{-1} X^\\top y``)."""


def _stated_values(formula: str) -> list[str]:
    """What a formula of an answer states: itself, and each right-hand side of a chain
    (``y[n] = 2 - 2^{-n}`` states ``2 - 2^{-n}``, whatever its left side reads as; ``p(w | y) \\propto
    e^{-a}`` states ``e^{-a}``)."""
    from grader.latex import split_top_level

    chain = split_top_level(formula.strip().rstrip(".,;").strip(), _CHAIN_RELATIONS)
    sides = [formula] + [side for _, side in chain[1:] if side] if len(chain) > 1 else [formula]
    return sides + [part for side in sides for part in _parts(side)]


_MAX_PARTS = 6


def _parts(side: str) -> list[str]:
    """The top-level terms of a sum (each with its sign) or, for a product written with ``\\cdot`` /
    ``⋅``, its factors: what the side states piece by piece (a log posterior ``-\\frac{1}{2}\\|w\\|^2 -
    \\frac{1}{2\\lambda}\\|y - Xw\\|^2 + c`` states its prior's term; a posterior ``\\propto e^{-a} \\cdot
    e^{-b}`` states both densities). Norm bars count as brackets; [] when the side is one piece or has
    more than six.

    >>> _parts(r"-\\frac{1}{2}‖W‖^{2}-\\frac{1}{2λ}‖y-XW‖^{2}+const")
    ['-\\\\frac{1}{2}‖W‖^{2}', '-\\\\frac{1}{2λ}‖y-XW‖^{2}', '+const']
    >>> _parts(r"exp(-a)⋅exp(-b)")
    ['exp(-a)', 'exp(-b)']
    >>> _parts(r"x^{-1}")
    []
    """
    terms = _split_outside(side, ("+", "-"), keep=True)
    if len(terms) < 2:
        terms = _split_outside(side, ("\\cdot", "⋅", "·"), keep=False)
    return terms if 2 <= len(terms) <= _MAX_PARTS else []


def _split_outside(text: str, seps: tuple[str, ...], *, keep: bool) -> list[str]:
    """``text`` cut at ``seps`` outside brackets, braces and norm bars (``keep``: each piece keeps the
    separator that starts it, a sign); a separator right after an operator or at the start is no cut."""
    pieces: list[str] = []
    depth, start, i, bars = 0, 0, 0, 0
    while i < len(text):
        ch = text[i]
        if text.startswith("\\|", i) or ch == "‖":
            bars ^= 1
            i += 2 if ch == "\\" else 1
            continue
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth = max(0, depth - 1)
        elif depth == 0 and not bars:
            hit = next((s for s in seps if text.startswith(s, i)), None)
            before = text[:i].rstrip()
            if hit and before and before[-1] not in "^_=+-*/(,{\\" and not before.endswith(("\\cdot", "⋅")):
                pieces.append(text[start:i].strip())
                start = i if keep else i + len(hit)
                i += len(hit)
                continue
        i += 1
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def _same_formula(form: str, got: str) -> bool:
    from grader import mathx
    from grader.errors import BudgetExceeded, GraderError
    from grader.mathx.symbols import SymbolTable

    # value mode only: with undeclared symbols a scale mode accepts almost any formula
    try:
        return mathx.equiv(form, got, SymbolTable(), budget_s=1.5).verdict == "correct"
    except (GraderError, BudgetExceeded, ValueError, TypeError, ArithmeticError, RecursionError):
        return False


def ideas_from_config(items: list[dict[str, Any]]) -> list[Idea]:
    """Ideas from rubric dicts ``{id, text, from, match, math, required}``; bad entries raise.

    Raises:
        RubricError: an entry without id, or without term sets and formulas, or with a bad term set.

    >>> ideas_from_config([{"id": "a", "text": "A", "from": "question", "match": ["foo|bar + baz"]}])[0].required
    True
    """
    ideas: list[Idea] = []
    for n, item in enumerate(items or []):
        where = f"ideas[{n}]"
        if not isinstance(item, dict):
            raise RubricError("an idea must be a mapping with id, text, match", where)
        iid = str(item.get("id") or "").strip()
        if not iid:
            raise RubricError("an idea needs an id", where)
        where = f"ideas[{n}] ({iid})"
        match = item.get("match") or []
        math = [str(m) for m in item.get("math") or []]
        if isinstance(match, str):
            match = [match]
        if not match and not math:
            raise RubricError("an idea needs term sets (match) or formulas (math)", where)
        try:
            sets = term_sets(list(match))
        except ValueError as exc:
            raise RubricError(str(exc), where) from None
        ideas.append(
            Idea(
                id=iid,
                text=str(item.get("text") or iid),
                sets=sets,
                math=math,
                required=bool(item.get("required", True)),
                origin=str(item.get("from") or item.get("from_") or ""),
                credit=item.get("credit"),
                instead_of=tuple(str(x) for x in item.get("instead_of") or ()),
            )
        )
    return ideas


def detect_conclusion(text: str) -> str | None:
    """The yes/no the text concludes with ("Yes, ..." / "No, ..."), the last one stated; or None.

    >>> detect_conclusion("**Conclusion:** Yes, the solution has an inductive bias.")
    'yes'
    """
    plain = plain_text(text[:MAX_TEXT_CHARS]) if isinstance(text, str) else ""
    found = [m.group(1).lower() for m in _CONCLUSION.finditer(plain)]
    return found[-1] if found else None


def _formulas(text: str) -> list[str]:
    from grader.latex import math_segments

    return math_segments(text[:MAX_TEXT_CHARS])[:50]


_QUALIFIED = re.compile(
    r"\b(?:if|unless|when|whenever|depend\w*|but|however|although|though|only|may|might|could|can|"
    r"sometimes|either|whether|not|no|never|typically|usually|often)\b|\?",
    re.I,
)
"""Words that qualify a sentence (a condition, a contrast, a hedge, a negation): a misconception's words
in it may be those of a true, qualified statement."""

_EITHER = re.compile(r"([A-Za-z]+)\s*(?:/|\bor\b)\s*([A-Za-z]+)")
"""Two alternatives offered together: "left/right", "increases or decreases"."""


def _hedge(sent: Sentence, mis: Idea, ideas: Sequence[Idea]) -> bool:
    """Whether ``sent`` offers the misconception and a key idea as alternatives ("the elbow shifts
    left/right", "moves left or right"): a sentence that says both is no evidence of the misconception."""
    pairs = [(stem(a.lower()), stem(b.lower())) for a, b in _EITHER.findall(sent.text)]
    if not pairs:
        return False
    mis_terms = {w for ms in mis.sets for g in ms.groups for syn in g for w in syn}
    idea_terms = {w for idea in ideas for ts in idea.sets for g in ts.groups for syn in g for w in syn}
    return any(
        (a in mis_terms and b in idea_terms or b in mis_terms and a in idea_terms) and a != b
        for a, b in pairs
    )


def _completed(mis: Idea, ideas: Sequence[Idea], found: dict[str, str]) -> bool:
    """Whether an answer states a key idea that the incomplete answer ``mis`` stands in place of (its
    ``instead_of``; without it, whether every required idea is found): then it is not incomplete."""
    if mis.instead_of:
        return any(i in found for i in mis.instead_of)
    return all(i.id in found for i in ideas if i.required)


def check_concept(
    text: str,
    ideas: Sequence[Idea],
    misconceptions: Iterable[Idea] = (),
    *,
    conclusion: str | None = None,
    need: int | None = None,
) -> CheckResult:
    """Judge a free-text answer by the key ideas it states (rules in the module docstring).

    >>> from grader.checkers.meaning import TermSet
    >>> ideas = [Idea("one", "sigma = 1 minimises", [TermSet.parse("minimum + sigma + 1|one")])]
    >>> check_concept("Yes: the minimum of the penalty is at sigma = 1.", ideas, conclusion="yes").verdict
    'correct'
    """
    body = text if isinstance(text, str) else ""
    sents = sentences(body)
    formulas = _formulas(body)
    words = count_words(body)
    found: dict[str, str] = {}
    missing: list[Idea] = []
    # a key idea may be spread over a case's heading and its sentences; a misconception, which can make
    # an answer incorrect, must be stated in one sentence
    scoped = sents + case_sentences(body)
    for idea in ideas:
        hit = idea.find(scoped, formulas)
        if hit is not None:
            found[idea.id] = hit
        elif idea.required:
            missing.append(idea)
    wrong: dict[str, str] = {}
    short: dict[str, str] = {}  # known incomplete answers (credit: partial)
    for mis in misconceptions:
        if (mis.credit == "partial" or mis.instead_of) and _completed(mis, ideas, found):
            continue  # the key ideas it stands in place of are there: the answer is complete
        hit = mis.find([s for s in sents if not _hedge(s, mis, ideas)], formulas)
        if hit is not None:
            (short if mis.credit == "partial" else wrong)[mis.text] = hit
    # a misconception stated flat out: in a sentence that states no key idea and qualifies nothing
    plain = [
        text
        for text, hit in wrong.items()
        if hit not in found.values()
        and not _QUALIFIED.search(hit)
        and not any(i.find([Sentence(hit, tuple(stemmed_words(hit)))], []) for i in ideas)
    ]
    said = detect_conclusion(body) if conclusion is not None else None
    if need is not None:  # any `need` of the ideas make a complete answer
        required = list(ideas)
        enough = sum(1 for i in ideas if i.id in found) >= need
        missing = [] if enough else [i for i in ideas if i.id not in found]
        found_required = [i for i in required if i.id in found]
        share = min(1.0, len(found_required) / need)
    else:
        required = [i for i in ideas if i.required]
        found_required = [i for i in required if i.id in found]
        share = len(found_required) / len(required) if required else 1.0
    evidence: dict[str, Any] = {
        "found": list(found.values()),
        "found_ids": list(found),
        "missing": [i.text for i in missing],
        "missing_ids": [i.id for i in missing],
        "misconceptions": list(wrong),
        "misconception_quotes": list(wrong.values()),
        "incomplete": list(short),
        "plain_misconceptions": plain,
        "words": words,
        "ideas_recognised": f"{len(found_required)}/{need if need is not None else len(required)}",
    }
    if conclusion is not None:
        evidence["conclusion"] = said
        evidence["expected_conclusion"] = conclusion.lower()
    if need is not None:
        head = f"{len(found_required)} key idea(s) found, {need} needed"
    else:
        head = f"{len(found_required)}/{len(required)} key ideas"
    parts = [head + (f" ({'; '.join(found)})" if found else "")]
    if missing:
        parts.append("not recognised: " + "; ".join(i.text for i in missing))
    if wrong:
        parts.append("misconception: " + "; ".join(wrong))
    if short:
        parts.append("known incomplete answer: " + "; ".join(short))
    interpreted = (f"conclusion {said!r}; " if conclusion is not None else "") + (
        f"ideas found: {', '.join(found) or 'none'}"
    )
    reference = "; ".join(i.text for i in required)
    if need is not None:
        reference = f"any {need} of: {reference}"
    if conclusion is not None:
        reference = f"{conclusion.lower()}: {reference}"

    def result(verdict: ClaimVerdict, lead: str, confidence: str) -> CheckResult:
        evidence["confidence"] = confidence
        return CheckResult(verdict, interpreted, reference, lead + "; ".join(parts), evidence)

    if not body.strip():
        return result("unparseable", "empty answer; ", "low")
    if conclusion is not None and said is not None and said != conclusion.lower():
        return result("incorrect", f"concludes {said!r} where {conclusion.lower()!r} is expected; ", "high")
    concl_ok = conclusion is None or said == conclusion.lower()
    if not missing and not wrong and concl_ok:
        return result("correct", "", "high" if len(found) >= 2 or len(required) <= 1 else "medium")
    if wrong and not found_required:
        return result("incorrect", "states a known misconception and none of the key ideas; ", "medium")
    if short and not wrong:
        return result("partial", "states a known incomplete answer; ", "medium")
    if words < MIN_WORDS:
        return result("unparseable", "too short to judge; ", "low")
    if share >= 0.5 or (wrong and found_required):
        lead = "" if concl_ok else "no clear yes/no conclusion; "
        return result("partial", lead, "medium")
    return result(
        "unparseable",
        "too few key ideas recognised to judge (the words may differ from the rubric's); a person must read it; ",
        "low",
    )
