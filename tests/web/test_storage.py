"""Storage: migrations, the files dir, settings from the environment, upload checks."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.web.conftest import hw2_transcript, make_settings, prepare, upload, wait_finished
from web.app import create_app
from web.settings import DEFAULT_MAX_UPLOAD_BYTES, Settings, get_settings
from web.uploads import safe_filename


def test_migrations_create_the_schema(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings)):
        pass
    engine = sa.create_engine(settings.resolved_database_url())
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0002"
        inspector = sa.inspect(conn)
        columns = {c["name"] for c in inspector.get_columns("submissions")}
        tables = set(inspector.get_table_names())
    engine.dispose()
    assert {"id", "course_id", "owner_id", "owner", "content_hash", "status", "runs"} <= columns
    assert {
        "users",
        "courses",
        "memberships",
        "course_files",
        "submission_files",
        "reports",
        "audit_log",
    } <= tables
    with TestClient(create_app(settings)) as client:  # migrating twice is harmless
        assert client.get("/healthz").status_code == 200


def test_bytes_stored_in_the_database_before_grading(client: TestClient) -> None:
    client.app.state.queue.stop()  # type: ignore[attr-defined]
    data = hw2_transcript().encode()
    sid = upload(client, data).json()["id"]
    store = client.app.state.store  # type: ignore[attr-defined]
    assert store.get(sid).status == "queued"
    (stored,) = store.files(sid)
    assert stored.content == data and stored.file_path is None


def test_files_dir_storage(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, files_dir=tmp_path / "files")
    data = hw2_transcript().encode()
    with TestClient(create_app(settings)) as client:
        prepare(client)
        sid = upload(client, data).json()["id"]
        assert wait_finished(client, sid)["status"] == "done"
        (row,) = client.app.state.store.files(sid)  # type: ignore[attr-defined]
        assert row.content is None
        stored = Path(row.file_path)
        assert stored.is_relative_to(tmp_path / "files")
        assert stored.read_bytes() == data
        assert stored.name == row.content_hash
        # Deleting the submission removes the file no other row uses.
        assert client.delete(f"/api/submissions/{sid}").status_code == 204
        assert not stored.exists()


def test_default_sqlite_file_in_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", allowed_hosts=["testserver"])
    assert settings.resolved_database_url() == f"sqlite:///{(tmp_path / 'data' / 'grader.db').resolve()}"
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
    assert (tmp_path / "data" / "grader.db").is_file()


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("GRADER_DATABASE_URL", "postgresql://u@db/grader")
    monkeypatch.setenv("GRADER_MAX_UPLOAD_BYTES", "1234")
    monkeypatch.setenv("GRADER_WORKERS", "3")
    get_settings.cache_clear()
    try:
        settings = get_settings()
        assert settings.resolved_database_url() == "postgresql://u@db/grader"
        assert settings.max_upload_bytes == 1234 and settings.workers == 3
        assert get_settings() is settings  # cached
    finally:
        get_settings.cache_clear()


def test_settings_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "MAX_UPLOAD_BYTES", "WORKERS", "HOST", "PORT", "FILES_DIR", "ALLOWED_HOSTS"):
        monkeypatch.delenv(f"GRADER_{name}", raising=False)
    monkeypatch.delenv("GRADER_SECURE_COOKIES", raising=False)
    settings = Settings()
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.max_upload_bytes == DEFAULT_MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    assert settings.files_dir is None and settings.max_runs == 2
    assert settings.allowed_hosts == ["localhost", "127.0.0.1", "::1"]
    assert settings.secure_cookies is False and settings.secret_key is None


def test_allowed_hosts_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GRADER_ALLOWED_HOSTS", "grader.example.edu, *.cs.example.edu")
    assert Settings().allowed_hosts == ["grader.example.edu", "*.cs.example.edu"]


# (uploaded name, stored name)
FILENAMES = [
    # path components are dropped
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\me\\chat.md", "chat.md"),
    # control characters and leading dots
    ("a\x00b\nc.md", "abc.md"),
    (".hidden.md", "hidden.md"),
    # nothing left
    ("", "upload.txt"),
    ("///", "upload.txt"),
    # long names are cut
    ("x" * 300 + ".md", "x" * 200),
]


@pytest.mark.parametrize("name,expected", FILENAMES)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def test_serve_binds_localhost_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import web.server

    monkeypatch.chdir(tmp_path)
    for name in ("HOST", "PORT"):
        monkeypatch.delenv(f"GRADER_{name}", raising=False)
    calls: list[dict] = []
    monkeypatch.setattr(web.server.uvicorn, "run", lambda app, **kw: calls.append(kw))
    get_settings.cache_clear()
    try:
        web.server.serve()
        web.server.serve("0.0.0.0", 9000)
    finally:
        get_settings.cache_clear()
    assert [(c["host"], c["port"]) for c in calls] == [("127.0.0.1", 8000), ("0.0.0.0", 9000)]
    assert calls[0]["proxy_headers"] is True and calls[0]["forwarded_allow_ips"] == "127.0.0.1"


def test_grader_serve_honours_host_and_port_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import web.server
    from grader.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GRADER_HOST", "0.0.0.0")
    monkeypatch.setenv("GRADER_PORT", "8123")
    calls: list[dict] = []
    monkeypatch.setattr(web.server.uvicorn, "run", lambda app, **kw: calls.append(kw))
    get_settings.cache_clear()
    try:
        assert main(["serve"]) == 0
        assert main(["serve", "--port", "9001"]) == 0
    finally:
        get_settings.cache_clear()
    assert [(c["host"], c["port"]) for c in calls] == [("0.0.0.0", 8123), ("0.0.0.0", 9001)]


def test_models_match_the_migrations(tmp_path: Path) -> None:
    from alembic import command

    from web.db import make_engine
    from web.migrate import alembic_config, upgrade

    url = f"sqlite:///{tmp_path / 'check.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    command.check(alembic_config(url))  # raises when web.db and web/migrations drift apart
