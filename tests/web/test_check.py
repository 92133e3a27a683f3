"""POST /api/check and GET /api/targets: the self-check API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

# (target, answer, expected verdict)
CHECKS = [
    # the HW2 q1a minimiser u = -alpha g / 2, in several forms
    ("cs182-fa25-hw2.q1a.u", "-\\frac{\\alpha}{2} g", "correct"),
    ("cs182-fa25-hw2.q1a.u", "u = -0.5 \\alpha g", "correct"),
    ("cs182-fa25-hw2.q1a.u", "-alpha*g/2", "correct"),
    # wrong factor or sign
    ("cs182-fa25-hw2.q1a.u", "-\\alpha g", "incorrect"),
    ("cs182-fa25-hw2.q1a.u", "\\frac{\\alpha}{2} g", "incorrect"),
    # not math at all: never "incorrect"
    ("cs182-fa25-hw2.q1a.u", "\\frac{", "unparseable"),
]


@pytest.mark.parametrize("target,answer,verdict", CHECKS)
def test_check_verdicts(client: TestClient, target: str, answer: str, verdict: str) -> None:
    response = client.post("/api/check", json={"target": target, "answer": answer})
    assert response.status_code == 200
    body = response.json()
    assert body["target"] == target
    assert body["verdict"] == verdict, body
    assert set(body) >= {"target", "verdict", "interpreted", "explanation", "reference", "evidence"}
    assert isinstance(body["explanation"], str)


def test_check_echoes_interpretation_and_reference(client: TestClient) -> None:
    body = client.post("/api/check", json={"target": "cs182-fa25-hw2.q1a.u", "answer": "-\\alpha g/2"}).json()
    assert "alpha" in body["interpreted"]
    assert "alpha" in body["reference"]


# Bad requests: (json body, status, words in the message)
BAD_CHECKS = [
    ({"target": "cs182-fa25-hw2.q9.u", "answer": "1"}, 404, "unknown part"),
    ({"target": "nope", "answer": "1"}, 404, "<homework>.<part>.<answer>"),
    ({"target": "cs182-fa25-hw99.q1a.u", "answer": "1"}, 404, "unknown homework"),
    ({"target": "cs182-fa25-hw2.q1a.u", "answer": "x" * 5001}, 422, "at most 5000"),
    ({"answer": "1"}, 422, "Field required"),
]


@pytest.mark.parametrize("body,status,words", BAD_CHECKS)
def test_check_errors(client: TestClient, body: dict, status: int, words: str) -> None:
    response = client.post("/api/check", json=body)
    assert response.status_code == status
    assert words in response.json()["error"]["message"]


def test_targets_list_every_answer(client: TestClient) -> None:
    targets = client.get("/api/targets").json()
    ids = {t["target"] for t in targets}
    # from DESIGN.md: q1a has answers u and optimizer; q5 has six; hw7 q7b asks for tokens
    assert {"cs182-fa25-hw2.q1a.u", "cs182-fa25-hw2.q1a.optimizer", "cs182-fa25-hw7.q7b.tokens"} <= ids
    assert sum(t["target"].startswith("cs182-fa25-hw2.q5.") for t in targets) == 6
    assert all(t["target"] == f"{t['homework']}.{t['part']}.{t['answer']}" for t in targets)


def test_check_returns_sanitised_mathml_and_course_notes(client) -> None:
    body = client.post(
        "/api/check", json={"target": "cs182-fa25-hw2.q1a.u", "answer": "-\\frac{\\alpha}{2} g"}
    ).json()
    assert body["interpreted_mathml"].startswith("<math")
    assert "<script" not in body["interpreted_mathml"]
    hostile = client.post(
        "/api/check", json={"target": "cs182-fa25-hw2.q1a.u", "answer": "\\text{<script>alert(1)</script>} g"}
    ).json()
    assert "<script" not in (hostile["interpreted_mathml"] or "")
    notes = client.post(
        "/api/check", json={"target": "optim-lectures.q5_newton.step", "answer": "-H^{-1} g"}
    ).json()
    assert notes["course_notes"]
