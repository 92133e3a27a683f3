"""Names of methods (or other named things) with their synonyms, from a rubric's vocabulary.

A claim such as "This recovers **Gradient Descent** (or SGD if using mini-batches)" names a method.
The rubric's ``vocabulary`` maps a canonical id to the phrases that name it (``gradient_descent:
[gradient descent, SGD, steepest descent]``); :func:`identify_names` finds every name of a text, and
:func:`check_name` decides whether the name a claim asserts is one of the accepted ids.

Matching is leftmost-longest over all ids, so "sign-based gradient descent" is ``sign_descent``
(when the vocabulary lists it) and not ``gradient_descent``. A name the vocabulary does not know is
never evidence that the answer is wrong: only another known name is.
"""

from __future__ import annotations

import re

from grader.checkers.text_utils import plain_text
from grader.phrases import PhraseItem, compile_phrase
from grader.verdicts import CheckResult

__all__ = ["Vocabulary", "asserted_name", "check_name", "identify_names"]

Vocabulary = dict[str, list[PhraseItem]]
"""Canonical id -> phrases naming it (plain, or ``{regex: ...}``)."""

# A name right after one of these words is mentioned, not asserted ("rather than Adam").
_NEGATION = re.compile(
    r"(?:\bnot(?:\s+(?:just|simply|plain|exactly|quite))?|\bunlike|\brather\s+than|\binstead\s+of|"
    r"\bas\s+opposed\s+to|\bnor|\bneither|\bvs\.?|\bversus)\s*(?:an?\s+|the\s+)?$",
    re.I,
)
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__", re.S)


def _spans(text: str, vocabulary: Vocabulary) -> list[tuple[int, int, str, str]]:
    """Leftmost-longest, non-overlapping (start, end, id, matched text) in ``text``."""
    hits = [
        (m.start(), m.end(), fam, m.group(0))
        for fam, items in vocabulary.items()
        for item in items
        for m in compile_phrase(item).finditer(text)
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


def identify_names(text: str, vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """Every name of ``vocabulary`` in ``text``, in order, as (id, matched text); longest match wins.

    >>> vocab = {"sign": ["signSGD", "sign-based gradient descent"], "gd": ["gradient descent", "SGD"]}
    >>> identify_names("SignSGD (sometimes called sign-based gradient descent), not SGD", vocab)
    [('sign', 'SignSGD'), ('sign', 'sign-based gradient descent'), ('gd', 'SGD')]
    """
    if not isinstance(text, str):
        return []
    plain = plain_text(text)
    return [(fam, matched) for _, _, fam, matched in _spans(plain, vocabulary)]


def _asserted_in(segment: str, vocabulary: Vocabulary) -> tuple[str, str] | None:
    """First name in ``segment`` that is not negated ("not Adam", "rather than SGD")."""
    plain = plain_text(segment)
    for start, _, fam, matched in _spans(plain, vocabulary):
        if not _NEGATION.search(plain[max(0, start - 40) : start]):
            return fam, matched
    return None


def asserted_name(claim: str, vocabulary: Vocabulary) -> tuple[str, str] | None:
    """The (id, matched text) a claim asserts: the first bold name, else the first name.

    Names right after a negation ("not", "rather than", "unlike") are skipped.

    >>> asserted_name("- **Optimizer:** This recovers **Gradient Descent** (or SGD)", {"gd": ["gradient descent"]})
    ('gd', 'Gradient Descent')
    """
    if not isinstance(claim, str):
        return None
    for m in _BOLD.finditer(claim):
        found = _asserted_in(m.group(1) or m.group(2) or "", vocabulary)
        if found is not None:
            return found
    return _asserted_in(claim, vocabulary)


def check_name(claim: str, accepted: list[str], vocabulary: Vocabulary, *, display: str) -> CheckResult:
    """Check the name a claim asserts against the accepted ids of ``vocabulary``.

    Correct when it is an accepted id; incorrect when it is another id of the vocabulary (a known,
    different name: positive evidence); unparseable when the claim names nothing the vocabulary knows.

    >>> vocab = {"gd": ["gradient descent", "SGD"], "adam": ["Adam"]}
    >>> check_name("This recovers **Gradient Descent** (or SGD)", ["gd"], vocab, display="GD").verdict
    'correct'
    >>> check_name("This is Adam", ["gd"], vocab, display="GD").verdict
    'incorrect'
    """
    fams = {a for a in accepted if a in vocabulary}
    found = asserted_name(claim, vocabulary)
    all_names = identify_names(claim, vocabulary)
    evidence: dict[str, object] = {
        "accepted": sorted(fams),
        "names": [{"family": f, "text": t} for f, t in all_names],
    }
    if found is None:
        return CheckResult(
            verdict="unparseable",
            interpreted=None,
            reference=display,
            explanation="the claim names nothing the rubric's vocabulary knows ("
            + ", ".join(sorted(vocabulary))
            + ")",
            evidence=evidence,
        )
    family, matched = found
    evidence["family"] = family
    evidence["matched"] = matched
    shown = family.replace("_", " ")
    if family in fams:
        return CheckResult(
            "correct", f"{matched} ({family})", display, f"{matched!r} is {shown}, as expected", evidence
        )
    return CheckResult(
        "incorrect",
        f"{matched} ({family})",
        display,
        f"{matched!r} is {shown}, but the expected answer is {display} ({', '.join(sorted(fams))})",
        evidence,
    )
