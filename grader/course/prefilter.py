"""A cheap test that a case-insensitive regular expression cannot match a text, to skip the scan.

Homework detection runs every rubric's identifying patterns (``(?<!\\w)overdetermined(?!\\w)``) over
the whole transcript with ``re.I``. Python's regex engine cannot skip ahead for such a pattern (it
starts with a look-behind, and a case-insensitive letter has no fast prefix), so each one costs a
full scan of the text; most find nothing.

Every match of a pattern contains the ASCII letters of each run of literal characters in the
pattern's top-level sequence (``Under`` in ``(?<!\\w)Under[\\s-]+what``), in some case. When the
lower-cased text does not contain a run, the pattern cannot match and the scan is skipped. The test
never says "cannot" where the engine would find a match: under ``re.I`` an ASCII letter matches
only itself in either case, and the four non-ASCII characters that the engine folds onto an ASCII
letter (:data:`ASCII_TWINS`); a text holding one of those is always scanned.
"""

from __future__ import annotations

import re
from functools import lru_cache

ASCII_TWINS = frozenset("\u0130\u0131\u017f\u212a")
"""``İ ı ſ K``: the characters outside ASCII that ``re.I`` treats as an ASCII letter (``İ`` and the
Kelvin sign lower-case to ``i`` and ``k``; ``ı`` and ``ſ`` are the engine's extra cases of ``i`` and
``s``). ``tests/course/test_prefilter.py`` checks this against the engine's own tables."""


def lowered(text: str) -> str | None:
    """The text for :func:`may_match` (lower-cased), or None when it holds an :data:`ASCII_TWINS`
    character (then every pattern must be run)."""
    if any(c in text for c in ASCII_TWINS):
        return None
    return text.lower()


@lru_cache(maxsize=2048)
def required_runs(pattern: str) -> tuple[str, ...]:
    """Lower-cased runs of ASCII literal characters that every match of ``pattern`` (with ``re.I``)
    contains; empty when none is known (a top-level alternative, a pattern that does not parse).

    >>> required_runs(r"(?<!\\w)Under[\\s\\-]+what(?!\\w)")
    ('under', 'what')
    >>> required_runs(r"foo|bar")
    ()
    """
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern, re.IGNORECASE)
        literal = _constants.LITERAL
    except Exception:  # noqa: BLE001 - an invalid pattern, or another Python: no shortcut
        return ()
    runs: list[str] = []
    run: list[str] = []
    for op, av in list(parsed.data) + [(None, None)]:
        if op is literal and isinstance(av, int) and av < 128:
            run.append(chr(av))
            continue
        if run:
            runs.append("".join(run).lower())
            run = []
    return tuple(runs)


def may_match(pattern: str, low: str | None) -> bool:
    """False only when ``pattern`` (with ``re.I``) cannot match the text that ``low`` is
    :func:`lowered` from; True when it may (the caller then runs it).

    >>> may_match(r"(?<!\\w)shrinkage(?!\\w)", lowered("No SHRINKAGE here"))
    True
    >>> may_match(r"(?<!\\w)shrinkage(?!\\w)", lowered("nothing of the kind"))
    False
    """
    if low is None:
        return True
    return all(run in low for run in required_runs(pattern))
