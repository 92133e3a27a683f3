"""Find an idea in prose by meaning: stemmed words, synonyms, and formulas, sentence by sentence.

A rubric states a key idea as one or more *term sets*, each written ``"only|just + first|earlier|
previous + source|input|encoder"``: the groups separated by ``+`` must all occur in one sentence;
within a group, ``|`` separates synonyms (each a word or a phrase). Words are compared by their
stem (:func:`~grader.checkers.stemming.stem`), so "depends on the earlier inputs" meets
"depend | earlier | input". A term preceded by a negation ("not", "never", "cannot") does not count,
unless the term set itself is about a negation (one of its groups contains a negation word).
An idea may also give formulas (``math``): a formula of the answer equal to one of them, on random
instances, states the idea. A term set may be an explicit ``{regex: ...}`` (case-insensitive).

Example:
    >>> idea = TermSet.parse("only|just + first|earlier + source|input")
    >>> idea.find(sentences("The decoder can only use the earlier source words."))
    'The decoder can only use the earlier source words.'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from grader.checkers.stemming import stem
from grader.checkers.text_utils import MAX_TEXT_CHARS, plain_text
from grader.phrases import compile_phrase

__all__ = ["Sentence", "TermSet", "case_sentences", "sentences", "words"]

_TOKEN = re.compile(
    r"(?P<word>[A-Za-z]+(?:'[a-z]+)?)(?:(?:_\{?|(?=\d))(?P<sub>\d+|[A-Za-z]+)\}?)?"
    r"|(?P<num>\d+(?:\.\d+)?)|(?P<greek>[α-ωΑ-Ω])|(?P<arrow>→|⟶|->)"
)
_SCRIPTS = str.maketrans({**{c: f"^{i}" for i, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")},
                          **{c: f"_{i}" for i, c in enumerate("₀₁₂₃₄₅₆₇₈₉")}})  # fmt: skip
"""Unicode super- and subscript digits, written as LaTeX writes them (``N²`` is ``N^2``, ``W₂`` is ``W_2``)."""
_NEGATORS = frozenset({"not", "no", "never", "cannot", "can't", "don't", "doesn't", "isn't", "aren't",
                       "won't", "without", "neither", "nor", "n't", "nothing", "none"})  # fmt: skip
_SPLIT = re.compile(r"(?<=[.!?;])(?<!\.\.)\s+|\n+|(?<=:)\s+(?=[A-Z])")
"""Where a sentence ends: after ``.``, ``!``, ``?`` or ``;`` (not an ellipsis ``...``, which lists on:
``q_1^2, ..., q_D^2``), at a line break, or after a colon that a capital follows."""


def words(text: str) -> list[str]:
    """The stemmed words of a text, lower-cased; numbers and Greek letters are words, and a
    subscript is its own token (``W_2`` and ``W2`` are ``w, _2``: never the number 2; an unbraced
    subscript is a run of digits or of letters, so ``q_1q_2`` is ``q, _1, q, _2``; a subscript of three
    letters or more is a word of an identifier, so ``split_heads`` is ``split, head``, as a PDF's text
    layer, which drops underscores, writes it: "split heads"), and an arrow
    (``→``, ``->``, ``\\to``) is the word ``→`` ("w → 0": tends to 0). Letters are compared in their
    compatibility form (NFKC): the symbol variants ``ϕ ϵ ϑ`` are ``φ ε θ``, styled math letters
    (``𝑋``, ``𝜙``) plain ones, and ligatures (``ﬁ``) their letters.

    >>> words("Decoders depend on EARLIER inputs of W_2")
    ['decod', 'depend', 'on', 'earlier', 'input', 'of', 'w', '_2']
    """
    out = []
    for m in _TOKEN.finditer(unicodedata.normalize("NFKC", text.translate(_SCRIPTS))):
        if m.group("word"):
            low = m.group("word").lower()
            out.append(low if low in _NEGATORS else stem(low.replace("'s", "")))
            sub = m.group("sub")
            if sub and len(sub) >= 3 and sub.isalpha():
                out.append(stem(sub.lower()))  # an identifier's word (split_heads, d_model): see words()
            elif sub:
                out.append("_" + sub.lower())
        elif m.group("arrow"):
            out.append("→")
        else:
            out.append((m.group("num") or m.group("greek")).lower())
    return out


@dataclass(frozen=True)
class Sentence:
    """One sentence of an answer: its plain text and stemmed words."""

    text: str
    words: tuple[str, ...]


_WRAPPED = re.compile(r"(?<=[A-Za-z,])[ \t]*\n[ \t]*(?=[a-z])")
"""A line break inside a sentence (a PDF's text layer or a hard-wrapped paragraph breaks lines at the
page width): a word or comma at the end of the line, a lower-case word at the start of the next."""


def sentences(text: str) -> list[Sentence]:
    """The sentences of an answer (Markdown and LaTeX reduced to plain words first; lines wrapped
    inside a sentence joined again).

    >>> [s.text for s in sentences("Gradients cannot flow to\\nupdate the keys.\\nNext point")]
    ['Gradients cannot flow to update the keys.', 'Next point']
    """
    plain = plain_text(text[:MAX_TEXT_CHARS]) if isinstance(text, str) else ""
    plain = _WRAPPED.sub(" ", plain)
    return [Sentence(s.strip(), tuple(toks)) for s in _SPLIT.split(plain) if s.strip() and (toks := words(s))]


_CASE_HEAD = re.compile(
    r"^\W{0,3}(?:case|scenario|regime)\s*\(?(?:\d{1,2}|[ivx]{1,4}|[a-d])\)?\s*[:.)\-–—]", re.I
)
"""A line that opens one case of an answer ("Case 1: X is tall", "Scenario (ii) - small sigma")."""
_CASE_SPAN = 8
"""At most this many sentences after a case's heading belong to it."""


def case_sentences(text: str) -> list[Sentence]:
    """Each sentence of a case joined to the line that opens the case (:data:`_CASE_HEAD`).

    An answer that treats cases one by one names the case on its heading line and states the result in
    the sentences below it ("Case 1: the tall matrix" ... "This is the least squares solution."): the key
    idea "tall + least squares" is spread over sentences that the heading ties together. A case ends at
    the next case's heading, or after :data:`_CASE_SPAN` sentences.

    >>> [s.text for s in case_sentences("Case 1: X is tall\\nThen w tends to OLS.\\nCase 2: X is wide")]
    ['Case 1: X is tall Then w tends to OLS.']
    """
    plain = plain_text(text[:MAX_TEXT_CHARS]) if isinstance(text, str) else ""
    plain = _WRAPPED.sub(" ", plain)
    out: list[Sentence] = []
    head, left = "", 0
    for line in plain.splitlines():
        line = line.strip()
        if not line:
            continue
        if _CASE_HEAD.match(line):
            head, left = line, _CASE_SPAN
            continue
        for s in _SPLIT.split(line):
            if head and left > 0 and s.strip() and (toks := words(f"{head} {s}")):
                out.append(Sentence(f"{head} {s.strip()}", tuple(toks)))
                left -= 1
    return out


def _phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(words(phrase))


def _same_word(term: str, word: str) -> bool:
    """Whether the word ``word`` of a sentence is the word ``term`` of a term set. A one-letter subscript
    of the term also meets the bare letter, as a PDF's text layer, which drops underscores, writes it
    (``W_o`` is "W o", ``d_v`` is "d v"); a digit does not (``W 2`` may be a number).

    >>> _same_word("_o", "o"), _same_word("_o", "_o"), _same_word("_2", "2"), _same_word("o", "_o")
    (True, True, False, False)
    """
    return term == word or (len(term) == 2 and term[0] == "_" and term[1].isalpha() and word == term[1])


def _find(seq: tuple[str, ...], sent: tuple[str, ...]) -> list[int]:
    """Start positions of the word sequence ``seq`` in ``sent`` (words compared by :func:`_same_word`)."""
    n = len(seq)
    if not n:
        return []
    return [
        i
        for i in range(len(sent) - n + 1)
        if all(_same_word(t, w) for t, w in zip(seq, sent[i : i + n], strict=True))
    ]


@dataclass(frozen=True)
class TermSet:
    """Groups of synonyms that must all occur in one sentence (or an explicit regex)."""

    groups: tuple[tuple[tuple[str, ...], ...], ...]
    source: str
    regex: str | None = None

    @classmethod
    def parse(cls, item: str | dict[str, str]) -> TermSet:
        """A term set from the rubric: ``"a|b + c|d"`` or ``{"regex": ...}``.

        Raises:
            ValueError: an empty group, or an invalid regex.
        """
        if isinstance(item, dict):
            compile_phrase(item)  # validates
            return cls((), item["regex"], regex=item["regex"])
        groups = []
        for raw in item.split("+"):
            syns = tuple(w for w in (_phrase_words(s) for s in raw.split("|")) if w)
            if not syns:
                raise ValueError(f"empty term group in {item!r}")
            groups.append(syns)
        return cls(tuple(groups), item)

    @property
    def about_negation(self) -> bool:
        """Whether the set itself speaks of a negation ("cannot|not + see + rest")."""
        return any(w in _NEGATORS for g in self.groups for syn in g for w in syn)

    def _negated(self, sent: tuple[str, ...], at: int) -> bool:
        return any(w in _NEGATORS for w in sent[max(0, at - 2) : at])

    def matches(self, sent: Sentence) -> bool:
        """Whether every group has a synonym in the sentence (not negated)."""
        if self.regex is not None:
            return re.search(self.regex, sent.text, re.I) is not None
        for group in self.groups:
            hit = False
            for syn in group:
                for at in _find(syn, sent.words):
                    if self.about_negation or not self._negated(sent.words, at):
                        hit = True
                        break
                if hit:
                    break
            if not hit:
                return False
        return True

    def find(self, sents: list[Sentence]) -> str | None:
        """The first sentence the set matches (its text), or None."""
        return next((s.text for s in sents if self.matches(s)), None)


def term_sets(items: list[Any]) -> list[TermSet]:
    """Term sets from a rubric idea's ``match`` list."""
    return [TermSet.parse(i) for i in items]
