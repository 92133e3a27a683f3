"""Turn checked claims into per-answer outcomes, attempt verdicts and part points.

Rules (documented in the README's "How verdicts are computed"):

- An answer's outcome in an attempt comes from its final claims: all correct → correct; correct and
  incorrect together → ``inconsistent`` (half credit, flag ``inconsistent_final``); all incorrect →
  incorrect; partial → half credit; only unparseable/timeout → ``needs_review`` (no credit decided).
- An answer an attempt does not restate keeps its outcome from the previous attempt (the model's
  latest statement stands); in the first attempt it is unanswered.
- The attempt's credit fraction f (points-weighted) gives the verdict: f = 1 correct, f > 1/2 partial,
  otherwise incorrect; no answer stated at all → unanswered; any needs_review answer → needs_review.
- An answer of an attempted part that no claim states is no evidence: the verdict stands only when the
  stated answers decide it whatever the missing one is (e.g. two of three answers shown wrong →
  incorrect); otherwise needs_review, never incorrect for want of a claim.
- No rule gives credit for a flag: flags describe what is wrong, verdicts come from the checks.
- Confidence: the lowest of the part's answers (a check: high; a match by meaning: medium; a
  verdict a person must give: low).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.models import ClaimResult, Confidence, Flag, PartVerdict
from grader.rubric import PartSpec

CREDIT = {"correct": 1.0, "partial": 0.5, "inconsistent": 0.5, "incorrect": 0.0, "unanswered": 0.0}


@dataclass
class AnswerOutcome:
    """What one attempt establishes for one answer."""

    answer: str
    outcome: str  # correct | partial | inconsistent | incorrect | unanswered | needs_review
    claims: list[ClaimResult] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    carried: bool = False
    confidence: Confidence = "high"


_ORDER: dict[str, int] = {"high": 2, "medium": 1, "low": 0}


def lowest(confidences: list[Confidence]) -> Confidence:
    """The lowest of some confidences (high when there are none)."""
    return min(confidences, key=lambda c: _ORDER[c], default="high")


def claim_confidence(claims: list[ClaimResult]) -> Confidence:
    """An outcome's confidence from its claims' evidence (``confidence`` key; high by default)."""
    found: list[Confidence] = []
    for c in claims:
        conf = (
            str(c.evidence.get("confidence", "high"))
            if c.verdict not in ("unparseable", "timeout")
            else "low"
        )
        found.append("high" if conf == "high" else "low" if conf == "low" else "medium")
    return lowest(found)


def outcome_of(claims: list[ClaimResult]) -> str:
    """Combine the verdicts of an answer's final claims into one outcome."""
    verdicts = {c.verdict for c in claims}
    definite = verdicts - {"unparseable", "timeout"}
    if not definite:
        return "needs_review" if verdicts else "unanswered"
    if definite == {"correct"}:
        return "correct"
    if "correct" in definite and "incorrect" in definite:
        return "inconsistent"
    if "partial" in definite or ("correct" in definite):
        return "partial"
    return "incorrect"


def credit_fraction(
    part: PartSpec, outcomes: dict[str, AnswerOutcome], missing_as: str = "unanswered"
) -> float:
    """Points-weighted credit of the outcomes (0..1); an answer with no outcome counts as ``missing_as``."""
    total = sum(a.points for a in part.answers) or 1.0
    got = sum(
        a.points * CREDIT.get(outcomes[a.id].outcome if a.id in outcomes else missing_as, 0.0)
        for a in part.answers
    )
    return got / total


def missing_answers(part: PartSpec, outcomes: dict[str, AnswerOutcome]) -> list[str]:
    """Answers of the part for which the attempt states nothing that was found."""
    return [a.id for a in part.answers if a.id not in outcomes or outcomes[a.id].outcome == "unanswered"]


def _verdict_of(f: float, outcomes: list[str]) -> PartVerdict:
    if f >= 1.0 - 1e-9:
        return "correct"
    if f > 0.5 + 1e-9:
        return "partial"
    # Half the credit is partial only when no answer is outright wrong (one partial answer of a
    # one-answer part); half right and half wrong is incorrect.
    if f > 0.5 - 1e-9 and all(o not in ("incorrect", "unanswered") for o in outcomes):
        return "partial"
    return "incorrect"


def attempt_verdict(part: PartSpec, outcomes: dict[str, AnswerOutcome]) -> PartVerdict:
    """The verdict of an attempt from its answers' outcomes.

    An answer of an attempted part that no claim states (not found, or not extractable) is no evidence
    either way: the verdict is what the stated answers establish whatever the missing ones turn out to
    be (the same with the missing ones right and wrong), else ``needs_review``.
    """
    states = [o.outcome for o in outcomes.values()]
    if not states or all(s == "unanswered" for s in states):
        return "unanswered"
    if any(s == "needs_review" for s in states):
        return "needs_review"
    stated = [o.outcome for o in outcomes.values() if o.outcome != "unanswered"]
    if not missing_answers(part, outcomes):
        return _verdict_of(credit_fraction(part, outcomes), stated)
    best = _verdict_of(credit_fraction(part, outcomes, "correct"), stated)
    worst = _verdict_of(credit_fraction(part, outcomes, "incorrect"), [*stated, "incorrect"])
    return best if best == worst else "needs_review"


def part_score(part: PartSpec, outcomes: dict[str, AnswerOutcome], verdict: PartVerdict) -> float:
    """Points for the final attempt (needs_review and unanswered score 0 until a human decides)."""
    if verdict in ("needs_review", "unanswered"):
        return 0.0
    return round(part.points * credit_fraction(part, outcomes), 3)


def part_confidence(verdict: PartVerdict, outcomes: dict[str, AnswerOutcome]) -> Confidence:
    """The confidence of a part's final verdict."""
    if verdict == "needs_review":
        return "low"
    if verdict == "unanswered":
        return "high"
    return lowest([o.confidence for o in outcomes.values()])


def reason(part: PartSpec, outcomes: dict[str, AnswerOutcome], verdict: PartVerdict) -> str:
    """One line that says why the final verdict is what it is."""
    bad = [o for o in outcomes.values() if o.outcome not in ("correct",)]
    if verdict == "correct":
        return "all answers match the reference"
    if not outcomes:
        if verdict == "needs_review":
            return "a final value is stated, but not which of the part's answers it is; a person must read it"
        return "no answer stated"
    pieces = [f"{aid}: not found in the answer" for aid in missing_answers(part, outcomes)]
    for o in bad:
        if o.outcome == "inconsistent":
            said = "; ".join(
                f"the {c.source or 'text'} says {c.interpreted or c.text} ({c.verdict})" for c in o.claims
            )
            pieces.append(f"{o.answer}: two different final answers: {said}")
            continue
        wrong = [c for c in o.claims if c.verdict == "incorrect" and c.explanation]
        other = [c for c in o.claims if c.verdict != "correct" and c.explanation]
        expl = (wrong or other)[0].explanation if (wrong or other) else ""
        pieces.append(f"{o.answer}: {o.outcome}" + (f" ({expl})" if expl else ""))
    return "; ".join(pieces)[:400]
