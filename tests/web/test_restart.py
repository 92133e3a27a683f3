"""Jobs survive a restart: queued or running submissions are graded by the next app, up to the retry cap."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from tests.web.conftest import COURSE, TA, hw2_transcript, make_settings, prepare, upload, wait_finished
from web.app import create_app
from web.store import NewUpload, UploadedFile


def stored(client: TestClient, name: str, text: str) -> NewUpload:
    """An upload of one file by the TA in the test course."""
    user = client.app.state.accounts.user_by_email(TA)  # type: ignore[attr-defined]
    return NewUpload([UploadedFile(name, text.encode())], owner=TA, owner_id=user.id, course_id=COURSE)


def test_interrupted_jobs_resume_on_startup(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        prepare(client)
        store = client.app.state.store  # type: ignore[attr-defined]
        client.app.state.queue.stop()  # type: ignore[attr-defined]
        # Stored but never handed to a worker (as if the process died right after the upload)...
        queued, _ = store.create(stored(client, "queued.md", hw2_transcript()))
        # ...and one a worker had claimed when the process died.
        running, _ = store.create(stored(client, "running.md", hw2_transcript("Claude")))
        assert store.claim(running.id)
        assert store.get(queued.id).status == "queued"
        assert store.get(running.id).status == "running"

    with TestClient(create_app(settings)) as client:
        prepare(client)
        for sid in (queued.id, running.id):
            body = wait_finished(client, sid)
            assert body["status"] == "done", body["error"]
            assert body["report"]["homework"] == "cs182-fa25-hw2"
        assert client.app.state.store.get(running.id).runs == 2  # type: ignore[attr-defined]


def test_a_job_interrupted_twice_is_failed_not_retried(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        prepare(client)
        store = client.app.state.store  # type: ignore[attr-defined]
        client.app.state.queue.stop()  # type: ignore[attr-defined]
        killer, _ = store.create(stored(client, "killer.md", hw2_transcript()))
        once, _ = store.create(stored(client, "once.md", hw2_transcript("Claude")))
        # The process died under "killer" twice (claimed twice, never finished), under "once" once.
        for _ in range(2):
            assert store.claim(killer.id)
            store.requeue_interrupted(max_runs=10)  # what a restart without a cap would do
        assert store.claim(once.id)

    with TestClient(create_app(settings)) as client:  # max_runs = 2 by default
        prepare(client)
        body = wait_finished(client, killer.id)
        assert body["status"] == "failed"
        assert body["error"]["status"] == 500
        assert "interrupted" in body["error"]["message"] and "2 times" in body["error"]["message"]
        assert client.app.state.store.get(killer.id).runs == 2  # type: ignore[attr-defined]
        again = wait_finished(client, once.id)
        assert again["status"] == "done", again["error"]
        # A TA can still retry it on purpose: a re-grade starts the count again.
        response = client.post(f"/api/submissions/{killer.id}/regrade", json={"homework": ""})
        assert response.status_code == 200
        assert wait_finished(client, killer.id)["status"] == "done"


def test_finished_jobs_are_not_regraded(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        prepare(client)
        sid = upload(client, hw2_transcript(), "a.md").json()["id"]
        first = wait_finished(client, sid)
    with TestClient(create_app(settings)) as client:
        prepare(client)
        time.sleep(0.2)
        again = client.get(f"/api/submissions/{sid}").json()
        assert again["finished_at"] == first["finished_at"]
        assert client.app.state.store.get(sid).runs == 1  # type: ignore[attr-defined]
