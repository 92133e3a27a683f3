"""The Markdown report: the parts table, then per part its attempts and claims with verdict
marks and explanations, then the student annotations with their audit, then the warnings.

Text from the transcript is made inert for Markdown viewers: claims are code spans, ``<`` is
written as ``&lt;`` elsewhere (no raw HTML can pass), and table cells escape ``|``.
"""

from __future__ import annotations

import re

from grader.models import AttemptResult, ClaimResult, PartResult, Report
from grader.reports.html_report import report_warnings
from grader.reports.marks import (
    audit_label,
    format_points,
    format_value,
    one_line,
    verdict_label,
    verdict_mark,
)


def md_text(text: str) -> str:
    """Free text on one Markdown line: whitespace collapsed, ``<`` escaped so no HTML can pass.

    >>> md_text("a <b>\\n c")
    'a &lt;b> c'
    """
    return " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;")


def md_cell(text: str) -> str:
    """Text for a Markdown table cell: :func:`md_text` plus ``|`` escaped."""
    return md_text(text).replace("|", "\\|")


def md_code(text: str) -> str:
    """Text as an inline code span whose fence is longer than any backtick run inside.

    >>> md_code("a `b` c")
    '``a `b` c``'
    """
    flat = " ".join(text.split())
    if not flat:
        return "(empty)"
    run = max((len(m) for m in re.findall(r"`+", flat)), default=0)
    fence = "`" * (run + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def _header(report: Report) -> list[str]:
    return [
        f"# Grading report: {md_text(report.source)}",
        "",
        f"- Format: {md_text(report.format)}",
        f"- Model: {md_text(report.model or 'unknown')}",
        f"- Homework: {md_text(report.homework)}",
        f"- Score: **{format_points(report.score, report.max_score)}**",
        "",
    ]


def _parts_table(parts: list[PartResult]) -> list[str]:
    if not parts:
        return ["## Parts", "", "No part of the homework was found in this transcript.", ""]
    lines = [
        "## Parts",
        "",
        "| Part | First | Final | Hinted | Flags | Points | Reason |",
        "|---|---|---|---|---|---:|---|",
    ]
    for p in parts:
        pid = md_cell(p.id) + (f" ({md_cell(p.variant)})" if p.variant else "")
        flags = ", ".join(p.flags)
        lines.append(
            f"| {pid} | {verdict_label(p.first)} | {verdict_label(p.final)} | {'yes' if p.hinted else 'no'} "
            f"| {flags} | {format_points(p.score, p.max_score)} | {md_cell(one_line(p.reason))} |"
        )
    return [*lines, ""]


def _claim(claim: ClaimResult) -> list[str]:
    head = (
        f"- {verdict_mark(claim.verdict)} **{md_text(claim.answer)}** {md_code(claim.text)} — {claim.verdict}"
    )
    if claim.source:
        head += f" ({md_text(claim.source)})"
    if claim.explanation:
        head += f". {md_text(claim.explanation)}"
    lines = [head]
    if claim.interpreted is not None:
        lines.append(f"  - interpreted: {md_code(claim.interpreted)}")
    if claim.reference is not None:
        lines.append(f"  - reference: {md_code(claim.reference)}")
    for key, value in sorted(claim.evidence.items()):
        lines.append(f"  - {md_text(str(key))}: {md_code(one_line(format_value(value), 600))}")
    return lines


def _attempt(number: int, attempt: AttemptResult) -> list[str]:
    lines = [f"### Attempt {number} (turn {attempt.turn}): {verdict_label(attempt.verdict)}", ""]
    if attempt.flags:
        lines += [f"Flags: {', '.join(attempt.flags)}", ""]
    if attempt.aligned_by:
        lines += [f"Aligned by: {md_text('; '.join(attempt.aligned_by))}", ""]
    lines += [f"> {md_text(n)}" for n in attempt.notes]
    if attempt.notes:
        lines.append("")
    for claim in attempt.claims:
        lines += _claim(claim)
    if not attempt.claims:
        lines.append("No claim was extracted from this attempt.")
    return [*lines, ""]


def _part(part: PartResult) -> list[str]:
    lines = [
        f"## {md_text(part.id)}: {verdict_label(part.final)} ({format_points(part.score, part.max_score)})",
        "",
    ]
    facts = [f"first attempt {verdict_label(part.first)}", f"hinted: {'yes' if part.hinted else 'no'}"]
    if part.flags:
        facts.append("flags: " + ", ".join(part.flags))
    if part.variant:
        facts.append(f"variant: {md_text(part.variant)}")
    summary = "; ".join(facts)
    lines += [summary[:1].upper() + summary[1:] + ".", ""]
    if part.reason:
        lines += [md_text(part.reason), ""]
    for number, attempt in enumerate(part.attempts, start=1):
        lines += _attempt(number, attempt)
    return lines


def _annotations(report: Report) -> list[str]:
    if not report.annotations:
        return []
    lines = ["## Student annotations", ""]
    for a in report.annotations:
        where = f"turn {a.turn}" + (f", {md_text(a.part)}" if a.part else "") + f", {a.stance}"
        text = md_text(a.text).replace("*", "\\*")
        audit = audit_label(a.agrees)
        lines.append(f"- {where}: *{text}*" + (f" — {audit}" if audit else ""))
    return [*lines, ""]


def _warnings(report: Report) -> list[str]:
    warnings = report_warnings(report)
    if not warnings:
        return []
    return ["## Warnings", "", *[f"- {md_text(w)}" for w in warnings], ""]


def render_markdown(report: Report) -> str:
    """Render a report as Markdown (same content as the HTML report, without the transcript).

    Every claim appears as one list item starting with its verdict mark (✓ ✗ ⚠).
    """
    lines = _header(report) + _parts_table(report.parts)
    for part in report.parts:
        lines += _part(part)
    lines += _annotations(report) + _warnings(report)
    return "\n".join(lines).rstrip("\n") + "\n"
