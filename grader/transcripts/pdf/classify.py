"""Who wrote each line of a PDF: the user, the model (its reply or visible reasoning), the student's
notes for the reader, or the UI and printer around them.

One mechanism for every layout, from evidence that holds across chat UIs and write-ups, each decision
recorded in the line's ``evidence`` with a confidence:

1. **residue**: page furniture (``furniture``), timestamps and UI chrome;
2. **annotations**: PDF annotation objects, typed note fonts, coloured commentary that no speaker uses
   (a remark typed on mid-line after the model's text included: ``colour_tails``), a page typed apart in
   the student's voice (``written_pages``), the student's lead-in to a quoted prompt (``lead_in``),
   commentary typed in the chat's own print, told by its voice and place (``voiced_notes``);
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
   their own (greyer, smaller, in the marker's box) are ``thinking``; in a screenshot, the lines that
   open a reply in a fainter ink than its answer (``reasoning_ocr``).

Where no evidence tells the speakers apart, everything is the model's, with a warning.
"""

from __future__ import annotations

import re
from collections import defaultdict

from grader.transcripts.pdf.colour_tails import split_coloured_tails
from grader.transcripts.pdf.labels import accepted_labels, label_key, speaker_label
from grader.transcripts.pdf.lead_in import lead_ins
from grader.transcripts.pdf.lines import Decision, Line, LineKind, Speaker, label_styled
from grader.transcripts.pdf.page import PageData
from grader.transcripts.pdf.question_headings import question_breaks
from grader.transcripts.pdf.reasoning import coloured_commentary, lighter_reasoning, thinking
from grader.transcripts.pdf.reasoning_ocr import collapsed_headers, faint_openings
from grader.transcripts.pdf.roles_geometry import by_geometry
from grader.transcripts.pdf.roles_labels import by_labels, note_labels
from grader.transcripts.pdf.runin import split_run_in_labels
from grader.transcripts.pdf.screenshots import ocr_geometry, ocr_in_text_chat
from grader.transcripts.pdf.voiced_notes import voiced_notes
from grader.transcripts.pdf.written_pages import written_pages
from grader.transcripts.residue import is_residue_line, is_timestamp
from grader.transcripts.role_evidence import layout_cues_hidden

__all__ = ["Decision", "Line", "LineKind", "Speaker", "classify"]

_UI_CHROME = re.compile(
    r"^\s*(?:Copy(?: code)?|Edit|Share|Retry|Regenerate|Like|Dislike|Ask anything|Message \w+.*|Send"
    r"|ChatGPT can make mistakes.*|.*can make mistakes\. Check important info\.?|Scan QR code.*"
    r"|This is a copy of a conversation between.*|Report conversation|Sources?|Search|Deep ?Think"
    r"|\d+\s*/\s*\d+|<\s*\d+\s*/\s*\d+\s*>|Upgrade.*|Log in|Sign up.*)\s*$",
    re.IGNORECASE,
)


def classify(pages: list[PageData], body: float) -> Decision:
    """Decide the kind and speaker of every row of the document (see the module docstring)."""
    for pd in pages:
        pd.rows = split_coloured_tails(split_run_in_labels(pd.rows))
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
        ln.label = speaker_label(ln.row.text, label_styled(ln.row))
    accepted = accepted_labels([ln.label for ln in chat if ln.label is not None])
    hidden = layout_cues_hidden()  # the experiment switch: no speaker label, bubble or indent counts
    for ln in chat:
        if ln.label is not None and (
            label_key(ln.label) not in accepted or (hidden and ln.label.role in ("user", "assistant"))
        ):
            ln.label = None
    speaker_labels = [ln for ln in chat if ln.label is not None and ln.label.role in ("user", "assistant")]
    warnings: list[str] = []
    text_lines = [ln for ln in chat if ln.source == "text"]
    ocr_lines = [ln for ln in chat if ln.source == "ocr"]
    if len(speaker_labels) >= 2:
        method = "speaker labels"
        by_labels(text_lines if screenshots else chat, body)
    else:
        if screenshots:
            method = "screenshots"
        else:
            method = "none" if hidden else by_geometry(pages, text_lines, by_page)
        if method == "none" and ocr_chars > max(text_chars, 20):
            screenshots, method = True, "screenshots"
    if screenshots:
        if method != "speaker labels":
            for ln in text_lines:
                if ln.label is None or ln.label.role == "note":
                    ln.kind = "annotation"
                    ln.why("the document's own typed text beside screenshots of the chat", 0.7)
        ocr_geometry(ocr_lines)
        method += " + screenshot geometry"
    elif ocr_lines:
        ocr_in_text_chat(lines, pages)
    if method != "speaker labels":
        note_labels(chat)
    thinking(lines)
    lighter_reasoning(lines)
    faint_openings(lines)
    collapsed_headers(lines)
    coloured_commentary(lines, body, labelled=method == "speaker labels")
    written_pages(lines)
    lines = lead_ins(lines)
    voiced_notes(lines)
    if method == "none" and question_breaks(lines, body):
        method = "question headings"
        warnings.append(
            "roles inferred: nothing in this PDF tells the user's messages from the model's; the model's "
            "text is cut into replies at the homework's question headings"
        )
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
