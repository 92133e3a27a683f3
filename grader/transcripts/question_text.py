"""Words and runs of words copied from the course's question text (for :mod:`grader.transcripts.question_turns`).

The question text is indexed as word :data:`NGRAM`-grams (normalised for case, NFKC ligatures, curly quotes
and words hyphenated across a line break); a text's words covered by those n-grams form runs, short gaps
bridged. The question text is the course's (copyrighted) material, read at run time and kept in memory.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from grader.course.model import Course, QuestionSet
from grader.course.text import topical

NGRAM = 5
"""Words per shared n-gram. Five words of prose in a row (with two topic words, see :func:`grader.course.text.topical`)
are rarely shared by chance between a restatement and the question; shorter n-grams ("the gradient of
the loss") are the model's paraphrase vocabulary."""

MAX_GAP = 6
"""Words not covered by a shared n-gram that a run bridges: a formula whose glyphs were lost or read
as a few stray letters, a part label, a hyphenated word split differently on the two sides."""

_TOKEN = re.compile(r"[^\W\d_][\w'’]*", re.UNICODE)
_HYPHEN_BREAK = re.compile(r"-[ \t]*\n\s*$")


# --------------------------------------------------------------------------- words


@dataclass(frozen=True)
class Token:
    """A normalised word with its character span in the text it came from."""

    word: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """The words of ``text`` (two characters or more, LaTeX commands dropped), normalised for case,
    ligatures (NFKC), curly quotes and words hyphenated across a line break.

    >>> [t.word for t in tokens("The ﬁnal gener-\\nalization \\\\frac Let’s x")]
    ['the', 'final', 'generalization', "let's"]
    """
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        if start and text[start - 1] == "\\":
            continue  # a LaTeX command
        word = unicodedata.normalize("NFKC", m.group()).lower().replace("’", "'")
        if out and _HYPHEN_BREAK.search(text[out[-1].end : start]) and out[-1].end > out[-1].start:
            prev = out.pop()
            out.append(Token(prev.word + word, prev.start, end))
            continue
        out.append(Token(word, start, end))
    return [t for t in out if len(t.word) >= 2]


# --------------------------------------------------------------------------- question index


@dataclass
class QuestionIndex:
    """The word n-grams of every homework's question text, each with the part it comes from."""

    grams: dict[tuple[str, ...], set[tuple[str, str]]] = field(default_factory=dict)
    """n-gram -> {(homework, part or question id)}."""

    @classmethod
    def of(cls, course: Course | list[QuestionSet]) -> QuestionIndex:
        """The index of a course's question sets (or of a list of them)."""
        sets = list(course.homeworks.values()) if isinstance(course, Course) else list(course)
        index = cls()
        for qs in sets:
            stream: list[tuple[str, str]] = []  # the homework's words in reading order, with their unit
            for w in tokens(qs.title):
                stream.append((w.word, "title"))
            for q in qs.questions:
                for w in tokens(f"{q.title}\n{q.preamble}"):
                    stream.append((w.word, f"q{q.number}"))
                for p in q.parts:
                    for w in tokens(p.text):
                        stream.append((w.word, p.id))
            for i in range(len(stream) - NGRAM + 1):
                gram = tuple(w for w, _ in stream[i : i + NGRAM])
                if topical(gram):  # two topic words: "it is one of the" identifies nothing
                    # the unit of the n-gram's middle word names where the copy is from
                    index.grams.setdefault(gram, set()).add((qs.homework, stream[i + NGRAM // 2][1]))
        return index

    def __bool__(self) -> bool:
        return bool(self.grams)


_INDEX_CACHE: list[tuple[Any, QuestionIndex]] = []


def index_of(course: Course | list[QuestionSet]) -> QuestionIndex:
    """The (cached) index of ``course``: a batch grades many transcripts against one course."""
    for known, index in _INDEX_CACHE:
        if known is course:
            return index
    index = QuestionIndex.of(course)
    _INDEX_CACHE.insert(0, (course, index))
    del _INDEX_CACHE[4:]
    return index


# --------------------------------------------------------------------------- runs of copied words


@dataclass
class Run:
    """Consecutive words (short gaps bridged) of a word stream covered by n-grams of the question."""

    first: int
    last: int
    """Stream positions of the run's first and last covered words."""
    matched: int
    """Covered words in the run."""
    sources: Counter[tuple[str, str]]
    """(homework, part) -> shared n-grams."""


def runs(words: list[str], index: QuestionIndex, homework: str | None = None) -> list[Run]:
    """The runs of ``words`` copied from the question text (``homework``: that homework's only), in
    order: words covered by a shared :data:`NGRAM`-gram, joined across gaps of :data:`MAX_GAP` words."""
    covered = [False] * len(words)
    hits: list[list[tuple[str, str]]] = [[] for _ in words]
    for i in range(len(words) - NGRAM + 1):
        found = index.grams.get(tuple(words[i : i + NGRAM]))
        src = [x for x in found or () if homework is None or x[0] == homework]
        if src:
            covered[i : i + NGRAM] = [True] * NGRAM
            hits[i] += src
    out: list[Run] = []
    current: Run | None = None
    for k, c in enumerate(covered):
        if not c:
            continue
        if current is not None and k - current.last - 1 <= MAX_GAP:
            current.last = k
            current.matched += 1
        else:
            current = Run(k, k, 1, Counter())
            out.append(current)
        current.sources.update(hits[k])
    return out


__all__ = ["MAX_GAP", "NGRAM", "QuestionIndex", "Run", "Token", "index_of", "runs", "tokens"]
