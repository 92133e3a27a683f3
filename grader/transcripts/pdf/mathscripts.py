"""Sub/superscripts and limits of prints other than KaTeX's, read from where their runs sit.

A run set smaller than a neighbour, whose baseline sits above (below) the neighbour's and that starts
where the neighbour ends, is its superscript (subscript), even when the text layer put it on a line
of its own: ``x`` + raised ``T`` -> ``x^{T}``. Over and under a big operator (``∑``, ``∏``, ``∫``, and
``min``/``max``/``lim``...) it is a limit: ``∑_{i=1}^{n}``. Scripts of scripts are attached first
(``ℝ^{d_{2}×d_{1}}``). Every threshold is relative to the base's size.

For every print, KaTeX's included: the power of a tall closing bracket rides at the bracket's top, too far
from the row's baseline to join it by height (:func:`bracket_script`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from functools import lru_cache

from grader.transcripts.pdf.katex import Piece, pieces_text

BIG_OPS = ("∑", "∏", "∐", "∫", "∮", "⋃", "⋂", "⨁", "⨂")
_LIMIT_WORD = re.compile(r"(?:^|[\s(])(?:lim|max|min|sup|inf|argmax|argmin)$")
"""Operator names whose limits a display sets under them (``arg min`` over ``w``)."""
_WORD = re.compile(r"[A-Za-z]{3,}")
_WORD_END = re.compile(r"(?<![A-Za-z])[A-Za-z]{3,}$")
_SCRIPT_RATIO = 1.2
"""A script is set at least this much smaller than its base (TeX: 0.7, browsers: about 0.75)."""
_MAX_SCRIPT_CHARS = 12


def _last_group(text: str) -> int:
    """Where the trailing ``^{..}`` / ``_{..}`` group of ``text`` starts (-1: none)."""
    if not text.endswith("}"):
        return -1
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += {"}": 1, "{": -1}.get(text[i], 0)
        if depth == 0:
            return i - 1 if i > 0 and text[i - 1] in "^_" else -1
    return -1


def _without_scripts(text: str) -> str:
    """``text`` without its trailing script groups (``∑_{i=1}^{n}`` -> ``∑``)."""
    while (start := _last_group(text)) >= 0:
        text = text[:start]
    return text


def _append_script(text: str, kind: str, inner: str) -> str:
    """``text`` with a ``kind`` group of ``inner`` added, inside its own group when it ends with one."""
    start = _last_group(text)
    if start >= 0 and text[start] == kind:
        return text[:-1] + inner + "}"
    return text + kind + "{" + inner + "}"


def _is_big_op(piece: Piece) -> bool:
    return _is_big_op_text(piece.text)


@lru_cache(maxsize=4096)
def _is_big_op_text(text: str) -> bool:
    """Whether a run of this text ends with a big operator (``∑``, ``min``...), its scripts aside: asked
    for every pair of runs near each other, so remembered by text."""
    text = _without_scripts(text.strip())
    return text.endswith(BIG_OPS) or bool(_LIMIT_WORD.search(text))


def _op_extent(piece: Piece) -> tuple[float, float]:
    """Where the operator that ends ``piece`` is drawn (a share of the run by its characters)."""
    if _last_group(piece.text.rstrip()) >= 0:
        return piece.x0, piece.x1  # limits already attached: the run is the operator and its limits
    text = piece.text.rstrip()
    word = _LIMIT_WORD.search(text)
    chars = len(word.group(0).strip(" (")) if word else 1
    share = (piece.x1 - piece.x0) * chars / max(len(text), 1)
    return piece.x1 - share, piece.x1


def _script_kind(s: Piece, base: Piece) -> str:
    """``^`` / ``_`` when ``s`` is a superscript / subscript (or upper / lower limit) of ``base``."""
    if base.size < _SCRIPT_RATIO * s.size or not base.text.strip():
        return ""
    size = base.size
    shift = base.baseline - s.baseline  # > 0: raised
    op_x0, op_x1 = _op_extent(base) if _is_big_op(base) else (0.0, -1.0)
    if op_x0 - 0.3 * size <= s.center_x <= op_x1 + 0.3 * size:
        if 0 < shift <= 1.6 * size and s.bottom <= base.top + 0.4 * size:
            return "^"
        if 0 < -shift <= 2.5 * size and s.top >= base.baseline - 0.4 * size:
            return "_"  # a display operator may hang a whole size below its baseline (TeX's cmex)
    gap = s.x0 - base.x1
    if not -0.15 * size <= gap <= 0.25 * size or base.text[-1].isspace():
        return ""
    if _WORD_END.search(base.text) and _WORD.search(s.text):
        return ""  # a word after a word (text of mixed sizes, a tablet's handwriting): no script
    if 0.08 * size <= abs(shift) <= 0.75 * size:
        return "^" if shift > 0 else "_"
    return ""


def attach_scripts(pieces: list[Piece]) -> tuple[list[Piece], int]:
    """Merge sub/superscripts printed in their own runs (and often read as lines of their own) into
    the run they belong to: ``x`` + raised ``T`` -> ``x^{T}``; scripts of scripts first
    (``ℝ^{d_{2}×d_{1}}``). KaTeX runs are left to the KaTeX reader. Returns the new pieces and the
    number of scripts attached."""
    total = 0
    for _ in range(3):  # a script of a script of a script is as deep as prints go
        pieces, done = _attach_once(pieces)
        total += done
        if not done:
            break
    return pieces, total


def _attach_once(pieces: list[Piece]) -> tuple[list[Piece], int]:
    """One pass of :func:`attach_scripts`: a run that has a script of its own waits for the next."""
    plain = sorted((p for p in pieces if not p.katex and p.text.strip()), key=lambda p: p.baseline)
    if not plain:
        return pieces, 0
    baselines = [p.baseline for p in plain]
    sizes = [p.size for p in plain]
    largest = max(sizes)
    reach = 2.6 * largest  # no base is further from its script than this
    # A script is smaller than its base by _SCRIPT_RATIO, and the next run of a script is within 10% of
    # its size: a run larger than that against the page's largest is neither (most runs of prose).
    script_limit = largest / (_SCRIPT_RATIO * 0.9)
    scripts: dict[int, tuple[Piece, str]] = {}  # id(script) -> (base, kind)
    found: list[Piece] = []
    for s in sorted(plain, key=lambda p: p.x0):
        if len(s.text.strip()) > _MAX_SCRIPT_CHARS or s.size > script_limit:
            continue
        lo, hi = bisect_left(baselines, s.baseline - reach), bisect_right(baselines, s.baseline + reach)
        # Sizes first: no run nearby small enough to be a script of ``s`` (large enough to be its
        # base) means none is (``x * ratio`` grows with ``x``), without asking each run.
        near = sizes[lo:hi]
        if s.size >= _SCRIPT_RATIO * min(near) and any(
            t is not s and s.size >= _SCRIPT_RATIO * t.size and id(t) not in scripts and _script_kind(t, s)
            for t in plain[lo:hi]
        ):
            continue  # its own scripts first: it is attached with them on the next pass
        best: tuple[float, Piece, str] | None = None
        for base in plain[lo:hi] if max(near) >= _SCRIPT_RATIO * s.size else ():
            if base is s or id(base) in scripts or base.size < _SCRIPT_RATIO * s.size:
                continue
            kind = _script_kind(s, base)
            if kind:
                score = abs(s.x0 - base.x1) + abs(base.baseline - s.baseline) * 0.1
                if best is None or score < best[0]:
                    best = (score, base, kind)
        if best is None:  # the next run of a script already found: "n" "×n" after "ℝ"
            prev = next(
                (
                    p
                    for p in found
                    if abs(p.size - s.size) < 0.1 * s.size
                    and abs(p.baseline - s.baseline) < 0.15 * s.size
                    and -0.15 * s.size <= s.x0 - p.x1 <= 0.3 * s.size
                ),
                None,
            )
            if prev is not None:
                scripts[id(s)] = scripts[id(prev)]
                found.append(s)
            continue
        scripts[id(s)] = (best[1], best[2])
        found.append(s)
    if not scripts:
        return pieces, 0
    own: dict[int, list[Piece]] = {}
    for p in found:
        own.setdefault(id(scripts[id(p)][0]), []).append(p)
    merged: dict[int, Piece] = {}
    for base, _ in scripts.values():
        if id(base) in merged:
            continue
        text = base.text
        for kind in ("_", "^"):
            runs = sorted((p for p in own[id(base)] if scripts[id(p)][1] == kind), key=lambda p: p.x0)
            if runs:
                text = _append_script(text, kind, pieces_text(runs, runs[0].baseline, runs[0].size))
        every = [base, *own[id(base)]]
        merged[id(base)] = replace(
            base,
            text=text,
            baseline=_operator_line(base, plain) if _is_big_op(base) else base.baseline,
            x1=max(p.x1 for p in every),
            top=min(p.top for p in every),
            bottom=max(p.bottom for p in every),
            rebuilt=tuple(sorted({*base.rebuilt, "script"})),
        )
    out = [merged.get(id(p), p) for p in pieces if id(p) not in scripts]
    return out, len(scripts)


def _operator_line(op: Piece, pieces: list[Piece]) -> float:
    """The baseline a big operator stands on: that of the run it starts, when its own glyph hangs
    off the line (TeX's display ``∑`` has its baseline near its top)."""
    after = [
        p
        for p in pieces
        if p is not op
        and p.size >= op.size / _SCRIPT_RATIO
        and 0 <= p.x0 - op.x1 <= 0.5 * op.size
        and p.top < op.bottom + 0.5 * op.size
        and p.bottom > op.top
    ]
    return min(after, key=lambda p: p.x0).baseline if after else op.baseline


_CLOSERS = (")", "]", "}", "|", "‖", "⟩", "⌋", "⌉")


def bracket_script(s: Piece, row: list[Piece]) -> bool:
    """Whether ``s`` is the script of a tall closing bracket of ``row``: it starts where the bracket
    ends and sits within the bracket's height, above (or below) the row's baseline by more than a
    script of a letter is (``\\left(\\frac{a}{b}\\right)^{2}``: the ``2`` rides at the bracket's top)."""
    for d in row:
        # a bracket of the text's own height is about 1.2 sizes tall; a display's \right) spans a fraction
        if d.text.strip() not in _CLOSERS or d.bottom - d.top < max(1.3 * d.size, 1.6 * s.size):
            continue
        beside = -0.15 * s.size <= s.x0 - d.x1 <= 0.4 * s.size
        if beside and (d.top < s.bottom < d.bottom or d.top < s.top < d.bottom):
            return True
    return False
