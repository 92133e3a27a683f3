"""marks: one look per verdict, shared by every renderer."""

from __future__ import annotations

import pytest

from grader.reports.marks import (
    audit_label,
    format_points,
    format_value,
    one_line,
    role_label,
    verdict_label,
    verdict_mark,
    verdict_tone,
)


@pytest.mark.parametrize(
    "verdict,mark,tone",
    [
        # claim verdicts
        ("correct", "✓", "good"),
        ("incorrect", "✗", "bad"),
        ("partial", "⚠", "warn"),
        ("unparseable", "⚠", "warn"),
        ("timeout", "⚠", "warn"),
        # part-only verdicts
        ("needs_review", "⚠", "warn"),
        ("unanswered", "–", "none"),
        # unknown
        ("bogus", "?", "none"),
    ],
)
def test_marks_and_tones(verdict: str, mark: str, tone: str) -> None:
    assert (verdict_mark(verdict), verdict_tone(verdict)) == (mark, tone)


@pytest.mark.parametrize(
    "func,args,expected",
    [
        (verdict_label, ("needs_review",), "⚠ needs review"),
        (format_points, (2.0, 2.0), "2/2"),
        (format_points, (1.5, 4.0), "1.5/4"),
        (format_value, ("x",), "x"),
        (format_value, ([1.5, None],), "[1.5, null]"),
        # mappings (random instances) as name = value pairs, sorted, nested ones too
        (format_value, ({"b": 1, "a": [1.5]},), "a = [1.5]; b = 1"),
        (format_value, ({"x": {"y": 2}},), 'x = {"y": 2}'),
        (format_value, ({},), "{}"),
        (one_line, ("a\n  b", 10), "a b"),
        (one_line, ("abcdefghijkl", 5), "abcd…"),
        (role_label, ("assistant", "Claude"), "Assistant (Claude)"),
        (role_label, ("assistant", None), "Assistant"),
        (role_label, ("user", "Claude"), "User"),
        (audit_label, (True,), "✓ agrees with the grader"),
        (audit_label, (False,), "✗ disagrees with the grader"),
        (audit_label, (None,), ""),
    ],
)
def test_formatters(func, args: tuple, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert func(*args) == expected
