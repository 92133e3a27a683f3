"""Free-form answers as text: answer items, top-level relations, brackets, intervals and unions.

The text level of :func:`grader.mathx.freeform.compare_freeform`: before anything is parsed, an
extracted answer is split into items (:func:`answer_items`: boxes, top-level ``,`` ``;`` "and"
"or", ``\\pm`` expanded), and each item is read for its outer structure: a relation chain
(:func:`relation`), a bracketed group (:func:`brackets`), a union (:func:`split_cup`). Only the
leaves that remain go to the engine (:mod:`grader.mathx.freeform_leaves`). Everything here works
on bracket depth (:func:`depths`), so mismatched interval brackets such as ``[0, 1)`` are fine.
"""

from __future__ import annotations

import re

from grader.mathx.extract import Candidate, clean_answer

_OPEN, _CLOSE = "([{", ")]}"
_REL = re.compile(
    r"\\(?:leqslant|geqslant|approx|neq|leq|geq|le|ge|ne|lt|gt|in)(?![a-zA-Z])|<=|>=|!=|=|<|>|≤|≥|≠|≈|∈"
)
_REL_NAMES = {
    "\\leqslant": "<=", "\\geqslant": ">=", "\\leq": "<=", "\\le": "<=", "\\geq": ">=", "\\ge": ">=",
    "\\neq": "!=", "\\ne": "!=", "\\lt": "<", "\\gt": ">", "\\approx": "~", "\\in": "in",
    "≤": "<=", "≥": ">=", "≠": "!=", "≈": "~", "∈": "in",
}  # fmt: skip


def depths(text: str) -> list[int]:
    """Bracket depth before each character (``\\{`` and ``{`` count; mismatched ``[0,1)`` is fine).

    Example: ``depths("(a)b")`` → ``[0, 1, 1, 0]``.
    """
    out, depth = [], 0
    for ch in text:
        out.append(depth)
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
    return out


def split_top(text: str, seps: str = ",;") -> list[str]:
    r"""Split at top-level separators (``,`` ``;`` and the words "and"/"or"), outside brackets.

    Example: ``split_top(r"(1,2), [0,1) and 3")`` → ``["(1,2)", "[0,1)", "3"]``.
    """
    depth = depths(text)
    parts, start, i = [], 0, 0
    while i < len(text):
        if depth[i] == 0:
            if text[i] in seps:
                parts.append(text[start:i])
                start = i + 1
            elif "," in seps and (i == 0 or not text[i - 1].isalpha() and text[i - 1] != "\\"):
                m = re.match(r"(?:and|or)(?![A-Za-z])", text[i:])
                if m:
                    parts.append(text[start:i])
                    start = i + m.end()
                    i = start
                    continue
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def relation(text: str) -> tuple[list[str], list[str]] | None:
    """Top-level relation chain ``(sides, ops)`` with ops normalised (``\\le`` → ``<=``), or None.

    Example: ``relation(r"0 \\le x < 1")`` → ``(["0", "x", "1"], ["<=", "<"])``.
    """
    depth = depths(text)
    sides, ops, start = [], [], 0
    for m in _REL.finditer(text):
        if depth[m.start()] != 0:
            continue
        sides.append(text[start : m.start()].strip())
        ops.append(_REL_NAMES.get(m.group(0), m.group(0)))
        start = m.end()
    if not ops:
        return None
    sides.append(text[start:].strip())
    if any(not s for s in sides):
        return None
    return sides, ops


def drop_approx(sides: list[str], ops: list[str]) -> tuple[list[str], list[str]]:
    """``x = 1/3 \\approx 0.33``: with an ``=`` in the chain, what follows ``≈`` is dropped.

    Without an ``=``, ``≈`` counts as ``=``. Example: ``drop_approx(["x", "1/3", "0.33"], ["=", "~"])``
    → ``(["x", "1/3"], ["="])``.
    """
    if "=" in ops and "~" in ops:
        cut = len(ops)
        while cut and ops[cut - 1] == "~":
            cut -= 1
        return sides[: cut + 1], ops[:cut]
    return sides, ["=" if o == "~" else o for o in ops]


def is_name(text: str) -> bool:
    """A side that names the answer (``x``, ``f(x)``, ``|AB|``, ``A:B``, ``(p,q)``, ``x_{1}``).

    Example: ``is_name("f(x)")`` → True; ``is_name("11a + c")`` → False.
    """
    t = re.sub(r"_\{[^{}]*\}|_\w", "", text)
    t = re.sub(r"\\[a-zA-Z]+", "a", t)
    if re.search(r"\d", re.sub(r"\([^()]*\)", "", t)) or not re.search(r"[A-Za-z]", t):
        return False
    return not any(d == 0 and ch in "+-" for ch, d in zip(t, depths(t), strict=True))


def strip_wrapper(text: str) -> str:
    """Remove a bare ``{...}`` group (LaTeX grouping, read as a list), brackets drawn around a
    matrix environment, and parentheses around a single letter choice.

    Example: ``strip_wrapper("(C)")`` → ``"C"``; ``strip_wrapper("{1, 2}")`` → ``"1, 2"``.
    """
    t = text.strip()
    if t.startswith("{") and t.endswith("}") and _closes_at_end(t):
        t = t[1:-1].strip()
    if re.fullmatch(r"[(\[]\s*\\begin\{(\w+)\}.*\\end\{\1\}\s*[)\]]", t, re.DOTALL):
        t = t[1:-1].strip()  # a matrix inside \left[ ... \right]
    if re.fullmatch(r"\(\s*[A-Z]\s*\)", t):
        t = t[1:-1].strip()
    return t


def _closes_at_end(t: str) -> bool:
    depth = depths(t)
    return all(d > 0 for d in depth[1:])


def brackets(text: str) -> tuple[str, list[str], str] | None:
    """``(a, b]`` → ``("(", ["a", "b"], "]")`` for a top-level bracketed group, else None.

    Example: ``brackets("(1, 2) + 3")`` → None (the group does not span the whole text).
    """
    t = text.strip()
    m = re.fullmatch(r"(\\\{|[(\[])(.*)(\\\}|[)\]])", t, re.DOTALL)
    if not m or not _closes_at_end(t.replace("\\{", "{").replace("\\}", "}")):
        return None
    return m.group(1), split_top(m.group(2), ",;"), m.group(3)


def canonical_text(text: str) -> str:
    r"""The text without spacing, ``\left``/``\right`` and braces, for a cheap exact match first.

    Example: ``canonical_text(r"\dfrac{1}{2}")`` → ``"\frac12"``.
    """
    t = re.sub(r"\\left|\\right|\\!|\\,|\\;|\\ |\s+", "", text)
    return t.replace("\\dfrac", "\\frac").replace("{", "").replace("}", "")


def _expand_pm(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item.count("\\pm") == 1 and not item.lstrip().startswith("\\{"):
            out.extend([item.replace("\\pm", "+"), item.replace("\\pm", "-")])
        else:
            out.append(item.replace("±", "\\pm") if "±" in item else item)
    return out


def answer_items(cand: Candidate) -> list[str]:
    r"""The items of one extracted answer: boxes, then top-level list separators, ``\pm`` expanded.

    Example: ``answer_items(Candidate(("1 \\pm 2",), "boxed"))`` → ``["1 + 2", "1 - 2"]``.
    """
    items: list[str] = []
    for raw in cand.items:
        raw = strip_wrapper(raw)
        groups = split_top(raw, ";")
        if len(groups) > 1 and any(len(split_top(g, ",")) > 1 for g in groups):
            items.extend(f"({g})" for g in groups)  # "p=5,q=2; p=7,q=2": one tuple per group
        else:
            items.extend(split_top(raw))
    return _expand_pm([strip_wrapper(clean_answer(i)[0]) for i in items])


def split_cup(text: str) -> list[str]:
    r"""The members of a top-level union (``\cup`` or ``∪``); one item when there is none.

    Example: ``split_cup(r"(0, 1) \cup [2, 3]")`` → ``["(0, 1)", "[2, 3]"]``.
    """
    depth = depths(text)
    parts, start = [], 0
    for m in re.finditer(r"\\cup(?![a-zA-Z])|∪", text):
        if depth[m.start()] == 0:
            parts.append(text[start : m.start()])
            start = m.end()
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def inequality_interval(sides: list[str], ops: list[str]) -> str | None:
    """``a < x <= b`` → ``(a, b]``; ``x > a`` → ``(a, \\infty)``; None when not an interval.

    Example: ``inequality_interval(["x", "5"], [">="])`` → ``"[5, \\infty)"``.
    """
    if len(ops) == 2 and ops[0] in ("<", "<=") and ops[1] in ("<", "<="):
        return f"{'(' if ops[0] == '<' else '['}{sides[0]}, {sides[2]}{')' if ops[1] == '<' else ']'}"
    if len(ops) == 2 and ops[0] in (">", ">=") and ops[1] in (">", ">="):
        return inequality_interval(list(reversed(sides)), ["<" if o == ">" else "<=" for o in reversed(ops)])
    if len(ops) == 1 and ops[0] in ("<", "<=", ">", ">="):
        var_left = is_name(sides[0])
        op = ops[0] if var_left else {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[ops[0]]
        bound = sides[1] if var_left else sides[0]
        if op in ("<", "<="):
            return f"(-\\infty, {bound}{')' if op == '<' else ']'}"
        return f"{'(' if op == '>' else '['}{bound}, \\infty)"
    return None
