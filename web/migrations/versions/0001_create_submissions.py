"""Create the submissions table.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``submissions`` with its indexes."""
    op.create_table(
        "submissions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False, server_default="anonymous"),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=True),
        sa.Column("file_path", sa.String(1024), nullable=True),
        sa.Column("homework_requested", sa.String(100), nullable=False, server_default=""),
        sa.Column("status", sa.String(16), nullable=False, server_default="queued"),
        sa.Column("homework", sa.String(100), nullable=True),
        sa.Column("model", sa.String(100), nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("max_score", sa.Float, nullable=True),
        sa.Column("report_json", sa.Text, nullable=True),
        sa.Column("summary_json", sa.Text, nullable=True),
        sa.Column("error_json", sa.Text, nullable=True),
        sa.Column("runs", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_submissions_owner", "submissions", ["owner"])
    op.create_index("ix_submissions_content_hash", "submissions", ["content_hash"])
    op.create_index("ix_submissions_status", "submissions", ["status"])
    op.create_index("ix_submissions_homework", "submissions", ["homework"])
    op.create_index("ix_submissions_model", "submissions", ["model"])
    op.create_index(
        "ix_submissions_dedup", "submissions", ["owner", "content_hash", "homework_requested"], unique=True
    )


def downgrade() -> None:
    """Drop ``submissions``."""
    op.drop_table("submissions")
