"""Settings of the web app, read from the environment (prefix ``GRADER_``) or a ``.env`` file.

::

    GRADER_DATABASE_URL=postgresql+psycopg://grader@db/grader   # default: SQLite in data_dir
    GRADER_DATA_DIR=grader-data                                  # where the SQLite file lives
    GRADER_FILES_DIR=/srv/grader/uploads                         # default: upload bytes in the DB
    GRADER_MAX_UPLOAD_BYTES=20971520                             # 20 MB per file
    GRADER_WORKERS=2                                             # grading threads
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024


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
        default=DEFAULT_MAX_UPLOAD_BYTES, gt=0, description="Size cap of one upload."
    )
    max_files: int = Field(default=50, gt=0, description="Most files accepted by one upload form.")
    workers: int = Field(default=2, ge=1, le=64, description="Background grading threads.")
    host: str = Field(default="127.0.0.1", description="Interface `grader serve` binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `grader serve` listens on.")
    default_owner: str = Field(default="anonymous", description="Owner of submissions until accounts exist.")

    def resolved_database_url(self) -> str:
        """The database URL to connect to (the SQLite default made concrete)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'grader.db').resolve()}"

    @property
    def max_request_bytes(self) -> int:
        """Largest request body accepted at all: every file at the cap, plus form overhead."""
        return self.max_upload_bytes * self.max_files + 1024 * 1024


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
