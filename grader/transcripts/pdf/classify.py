"""Who wrote each line of a PDF: the user, the model (its reply or visible reasoning), the student's
notes for the reader, or the UI and printer around them.

One mechanism for every layout, from evidence that holds across chat UIs and write-ups, each decision
recorded in the line's ``evidence`` with a confidence:

1. **residue**: page furniture (``furniture``), timestamps and UI chrome;
2. **annotations**: PDF annotation objects, typed note fonts, coloured commentary that no speaker uses;
3. **speaker labels** ("Me:", "Grok:", "User Prompt 3", "You said:"), when the document uses them as
   labels (``labels.accepted_labels``): a label starts a message of its speaker; in a document that
   labels only one side, text in the body style after a labelled prompt is the reply;
4. **geometry** otherwise: a row inside a message bubble, or set well right of the margin, is the
   user's; a row on the page itself is the model's (``geometry``); a bubble colour that covers most of
   the chat is the model's, and then what lies outside it is the user's;
5. **screenshots**: in a document whose chat is in images, OCR lines are split by the same geometry
   inside each screenshot, and the document's own typed text is the student's commentary unless a
   speaker label says otherwise;
6. **visible reasoning**: a "Thought for 12s"-style marker and the lines that follow it in a style of
   their own (greyer, smaller, in the marker's box) are ``thinking``.

Where no evidence tells the speakers apart, everything is the model's, with a warning.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from grader.transcripts.pdf.geometry import Column, bubble_keys, column, indented_blocks, is_mono, shaded
from grader.transcripts.pdf.katex import KATEX_ERROR_COLOR
from grader.transcripts.pdf.labels import LabelHit, accepted_labels, label_key, speaker_label
from grader.transcripts.pdf.layout import Row, saturated
from grader.transcripts.pdf.page import PageData
from grader.transcripts.pdf.runin import split_run_in_labels
from grader.transcripts.pdf.smooth import ASSISTANT, USER, Step, viterbi
from grader.transcripts.residue import is_residue_line, is_timestamp

Speaker = Literal["user", "assistant"]
LineKind = Literal["text", "annotation", "thinking", "residue", "table", "label"]

THINKING_MARKER = re.compile(
    r"^\s*(?:[›>▸▾▼⌄]\s*|[^\w\s]{1,2}\s*)?(?:Thought for\b.{0,30}|Thought:.*|Thought process:?.*|Thinking(?:\.{0,3}|…)?\s*$"
    r"|Show(?:ing)? thinking\b.*|Hide thinking\b.*|Reasoned for\b.{0,30}|Reasoning(?: process)?\s*:?\s*$"
    r"|Thinking Process:?.*|已深度思考.*|深度思考.*|思考中.*|显示思路.*|已思考.*|Thought for \d+\w*)\s*$",
    re.IGNORECASE,
)
_UI_CHROME = re.compile(
    r"^\s*(?:Copy(?: code)?|Edit|Share|Retry|Regenerate|Like|Dislike|Ask anything|Message \w+.*|Send"
    r"|ChatGPT can make mistakes.*|.*can make mistakes\. Check important info\.?|Scan QR code.*"
    r"|This is a copy of a conversation between.*|Report conversation|Sources?|Search|Deep ?Think"
    r"|\d+\s*/\s*\d+|<\s*\d+\s*/\s*\d+\s*>|Upgrade.*|Log in|Sign up.*)\s*$",
    re.IGNORECASE,
)
_MATH_FONT = re.compile(r"^(?:KaTeX|CM|LM|MathJax|STIX|Cambria ?Math|Latin Modern Math)", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-•◦▪*]|\d+[.)]|\(?[a-z]\)|\(?[ivx]+\))\s+")


@dataclass
class Line:
    """One row with what was decided about it."""

    row: Row
    kind: LineKind = "text"
    role: Speaker = "assistant"
    evidence: list[str] = field(default_factory=list)
    confidence: float = 0.5
    label: LabelHit | None = None
    starts_turn: bool = False
    closes_turn: bool = False
    group: str = ""
    decided: bool = False

    @property
    def source(self) -> str:
        """Where the row came from: text, ocr or annot."""
        return str(self.row.meta.get("source", "text"))

    def why(self, reason: str, confidence: float | None = None) -> None:
        """Record a piece of evidence (and the confidence of the decision it supports)."""
        self.evidence.append(reason)
        if confidence is not None:
            self.confidence = confidence


@dataclass
class Decision:
    """The document-level reading of a PDF: its lines and how the speakers were told apart."""

    lines: list[Line]
    method: str
    warnings: list[str] = field(default_factory=list)


def _weighted(items: Iterable[tuple[Hashable, int]]) -> Counter[Any]:
    """A Counter of keys weighted by their counts (characters of a row: one call per row, not per
    character)."""
    out: Counter[Any] = Counter()
    for key, n in items:
        if n:
            out[key] += n
    return out


def _style(row: Row) -> tuple[str, str]:
    """A row's text style: coarse colour (grey levels folded) and font family."""
    c = row.color
    r, g, b = (c >> 16) & 255, (c >> 8) & 255, c & 255
    if max(r, g, b) - min(r, g, b) < 0x30:
        tone = "dark" if (r + g + b) / 3 < 0x70 else "grey"
    else:
        tone = f"#{r >> 5}{g >> 5}{b >> 5}"
    fonts = Counter(p.font.split("+")[-1].split("-")[0] for p in row.pieces if p.text.strip())
    prose = Counter({f: n for f, n in fonts.items() if not _MATH_FONT.match(f)})
    fam = (prose or fonts).most_common(1)[0][0] if fonts else ""
    if _MATH_FONT.match(fam):
        fam = "math"
    elif fam.startswith("Type3"):
        fam = "Type3"  # a browser print names a Type3 font per style: the name says nothing of the family
    return tone, fam


def _label_styled(row: Row) -> bool:
    """The row's first words are set off: bold, or in a colour (not black or grey)."""
    first = next((p for p in sorted(row.pieces, key=lambda p: p.x0) if p.text.strip()), None)
    if first is None:
        return False
    return first.bold or saturated(first.color)


def _tone(row: Row) -> str:
    return _style(row)[0]


def classify(pages: list[PageData], body: float) -> Decision:
    """Decide the kind and speaker of every row of the document (see the module docstring)."""
    for pd in pages:
        pd.rows = split_run_in_labels(pd.rows)
    lines = [Line(r) for pd in pages for r in pd.all_rows]
    by_page: dict[int, list[Line]] = defaultdict(list)
    for ln in lines:
        by_page[ln.row.page].append(ln)
    _residue(lines)
    if pages:
        _title(lines, body, pages[0].width)
    _notes(lines)
    chat = [ln for ln in lines if ln.kind == "text"]
    text_chars = sum(len(ln.row.text) for ln in chat if ln.source == "text")
    ocr_chars = sum(len(ln.row.text) for ln in chat if ln.source == "ocr")
    screenshots = ocr_chars > max(2 * text_chars, 20)
    for ln in chat:
        ln.label = speaker_label(ln.row.text, _label_styled(ln.row))
    accepted = accepted_labels([ln.label for ln in chat if ln.label is not None])
    for ln in chat:
        if ln.label is not None and label_key(ln.label) not in accepted:
            ln.label = None
    speaker_labels = [ln for ln in chat if ln.label is not None and ln.label.role in ("user", "assistant")]
    warnings: list[str] = []
    text_lines = [ln for ln in chat if ln.source == "text"]
    ocr_lines = [ln for ln in chat if ln.source == "ocr"]
    if len(speaker_labels) >= 2:
        method = "speaker labels"
        _by_labels(text_lines if screenshots else chat, body)
    else:
        method = _by_geometry(pages, text_lines, by_page) if not screenshots else "screenshots"
        if method == "none" and ocr_chars > max(text_chars, 20):
            screenshots, method = True, "screenshots"
    if screenshots:
        if method != "speaker labels":
            for ln in text_lines:
                if ln.label is None or ln.label.role == "note":
                    ln.kind = "annotation"
                    ln.why("the document's own typed text beside screenshots of the chat", 0.7)
        _ocr_geometry(ocr_lines)
        method += " + screenshot geometry"
    elif ocr_lines:
        _ocr_in_text_chat(lines, pages)
    if method != "speaker labels":
        _note_labels(chat)
    _thinking(lines)
    _lighter_reasoning(lines)
    _coloured_commentary(lines, body, labelled=method == "speaker labels")
    if method == "none":
        warnings.append(
            "roles inferred: nothing in this PDF tells the user's messages from the model's "
            "(no bubbles, indents or speaker labels); everything is read as the model's"
        )
    return Decision(lines, method, warnings)


# --------------------------------------------------------------------------- residue and notes


def _title(lines: list[Line], body: float, page_width: float) -> None:
    """The document's title: a large bold row centred at the top of the first page, before the chat."""
    first = [ln for ln in lines if ln.row.page == 0 and ln.kind == "text" and ln.source == "text"]
    if not first:
        return
    top = min(first, key=lambda ln: ln.row.top)
    row = top.row
    if (
        row.bold
        and row.size >= 1.3 * body
        and abs((row.x0 + row.x1) / 2 - page_width / 2) <= 0.05 * page_width
    ):
        top.kind = "residue"
        row.meta["title"] = True
        top.why("the document's title (large, bold, centred above the chat)", 0.8)


def _residue(lines: list[Line]) -> None:
    for ln in lines:
        text = ln.row.text.strip()
        if ln.row.meta.get("furniture"):
            ln.kind = "residue"
            ln.why("page furniture (repeated header/footer, page number, URL)", 0.9)
        elif is_timestamp(text):
            ln.kind = "residue"
            ln.closes_turn = ln.source != "ocr"
            ln.why("message timestamp", 0.9)
        elif is_residue_line(text) or _UI_CHROME.match(text):
            ln.kind = "residue"
            ln.why("chat-UI chrome", 0.8)
        elif sum(ch.isalnum() for ch in text) == 0 and not ln.row.has_math:
            ln.kind = "residue"
            ln.why("no letters or digits", 0.6)


def _notes(lines: list[Line]) -> None:
    for ln in lines:
        if ln.kind != "text":
            continue
        if ln.source == "annot":
            ln.kind = "annotation"
            ln.why(f"PDF annotation object ({ln.row.meta.get('annot', 'note')})", 0.95)
        elif ln.row.note:
            ln.kind = "annotation"
            ln.why("typed note: a coloured font the chat does not use", 0.8)


# --------------------------------------------------------------------------- labels


def _by_labels(lines: list[Line], body: float) -> None:
    """Roles from speaker labels, in reading order (see the module docstring, point 3)."""
    roles = Counter(ln.label.role for ln in lines if ln.label is not None)
    both = roles["user"] >= 1 and roles["assistant"] >= max(1, roles["user"] // 2)
    text_styles = _weighted((_style(ln.row), len(ln.row.text)) for ln in lines)
    body_style = text_styles.most_common(1)[0][0] if text_styles else ("dark", "")
    state: str = "preamble"
    label_style: tuple[str, str] | None = None
    start_next = False
    page = -1
    for ln in lines:
        if ln.kind != "text":
            continue
        hit = ln.label
        new_page, page = ln.row.page != page, ln.row.page
        if hit is not None and hit.standalone and hit.role == state and new_page and hit.role != "note":
            # the speaker's label repeated at the head of the next page (a message box broken over
            # pages repeats its title): the same message goes on
            ln.kind = "label"
            ln.why(f"speaker label {hit.label!r} repeated at the top of a page: the message continues", 0.8)
            continue
        if hit is not None:
            state = hit.role
            label_style = None
            ln.why(f"speaker label {hit.label!r}", 0.9)
            if hit.role == "note":
                ln.kind = "annotation"
                continue
            ln.role = hit.role  # type: ignore[assignment]
            if hit.standalone:
                ln.kind = "label"
                start_next = True
            else:
                ln.starts_turn = True
                label_style = _style(ln.row)
            continue
        if start_next and state in ("user", "assistant"):
            ln.starts_turn = True
        start_next = False
        style = _style(ln.row)
        if label_style is None:
            label_style = style
        if state == "preamble":
            ln.kind = "annotation"
            ln.why("before the first speaker label: the write-up's own text", 0.6)
            continue
        if not both and state in ("user", "note") and style != label_style and style == body_style:
            state = "assistant"
            ln.starts_turn = True
            ln.why("body-style text after a labelled prompt or note: the reply", 0.6)
        if state == "note":
            ln.kind = "annotation"
            ln.why("under a commentary label", 0.75)
            continue
        ln.role = state  # type: ignore[assignment]
        ln.why(f"follows the {state}'s label", 0.75)


def _note_labels(lines: list[Line]) -> None:
    """A commentary label ("Evaluation:", "Note:") starts the student's note, which runs on over the
    lines that keep the label line's style (its colour and font)."""
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.label is None or ln.label.role != "note" or ln.kind != "text":
            i += 1
            continue
        ln.kind = "annotation"
        ln.why(f"commentary label {ln.label.label!r}", 0.85)
        style = _style(ln.row)
        i += 1
        while i < len(lines) and lines[i].kind == "text" and lines[i].label is None:
            if _style(lines[i].row) != style or lines[i].source != ln.source:
                break
            lines[i].kind = "annotation"
            lines[i].why("continues a commentary note in its style", 0.75)
            i += 1


# --------------------------------------------------------------------------- geometry


def _by_timestamps(lines: list[Line], all_lines: list[Line]) -> bool:
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
            ln.why(reason, conf)
        seg[0].starts_turn = True
    return True


MIN_COLUMN_ROWS = 8
"""A page needs this many lines of prose to set its own text column (else the document's is used)."""


def _by_geometry(pages: list[PageData], lines: list[Line], by_page: dict[int, list[Line]]) -> str:
    """Roles from bubbles, boxes and indents of the text layer, decided jointly over the whole chat
    (``smooth.viterbi``); returns the method used ("none" when nothing tells the user apart)."""
    if _by_timestamps(lines, [ln for pl in by_page.values() for ln in pl]):
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
    body = _weighted((round(ln.row.size), len(ln.row.text)) for ln in chat).most_common(1)
    body_size = float(body[0][0]) if body else 12.0
    steps: list[Step] = []
    reasons: list[list[str]] = []
    prev: Line | None = None
    for ln in chat:
        score, why = 0.0, []
        key = keys.get(id(ln.row))
        row = ln.row
        if key in assistant_keys:
            score -= 3.0
            why.append(f"inside the boxes that hold most of the chat ({key})")
        elif key in user_keys:
            score += 3.0
            why.append(f"inside a message bubble ({key})")
            ln.group = f"bubble:{row.meta.get('bubble_rect')}"
        elif row.page in boxed_pages:
            score += 1.0
            why.append("outside the model's message boxes on its page")
        elif (
            row.page in bubbled_pages
            and id(row) not in set_apart
            and abs(row.x0 - columns[row.page].left) <= 5
        ):
            score -= 1.0
            why.append("from the margin, outside the user's message bubbles on its page")
        if id(row) in set_apart:
            # the block is the evidence, once: its first line carries it, the others follow it
            first_of_block = prev is None or id(prev.row) not in set_apart or prev.row.page != row.page
            score += 3.0 if first_of_block else 0.4
            why.append("set well right of the margin with room around it, as a user's message")
            ln.group = ln.group or f"indent:{round(row.x0)}"
        col = columns[row.page]
        if abs(row.x0 - col.left) <= 5 and len(row.text) >= 25:
            score -= 0.7
            why.append("prose from the margin")
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
        if THINKING_MARKER.match(row.text):
            forced, cost = ASSISTANT, 0.0
            why.append("a reasoning marker")
        steps.append(Step(score, cost, forced))
        reasons.append(why)
        prev = ln
    if not any(step.score > 0 for step in steps):
        for ln in chat:
            ln.role = "assistant"
            ln.why("no layout cue tells the speakers apart: read as the model's", 0.3)
        return "none"
    states = viterbi(steps)
    found_user = False
    for ln, state, step, why in zip(chat, states, steps, reasons, strict=True):
        ln.role = "user" if state == USER else "assistant"
        found_user |= state == USER
        agrees = (step.score > 0) == (state == USER) if step.score else False
        conf = min(0.9, 0.55 + 0.1 * abs(step.score)) if agrees else 0.5
        detail = "; ".join(why) if why else "no layout cue of its own"
        ln.why(f"{ln.role} ({detail}; decided with its neighbours)", conf)
        if state != USER:
            ln.group = ""
    if not found_user:
        return "none"
    return "bubbles" if keys else "indentation"


def _continue_bubbles(lines: list[Line], columns: dict[int, Column]) -> None:
    """A line right under a user's line, starting where it starts, continues the same message
    (the short last line of a right-aligned bubble is not itself far from the centre)."""
    chat = [ln for ln in lines if ln.kind == "text"]
    for prev, ln in zip(chat, chat[1:], strict=False):
        if prev.role != "user" or ln.role == "user" or ln.row.page != prev.row.page:
            continue
        col = columns.get(ln.row.page)
        gap = ln.row.top - prev.row.bottom
        if (
            abs(ln.row.x0 - prev.row.x0) <= 3
            and gap < 1.2 * max(ln.row.size, prev.row.size)
            and col is not None
            and ln.row.x0 > col.left + 20
        ):
            ln.role = "user"
            ln.group = prev.group
            ln.why("continues the user's message above (same start, next line)", 0.6)


def _smooth_indents(lines: list[Line]) -> None:
    """A single indented line among the model's text (a quote, a nested item) is the model's."""
    chat = [ln for ln in lines if ln.kind == "text"]
    for i, ln in enumerate(chat):
        if ln.role != "user" or not ln.group.startswith("indent"):
            continue
        prev = chat[i - 1] if i else None
        nxt = chat[i + 1] if i + 1 < len(chat) else None
        lonely = (prev is None or prev.role == "assistant") and (nxt is None or nxt.role == "assistant")
        if lonely and prev is not None and nxt is not None and _BULLET.match(ln.row.text):
            ln.role = "assistant"
            ln.why("a lone indented list item between the model's lines", 0.55)


def _ocr_geometry(lines: list[Line]) -> None:
    """Roles of OCR'd screenshot lines: shading and indent within each screenshot as evidence, decided
    jointly over the document's screenshots like the text layer's (``smooth.viterbi``)."""
    by_image: dict[tuple[int, int], list[Line]] = defaultdict(list)
    for ln in lines:
        if ln.kind == "text":
            by_image[(ln.row.page, int(ln.row.meta.get("image", 0)))].append(ln)
    steps: list[Step] = []
    order: list[tuple[Line, list[str]]] = []
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
        for ln in group:
            row = ln.row
            score, why = 0.0, []
            prose = len(re.findall(r"[A-Za-z]{2,}", row.text)) >= 2
            if prose and shaded(row, base):  # type: ignore[arg-type]
                score += 2.5
                why.append("on a shaded background, like a user's bubble")
            if id(row) in apart:
                score += 2.0
                why.append("set right of the screenshot's margin with room around it")
            if prose and abs(row.x0 - col.left) <= 6 and len(row.text) >= 25:
                score -= 0.7
                why.append("prose from the screenshot's margin")
            cost = 3.0
            if prev is None:
                cost = 0.8  # a new screenshot
            elif row.top - prev.row.bottom > 1.4 * max(row.size, prev.row.size):
                cost = 0.8
            forced = ASSISTANT if THINKING_MARKER.match(row.text) else None
            steps.append(Step(score, 0.0 if forced is not None else cost, forced))
            order.append((ln, why))
            prev = ln
    states = viterbi(steps)
    for (ln, why), state, step in zip(order, states, steps, strict=True):
        ln.role = "user" if state == USER else "assistant"
        if ln.role == "user":
            ln.group = f"ocr:{ln.row.page}:{ln.row.meta.get('image')}"
        agrees = step.score != 0 and (step.score > 0) == (state == USER)
        detail = "; ".join(why) if why else "no layout cue of its own"
        ln.why(f"screenshot line, {ln.role} ({detail}; decided with its neighbours)", 0.6 if agrees else 0.45)


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


def _ocr_in_text_chat(lines: list[Line], pages: list[PageData]) -> None:
    """An image inside a chat printed as text (a pasted screenshot of the question) takes the role of
    where it sits: the model's when it lies in the model's message box, the user's when the model's
    messages are boxed and it lies outside them, or when it is set right of the margin; otherwise the
    role of the text just before it."""
    text = [ln for ln in lines if ln.source == "text" and ln.kind == "text"]
    # the model's messages are boxed when its text sits in the boxes that hold most of the chat (an
    # image outside every such box is then the user's, though no typed line lies outside them)
    boxed = any(
        "model's message boxes" in " ".join(ln.evidence)
        or "boxes that hold most of the chat" in " ".join(ln.evidence)
        for ln in text
    )
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
            ln.why("text of an image inside the model's message box", 0.6)
        elif boxed:
            ln.role = "user"
            ln.why("text of an image outside the model's message boxes: the user's", 0.6)
        elif rect[0] > cols[page].left + max(40.0, 0.1 * cols[page].width):
            ln.role = "user"
            ln.why("text of an image set right of the margin, as the user's attachments are", 0.55)
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


# --------------------------------------------------------------------------- thinking, commentary


def _thinking(lines: list[Line]) -> None:
    """Visible reasoning: a marker line ("Thought for 12s") and the lines after it that are printed
    apart from the answer (markedly lighter, or in another font such as a monospace box), up to the
    first line printed like the answer."""
    order = [ln for ln in lines if ln.kind in ("text", "thinking")]
    answer_rows = [ln.row for ln in order if ln.role == "assistant" and ln.source == "text"]
    colours = _weighted((r.color, len(r.text)) for r in answer_rows)
    total = sum(colours.values())
    # the answer's print: the darkest colour of any weight (reasoning is printed lighter, never darker)
    common = [c for c, n in colours.items() if n >= 0.1 * total]
    answer_light = min((_lightness(c) for c in common), default=0.0)
    families = _weighted((_style(r)[1], len(r.text)) for r in answer_rows)
    answer_family = families.most_common(1)[0][0] if families else ""

    def apart(row: Row) -> bool:
        family = _style(row)[1]
        return _lightness(row.color) >= answer_light + 0.25 or family not in (answer_family, "math")

    i = 0
    while i < len(order):
        ln = order[i]
        if ln.kind == "text" and THINKING_MARKER.match(ln.row.text):
            ln.kind = "thinking"
            ln.role = "assistant"
            ln.starts_turn = True
            ln.why("a reasoning marker of the chat UI", 0.85)
            j = i + 1
            while j < len(order) and _wraps(ln.row, order[j].row):
                order[j].kind = "thinking"
                order[j].role = "assistant"
                order[j].why("the next line of the reasoning marker", 0.8)
                j += 1
            while j < len(order):
                nxt = order[j]
                if THINKING_MARKER.match(nxt.row.text) or nxt.label is not None or nxt.source != ln.source:
                    break
                if nxt.role != "assistant" or nxt.source != "text" or not apart(nxt.row):
                    break
                nxt.kind = "thinking"
                nxt.why("continues the reasoning, printed apart from the answer", 0.7)
                j += 1
            i = j
            continue
        i += 1


def _wraps(first: Row, nxt: Row) -> bool:
    """``nxt`` is the wrapped next line of ``first`` (same start, same font and colour, next line)."""
    fonts = {p.font for p in first.pieces if p.text.strip()}
    other = {p.font for p in nxt.pieces if p.text.strip()}
    return (
        nxt.page == first.page
        and abs(nxt.x0 - first.x0) <= 2
        and fonts == other
        and nxt.color == first.color
        and 0 < nxt.top - first.bottom < 0.8 * first.size
        and not first.text.rstrip().endswith((".", ":", "?", "!"))
    )


def _lightness(color: int) -> float:
    r, g, b = (color >> 16) & 255, (color >> 8) & 255, color & 255
    return (0.299 * r + 0.587 * g + 0.114 * b) / 255


def _lighter_reasoning(lines: list[Line]) -> None:
    """A reply that opens with lines printed markedly lighter than the rest of it (grey reasoning
    shown above the answer, without a marker) opens with its visible reasoning."""
    chat = [ln for ln in lines if ln.kind in ("text", "thinking") and ln.source == "text"]
    runs: list[list[Line]] = []
    for ln in chat:
        if runs and ln.role == runs[-1][-1].role and not ln.starts_turn:
            runs[-1].append(ln)
        else:
            runs.append([ln])
    for run in runs:
        if run[0].role != "assistant" or len(run) < 2:
            continue
        tones = [_lightness(ln.row.color) for ln in run]
        rest = sorted(tones[len(tones) // 2 :])
        answer = rest[len(rest) // 2]
        k = 0
        while k < len(run) - 1 and (run[k].kind == "thinking" or tones[k] >= answer + 0.2):
            k += 1
        if k == 0 or all(ln.kind == "thinking" for ln in run[:k]) or answer + 0.2 > 0.95:
            continue
        for ln in run[:k]:
            if ln.kind != "thinking":
                ln.kind = "thinking"
                ln.why("opens the reply in a markedly lighter print than its answer: visible reasoning", 0.6)


def _reasoning_style(style: tuple[str, str], answer: tuple[str, str] | None) -> bool:
    """A style that sets reasoning apart from the answer: greyer text, or another font family."""
    if answer is None or style == answer:
        return False
    tone, family = style
    return (tone == "grey" and answer[0] != "grey") or (family != answer[1] and family != "math")


def _coloured_commentary(lines: list[Line], body: float, labelled: bool = False) -> None:
    """Saturated-colour lines among the model's text, in a colour no speaker's text uses elsewhere,
    are the student's commentary (a red remark typed after the model's line).

    ``labelled``: speaker labels decided the roles, so a coloured paragraph under the model's label is
    commentary even when the student also typed the prompts in that colour (a write-up that colours
    everything of its own, prompts and remarks alike)."""
    chat = [ln for ln in lines if ln.kind == "text" and ln.source == "text"]
    if not chat:
        return
    # under labels the model's own text is known: the colour must be a minority of the model's text
    counted = [ln for ln in chat if ln.role == "assistant"] if labelled else chat
    colours = _weighted((ln.row.color, len(ln.row.text)) for ln in counted)
    total = sum(colours.values()) or 1
    for ln in chat:
        c = ln.row.color
        if ln.role != "assistant" or not saturated(c) or ln.label is not None or ln.row.raw_latex:
            continue
        if is_mono(ln.row):
            continue  # syntax highlighting of code
        if c == KATEX_ERROR_COLOR:
            continue  # LaTeX that KaTeX failed to render is printed in red: the model's own text
        share = colours[c] / total
        user_uses = not labelled and any(o.row.color == c and o.role == "user" for o in chat)
        if share < 0.3 and not user_uses and len(ln.row.text) >= 12 and not ln.row.has_math:
            ln.kind = "annotation"
            ln.why("coloured text in a colour the chat does not use: the student's commentary", 0.55)
