"""Pydantic models shared by every stage of the pipeline.

Data flows one way::

    file ─▶ Transcript(turns of Blocks) ─▶ Attempt per part ─▶ ClaimResult per claim
         ─▶ PartResult per part ─▶ Report

The report models are the public contract of ``grader grade --format json``
(``schema: grader.report/1``, see DESIGN.md); field names there must not change.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["user", "assistant", "system", "tool"]
"""Who produced a turn."""

BlockKind = Literal[
    "text",  # prose written by the turn's author
    "math",  # a display or inline formula ($$...$$, \\[...\\])
    "code",  # fenced code
    "table",  # a table (Markdown pipes or tab-separated rows)
    "thinking",  # the model's visible reasoning summary ("Thought: ...")
    "annotation",  # the student's own commentary on the transcript
    "attachment",  # pasted source material or an attached file's text
    "residue",  # chat-UI residue kept for fidelity (timestamps, icons)
]
"""What a block of a turn holds."""

Fidelity = Literal["exact", "lossy", "ocr"]
"""How faithfully a block's text reproduces the original (lossy: math destroyed by conversion)."""

ClaimVerdict = Literal["correct", "incorrect", "partial", "unparseable", "timeout"]
"""Verdict on one checked claim. Never collapse unparseable/timeout into incorrect."""

PartVerdict = Literal["correct", "partial", "incorrect", "unanswered", "needs_review"]
"""Verdict on one homework part (first attempt and final attempt)."""

Confidence = Literal["high", "medium", "low"]
"""How firmly a verdict rests on evidence: high (an exact check), medium (matched by meaning or a
heuristic reading), low (a person must look: needs_review)."""

Flag = Literal[
    "derivation_error",
    "false_statement",
    "dimension_error",
    "inconsistent_final",
    "hallucinated_fact",
    "no_derivation",
    "word_limit",
]
"""Flags a careful TA would raise on a part (meanings in ../shared/gold/seeds.yaml)."""

REPORT_SCHEMA = "grader.report/1"


class Span(BaseModel):
    """Where a block came from in the source file (character offsets and 1-based lines)."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(description="Offset of the first character in the decoded source text.")
    end: int = Field(description="Offset one past the last character.")
    line_start: int = Field(description="1-based line of the first character.")
    line_end: int = Field(description="1-based line of the last character.")


class Block(BaseModel):
    """One typed piece of a turn."""

    kind: BlockKind
    text: str = Field(description="The block's text as read (math keeps its LaTeX source).")
    span: Span | None = Field(default=None, description="Source location; None for synthesized blocks.")
    fidelity: Fidelity = "exact"
    meta: dict[str, Any] = Field(default_factory=dict, description="Reader-specific details.")


class Turn(BaseModel):
    """One message of the chat."""

    index: int = Field(description="0-based position of the turn in the transcript.")
    role: Role
    blocks: list[Block] = Field(default_factory=list)
    timestamp: str | None = None
    role_inferred: bool = Field(
        default=False, description="True when the reader guessed the role (no explicit marker)."
    )
    meta: dict[str, Any] = Field(default_factory=dict)

    def text(self, kinds: tuple[str, ...] = ("text", "math", "code", "table")) -> str:
        """Concatenate the text of the blocks of the given kinds, separated by blank lines."""
        return "\n\n".join(b.text for b in self.blocks if b.kind in kinds)


class Transcript(BaseModel):
    """A chat read from one file, in the same shape whatever the input format."""

    source: str = Field(description="File name the transcript was read from.")
    format: str = Field(description="Reader id, e.g. 'writeup-text', 'role-markdown'.")
    model: str | None = Field(
        default=None, description="The chatbot, when the file says (Gemini, Claude...)."
    )
    title: str | None = None
    turns: list[Turn] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def annotations(self) -> list[tuple[int, Block]]:
        """All annotation blocks with the index of the turn they sit in."""
        return [(t.index, b) for t in self.turns for b in t.blocks if b.kind == "annotation"]


# --------------------------------------------------------------------------- report


class ClaimResult(BaseModel):
    """One checked claim: what the model said, how it was read, and the verdict with evidence."""

    answer: str = Field(description="Answer id within the part (e.g. 'u'), or 'step' for a derivation step.")
    text: str = Field(description="The claim as it appears in the transcript.")
    verdict: ClaimVerdict
    explanation: str = ""
    interpreted: str | None = Field(default=None, description="The claim as the engine understood it.")
    reference: str | None = Field(default=None, description="The reference answer it was compared with.")
    evidence: dict[str, Any] = Field(default_factory=dict, description="Separating instance, reproduction...")
    source: str | None = Field(
        default=None,
        description="Where the claim was found: boxed, bold, answer-line, table, final-equation...",
    )
    block: int | None = Field(default=None, description="Index of the block within its turn.")


class AttemptResult(BaseModel):
    """One attempt at a part: a model turn (or section of a turn) that answers it."""

    turn: int = Field(description="Index of the assistant turn.")
    verdict: PartVerdict
    confidence: Confidence = "high"
    claims: list[ClaimResult] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    aligned_by: list[str] = Field(
        default_factory=list,
        description="Why alignment gave this turn (or section) to the part: the prompt, note, heading or "
        "continuity that decided, strongest first.",
    )


class AnnotationNote(BaseModel):
    """A student annotation, attached to the part it comments on and audited against the grader."""

    turn: int
    text: str
    part: str | None = None
    stance: Literal["positive", "negative", "mixed", "neutral"] = "neutral"
    agrees: bool | None = Field(default=None, description="Whether the annotation agrees with the grader.")


class PartResult(BaseModel):
    """Verdicts, flags and points for one homework part."""

    id: str
    first: PartVerdict
    final: PartVerdict
    confidence: Confidence = Field(
        default="high", description="How firmly the final verdict rests on evidence."
    )
    hinted: bool = False
    flags: list[Flag] = Field(default_factory=list)
    score: float = 0.0
    max_score: float = 0.0
    reason: str = Field(default="", description="One-line explanation of the final verdict.")
    leaks: list[str] = Field(
        default_factory=list,
        description="Answers the user stated (correctly) in a follow-up before the model did: answer leaks.",
    )
    variant: str | None = None
    attempts: list[AttemptResult] = Field(default_factory=list)


class Report(BaseModel):
    """The grading report of one transcript (``schema: grader.report/1``)."""

    schema_: str = Field(default=REPORT_SCHEMA, alias="schema")
    source: str
    format: str
    model: str | None = None
    homework: str
    score: float = 0.0
    max_score: float = 0.0
    needs_review: int = Field(default=0, description="How many parts have a final verdict of needs_review.")
    parts: list[PartResult] = Field(default_factory=list)
    annotations: list[AnnotationNote] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    transcript: Transcript | None = Field(default=None, description="The transcript as read, for rendering.")

    model_config = ConfigDict(populate_by_name=True)

    def to_json_dict(self, include_transcript: bool = False) -> dict[str, Any]:
        """The report as plain JSON data (``schema`` key first)."""
        exclude = None if include_transcript else {"transcript"}
        return self.model_dump(mode="json", by_alias=True, exclude=exclude)

    def part(self, part_id: str) -> PartResult | None:
        """The result for one part id, or None."""
        return next((p for p in self.parts if p.id == part_id), None)
