"""Short identifying phrases of a part: a few consecutive words of its own prose, the most specific.

Used to title the parts of a scaffolded rubric (``grader rubric new``): never the whole question
(the course's text is not copied into the project), at most :data:`MAX_WORDS` words, chosen where
the part's wording is most its own: the window whose word 3-grams are shared with the fewest other
parts.

>>> phrase = identifying_phrase("Consider the ReLU elbow update under SGD for a single unit.",
...                             lambda g: 1.0 if "elbow" in g else 0.0)
>>> phrase
'Consider the ReLU elbow update under SGD for'
"""

from __future__ import annotations

import re
from collections.abc import Callable

from grader.course.text import STOPWORDS, Shingle, normalize, topical

MAX_WORDS = 8
_RUN_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*(?:[ \t]+[A-Za-z][A-Za-z'’\-]*)*")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*")


def _runs(text: str) -> list[list[re.Match[str]]]:
    """Runs of words separated by spaces only (no math, punctuation or line break between them)."""
    out = []
    for run in _RUN_RE.finditer(text):
        toks = list(_WORD_RE.finditer(text, run.start(), run.end()))
        if len(toks) >= 2:
            out.append(toks)
    return out


def _norm(tok: str) -> str:
    return normalize(tok).strip("-'")


def identifying_phrase(text: str, weight: Callable[[Shingle], float], max_words: int = MAX_WORDS) -> str:
    """The most specific window of at most ``max_words`` consecutive words of ``text``'s prose.

    ``weight`` scores a lowercase word 3-gram (e.g. its IDF among the parts); a window scores the sum
    over its topical 3-grams. With no specific 3-gram, the first words of the first prose run that
    has two topic words. Empty when the text has no prose.
    """
    best: tuple[float, str] = (0.0, "")
    fallback = ""
    for toks in _runs(text):
        norm = [_norm(t.group(0)) for t in toks]
        for i in range(len(toks)):
            for j in range(min(len(toks), i + max_words), i + 1, -1):
                window = norm[i:j]
                if sum(1 for w in window if w not in STOPWORDS and len(w) > 1) < 2:
                    continue
                phrase = text[toks[i].start() : toks[j - 1].end()]
                if not fallback:
                    fallback = phrase
                grams = [tuple(window[k : k + 3]) for k in range(len(window) - 2)]
                score = sum(weight(g) for g in grams if topical(g))
                if score > best[0] + 1e-9:
                    best = (score, phrase)
                break  # longer windows from i score at least as much: only the longest counts
    return best[1] or fallback
