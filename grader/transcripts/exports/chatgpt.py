"""ChatGPT data export ``conversations.json`` (format id ``chatgpt-json``).

The file is an array of conversations (sharded exports ship ``conversations-000.json``... with
the same shape: just more files). Each conversation is a tree, ``mapping`` = id → node
``{parent, children, message}``; ``current_node`` is the leaf the user last saw. The visible
chat is the path from that leaf up to the root. Siblings on the path (an edited prompt, a
regenerated answer) are kept as text in ``Turn.meta["alternatives"]`` and never graded.

Per message: hidden messages (``metadata.is_visually_hidden_from_conversation``, the empty
system root, custom instructions) are dropped; ``thoughts`` and ``reasoning_recap`` content
becomes ``thinking`` blocks; citation markers are stripped; consecutive assistant messages
(reasoning, recap, answer) form one turn. Without a usable ``current_node`` the latest leaf is
taken and the transcript says so in a warning.
"""

from __future__ import annotations

from typing import Any

from grader.errors import InputError
from grader.models import Block, Role, Transcript
from grader.transcripts.exports.common import (
    BRANCH_HEURISTIC,
    Message,
    answer_text,
    as_dict,
    as_list,
    as_str,
    build_turns,
    conversation_list,
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
    strip_citations,
    transcript_source,
)

FORMAT_ID = "chatgpt-json"
_ROLES: dict[str, Role] = {"user": "user", "assistant": "assistant", "system": "system", "tool": "tool"}
_HIDDEN_TYPES = {"user_editable_context", "model_editable_context", "system_error"}


def _is_hidden(message: dict[str, Any]) -> bool:
    meta = as_dict(message.get("metadata"))
    content = as_dict(message.get("content"))
    return (
        bool(meta.get("is_visually_hidden_from_conversation")) or content.get("content_type") in _HIDDEN_TYPES
    )


def _parts_text(content: dict[str, Any]) -> tuple[str, list[Block]]:
    """Text of the string parts, and residue blocks for images and other non-text parts."""
    texts: list[str] = []
    extra: list[Block] = []
    for part in as_list(content.get("parts")):
        if isinstance(part, str):
            texts.append(part)
        elif isinstance(part, dict):
            kind = as_str(part.get("content_type")) or "object"
            if isinstance(part.get("text"), str):
                texts.append(part["text"])
            else:
                extra += single_block("residue", f"[{kind}]", part_type=kind)
    return "\n\n".join(t for t in texts if t.strip()), extra


def message_blocks(message: dict[str, Any]) -> list[Block]:
    """The blocks of one ChatGPT message, by ``content.content_type``."""
    content = as_dict(message.get("content"))
    ctype = as_str(content.get("content_type"))
    if ctype == "thoughts":
        blocks: list[Block] = []
        for thought in as_list(content.get("thoughts")):
            thought = as_dict(thought)
            body = as_str(thought.get("content")) or as_str(thought.get("summary"))
            blocks += single_block("thinking", strip_citations(body), summary=as_str(thought.get("summary")))
        return blocks
    if ctype == "reasoning_recap":
        return single_block("thinking", as_str(content.get("content")), recap=True)
    if ctype == "code":
        body = as_str(content.get("text"))
        return (
            [Block(kind="code", text=body, meta={"language": as_str(content.get("language")) or None})]
            if body
            else []
        )
    if ctype == "execution_output":
        return single_block("code", as_str(content.get("text")), output=True)
    text, extra = _parts_text(content)
    if not text and isinstance(content.get("text"), str):
        text = content["text"]
    return split_blocks(strip_citations(text)) + extra


def _sibling_text(mapping: dict[str, Any], node_id: str, role: str) -> str:
    """The answer text of a sibling branch: the node and its single-child run of the same role."""
    parts: list[str] = []
    seen: set[str] = set()
    current: str | None = node_id
    while current is not None and current not in seen and len(seen) < 50:
        seen.add(current)
        node = as_dict(mapping.get(current))
        message = as_dict(node.get("message"))
        if as_str(as_dict(message.get("author")).get("role")) != role:
            break
        text = answer_text(message_blocks(message))
        if text:
            parts.append(text)
        children = [c for c in as_list(node.get("children")) if isinstance(c, str)]
        current = children[0] if len(children) == 1 else None
    return "\n\n".join(parts)


def _choose_leaf(conv: dict[str, Any], mapping: dict[str, Any], warnings: list[str]) -> str | None:
    current = conv.get("current_node")
    if isinstance(current, str) and current in mapping:
        return current

    def children_of(node_id: str) -> list[str]:
        return [c for c in as_list(as_dict(mapping.get(node_id)).get("children")) if c in mapping]

    def time_of(node_id: str) -> float:
        return sort_key_time(as_dict(as_dict(mapping.get(node_id)).get("message")).get("create_time"))

    leaf = latest_leaf(mapping, children_of, time_of)
    if count_leaves(mapping, children_of) > 1 or current is not None:
        warnings.append(f"{BRANCH_HEURISTIC}: current_node {current!r} not found in mapping")
    return leaf


def read_conversation(conv: dict[str, Any], source: str, path: str) -> Transcript:
    """One conversation object (``path`` is its JSON path, for error messages)."""
    mapping = require_dict(conv.get("mapping"), f"{path}.mapping", source)
    warnings: list[str] = []
    leaf = _choose_leaf(conv, mapping, warnings)

    def parent_of(node_id: str) -> str | None:
        parent = as_dict(mapping.get(node_id)).get("parent")
        return parent if isinstance(parent, str) else None

    ids = path_to_root(leaf, parent_of) if leaf else []
    messages: list[Message] = []
    slug: str | None = None
    for node_id in ids:
        node = as_dict(mapping.get(node_id))
        message = node.get("message")
        if not isinstance(message, dict) or _is_hidden(message):
            continue
        role = _ROLES.get(as_str(as_dict(message.get("author")).get("role")))
        if role is None:
            warnings.append(f"message with unknown author role skipped at {path}.mapping[{node_id!r}]")
            continue
        blocks = message_blocks(message)
        if role == "system" and not answer_text(blocks):
            continue
        if role == "assistant":
            slug = as_str(as_dict(message.get("metadata")).get("model_slug")) or slug
        alternatives: list[str] = []
        parent = as_dict(mapping.get(as_str(node.get("parent"))))
        for sibling in as_list(parent.get("children")):
            if isinstance(sibling, str) and sibling != node_id and sibling in mapping:
                text = _sibling_text(mapping, sibling, as_str(as_dict(message.get("author")).get("role")))
                if text:
                    alternatives.append(text)
        messages.append(
            Message(role, blocks, epoch_to_iso(message.get("create_time")), alternatives, {"id": node_id})
        )
    slug = slug or as_str(conv.get("default_model_slug")) or None
    title = as_str(conv.get("title")) or None
    return Transcript(
        source=source,
        format=FORMAT_ID,
        model=model_label("ChatGPT", slug),
        title=title,
        turns=build_turns(messages),
        warnings=warnings,
    )


def read_chatgpt_json(text: str, source: str) -> list[Transcript]:
    """Every conversation of a ChatGPT ``conversations.json`` (an array, or one conversation).

    Raises InputError for invalid JSON or a conversation without a ``mapping`` object
    (``where`` = source, message names the JSON path).
    """
    data = load_json(text, source)
    convs = conversation_list(data, lambda d: "mapping" in d, source)
    transcripts: list[Transcript] = []
    seen: set[str] = set()
    for i, conv in enumerate(convs):
        conv = require_dict(conv, f"$[{i}]", source)
        transcript = read_conversation(conv, source, f"$[{i}]")
        transcript.source = transcript_source(source, transcript.title, i, seen)
        transcripts.append(transcript)
    if not transcripts:
        raise InputError("the export holds no conversations", where=source)
    return transcripts
