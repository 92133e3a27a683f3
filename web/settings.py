"""Settings of the web app, read from the environment (prefix ``GRADER_``) or a ``.env`` file.

::

    GRADER_DATABASE_URL=postgresql+psycopg://grader@db/grader   # default: SQLite in data_dir
    GRADER_DATA_DIR=grader-data                                  # where the SQLite file lives
    GRADER_FILES_DIR=/srv/grader/uploads                         # default: upload bytes in the DB
    GRADER_MAX_UPLOAD_BYTES=20971520                             # 20 MB per submission
    GRADER_WORKERS=2                                             # grading threads
    GRADER_HOST=127.0.0.1 GRADER_PORT=8000                       # where `grader serve` listens
    GRADER_ALLOWED_HOSTS=grader.example.edu                      # Host names the app answers to
    GRADER_SECURE_COOKIES=true                                   # behind HTTPS
    GRADER_FORWARDED_ALLOW_IPS=127.0.0.1                         # proxies trusted for X-Forwarded-*
    GRADER_SECRET_KEY=...                                        # default: generated, kept in the DB
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DEFAULT_ALLOWED_HOSTS = ("localhost", "127.0.0.1", "::1")
FORM_OVERHEAD_BYTES = 64 * 1024
"""What a multipart body may carry beyond its files: boundaries, part headers, small fields."""


class Settings(BaseSettings):
    """Configuration of the web app; every field can be set as ``GRADER_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="GRADER_", env_file=".env", extra="ignore")

    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; None means a SQLite file `grader.db` in data_dir."
    )
    data_dir: Path = Field(default=Path("grader-data"), description="Folder of the default SQLite file.")
    files_dir: Path | None = Field(
        default=None,
        description="Store uploaded files here (content-addressed); None stores bytes in the DB.",
    )
    max_upload_bytes: int = Field(
        default=DEFAULT_MAX_UPLOAD_BYTES,
        gt=0,
        description="Size cap of one upload (all the files of one submission together).",
    )
    max_files: int = Field(default=20, gt=0, description="Most files in one submission.")
    workers: int = Field(default=2, ge=1, le=64, description="Background grading threads.")
    max_runs: int = Field(
        default=2,
        ge=1,
        le=10,
        description="Grading runs a job may start; one interrupted this often is marked failed.",
    )
    host: str = Field(default="127.0.0.1", description="Interface `grader serve` binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `grader serve` listens on.")
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default=list(DEFAULT_ALLOWED_HOSTS),
        description="Host header values answered (comma-separated; '*.example.edu' wildcards; '*' for any).",
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="Proxies whose X-Forwarded-For/-Proto headers are trusted (uvicorn's setting).",
    )
    secure_cookies: bool = Field(default=False, description="Send the session cookie over HTTPS only.")
    secret_key: str | None = Field(
        default=None,
        description="Key signing session cookies and bearer tokens; None: generated once, kept in the DB.",
    )
    session_max_age_s: int = Field(default=12 * 3600, gt=0, description="Lifetime of a login session.")
    token_max_age_s: int = Field(default=12 * 3600, gt=0, description="Lifetime of a bearer token.")
    check_rate: int = Field(default=30, ge=1, description="Self-checks one user may run per minute.")
    login_rate: int = Field(default=10, ge=1, description="Failed logins accepted per account per minute.")

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return [h.strip().lower() for h in value.split(",") if h.strip()]
        return value

    def resolved_database_url(self) -> str:
        """The database URL to connect to (the SQLite default made concrete)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'grader.db').resolve()}"

    @property
    def max_request_bytes(self) -> int:
        """Largest request body read at all: the upload cap plus the form's own overhead."""
        return self.max_upload_bytes + FORM_OVERHEAD_BYTES


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
