"""The dashboard: verdict matrix, per-part accuracy by model, and the SVG chart."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.conftest import hw2_transcript, upload, wait_finished
from web.charts import Bar, accuracy_chart_svg


def test_bar_share() -> None:
    assert Bar("q1a", "m", 1, 4).share == 0.25
    assert Bar("q1a", "m", 0, 0).share == 0.0


def test_chart_bar_heights_and_escaping() -> None:
    svg = accuracy_chart_svg(
        ["q1a", "q1b"], ["<b>A</b>", "B"], [Bar("q1a", "<b>A</b>", 1, 2), Bar("q1a", "B", 2, 2)], title="t"
    )
    assert "<b>A</b>" not in svg and "&lt;b&gt;A&lt;/b&gt;" in svg
    heights = [float(h) for h in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="14" height="([\d.]+)"', svg)]
    assert heights == [90.0, 180.0]  # 1/2 and 2/2 of the 180-pixel plot
    assert "1/2 correct" in svg and "2/2 correct" in svg


def test_dashboard_matrix_and_chart(client: TestClient) -> None:
    runs = [("Gemini", "-\\frac{\\alpha}{2} g"), ("Gemini", "-\\alpha g / 2"), ("Claude", "\\alpha g")]
    for i, (model, answer) in enumerate(runs):
        sid = upload(client, hw2_transcript(model, answer), f"{i}.md").json()["id"]
        assert wait_finished(client, sid)["status"] == "done"
    page = client.get("/dashboard", headers={"Accept": "text/html"}).text
    assert 'id="hw-cs182-fa25-hw2"' in page
    assert "3 submissions" in page
    assert "<svg" in page
    # Gemini answered q1a right twice, Claude wrong once.
    assert "Gemini, q1a: 2/2 correct" in page
    assert "Claude, q1a: 0/1 correct" in page
    assert page.count('class="cell tone-good" title="correct"') >= 2

    filtered = client.get("/dashboard?model=Claude", headers={"Accept": "text/html"}).text
    assert "1 submission<" in filtered and "Gemini, q1a" not in filtered
