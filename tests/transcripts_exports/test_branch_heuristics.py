"""Branch choice without a current-branch pointer: the latest leaf, with a warning."""

from __future__ import annotations

import json

import pytest

from grader.transcripts.exports import EXPORT_READERS, sniff

HEURISTIC = "branch chosen heuristically (latest)"


def _frag(kind: str, content: str) -> dict[str, str]:
    return {"type": kind, "content": content}


DEEPSEEK_OFFICIAL = [
    {
        "id": "conv-1",
        "title": "HW2 Q1(a)",
        "inserted_at": "2025-03-30T04:49:36+08:00",
        "mapping": {
            "root": {"id": "root", "parent": None, "children": ["1"], "message": None},
            "1": {"id": "1", "parent": "root", "children": ["2", "3"],
                  "message": {"model": "deepseek-reasoner", "inserted_at": "2025-03-30T04:49:37+08:00",
                              "fragments": [_frag("REQUEST", "Solve HW2 Q1(a).")]}},
            "2": {"id": "2", "parent": "1", "children": [],
                  "message": {"model": "deepseek-reasoner", "inserted_at": "2025-03-30T04:50:00+08:00",
                              "fragments": [_frag("THINK", "first try"), _frag("RESPONSE", "u = -alpha g")]}},
            "3": {"id": "3", "parent": "1", "children": [],
                  "message": {"model": "deepseek-reasoner", "inserted_at": "2025-03-30T04:55:00+08:00",
                              "fragments": [_frag("THINK", "square the penalty"), _frag("RESPONSE", "u = -alpha g / 2")]}},
        },
    }
]  # fmt: skip


def test_deepseek_official_export_latest_branch() -> None:
    text = json.dumps(DEEPSEEK_OFFICIAL)
    assert sniff(text) == "deepseek-json"
    [t] = EXPORT_READERS["deepseek-json"](text, "conversations.json")
    assert t.source == "conversations.json#HW2 Q1(a)" and t.model == "DeepSeek (deepseek-reasoner)"
    assert [turn.role for turn in t.turns] == ["user", "assistant"]  # roles from fragment types
    assert t.turns[1].text() == "u = -alpha g / 2"  # node 3 is the later leaf
    assert [b.text for b in t.turns[1].blocks if b.kind == "thinking"] == ["square the penalty"]
    assert t.turns[1].meta["alternatives"] == ["u = -alpha g"]
    assert t.warnings == [HEURISTIC]


@pytest.mark.parametrize(
    "current,expected,warned",
    [
        # --- pointer present: follow it, even to the older branch
        ("a-old", "old answer", False),
        # --- pointer absent or dangling: latest leaf, with a warning
        (None, "new answer", True),
        ("missing", "new answer", True),
    ],
)
def test_chatgpt_current_node(current: str | None, expected: str, warned: bool) -> None:
    def msg(role: str, text: str, t: int) -> dict[str, object]:
        return {
            "author": {"role": role},
            "create_time": t,
            "content": {"content_type": "text", "parts": [text]},
        }

    conv: dict[str, object] = {
        "title": "t",
        "mapping": {
            "u": {"parent": None, "children": ["a-old", "a-new"], "message": msg("user", "q", 1)},
            "a-old": {"parent": "u", "children": [], "message": msg("assistant", "old answer", 2)},
            "a-new": {"parent": "u", "children": [], "message": msg("assistant", "new answer", 3)},
        },
    }
    if current is not None:
        conv["current_node"] = current
    [t] = EXPORT_READERS["chatgpt-json"](json.dumps([conv]), "c.json")
    assert t.turns[1].text() == expected
    assert t.turns[1].meta["alternatives"] == ["new answer" if expected == "old answer" else "old answer"]
    assert any(HEURISTIC in w for w in t.warnings) == warned


def test_several_conversations_get_distinct_sources() -> None:
    conv = {"title": "Same", "mapping": {"u": {"parent": None, "children": [], "message": {
        "author": {"role": "user"}, "content": {"content_type": "text", "parts": ["hi"]}}}}}  # fmt: skip
    untitled = {"mapping": {}}
    sources = [t.source for t in EXPORT_READERS["chatgpt-json"](json.dumps([conv, conv, untitled]), "c.json")]
    assert sources == ["c.json#Same", "c.json#Same (1)", "c.json#2"]
