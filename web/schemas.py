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
    course: str | None = Field(description="The course the submission belongs to.")
    owner: str = Field(description="The student whose submission it is (e-mail).")
    uploaded_by: str = Field(description="Who uploaded it (the owner, or a TA on their behalf).")
    filename: str = Field(description="The first file's name (and how many more there are).")
    files: int = Field(description="How many files were uploaded together.")
    size: int = Field(description="Bytes of all the files together.")
    content_hash: str = Field(
        description="SHA-256 over the files' SHA-256s; the same owner's identical upload is the same submission."
    )
    homework_requested: str | None = Field(description="The homework chosen at upload; None = auto-detect.")
    homework: str | None = Field(description="The homework graded against (once done).")
    model: str | None = Field(description="The chatbot of the transcript (once done).")
    score: float | None = Field(default=None, description="Score of the first report.")
    max_score: float | None = None
    reports: int = Field(description="Transcripts graded (an export or zip may hold several).")
    created_at: datetime
    finished_at: datetime | None = None
    url: str = Field(description="The HTML report page.")


class GradeAccepted(SubmissionSummary):
    """Answer to an upload: the stored submission, queued for grading (or the existing one)."""

    duplicate: bool = Field(description="True when the same owner already uploaded identical bytes.")
    transcripts: int = Field(description="Transcripts found in the files (each is graded).")


class TranscriptResult(BaseModel):
    """The grading of one transcript of a submission."""

    source: str = Field(description="The file (and conversation) the transcript was read from.")
    status: Literal["done", "failed"]
    url: str = Field(description="The HTML report page of this transcript.")
    report: dict[str, Any] | None = Field(description="The grader.report/1 JSON, when graded.")
    error: ErrorDetail | None = Field(description="Why this transcript could not be graded.")


class SubmissionDetail(SubmissionSummary):
    """A submission with its reports (when done) or its error (when failed)."""

    report: dict[str, Any] | None = Field(description="The first graded report (grader.report/1 JSON).")
    results: list[TranscriptResult] = Field(description="Every transcript of the submission, in order.")
    error: ErrorDetail | None = Field(description="Why grading failed, when status is failed.")


class Token(BaseModel):
    """An OAuth2 bearer token (password flow)."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds the token stays valid.")


class QuestionPdfInfo(BaseModel):
    """A question PDF stored with a course."""

    id: str
    homework: str | None
    filename: str
    size: int
    content_hash: str


class CourseDetail(BaseModel):
    """A course as its members see it."""

    id: str
    title: str
    role: str = Field(description="Your role in the course.")
    homeworks: list[str]
    allow_reference: bool = Field(description="Whether students see reference answers in the self-check.")
    question_pdfs: list[QuestionPdfInfo] = Field(description="Staff only; empty for students.")


class Me(BaseModel):
    """The logged-in user."""

    email: str
    roles: dict[str, str] = Field(description="Role per course id.")


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
    reference: str | None = Field(default=None, description="None where the course hides references.")
    reference_shown: bool = Field(default=True, description="False when the course hides the reference.")
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
