"""Pydantic models of the JSON API (they document it in the OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

Status = Literal["queued", "running", "done", "failed"]


class ErrorDetail(BaseModel):
    """What went wrong and where."""

    status: int = Field(description="HTTP status.")
    message: str = Field(description="What was wrong, in one line.")
    where: str = Field(default="", description="The file, field, line or target concerned.")


class ErrorBody(BaseModel):
    """Body of every API error response."""

    error: ErrorDetail


class SubmissionSummary(BaseModel):
    """A submission without its report."""

    id: str
    status: Status
    owner: str
    filename: str
    size: int
    content_hash: str = Field(
        description="SHA-256 of the uploaded bytes; identical uploads share a submission."
    )
    homework_requested: str | None = Field(description="The homework chosen at upload; None = auto-detect.")
    homework: str | None = Field(description="The homework graded against (once done).")
    model: str | None = Field(description="The chatbot of the transcript (once done).")
    score: float | None = None
    max_score: float | None = None
    created_at: datetime
    finished_at: datetime | None = None
    url: str = Field(description="The HTML report page.")


class GradeAccepted(SubmissionSummary):
    """Answer to an upload: the stored submission, queued for grading (or the existing one)."""

    duplicate: bool = Field(description="True when identical bytes were already uploaded.")


class SubmissionDetail(SubmissionSummary):
    """A submission with its report (when done) or its error (when failed)."""

    report: dict[str, Any] | None = Field(description="The grader.report/1 JSON, when status is done.")
    error: ErrorDetail | None = Field(description="Why grading failed, when status is failed.")


class CheckRequest(BaseModel):
    """One answer to check against a target."""

    target: str = Field(max_length=200, examples=["cs182-fa25-hw2.q1a.u"])
    answer: str = Field(max_length=5000, examples=["-\\frac{\\alpha}{2} g"])


class CheckResponse(BaseModel):
    """How the answer was read and the verdict, with the evidence."""

    target: str
    verdict: Literal["correct", "incorrect", "partial", "unparseable", "timeout"]
    interpreted: str | None = Field(description="The answer as the engine understood it.")
    explanation: str
    reference: str | None = None
    evidence: dict[str, Any] = Field(default_factory=dict)
    interpreted_mathml: str | None = Field(
        default=None, description="The interpreted answer as sanitised MathML (allow-listed elements only)."
    )
    reference_mathml: str | None = Field(default=None, description="The reference as sanitised MathML.")
    course_notes: str | None = Field(
        default=None, description="Where the course's slides differ, if they do."
    )


class TargetInfo(BaseModel):
    """One checkable target."""

    target: str
    homework: str
    part: str
    answer: str
    kind: str
    prompt: str = ""


class Health(BaseModel):
    """Liveness of the app."""

    status: Literal["ok"]
    database: str
    pending: int = Field(description="Grading jobs queued or running in this process.")
