"""Quantities with units: parsing, the precision rule, and unsupported numbers."""

from __future__ import annotations

import pytest

from grader.checkers.quantity import (
    Fact,
    check_quantity,
    facts_from_text,
    parse_quantities,
    quantity_matches,
    unsupported_numbers,
)


@pytest.mark.parametrize(
    "text,value,unit,approx",
    [
        # --- times, converted to seconds by hand
        ("341 seconds", 341.0, "s", False),
        ("341s", 341.0, "s", False),
        (r"341\ \text{s}", 341.0, "s", False),
        ("~6 minutes", 360.0, "s", True),
        ("5.68 min", 340.8, "s", False),
        ("18 hours", 64800.0, "s", False),
        ("35 minutes", 2100.0, "s", False),
        ("about 2 hrs", 7200.0, "s", True),
        ("1,200 ms", 1.2, "s", False),
        # --- percentages as fractions
        ("94%", 0.94, "percent", False),
        (r"94\%", 0.94, "percent", False),
        ("roughly 76 percent", 0.76, "percent", True),
        # --- ratios
        ("3x speedup", 3.0, "ratio", False),
        ("3× faster", 3.0, "ratio", False),
        ("100-fold", 100.0, "ratio", False),
        ("2.5 times faster", 2.5, "ratio", False),
    ],
)
def test_parse_single_quantity(text: str, value: float, unit: str, approx: bool) -> None:
    (q,) = parse_quantities(text)
    assert q.value == pytest.approx(value)
    assert q.unit == unit
    assert q.approx is approx


@pytest.mark.parametrize(
    "text,expected",
    [
        # --- a restatement in parentheses
        ("**297 seconds (~5 minutes)**", [(297.0, "s", False, False), (300.0, "s", True, True)]),
        # --- "×10^15" is a power of ten, not a ratio; epochs are no unit we read
        ("5×10^15 FLOPs in 35 epochs", []),
        # --- two kinds in one line
        ("Baseline: 18 hours, 68%", [(64800.0, "s", False, False), (0.68, "percent", False, False)]),
    ],
)
def test_parse_several(text: str, expected: list[tuple[float, str, bool, bool]]) -> None:
    got = [(q.value, q.unit, q.approx, q.parenthesised) for q in parse_quantities(text)]
    assert got == expected


def test_parse_bare_numbers_only_on_request() -> None:
    assert parse_quantities("0.94") == []
    (q,) = parse_quantities("0.94", bare=True)
    assert (q.value, q.unit, q.decimals) == (0.94, "number", 2)


@pytest.mark.parametrize(
    "text,reference,matches",
    [
        # --- the reference rounds to the written value at its precision
        ("5.68 min", 341.0, True),  # 340.5 .. 341.1 s
        ("5.7 min", 341.0, True),  # 339 .. 345 s
        ("6 minutes", 341.0, True),  # 330 .. 390 s
        ("5.6 min", 341.0, False),  # 333 .. 339 s
        ("0.99", 0.990099, True),
        ("0.91", 0.9009, False),
    ],
)
def test_quantity_matches(text: str, reference: float, matches: bool) -> None:
    (q,) = parse_quantities(text, bare=True)
    assert quantity_matches(q, reference) is matches


@pytest.mark.parametrize(
    "claim,value,unit,verdict",
    [
        # --- benchmark claims (shared/bench/claims.jsonl c053-c061)
        ("341 seconds", 341.0, "s", "correct"),
        ("341s", 341.0, "s", "correct"),
        ("18 hours", 341.0, "s", "incorrect"),
        ("297 s", 341.0, "s", "incorrect"),
        ("94%", 0.94, "percent", "correct"),
        ("0.94", 0.94, "percent", "correct"),
        ("68%", 0.94, "percent", "incorrect"),
        ("297 seconds", 297.0, "s", "correct"),
        ("35 minutes", 297.0, "s", "incorrect"),
        # --- unit conversion at the written precision
        ("5.68 min", 341.0, "s", "correct"),
        ("4.95 minutes", 297.0, "s", "correct"),
        # --- coarse values: accepted when approximate or next to an exact value
        ("~6 minutes", 341.0, "s", "correct"),
        ("about 6 minutes", 341.0, "s", "correct"),
        ("341 seconds (~6 minutes)", 341.0, "s", "correct"),
        ("**297 seconds (~5 minutes)**", 297.0, "s", "correct"),
        ("6 minutes (341s)", 341.0, "s", "correct"),
        ("6 minutes", 341.0, "s", "partial"),
        ("5.7 min", 341.0, "s", "partial"),
        # --- approximate but wrong is still wrong
        ("~7 minutes", 341.0, "s", "incorrect"),
        # --- ratios and percents
        ("3x speedup", 3.0, "ratio", "correct"),
        ("3x speedup", 1.15, "ratio", "incorrect"),
        ("94.0%", 0.94, "percent", "correct"),
        ("93%", 0.94, "percent", "incorrect"),
        # --- another kind only (maybe the wrong line was read: no evidence), or nothing
        ("94%", 341.0, "s", "unparseable"),
        ("the baseline was slow", 341.0, "s", "unparseable"),
        ("", 341.0, "s", "unparseable"),
    ],
)
def test_check_quantity(claim: str, value: float, unit: str, verdict: str) -> None:
    result = check_quantity(claim, value, unit, display="ref")
    assert result.verdict == verdict
    assert result.reference == "ref"


def test_check_quantity_unknown_unit_is_unparseable() -> None:
    assert check_quantity("3 kg", 3.0, "kg", display="3 kg").verdict == "unparseable"


def test_check_quantity_explains_the_conversion() -> None:
    result = check_quantity("35 minutes", 297.0, "s", display="297 s")
    assert "2100 s" in result.explanation


# Written by us, in the words of the blog quoted in seed 002 (How to Train Your ResNet).
BLOG = (
    "The fastest single GPU entry reached 94% accuracy in under 6 minutes (341s). "
    "3/5 runs reach a final test accuracy of 94% in 356s. "
    "4/5 runs reach 94% final test accuracy in a time of 323s. "
    "We reduce training times more than 100-fold. "
    "This gives a new training time of 308s and finally 297s."
)


def test_facts_from_text() -> None:
    facts = facts_from_text(BLOG)
    times = sorted({f.value for f in facts if f.unit == "s"})
    assert times == [297.0, 308.0, 323.0, 341.0, 356.0, 360.0]
    assert {f.value for f in facts if f.unit == "percent"} == {0.94}
    assert {f.value for f in facts if f.unit == "ratio"} == {100.0}
    assert all(f.sentence for f in facts)


@pytest.mark.parametrize(
    "text,unsupported",
    [
        # --- seed 002, first answer to q4a: invented numbers
        (
            "~18 hours and ~68% on ImageNet; then ~35 minutes and ~76%",
            ["18 hours", "68%", "35 minutes", "76%"],
        ),
        # --- seed 002, first answer to q4c: a speed-up the blog never states
        ("they achieved a 3x speedup with minimal loss in accuracy", ["3x"]),
        # --- seed 002, final answer: everything is in the blog
        ("341 seconds (~6 minutes) at 94%; final 297 seconds (~5 minutes), 94%", []),
        # --- a ratio derivable from two times of the source (341 s / 297 s = 1.148)
        ("a 1.15x speed-up overall", []),
        # --- nothing numeric
        ("Mixed precision helps.", []),
    ],
)
def test_unsupported_numbers(text: str, unsupported: list[str]) -> None:
    facts = facts_from_text(BLOG)
    bad = unsupported_numbers(text, facts)
    assert [q.text for q, _ in bad] == unsupported
    assert all(why.startswith("no ") for _, why in bad)


def test_unsupported_numbers_reason_lists_the_source_values() -> None:
    facts = [Fact(341.0, "s", "in 341s"), Fact(0.94, "percent", "94%")]
    ((q, why),) = unsupported_numbers("18 hours", facts)
    assert q.value == 18 * 3600
    assert "341 s" in why


def test_unsupported_numbers_without_facts_of_that_kind() -> None:
    ((_, why),) = unsupported_numbers("a 3x speedup", [Fact(341.0, "s", "")])
    assert "no ratio at all" in why
