"""Mistral Le Chat per-chat JSON export ``chat-<uuid>.json`` (format id ``lechat-json``).

A bare array of messages ``{id, chatId, role, content, contentChunks, createdAt, files}``. The
array is NOT in chronological order, so messages are sorted by ``createdAt`` (the array index
breaks ties). ``contentChunks`` (when present) is authoritative: ``text`` chunks are joined,
``reference`` chunks (citation markers) dropped, ``thinking`` chunks kept as thinking. Images
and PDFs survive only as file names: they become lossy ``attachment`` blocks without text, so
that "the solution is in the document I give you" is still visible as an attachment. Messages
of several chats in one array are split by ``chatId``.
"""

from __future__ import annotations

from typing import Any

from grader.errors import InputError, UnknownFormatError
from grader.models import Block, Role, Transcript
from grader.transcripts.exports.common import (
    Message,
    as_dict,
    as_list,
    as_str,
    build_turns,
    load_json,
    single_block,
    sort_key_time,
    split_blocks,
    transcript_source,
)

FORMAT_ID = "lechat-json"
_ROLES: dict[str, Role] = {"user": "user", "assistant": "assistant", "system": "system", "tool": "tool"}


def _chunk_text(chunk: dict[str, Any]) -> str:
    value = chunk.get("text", chunk.get("thinking"))
    if isinstance(value, list):
        return "".join(_chunk_text(as_dict(v)) for v in value)
    return as_str(value)


def message_blocks(message: dict[str, Any]) -> list[Block]:
    """The blocks of one Le Chat message: thinking, text (from chunks or ``content``), files."""
    chunks = message.get("contentChunks")
    blocks: list[Block] = []
    if isinstance(chunks, list) and chunks:
        thinking = "".join(
            _chunk_text(as_dict(c)) for c in chunks if as_dict(c).get("type") in ("thinking", "think")
        )
        text = "".join(_chunk_text(as_dict(c)) for c in chunks if as_dict(c).get("type") == "text")
        blocks += single_block("thinking", thinking)
    else:
        text = as_str(message.get("content"))
    blocks += split_blocks(text)
    for file in as_list(message.get("files")):
        file = as_dict(file)
        name, kind = as_str(file.get("name")), as_str(file.get("type")) or "file"
        if name:
            blocks += single_block("attachment", f"[{kind}: {name}]", "lossy", file_name=name, has_text=False)
    return blocks


def _read_chat(items: list[tuple[int, dict[str, Any]]]) -> list[Message]:
    items = sorted(items, key=lambda pair: (sort_key_time(pair[1].get("createdAt")), pair[0]))
    messages: list[Message] = []
    for _, item in items:
        role = _ROLES.get(as_str(item.get("role")))
        if role is None:
            continue
        stamp = as_str(item.get("createdAt")) or None
        messages.append(Message(role, message_blocks(item), stamp, meta={"id": as_str(item.get("id"))}))
    return messages


def read_lechat_json(text: str, source: str) -> list[Transcript]:
    """The chat(s) of a Le Chat export, one transcript per ``chatId``, in time order.

    Raises UnknownFormatError when the top level is not an array of message objects.
    """
    data = load_json(text, source)
    if not isinstance(data, list) or not all(isinstance(m, dict) for m in data):
        raise UnknownFormatError("expected a JSON array of Le Chat message objects at $", where=source)
    chats: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for i, item in enumerate(data):
        chats.setdefault(as_str(item.get("chatId")), []).append((i, item))
    if not chats:
        raise InputError("the export holds no messages", where=source)
    transcripts: list[Transcript] = []
    seen: set[str] = set()
    for i, (chat_id, items) in enumerate(chats.items()):
        label = chat_id if len(chats) > 1 else None
        unknown = sum(1 for _, m in items if as_str(m.get("role")) not in _ROLES)
        warnings = [f"{unknown} message(s) with an unknown role skipped"] if unknown else []
        transcripts.append(
            Transcript(
                source=transcript_source(source, label, i, seen),
                format=FORMAT_ID,
                model="Le Chat",
                title=None,
                turns=build_turns(_read_chat(items)),
                warnings=warnings,
            )
        )
    return transcripts
