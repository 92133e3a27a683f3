"""Verdict marks, colour tones and small text formatters shared by every renderer.

One table decides how a verdict looks everywhere (HTML, Markdown, index, CSV), so a TA
sees the same ✓ / ✗ / ⚠ for the same verdict in every output.
"""

from __future__ import annotations

import json
from typing import Any

# Claim verdicts: only "correct" and "incorrect" are definite; everything else is amber
# so that "could not parse" or "ran out of time" never reads as a failure.
_MARKS: dict[str, str] = {
    "correct": "✓",
    "incorrect": "✗",
    "partial": "⚠",
    "unparseable": "⚠",
    "timeout": "⚠",
    "needs_review": "⚠",
    "unanswered": "–",
}

_TONES: dict[str, str] = {
    "correct": "good",
    "incorrect": "bad",
    "partial": "warn",
    "unparseable": "warn",
    "timeout": "warn",
    "needs_review": "warn",
    "unanswered": "none",
}


def verdict_mark(verdict: str) -> str:
    """The one-character mark for a claim or part verdict (``?`` for an unknown verdict).

    >>> verdict_mark("correct"), verdict_mark("timeout")
    ('✓', '⚠')
    """
    return _MARKS.get(verdict, "?")


def verdict_tone(verdict: str) -> str:
    """The colour tone of a verdict: ``good`` (green), ``bad`` (red), ``warn`` (amber) or ``none``."""
    return _TONES.get(verdict, "none")


def verdict_label(verdict: str) -> str:
    """The mark followed by the verdict in words, e.g. ``✗ incorrect`` or ``⚠ needs review``."""
    return f"{verdict_mark(verdict)} {verdict.replace('_', ' ')}"


def format_number(value: float) -> str:
    """A score without a useless ``.0``: ``2.0`` -> ``2``, ``1.5`` -> ``1.5``."""
    return f"{value:g}"


def format_points(score: float, max_score: float) -> str:
    """Points as ``score/max``, e.g. ``1.5/2``."""
    return f"{format_number(score)}/{format_number(max_score)}"


def _json(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return repr(value)


def format_value(value: Any) -> str:
    """An evidence value as compact text: strings as is, a mapping (a random instance) as
    ``name = value`` pairs, everything else as JSON.

    >>> format_value({"g": [1.0, -2.0], "alpha": 0.5})
    'alpha = 0.5; g = [1.0, -2.0]'
    """
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value:
        return "; ".join(
            f"{k} = {v if isinstance(v, str) else _json(v)}"
            for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))
        )
    return _json(value)


def one_line(text: str, limit: int = 240) -> str:
    """Collapse whitespace to single spaces and cut at ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def role_label(role: str, model: str | None) -> str:
    """The label of a turn: ``User``, ``Assistant (Gemini)``, ``System``, ``Tool``."""
    if role == "assistant":
        return f"Assistant ({model})" if model else "Assistant"
    return role.capitalize()


def audit_label(agrees: bool | None) -> str:
    """The audit mark of a student annotation against the grader ('' when not audited)."""
    if agrees is None:
        return ""
    return "✓ agrees with the grader" if agrees else "✗ disagrees with the grader"
