"""Compare the grader's reports with ground-truth labels (``gold/*.yaml``).

Used by the agreement tests and benchmarks; also useful to a course that labels a sample by hand.
Pairs whose gold verdict is ``needs_review`` are excluded from verdict agreement (a free-text judgement
no deterministic checker can settle).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from grader.models import Report


@dataclass
class Agreement:
    """Agreement figures and every disagreement, for printing."""

    verdict_pairs: int = 0
    verdict_agree: int = 0
    flag_tp: int = 0
    flag_fp: int = 0
    flag_fn: int = 0
    hinted_checked: int = 0
    hinted_agree: int = 0
    disagreements: list[str] = field(default_factory=list)

    @property
    def verdict_rate(self) -> float:
        """Share of labelled (part, first|final) pairs on which the grader agrees."""
        return self.verdict_agree / self.verdict_pairs if self.verdict_pairs else 0.0

    @property
    def flag_precision(self) -> float:
        """Share of raised flags that the gold also has."""
        raised = self.flag_tp + self.flag_fp
        return self.flag_tp / raised if raised else 1.0

    @property
    def flag_recall(self) -> float:
        """Share of gold flags that the grader raised."""
        gold = self.flag_tp + self.flag_fn
        return self.flag_tp / gold if gold else 1.0

    def summary(self) -> str:
        """One paragraph with the figures."""
        return (
            f"verdicts {self.verdict_agree}/{self.verdict_pairs} = {self.verdict_rate:.1%}; "
            f"flags precision {self.flag_precision:.1%} recall {self.flag_recall:.1%} "
            f"(tp {self.flag_tp}, fp {self.flag_fp}, fn {self.flag_fn}); "
            f"hinted {self.hinted_agree}/{self.hinted_checked}"
        )


def load_gold(path: Path) -> list[dict[str, Any]]:
    """The ``transcripts`` list of a gold file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data.get("transcripts", []))


def compare(report: Report, gold_entry: dict[str, Any], into: Agreement | None = None) -> Agreement:
    """Add one report's agreement with its gold entry to ``into`` (a new Agreement by default)."""
    agg = into or Agreement()
    name = gold_entry.get("file", report.source)
    for gpart in gold_entry.get("parts", []):
        pid = gpart["id"]
        part = report.part(pid)
        for key in ("first", "final"):
            want = gpart.get(key)
            if want is None or want == "needs_review":
                continue
            got = part.__getattribute__(key) if part else "missing"
            agg.verdict_pairs += 1
            if got == want:
                agg.verdict_agree += 1
            else:
                agg.disagreements.append(f"{name} {pid}.{key}: gold {want}, grader {got}")
        gold_flags = set(gpart.get("flags", []) or [])
        got_flags = set(part.flags) if part else set()
        agg.flag_tp += len(gold_flags & got_flags)
        agg.flag_fp += len(got_flags - gold_flags)
        agg.flag_fn += len(gold_flags - got_flags)
        for f in sorted(gold_flags - got_flags):
            agg.disagreements.append(f"{name} {pid}: missed flag {f}")
        for f in sorted(got_flags - gold_flags):
            agg.disagreements.append(f"{name} {pid}: extra flag {f}")
        if "hinted" in gpart:
            agg.hinted_checked += 1
            got_h = part.hinted if part else None
            if got_h == gpart["hinted"]:
                agg.hinted_agree += 1
            else:
                agg.disagreements.append(f"{name} {pid}.hinted: gold {gpart['hinted']}, grader {got_h}")
    return agg
