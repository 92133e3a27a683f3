"""The dashboard: homework × part × model, each model's weakest parts, the verdict matrix, the chart."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.conftest import ALICE, BOB, hw2_transcript, login, upload, wait_finished
from web.charts import Bar, accuracy_chart_svg
from web.dashboard import Counts

HTML = {"Accept": "text/html"}


def test_bar_share() -> None:
    assert Bar("q1a", "m", 1, 4).share == 0.25
    assert Bar("q1a", "m", 0, 0).share == 0.0


def test_counts_skip_unanswered_parts() -> None:
    counts = Counts()
    for final in ("correct", "incorrect", "partial", "unanswered", "needs_review"):
        counts.add(final)
    assert (counts.correct, counts.wrong, counts.doubtful, counts.total) == (1, 1, 2, 4)
    assert counts.tone == "bad"


def test_chart_bar_heights_and_escaping() -> None:
    svg = accuracy_chart_svg(
        ["q1a", "q1b"], ["<b>A</b>", "B"], [Bar("q1a", "<b>A</b>", 1, 2), Bar("q1a", "B", 2, 2)], title="t"
    )
    assert "<b>A</b>" not in svg and "&lt;b&gt;A&lt;/b&gt;" in svg
    heights = [float(h) for h in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="14" height="([\d.]+)"', svg)]
    assert heights == [90.0, 180.0]  # 1/2 and 2/2 of the 180-pixel plot
    assert "1/2 correct" in svg and "2/2 correct" in svg


def test_dashboard_across_homeworks_and_models(client: TestClient) -> None:
    runs = [("Gemini", "-\\frac{\\alpha}{2} g"), ("Gemini", "-\\alpha g / 2"), ("Claude", "\\alpha g")]
    for i, (model, answer) in enumerate(runs):
        sid = upload(client, hw2_transcript(model, answer), f"{i}.md", owner=(ALICE, BOB, ALICE)[i]).json()[
            "id"
        ]
        assert wait_finished(client, sid)["status"] == "done"
    page = client.get("/dashboard", headers=HTML).text
    assert 'id="hw-cs182-fa25-hw2"' in page
    assert "3 transcripts" in page
    assert "<svg" in page
    # Gemini answered q1a right twice, Claude wrong once: in the chart and in the parts × models table.
    assert "Gemini, q1a: 2/2 correct" in page
    assert "Claude, q1a: 0/1 correct" in page
    assert 'title="Claude, q1a: 0/1 correct, 1 incorrect">0/1</td>' in page
    assert page.count('class="cell tone-good" title="correct"') >= 2
    # Per model, the parts it gets wrong most often: Claude's q1a, none for Gemini.
    claude = page[page.index('data-model="Claude"') :]
    claude = claude[: claude.index("</div>")]
    assert "cs182-fa25-hw2 q1a" in claude
    gemini = page[page.index('data-model="Gemini"') :]
    assert "No wrong or doubtful final answer" in gemini[: gemini.index("</div>")]
    # Unanswered parts are not columns of the matrix.
    assert ">q5<" not in page

    filtered = client.get("/dashboard?model=Claude", headers=HTML).text
    assert "1 transcript<" in filtered and "Gemini, q1a" not in filtered


def test_dashboard_is_for_staff_only(client: TestClient) -> None:
    login(client, ALICE)
    assert client.get("/dashboard", headers=HTML).status_code == 403
