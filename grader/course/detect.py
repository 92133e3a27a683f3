"""Which homework does a transcript answer? From its content only, among every known homework.

Every homework's identifying text (question PDFs, rubric titles and phrases: see
:mod:`grader.course.profiles`) is cut into word 3-grams; each 3-gram weighs ``1 / df²`` where ``df``
is the number of homeworks that contain it (1 for a 3-gram of one homework only, 0 for one of every
homework), and 3-grams made of stopwords and one topic word ("during training", "of the loss") do
not count.
A transcript scores, per homework, the weight of the distinct 3-grams it shares with it: a pasted
question shares dozens, a model's restatement of the question several, and text about something
else only generic ones spread over many homeworks. Regular-expression ``identify`` entries of a
rubric count once per distinct matched text (so "AutoEncoder" and "autoencoder" are one match),
weighted by how specific its rarest word is across the homeworks.

The best homework is chosen when it scores at least :data:`MIN_SCORE` and :data:`MIN_RATIO` times
the runner-up; otherwise the answer is "none of these" (``homework=None``), with the reason. The
transcript's file name and post title are never read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from grader.course.model import Course
from grader.course.prefilter import lowered, may_match
from grader.course.profiles import HomeworkProfile, build_profiles
from grader.course.text import STOPWORDS, Shingle, shingles, topical, words
from grader.models import Transcript
from grader.rubric import Rubric

MIN_SCORE = 4.0
"""Least score (in 3-grams unique to one homework) for a homework to be chosen."""
MIN_RATIO = 2.0
"""How many times the runner-up's score the best homework must reach."""
_N = 3


@dataclass
class Detection:
    """The result of homework detection."""

    homework: str | None
    """The homework the transcript answers, or None for "none of these"."""
    scores: dict[str, float]
    """Score per homework (3-grams unique to one homework weigh 1)."""
    evidence: list[str] = field(default_factory=list)
    """The most identifying phrases the transcript shares with the chosen (or best) homework."""
    reason: str = ""
    """Why the homework was chosen, or why none was."""

    def ranked(self) -> list[tuple[str, float]]:
        """Homeworks by decreasing score."""
        return sorted(self.scores.items(), key=lambda kv: (-kv[1], kv[0]))


def transcript_text(transcript: Transcript) -> str:
    """All the text of a transcript, whatever its turn split (UI residue excluded)."""
    return "\n".join(b.text for t in transcript.turns for b in t.blocks if b.kind != "residue")


def _phrase_shingles(text: str) -> set[Shingle]:
    """Topical 3-grams of a text; a line of two topic words is its own n-gram."""
    out: set[Shingle] = set()
    for line in text.splitlines():
        toks = words(line)
        if len(toks) == 2 and topical(tuple(toks)):
            out.add(tuple(toks))  # a two-word phrase of two topic words ("teacher forcing")
    toks = words(text)
    out |= {g for g in shingles(toks, _N) if topical(g)}
    return out


def _weights(docs: dict[str, set[Shingle]]) -> dict[Shingle, float]:
    """Weight of each n-gram: ``1 / df²`` over the homeworks (0 when every homework has it)."""
    df: Counter[Shingle] = Counter(g for gs in docs.values() for g in gs)
    n = len(docs)
    return {g: 0.0 if (c == n and n > 1) else 1.0 / c**2 for g, c in df.items()}


class Detector:
    """Homework detection over a fixed set of profiles (build once, use for many transcripts)."""

    def __init__(self, profiles: list[HomeworkProfile], fallback: Detector | None = None) -> None:
        self.profiles = {p.homework: p for p in profiles}
        self.grams = {hw: _phrase_shingles(p.all_text()) for hw, p in self.profiles.items()}
        self.part_grams = {
            hw: {pid: _phrase_shingles(t) for pid, t in p.part_texts.items()}
            for hw, p in self.profiles.items()
        }
        self.weight = _weights(self.grams)
        vocab: dict[str, set[Shingle]] = {
            hw: {(w,) for w in words(p.all_text())} for hw, p in self.profiles.items()
        }
        self.word_weight = {g[0]: w for g, w in _weights(vocab).items()}
        self.fallback = fallback
        self._last: tuple[str, Detection] | None = None
        """The last text detected and its result: a transcript is detected twice in a row (its rubric
        is chosen, then its content checked against the rubric) and the profiles never change."""

    @classmethod
    def for_course(cls, rubrics: Iterable[Rubric] = (), course: Course | None = None) -> Detector:
        """The detector of every homework known from ``rubrics`` and the ``course``'s question files.

        When some homeworks have question text and others only rubric phrases, a transcript that the
        question text leaves undecided is tried again on the rubrics' phrases alone (a homework known
        by a few phrases cannot outscore one known by its whole question text on text about both).
        """
        rubrics = list(rubrics)
        profiles = build_profiles(rubrics, course)
        with_text = {p.homework for p in profiles if p.from_questions}
        phrase_only = [r for r in rubrics if r.id not in with_text]
        fallback = None
        if with_text and phrase_only:
            fallback = cls(build_profiles(rubrics))
        return cls(profiles, fallback)

    # ------------------------------------------------------------------ scoring

    def text_grams(self, text: str) -> set[Shingle]:
        """The n-grams of a transcript's text that profiles can share (1-, 2- and 3-grams)."""
        toks = words(text)
        out: set[Shingle] = set()
        for n in range(1, _N + 1):
            out |= shingles(toks, n)
        return out

    def _pattern_score(
        self, prof: HomeworkProfile, text: str, low: str | None = None
    ) -> tuple[float, list[str]]:
        """Weight of the patterns of ``prof`` the text matches (``low``: its :func:`lowered`, to
        skip the patterns that cannot match), and the matched words."""
        matched: dict[str, float] = {}
        for pattern in dict.fromkeys(prof.patterns):
            if not may_match(pattern, low):
                continue
            try:
                found = re.finditer(pattern, text, re.I)
                for m in found:
                    key = " ".join(words(m.group(0))) or m.group(0).lower()
                    if key in matched:
                        continue
                    specific = [self.word_weight.get(w, 1.0) for w in words(m.group(0)) if w not in STOPWORDS]
                    matched[key] = max(specific, default=0.0)
            except re.error:
                continue
        return sum(matched.values()), [k for k, v in matched.items() if v > 0]

    def score_text(self, text: str) -> tuple[dict[str, float], dict[str, list[Shingle]]]:
        """Score per homework of a text, and the shared n-grams per homework (most specific first)."""
        grams = self.text_grams(text)
        low = lowered(text)
        scores: dict[str, float] = {}
        shared: dict[str, list[Shingle]] = {}
        for hw, prof in self.profiles.items():
            common = sorted(grams & self.grams[hw], key=lambda g: (-self.weight.get(g, 0.0), g))
            pattern_score, _ = self._pattern_score(prof, text, low) if prof.patterns else (0.0, [])
            scores[hw] = round(sum(self.weight.get(g, 0.0) for g in common) + pattern_score, 3)
            shared[hw] = common
        return scores, shared

    def part_scores(self, text: str, homework: str) -> dict[str, float]:
        """Score of a text against each part of one homework (the weight of the shared 3-grams)."""
        grams = self.text_grams(text)
        out = {}
        for pid, pg in self.part_grams.get(homework, {}).items():
            out[pid] = round(sum(self.weight.get(g, 0.0) for g in grams & pg), 3)
        prof = self.profiles.get(homework)
        if prof is not None:
            low = lowered(text)
            for pid, pats in prof.part_patterns.items():
                hits = {
                    m.group(0).lower() for p in pats if may_match(p, low) for m in re.finditer(p, text, re.I)
                }
                out[pid] = out.get(pid, 0.0) + len(hits)
        return out

    def _parts_hit(self, shared: list[Shingle], homework: str) -> int:
        """How many parts (or the homework's own titles) the shared n-grams come from."""
        common = set(shared)
        parts = self.part_grams.get(homework, {})
        hit = sum(1 for grams in parts.values() if sum(self.weight.get(g, 0.0) for g in common & grams) >= 1)
        own = common - set().union(*parts.values()) if parts else common
        return hit + (1 if sum(self.weight.get(g, 0.0) for g in own) >= 1 else 0)

    # ------------------------------------------------------------------ decision

    def named(self, text: str) -> list[str]:
        """The homeworks whose own name ("HW2", "homework 2") the chat's text writes."""
        out = []
        low = lowered(text)
        for hw, prof in self.profiles.items():
            if any(may_match(p, low) and re.search(p, text, re.I) for p in prof.names):
                out.append(hw)
        return out

    def detect_text(self, text: str) -> Detection:
        """The homework a text answers, or none (see the module notes for the rule).

        A homework the chat names itself ("CS182 HW2, part (a)") gets :data:`MIN_SCORE` more, and the
        name counts as one passage, when it is the only homework named and the chat also shares some
        of its question text or phrases: a name alone (a mistaken title) decides nothing.
        """
        last = self._last
        if last is None or last[0] != text:
            last = self._last = (text, self._detect_text(text))
        found = last[1]  # a copy: callers may change what they are given
        return Detection(found.homework, dict(found.scores), list(found.evidence), found.reason)

    def _detect_text(self, text: str) -> Detection:
        scores, shared = self.score_text(text)
        names = self.named(text)
        named = names[0] if len(names) == 1 and scores.get(names[0], 0.0) > 0 else None
        if named is not None:
            scores[named] = round(scores[named] + MIN_SCORE, 3)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked:
            return Detection(None, {}, [], "no homework is known (no rubric and no question files)")
        found = self._decide(ranked, shared, scores, named)
        if found.homework is None and self.fallback is not None:
            again = self.fallback.detect_text(text)
            if again.homework is not None and not self.profiles[again.homework].from_questions:
                again.scores = {**scores, **{again.homework: again.scores[again.homework]}}
                again.reason += " (on the rubrics' phrases; the question text left it undecided)"
                return again
        return found

    def _decide(
        self,
        ranked: list[tuple[str, float]],
        shared: dict[str, list[Shingle]],
        scores: dict[str, float],
        named: str | None = None,
    ) -> Detection:
        best, score = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        evidence = [" ".join(g) for g in shared[best][:8]]
        if score < MIN_SCORE:
            return Detection(
                None,
                scores,
                evidence,
                f"no homework's question text or identifying phrases occur in the transcript "
                f"(best: {best}, score {score:g} < {MIN_SCORE:g})",
            )
        parts_hit = self._parts_hit(shared[best], best) + (1 if named == best else 0)
        if parts_hit < 2 and score < 2 * MIN_SCORE:
            return Detection(
                None,
                scores,
                evidence,
                f"only one passage of {best} occurs in the transcript (score {score:g} < {2 * MIN_SCORE:g})",
            )
        if second > 0 and score < MIN_RATIO * second:
            runner = ranked[1][0]
            return Detection(
                None,
                scores,
                evidence,
                f"the transcript matches {best} (score {score:g}) and {runner} (score {second:g}) "
                "too closely to choose",
            )
        return Detection(best, scores, evidence, f"shares {score:g} identifying phrases with {best}")

    def detect(self, transcript: Transcript) -> Detection:
        """The homework a transcript answers, from all of its text."""
        return self.detect_text(transcript_text(transcript))

    def fit_warning(self, transcript: Transcript, homework: str) -> str | None:
        """A warning when a transcript's content does not look like ``homework`` (None when it does)."""
        if homework not in self.profiles:
            return None
        found = self.detect(transcript)
        own = found.scores.get(homework, 0.0)
        if found.homework == homework:
            return None
        if found.homework is not None:
            return (
                f"the transcript's content does not look like {homework} (score {own:g}); it matches "
                f"{found.homework} (score {found.scores[found.homework]:g}: "
                f"{'; '.join(found.evidence[:3])})"
            )
        if own < MIN_SCORE:
            return (
                f"the transcript's content does not look like {homework}: it shares too little of the "
                f"homework's question text or identifying phrases (score {own:g} < {MIN_SCORE:g})"
            )
        return None


_CACHE: dict[tuple[object, ...], tuple[object, Detector]] = {}


def detector(rubrics: Iterable[Rubric] = (), course: Course | None = None) -> Detector:
    """The (cached) detector of the given rubrics and course question files."""
    rubrics = list(rubrics)
    key = (tuple(id(r) for r in rubrics), id(course))
    hit = _CACHE.get(key)
    if hit is None:
        if len(_CACHE) > 16:
            _CACHE.clear()
        # The cache keeps the objects alive, so that their ids cannot be reused while cached.
        hit = _CACHE[key] = ((rubrics, course), Detector.for_course(rubrics, course))
    return hit[1]


def content_warnings(
    transcript: Transcript, rubric: Rubric, rubrics: Iterable[Rubric], course: Course | None = None
) -> list[str]:
    """A warning (in a list, empty when none) when the transcript's content does not look like the
    homework it is graded as (a ``--homework`` forced on another homework's transcript)."""
    known = list(rubrics)
    if all(r.id != rubric.id for r in known):
        known.append(rubric)
    warning = detector(known, course).fit_warning(transcript, rubric.id)
    return [warning] if warning else []
