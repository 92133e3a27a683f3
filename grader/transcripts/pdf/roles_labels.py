"""Roles from speaker labels ("Me:", "Grok:", "You said:") and the student's commentary labels
("Note:", "Evaluation:"), in reading order."""

from __future__ import annotations

from collections import Counter

from grader.transcripts.pdf.lines import Line, text_style, weighted


def by_labels(lines: list[Line], body: float) -> None:
    """Roles from speaker labels, in reading order (see the module docstring, point 3)."""
    roles = Counter(ln.label.role for ln in lines if ln.label is not None)
    both = roles["user"] >= 1 and roles["assistant"] >= max(1, roles["user"] // 2)
    text_styles = weighted((text_style(ln.row), len(ln.row.text)) for ln in lines)
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
            ln.why(
                f"speaker label {hit.label!r} repeated at the top of a page: the message continues",
                0.8,
                ("label",),
            )
            continue
        if hit is not None:
            state = hit.role
            label_style = None
            ln.why(f"speaker label {hit.label!r}", 0.9, ("label",))
            if hit.role == "note":
                ln.kind = "annotation"
                continue
            ln.role = hit.role  # type: ignore[assignment]
            if hit.standalone:
                ln.kind = "label"
                start_next = True
            else:
                ln.starts_turn = True
                label_style = text_style(ln.row)
            continue
        if start_next and state in ("user", "assistant"):
            ln.starts_turn = True
        start_next = False
        style = text_style(ln.row)
        if label_style is None:
            label_style = style
        if state == "preamble":
            ln.kind = "annotation"
            ln.why("before the first speaker label: the write-up's own text", 0.6, ("label",))
            continue
        if not both and state in ("user", "note") and style != label_style and style == body_style:
            state = "assistant"
            ln.starts_turn = True
            ln.why("body-style text after a labelled prompt or note: the reply", 0.6, ("label",))
        if state == "note":
            ln.kind = "annotation"
            ln.why("under a commentary label", 0.75, ("label",))
            continue
        ln.role = state  # type: ignore[assignment]
        ln.why(f"follows the {state}'s label", 0.75, ("label",))


def note_labels(lines: list[Line]) -> None:
    """A commentary label ("Evaluation:", "Note:") starts the student's note, which runs on over the
    lines that keep the label line's style (its colour and font); read from an image, where no style
    is known, over the rest of the label's paragraph."""
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.label is None or ln.label.role != "note" or ln.kind != "text":
            i += 1
            continue
        ln.kind = "annotation"
        ln.why(f"commentary label {ln.label.label!r}", 0.85, ("label",))
        style = text_style(ln.row)
        i += 1
        while i < len(lines) and lines[i].kind == "text" and lines[i].label is None:
            if text_style(lines[i].row) != style or lines[i].source != ln.source:
                break
            if ln.source == "ocr" and lines[i].row.meta.get("block") != ln.row.meta.get("block"):
                break  # OCR'd text carries no style to follow: the note runs to the end of its paragraph
            lines[i].kind = "annotation"
            lines[i].why("continues a commentary note in its style", 0.75)
            i += 1
