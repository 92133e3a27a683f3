"""Roles and turns of generated exporter PDFs: bubbles across page breaks, notes, chips, pale bubbles."""

from __future__ import annotations

from typing import get_args

import pytest

pytest.importorskip("pymupdf")

from grader.transcripts.pdf import read_pdf  # noqa: E402
from grader.transcripts.role_evidence import STRONG_KINDS, USER_LAYOUT_KINDS, EvidenceKind  # noqa: E402
from tests.transcripts_pdf.pdfgen import BEIGE, GREY, build, rule  # noqa: E402

CLAUDE_FOOTER = ("text", 200, 830, "Powered by Claude Exporter", 9)
CHATGPT_FOOTER = ("text", 200, 830, "Powered by ChatGPT Exporter", 9)

CLAUDE_FIRST_PAGE = [
    ("text", 78, 80, "Please solve question 1."),
    ("text", 47, 130, "10/13/2025, 12:47:31 PM", 8),
    ("fill", 36, 150, 560, 806, BEIGE),
    ("text", 49, 200, "Looking at this problem, I need the gradient."),
    CLAUDE_FOOTER,
]


# ------------------------------------------------------------------ a message running over a page break
@pytest.mark.parametrize(
    "box",
    [
        # the exporter fills the message box on the next page too
        [("fill", 36, 54, 560, 500, BEIGE)],
        # a page wholly inside a long message: only the box's two side borders are drawn
        [("fill", 36, 54, 37, 806, BEIGE), ("fill", 559.5, 54, 560.5, 806, BEIGE)],
        # the box drawn as an outline only
        [("stroke", 36, 54, 560, 500, BEIGE)],
    ],
    ids=["filled", "side-borders", "outline"],
)
def test_claude_message_continued_on_next_page_keeps_its_role(box: list[tuple]) -> None:
    second = [*box, ("text", 49, 100, "The answer continues here."), CLAUDE_FOOTER]
    second.append(("text", 47, 790, "10/13/2025, 12:47:48 PM", 8))
    t = read_pdf(build([CLAUDE_FIRST_PAGE, second]), "claude.pdf")
    assert [turn.role for turn in t.turns] == ["user", "assistant"]
    assert "The answer continues here." in t.turns[1].text()


# ------------------------------------------------------------------ the student's notes never split a turn
def test_note_next_to_a_timestamp_neither_splits_nor_relabels_the_answer() -> None:
    page = [
        ("text", 78, 80, "Please solve question 1 and explain every step of it."),
        ("note", 181, 110, "It one-shot the problem,"),
        ("text", 47, 118, "10/13/2025, 12:47:31 PM", 8),
        ("note", 181, 124, "and explained each step."),
        ("fill", 36, 150, 560, 806, BEIGE),
        ("text", 63, 190, "Thought: Solved the problem."),
        ("text", 49, 220, "The answer is 42, since the loss is zero there and nowhere else."),
        ("text", 49, 240, "Each step of the derivation is shown above in the working."),
        CLAUDE_FOOTER,
    ]
    t = read_pdf(build([page]), "notes.pdf")
    assert [turn.role for turn in t.turns] == ["user", "assistant"]
    assert [b.text for _, b in t.annotations()] == ["It one-shot the problem, and explained each step."]
    assert [b.kind for b in t.turns[1].blocks][:2] == ["thinking", "text"]


# ------------------------------------------------------------------ ChatGPT exporter chips
def test_attachment_card_is_the_users_and_citation_pills_are_dropped() -> None:
    page = [
        ("heading", 190, 70, "Special Participation A"),  # the exporter's centred title
        ("stroke", 319, 135, 560, 178, (0.05, 0.05, 0.05)),
        ("text", 362, 152, "hw2.pdf", 10.5),
        ("text", 362, 167, "PDF", 9),
        ("fill", 193, 184, 560, 260, GREY),
        ("text", 205, 205, "Please solve question 1 of the attached worksheet."),
        ("text", 36, 300, "Question 1 answer follows."),
        ("fill", 185, 290, 225, 305, (0.957, 0.957, 0.957)),
        ("text", 195, 301, "hw2", 7.5),
        ("text", 36, 330, "The update is minus alpha over two times the gradient."),
        CHATGPT_FOOTER,
    ]
    t = read_pdf(build([page]), "chatgpt.pdf")
    assert t.title == "Special Participation A"  # not a message of either side
    assert [turn.role for turn in t.turns] == ["user", "assistant"]
    chip = next(b for b in t.turns[0].blocks if b.kind == "attachment")
    assert (chip.text, chip.fidelity) == ("hw2.pdf", "lossy")  # the file itself is not in the PDF
    answer = [b.text for b in t.turns[1].blocks if b.kind == "text"]
    assert answer == ["Question 1 answer follows.", "The update is minus alpha over two times the gradient."]


# ------------------------------------------------------------------ pale (blue) user bubbles
@pytest.mark.parametrize(
    "fill",
    [
        (0.929, 0.953, 0.996),  # DeepSeek's light blue: one channel is almost white
        (0.914, 0.914, 0.914),  # ChatGPT's light grey
    ],
)
def test_pale_indented_bubble_is_the_user(fill: tuple[float, float, float]) -> None:
    page = [
        ("fill", 71, 44, 288, 100, fill),
        ("text", 77, 60, "What vector does SGD converge to?"),
        ("text", 44, 140, "It converges to the minimum-norm solution of the system."),
        ("text", 44, 160, "That is a divided by the squared norm of a."),
    ]
    t = read_pdf(build([page], title="SGD question - DeepSeek"), "deepseek.pdf")
    assert t.format == "pdf"
    assert [turn.role for turn in t.turns] == ["user", "assistant"]
    # the kind of the evidence is recorded beside its wording: a bubble, layout evidence for a user's turn
    kinds = set(t.turns[0].blocks[0].meta["role_evidence_kind"])
    assert "bubble" in kinds and kinds <= set(get_args(EvidenceKind))
    assert kinds & USER_LAYOUT_KINDS and kinds & STRONG_KINDS
    assert "bubble" not in t.turns[1].blocks[0].meta["role_evidence_kind"]


# ------------------------------------------------------------------ DeepSeek's grey reasoning
def test_math_in_grey_reasoning_stays_reasoning() -> None:
    grey = (0.38, 0.4, 0.42)
    page = [
        ("fill", 71, 44, 288, 100, (0.929, 0.953, 0.996)),
        ("text", 77, 60, "What vector does SGD converge to?"),
        ("math", 44, 140, "x = 1/3", 12, grey),
        ("text", 44, 180, "The answer is one third of the vector of ones, for every coordinate."),
    ]
    t = read_pdf(build([page], title="SGD question - DeepSeek"), "deepseek.pdf")
    kinds = [(b.kind, b.text) for b in t.turns[1].blocks]
    assert kinds[0] == ("thinking", "$$x = 1/3$$")
    assert not any(kind == "math" for kind, _ in kinds)


# ------------------------------------------------------------------ a tablet's handwriting layer
def test_invisible_text_over_a_chat_is_the_students_handwritten_note() -> None:
    page = [
        ("fill", 300, 60, 560, 100, GREY),
        ("text", 310, 85, "Please solve question 2 of the homework."),
        ("text", 36, 140, "The gradient of the loss is two times X transpose times the residual."),
        ("text", 36, 160, "Setting it to zero gives the normal equations and the answer."),
        ("invisible", 36, 200, "correct, matches the key"),
        ("text", 36, 240, "This is the minimum norm solution of the least squares problem."),
        ("text", 36, 260, "It is unique when X has full column rank, as assumed in the question."),
    ]
    t = read_pdf(build([page]), "tablet.pdf")
    notes = [b.text for _, b in t.annotations()]
    assert notes == ["correct, matches the key"]
    assert all("matches the key" not in turn.text() for turn in t.turns if turn.role != "system")
    assert any("invisible text" in w for w in t.warnings)


def test_a_scans_invisible_ocr_layer_is_not_taken_for_notes() -> None:
    # a scanned page: the whole text layer is invisible OCR over the picture, and it is the content
    page = [
        ("image", 0, 0, 595, 842),
        ("invisible", 36, 140, "The gradient of the loss is two times X transpose times the residual."),
        ("invisible", 36, 160, "Setting it to zero gives the normal equations and the answer."),
    ]
    t = read_pdf(build([page]), "scan.pdf")
    assert not list(t.annotations())
    assert "normal equations" in " ".join(turn.text() for turn in t.turns)


# ------------------------------------------------------------------ a long message's outlined bubble
DARK = (0.02, 0.02, 0.02)


@pytest.mark.parametrize(
    "outline",
    [
        [("stroke", 133, 82, 522, 250, DARK)],
        # printed as a dark ring filled around a white inside, their outlines a rounding apart
        [("fill", 133, 82, 522, 250, (1.0, 1.0, 1.0)), ("fill", 133, 82, 522, 250.8, DARK)],
    ],
    ids=["stroked", "ring"],
)
def test_outlined_bubble_a_few_ems_in_is_the_users_and_a_reply_between_bubbles_the_models(
    outline: list[tuple],
) -> None:
    dark = DARK
    rules = [f"{n}. Rule number {n} for every answer you give me here." for n in range(1, 5)]
    page = [
        *outline,  # a long prompt: the bubble starts only a few ems in
        ("text", 145, 100, "Please solve this question from the images I upload."),
        *[("text", 148, 124 + 22 * i, rule) for i, rule in enumerate(rules)],
        ("text", 145, 230, "Let me know when you are ready."),
        ("text", 90, 280, "I'm ready! Please go ahead and upload the images of the question."),
        ("stroke", 450, 300, 522, 330, dark),
        ("text", 462, 320, "Solve this"),
        ("text", 90, 370, "Here is the solution of part (a), worked out step by step for you."),
        *[
            ("text", 90, 390 + 20 * i, f"Step {i}: the gradient of the loss is the residual times x.")
            for i in range(12)
        ],
    ]
    t = read_pdf(build([page]), "grok.pdf")
    assert [turn.role for turn in t.turns] == ["user", "assistant", "user", "assistant"]
    assert t.turns[1].blocks[0].text.startswith("I'm ready!")


# ------------------------------------------------------------------ a centred line on a page of formulas
def test_centred_sentence_on_a_page_of_short_lines_is_not_a_users_message() -> None:
    prose = "The model derives the estimate from the normal equations, one term at a time."
    first = [("text", 72, 60 + 16 * i, prose) for i in range(20)]
    second = [
        ("text", 72, 60, "Part (d): Perspective four with fake data"),
        ("text", 72, 80, "Setup: stack the data and the prior rows."),
        ("math", 200, 110, "w = (X^T X + λ I)^-1 X^T y", 10),
        ("text", 154, 150, "This is exactly the ridge regression objective."),  # centred in the column
        ("text", 72, 190, "Part (e): Perspective five with fake features"),
        ("text", 72, 210, "Step 1: expand the objective term by term."),
        ("math", 200, 240, "L(w) = |y - Xw|^2 + λ |w|^2", 10),
        ("text", 154, 280, "This is exactly the ridge regression objective."),
    ]
    t = read_pdf(build([first, second]), "solutions.pdf")
    assert [turn.role for turn in t.turns] == ["assistant"]


# ------------------------------------------------------------------ a table cell wrapped below its row
def test_table_cell_wrapped_under_the_table_is_not_a_users_message() -> None:
    def border(y: float) -> list[tuple]:
        return [rule(49, 172, y), rule(172, 381, y), rule(381, 548, y)]

    page = [
        ("text", 49, 150, "The per-class results of the early-exit experiment, in one table:"),
        ("text", 178, 225, "Exit layer"),
        ("text", 387, 225, "Conclusion"),
        *border(236),
        ("text", 49, 256, "circle"),
        ("text", 178, 256, "0-2"),
        ("text", 387, 256, "Mostly easy, a tail"),
        *border(266),
        ("text", 49, 286, "ellipse"),
        ("text", 178, 286, "4-8"),
        ("text", 387, 286, "Hardest class, many"),
        *border(297),
        ("text", 387, 309, "only become clear late"),  # the last cell's second line, set in its column
        (
            "text",
            49,
            340,
            "So the ellipses are the hardest examples of the whole dataset, as the plots show.",
        ),
        ("text", 49, 356, "Every other class exits early in most of the cases that we have looked at."),
    ]
    t = read_pdf(build([page]), "table.pdf")
    assert [turn.role for turn in t.turns] == ["assistant"]


def test_prompt_under_an_attachment_card_stays_the_users() -> None:
    """An attachment card boxed as a bubble does not push the prompt typed under it, set in from the
    margin, to the model: only a line from the margin leans to the model for lying outside bubbles."""
    page = [
        ("stroke", 300, 40, 520, 70, (0.8, 0.8, 0.8)),
        ("text", 310, 60, "hw1.pdf PDF 222.31KB"),
        ("text", 200, 76, "Please help me deal with these problems about deep neural networks."),
        ("text", 200, 89, "Show every step of the derivation in each of the answers."),
        *[
            ("text", 72, 140 + 16 * i, f"Step {i}: here the model works through the problem in detail.")
            for i in range(12)
        ],
    ]
    t = read_pdf(build([page]), "deepseek.pdf")
    assert [turn.role for turn in t.turns] == ["user", "assistant"]
    assert any("Please help me deal" in b.text for b in t.turns[0].blocks)


# ------------------------------------------------------------------ over-splitting of one answer
def test_list_item_opened_by_a_drawn_bullet_is_not_set_apart_as_a_users_message() -> None:
    # a browser print draws list bullets as small discs, outside the text layer: an item nested
    # well right of the margin, with room around it, is still an item of the model's list; the same
    # row with no bullet beside it reads as set apart, as a user's message
    import pymupdf

    from grader.transcripts.pdf.geometry import column, indented_blocks
    from grader.transcripts.pdf.page import extract_page

    prose = "The model weighs the two pooling methods against each other, one at a time."
    commands = [("text", 72, 60 + 16 * i, prose) for i in range(10)]
    commands += [
        ("text", 130, 250, "Cons: can blur out sharp edges or peaks"),
        ("text", 72, 280, "In practice, max pooling is often good for detecting sparse features."),
    ]
    for bullet, expected in (([("fill", 112, 244, 116, 248, (0.05, 0.05, 0.05))], False), ([], True)):
        doc = pymupdf.open(stream=build([commands + bullet]))
        rows = extract_page(doc[0], 0, {}, 11.0, set()).rows
        item = next(r for r in rows if r.text.startswith("Cons"))
        assert bool(item.meta.get("list_item")) is not expected
        assert (id(item) in indented_blocks(rows, column(rows))) is expected


def test_table_header_wrapped_above_its_row_is_not_a_users_message() -> None:
    def border(y: float) -> list[tuple]:
        return [rule(49, 172, y), rule(172, 381, y), rule(381, 548, y)]

    page = [
        ("text", 49, 150, "So the completed table of the network's layers, in one place:"),
        ("text", 387, 211, "Dimension of"),  # the last header cell wrapped onto a line above its row
        ("text", 49, 225, "Layer"),
        ("text", 178, 225, "# Parameters"),
        ("text", 387, 225, "Activations"),
        *border(236),
        ("text", 49, 256, "CONV3-10"),
        ("text", 178, 256, "910"),
        ("text", 387, 256, "14 x 14 x 10"),
        *border(266),
        ("text", 49, 286, "POOL2"),
        ("text", 178, 286, "0"),
        ("text", 387, 286, "7 x 7 x 10"),
        *border(297),
        ("text", 49, 340, "So the network has very few parameters, as the table of its layers shows."),
        ("text", 49, 356, "Every other layer keeps the same shape in most of the cases we looked at."),
    ]
    t = read_pdf(build([page]), "table.pdf")
    assert [turn.role for turn in t.turns] == ["assistant"]


# ------------------------------------------------------------------ a code block of the model's
PROSE_LINE = "The model explains the change to the layer, one line of the code at a time."


def _chat_with_code(header: str | None) -> list[tuple]:
    """A user's message, the model's prose and a code block set well right of the margin (as a print
    sets a code box), under the chat UI's header or without one."""
    page = [("text", 300, 60, "Please solve part (b) of question 3."), ("text", 300, 76, "Thanks a lot.")]
    page += [("text", 72, 120 + 16 * i, PROSE_LINE) for i in range(5)]
    y = 230
    if header is not None:
        page.append(("text", 200, y, header))
        y += 24
    page.append(("text", 200, y, "self.W_o = nn.Linear(2 * d_model, d_model)"))
    page += [("text", 72, y + 40 + 16 * i, PROSE_LINE) for i in range(4)]
    return page


@pytest.mark.parametrize("header", ["python Copy code", "bash Copy code"])
def test_a_code_block_under_its_ui_header_is_the_models(header: str) -> None:
    # the chat UI prints its header ("python Copy code") over the model's code blocks only
    t = read_pdf(build([_chat_with_code(header)]), "chatgpt.pdf")
    assert [turn.role for turn in t.turns] == ["user", "assistant"]
    assert "self.W_o" in t.turns[1].text()
    meta = next(b.meta for b in t.turns[1].blocks if header in b.text)
    assert "code_header" in meta.get("role_evidence_kind", [])


def test_the_same_lines_without_a_header_read_as_set_apart() -> None:
    # what the header overrules: the block alone is set apart as a user's message would be
    t = read_pdf(build([_chat_with_code(None)]), "chatgpt.pdf")
    assert [turn.role for turn in t.turns] == ["user", "assistant", "user", "assistant"]
