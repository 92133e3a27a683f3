"""Roles from the layout of the text layer: messages closed by timestamps, and bubbles, message
boxes and indents decided jointly over the whole chat (``smooth.viterbi``)."""

from __future__ import annotations

import re
from collections import Counter

from grader.transcripts.pdf.geometry import Column, bubble_keys, column, indented_blocks
from grader.transcripts.pdf.lines import THINKING_MARKER, Line, Speaker, weighted
from grader.transcripts.pdf.page import PageData
from grader.transcripts.pdf.smooth import ASSISTANT, USER, Step, viterbi
from grader.transcripts.role_evidence import EvidenceKind

CODE_HEADER = re.compile(r"^\s*(?:[A-Za-z][\w+#.-]{0,15}\s+)?Copy code\s*$")
"""The header a chat UI prints over a code block of the model's: its language and "Copy code"."""


def by_timestamps(lines: list[Line], all_lines: list[Line]) -> bool:
    """Roles of messages that the chat UI closes with a timestamp (an exporter's print).

    The timestamps cut the chat into messages; each message's lead (where its prose lines start,
    by their commonest start) tells the speakers apart: the model writes from the margin, the user's
    messages start further right (an avatar, a bubble). With no such difference the messages are
    taken to alternate, starting with the user, on low confidence. Returns False when the document
    has fewer than two timestamps.
    """
    order = sorted(all_lines, key=lambda ln: (ln.row.page, ln.row.top, ln.row.x0))
    if sum(ln.closes_turn for ln in order) < 2:
        return False
    segments: list[list[Line]] = [[]]
    for ln in order:
        if ln.closes_turn:
            segments.append([])
        elif ln.kind == "text" and ln.source in ("text", "ocr"):
            segments[-1].append(ln)
    segments = [seg for seg in segments if seg]
    leads = []
    for seg in segments:
        xs = sorted(
            ln.row.x0
            for ln in seg
            if ln.source == "text" and ln.kind == "text" and len(ln.row.text) >= 12 and not ln.row.math_only
        )
        # where the message's own margin is: a low quantile of its prose starts (lists indent further)
        leads.append(xs[len(xs) // 10] if xs else None)
    known = [v for v in leads if v is not None]
    low = min(known, default=0.0)
    split = any(v - low >= 12 for v in known)
    previous: Speaker | None = None
    for i, (seg, lead) in enumerate(zip(segments, leads, strict=True)):
        if split and lead is not None:
            role: Speaker = "user" if lead - low >= 12 else "assistant"
            reason, conf = (
                f"message (between timestamps) leading at x={lead:.0f}, right of the model's margin",
                0.75,
            )
            if role == "assistant":
                reason = f"message (between timestamps) leading at the margin x={lead:.0f}"
        elif split and previous is not None:
            role = "user" if previous == "assistant" else "assistant"
            reason, conf = "a message without prose of its own (an image): the other speaker's turn", 0.5
        else:
            role = "user" if i % 2 == 0 else "assistant"
            reason, conf = "messages between timestamps taken to alternate (no layout difference)", 0.45
        previous = role
        for ln in seg:
            ln.role = role
            ln.decided = True
            ln.why(reason, conf, ("timestamps",))
        seg[0].starts_turn = True
    return True


MIN_COLUMN_ROWS = 8
"""A page needs this many lines of prose to set its own text column (else the document's is used)."""


def by_geometry(pages: list[PageData], lines: list[Line], by_page: dict[int, list[Line]]) -> str:
    """Roles from bubbles, boxes and indents of the text layer, decided jointly over the whole chat
    (``smooth.viterbi``); returns the method used ("none" when nothing tells the user apart)."""
    if by_timestamps(lines, [ln for pl in by_page.values() for ln in pl]):
        return "timestamps"
    lines = [ln for ln in lines if ln.source == "text"]
    columns: dict[int, Column] = {}
    doc_rows = [ln.row for pl in by_page.values() for ln in pl if ln.kind == "text" and ln.source == "text"]
    whole = column(doc_rows)
    for number, page_lines in by_page.items():
        rows = [ln.row for ln in page_lines if ln.kind == "text" and ln.source == "text"]
        # a page of formulas and short lines (centred ones among them) cannot say where its column
        # ends: the document's column stands for it, or extends it where both start at one margin
        prose = sum(1 for r in rows if len(r.text) >= 25 and not r.math_only)
        own = column(rows) if prose >= MIN_COLUMN_ROWS else whole
        if abs(own.left - whole.left) <= 8 and own.right < whole.right:
            own = Column(own.left, whole.right)
        columns[number] = own
    set_apart: set[int] = set()
    for number, page_lines in by_page.items():
        rows = [ln.row for ln in page_lines if ln.kind == "text" and ln.source == "text"]
        set_apart |= indented_blocks(rows, columns[number])
    keys: dict[int, str] = {}
    for pd in pages:
        keys.update(bubble_keys(pd, columns[pd.number].left if pd.number in columns else None))
    chat = [ln for ln in lines if ln.kind == "text"]
    counts = Counter(keys.get(id(ln.row)) for ln in chat)
    total = sum(counts.values()) or 1
    assistant_keys = {k for k, n in counts.items() if k is not None and n >= 0.4 * total}
    user_keys = {k for k in counts if k is not None and k not in assistant_keys}
    boxed_pages = {ln.row.page for ln in chat if keys.get(id(ln.row)) in assistant_keys}
    bubbled_pages = {ln.row.page for ln in chat if keys.get(id(ln.row)) in user_keys}
    body = weighted((round(ln.row.size), len(ln.row.text)) for ln in chat).most_common(1)
    body_size = float(body[0][0]) if body else 12.0
    steps: list[Step] = []
    reasons: list[list[str]] = []
    cue_kinds: list[list[EvidenceKind]] = []
    prev: Line | None = None
    for ln in chat:
        score, why = 0.0, []
        kinds: list[EvidenceKind] = []
        key = keys.get(id(ln.row))
        row = ln.row
        if key in assistant_keys:
            score -= 3.0
            why.append(f"inside the boxes that hold most of the chat ({key})")
            kinds.append("message_box")
        elif key in user_keys:
            score += 3.0
            why.append(f"inside a message bubble ({key})")
            kinds.append("bubble")
            ln.group = f"bubble:{row.meta.get('bubble_rect')}"
        elif row.page in boxed_pages:
            score += 1.0
            why.append("outside the model's message boxes on its page")
            kinds.append("outside_box")
        elif (
            row.page in bubbled_pages
            and id(row) not in set_apart
            and abs(row.x0 - columns[row.page].left) <= 5
        ):
            score -= 1.0
            why.append("from the margin, outside the user's message bubbles on its page")
            kinds.append("bubble_page")
        if id(row) in set_apart:
            # the block is the evidence, once: its first line carries it, the others follow it
            first_of_block = prev is None or id(prev.row) not in set_apart or prev.row.page != row.page
            score += 3.0 if first_of_block else 0.4
            why.append("set well right of the margin with room around it, as a user's message")
            kinds.append("indent")
            ln.group = ln.group or f"indent:{round(row.x0)}"
        col = columns[row.page]
        if abs(row.x0 - col.left) <= 5 and len(row.text) >= 25:
            score -= 0.7
            why.append("prose from the margin")
            kinds.append("margin")
        elif id(row) not in set_apart and key is None:
            score -= 0.2  # the model writes most of a chat: thin evidence leans its way
        if row.bold and row.size > 1.15 * body_size:
            score -= 0.8
            why.append("a heading")
        if row.math_only:
            score -= 0.5
            why.append("display math")
        forced = None
        cost = 3.0
        if prev is None or row.page != prev.row.page:
            cost = 0.8
        elif row.top - prev.row.bottom > 1.4 * max(row.size, prev.row.size):
            cost = 0.8
        if CODE_HEADER.match(row.text):
            # the UI's header over a code block: only the model's code blocks have one, and the block is
            # set right of the margin like a user's message, so its indent is no evidence of the user
            forced = ASSISTANT
            why.append("the header of a code block of the model's")
            kinds.append("code_header")
        elif THINKING_MARKER.match(row.text):
            forced, cost = ASSISTANT, 0.0
            why.append("a reasoning marker")
            kinds.append("reasoning_marker")
        elif prev is not None and THINKING_MARKER.match(prev.row.text):
            # a reasoning marker opens the model's reply: the line under it is the model's too (the
            # reply's first line may sit in a box or indent of its own, which must not open a message)
            forced = ASSISTANT
            why.append("the line under a reasoning marker")
            kinds.append("reasoning_marker")
        steps.append(Step(score, cost, forced))
        reasons.append(why)
        cue_kinds.append(kinds)
        prev = ln
    if not any(step.score > 0 for step in steps):
        for ln in chat:
            ln.role = "assistant"
            ln.why("no layout cue tells the speakers apart: read as the model's", 0.3)
        return "none"
    states = viterbi(steps)
    found_user = False
    for ln, state, step, why, kinds in zip(chat, states, steps, reasons, cue_kinds, strict=True):
        ln.role = "user" if state == USER else "assistant"
        found_user |= state == USER
        agrees = (step.score > 0) == (state == USER) if step.score else False
        conf = min(0.9, 0.55 + 0.1 * abs(step.score)) if agrees else 0.5
        detail = "; ".join(why) if why else "no layout cue of its own"
        ln.why(f"{ln.role} ({detail}; decided with its neighbours)", conf, kinds)
        if state != USER:
            ln.group = ""
    if not found_user:
        return "none"
    return "bubbles" if keys else "indentation"
