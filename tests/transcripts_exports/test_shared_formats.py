"""Every JSON export, exporter Markdown and Open WebUI text sample of ../shared/formats/.

Skipped cleanly when ../shared is absent. The JSON excerpts are unwrapped from their
``_excerpt_note`` envelope first (see :func:`unwrap_excerpt`).
"""

from __future__ import annotations

import pytest

from grader.transcripts.exports import EXPORT_READERS, sniff
from tests.transcripts_exports.helpers import (
    fenced_section,
    kinds_text,
    read,
    roles,
    shared_file,
    unwrap_excerpt,
)


def _json(name: str):
    return read(unwrap_excerpt(shared_file(name)), name)


def _text(name: str):
    return read(shared_file(name).read_text(encoding="utf-8"), name)


@pytest.mark.parametrize(
    "name,fmt",
    [
        ("chatgpt_conversations_json__branching_example.json", "chatgpt-json"),
        ("chatgpt_conversations_json__real_gpt5_thinking_excerpt.json", "chatgpt-json"),
        ("claude_conversations_json__real_thinking.json", "claude-json"),
        ("lechat_export__cs182_hw10_excerpt.json", "lechat-json"),
        ("deepseek_web_api_raw__excerpt.json", "deepseek-json"),
        ("gemini_takeout_myactivity__fixtures.json", "gemini-takeout-json"),
    ],
)
def test_sniff_shared_json(name: str, fmt: str) -> None:
    assert sniff(unwrap_excerpt(shared_file(name))) == fmt


@pytest.mark.parametrize(
    "name,fmt",
    [
        ("openwebui_qwen_txt_export__cs182_hw12.txt", "openwebui-txt"),
        ("deepseek_userscript_markdown__excerpt.md", "exporter-markdown"),
        ("deepseek_official_export_to_md__excerpt.md", "exporter-markdown"),
        # PDF text layers are not exports: the write-up reader's job
        ("pdf_pymupdf_gettext__chatgptexporter_cs182_hw2.txt", None),
        ("pdf_pymupdf4llm__claudeexporter_cs182_hw2.md", None),
    ],
)
def test_sniff_shared_text(name: str, fmt: str | None) -> None:
    assert sniff(shared_file(name).read_text(encoding="utf-8")) == fmt


def test_chatgpt_branching_example_keeps_current_branch() -> None:
    [t] = _json("chatgpt_conversations_json__branching_example.json")
    assert roles(t) == "uaua" and t.model == "ChatGPT (gpt-4)"  # empty system root dropped
    assert t.turns[0].text() == "Hello! Can you help me with a programming question?"
    assert t.turns[2].text() == "How do I write a function in JavaScript?"  # msg-4, on current_node's path
    assert t.turns[2].meta["alternatives"] == ["Actually, can you help me with Python instead?"]
    assert "function greet(name)" in kinds_text(t.turns[3], "code")
    assert t.warnings == []


def test_chatgpt_gpt5_thinking_excerpt() -> None:
    [t] = _json("chatgpt_conversations_json__real_gpt5_thinking_excerpt.json")
    assert roles(t) == "ua"  # three hidden system nodes dropped
    assert t.model == "ChatGPT (gpt-5-thinking)"
    assert t.turns[0].text() == "what was the tide,anneal, crucible exact explanation"
    thinking = [b.text for b in t.turns[1].blocks if b.kind == "thinking"]
    assert thinking[0].startswith("It looks like the user wants concise definitions")
    assert thinking[1] == "Thought for 15s"
    assert t.turns[1].text().startswith("Here are precise, no-fluff definitions")


def test_claude_real_thinking() -> None:
    [t] = _json("claude_conversations_json__real_thinking.json")
    assert t.title == "Bleep bloop" and roles(t) == "ua"
    assert t.turns[0].text().startswith("Tell me about the facts behind the belief")
    assert kinds_text(t.turns[1], "thinking").startswith(
        "The user is asking about the belief that dog saliva"
    )
    assert t.turns[1].text().startswith("Dog saliva does contain some antibacterial compounds")
    assert "The user is asking" not in t.turns[1].text()  # the flat `text` (thinking glued on) is not used


def test_lechat_real_excerpt_in_time_order() -> None:
    [t] = _json("lechat_export__cs182_hw10_excerpt.json")
    assert roles(t) == "uauauuua"
    assert t.turns[0].text().startswith("You are a large language model acting as a teaching assistant")
    assert kinds_text(t.turns[2], "attachment") == "[image: Q1HW5_Mistral.png]"
    assert t.turns[3].text().startswith("### 1(a)i. Rewriting the softmax similarity")
    stamps = [turn.timestamp for turn in t.turns]
    assert stamps == sorted(stamps)
    final = t.turns[7].text()
    assert "based on ,\u200b" not in final and "is based on " in final  # reference chunks dropped
    assert ", with additional 1×1 convolutional layers" in final


def test_deepseek_api_without_current_message_falls_back_to_latest() -> None:
    [t] = _json("deepseek_web_api_raw__excerpt.json")
    assert t.title == "test_chat" and roles(t) == "ua"
    assert any("branch chosen heuristically (latest)" in w for w in t.warnings)  # id 11 is not in the excerpt
    assert t.turns[1].text().startswith("The lamb is perfectly medium-rare")  # message 3, the later one
    assert t.turns[1].meta["alternatives"][0].startswith("The lamb is perfectly cooked")


def test_gemini_takeout_fixtures() -> None:
    transcripts = _json("gemini_takeout_myactivity__fixtures.json")
    assert [t.title for t in transcripts][0] == "fixture question"  # oldest first
    assert len(transcripts) == 5  # months apart: one conversation each
    greece = next(t for t in transcripts if t.title == "Best islands in Greece?")
    assert greece.turns[1].text() == "Naxos & Crete\n\nTry shoulder season.\nLess crowded."
    asked = next(t for t in transcripts if t.title == "<user prompt>")
    assert roles(asked) == "u" and asked.model == "Gemini (Gemini X)"
    assert asked.warnings and "no response recorded" in asked.warnings[0]


def test_openwebui_qwen_txt() -> None:
    [t] = _text("openwebui_qwen_txt_export__cs182_hw12.txt")
    assert roles(t) == "uaua"
    assert t.turns[0].text().startswith("solve the problems in this assignment one by one")
    assert "std=d_model**-0.5" in kinds_text(t.turns[1], "code")
    assert t.turns[2].text() == "now solve question 2"
    assert t.turns[3].text().startswith("**Question 2: Comparing Distributions**")


def test_deepseek_userscript_markdown() -> None:
    [t] = _text("deepseek_userscript_markdown__excerpt.md")
    assert t.title == "test_chat" and roles(t) == "uaua"
    assert t.turns[0].text().startswith("Write a first-person narrative")
    last = t.turns[3]
    thinking = [b.text for b in last.blocks if b.kind == "thinking"]
    assert thinking[0] == "Thought for 7 seconds"
    assert thinking[1].startswith("Hmm, this is a detailed narrative prompt")
    assert last.text().startswith("The low hum of the *Outpost’s* life support")
    assert "Thought Process" not in last.text()


def test_deepseek_official_markdown() -> None:
    [t] = _text("deepseek_official_export_to_md__excerpt.md")
    assert t.model == "DeepSeek (deepseek-reasoner)" and roles(t) == "ua"
    assert t.turns[0].text() == "BEST way to download my deepseek chat json/markdown/html"
    assert kinds_text(t.turns[1], "thinking").startswith("Okay, the user is asking for the best way")


def test_exporter_pionxzh_chatgpt() -> None:
    text = fenced_section(shared_file("markdown_exporters__examples.md"), "## A.")
    [t] = read(text, "pionxzh.md")
    assert roles(t) == "uaua" and t.model == "ChatGPT"
    assert t.turns[0].text().endswith("Do you understand how to use DDD now?")
    assert t.turns[3].text().startswith("DDD Step 1: Online Booking System")


def test_exporter_chatgptexporter_com() -> None:
    text = fenced_section(shared_file("markdown_exporters__examples.md"), "## B.")
    [t] = read(text, "chatgptexporter.md")
    assert t.title == "Pilot project migration" and t.model == "ChatGPT"
    assert roles(t) == "uaua"
    assert kinds_text(t.turns[1], "thinking") == "Thought for 24s"
    assert t.turns[1].text().startswith("Love it.")
    assert t.turns[2].blocks[0].kind == "residue"  # image-only prompt
    assert "Powered by ChatGPT Exporter" not in t.turns[3].text()


def test_exporter_ryanschiang_claude() -> None:
    text = fenced_section(shared_file("markdown_exporters__examples.md"), "## C.")
    [t] = read(text, "claude-export.md")
    assert roles(t) == "ua" and t.model == "Claude"
    assert kinds_text(t.turns[1], "code") == "<code>"


def test_openwebui_schema_example_json() -> None:
    text = fenced_section(shared_file("openwebui_librechat__schema_examples.md"), "## Open WebUI", "json")
    assert sniff(text) == "openwebui-json"
    [t] = EXPORT_READERS["openwebui-json"](text, "openwebui.json")
    assert t.title == "你好问候" and t.model == "x-preview-l"
    assert [turn.text() for turn in t.turns] == ["你好", "你好！很高兴见到你。"]
