"""Bad input: truncated JSON, unknown shapes, odd values, cycles. A clear InputError or a
transcript, never a KeyError/TypeError, always in bounded time."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.errors import InputError, UnknownFormatError
from grader.models import Transcript
from grader.transcripts.exports import EXPORT_READERS, sniff
from tests.transcripts_exports.helpers import SAMPLES

JSON_READERS = sorted(k for k in EXPORT_READERS if k.endswith("-json"))
OWN_JSON = {
    "chatgpt-json": "chatgpt_hw2_q1a_branch.json",
    "claude-json": "claude_hw7_q3b.json",
    "lechat-json": "lechat_hw2_q1a.json",
    "deepseek-json": "deepseek_hw2_q1b_api.json",
    "openwebui-json": "openwebui_hw7_q7b.json",
    "librechat-json": "librechat_hw2_q5.json",
    "gemini-takeout-json": "gemini_takeout_hw2.json",
}


def _outcome(fmt: str, text: str) -> list[Transcript] | InputError:
    try:
        return EXPORT_READERS[fmt](text, "bad.json")
    except InputError as exc:
        return exc


@pytest.mark.parametrize("fmt", JSON_READERS)
def test_truncated_json_says_where(fmt: str) -> None:
    text = (SAMPLES / OWN_JSON[fmt]).read_text(encoding="utf-8")
    cut = text[: len(text) // 2]
    with pytest.raises(InputError) as info:
        EXPORT_READERS[fmt](cut, "export.json")
    assert info.value.where == "export.json"
    assert "invalid JSON at line" in info.value.message and "truncated" in info.value.message


@pytest.mark.parametrize("fmt", JSON_READERS)
@pytest.mark.parametrize("payload", ['"just a string"', "42", "null", '{"foo": 1}', "true"])
def test_unknown_json_shape_is_an_input_error(fmt: str, payload: str) -> None:
    with pytest.raises(InputError) as info:
        EXPORT_READERS[fmt](payload, "odd.json")
    assert info.value.where == "odd.json" and info.value.message


ODD_SHAPES = [
    # --- wrong container types
    "[]",
    '[null, 1, "x"]',
    '[{"mapping": []}]',
    '[{"mapping": {"a": 5, "b": {"message": "str", "children": 7}}, "current_node": "b"}]',
    '[{"mapping": {"a": {"parent": "b", "message": {"author": null, "content": {"parts": [1, null]}}}}, "current_node": "a"}]',
    '[{"chat_messages": "x"}]',
    '[{"chat_messages": [null, {"sender": 5, "content": [1, {"type": null}]}]}]',
    '[{"chatId": 1, "role": ["user"], "createdAt": {}, "contentChunks": [1]}]',
    '{"data": {"biz_data": {"chat_messages": [{"message_id": 1, "fragments": "x"}, {"message_id": [1]}]}}}',
    '[{"chat": {"history": {"messages": {"a": null, "b": {"parentId": "zzz", "role": "user", "content": 3}}, "currentId": "b"}}}]',
    '{"messages": [{"messageId": null, "content": {"x": 1}, "isCreatedByUser": "yes"}]}',
    '{"messagesTree": [{"children": "x"}, 3]}',
    '[{"title": "Prompted ", "safeHtmlItem": [null, {"html": 5}]}, {"title": 3}]',
    # --- parent cycles
    '[{"mapping": {"a": {"parent": "b", "children": ["b"]}, "b": {"parent": "a", "children": ["a"]}}, "current_node": "a"}]',
    '[{"mapping": {"a": {"parent": "b", "children": ["b"]}, "b": {"parent": "a", "children": ["a"]}}}]',
    '{"messages": [{"messageId": "a", "parentMessageId": "b"}, {"messageId": "b", "parentMessageId": "a"}]}',
]


@pytest.mark.parametrize("fmt", JSON_READERS)
@pytest.mark.parametrize("payload", ODD_SHAPES)
def test_odd_shapes_never_crash(fmt: str, payload: str) -> None:
    outcome = _outcome(fmt, payload)
    assert isinstance(outcome, InputError | list)
    if isinstance(outcome, list):
        assert all(isinstance(t, Transcript) for t in outcome)


def test_unknown_shape_is_unknown_format() -> None:
    with pytest.raises(UnknownFormatError, match=r"unexpected JSON shape at \$"):
        EXPORT_READERS["chatgpt-json"]('{"foo": 1}', "x.json")


def test_missing_mapping_names_the_json_path() -> None:
    with pytest.raises(InputError, match=r"\$\[1\]\.mapping"):
        EXPORT_READERS["chatgpt-json"]('[{"mapping": {}}, {"title": "no mapping"}]', "conversations.json")


def test_deeply_nested_json_is_an_input_error() -> None:
    with pytest.raises(InputError):
        EXPORT_READERS["claude-json"]("[" * 100_000 + "]" * 100_000, "deep.json")


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=8)
    | st.sampled_from(["user", "assistant", "a", "b"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "mapping",
                    "parent",
                    "children",
                    "message",
                    "current_node",
                    "chat_messages",
                    "sender",
                    "content",
                    "role",
                    "fragments",
                    "type",
                    "chat",
                    "history",
                    "currentId",
                    "messages",
                    "parentId",
                    "title",
                    "a",
                    "b",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_JSON)
def test_fuzzed_json_never_crashes(value: object) -> None:
    text = json.dumps(value)
    assert sniff(text) is None or sniff(text) in EXPORT_READERS
    for fmt in JSON_READERS:
        outcome = _outcome(fmt, text)
        assert isinstance(outcome, InputError | list)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "{", "[", "\x00\x01", "# just a heading\n\nno chat here", "{" * 50_000, "User: hi"],
)
def test_sniff_never_raises_and_declines_non_exports(text: str) -> None:
    assert sniff(text) is None


@pytest.mark.parametrize(
    "fmt,text",
    [
        ("openwebui-txt", "### User\nlowercase is not the export's marker\n"),
        ("exporter-markdown", "# Title\n\n## Part (a)\n\ntext only\n"),
    ],
)
def test_text_readers_without_markers(fmt: str, text: str) -> None:
    with pytest.raises(UnknownFormatError):
        EXPORT_READERS[fmt](text, "x.md")


def _chatgpt_export(conversations: int, depth: int) -> str:
    convs = []
    for c in range(conversations):
        mapping = {"root": {"id": "root", "parent": None, "children": ["n0"], "message": None}}
        for i in range(depth):
            role = "user" if i % 2 == 0 else "assistant"
            mapping[f"n{i}"] = {
                "id": f"n{i}",
                "parent": "root" if i == 0 else f"n{i - 1}",
                "children": [f"n{i + 1}"] if i + 1 < depth else [],
                "message": {
                    "author": {"role": role},
                    "create_time": i,
                    "content": {"content_type": "text", "parts": [f"m{i}"]},
                },
            }
        convs.append({"title": f"c{c}", "mapping": mapping})  # no current_node: latest leaf
    return json.dumps(convs)


def test_large_export_reads_in_bounded_time() -> None:
    import time

    text = _chatgpt_export(200, 200)  # 40,000 messages, ~6 MB
    started = time.perf_counter()
    transcripts = EXPORT_READERS["chatgpt-json"](text, "conversations.json")
    assert time.perf_counter() - started < 20
    assert len(transcripts) == 200 and len(transcripts[-1].turns) == 200
    assert transcripts[0].warnings == []  # a linear chat needs no branch heuristic


def test_long_openwebui_chat_without_children_ids() -> None:
    import time

    n = 5000
    messages = {
        f"m{i}": {
            "parentId": f"m{i - 1}" if i else None,
            "role": "user" if i % 2 == 0 else "assistant",
            "content": f"t{i}",
        }
        for i in range(n)
    }
    text = json.dumps([{"title": "long", "chat": {"history": {"messages": messages}}}])
    started = time.perf_counter()
    [t] = EXPORT_READERS["openwebui-json"](text, "long.json")
    assert time.perf_counter() - started < 10
    assert len(t.turns) == n and t.turns[-1].text() == f"t{n - 1}"
