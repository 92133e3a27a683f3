"""Which parts of a homework does a message quote? Similarity with each part's question text.

A student who pastes "(b) What specific vector θ would the simplified version of Adam converge to
..." shares many word 3-grams with part (b)'s text in the question PDF, and few with (a)'s, although
both ask "what specific vector would ... converge to". Each 3-gram of a part weighs ``1 / df`` over
the homework's parts (a phrase of one part weighs 1, one shared by two parts 1/2); a part is quoted
when the message shares at least :data:`MIN_PART_SCORE` of weight with it and at least
:data:`RELATIVE` of the best part's weight (so a part that repeats its predecessor's setup is not
counted with it).
"""

from __future__ import annotations

from collections import Counter

from grader.course.model import QuestionSet
from grader.course.text import Shingle, shingles, topical, words

MIN_PART_SCORE = 3.0
"""Least shared weight (about three 3-grams of the part's own) for a part to count as quoted."""
RELATIVE = 0.35
"""Share of the best part's score another part needs to count as quoted as well."""


def _grams(text: str) -> set[Shingle]:
    return {g for g in shingles(words(text), 3) if topical(g)}


class PartMatcher:
    """Similarity of messages with the parts of one homework's question text."""

    def __init__(self, questions: QuestionSet) -> None:
        self.questions = questions
        self.grams = {p.id: _grams(p.text) for p in questions.parts()}
        df: Counter[Shingle] = Counter(g for gs in self.grams.values() for g in gs)
        self.weight = {g: 1.0 / c for g, c in df.items()}

    def scores(self, text: str) -> dict[str, float]:
        """Shared weight with each part (parts sharing nothing omitted)."""
        grams = _grams(text)
        out = {}
        for pid, pg in self.grams.items():
            common = grams & pg
            if common:
                out[pid] = round(sum(self.weight[g] for g in common), 3)
        return out

    def quoted(self, text: str) -> list[str]:
        """The parts whose question text ``text`` quotes, in the homework's order."""
        scores = self.scores(text)
        if not scores:
            return []
        best = max(scores.values())
        keep = {pid for pid, s in scores.items() if s >= MIN_PART_SCORE and s >= RELATIVE * best}
        return [p.id for p in self.questions.parts() if p.id in keep]

    def best_part(self, text: str, among: list[str] | None = None) -> str | None:
        """The one part ``text`` is most like (among ``among`` when given), if it clearly leads."""
        scores = self.scores(text)
        if among is not None:
            scores = {k: v for k, v in scores.items() if k in among}
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] < MIN_PART_SCORE:
            return None
        if len(ranked) > 1 and ranked[1][1] > 0.5 * ranked[0][1]:
            return None
        return ranked[0][0]
