"""The regex prefilter of homework detection never skips a pattern that would match."""

from __future__ import annotations

import random
import re

import pytest

from grader.course.prefilter import ASCII_TWINS, lowered, may_match, required_runs


def test_ascii_twins_are_the_engines_own() -> None:
    """Every character outside ASCII that ``re.I`` matches against an ASCII letter is listed (all of
    Unicode is scanned, with a class and with an alternation of the letters)."""
    others = "".join(chr(cp) for cp in range(128, 0x110000) if not 0xD800 <= cp <= 0xDFFF)
    letters = "abcdefghijklmnopqrstuvwxyz"
    by_class = {m.group(0) for m in re.finditer(r"[a-z]", others, re.IGNORECASE)}
    by_branch = {m.group(0) for m in re.finditer("|".join(letters), others, re.IGNORECASE)}
    assert by_class == by_branch == set(ASCII_TWINS)


@pytest.mark.parametrize(
    ("pattern", "runs"),
    [
        (r"(?<!\w)Under[\s\-]+what(?!\w)", ("under", "what")),
        (r"(?<!\w)2[\s\-]*xT[\s\-]+A(?!\w)", ("2", "xt", "a")),
        (r"foo|bar", ()),
        (r"(?:foo)bar", ("foobar",)),
        (r"ϕ\(x\)\s*=\s*0", ("(x)", "=", "0")),
        (r"a?bc", ("bc",)),
        (r"[unclosed", ()),
    ],
)
def test_required_runs(pattern: str, runs: tuple[str, ...]) -> None:
    assert required_runs(pattern) == runs


def test_twin_characters_turn_the_filter_off() -> None:
    assert lowered("the \u212aelvin sign") is None
    assert may_match(r"kelvin", lowered("the \u212aelvin sign"))
    assert re.search(r"kelvin", "the \u212aelvin sign", re.I)


PATTERNS = [
    r"(?<!\w)shrinkage(?!\w)",
    r"(?<!\w)Perspective[\s\-‐‑–—_]+1(?!\w)",
    r"(?<!\w)over[\s\-]*determined(?!\w)",
    r"\bSKIP\b|\bconnection",
    r"ϕ\(x\)\s*=\s*0",
    r"(?i:Ab)c[de]+F",
    r"is\s+it",
]
ALPHABET = "abcdefkisuhrnpt ABCDEFKISUHRNPT-_()=0 1ϕİıſ\u212aΣσςé\n"


@pytest.mark.parametrize("pattern", PATTERNS)
def test_no_match_is_ever_skipped(pattern: str) -> None:
    """On random texts built from the patterns' own letters (and the twins), whenever the engine
    finds a match the filter lets the pattern run."""
    rng = random.Random(14)
    seeds = ["shrinkage", "Perspective 1", "over-determined", "SKIP", "ϕ(x) = 0", "abcdeF", "is it"]
    checked = found = 0
    for _ in range(3000):
        parts = [rng.choice(seeds) if rng.random() < 0.3 else rng.choice(ALPHABET) for _ in range(12)]
        text = "".join(parts)
        if rng.random() < 0.5:
            text = "".join(c.upper() if rng.random() < 0.5 else c for c in text)
        hit = re.search(pattern, text, re.IGNORECASE) is not None
        found += hit
        checked += 1
        if hit:
            assert may_match(pattern, lowered(text)), (pattern, text)
    assert found >= 20  # the texts did exercise matches
    assert checked == 3000


def test_filter_skips_patterns_that_cannot_match() -> None:
    low = lowered("A transcript about gradient descent only.")
    assert not may_match(r"(?<!\w)shrinkage(?!\w)", low)
    assert may_match(r"(?<!\w)gradient[\s\-]+descent(?!\w)", low)
