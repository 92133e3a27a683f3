"""Attach each student annotation to the part it comments on, and audit it against the grader.

The stance of an annotation is read from its words ("correct answer", "one-shot" are positive;
"hallucinated", "wrong", "did not" are negative; both → mixed). An annotation agrees with the grader
when a positive note sits on a part whose verdict is correct, a negative one on a part that is not,
and a mixed one on a part judged partial (or a part whose first and final verdicts differ).
"""

from __future__ import annotations

import re

from grader.align import Alignment
from grader.checkers.meaning import Sentence, sentences, term_sets
from grader.models import AnnotationNote, PartResult, Report, Transcript
from grader.phrases import compile_phrase

_POSITIVE = re.compile(
    r"\bcorrect\b|\bright\b|one-?shot|successfully|\bgood\b|properly|perfectly|\baccurate\b|\bmatch(?:es|ed)?\b"
    r"|\bconnect\b|effective|useful|was able to|\bclean",
    re.I,
)
_NEGATIVE = re.compile(
    r"\bwrong\b|\bincorrect\b|hallucinat|did ?n[o']t|does ?n[o']t|not align|struggl|mistake|missing|\bfail"
    r"|unable|not sure|never|incomplete|over-?complicated|needed to be prompted|typo",
    re.I,
)


_NEGATED = re.compile(
    r"\b(?:did ?n[o'’]t|does ?n[o'’]t|do ?n[o'’]t|is ?n[o'’]t|was ?n[o'’]t|not|never|no longer|hardly)"
    r"\s+(?:\w+\s+){0,2}?(?:match\w*|correct\w*|right|accurate\w*|good|properly|align\w*)\b",
    re.I,
)


def stance(text: str) -> str:
    """positive | negative | mixed | neutral, from the annotation's words.

    Praise under a negation ("didn't match the staff solution", "not correct") counts as criticism.
    """
    negated = bool(_NEGATED.search(text))
    rest = _NEGATED.sub(" ", text)
    pos, neg = bool(_POSITIVE.search(rest)), bool(_NEGATIVE.search(rest)) or negated
    if pos and neg:
        return "mixed"
    return "positive" if pos else "negative" if neg else "neutral"


_STOP = set(
    "the a an and or of to in on for with that this it its is was are be as at by from not but did does "
    "have has had i my me we it's model answer answers problem question staff solution solutions".split()
)
_KIND_WORDS = {
    "choice": r"multiple[- ]choice|checkbox",
    "choices": r"multiple[- ]choice|checkbox",
    "quantity": r"training time|accurac|timing",
    "proof": r"\bproof\b|\bprove",
    "condition": r"optimality conditions",
}


def _bigrams(text: str) -> set[tuple[str, str]]:
    words = [
        w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and (len(w) > 2 or w[0].isdigit())
    ]
    return set(zip(words, words[1:], strict=False))


def _numbers(text: str) -> set[tuple[str, str]]:
    """Tokens that hold a digit ("3x", "341s", "94%"), as one-word 'phrases' (numbers identify well)."""
    return {("#", t) for t in re.findall(r"(?<![\w.])\d[\w.%]*", text.lower())}


def _distinctive_phrases(alignment: Alignment) -> dict[str, set[tuple[str, str]]]:
    """Per answered part, the word pairs and numbers of its answers that no other part's answers use."""
    texts = {}
    for pid, atts in alignment.attempts.items():
        if atts:
            body = " ".join(a.text() for a in atts)
            texts[pid] = _bigrams(body) | _numbers(body)
    return {pid: own - set().union(*(t for p, t in texts.items() if p != pid)) for pid, own in texts.items()}


def _content_scores(
    note: str, alignment: Alignment, phrases: dict[str, set[tuple[str, str]]]
) -> dict[str, float]:
    """How strongly the note's words point at each answered part: phrases it shares with that part's
    answers and with no other's, the part's identifying phrases, words for its kind of answer, and
    a word count for a part with a word limit."""
    grams = _bigrams(note)
    numbers = _numbers(note)
    scores: dict[str, float] = {}
    sents: list[Sentence] | None = None  # the note's sentences, read once when a part has ideas
    for pid, own in phrases.items():
        part = alignment.rubric.part(pid)
        score = 2.0 * len(grams & own) + 3.0 * len(numbers & own)
        score += 3.0 * sum(1 for pat in part.identify if compile_phrase(pat).search(note))
        kinds = {a.kind for a in part.answers}
        score += 4.0 * sum(1 for k in kinds if k in _KIND_WORDS and re.search(_KIND_WORDS[k], note, re.I))
        ideas = [i for a in part.answers for i in (*a.ideas, *a.misconceptions)]
        if ideas:
            if sents is None:
                sents = sentences(note)
            score += 3.0 * sum(1 for i in ideas if any(ts.find(sents) for ts in term_sets(i.match)))
        if part.word_limit and re.search(r"\b\d+\s*words\b|word limit", note, re.I):
            score += 4.0
        if score:
            scores[pid] = score
    return scores


def _part_at(
    alignment: Alignment, turn: int, block: int, note: str, phrases: dict[str, set[tuple[str, str]]]
) -> str | None:
    """The part a note comments on: by what it says when that is clear, else by where it sits
    (in the answer, or in the prompt just before it)."""
    positional: str | None = None
    best: tuple[int, str] | None = None
    for pid, attempts in alignment.attempts.items():
        for att in attempts:
            if att.turn == turn and any(bi == block for bi, _ in att.blocks):
                positional = pid
            dist = att.turn - turn
            score = dist if dist >= 0 else 2 * -dist + 1
            if best is None or score < best[0]:
                best = (score, pid)
    positional = positional or (best[1] if best else None)
    scores = _content_scores(note, alignment, phrases)
    if scores:
        top = max(scores.values())
        leaders = [pid for pid, sc in scores.items() if sc == top]
        if top >= 4.0 and positional not in leaders:
            # Notes moved by the PDF conversion still name what they are about; among equals, the
            # part answered nearest to where the note sits.
            def distance(pid: str) -> int:
                return min(abs(a.turn - turn) for a in alignment.attempts[pid])

            return min(leaders, key=distance)
    return positional


def agrees(note_stance: str, part: PartResult) -> bool | None:
    """Whether an annotation of the given stance agrees with the grader's verdicts on the part."""
    verdicts = {part.first, part.final}
    if note_stance == "neutral":
        return None
    if "needs_review" in verdicts:
        # no verdict to agree with; a criticism agrees with the problems the grader flagged
        return True if note_stance == "negative" and part.flags else None
    if note_stance == "positive":
        return part.final == "correct"
    if note_stance == "negative":
        return part.final != "correct" or part.first != "correct"
    return part.final == "partial" or part.first != part.final


def audit_annotations(transcript: Transcript, alignment: Alignment, report: Report) -> list[AnnotationNote]:
    """The transcript's annotations, each attached to a part and audited."""
    notes = []
    parts = {p.id: p for p in report.parts}
    phrases = _distinctive_phrases(alignment)
    for turn in transcript.turns:
        for bi, block in enumerate(turn.blocks):
            if block.kind != "annotation":
                continue
            pid = _part_at(alignment, turn.index, bi, block.text, phrases)
            st = stance(block.text)
            part = parts.get(pid) if pid else None
            notes.append(
                AnnotationNote(
                    turn=turn.index,
                    text=block.text,
                    part=pid,
                    stance=st,  # type: ignore[arg-type]
                    agrees=agrees(st, part) if part else None,
                )
            )
    return notes
