"""render_markdown: golden file, one item per claim, escaping of transcript text."""

from __future__ import annotations

import pytest

from grader.models import AttemptResult, ClaimResult, PartResult, Report
from grader.reports import render_markdown
from grader.reports.markdown_report import md_cell, md_code, md_text
from tests.reports.golden import assert_golden


def test_sample_report_matches_golden(sample_report: Report) -> None:
    assert_golden("sample_report.md", render_markdown(sample_report))


def test_sections_in_order(sample_report: Report) -> None:
    md = render_markdown(sample_report)
    order = ["## Parts", "## q1a", "## q1b", "## Student annotations", "## Warnings"]
    positions = [md.index(h) for h in order]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    "line",
    [
        # parts table rows: first, final, hinted, flags, points; | in the reason is escaped
        "| q1a | ✓ correct | ✓ correct | no |  | 2/2 | u = -α g/2 matches the reference (SGD). |",
        "| q1b (squared) | ✗ incorrect | ✗ incorrect | yes | false_statement | 0/3 | Missing the factor \\|\\|g\\|\\|_1 / 2. |",
        # claims with marks, explanations and evidence
        "- ✓ **u** `u = -\\frac{\\alpha}{2} g` — correct (final-equation). Equal to the reference symbolically.",
        "  - reference: `-alpha/2*norm(g,1)*sign(g)`",
        "  - instance: `alpha = 0.5; g = [1.0, -2.0]`",
        # the annotation with its audit mark
        "- turn 3, q1b, positive: *one-shot, looks right* — ✗ disagrees with the grader",
    ],
)
def test_sample_markdown_lines(sample_report: Report, line: str) -> None:
    assert line in render_markdown(sample_report).splitlines()


@pytest.mark.parametrize(
    "verdicts,marks",
    [
        # definite verdicts
        (["correct", "incorrect"], ["✓", "✗"]),
        # the three amber verdicts are never shown as ✗
        (["partial", "unparseable", "timeout"], ["⚠", "⚠", "⚠"]),
    ],
)
def test_every_claim_is_an_item_with_its_mark(verdicts: list[str], marks: list[str]) -> None:
    claims = [ClaimResult(answer=f"a{i}", text=f"x = {i}", verdict=v) for i, v in enumerate(verdicts)]  # type: ignore[arg-type]
    part = PartResult(
        id="q5",
        first="partial",
        final="partial",
        attempts=[AttemptResult(turn=1, verdict="partial", claims=claims)],
    )
    md = render_markdown(Report(source="s", format="f", homework="hw", parts=[part]))
    items = [line for line in md.splitlines() if line.startswith("- ") and "**a" in line]
    assert [item[2] for item in items] == marks


@pytest.mark.parametrize(
    "func,text,expected",
    [
        # md_text: one line, no raw HTML
        (md_text, "a\n\n<script>x</script>", "a &lt;script>x&lt;/script>"),
        (md_text, "AT&T", "AT&amp;T"),
        # md_cell: pipes escaped too
        (md_cell, "a|b", "a\\|b"),
        # md_code: fence longer than the longest backtick run, padded when needed
        (md_code, "x = 1", "`x = 1`"),
        (md_code, "a ``b`` c", "```a ``b`` c```"),
        (md_code, "`x`", "`` `x` ``"),
        (md_code, "  ", "(empty)"),
    ],
)
def test_markdown_escaping(func, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert func(text) == expected


def test_empty_report() -> None:
    md = render_markdown(Report(source="e.txt", format="f", homework="hw"))
    assert "No part of the homework was found in this transcript." in md
    assert "## Warnings" not in md and "## Student annotations" not in md
