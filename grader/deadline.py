"""A time budget for grading one transcript (cooperative: checks consult it before starting).

Every single check is already bounded (``grader.mathx.budget``); this bounds their sum, so that a
transcript with thousands of expensive formulas ends with ``timeout`` verdicts for what was left
instead of occupying a worker for an hour. Set ``GRADER_TRANSCRIPT_BUDGET_S`` to change the default.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

DEFAULT_BUDGET_S = 120.0

_deadline: ContextVar[float | None] = ContextVar("grader_transcript_deadline", default=None)
_total: ContextVar[float] = ContextVar("grader_transcript_budget", default=DEFAULT_BUDGET_S)


def default_budget() -> float:
    """The per-transcript budget in seconds (``GRADER_TRANSCRIPT_BUDGET_S``, default 120)."""
    try:
        return max(1.0, float(os.environ.get("GRADER_TRANSCRIPT_BUDGET_S", DEFAULT_BUDGET_S)))
    except ValueError:
        return DEFAULT_BUDGET_S


@contextmanager
def transcript_budget(seconds: float | None = None) -> Iterator[None]:
    """Grade the body within ``seconds`` (default :func:`default_budget`)."""
    total = default_budget() if seconds is None else seconds
    token = _deadline.set(time.monotonic() + total)
    token_total = _total.set(total)
    try:
        yield
    finally:
        _deadline.reset(token)
        _total.reset(token_total)


def out_of_time() -> bool:
    """Whether the current transcript's grading budget is spent."""
    deadline = _deadline.get()
    return deadline is not None and time.monotonic() > deadline


def reason() -> str:
    """The explanation given to checks skipped because the budget is spent."""
    return f"not checked: the grading budget for this transcript ({_total.get():g} s) ran out"
