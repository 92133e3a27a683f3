"""The students' self-check: references only where the course allows, homeworks of one's courses, a rate limit."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.web.conftest import ALICE, COURSE, OUTSIDER, TA, bearer, make_settings, prepare
from web.app import create_app
from web.ratelimit import RateLimiter

WRONG = {"target": "cs182-fa25-hw2.q1a.u", "answer": "-\\alpha g"}
RIGHT = {"target": "cs182-fa25-hw2.q1a.u", "answer": "-\\frac{\\alpha}{2} g"}


def test_students_do_not_see_references_by_default(client: TestClient) -> None:
    alice = bearer(client, ALICE)
    body = client.post("/api/check", json=WRONG, headers=alice).json()
    assert body["verdict"] == "incorrect"
    assert body["reference"] is None and body["reference_mathml"] is None and body["reference_shown"] is False
    assert body["evidence"] == {}
    assert "alpha" not in body["explanation"] and "does not match" in body["explanation"]
    assert "alpha" in body["interpreted"]  # how her own answer was read is always shown
    assert client.post("/api/check", json=RIGHT, headers=alice).json()["verdict"] == "correct"
    # The page says so.
    page = client.get("/check", headers={**alice, "Accept": "text/html"}).text
    assert "does not show the reference answers" in page


def test_staff_always_see_references(client: TestClient) -> None:
    body = client.post("/api/check", json=WRONG).json()  # as the TA
    assert body["reference_shown"] is True and "alpha" in body["reference"] and body["evidence"]


def test_course_setting_shows_references_to_students(client: TestClient) -> None:
    client.app.state.accounts.update_course(COURSE, allow_reference=True)  # type: ignore[attr-defined]
    body = client.post("/api/check", json=WRONG, headers=bearer(client, ALICE)).json()
    assert body["reference_shown"] is True and "alpha" in body["reference"]
    assert "factor" in body["explanation"]


def test_only_the_homeworks_of_ones_courses(client: TestClient) -> None:
    client.app.state.accounts.update_course(COURSE, homeworks=["cs182-fa25-hw7"])  # type: ignore[attr-defined]
    alice = bearer(client, ALICE)
    response = client.post("/api/check", json=RIGHT, headers=alice)
    assert (
        response.status_code == 404
        and "not a homework of your courses" in response.json()["error"]["message"]
    )
    targets = {t["homework"] for t in client.get("/api/targets", headers=alice).json()}
    assert targets == {"cs182-fa25-hw7"}
    # A student of a course holding every homework still checks hw2.
    assert client.post("/api/check", json=RIGHT, headers=bearer(client, OUTSIDER)).status_code == 200


def test_self_checks_are_rate_limited_per_user(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path, check_rate=3))) as client:
        prepare(client, None)
        alice, ta = bearer(client, ALICE), bearer(client, TA)
        assert [client.post("/api/check", json=RIGHT, headers=alice).status_code for _ in range(3)] == [
            200
        ] * 3
        limited = client.post("/api/check", json=RIGHT, headers=alice)
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert "too many self-checks" in limited.json()["error"]["message"]
        assert client.post("/api/check", json=RIGHT, headers=ta).status_code == 200  # per user


def test_rate_limiter_window() -> None:
    now = [100.0]
    limiter = RateLimiter(2, 60.0, clock=lambda: now[0])
    assert [limiter.hit("a"), limiter.hit("a"), limiter.hit("b")] == [0, 0, 0]
    assert limiter.hit("a") == 60
    now[0] += 30
    assert limiter.retry_after("a") == 30
    now[0] += 30.5
    assert limiter.hit("a") == 0
