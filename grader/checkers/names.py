"""Optimizer (and other method) names with their synonyms.

A claim such as "This recovers **Gradient Descent** (or SGD if using mini-batches)" names a
method; :func:`identify_names` maps every name in a text to a canonical family id, and
:func:`check_name` decides whether the name the claim asserts belongs to an accepted family.

Matching is leftmost-longest over all families, so "sign-based gradient descent" is
``sign_descent`` (not ``gradient_descent``) and "SGD with momentum" is ``momentum`` (not
``gradient_descent``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from grader.checkers.text_utils import plain_text
from grader.verdicts import CheckResult

__all__ = ["OPTIMIZER_FAMILIES", "asserted_name", "check_name", "identify_names"]

_SEP = r"[\s\-‐–]*"  # "sign-SGD", "sign SGD", "signSGD"
_GD = r"(?:stochastic\s+)?gradient\s+descent"

OPTIMIZER_FAMILIES: dict[str, tuple[str, ...]] = {
    "gradient_descent": (
        rf"(?:(?:vanilla|plain|standard|ordinary|simple|full{_SEP}batch|mini{_SEP}batch|batch)\s+)?{_GD}",
        r"\bS?GD\b",
        rf"\bmini{_SEP}batch\s+SGD\b",
        r"steepest\s+descent(?:\s+(?:with\s+respect\s+to|w\.r\.t\.?|under|in|for)\s+(?:the\s+)?"
        r"(?:euclidean|l_?2|ℓ_?2|2)(?:[\s-]+norm)?)?",
        r"euclidean\s+steepest\s+descent",
    ),
    "sign_descent": (
        rf"\bsign{_SEP}S?GD\b",
        r"\bsignum\b",
        rf"(?:adaptive\s+|scaled\s+)?sign(?:ed)?(?:{_SEP}based)?\s+(?:{_GD}|descent|SGD|method)",
        r"(?:adaptive\s+|scaled\s+)?sign\s+(?:of\s+(?:the\s+)?)?gradient\s+(?:descent|method|update)",
        r"steepest\s+descent\s+(?:with\s+respect\s+to|w\.r\.t\.?|under|in|for)\s+(?:the\s+)?"
        r"(?:l_?inf(?:inity|ty)?|ℓ_?∞|l_?∞|∞|max|infinity|sup)(?:[\s-]+norm)?",
    ),
    "adam": (r"\badam(?:w|ax)?\b",),
    "rmsprop": (rf"\brms{_SEP}prop\b",),
    "adagrad": (rf"\bada{_SEP}grad\b",),
    "momentum": (
        rf"(?:{_GD}|SGD|GD)\s+with\s+(?:nesterov\s+|polyak\s+|heavy{_SEP}ball\s+)?momentum",
        rf"(?:nesterov|polyak|heavy{_SEP}ball)(?:'s)?\s+(?:accelerated\s+)?(?:momentum|method|gradient)",
        r"\bheavy[\s-]*ball\b",
        rf"momentum\s+(?:SGD|GD|{_GD}|method)",
        r"\bmomentum\b",
    ),
    "newton": (
        r"newton(?:'s)?\s+method",
        rf"newton{_SEP}raphson",
        r"\bnewton\b",
    ),
    "normalized_gradient_descent": (
        rf"normali[sz]ed\s+(?:{_GD}|SGD|GD|gradient\s+method)",
        r"\bN(?:S)?GD\b",
    ),
    "coordinate_descent": (
        r"(?:(?:greedy|randomi[sz]ed|cyclic|block)\s+)?coordinate\s+(?:gradient\s+)?descent",
    ),
    "steepest_descent_l1": (
        r"steepest\s+descent\s+(?:with\s+respect\s+to|w\.r\.t\.?|under|in|for)\s+(?:the\s+)?"
        r"(?:l_?1|ℓ_?1|1)(?:[\s-]+norm)?",
        r"(?:l_?1|ℓ_?1)[\s-]+(?:norm\s+)?steepest\s+descent",
    ),
}
"""Canonical family id -> regexes (case-insensitive) naming a member of that family."""

# A name right after one of these words is mentioned, not asserted ("rather than Adam").
_NEGATION = re.compile(
    r"(?:\bnot(?:\s+(?:just|simply|plain|exactly|quite))?|\bunlike|\brather\s+than|\binstead\s+of|"
    r"\bas\s+opposed\s+to|\bnor|\bneither|\bvs\.?|\bversus)\s*(?:an?\s+|the\s+)?$",
    re.I,
)
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__", re.S)


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[str, re.Pattern[str]]]:
    return [(fam, re.compile(p, re.I)) for fam, pats in OPTIMIZER_FAMILIES.items() for p in pats]


def _spans(text: str) -> list[tuple[int, int, str, str]]:
    """Leftmost-longest, non-overlapping (start, end, family, matched text) in ``text``."""
    hits = [
        (m.start(), m.end(), fam, m.group(0))
        for fam, rx in _compiled()
        for m in rx.finditer(text)
        if m.end() > m.start()
    ]
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[tuple[int, int, str, str]] = []
    end = -1
    for h in hits:
        if h[0] >= end:
            out.append(h)
            end = h[1]
    return out


def identify_names(text: str) -> list[tuple[str, str]]:
    """Every method name in ``text``, in order, as (family id, matched text); longest match wins.

    >>> identify_names("SignSGD (sometimes called sign-based gradient descent), not SGD")
    [('sign_descent', 'SignSGD'), ('sign_descent', 'sign-based gradient descent'), ('gradient_descent', 'SGD')]
    """
    if not isinstance(text, str):
        return []
    plain = plain_text(text)
    return [(fam, matched) for _, _, fam, matched in _spans(plain)]


def _asserted_in(segment: str) -> tuple[str, str] | None:
    """First name in ``segment`` that is not negated ("not Adam", "rather than SGD")."""
    plain = plain_text(segment)
    for start, _, fam, matched in _spans(plain):
        if not _NEGATION.search(plain[max(0, start - 40) : start]):
            return fam, matched
    return None


def asserted_name(claim: str) -> tuple[str, str] | None:
    """The (family, matched text) a claim asserts: the first bold name, else the first name.

    Names right after a negation ("not", "rather than", "unlike") are skipped.

    >>> asserted_name("- **Standard Optimizer:** This recovers **Gradient Descent** (or SGD)")
    ('gradient_descent', 'Gradient Descent')
    """
    if not isinstance(claim, str):
        return None
    for m in _BOLD.finditer(claim):
        found = _asserted_in(m.group(1) or m.group(2) or "")
        if found is not None:
            return found
    return _asserted_in(claim)


def _accepted_families(accepted: list[str]) -> set[str]:
    """Accepted entries may be family ids or names ("sign descent (signSGD)")."""
    fams: set[str] = set()
    for item in accepted:
        if item in OPTIMIZER_FAMILIES:
            fams.add(item)
        else:
            fams.update(f for f, _ in identify_names(item))
    return fams


def check_name(claim: str, accepted: list[str], *, display: str) -> CheckResult:
    """Check the method name a claim asserts against the accepted families.

    The asserted name is the first bold one if any, else the first named (negated mentions
    skipped). ``accepted`` holds family ids or names; ``display`` is the reference as shown to
    the reader.

    >>> check_name("This recovers **Gradient Descent** (or SGD)", ["gradient_descent"],
    ...            display="gradient descent").verdict
    'correct'
    """
    fams = _accepted_families(list(accepted))
    found = asserted_name(claim)
    all_names = identify_names(claim)
    evidence: dict[str, object] = {
        "accepted": sorted(fams),
        "names": [{"family": f, "text": t} for f, t in all_names],
    }
    if found is None:
        return CheckResult(
            verdict="unparseable",
            interpreted=None,
            reference=display,
            explanation=(
                "the claim names no known method (known families: "
                + ", ".join(sorted(OPTIMIZER_FAMILIES))
                + ")"
            ),
            evidence=evidence,
        )
    family, matched = found
    evidence["family"] = family
    evidence["matched"] = matched
    if not fams:
        return CheckResult(
            verdict="unparseable",
            interpreted=f"{matched} ({family})",
            reference=display,
            explanation=f"the reference {display!r} names no known method family",
            evidence=evidence,
        )
    if family in fams:
        return CheckResult(
            verdict="correct",
            interpreted=f"{matched} ({family})",
            reference=display,
            explanation=f"{matched!r} is {family.replace('_', ' ')}, as expected",
            evidence=evidence,
        )
    return CheckResult(
        verdict="incorrect",
        interpreted=f"{matched} ({family})",
        reference=display,
        explanation=(
            f"{matched!r} is {family.replace('_', ' ')}, but the expected method is {display}"
            f" ({', '.join(sorted(fams))})"
        ),
        evidence=evidence,
    )
