"""Visible reasoning in screenshots of a chat: a reply that opens with lines printed fainter than its
answer.

Chat UIs print the model's reasoning apart from its answer, and the one trait they share is the print: a
collapsed "thinking" summary above the answer, a "Thought for 12s" line, a grey block of reasoning are
drawn in a dimmer ink than the answer under them. In a screenshot no text layer says so, but the pixels
do: each OCR'd line carries its ink's contrast against its background (``ocr_ink``), and lines that open
a model's reply markedly fainter than the rest of that reply are its visible reasoning. Smaller print,
when present, is recorded as further evidence; the faint print decides.

A collapsed reasoning section shows only its header, with a disclosure chevron ("Show thinking ⌄"). In
a UI language the OCR does not read, the header's words come back as letters of nothing, but the
chevron comes back as a lone "v" or ">": a reply whose first line is a short header ending in one is
opened by its (collapsed) reasoning.
"""

from __future__ import annotations

import statistics

from grader.transcripts.pdf.lines import Line

MIN_ANSWER_CONTRAST = 0.4
"""Least contrast of a reply's answer for a fainter print to be told from it (a washed-out screenshot
has no room for two prints)."""
FAINTER_BY = 0.15
"""Least drop in contrast (absolute) from the answer's print to a reasoning line's."""
FAINTER_RATIO = 0.8
"""Most a reasoning line's contrast may be, as a share of the answer's."""


def faint_openings(lines: list[Line]) -> None:
    """Mark as ``thinking`` the lines that open a model's reply in a screenshot printed markedly fainter
    than the reply's answer (see the module docstring). The reply keeps at least half of its lines: a
    reply printed faint throughout is a faint screenshot, not reasoning."""
    for run in _replies(lines):
        measured = [ln for ln in run if "contrast" in ln.row.meta]
        prose = [float(ln.row.meta["contrast"]) for ln in measured if len(ln.row.text.strip()) >= 12]
        if len(measured) < 4 or len(prose) < 3:
            continue
        answer = statistics.median(prose)
        if answer < MIN_ANSWER_CONTRAST:
            continue
        ceiling = min(answer - FAINTER_BY, FAINTER_RATIO * answer)
        sizes = [ln.row.size for ln in run if len(ln.row.text.strip()) >= 12]
        body = statistics.median(sizes) if sizes else 0.0
        faint: list[Line] = []
        for ln in run:
            tone = ln.row.meta.get("contrast")
            if tone is None or float(tone) > ceiling:
                break
            faint.append(ln)
        if not faint or len(faint) > len(run) // 2:
            continue
        for ln in faint:
            if ln.kind == "thinking":
                continue
            detail = [f"contrast {float(ln.row.meta['contrast']):.2f} against the answer's {answer:.2f}"]
            if body and ln.row.size < 0.9 * body:
                detail.append("in smaller print")
            ln.kind = "thinking"
            ln.role = "assistant"
            ln.why(
                "opens the model's reply in a fainter print than its answer ("
                + ", ".join(detail)
                + "): visible reasoning",
                0.6,
            )


CHEVRONS = frozenset({"v", "V", "⌄", "˅", "∨", ">", "›", "»"})
"""How a disclosure chevron comes back from OCR."""


def collapsed_headers(lines: list[Line]) -> None:
    """Mark as ``thinking`` the first line of a model's reply in a screenshot when it is a collapsed
    section's header: one to three words without digits, then a lone disclosure chevron."""
    for run in _replies(lines):
        head = run[0]
        words = head.row.text.split()
        if head.kind != "text" or not 2 <= len(words) <= 4 or words[-1] not in CHEVRONS:
            continue
        if any(ch.isdigit() for ch in head.row.text) or len(run) < 3:
            continue
        head.kind = "thinking"
        head.why(
            "opens the model's reply as a collapsed section's header (a disclosure chevron after a word "
            "or two): its visible reasoning, folded",
            0.55,
        )


def _replies(lines: list[Line]) -> list[list[Line]]:
    """The model's replies in screenshots: runs of OCR'd chat lines of one image and one speaker, in
    reading order (the document's own notes laid over a screenshot do not break a run)."""
    runs: list[list[Line]] = []
    for ln in lines:
        if ln.source != "ocr" or ln.kind not in ("text", "thinking"):
            continue
        image = (ln.row.page, ln.row.meta.get("image"))
        if runs:
            last = runs[-1][-1]
            same = (last.row.page, last.row.meta.get("image")) == image
            if same and ln.role == last.role and not ln.starts_turn:
                runs[-1].append(ln)
                continue
        runs.append([ln])
    return [run for run in runs if run[0].role == "assistant"]
