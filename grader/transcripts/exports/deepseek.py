"""DeepSeek JSON (format id ``deepseek-json``): the web API dump and the official export.

Two shapes share the same message tree and typed ``fragments`` (``REQUEST`` = the prompt,
``RESPONSE`` = the answer, ``THINK`` = reasoning, ``SEARCH`` = web results):

- web API ``history_messages`` (saved by userscripts):
  ``{data: {biz_data: {chat_session: {title, current_message_id}, chat_messages: [{message_id,
  parent_id, role: USER|ASSISTANT, fragments, inserted_at, model}]}}}`` (older dumps put the
  text in ``content`` / ``thinking_content`` instead of fragments);
- official "Export all history" ``conversations.json``: ``[{id, title, mapping: {"root":
  {children}, "1": {parent, children, message: {model, inserted_at, fragments}}}}]`` with no
  role field (the fragment types say who wrote it) and no current-branch pointer.

The visible branch is the path from ``current_message_id`` up to the root. When there is no
such pointer (or it names a message that is not in the file) and the chat branched, the latest
leaf is taken and the transcript carries the warning "branch chosen heuristically (latest)".
Regenerations beside the chosen path are kept in ``Turn.meta["alternatives"]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from grader.errors import InputError, UnknownFormatError
from grader.models import Block, Role, Transcript
from grader.transcripts.exports.common import (
    BRANCH_HEURISTIC,
    Message,
    answer_text,
    as_dict,
    as_list,
    as_str,
    build_turns,
    count_leaves,
    epoch_to_iso,
    latest_leaf,
    load_json,
    model_label,
    path_to_root,
    require_dict,
    single_block,
    sort_key_time,
    split_blocks,
    transcript_source,
)

FORMAT_ID = "deepseek-json"


@dataclass
class _Node:
    parent: str | None
    children: list[str]
    message: dict[str, Any]


def fragment_blocks(message: dict[str, Any]) -> tuple[Role | None, list[Block]]:
    """The role (from ``role`` or the fragment types) and blocks of one DeepSeek message."""
    known: dict[str, Role] = {"USER": "user", "ASSISTANT": "assistant"}
    role: Role | None = known.get(as_str(message.get("role")).upper())
    blocks: list[Block] = []
    fragments = as_list(message.get("fragments"))
    for fragment in fragments:
        fragment = as_dict(fragment)
        kind = as_str(fragment.get("type")).upper()
        content = as_str(fragment.get("content"))
        if kind == "REQUEST":
            role = role or "user"
            blocks += split_blocks(content)
        elif kind == "RESPONSE":
            role = role or "assistant"
            blocks += split_blocks(content)
        elif kind == "THINK":
            role = role or "assistant"
            blocks += single_block("thinking", content)
        elif kind == "SEARCH":
            role = role or "assistant"
            blocks += single_block("residue", "[web search results]", fragment="SEARCH")
    if not fragments:
        blocks += single_block("thinking", as_str(message.get("thinking_content")))
        blocks += split_blocks(as_str(message.get("content")))
    return role, blocks


def _read_tree(
    nodes: dict[str, _Node], current: str | None, title: str | None, source: str, time_key: str
) -> Transcript:
    warnings: list[str] = []

    def children_of(node_id: str) -> list[str]:
        return [c for c in nodes[node_id].children if c in nodes]

    def time_of(node_id: str) -> float:
        return sort_key_time(nodes[node_id].message.get(time_key))

    leaf = current if current in nodes else None
    if leaf is None:
        leaf = latest_leaf(nodes, children_of, time_of)
        if count_leaves(nodes, children_of) > 1:
            note = f": current_message_id {current} not in the file" if current else ""
            warnings.append(BRANCH_HEURISTIC + note)
    ids = path_to_root(leaf, lambda n: nodes[n].parent if nodes[n].parent in nodes else None) if leaf else []
    messages: list[Message] = []
    slug: str | None = None
    for node_id in ids:
        node = nodes[node_id]
        role, blocks = fragment_blocks(node.message)
        if role is None:
            continue
        if role == "assistant":
            slug = as_str(node.message.get("model")) or slug
        alternatives: list[str] = []
        if node.parent in nodes:
            for sibling in children_of(node.parent):
                if sibling != node_id:
                    text = answer_text(fragment_blocks(nodes[sibling].message)[1])
                    if text:
                        alternatives.append(text)
        stamp = epoch_to_iso(node.message.get(time_key)) or as_str(node.message.get(time_key)) or None
        messages.append(Message(role, blocks, stamp, alternatives, {"id": node_id}))
    return Transcript(
        source=source,
        format=FORMAT_ID,
        model=model_label("DeepSeek", slug),
        title=title,
        turns=build_turns(messages),
        warnings=warnings,
    )


def _read_api(payload: dict[str, Any], source: str) -> Transcript:
    session = as_dict(payload.get("chat_session"))
    raw = payload.get("chat_messages")
    if not isinstance(raw, list):
        raise InputError("expected a list at $.data.biz_data.chat_messages", where=source)
    nodes: dict[str, _Node] = {}
    for message in raw:
        message = as_dict(message)
        if message.get("message_id") is None:
            continue
        parent = message.get("parent_id")
        nodes[str(message["message_id"])] = _Node(None if parent is None else str(parent), [], message)
    for node_id, node in nodes.items():
        if node.parent in nodes:
            nodes[node.parent].children.append(node_id)
    current = session.get("current_message_id")
    title = as_str(session.get("title")) or None
    transcript = _read_tree(nodes, None if current is None else str(current), title, source, "inserted_at")
    transcript.source = f"{source}#{title or 0}"
    return transcript


def _read_official(conv: dict[str, Any], source: str, path: str) -> Transcript:
    mapping = require_dict(conv.get("mapping"), f"{path}.mapping", source)
    nodes: dict[str, _Node] = {}
    for node_id, node in mapping.items():
        node = as_dict(node)
        parent = node.get("parent")
        children = [str(c) for c in as_list(node.get("children"))]
        nodes[str(node_id)] = _Node(
            None if parent is None else str(parent), children, as_dict(node.get("message"))
        )
    return _read_tree(nodes, None, as_str(conv.get("title")) or None, source, "inserted_at")


def read_deepseek_json(text: str, source: str) -> list[Transcript]:
    """The chat(s) of a DeepSeek web API dump (one chat) or official export (an array).

    Raises UnknownFormatError for a JSON shape that is neither, InputError for invalid JSON.
    """
    data = load_json(text, source)
    if isinstance(data, dict):
        payload = as_dict(as_dict(data.get("data")).get("biz_data")) or data
        if "chat_messages" in payload:
            return [_read_api(payload, source)]
        if "mapping" in data:
            data = [data]
    if not isinstance(data, list):
        raise UnknownFormatError("unexpected JSON shape at $: not a DeepSeek chat or export", where=source)
    transcripts: list[Transcript] = []
    seen: set[str] = set()
    for i, conv in enumerate(data):
        transcript = _read_official(require_dict(conv, f"$[{i}]", source), source, f"$[{i}]")
        transcript.source = transcript_source(source, transcript.title, i, seen)
        transcripts.append(transcript)
    if not transcripts:
        raise InputError("the export holds no conversations", where=source)
    return transcripts
