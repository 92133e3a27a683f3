"""Which export reader takes a text: decided by content (three vendors ship a
``conversations.json``), looking only at the first :data:`HEAD_CHARS` characters.

JSON exports are told apart by the keys that appear near the top (a key regex over the head,
no parsing, so a 20 MB export costs the same as a small one):

- ``fragments`` with ``message_id``/``chat_session``/``mapping``  → ``deepseek-json``
- ``mapping`` with ``author``/``content_type``/``current_node``   → ``chatgpt-json``
- ``chat_messages`` with ``sender``                              → ``claude-json``
- ``history`` + ``currentId``, or ``childrenIds``+``parentId``     → ``openwebui-json``
- ``parentMessageId``/``isCreatedByUser``/``messagesTree``         → ``librechat-json``
- ``safeHtmlItem``, or ``header`` + ``title`` "Prompted …"         → ``gemini-takeout-json``
- ``chatId`` + ``createdAt`` + ``role``                            → ``lechat-json``

Text: ``### USER`` / ``### ASSISTANT`` lines → ``openwebui-txt``; an exporter marker style
(see :mod:`exporter_markdown`) → ``exporter-markdown``.
"""

from __future__ import annotations

import re

from grader.transcripts.exports.exporter_markdown import has_markers
from grader.transcripts.exports.openwebui import txt_markers

HEAD_CHARS = 16384
_KEY = re.compile(r'"([A-Za-z_][\w]*)"\s*:')


def _sniff_json(head: str) -> str | None:
    keys = set(_KEY.findall(head))
    if "fragments" in keys and keys & {"message_id", "chat_session", "mapping", "parent_id"}:
        return "deepseek-json"
    if "mapping" in keys and keys & {"author", "content_type", "current_node", "create_time"}:
        return "chatgpt-json"
    if "chat_messages" in keys and keys & {"sender", "uuid"}:
        return "claude-json"
    if ("history" in keys and "currentId" in keys) or {"childrenIds", "parentId"} <= keys:
        return "openwebui-json"
    if keys & {"parentMessageId", "isCreatedByUser", "messagesTree"}:
        return "librechat-json"
    if "safeHtmlItem" in keys or (
        {"header", "title", "time"} <= keys and re.search(r'"title"\s*:\s*"(?:Prompted|Asked)', head)
    ):
        return "gemini-takeout-json"
    if {"chatId", "createdAt", "role"} <= keys:
        return "lechat-json"
    return None


def sniff(text: str) -> str | None:
    """The export format id of ``text``, or None when no export reader applies. Never raises.

    >>> sniff('[{"chatId": "c1", "role": "user", "content": "hi", "createdAt": "2025-12-04T07:35:49Z"}]')
    'lechat-json'
    >>> sniff("### USER\\nsolve Q1\\n\\n### ASSISTANT\\nu = -a g / 2") is None
    False
    """
    try:
        head = text[:HEAD_CHARS].lstrip("\ufeff \t\r\n")
        if head.startswith(("{", "[")):
            return _sniff_json(head)
        window = text[: HEAD_CHARS * 16]
        roles = {m.group("role") for m in txt_markers(window)}
        if {"USER", "ASSISTANT"} <= roles:
            return "openwebui-txt"
        if has_markers(window):
            return "exporter-markdown"
    except Exception:  # sniffing must never raise; a reader will report the real problem
        return None
    return None
