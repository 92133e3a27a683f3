"""The project's own export samples (transcripts/exports/): roles, order, thinking, branches."""

from __future__ import annotations

import pytest

from grader.transcripts.exports import sniff
from tests.transcripts_exports.helpers import SAMPLES, kinds_text, read, roles


def _read(name: str):
    return read((SAMPLES / name).read_text(encoding="utf-8"), name)


@pytest.mark.parametrize(
    "name,fmt",
    [
        ("chatgpt_hw2_q1a_branch.json", "chatgpt-json"),
        ("claude_hw7_q3b.json", "claude-json"),
        ("lechat_hw2_q1a.json", "lechat-json"),
        ("deepseek_hw2_q1b_api.json", "deepseek-json"),
        ("openwebui_hw7_q7b.json", "openwebui-json"),
        ("librechat_hw2_q5.json", "librechat-json"),
        ("gemini_takeout_hw2.json", "gemini-takeout-json"),
        ("openwebui_hw2_q1a.txt", "openwebui-txt"),
        ("exporter_prompt_response_hw2_q1a.md", "exporter-markdown"),
    ],
)
def test_sniff_own_samples(name: str, fmt: str) -> None:
    assert sniff((SAMPLES / name).read_text(encoding="utf-8")) == fmt


def test_chatgpt_branch_thinking_citations() -> None:
    [t] = _read("chatgpt_hw2_q1a_branch.json")
    assert t.source == "chatgpt_hw2_q1a_branch.json#CS182 HW2 Q1(a)"
    assert t.model == "ChatGPT (gpt-5-thinking)" and t.format == "chatgpt-json"
    assert roles(t) == "uaua"  # hidden system message dropped; thoughts+recap+answer one turn
    answer = t.turns[1]
    assert [b.kind for b in answer.blocks][:2] == ["thinking", "thinking"]
    assert "g + (2/alpha) u" in kinds_text(answer, "thinking")
    assert "Thought for 9s" in kinds_text(answer, "thinking")
    assert "u = -\\frac{\\alpha}{2} g" in kinds_text(answer, "math")
    # the regenerated (older) answer is an alternative, never the answer
    assert answer.meta["alternatives"] == [
        "Setting the gradient to zero gives $u = -\\alpha g$. This is gradient descent with step size $\\alpha$."
    ]
    assert "-\\alpha g$" not in answer.text()
    assert "\ue200" not in answer.text() and "†" not in answer.text()
    assert [b.kind for b in t.turns[3].blocks] == ["text", "table", "code"]
    assert answer.timestamp == "2025-10-09T08:55:00+00:00"


def test_claude_thinking_and_attachment() -> None:
    [t] = _read("claude_hw7_q3b.json")
    assert roles(t) == "ua" and t.model == "Claude"
    assert kinds_text(t.turns[0], "attachment").startswith("3(b)(i) Write the first-order conditions")
    assert t.turns[0].blocks[1].meta["file_name"] == "hw7.txt"
    assert (
        kinds_text(t.turns[1], "thinking")
        == "Differentiate the Frobenius norm with respect to W1 and W2 separately."
    )
    assert len([b for b in t.turns[1].blocks if b.kind == "math"]) == 2
    assert "flat text" not in t.turns[1].text()


def test_lechat_sorted_by_created_at() -> None:
    [t] = _read("lechat_hw2_q1a.json")
    assert roles(t) == "uua"
    assert kinds_text(t.turns[0], "attachment") == "[image: hw2_q1.png]"
    assert t.turns[1].text() == "Solve HW2 Q1(a) from the screenshot."
    assert t.turns[2].text().endswith("which is plain gradient descent.")  # reference chunk dropped


def test_deepseek_current_message_id_picks_branch() -> None:
    [t] = _read("deepseek_hw2_q1b_api.json")
    assert t.warnings == []  # the pointer exists: no heuristic
    assert roles(t) == "ua" and t.model == "DeepSeek (deepseek-reasoner)"
    assert kinds_text(t.turns[1], "thinking").startswith("Fix m = ||u||_inf")
    assert kinds_text(t.turns[1], "math") == "u = -\\frac{\\alpha}{2}\\|g\\|_1 \\operatorname{sign}(g)"
    assert t.turns[1].meta["alternatives"] == ["u = -alpha sign(g) (first draft)"]


def test_openwebui_json_current_id_and_reasoning() -> None:
    [t] = _read("openwebui_hw7_q7b.json")
    assert roles(t) == "ua" and t.model == "qwen3:32b"
    assert (
        kinds_text(t.turns[1], "thinking")
        == "At each step take the argmax token.\nThe second step picks saw."
    )
    assert t.turns[1].text() == "Greedy decoding outputs: <sos>, I, saw, a, dog"
    assert t.turns[1].meta["alternatives"] == ["<sos> I see a dog"]


def test_openwebui_txt_markers_not_confused() -> None:
    [t] = _read("openwebui_hw2_q1a.txt")
    assert roles(t) == "uaua"
    answer = t.turns[1]
    assert (
        kinds_text(answer, "thinking") == "The objective is strictly convex in u.\nSet its gradient to zero."
    )
    assert "### Part (a)" in answer.text()  # the model's own heading stays in the answer
    assert "### USER" in kinds_text(answer, "code")  # a marker inside a fence is not a marker
    assert "u = -\\frac{\\alpha}{2} g" in kinds_text(answer, "math")
    span = t.turns[2].blocks[0].span
    text = (SAMPLES / "openwebui_hw2_q1a.txt").read_text(encoding="utf-8")
    assert span is not None and text[span.start : span.end].startswith("Thanks. Is it still")


def test_librechat_think_parts() -> None:
    [t] = _read("librechat_hw2_q5.json")
    assert roles(t) == "ua" and t.model == "GPT-4o" and t.warnings == []
    assert kinds_text(t.turns[1], "thinking") == "Every worker sends to every other worker."
    assert kinds_text(t.turns[1], "math") == "n(n-1)"


def test_gemini_takeout_grouping() -> None:
    transcripts = _read("gemini_takeout_hw2.json")
    assert [len(t.turns) for t in transcripts] == [2, 4]  # split by the 4-day gap, oldest first
    hw2 = transcripts[1]
    assert hw2.model == "Gemini (2.5 Pro)"
    assert hw2.turns[0].text().startswith("HW2 Q1(a): minimise")
    assert hw2.turns[1].text() == "Setting the gradient to zero:\n\nu = -(α/2) g"
    assert hw2.turns[1].meta["alternatives"] == ["A second draft: u = -α g / 2"]
    assert "**gradient descent**" in hw2.turns[3].text()


def test_exporter_markdown_prompt_response() -> None:
    [t] = _read("exporter_prompt_response_hw2_q1a.md")
    assert t.title == "CS182 HW2 Q1(a)" and t.model == "ChatGPT (gpt-5-thinking)"
    assert roles(t) == "uaua"  # '## Response' and '### Prompt: ...' in the answer are not markers
    answer = t.turns[1]
    assert kinds_text(answer, "thinking") == "Thought for 24s"
    assert "### Prompt: what it asks" in answer.text() and "## Response" in answer.text()
    assert answer.timestamp == "10/13/2025, 12:48:02 PM"
    assert t.turns[2].blocks[0].kind == "residue"  # the empty (image-only) prompt keeps its place
    assert "Powered by" not in t.turns[3].text()
