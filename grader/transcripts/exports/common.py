"""Helpers shared by the export readers: JSON loading, tolerant accessors, tree walks, turn
assembly, citation stripping, and the block splitter (text / math / code / table).

Export files are untrusted: every accessor here returns an empty default for a value of the
wrong type instead of raising, and the errors that are raised are :class:`InputError` with the
JSON path (``$[3].mapping``) or the source name in ``where``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from grader.errors import InputError, UnknownFormatError
from grader.models import Block, BlockKind, Fidelity, Role, Span, Turn

K = TypeVar("K", bound=Hashable)

# --------------------------------------------------------------------------- JSON


def load_json(text: str, source: str) -> Any:
    """Parse ``text`` as JSON, turning every failure into an :class:`InputError`.

    >>> load_json('{"a": 1}', "x.json")
    {'a': 1}
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        # An unterminated string can only end at EOF (a raw newline in a string is another error).
        truncated = exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
        hint = " (the file looks truncated)" if truncated else ""
        raise InputError(
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}{hint}", where=source
        ) from None
    except RecursionError:
        raise InputError("JSON nested too deeply to read", where=source) from None


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a dict, else ``{}``."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` when it is a list, else ``[]``."""
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str:
    """``value`` when it is a string, else ``""``."""
    return value if isinstance(value, str) else ""


def conversation_list(data: Any, is_conversation: Callable[[dict[str, Any]], bool], source: str) -> list[Any]:
    """The conversations of an export: a top-level array, or one conversation object.

    Raises UnknownFormatError naming ``source`` when the shape is neither.
    """
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and is_conversation(data):
        return [data]
    shape = f"an object with keys {sorted(data)[:8]}" if isinstance(data, dict) else type(data).__name__
    raise UnknownFormatError(f"unexpected JSON shape at $: {shape}", where=source)


def require_dict(value: Any, path: str, source: str) -> dict[str, Any]:
    """``value`` as a dict, or an :class:`InputError` naming the JSON ``path``."""
    if not isinstance(value, dict):
        raise InputError(f"expected an object at {path}, found {type(value).__name__}", where=source)
    return value


def epoch_to_iso(value: Any) -> str | None:
    """An epoch time (seconds, or milliseconds when > 1e11) as ISO 8601 UTC, else None.

    >>> epoch_to_iso(1704067200)
    '2024-01-01T00:00:00+00:00'
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    seconds = value / 1000 if value > 1e11 else value
    try:
        return datetime.fromtimestamp(seconds, tz=UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def sort_key_time(value: Any) -> float:
    """A sortable number for an epoch or ISO 8601 time; unknown times sort first (-inf)."""
    if isinstance(value, bool):
        return float("-inf")
    if isinstance(value, int | float):
        return float(value / 1000 if value > 1e11 else value)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return float("-inf")
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.timestamp()
    return float("-inf")


def transcript_source(source: str, title: str | None, index: int, seen: set[str]) -> str:
    """``file.json#<title>`` (``#<index>`` when untitled or when the title repeats)."""
    label = (title or "").strip() or str(index)
    if label in seen:
        label = f"{label} ({index})"
    seen.add(label)
    return f"{source}#{label}"


# --------------------------------------------------------------------------- trees

BRANCH_HEURISTIC = "branch chosen heuristically (latest)"


def path_to_root(leaf: K, parent_of: Callable[[K], K | None]) -> list[K]:
    """The ids from the root down to ``leaf``, following ``parent_of``; stops on a cycle."""
    path: list[K] = []
    seen: set[K] = set()
    node: K | None = leaf
    while node is not None and node not in seen:
        seen.add(node)
        path.append(node)
        node = parent_of(node)
    path.reverse()
    return path


def latest_leaf(
    ids: Iterable[K], children_of: Callable[[K], list[K]], time_of: Callable[[K], float]
) -> K | None:
    """The leaf (node without known children) with the latest time; ties go to the later one listed."""
    best: K | None = None
    best_time = float("-inf")
    for node in ids:
        if children_of(node):
            continue
        when = time_of(node)
        if best is None or when >= best_time:
            best, best_time = node, when
    return best


def count_leaves(ids: Iterable[K], children_of: Callable[[K], list[K]]) -> int:
    """How many nodes have no children (more than one means the chat branched)."""
    return sum(1 for node in ids if not children_of(node))


# --------------------------------------------------------------------------- turns


@dataclass
class Message:
    """One message read from an export, before consecutive messages are merged into turns."""

    role: Role
    blocks: list[Block]
    timestamp: str | None = None
    alternatives: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


def build_turns(messages: Iterable[Message], merge_roles: tuple[str, ...] = ("assistant",)) -> list[Turn]:
    """Turns from messages: consecutive messages of a role in ``merge_roles`` become one turn
    (a reasoning message, a recap and the final answer are one assistant turn); messages
    without blocks are dropped. Alternatives (regenerated or edited siblings) are kept, as
    text, in ``Turn.meta["alternatives"]``.
    """
    turns: list[Turn] = []
    for message in messages:
        if not message.blocks:
            continue
        last = turns[-1] if turns else None
        if last is not None and last.role == message.role and message.role in merge_roles:
            last.blocks.extend(message.blocks)
            if message.alternatives:
                last.meta.setdefault("alternatives", []).extend(message.alternatives)
            continue
        meta = dict(message.meta)
        if message.alternatives:
            meta["alternatives"] = list(message.alternatives)
        turns.append(
            Turn(
                index=len(turns),
                role=message.role,
                blocks=message.blocks,
                timestamp=message.timestamp,
                meta=meta,
            )
        )
    return turns


def answer_text(blocks: Iterable[Block]) -> str:
    """The text of the blocks that carry an answer (no thinking, residue or attachments)."""
    return "\n\n".join(b.text for b in blocks if b.kind in ("text", "math", "code", "table"))


def model_label(vendor: str, slug: str | None) -> str:
    """``"ChatGPT (gpt-5-thinking)"``, or the vendor alone when the slug is unknown or repeats it."""
    slug = (slug or "").strip()
    if not slug or slug.lower() == vendor.lower():
        return vendor
    return f"{vendor} ({slug})"


# --------------------------------------------------------------------------- citations

_PRIVATE_MARKER = re.compile("\ue200([^\ue201\ue202]*)(?:\ue202([^\ue201]*))?\ue201")
_LENTICULAR_CITE = re.compile(r"【[^】\n]{0,80}†[^】\n]{0,80}】")


def _private_marker(match: re.Match[str]) -> str:
    # ``\ue200entity\ue202["people","Ada Lovelace",...]\ue201`` displays as the name; every
    # other marker (cite, filecite, navlist, image_group...) displays as nothing.
    if match.group(1) == "entity" and match.group(2):
        try:
            payload = json.loads(match.group(2))
        except (json.JSONDecodeError, RecursionError):
            return ""
        if isinstance(payload, list) and len(payload) > 1 and isinstance(payload[1], str):
            return payload[1]
    return ""


def strip_citations(text: str) -> str:
    """Remove ChatGPT citation markers (``\\ue200cite\\ue202turn0search0\\ue201``, ``【4:0†source】``).

    >>> strip_citations("Adam is adaptive.\\ue200cite\\ue202turn0search0\\ue201 See【3†source】.")
    'Adam is adaptive. See.'
    """
    text = _PRIVATE_MARKER.sub(_private_marker, text)
    text = _LENTICULAR_CITE.sub("", text)
    return text.replace("\ue203", "").replace("\ue204", "").replace("\ue206", "")


# --------------------------------------------------------------------------- blocks

_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
_MATH_ENV = re.compile(r"^\s*\\begin\{(?P<env>equation|align|gather|multline|eqnarray)(?P<star>\*?)\}")
_THEMATIC_BREAK = re.compile(r"^\s*(?:-{3,}|_{3,}|\*{3,})\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class _Piece:
    kind: BlockKind
    first: int  # index of the first line
    last: int  # index of the last line (inclusive)
    text: str
    meta: dict[str, Any]


def _fence_end(lines: list[str], start: int, fence: str) -> int:
    closer = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    for j in range(start + 1, len(lines)):
        if closer.match(lines[j]):
            return j
    return len(lines) - 1


def _math_piece(lines: list[str], i: int) -> _Piece | None:
    stripped = lines[i].strip()
    for opener, closer in (("$$", "$$"), ("\\[", "\\]")):
        if not stripped.startswith(opener):
            continue
        rest = stripped[len(opener) :]
        if closer in rest:  # one line: $$ x $$
            return _Piece("math", i, i, rest[: rest.index(closer)].strip(), {"delimiter": opener})
        body = [rest] if rest else []
        for j in range(i + 1, len(lines)):
            if closer in lines[j]:
                body.append(lines[j][: lines[j].index(closer)])
                return _Piece("math", i, j, "\n".join(body).strip(), {"delimiter": opener})
            body.append(lines[j])
        return None  # never closed: leave it as text
    env = _MATH_ENV.match(lines[i])
    if env:
        end = f"\\end{{{env.group('env')}{env.group('star')}}}"
        for j in range(i, len(lines)):
            if end in lines[j]:
                return _Piece("math", i, j, "\n".join(lines[i : j + 1]).strip(), {"delimiter": "environment"})
    return None


def _table_end(lines: list[str], i: int) -> int | None:
    if i + 1 >= len(lines) or "|" not in lines[i] or "|" not in lines[i + 1]:
        return None
    if not _TABLE_RULE.match(lines[i + 1]):
        return None
    j = i + 2
    while j < len(lines) and lines[j].strip() and "|" in lines[j]:
        j += 1
    return j - 1


def _pieces(lines: list[str]) -> list[_Piece]:
    pieces: list[_Piece] = []
    para: list[int] = []

    def flush() -> None:
        if para:
            body = "\n".join(lines[k] for k in para).strip("\n")
            if body.strip() and not _THEMATIC_BREAK.match(body):
                pieces.append(_Piece("text", para[0], para[-1], body, {}))
            para.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:
            flush()
            end = _fence_end(lines, i, fence.group("fence"))
            closed = end > i and bool(re.match(r"^ {0,3}[`~]{3,}\s*$", lines[end]))
            body = lines[i + 1 : end] if closed else lines[i + 1 : end + 1]
            meta: dict[str, Any] = {"language": fence.group("info").strip() or None}
            if not closed:
                meta["unclosed"] = True
            pieces.append(_Piece("code", i, end, "\n".join(body), meta))
            i = end + 1
            continue
        math = _math_piece(lines, i)
        if math is not None:
            flush()
            pieces.append(math)
            i = math.last + 1
            continue
        table_end = _table_end(lines, i)
        if table_end is not None:
            flush()
            pieces.append(_Piece("table", i, table_end, "\n".join(lines[i : table_end + 1]).strip(), {}))
            i = table_end + 1
            continue
        if not line.strip():
            flush()
        else:
            para.append(i)
        i += 1
    flush()
    return pieces


def split_blocks(
    text: str, fidelity: Fidelity = "exact", origin: tuple[int, int] | None = None
) -> list[Block]:
    """Split a message's Markdown into blocks: display math (``$$...$$``, ``\\[...\\]``,
    ``\\begin{align}``) → ``math``, fenced code → ``code``, pipe tables → ``table``, every other
    paragraph → ``text``. Inline math stays inside its text block.

    ``origin`` = (offset of ``text`` in the source file, 1-based line of its first character)
    gives the blocks spans; without it (text taken from JSON strings) spans are None.

    >>> [b.kind for b in split_blocks("So\\n$$u = -\\\\frac{\\\\alpha}{2} g$$\\n```py\\nx = 1\\n```")]
    ['text', 'math', 'code']
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    starts: list[int] = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    blocks: list[Block] = []
    for piece in _pieces(lines):
        span = None
        if origin is not None:
            base, base_line = origin
            end = starts[piece.last] + len(lines[piece.last])
            span = Span(
                start=base + starts[piece.first],
                end=base + end,
                line_start=base_line + piece.first,
                line_end=base_line + piece.last,
            )
        blocks.append(Block(kind=piece.kind, text=piece.text, span=span, fidelity=fidelity, meta=piece.meta))
    return blocks


def single_block(kind: BlockKind, text: str, fidelity: Fidelity = "exact", **meta: Any) -> list[Block]:
    """A one-block list (``[]`` when ``text`` is blank): thinking, residue and attachment blocks."""
    text = text.strip()
    if not text:
        return []
    return [Block(kind=kind, text=text, fidelity=fidelity, meta=dict(meta))]
