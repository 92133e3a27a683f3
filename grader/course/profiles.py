"""What identifies each homework: its question text (from the PDFs) and its rubric's phrases.

A :class:`HomeworkProfile` gathers, per part, the text that a transcript answering that part is
likely to repeat: the part's question text when the TA supplied the question PDFs, else the rubric's
part title and identifying phrases. Phrases are matched as word n-grams (see
:mod:`grader.course.text`); a rubric ``identify`` entry that is a real regular expression
(``nn\\.MSELoss``, ``\\bsos\\b``) is kept as a pattern and matched as one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from grader.course.model import Course, QuestionSet
from grader.course.text import content_words, words
from grader.phrases import PhraseItem, compile_phrase
from grader.rubric import Rubric

_REGEX_META_RE = re.compile(r"\\[a-zA-Z]|[\\\[\]{}()*+?|^$]|\.(?:[*+?{]|$)")


def is_literal(pattern: str) -> bool:
    """Is a rubric ``identify`` entry plain words (a phrase) rather than a regular expression?

    >>> is_literal("How to Train Your ResNet"), is_literal("nn\\\\.MSELoss"), is_literal("\\\\bsos\\\\b")
    (True, False, False)
    """
    return _REGEX_META_RE.search(pattern) is None


def literal_text(pattern: str) -> str | None:
    """The words of a pattern that is a phrase with escaped punctuation (``e\\.g\\.`` -> ``e.g.``),
    or None when it is a real regular expression."""
    unescaped = re.sub(r"\\([^a-zA-Z0-9])", r"\1", pattern)
    if is_literal(pattern):
        return pattern
    if re.fullmatch(r"(?:[^\\\[\]{}()*+?|^$]|\\[^a-zA-Z0-9])*", pattern):
        return unescaped
    return None


def _phrase(entry: PhraseItem) -> str | None:
    """The words of an ``identify`` entry to match as n-grams: a phrase with two topic words or more.

    An explicit regular expression (``{regex: ...}``), or a phrase of one topic word ("autoencoder",
    "during training"), is matched as a pattern instead, weighted by how specific its word is among
    the homeworks.
    """
    if not isinstance(entry, str):
        return None
    text = literal_text(entry)
    if text is None or len(content_words(words(text))) < 2:
        return None
    return text


def _pattern(entry: PhraseItem) -> str:
    """The regular expression an ``identify`` entry matches (a plain phrase as the rubric matches it)."""
    return compile_phrase(entry).pattern


@dataclass
class HomeworkProfile:
    """The identifying text of one homework."""

    homework: str
    part_texts: dict[str, str] = field(default_factory=dict)
    """Part id -> text a transcript answering the part would repeat (question text or rubric phrases)."""
    homework_text: str = ""
    """Text that identifies the homework as a whole (titles, preambles, the rubric's homework phrases)."""
    patterns: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    """Patterns of the homework's own name ("HW2", "homework 2"), as the chat may write it."""
    """Rubric ``identify`` entries that are regular expressions (homework and parts)."""
    part_patterns: dict[str, list[str]] = field(default_factory=dict)
    """Part id -> its regular-expression ``identify`` entries."""
    from_questions: bool = False
    """True when the text comes from the course's question PDF."""

    def all_text(self) -> str:
        """Every identifying text of the homework."""
        return "\n".join([self.homework_text, *self.part_texts.values()])


def profile_from_questions(qs: QuestionSet) -> HomeworkProfile:
    """The profile of a homework from its question PDF: each part's own text and context."""
    prof = HomeworkProfile(homework=qs.homework, from_questions=True)
    chunks = [qs.title]
    for q in qs.questions:
        chunks += [q.title, q.preamble]
        for p in q.parts:
            prof.part_texts[p.id] = "\n".join(x for x in (q.title, p.text) if x)
    prof.homework_text = "\n".join(c for c in chunks if c)
    return prof


def profile_from_rubric(rubric: Rubric) -> HomeworkProfile:
    """The profile of a homework from its rubric: title, part titles and identifying phrases."""
    prof = HomeworkProfile(homework=rubric.id)
    prof.names = [_pattern(n) for n in rubric.names]
    chunks = [rubric.title]
    for entry in rubric.identify:
        text = _phrase(entry)
        if text is None:
            prof.patterns.append(_pattern(entry))
        else:
            chunks.append(text)
    prof.homework_text = "\n".join(chunks)
    for part in rubric.parts:
        texts = [part.title]
        for entry in part.identify:
            text = _phrase(entry)
            if text is None:
                prof.part_patterns.setdefault(part.id, []).append(_pattern(entry))
                prof.patterns.append(_pattern(entry))
            else:
                texts.append(text)
        prof.part_texts[part.id] = "\n".join(t for t in texts if t)
    return prof


def merge(a: HomeworkProfile, b: HomeworkProfile) -> HomeworkProfile:
    """One profile of the same homework from two sources (question text and rubric)."""
    parts = dict(a.part_texts)
    for pid, text in b.part_texts.items():
        parts[pid] = f"{parts[pid]}\n{text}" if pid in parts else text
    patterns = {**a.part_patterns}
    for pid, pats in b.part_patterns.items():
        patterns[pid] = patterns.get(pid, []) + pats
    return HomeworkProfile(
        homework=a.homework,
        part_texts=parts,
        homework_text=f"{a.homework_text}\n{b.homework_text}",
        patterns=a.patterns + b.patterns,
        names=a.names + b.names,
        part_patterns=patterns,
        from_questions=a.from_questions or b.from_questions,
    )


def build_profiles(rubrics: Iterable[Rubric] = (), course: Course | None = None) -> list[HomeworkProfile]:
    """One profile per homework known from the rubrics or the course's question files."""
    out: dict[str, HomeworkProfile] = {}
    if course is not None:
        for hw, qs in course.homeworks.items():
            out[hw] = profile_from_questions(qs)
    for rubric in rubrics:
        prof = profile_from_rubric(rubric)
        out[rubric.id] = merge(out[rubric.id], prof) if rubric.id in out else prof
    return list(out.values())
