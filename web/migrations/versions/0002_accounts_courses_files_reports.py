"""Accounts, courses, several files and several reports per submission, the audit log.

Existing submissions are kept: their bytes move to ``submission_files``, their report to
``reports``, and they are put in a course named ``legacy`` (created only when there are any),
whose staff can see them once accounts are added to it.

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LEGACY_COURSE = "legacy"


def _create_tables() -> None:
    op.create_table(
        "courses",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("homeworks_json", sa.Text, nullable=False),
        sa.Column("allow_reference", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "memberships",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("course_id", sa.String(100), sa.ForeignKey("courses.id"), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
    )
    op.create_table(
        "course_files",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("course_id", sa.String(100), sa.ForeignKey("courses.id"), nullable=False),
        sa.Column("homework", sa.String(100), nullable=True),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=True),
        sa.Column("file_path", sa.String(1024), nullable=True),
        sa.Column("uploaded_by", sa.Integer, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_course_files_course_id", "course_files", ["course_id"])
    op.create_table(
        "submission_files",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("submission_id", sa.String(32), sa.ForeignKey("submissions.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=True),
        sa.Column("file_path", sa.String(1024), nullable=True),
    )
    op.create_index("ix_submission_files_submission_id", "submission_files", ["submission_id"])
    op.create_index("ix_submission_files_content_hash", "submission_files", ["content_hash"])
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("submission_id", sa.String(32), sa.ForeignKey("submissions.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("source", sa.String(512), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("homework", sa.String(100), nullable=True),
        sa.Column("model", sa.String(100), nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("max_score", sa.Float, nullable=True),
        sa.Column("report_json", sa.Text, nullable=True),
        sa.Column("summary_json", sa.Text, nullable=True),
        sa.Column("error_json", sa.Text, nullable=True),
    )
    op.create_index("ix_reports_submission_id", "reports", ["submission_id"])
    op.create_index("ix_reports_homework", "reports", ["homework"])
    op.create_index("ix_reports_model", "reports", ["model"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("course_id", sa.String(100), nullable=True),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("detail_json", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_log_course_id", "audit_log", ["course_id"])
    op.create_table(
        "app_secrets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(255), nullable=False),
    )


def _move_rows(bind: sa.engine.Connection) -> bool:
    """Copy each old submission's bytes and report into the new tables; True when there were any."""
    rows = bind.execute(
        sa.text(
            "SELECT id, filename, size, content_hash, content, file_path, status, homework, model,"
            " score, max_score, report_json, summary_json FROM submissions"
        )
    ).mappings()
    files = sa.table(
        "submission_files",
        *(sa.column(c) for c in ("submission_id", "position", "filename", "size", "content_hash")),
        sa.column("content", sa.LargeBinary),
        sa.column("file_path"),
    )
    reports = sa.table(
        "reports",
        *(
            sa.column(c)
            for c in ("submission_id", "position", "source", "status", "homework", "model", "score")
        ),
        *(sa.column(c) for c in ("max_score", "report_json", "summary_json", "error_json")),
    )
    any_rows = False
    for row in list(rows):
        any_rows = True
        bind.execute(
            files.insert().values(
                submission_id=row["id"],
                position=0,
                filename=row["filename"],
                size=row["size"],
                content_hash=row["content_hash"],
                content=row["content"],
                file_path=row["file_path"],
            )
        )
        if row["status"] == "done" and row["report_json"]:
            source = json.loads(row["report_json"]).get("source") or row["filename"]
            bind.execute(
                reports.insert().values(
                    submission_id=row["id"],
                    position=0,
                    source=source,
                    status="done",
                    homework=row["homework"],
                    model=row["model"],
                    score=row["score"],
                    max_score=row["max_score"],
                    report_json=row["report_json"],
                    summary_json=row["summary_json"],
                    error_json=None,
                )
            )
    return any_rows


def upgrade() -> None:
    """Create the new tables, move the old rows' bytes and reports, reshape ``submissions``."""
    _create_tables()
    bind = op.get_bind()
    had_rows = _move_rows(bind)
    with op.batch_alter_table("submissions") as batch:
        batch.drop_index("ix_submissions_dedup")
        batch.drop_index("ix_submissions_owner")
        batch.drop_column("content")
        batch.drop_column("file_path")
        batch.drop_column("report_json")
        batch.drop_column("summary_json")
        batch.alter_column("owner", type_=sa.String(254), existing_type=sa.String(200), server_default=None)
        batch.add_column(sa.Column("course_id", sa.String(100), nullable=True))
        batch.add_column(sa.Column("owner_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("uploaded_by", sa.String(254), nullable=False, server_default=""))
        batch.add_column(sa.Column("file_count", sa.Integer, nullable=False, server_default="1"))
        batch.add_column(sa.Column("report_count", sa.Integer, nullable=False, server_default="0"))
        batch.create_foreign_key("fk_submissions_course_id", "courses", ["course_id"], ["id"])
        batch.create_foreign_key("fk_submissions_owner_id", "users", ["owner_id"], ["id"])
        batch.create_index("ix_submissions_course_id", ["course_id"])
        batch.create_index("ix_submissions_owner_id", ["owner_id"])
        batch.create_index("ix_submissions_dedup", ["owner_id", "content_hash", "homework_requested"])
    if had_rows:
        courses = sa.table(
            "courses",
            *(sa.column(c) for c in ("id", "title", "homeworks_json", "allow_reference", "created_at")),
        )
        bind.execute(
            courses.insert().values(
                id=LEGACY_COURSE,
                title="Submissions from before accounts",
                homeworks_json="[]",
                allow_reference=False,
                created_at=datetime.now(UTC),
            )
        )
        bind.execute(sa.text("UPDATE submissions SET course_id = :c"), {"c": LEGACY_COURSE})
        bind.execute(sa.text("UPDATE submissions SET report_count = 1 WHERE status = 'done'"))


def downgrade() -> None:
    """Not supported: the new tables hold data the old schema has no place for."""
    raise NotImplementedError("downgrading past 0002 would lose accounts, files and reports")
