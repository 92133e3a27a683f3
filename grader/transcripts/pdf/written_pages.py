"""A page the student typed in a document of its own and added to the chat's print (a summary page
after a browser print, a cover note before it).

Evidence, all of it required: the page's text is set in font families that the chat uses on no other
page (another document, not the chat UI's print; the font of the student's notes found elsewhere does
not count as the chat's), and its prose reads in the student's voice,
commenting on the model (``student_notes.voice_score``: "It got everything correct except ...", "I
verified ..."). Such a page is the student's commentary, never the model's or the user's message.
A page in a font of its own that does not read as commentary (a pasted prompt, an appendix) keeps the
roles the layout gave it.
"""

from __future__ import annotations

from collections import defaultdict

from grader.transcripts.pdf.katex import is_katex_font
from grader.transcripts.pdf.layout import family
from grader.transcripts.pdf.lines import Line
from grader.transcripts.student_notes import voice_score

MIN_VOICE = 3
"""The page's text must read this strongly as the student commenting on the model (``voice_score``)."""


def _families(ln: Line) -> set[str]:
    # Type3 fonts are named by their object ("Type3 (16 0 R)"), so a print may give every page its own:
    # they tell no documents apart
    return {
        family(p.font)
        for p in ln.row.pieces
        if p.text.strip() and not is_katex_font(p.font) and not p.font.startswith("Type3")
    }


def written_pages(lines: list[Line]) -> None:
    """Mark as the student's commentary every line of a page written apart (see the module docstring)."""
    typed = [ln for ln in lines if ln.source == "text" and ln.kind in ("text", "thinking")]
    pages: dict[int, list[Line]] = defaultdict(list)
    for ln in typed:
        pages[ln.row.page].append(ln)
    if len(pages) < 2:
        return  # one page: no other page to tell its fonts apart from
    # the chat's fonts on each page (the student's notes elsewhere, already told apart, do not count:
    # a page in the font of the student's sticky notes is theirs all the more)
    line_fams = {id(ln): _families(ln) for ln in typed}
    fams: dict[int, set[str]] = {n: set().union(*(line_fams[id(ln)] for ln in pl)) for n, pl in pages.items()}
    for number, all_lines in pages.items():
        page_lines = [ln for ln in all_lines if ln.kind == "text"]
        own = set().union(*(line_fams[id(ln)] for ln in page_lines)) if page_lines else set()
        elsewhere = set().union(*(f for n, f in fams.items() if n != number))
        if not own or own & elsewhere or any(not line_fams[id(ln)] for ln in page_lines):
            continue
        text = "\n".join(ln.row.text for ln in page_lines)
        score = voice_score(text)
        if score < MIN_VOICE:
            continue
        for ln in page_lines:
            ln.kind = "annotation"
            ln.row.meta["written_page"] = True
            ln.why(
                f"a page set in fonts no other page uses ({', '.join(sorted(own))}), commenting on the "
                f"model (voice score {score}): the student's own write-up",
                0.7,
            )
