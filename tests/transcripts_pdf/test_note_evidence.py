"""The student's notes told from the chat by general evidence, and the line under a reasoning marker, on
small PDFs built here with PyMuPDF: a coloured remark typed on after the model's text on the same line,
a page the student typed in a document of its own, the student's lead-in to a quoted prompt."""

from __future__ import annotations

from typing import Any

import pytest

pymupdf = pytest.importorskip("pymupdf")

from grader.transcripts.pdf import read_pdf  # noqa: E402

BLACK, RED = (0, 0, 0), (0.9, 0, 0)
PROSE = [
    "Gradient descent updates the weights against the gradient of the loss at each step.",
    "With a small enough step size the loss decreases monotonically on a smooth problem.",
    "The critical path of the computation is logarithmic in the sequence length here.",
    "Each kernel element is a sum over the state dimension, computed in parallel.",
]


def _pdf(pages: list[list[tuple[Any, ...]]]) -> bytes:
    """A PDF whose pages hold ``(x, y, text, font, colour)`` items or ``("fill", rect, grey)`` bubbles."""
    doc = pymupdf.open()
    for items in pages:
        page = doc.new_page(width=595, height=842)
        for item in items:
            if item[0] == "fill":
                page.draw_rect(pymupdf.Rect(*item[1]), color=None, fill=item[2])
                continue
            x, y, text, font, colour = item
            page.insert_text((x, y), text, fontsize=11, fontname=font, color=colour)
    return doc.tobytes()


def _blocks(data: bytes) -> list[tuple[str, str, str]]:
    t = read_pdf(data, "t.pdf")
    return [(turn.role, b.kind, b.text) for turn in t.turns for b in turn.blocks]


def _kinds_holding(blocks: list[tuple[str, str, str]], words: str) -> set[str]:
    return {kind for _, kind, text in blocks if words in " ".join(text.split())}


# ------------------------------------------------------------------ a coloured remark typed on mid-line
def test_coloured_remark_after_the_models_text_on_one_line_is_the_students_note() -> None:
    head = "The total critical path is O(log L + log n) overall"
    width = pymupdf.get_text_length(head, fontname="helv", fontsize=11)
    page = [(36, 80 + 16 * i, line, "helv", BLACK) for i, line in enumerate(PROSE)]
    page += [
        (36, 150, head, "helv", BLACK),
        (36 + width + 4, 150, "This could be simplified with some", "helv", RED),
        (36, 166, "more asymptotic analysis, but the reasoning is better.", "helv", RED),
        (36, 182, "The work is linear in the sequence length and the state size.", "helv", BLACK),
    ]
    blocks = _blocks(_pdf([page]))
    assert _kinds_holding(blocks, "This could be simplified with some") == {"annotation"}
    assert _kinds_holding(blocks, "The total critical path is O(log L + log n) overall") == {"text"}
    notes = [text for _, kind, text in blocks if kind == "annotation"]
    assert any("This could be simplified" in n and "asymptotic analysis" in n for n in notes)


def test_a_line_coloured_throughout_is_not_cut() -> None:
    # a blue line (a heading, a link) holds no remark after the model's text: nothing to cut
    page = [(36, 80 + 16 * i, line, "helv", BLACK) for i, line in enumerate(PROSE)]
    page.append((36, 150, "See the reference implementation of the scan", "helv", (0, 0, 0.9)))
    blocks = _blocks(_pdf([page]))
    assert _kinds_holding(blocks, "See the reference implementation of the scan")  # one piece, uncut


# ------------------------------------------------------------------ a page typed apart, after the chat
def _chat_page() -> list[tuple[Any, ...]]:
    return [
        ("fill", (300, 60, 560, 100), (0.9, 0.9, 0.9)),
        (310, 85, "Please solve question 1 of the homework.", "helv", BLACK),
        *[(36, 140 + 16 * i, line, "helv", BLACK) for i, line in enumerate(PROSE)],
    ]


def test_a_page_in_fonts_of_its_own_commenting_on_the_model_is_the_students() -> None:
    summary = [
        (72, 72, "Claude did quite well on this homework. It got everything correct except", "tiro", BLACK),
        (
            72,
            88,
            "question 3d, where it made an arithmetic error. I verified all the other work.",
            "tiro",
            BLACK,
        ),
    ]
    blocks = _blocks(_pdf([_chat_page(), summary]))
    assert _kinds_holding(blocks, "Claude did quite well on this homework") == {"annotation"}
    assert _kinds_holding(blocks, "Gradient descent updates the weights") == {"text"}


def test_a_page_in_fonts_of_its_own_that_does_not_comment_stays_the_chat() -> None:
    appendix = [
        (72, 72, "The derivation continues with the chain rule applied to each layer,", "tiro", BLACK),
        (72, 88, "and the gradient of the output layer is the residual times the input.", "tiro", BLACK),
    ]
    blocks = _blocks(_pdf([_chat_page(), appendix]))
    assert _kinds_holding(blocks, "The derivation continues with the chain rule") == {"text"}


# ------------------------------------------------------------------ the student's lead-in to a prompt
def _write_up(lead: list[str]) -> bytes:
    rows: list[str] = [
        "User:",
        *lead,
        "Solve problem 1 about convolutions and show every step.",
        "Assistant:",
    ]
    rows += PROSE[:2] + ["User:", "Now solve problem 2 on batch normalization.", "Assistant:"] + PROSE[2:]
    page = [(36, 80 + 18 * i, text, "helv", BLACK) for i, text in enumerate(rows)]
    return _pdf([page])


def test_the_students_lead_in_to_a_quoted_prompt_is_a_note() -> None:
    lead = [
        "For this prompt I copied the question from the homework sheet",
        "and asked the model to solve it without the figures:",
    ]
    blocks = _blocks(_write_up(lead))
    assert _kinds_holding(blocks, "I copied the question from the homework sheet") == {"annotation"}
    users = [text for role, kind, text in blocks if role == "user" and kind == "text"]
    assert users[0].startswith("Solve problem 1 about convolutions")


def test_a_lead_in_ending_mid_line_is_cut_before_the_prompt() -> None:
    lead = [
        "I copied a screenshot of the problem and asked Mistral to solve it. Here is my prompt: Solve problem 1"
    ]
    rows = ["User:", *lead, "about convolutions and show every step.", "Assistant:", *PROSE[:2]]
    rows += ["User:", "Now solve problem 2 on batch normalization.", "Assistant:", *PROSE[2:]]
    page = [(36, 80 + 18 * i, text, "helv", BLACK) for i, text in enumerate(rows)]
    blocks = _blocks(_pdf([page]))
    assert _kinds_holding(blocks, "I copied a screenshot of the problem") == {"annotation"}
    users = [text for role, kind, text in blocks if role == "user" and kind == "text"]
    assert users[0].startswith("Solve")


def test_a_prompt_that_speaks_to_the_model_keeps_its_opening() -> None:
    # the same words addressed to the model ("you") are the prompt itself
    lead = [
        "I copied the question from the homework sheet for you,",
        "so please ask the model nothing and solve it:",
    ]
    blocks = _blocks(_write_up(lead))
    assert "annotation" not in _kinds_holding(blocks, "I copied the question from the homework sheet")


# ------------------------------------------------------------------ the line under a reasoning marker
def test_the_line_under_a_reasoning_marker_opens_the_models_reply_on_the_text_layer() -> None:
    # the reply's first line sits in a shaded box of its own (a cited file, a callout), which alone
    # reads as a user's bubble; the reasoning marker above it says the reply starts there
    page = [
        ("fill", (300, 60, 560, 100), (0.9, 0.9, 0.9)),
        (310, 85, "Please solve question 1 of the homework.", "helv", BLACK),
        (36, 140, "Thought for 23s", "helv", BLACK),
        ("fill", (30, 152, 420, 176), (0.9, 0.9, 0.9)),
        (36, 168, "Short answer: the loss decreases at every step.", "helv", BLACK),
        *[(36, 200 + 16 * i, line, "helv", BLACK) for i, line in enumerate(PROSE)],
    ]
    t = read_pdf(_pdf([page]), "t.pdf")
    assert [turn.role for turn in t.turns] == ["user", "assistant"]
    reply = t.turns[1]
    assert "Short answer" in reply.text()
    meta = next(b.meta for b in reply.blocks if "Short answer" in b.text)
    assert "reasoning_marker" in meta.get("role_evidence_kind", [])
