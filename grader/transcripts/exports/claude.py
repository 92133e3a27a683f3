"""Claude.ai account export ``conversations.json`` (format id ``claude-json``).

An array of conversations ``{uuid, name, created_at, chat_messages: [...]}``; each message has
``sender`` (``human`` | ``assistant``), a flat ``text`` and typed ``content[]`` blocks. The typed
blocks are authoritative: the flat ``text`` glues the thinking onto the answer and holds
"This block is not supported on your current device yet" placeholders, so it is only a
fallback when ``content`` is absent. ``thinking`` blocks become ``thinking``, artifacts
(``tool_use`` named ``artifacts``) are read as the answer text they hold, other tool calls are
kept as residue, and attachments' ``extracted_content`` become ``attachment`` blocks.
"""

from __future__ import annotations

from typing import Any

from grader.errors import InputError
from grader.models import Block, Role, Transcript
from grader.transcripts.exports.common import (
    Message,
    as_dict,
    as_list,
    as_str,
    build_turns,
    conversation_list,
    load_json,
    model_label,
    require_dict,
    single_block,
    sort_key_time,
    split_blocks,
    transcript_source,
)

FORMAT_ID = "claude-json"
_SENDERS: dict[str, Role] = {"human": "user", "user": "user", "assistant": "assistant"}
_PLACEHOLDER = "This block is not supported on your current device yet."


def _content_blocks(item: dict[str, Any]) -> list[Block]:
    kind = as_str(item.get("type"))
    if kind == "text":
        return split_blocks(as_str(item.get("text")))
    if kind == "thinking":
        summaries = [as_str(as_dict(s).get("summary")) for s in as_list(item.get("summaries"))]
        return single_block("thinking", as_str(item.get("thinking")), summaries=[s for s in summaries if s])
    if kind == "tool_use":
        name = as_str(item.get("name"))
        tool_input = as_dict(item.get("input"))
        body = as_str(tool_input.get("content"))
        if name == "artifacts" and body:
            language = as_str(tool_input.get("language"))
            if language and language not in ("markdown", "md"):
                return [Block(kind="code", text=body, meta={"language": language, "artifact": True})]
            return [b.model_copy(update={"meta": {**b.meta, "artifact": True}}) for b in split_blocks(body)]
        return single_block("residue", f"[tool call: {name or 'unknown'}]", tool=name)
    if kind == "tool_result":
        return single_block("residue", f"[tool result: {as_str(item.get('name')) or 'unknown'}]")
    return []


def message_blocks(message: dict[str, Any]) -> list[Block]:
    """The blocks of one ``chat_messages`` entry: typed content, then attachments and files."""
    blocks: list[Block] = []
    content = as_list(message.get("content"))
    for item in content:
        blocks += _content_blocks(as_dict(item))
    if not content:
        blocks += split_blocks(as_str(message.get("text")).replace(_PLACEHOLDER, ""))
    for attachment in as_list(message.get("attachments")):
        attachment = as_dict(attachment)
        name = as_str(attachment.get("file_name"))
        blocks += single_block("attachment", as_str(attachment.get("extracted_content")), file_name=name)
    for file in as_list(message.get("files")):
        name = as_str(as_dict(file).get("file_name"))
        if name:
            blocks += single_block("attachment", f"[file: {name}]", "lossy", file_name=name, has_text=False)
    return blocks


def read_conversation(conv: dict[str, Any], source: str, path: str) -> Transcript:
    """One conversation object (``path`` is its JSON path, for error messages)."""
    raw = conv.get("chat_messages")
    if not isinstance(raw, list):
        raise InputError(f"expected a list at {path}.chat_messages, found {type(raw).__name__}", where=source)
    warnings: list[str] = []
    messages: list[Message] = []
    for j, item in enumerate(raw):
        item = as_dict(item)
        role = _SENDERS.get(as_str(item.get("sender")).lower())
        if role is None:
            warnings.append(f"message with unknown sender skipped at {path}.chat_messages[{j}]")
            continue
        stamp = as_str(item.get("created_at")) or None
        messages.append(Message(role, message_blocks(item), stamp, meta={"id": as_str(item.get("uuid"))}))
    # The export lists messages in order; sort only when the times say otherwise (stable sort).
    order = [sort_key_time(m.timestamp) for m in messages]
    if order != sorted(order) and all(t != float("-inf") for t in order):
        messages.sort(key=lambda m: sort_key_time(m.timestamp))
        warnings.append("messages were not in time order; sorted by created_at")
    return Transcript(
        source=source,
        format=FORMAT_ID,
        model=model_label("Claude", as_str(conv.get("model")) or None),
        title=as_str(conv.get("name")) or None,
        turns=build_turns(messages),
        warnings=warnings,
    )


def read_claude_json(text: str, source: str) -> list[Transcript]:
    """Every conversation of a Claude ``conversations.json`` (an array, or one conversation).

    Raises InputError for invalid JSON or a conversation without a ``chat_messages`` list.
    """
    data = load_json(text, source)
    convs = conversation_list(data, lambda d: "chat_messages" in d, source)
    transcripts: list[Transcript] = []
    seen: set[str] = set()
    for i, conv in enumerate(convs):
        transcript = read_conversation(require_dict(conv, f"$[{i}]", source), source, f"$[{i}]")
        transcript.source = transcript_source(source, transcript.title, i, seen)
        transcripts.append(transcript)
    if not transcripts:
        raise InputError("the export holds no conversations", where=source)
    return transcripts
