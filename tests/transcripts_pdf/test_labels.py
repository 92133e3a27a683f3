"""Speaker labels set as a write-up's headings ("1.1 Prompt", "1.2 Answer"), and the student's coloured
remarks under a labelled reply."""

from __future__ import annotations

from typing import Any

import pytest

from grader.transcripts.pdf.labels import speaker_label

pymupdf = pytest.importorskip("pymupdf")

from grader.transcripts.pdf import read_pdf  # noqa: E402
from tests.transcripts_pdf.pdfgen import build  # noqa: E402

BLUE = (0.0, 0.0, 1.0)


def test_answer_is_a_label_only_as_a_heading_of_its_own() -> None:
    hit = speaker_label("1.2 Answer", styled=True)
    assert hit is not None and hit.role == "assistant" and hit.standalone
    assert speaker_label("Answer: 3") is None  # the model's own line
    assert speaker_label("Answer the question below") is None


def test_a_label_may_name_two_things_at_once() -> None:
    hit = speaker_label("1.1 Prompt/Explanation", styled=True)
    assert hit is not None and hit.role == "user" and hit.standalone


def _write_up() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)

    def put(y: float, text: str, bold: bool = False, colour: Any = (0, 0, 0)) -> None:
        page.insert_text((72, y), text, fontsize=10, fontname="hebo" if bold else "helv", color=colour)

    y = 60.0
    for n, (user_head, model_head) in enumerate(
        [("Prompt/Explanation", "Answer"), ("Prompt", "Response")], 1
    ):
        put(y, f"{n} Problem {n}", bold=True)
        put(y + 24, f"{n}.1 {user_head}", bold=True, colour=BLUE)
        put(y + 44, f"Please solve problem {n} of the homework on convolutions.", colour=BLUE)
        put(y + 56, "List every step of the computation.", colour=BLUE)
        put(y + 80, f"{n}.2 {model_head}", bold=True)
        put(y + 100, f"Here is the worked solution of problem {n}, step by step.")
        put(y + 112, "The output size is the input size minus the filter size plus one.")
        put(y + 124, f"The student checks this: part {n} is correct and matches the key.", colour=BLUE)
        put(y + 136, "So the final output has three entries in total here.")
        y += 180
    return doc.tobytes()


def test_prompt_and_answer_headings_split_the_turns_and_remarks_are_notes() -> None:
    t = read_pdf(_write_up(), "report.pdf")
    assert [turn.role for turn in t.turns] == ["user", "assistant", "user", "assistant"]
    said = [[b.text for b in turn.blocks if b.kind == "text"] for turn in t.turns]
    assert said[0][0].startswith("Please solve problem 1")
    assert said[1][0].startswith("Here is the worked solution of problem 1")
    notes = [b.text for _, b in t.annotations()]
    assert any("part 1 is correct" in n for n in notes) and any("part 2 is correct" in n for n in notes)
    chat = " ".join(b.text for turn in t.turns for b in turn.blocks if b.kind in ("text", "math"))
    assert "is correct and matches the key" not in chat  # the remark never stays in the model's text


def test_a_long_qualifier_does_not_hide_a_run_in_label() -> None:
    hit = speaker_label("Gemini Output (Attempt 1 and Revision). Its first answer was vague.", styled=True)
    assert hit is not None and hit.role == "assistant" and hit.rest == "Its first answer was vague."


def _run_in_write_up() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 60.0
    for part in ("a", "b"):
        # a heading and the label in one bold run, the message after it on the same line
        page.insert_text(
            (72, y), f"Part ({part}): Reading the figure. User Input.", fontsize=10, fontname="hebo"
        )
        page.insert_text((300, y), f"I asked about part {part} of figure one.", fontsize=10, fontname="helv")
        page.insert_text(
            (72, y + 30), "Gemini Output (Attempt 1 and Revision).", fontsize=10, fontname="hebo"
        )
        page.insert_text(
            (290, y + 30), f"Gemini reads the plot for part {part}.", fontsize=10, fontname="helv"
        )
        page.insert_text(
            (72, y + 44), "It then explains the trend across the widths.", fontsize=10, fontname="helv"
        )
        y += 90
    return doc.tobytes()


def test_run_in_label_after_a_heading_on_the_same_line_starts_the_turn() -> None:
    t = read_pdf(_run_in_write_up(), "paragraphs.pdf")
    assert [turn.role for turn in t.turns] == ["user", "assistant", "user", "assistant"]
    starts = [next(b.text for b in turn.blocks if b.kind == "text") for turn in t.turns]
    assert starts[0].startswith("I asked about part a") and starts[1].startswith("Gemini reads the plot")
    everything = " ".join(b.text for turn in t.turns for b in turn.blocks)
    assert "Part (b): Reading the figure." in everything  # the heading is kept, not swallowed by the label


def test_speaker_label_repeated_at_the_top_of_the_next_page_continues_the_message() -> None:
    def page(lines: list[tuple[str, str]]) -> list[tuple]:
        out: list[tuple] = []
        for i, (kind, text) in enumerate(lines):
            out.append(
                ("heading", 86, 76 + 24 * i, text) if kind == "label" else ("text", 86, 76 + 24 * i, text)
            )
        return out

    reply = [("text", f"Step {i} of the derivation of part (a), in detail.") for i in range(6)]
    first = page([("label", "User"), ("text", "Please solve question one."), ("label", "Claude"), *reply])
    second = page([("label", "Claude"), ("text", "Part (b): the variance is d."), *reply])
    third = page(
        [
            ("label", "User"),
            ("text", "Now question two, please."),
            ("label", "Claude"),
            ("text", "Question two, first answer."),
            ("label", "Claude"),  # mid-page: a second message of the model
            ("text", "Question two, second answer."),
        ]
    )
    t = read_pdf(build([first, second, third]), "boxes.pdf")
    assert [turn.role for turn in t.turns] == ["user", "assistant", "user", "assistant", "assistant"]
    assert any("Part (b): the variance is d." in b.text for b in t.turns[1].blocks)


def test_chat_ui_said_labels_are_accepted_when_they_take_turns() -> None:
    """ "You said:" and "ChatGPT said:" group with and without their colon and are strong labels."""
    from grader.transcripts.pdf.labels import accepted_labels, label_key

    hits = [speaker_label(t) for t in ("You said:", "ChatGPT said:", "You said", "ChatGPT said:")]
    assert all(h is not None for h in hits)
    keys = {label_key(h) for h in hits if h is not None}
    assert keys == {"you said", "chatgpt said"}
    assert accepted_labels([h for h in hits if h is not None]) == keys


# ------------------------------------------------------------------ a commentary label read from an image
def _ocr_line(text: str, top: float, block: int) -> Any:
    from grader.transcripts.pdf.layout import Row
    from grader.transcripts.pdf.lines import Line

    row = Row(
        page=0,
        baseline=top + 10,
        top=top,
        bottom=top + 10,
        x0=40,
        x1=400,
        text=text,
        size=10,
        meta={"source": "ocr", "image": 0, "block": (0.0, block, 1)},
    )
    ln = Line(row)
    ln.label = speaker_label(text)
    return ln


def test_a_label_read_from_an_image_holds_only_its_own_paragraph() -> None:
    from grader.transcripts.pdf.roles_labels import note_labels

    # OCR'd text has no font or colour to follow: "Analysis:" in a screenshot of the model's reply
    # must not turn the rest of the reply into the student's note
    lines = [
        _ocr_line("Analysis:", 0, 1),
        _ocr_line("the ring sends two messages per worker", 14, 1),
        _ocr_line("Each worker then averages the gradients", 40, 2),
        _ocr_line("and updates its own copy of the model.", 54, 2),
    ]
    note_labels(lines)
    assert [ln.kind for ln in lines] == ["annotation", "annotation", "text", "text"]
