"""Jobs survive a restart: queued or running submissions are graded by the next app."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from tests.web.conftest import hw2_transcript, make_settings, wait_finished
from web.app import create_app
from web.store import NewUpload


def test_interrupted_jobs_resume_on_startup(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        store = client.app.state.store  # type: ignore[attr-defined]
        # Stored but never handed to a worker (as if the process died right after the upload)...
        queued, _ = store.create(NewUpload("queued.md", hw2_transcript().encode()))
        # ...and one a worker had claimed when the process died.
        running, _ = store.create(NewUpload("running.md", hw2_transcript("Claude").encode()))
        assert store.claim(running.id)
        time.sleep(0.2)
        assert store.get(queued.id).status == "queued"
        assert store.get(running.id).status == "running"

    with TestClient(create_app(settings)) as client:
        for sid in (queued.id, running.id):
            body = wait_finished(client, sid)
            assert body["status"] == "done", body["error"]
            assert body["report"]["homework"] == "cs182-fa25-hw2"
        assert client.app.state.store.get(running.id).runs == 2  # type: ignore[attr-defined]


def test_finished_jobs_are_not_regraded(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        sid = client.post("/api/grade", files={"file": ("a.md", hw2_transcript().encode())}).json()["id"]
        first = wait_finished(client, sid)
    with TestClient(create_app(settings)) as client:
        time.sleep(0.2)
        again = client.get(f"/api/submissions/{sid}").json()
        assert again["finished_at"] == first["finished_at"]
        assert client.app.state.store.get(sid).runs == 1  # type: ignore[attr-defined]
