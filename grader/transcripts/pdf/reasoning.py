"""Visible reasoning ("Thought for 12s" and the lines printed apart after it, or a reply that opens
in a lighter print) and the student's commentary typed among the model's text in a colour of its own."""

from __future__ import annotations

from grader.transcripts.pdf.geometry import is_mono
from grader.transcripts.pdf.katex import KATEX_ERROR_COLOR
from grader.transcripts.pdf.layout import Row, saturated
from grader.transcripts.pdf.lines import THINKING_MARKER, Line, lightness, text_style, weighted


def thinking(lines: list[Line]) -> None:
    """Visible reasoning: a marker line ("Thought for 12s") and the lines after it that are printed
    apart from the answer (markedly lighter, or in another font such as a monospace box), up to the
    first line printed like the answer."""
    order = [ln for ln in lines if ln.kind in ("text", "thinking")]
    answer_rows = [ln.row for ln in order if ln.role == "assistant" and ln.source == "text"]
    colours = weighted((r.color, len(r.text)) for r in answer_rows)
    total = sum(colours.values())
    # the answer's print: the darkest colour of any weight (reasoning is printed lighter, never darker)
    common = [c for c, n in colours.items() if n >= 0.1 * total]
    answer_light = min((lightness(c) for c in common), default=0.0)
    families = weighted((text_style(r)[1], len(r.text)) for r in answer_rows)
    answer_family = families.most_common(1)[0][0] if families else ""

    def apart(row: Row) -> bool:
        family = text_style(row)[1]
        return lightness(row.color) >= answer_light + 0.25 or family not in (answer_family, "math")

    i = 0
    while i < len(order):
        ln = order[i]
        if ln.kind == "text" and THINKING_MARKER.match(ln.row.text):
            ln.kind = "thinking"
            ln.role = "assistant"
            ln.starts_turn = True
            ln.why("a reasoning marker of the chat UI", 0.85, ("reasoning_marker",))
            j = i + 1
            while j < len(order) and _wraps(ln.row, order[j].row):
                order[j].kind = "thinking"
                order[j].role = "assistant"
                order[j].why("the next line of the reasoning marker", 0.8, ("reasoning_marker",))
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


def lighter_reasoning(lines: list[Line]) -> None:
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
        tones = [lightness(ln.row.color) for ln in run]
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


def coloured_commentary(lines: list[Line], body: float, labelled: bool = False) -> None:
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
    colours = weighted((ln.row.color, len(ln.row.text)) for ln in counted)
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
