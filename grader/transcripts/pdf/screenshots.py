"""Roles of text read from images: OCR'd screenshots of a chat split by their own geometry, and an
image inside a chat printed as text placed by where it sits."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from grader.transcripts.pdf.geometry import Column, column, indented_blocks, shaded
from grader.transcripts.pdf.lines import THINKING_MARKER, Line, Speaker
from grader.transcripts.pdf.page import PageData
from grader.transcripts.pdf.smooth import ASSISTANT, USER, Step, viterbi
from grader.transcripts.role_evidence import EvidenceKind


def ocr_geometry(lines: list[Line]) -> None:
    """Roles of OCR'd screenshot lines: shading and indent within each screenshot as evidence, decided
    jointly over the document's screenshots like the text layer's (``smooth.viterbi``)."""
    by_image: dict[tuple[int, int], list[Line]] = defaultdict(list)
    for ln in lines:
        if ln.kind == "text":
            by_image[(ln.row.page, int(ln.row.meta.get("image", 0)))].append(ln)
    steps: list[Step] = []
    order: list[tuple[Line, list[str], list[EvidenceKind]]] = []
    # the chat's own background: the commonest behind the document's OCR'd text (a screenshot cropped
    # to one bubble has the bubble's colour everywhere, so each image cannot be its own reference)
    everywhere = _background_mode([ln for group in by_image.values() for ln in group])
    for key in sorted(by_image):
        group = sorted(by_image[key], key=lambda ln: (ln.row.top, ln.row.x0))
        col = column([ln.row for ln in group])
        own = _background_mode(group)
        # a screenshot in another theme (a dark page among light ones) is its own reference
        base = own if abs(sum(own) - sum(everywhere)) / 3 > 0.3 else everywhere
        apart = indented_blocks([ln.row for ln in group], col)
        prev: Line | None = None
        prev_shaded = False
        for ln in group:
            row = ln.row
            score, why = 0.0, []
            kinds: list[EvidenceKind] = []
            prose = len(re.findall(r"[A-Za-z]{2,}", row.text)) >= 2
            on_shade = shaded(row, base)  # type: ignore[arg-type]
            if prose and on_shade:
                score += 2.5
                why.append("on a shaded background, like a user's bubble")
                kinds.append("shading")
            if id(row) in apart and prose_word(row.text) and not formula_like(row.text):
                score += 2.0
                why.append("set right of the screenshot's margin with room around it")
                kinds.append("offset")
            if prose and abs(row.x0 - col.left) <= 6 and len(row.text) >= 25:
                score -= 0.7
                why.append("prose from the screenshot's margin")
                kinds.append("margin")
            elif not why:
                score -= 0.2  # the model writes most of a chat: a line with no cue of its own leans its way
            cost = 3.0
            if prev is None:
                cost = 0.8  # a new screenshot
            elif row.top - prev.row.bottom > 1.4 * max(row.size, prev.row.size):
                cost = 0.8
            elif prev_shaded and not on_shade:
                cost = 0.8  # out of a shaded bubble onto the page: where a message naturally ends
            forced = ASSISTANT if THINKING_MARKER.match(row.text) else None
            if forced is None and block_header(row.text):
                # a code or table block's header bar with its Copy button: chat UIs draw it in replies
                forced = ASSISTANT
                cost = min(cost, 0.8)
                why.append("the header bar of a code or table block (its Copy button), as in a reply")
            if forced is None and prev is not None and THINKING_MARKER.match(prev.row.text):
                # a reasoning marker opens the model's reply: the line under it is the model's too
                forced = ASSISTANT
                why.append("the line under a reasoning marker")
                kinds.append("reasoning_marker")
                steps.append(Step(score, cost, forced))
            else:
                steps.append(Step(score, 0.0 if forced is not None else cost, forced))
            order.append((ln, why, kinds))
            prev, prev_shaded = ln, on_shade
    states = viterbi(steps)
    for (ln, why, kinds), state, step in zip(order, states, steps, strict=True):
        ln.role = "user" if state == USER else "assistant"
        if ln.role == "user":
            ln.group = f"ocr:{ln.row.page}:{ln.row.meta.get('image')}"
        agrees = step.score != 0 and (step.score > 0) == (state == USER)
        detail = "; ".join(why) if why else "no layout cue of its own"
        ln.why(
            f"screenshot line, {ln.role} ({detail}; decided with its neighbours)",
            0.6 if agrees else 0.45,
            kinds,
        )


_LOWER_WORD = re.compile(r"\b[a-z]{3,}\b")
_OPERATOR_NAMES = frozenset(
    {"arg", "min", "max", "argmin", "argmax", "log", "exp", "sin", "cos", "tan", "det", "sup", "inf", "lim"}
)
"""Names of math operators (``\\arg\\min``, ``\\log``): lowercase words that a formula holds."""
_BLOCK_HEADER = re.compile(r"^\W{0,3}(?:[\w+#.-]{1,20}\s+)?\W{0,3}\s*Copy(?: code)?\W{0,3}$", re.IGNORECASE)


def prose_word(text: str) -> bool:
    """An OCR'd line holds a word (two letters together): a row of icons read as digits and marks
    ("4 0" under a bubble) says nothing about who wrote the lines around it.

    >>> prose_word("Yes"), prose_word("4 0"), prose_word("(0 (")
    (True, False, False)
    """
    return re.search(r"[^\W\d_]{2,}", text) is not None


def block_header(text: str) -> bool:
    """An OCR'd line that is the header bar of a code or table block in a chat UI: at most one word (the
    block's language or kind) and the bar's Copy button, an icon or two read as stray marks around them.

    >>> block_header("Table © Copy"), block_header("python Copy code"), block_header("(0 Copy")
    (True, True, True)
    >>> block_header("Copy the table below into your notes")
    False
    """
    return bool(_BLOCK_HEADER.match(text.strip()))


_FORMULA_SIGN = re.compile(r"[=+\-−*/^|<>≤≥∑∫√()\[\]{}]")


def formula_like(text: str) -> bool:
    """An OCR'd line that reads as a formula, not as words: two signs of arithmetic or grouping (twice as
    many as its lowercase words, when it has two or more), one sign an operator. OCR turns a display
    formula into letters and signs, and a centred formula's box rarely comes back centred, so its
    offset is no user's indent."""
    signs = _FORMULA_SIGN.findall(text)
    operator = any(s not in "()[]{}" for s in signs)  # "(b)" alone is a part's name, not a formula
    words = [w for w in _LOWER_WORD.findall(text) if w not in _OPERATOR_NAMES]
    # a formula set with words in it (``\\text{keys}``) still has more signs than words
    return operator and len(signs) >= max(2, 2 * len(words) if len(words) >= 2 else 0)


def _background_mode(lines: list[Line]) -> tuple[float, float, float]:
    """The chat's page colour behind the lines: among the background colours behind a tenth of the
    text or more, the lightest in a light theme and the darkest in a dark one (a bubble is a tint
    towards the middle, and a long pasted prompt can make the bubble's colour the commonest)."""
    bgs = Counter(
        tuple(round(c, 2) for c in ln.row.meta.get("bg", (1, 1, 1))) for ln in lines for _ in ln.row.text
    )
    if not bgs:
        return (1.0, 1.0, 1.0)
    total = sum(bgs.values())
    common = [c for c, n in bgs.items() if n >= 0.1 * total] or [bgs.most_common(1)[0][0]]
    light = sum(bgs.most_common(1)[0][0]) / 3 > 0.5
    r, g, b = (max if light else min)(common, key=sum)
    return (float(r), float(g), float(b))


def ocr_in_text_chat(lines: list[Line], pages: list[PageData]) -> None:
    """An image inside a chat printed as text (a pasted screenshot of the question) takes the role of
    where it sits: the model's when it lies in the model's message box, the user's when the model's
    messages are boxed and it lies outside them, or when it is set right of the margin; otherwise the
    role of the text just before it."""
    text = [ln for ln in lines if ln.source == "text" and ln.kind == "text"]
    # the model's messages are boxed when its text sits in the boxes that hold most of the chat (an
    # image outside every such box is then the user's, though no typed line lies outside them)
    boxed = any(ln.kinds & {"message_box", "outside_box"} for ln in text)
    order = sorted(lines, key=lambda ln: (ln.row.page, ln.row.top, ln.row.x0))
    last: Speaker = "user"
    cols: dict[int, Column] = {}
    for ln in order:
        if ln.kind != "text":
            continue
        if ln.source != "ocr":
            last = ln.role
            continue
        if ln.decided:
            continue  # its message is known
        page = ln.row.page
        if page not in cols:
            cols[page] = column([t.row for t in text if t.row.page == page])
        rect = ln.row.meta.get("image_rect") or (ln.row.x0, ln.row.top, ln.row.x1, ln.row.bottom)
        inside_model = any(
            t.row.page == page
            and t.role == "assistant"
            and t.row.meta.get("bubble_rect")
            and _contains(t.row.meta["bubble_rect"], rect)
            for t in text
        )
        if inside_model:
            ln.role = "assistant"
            ln.why("text of an image inside the model's message box", 0.6, ("message_box",))
        elif boxed:
            ln.role = "user"
            ln.why("text of an image outside the model's message boxes: the user's", 0.6, ("outside_box",))
        elif rect[0] > cols[page].left + max(40.0, 0.1 * cols[page].width):
            ln.role = "user"
            ln.why(
                "text of an image set right of the margin, as the user's attachments are", 0.55, ("offset",)
            )
        else:
            ln.role = last
            ln.why("text read from an image among the chat: takes the role of the text before it", 0.45)


def _contains(outer: tuple[float, ...], inner: tuple[float, ...]) -> bool:
    return (
        outer[0] - 2 <= inner[0]
        and outer[1] - 2 <= inner[1]
        and outer[2] + 2 >= inner[2]
        and outer[3] + 2 >= inner[3]
    )
