"""The result of checking one claim, shared by every checker (math engine and text checkers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grader.models import ClaimVerdict


@dataclass
class CheckResult:
    """Outcome of comparing one claimed answer with a reference.

    Attributes:
        verdict: correct | incorrect | partial | unparseable | timeout.
        interpreted: the claim as the checker understood it (echoed back, STACK-style).
        reference: the reference it was compared with, in display form.
        explanation: one or two sentences saying why (e.g. "missing the factor 1/2").
        evidence: machine-readable evidence: the separating instance, values on both sides,
            the reproduction's numbers, the ideas found and missing...
    """

    verdict: ClaimVerdict
    interpreted: str | None = None
    reference: str | None = None
    explanation: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form (for ``--json`` output)."""
        return {
            "verdict": self.verdict,
            "interpreted": self.interpreted,
            "reference": self.reference,
            "explanation": self.explanation,
            "evidence": self.evidence,
        }
