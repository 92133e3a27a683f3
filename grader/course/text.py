"""Words and word n-grams ("shingles") for matching transcript text against question text.

Both sides are normalised the same way (NFKC, lowercase, curly quotes straightened, hyphenated line
breaks rejoined), and only words of two letters or more count: math read from a PDF's text layer is
unreliable, while the question's prose survives pasting, retyping and re-rendering.

>>> words("Let’s assume Euclidean distance is the norm")
["let's", 'assume', 'euclidean', 'distance', 'is', 'the', 'norm']
>>> sorted(shingles(["a1", "b2", "c3"], 2))
[('a1', 'b2'), ('b2', 'c3')]
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping

Shingle = tuple[str, ...]

_WORD_RE = re.compile(r"[a-z][a-z0-9]*(?:'[a-z]+)?")
_HYPHEN_BREAK_RE = re.compile(r"(?<=[a-z])-\s*\n\s*(?=[a-z])")
_LATEX_CMD_RE = re.compile(r"\\(?:[a-zA-Z]+|.)")

STOPWORDS = frozenset(
    """a an the and or of to in on for with by as at from is are was were be been being this that these
    those it its we you your our us they them their he she his her i me my what which who whom whose how
    why when where if then than so such not no do does did done can could would should will shall may
    might must have has had there here also just only very more most some any all each both either
    neither into onto over under about above below between after before during while let lets let's
    s t one two use used using given suppose assume consider show find write part question problem""".split()
)
"""Words that carry no topic: a phrase made only of them (and single letters) identifies nothing."""


def normalize(text: str) -> str:
    """Lowercase NFKC text with straight quotes and hyphenated line breaks rejoined."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00ad", "")
    text = _HYPHEN_BREAK_RE.sub("", text)
    return text.lower()


def words(text: str) -> list[str]:
    """The words of ``text`` (two characters or more, LaTeX commands dropped), in order."""
    text = _LATEX_CMD_RE.sub(" ", normalize(text))
    return [w for w in _WORD_RE.findall(text) if len(w) >= 2]


def content_words(tokens: Iterable[str]) -> list[str]:
    """``tokens`` without stopwords."""
    return [t for t in tokens if t not in STOPWORDS]


def shingles(tokens: list[str], n: int) -> set[Shingle]:
    """The distinct runs of ``n`` consecutive tokens."""
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def topical(shingle: Shingle) -> bool:
    """A shingle with at least two words that are not stopwords (so "during training" is not one)."""
    return sum(1 for w in shingle if w not in STOPWORDS) >= 2


def idf(document_sets: Mapping[str, set[Shingle]]) -> dict[Shingle, float]:
    """Inverse document frequency ``log(1 + N / df)`` minus ``log 2`` of every shingle.

    A shingle found in every document weighs ``log(1 + 1) - log 2 = 0``: text shared by all the
    homeworks ("Homework Process and Study Group") identifies none of them.
    """
    n = len(document_sets)
    df: Counter[Shingle] = Counter()
    for s in document_sets.values():
        df.update(s)
    return {g: math.log(1 + n / c) - math.log(2) for g, c in df.items()}
