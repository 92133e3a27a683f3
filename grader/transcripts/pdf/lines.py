"""The unit the reader decides about: one row of a page (:class:`Line`), what was decided about it and
why, and the style helpers every role decision compares rows by (colour tone, font family, lightness).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from grader.transcripts.pdf.labels import LabelHit
from grader.transcripts.pdf.layout import Row, saturated
from grader.transcripts.pdf.mathzones import is_math_font
from grader.transcripts.role_evidence import EvidenceKind

Speaker = Literal["user", "assistant"]
LineKind = Literal["text", "annotation", "thinking", "residue", "table", "label"]

THINKING_MARKER = re.compile(
    r"^\s*(?:[›>▸▾▼⌄]\s*|[^\w\s]{1,2}\s*)?(?:Thought for\b.{0,30}|Thought:.*|Thought process:?.*|Thinking(?:\.{0,3}|…)?\s*$"
    r"|Show(?:ing)? thinking\b.*|Hide thinking\b.*|Reasoned for\b.{0,30}|Reasoning(?: process)?\s*:?\s*$"
    r"|Thinking Process:?.*|已深度思考.*|深度思考.*|思考中.*|显示思路.*|已思考.*|Thought for \d+\w*)\s*$",
    re.IGNORECASE,
)
_MATH_RENDERER_FONT = re.compile(r"^(?:KaTeX|CM|LM|MathJax|STIX)", re.IGNORECASE)
"""Font families of the math renderers (KaTeX, MathJax) and of TeX (Computer/Latin Modern, STIX), whose
text fonts set a formula's digits and relations too: a row's prose family is looked for among the others."""


def _formula_font(family: str) -> bool:
    """A font that says nothing of a row's prose style: a math font (``mathzones.is_math_font``, the one
    definition of those) or a math renderer's or TeX's family."""
    return is_math_font(family) or bool(_MATH_RENDERER_FONT.match(family))


@dataclass
class Line:
    """One row with what was decided about it."""

    row: Row
    kind: LineKind = "text"
    role: Speaker = "assistant"
    evidence: list[str] = field(default_factory=list)
    kinds: set[EvidenceKind] = field(default_factory=set)
    """The kinds of role evidence among ``evidence`` (``grader.transcripts.role_evidence``)."""
    confidence: float = 0.5
    label: LabelHit | None = None
    starts_turn: bool = False
    closes_turn: bool = False
    group: str = ""
    decided: bool = False

    @property
    def source(self) -> str:
        """Where the row came from: text, ocr or annot."""
        return str(self.row.meta.get("source", "text"))

    def why(self, reason: str, confidence: float | None = None, kinds: Iterable[EvidenceKind] = ()) -> None:
        """Record a piece of evidence (and the confidence of the decision it supports), with the kinds of
        role evidence it names."""
        self.evidence.append(reason)
        self.kinds.update(kinds)
        if confidence is not None:
            self.confidence = confidence


@dataclass
class Decision:
    """The document-level reading of a PDF: its lines and how the speakers were told apart."""

    lines: list[Line]
    method: str
    warnings: list[str] = field(default_factory=list)

    @property
    def roles_inferred(self) -> bool:
        """Nothing in the layout told the speakers apart (the turns may still be cut at question headings)."""
        return self.method in ("none", "question headings")


def weighted(items: Iterable[tuple[Hashable, int]]) -> Counter[Any]:
    """A Counter of keys weighted by their counts (characters of a row: one call per row, not per
    character)."""
    out: Counter[Any] = Counter()
    for key, n in items:
        if n:
            out[key] += n
    return out


def text_style(row: Row) -> tuple[str, str]:
    """A row's text style: coarse colour (grey levels folded) and font family."""
    c = row.color
    r, g, b = (c >> 16) & 255, (c >> 8) & 255, c & 255
    if max(r, g, b) - min(r, g, b) < 0x30:
        tone = "dark" if (r + g + b) / 3 < 0x70 else "grey"
    else:
        tone = f"#{r >> 5}{g >> 5}{b >> 5}"
    fonts = Counter(p.font.split("+")[-1].split("-")[0] for p in row.pieces if p.text.strip())
    prose = Counter({f: n for f, n in fonts.items() if not _formula_font(f)})
    fam = (prose or fonts).most_common(1)[0][0] if fonts else ""
    if _formula_font(fam):
        fam = "math"
    elif fam.startswith("Type3"):
        fam = "Type3"  # a browser print names a Type3 font per style: the name says nothing of the family
    return tone, fam


def label_styled(row: Row) -> bool:
    """The row's first words are set off: bold, or in a colour (not black or grey)."""
    first = next((p for p in sorted(row.pieces, key=lambda p: p.x0) if p.text.strip()), None)
    if first is None:
        return False
    return first.bold or saturated(first.color)


def lightness(color: int) -> float:
    """Perceived lightness of a 0xRRGGBB colour, 0 (black) to 1 (white)."""
    r, g, b = (color >> 16) & 255, (color >> 8) & 255, color & 255
    return (0.299 * r + 0.587 * g + 0.114 * b) / 255
