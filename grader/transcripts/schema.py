"""The transcript as read, as JSON (``schema: grader.transcript/1``, fixed in DESIGN.md).

Other tools score this object (for example the turn-structure scorer of the course corpus), so its
shape is a contract: ``{"schema", "source", "format", "model", "turns": [{"index", "role",
"blocks": [{"kind", "text", "fidelity", "page", ...}]}], "warnings"}``.
"""

from __future__ import annotations

from typing import Any, get_args

from grader.models import BlockKind, Fidelity, Role, Transcript

TRANSCRIPT_SCHEMA = "grader.transcript/1"

__all__ = ["TRANSCRIPT_SCHEMA", "schema_problems", "summary_lines", "transcript_json"]


def transcript_json(transcript: Transcript) -> dict[str, Any]:
    """The transcript as the ``grader.transcript/1`` JSON object.

    Each block carries ``page`` (1-based, ``None`` for formats without pages) beside its kind,
    text and fidelity; the reader's evidence for its decisions stays in ``meta``.
    """
    turns = []
    for turn in transcript.turns:
        blocks = []
        for block in turn.blocks:
            item: dict[str, Any] = {
                "kind": block.kind,
                "text": block.text,
                "fidelity": block.fidelity,
                "page": block.meta.get("page"),
            }
            if block.meta:
                item["meta"] = {k: v for k, v in block.meta.items() if k != "page"}
            blocks.append(item)
        entry: dict[str, Any] = {"index": turn.index, "role": turn.role, "blocks": blocks}
        if turn.role_inferred:
            entry["role_inferred"] = True
        if turn.meta:
            entry["meta"] = turn.meta
        if turn.timestamp:
            entry["timestamp"] = turn.timestamp
        turns.append(entry)
    return {
        "schema": TRANSCRIPT_SCHEMA,
        "source": transcript.source,
        "format": transcript.format,
        "model": transcript.model,
        "title": transcript.title,
        "turns": turns,
        "warnings": list(transcript.warnings),
    }


def _first_words(text: str, count: int = 10) -> str:
    words = text.split()
    out = " ".join(words[:count])
    return out + (" …" if len(words) > count else "")


def summary_lines(transcript: Transcript) -> list[str]:
    """One line per turn (index, role, page, block kinds, first words), then the warnings."""
    lines = [f"{transcript.source}  [{transcript.format}, {transcript.model or 'unknown model'}]"]
    for turn in transcript.turns:
        pages = sorted({b.meta["page"] for b in turn.blocks if isinstance(b.meta.get("page"), int)})
        page = f"p{pages[0]}" if pages else "  "
        kinds: dict[str, int] = {}
        for b in turn.blocks:
            kinds[b.kind] = kinds.get(b.kind, 0) + 1
        kind_text = ",".join(f"{k}×{n}" if n > 1 else k for k, n in kinds.items())
        chat = " ".join(b.text for b in turn.blocks if b.kind not in ("annotation", "thinking", "residue"))
        role = turn.role + ("?" if turn.role_inferred else "")
        lines.append(f"  {turn.index:>3} {role:<10} {page:<5} {kind_text:<28} {_first_words(chat)}")
        for b in turn.blocks:
            if b.kind in ("annotation", "thinking"):
                lines.append(f"        {b.kind}: {_first_words(b.text, 12)}")
    for w in transcript.warnings:
        lines.append(f"  warning: {w}")
    return lines


def schema_problems(obj: Any) -> list[str]:
    """What makes ``obj`` not a ``grader.transcript/1`` object (empty when it is one).

    Checks the fixed contract: the schema name; ``source``/``format`` strings, ``model``/``title``
    strings or null; ``turns`` as a list of ``{"index": int, "role": one of the roles, "blocks": [...]}``
    with indices 0, 1, 2, ...; each block ``{"kind", "text", "fidelity", "page"}`` with a known kind and
    fidelity and a page that is null or a positive integer; ``warnings`` a list of strings. An error
    object (``{"schema", "source", "error", "turns": []}``, a file that could not be read) is valid too.

    >>> schema_problems({"schema": "grader.transcript/1", "source": "x", "error": "bad", "turns": []})
    []
    >>> schema_problems({"schema": "other"})
    ["schema is 'other', not 'grader.transcript/1'"]
    """
    if not isinstance(obj, dict):
        return [f"not a JSON object but {type(obj).__name__}"]
    problems: list[str] = []
    if obj.get("schema") != TRANSCRIPT_SCHEMA:
        return [f"schema is {obj.get('schema')!r}, not {TRANSCRIPT_SCHEMA!r}"]
    if not isinstance(obj.get("source"), str):
        problems.append("source is not a string")
    if "error" in obj:
        if not isinstance(obj["error"], str) or obj.get("turns") != []:
            problems.append("an error object needs an error message and no turns")
        return problems
    if not isinstance(obj.get("format"), str):
        problems.append("format is not a string")
    for key in ("model", "title"):
        if obj.get(key) is not None and not isinstance(obj.get(key), str):
            problems.append(f"{key} is neither a string nor null")
    warnings = obj.get("warnings")
    if not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings):
        problems.append("warnings is not a list of strings")
    turns = obj.get("turns")
    if not isinstance(turns, list):
        return [*problems, "turns is not a list"]
    roles, kinds, fidelities = set(get_args(Role)), set(get_args(BlockKind)), set(get_args(Fidelity))
    for i, turn in enumerate(turns):
        where = f"turns[{i}]"
        if not isinstance(turn, dict):
            problems.append(f"{where} is not an object")
            continue
        if turn.get("index") != i:
            problems.append(f"{where}.index is {turn.get('index')!r}, not {i}")
        if turn.get("role") not in roles:
            problems.append(f"{where}.role {turn.get('role')!r} is not one of {sorted(roles)}")
        blocks = turn.get("blocks")
        if not isinstance(blocks, list):
            problems.append(f"{where}.blocks is not a list")
            continue
        for j, block in enumerate(blocks):
            at = f"{where}.blocks[{j}]"
            if not isinstance(block, dict):
                problems.append(f"{at} is not an object")
                continue
            if block.get("kind") not in kinds:
                problems.append(f"{at}.kind {block.get('kind')!r} is unknown")
            if not isinstance(block.get("text"), str):
                problems.append(f"{at}.text is not a string")
            if block.get("fidelity") not in fidelities:
                problems.append(f"{at}.fidelity {block.get('fidelity')!r} is unknown")
            page = block.get("page", "missing")
            if page is not None and not (isinstance(page, int) and not isinstance(page, bool) and page >= 1):
                problems.append(f"{at}.page {page!r} is neither null nor a page number")
    return problems
