"""LibreChat JSON export (format id ``librechat-json``).

``{conversationId, title, endpoint, options?, messages: [{messageId, parentMessageId, sender,
isCreatedByUser, text, content?, createdAt}]}``; with the "recursive" option the key is
``messagesTree`` and each node nests ``children``. The role comes from ``isCreatedByUser``
(``sender`` is a display name such as "GPT-4o", used as the model name). Newer (agent)
messages leave ``text`` empty and hold ``content[]`` parts: ``text`` (a string or
``{value}``), ``think`` → thinking, ``tool_call`` → residue.

The root's parent is the all-zero UUID. The export has no current-branch pointer: when the
tree branched (export with "branches"), the latest leaf is taken, with the warning "branch
chosen heuristically (latest)", and the other branches' answers kept as alternatives.
"""

from __future__ import annotations

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
    latest_leaf,
    load_json,
    path_to_root,
    single_block,
    sort_key_time,
    split_blocks,
)

FORMAT_ID = "librechat-json"
_MAX_DEPTH = 10_000


def message_blocks(message: dict[str, Any]) -> list[Block]:
    """The blocks of one LibreChat message (``content[]`` parts when present, else ``text``)."""
    parts = as_list(message.get("content"))
    if not parts:
        return split_blocks(as_str(message.get("text")))
    blocks: list[Block] = []
    for part in parts:
        part = as_dict(part)
        kind = as_str(part.get("type"))
        if kind == "text":
            value = part.get("text")
            blocks += split_blocks(
                as_str(as_dict(value).get("value")) if isinstance(value, dict) else as_str(value)
            )
        elif kind == "think":
            value = part.get("think")
            blocks += single_block(
                "thinking", as_str(as_dict(value).get("value")) if isinstance(value, dict) else as_str(value)
            )
        elif kind:
            blocks += single_block("residue", f"[{kind}]", part_type=kind)
    return blocks


def _flatten(tree: list[Any]) -> list[dict[str, Any]]:
    """The nodes of a ``messagesTree`` (iteratively: no recursion limit on deep chats)."""
    out: list[dict[str, Any]] = []
    stack = [as_dict(n) for n in reversed(tree)]
    while stack and len(out) < _MAX_DEPTH * 10:
        node = stack.pop()
        out.append(node)
        stack.extend(as_dict(c) for c in reversed(as_list(node.get("children"))))
    return out


def read_librechat_json(text: str, source: str) -> list[Transcript]:
    """The conversation of a LibreChat JSON export.

    Raises UnknownFormatError when neither ``messages`` nor ``messagesTree`` is a list.
    """
    data = load_json(text, source)
    if not isinstance(data, dict):
        raise UnknownFormatError(
            "unexpected JSON shape at $: expected a LibreChat conversation object", where=source
        )
    if isinstance(data.get("messagesTree"), list):
        raw = _flatten(data["messagesTree"])
    elif isinstance(data.get("messages"), list):
        raw = [as_dict(m) for m in data["messages"]]
    else:
        raise UnknownFormatError("no 'messages' or 'messagesTree' list at $", where=source)
    nodes = {as_str(m.get("messageId")) or f"#{i}": m for i, m in enumerate(raw)}
    order = {node_id: i for i, node_id in enumerate(nodes)}
    children: dict[str, list[str]] = {}
    for node_id, m in nodes.items():
        children.setdefault(as_str(m.get("parentMessageId")), []).append(node_id)
    warnings: list[str] = []

    def children_of(node_id: str) -> list[str]:
        return children.get(node_id, [])

    def time_of(node_id: str) -> float:
        return sort_key_time(nodes[node_id].get("createdAt"))

    leaf = latest_leaf(nodes, children_of, lambda n: time_of(n) + order[n] * 1e-9)
    if count_leaves(nodes, children_of) > 1:
        warnings.append(BRANCH_HEURISTIC)

    def parent_of(node_id: str) -> str | None:
        parent = as_str(nodes[node_id].get("parentMessageId"))
        return parent if parent in nodes else None

    ids = path_to_root(leaf, parent_of) if leaf else []
    messages: list[Message] = []
    sender: str | None = None
    for node_id in ids:
        m = nodes[node_id]
        role: Role = "user" if m.get("isCreatedByUser") is True else "assistant"
        if role == "assistant":
            sender = as_str(m.get("sender")) or sender
        parent = as_str(m.get("parentMessageId"))
        alternatives = [
            answer_text(message_blocks(nodes[s])) for s in children.get(parent, []) if s != node_id
        ]
        stamp = as_str(m.get("createdAt")) or None
        messages.append(
            Message(role, message_blocks(m), stamp, [a for a in alternatives if a], {"id": node_id})
        )
    if not messages:
        raise InputError("the conversation holds no messages", where=source)
    model = as_str(as_dict(data.get("options")).get("model")) or sender
    title = as_str(data.get("title")) or None
    return [
        Transcript(
            source=f"{source}#{title or 0}",
            format=FORMAT_ID,
            model=model or None,
            title=title,
            turns=build_turns(messages),
            warnings=warnings,
        )
    ]
