"""Free-text answers checked against the key ideas (and known misconceptions) of a rubric.

An :class:`Idea` is a sentence of the official answer plus regexes that recognise it in a
student's (or model's) prose. Matching runs over the text with Markdown and LaTeX stripped
(:func:`~grader.checkers.text_utils.plain_text`), case-insensitively, so rubric patterns are
written against plain words: ``sigma\\^2``, ``W_1``, ``(1)/(sigma^2)``.

Verdicts (a free-text judgement; the pipeline may turn a low-confidence one into needs_review):

* correct: every required idea found, no misconception, and the expected yes/no conclusion (if
  any) stated;
* partial: some ideas found (or all of them alongside a misconception), or the conclusion right
  but the argument missing ideas;
* incorrect: the wrong conclusion, or no idea found (a misconception only, or nothing).

``evidence`` holds ``found`` (quotes), ``missing`` (idea texts), ``misconceptions`` (idea texts),
and ``confidence: "low"`` when the text is too short to judge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from grader.checkers.text_utils import MAX_TEXT_CHARS, count_words, plain_text
from grader.errors import RubricError
from grader.models import ClaimVerdict
from grader.verdicts import CheckResult

__all__ = ["MIN_WORDS", "Idea", "check_concept", "detect_conclusion", "ideas_from_config"]

MIN_WORDS = 8
"""Below this many words a free-text answer is too short to judge with confidence."""

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
        patterns: regexes (case-insensitive, over plain text); the idea is found when any matches.
        required: whether a correct answer must contain it.
    """

    id: str
    text: str
    patterns: list[str] = field(default_factory=list)
    required: bool = True

    def find(self, plain: str) -> re.Match[str] | None:
        """The first match of any pattern in ``plain``, or None."""
        for pat in self.patterns:
            m = re.search(pat, plain, re.I)
            if m:
                return m
        return None


def ideas_from_config(items: list[dict[str, Any]]) -> list[Idea]:
    """Ideas from rubric YAML dicts ``{id, text, patterns, required}``; bad entries raise.

    Raises:
        RubricError: an entry without id or patterns, or with a pattern that does not compile.

    >>> ideas_from_config([{"id": "a", "text": "A", "patterns": ["fo+"]}])[0].required
    True
    """
    ideas: list[Idea] = []
    for n, item in enumerate(items or []):
        where = f"ideas[{n}]"
        if not isinstance(item, dict):
            raise RubricError("an idea must be a mapping with id, text and patterns", where)
        iid = str(item.get("id") or "").strip()
        if not iid:
            raise RubricError("an idea needs an id", where)
        where = f"ideas[{n}] ({iid})"
        pats = item.get("patterns")
        if isinstance(pats, str):
            pats = [pats]
        if not pats or not all(isinstance(p, str) and p for p in pats):
            raise RubricError("an idea needs a non-empty list of regex patterns", where)
        for p in pats:
            try:
                re.compile(p, re.I)
            except re.error as exc:
                raise RubricError(f"pattern {p!r} is not a valid regex: {exc}", where) from None
        ideas.append(
            Idea(
                id=iid,
                text=str(item.get("text") or iid),
                patterns=list(pats),
                required=bool(item.get("required", True)),
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


def _quote(plain: str, m: re.Match[str], width: int = 160) -> str:
    """The sentence around a match, trimmed to ``width`` characters."""
    start = max(plain.rfind(".", 0, m.start()), plain.rfind("\n", 0, m.start())) + 1
    ends = [i for i in (plain.find(".", m.end()), plain.find("\n", m.end())) if i != -1]
    end = min(ends) + 1 if ends else len(plain)
    sentence = plain[start:end].strip()
    if len(sentence) > width:
        lo = max(0, m.start() - start - width // 3)
        sentence = "…" + sentence[lo : lo + width].strip() + "…"
    return sentence


def check_concept(
    text: str,
    ideas: Sequence[Idea],
    misconceptions: Iterable[Idea] = (),
    *,
    conclusion: str | None = None,
) -> CheckResult:
    """Judge a free-text answer by the key ideas it contains (rules in the module docstring).

    >>> ideas = [Idea("one", "sigma = 1 minimises", [r"sigma\\s*=\\s*1"])]
    >>> check_concept("Yes: the minimum is at sigma = 1, so columns are orthonormal.", ideas,
    ...               conclusion="yes").verdict
    'correct'
    """
    plain = plain_text(text) if isinstance(text, str) else ""
    words = count_words(text) if isinstance(text, str) else 0
    found_quotes: list[str] = []
    found_ids: list[str] = []
    missing: list[Idea] = []
    for idea in ideas:
        m = idea.find(plain)
        if m:
            found_ids.append(idea.id)
            found_quotes.append(_quote(plain, m))
        elif idea.required:
            missing.append(idea)
    mis_found: list[Idea] = []
    mis_quotes: list[str] = []
    for mis in misconceptions:
        m = mis.find(plain)
        if m:
            mis_found.append(mis)
            mis_quotes.append(_quote(plain, m))
    said = detect_conclusion(text) if conclusion is not None else None
    evidence: dict[str, Any] = {
        "found": found_quotes,
        "found_ids": found_ids,
        "missing": [i.text for i in missing],
        "missing_ids": [i.id for i in missing],
        "misconceptions": [i.text for i in mis_found],
        "misconception_quotes": mis_quotes,
        "words": words,
    }
    if conclusion is not None:
        evidence["conclusion"] = said
        evidence["expected_conclusion"] = conclusion.lower()
    if words < MIN_WORDS:
        evidence["confidence"] = "low"
    n_req = sum(1 for i in ideas if i.required)
    summary = f"{n_req - len(missing)}/{n_req} key ideas"
    parts = [summary + (" (" + "; ".join(found_ids) + ")" if found_ids else "")]
    if missing:
        parts.append("missing: " + "; ".join(i.text for i in missing))
    if mis_found:
        parts.append("misconception: " + "; ".join(i.text for i in mis_found))
    interpreted = f"conclusion {said!r}; " if conclusion is not None else ""
    interpreted += f"ideas found: {', '.join(found_ids) or 'none'}"
    reference = "; ".join(i.text for i in ideas if i.required)
    if conclusion is not None:
        reference = f"{conclusion.lower()}: {reference}"

    def result(verdict: ClaimVerdict, lead: str) -> CheckResult:
        return CheckResult(verdict, interpreted, reference, lead + "; ".join(parts), evidence)

    if not plain.strip():
        return result("incorrect", "empty answer; ")
    if conclusion is not None and said is not None and said != conclusion.lower():
        return result("incorrect", f"concludes {said!r} where {conclusion.lower()!r} is expected; ")
    concl_ok = conclusion is None or said == conclusion.lower()
    if not missing and not mis_found and concl_ok:
        return result("correct", "")
    if found_ids or (conclusion is not None and concl_ok):
        lead = "" if concl_ok else "no clear yes/no conclusion; "
        return result("partial", lead)
    return result("incorrect", "")
