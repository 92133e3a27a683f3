"""Open WebUI exports (and forks such as Qwen Chat): JSON (``openwebui-json``) and ``.txt``
(``openwebui-txt``).

JSON: an array of chat rows ``{id, title, chat: {models, history: {currentId, messages: {id:
{parentId, childrenIds, role, content, timestamp, model}}}, messages: [...]}}``. The visible
branch is ``history.currentId`` walked up through ``parentId``; ``chat.messages`` (a flat copy
of the active branch, possibly stale) is used only when there is no history tree.

TXT: ``### USER`` / ``### ASSISTANT`` heading lines (exactly, upper case, outside code fences)
separate the messages, so a model's own ``### Part (a)`` headings never split a turn.

In both, reasoning is inline in the assistant's text as ``<details type="reasoning" ...>
<summary>Thought for 10 seconds</summary> > ... </details>``: it becomes a ``thinking`` block
(other ``<details>`` kinds, e.g. tool calls, become residue).
"""

from __future__ import annotations

import re
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
    path_to_root,
    require_dict,
    single_block,
    sort_key_time,
    split_blocks,
    transcript_source,
)

JSON_FORMAT_ID = "openwebui-json"
TXT_FORMAT_ID = "openwebui-txt"
_ROLES: dict[str, Role] = {"user": "user", "assistant": "assistant", "system": "system", "tool": "tool"}
_DETAILS = re.compile(r"<details\b(?P<attrs>[^>]*)>(?P<body>.*?)</details>", re.DOTALL | re.IGNORECASE)
_SUMMARY = re.compile(r"<summary>(?P<summary>.*?)</summary>", re.DOTALL | re.IGNORECASE)
_TYPE = re.compile(r"""type\s*=\s*["']?(?P<type>[\w-]+)""", re.IGNORECASE)
TXT_MARKER = re.compile(r"^### (?P<role>USER|ASSISTANT|SYSTEM)[ \t]*$", re.MULTILINE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _unquote(body: str) -> str:
    return "\n".join(re.sub(r"^\s*> ?", "", line) for line in body.strip().splitlines()).strip()


def content_blocks(content: str, origin: tuple[int, int] | None = None) -> list[Block]:
    """Blocks of an Open WebUI message: ``<details type="reasoning">`` → thinking, the rest split.

    Spans (with ``origin``) are kept for the text outside ``<details>`` only when there is none.
    """
    if "<details" not in content.lower():
        return split_blocks(content, origin=origin)
    blocks: list[Block] = []
    pos = 0
    for match in _DETAILS.finditer(content):
        blocks += split_blocks(content[pos : match.start()])
        kind_match = _TYPE.search(match.group("attrs"))
        kind = kind_match.group("type").lower() if kind_match else ""
        summary_match = _SUMMARY.search(match.group("body"))
        summary = summary_match.group("summary").strip() if summary_match else ""
        body = _SUMMARY.sub("", match.group("body"), count=1)
        if kind in ("reasoning", "thinking", ""):
            blocks += single_block("thinking", _unquote(body) or summary, summary=summary)
        else:
            blocks += single_block(
                "residue", f"[{kind}: {summary}]" if summary else f"[{kind}]", details=kind
            )
        pos = match.end()
    blocks += split_blocks(content[pos:])
    return blocks


# --------------------------------------------------------------------------- JSON


def _read_row(row: dict[str, Any], source: str, path: str) -> Transcript:
    chat = as_dict(row.get("chat")) or row
    history = as_dict(chat.get("history"))
    tree = as_dict(history.get("messages"))
    warnings: list[str] = []
    flat: list[dict[str, Any]]
    if tree:
        nodes = {str(k): as_dict(v) for k, v in tree.items()}
        # childrenIds can be missing or stale: derive the children from parentId, once.
        kids: dict[str, list[str]] = {}
        for key, value in nodes.items():
            parent = value.get("parentId")
            if parent is not None and str(parent) in nodes:
                kids.setdefault(str(parent), []).append(key)

        def children_of(node_id: str) -> list[str]:
            return kids.get(node_id, [])

        current = history.get("currentId")
        leaf = str(current) if current is not None and str(current) in nodes else None
        if leaf is None:
            leaf = latest_leaf(nodes, children_of, lambda n: sort_key_time(nodes[n].get("timestamp")))
            if count_leaves(nodes, children_of) > 1:
                warnings.append(f"{BRANCH_HEURISTIC}: history.currentId {current!r} not found")

        def parent_of(node_id: str) -> str | None:
            parent = nodes[node_id].get("parentId")
            return str(parent) if parent is not None and str(parent) in nodes else None

        ids = path_to_root(leaf, parent_of) if leaf else []
        flat = [nodes[i] | {"_siblings": _siblings(nodes, i, parent_of, children_of)} for i in ids]
    else:
        raw = chat.get("messages")
        if not isinstance(raw, list):
            raise InputError(f"no chat.history.messages or chat.messages at {path}", where=source)
        flat = [as_dict(m) for m in raw]
    messages: list[Message] = []
    models = [m for m in as_list(chat.get("models")) if isinstance(m, str)]
    slug = models[0] if models else None
    for item in flat:
        role = _ROLES.get(as_str(item.get("role")))
        if role is None:
            continue
        if role == "assistant":
            slug = as_str(item.get("model")) or slug
        stamp = epoch_to_iso(item.get("timestamp"))
        alternatives = [t for t in item.get("_siblings", []) if t]
        messages.append(Message(role, content_blocks(as_str(item.get("content"))), stamp, alternatives))
    return Transcript(
        source=source,
        format=JSON_FORMAT_ID,
        model=slug or None,
        title=as_str(row.get("title")) or as_str(chat.get("title")) or None,
        turns=build_turns(messages),
        warnings=warnings,
    )


def _siblings(nodes: dict[str, dict[str, Any]], node_id: str, parent_of: Any, children_of: Any) -> list[str]:
    parent = parent_of(node_id)
    if parent is None:
        return []
    return [
        answer_text(content_blocks(as_str(nodes[s].get("content"))))
        for s in children_of(parent)
        if s != node_id
    ]


def read_openwebui_json(text: str, source: str) -> list[Transcript]:
    """Every chat of an Open WebUI JSON export (an array of rows, or one row).

    Raises InputError / UnknownFormatError naming the JSON path on odd shapes.
    """
    data = load_json(text, source)
    if isinstance(data, dict) and ("chat" in data or "history" in data):
        data = [data]
    if not isinstance(data, list):
        raise UnknownFormatError(
            "unexpected JSON shape at $: expected an array of Open WebUI chats", where=source
        )
    transcripts: list[Transcript] = []
    seen: set[str] = set()
    for i, row in enumerate(data):
        transcript = _read_row(require_dict(row, f"$[{i}]", source), source, f"$[{i}]")
        transcript.source = transcript_source(source, transcript.title, i, seen)
        transcripts.append(transcript)
    if not transcripts:
        raise InputError("the export holds no chats", where=source)
    return transcripts


# --------------------------------------------------------------------------- TXT


def txt_markers(text: str) -> list[re.Match[str]]:
    """The ``### USER`` / ``### ASSISTANT`` marker lines of ``text`` that are outside code fences."""
    markers: list[re.Match[str]] = []
    fence: str | None = None
    pos = 0
    for line in text.splitlines(keepends=True):
        opener = _FENCE.match(line)
        if opener:
            mark = opener.group(1)[0]
            fence = None if fence == mark else (fence or mark)
        elif fence is None:
            match = TXT_MARKER.match(line.rstrip("\n"))
            if match:
                markers.append(TXT_MARKER.match(text, pos) or match)
        pos += len(line)
    return markers


def read_openwebui_txt(text: str, source: str) -> list[Transcript]:
    """The one chat of an Open WebUI / Qwen Chat ``.txt`` export.

    Raises UnknownFormatError when the text has no ``### USER`` and ``### ASSISTANT`` markers.
    """
    text = text.replace("\r\n", "\n")
    markers = txt_markers(text)
    if not {m.group("role") for m in markers} >= {"USER", "ASSISTANT"}:
        raise UnknownFormatError("no '### USER' and '### ASSISTANT' marker lines", where=source)
    warnings: list[str] = []
    preamble = text[: markers[0].start()]
    if preamble.strip():
        lines = len(preamble.strip().splitlines())
        warnings.append(f"ignored {lines} line(s) before the first ### marker")
    messages: list[Message] = []
    for k, marker in enumerate(markers):
        start = marker.end() + 1 if marker.end() < len(text) else marker.end()
        end = markers[k + 1].start() if k + 1 < len(markers) else len(text)
        body = text[start:end]
        origin = (start, text.count("\n", 0, start) + 1)
        role: Role = _ROLES[marker.group("role").lower()]
        messages.append(Message(role, content_blocks(body, origin)))
    return [
        Transcript(source=source, format=TXT_FORMAT_ID, turns=build_turns(messages, ()), warnings=warnings)
    ]
