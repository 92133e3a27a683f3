"""Gradescope autograder ``results.json``: one test per homework part.

Format: https://gradescope-autograders.readthedocs.io/en/latest/specs/ (``tests`` with per-test
``score``/``max_score``/``status``/``output``).
"""

from __future__ import annotations

from typing import Any

from grader.models import Report


def _part_output(report: Report, index: int) -> str:
    part = report.parts[index]
    lines = [f"first attempt: {part.first}; final: {part.final}" + (" (hinted)" if part.hinted else "")]
    if part.reason:
        lines.append(part.reason)
    if part.flags:
        lines.append("flags: " + ", ".join(part.flags))
    return "\n".join(lines)


def gradescope_results(report: Report) -> dict[str, Any]:
    """A Gradescope autograder ``results.json`` for one report: one test per homework part."""
    tests = [
        {
            "name": f"{report.homework} {part.id}",
            "number": str(i + 1),
            "score": part.score,
            "max_score": part.max_score,
            "status": "passed" if part.score >= part.max_score > 0 else "failed",
            "output": _part_output(report, i),
            "tags": list(part.flags),
            "visibility": "visible",
        }
        for i, part in enumerate(report.parts)
    ]
    summary = f"{report.source}: {report.score:g}/{report.max_score:g} on {report.homework}"
    if report.model:
        summary += f" (model: {report.model})"
    if report.warnings:
        summary += "\nwarnings: " + "; ".join(report.warnings)
    return {
        "score": report.score,
        "output": summary,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }
