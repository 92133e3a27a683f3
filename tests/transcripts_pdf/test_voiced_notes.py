"""The student's commentary typed in the chat's own font and colour (``voiced_notes``), on small PDFs built
here with PyMuPDF: a verdict typed after a reply, a note typed on in the same block as a reply, a remark
inside a reply, and the model's own prose that must stay the model's. All sentences are invented."""

from __future__ import annotations

from typing import Any

import pytest

pymupdf = pytest.importorskip("pymupdf")

from grader.transcripts.pdf import read_pdf  # noqa: E402

BLACK = (0, 0, 0)
PROMPT = "Please solve question 2 of the attached homework and show your steps."
REPLY = [
    "The update moves the weights against the gradient of the quadratic loss.",
    "With a step below two over the largest eigenvalue the iterates contract.",
    "So the iteration converges to the minimiser for every starting point.",
]


def _page(items: list[tuple[float, str]], bubble: tuple[float, float] | None = (60, 100)) -> bytes:
    """One page: a grey user bubble holding the prompt, then ``(y, text)`` lines at the left margin."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    if bubble is not None:
        page.draw_rect(pymupdf.Rect(250, bubble[0], 560, bubble[1]), color=None, fill=(0.9, 0.9, 0.9))
        page.insert_text((260, bubble[0] + 24), PROMPT[:44], fontsize=11, fontname="helv", color=BLACK)
        page.insert_text((260, bubble[0] + 38), PROMPT[44:], fontsize=11, fontname="helv", color=BLACK)
    for y, text in items:
        page.insert_text((36, y), text, fontsize=11, fontname="helv", color=BLACK)
    return doc.tobytes()


def _blocks(data: bytes) -> list[tuple[str, str, str, dict[str, Any]]]:
    t = read_pdf(data, "t.pdf")
    return [(turn.role, b.kind, " ".join(b.text.split()), b.meta) for turn in t.turns for b in turn.blocks]


def _kinds(blocks: list[tuple[str, str, str, dict[str, Any]]], words: str) -> set[str]:
    return {kind for _, kind, text, _ in blocks if words in text}


def _reply(y0: float) -> list[tuple[float, str]]:
    return [(y0 + 14 * i, line) for i, line in enumerate(REPLY)]


def test_a_verdict_typed_after_the_reply_in_its_print_is_the_students_note() -> None:
    lines = _reply(140) + [
        (200, "The model correctly derived the contraction condition here."),
        (214, "I asked it"),
    ]
    lines[-1] = (214, "I noticed it skipped the case of a zero eigenvalue.")
    blocks = _blocks(_page(lines))
    assert _kinds(blocks, "The model correctly derived the contraction") == {"annotation"}
    assert _kinds(blocks, "The update moves the weights") == {"text"}
    note = next(meta for _, kind, text, meta in blocks if kind == "annotation")
    assert any("voice score" in e for e in note["evidence"])
    assert 0.5 <= note["confidence"] <= 0.85


def test_a_note_typed_on_in_the_same_block_as_the_reply_is_cut_off() -> None:
    # no blank line between the reply's last line and the student's remark: one block, cut by voice
    lines = _reply(140) + [(182, "The model got this part right on the first try, which I did not expect.")]
    blocks = _blocks(_page(lines))
    assert _kinds(blocks, "The model got this part right") == {"annotation"}
    assert _kinds(blocks, "So the iteration converges to the minimiser") == {"text"}
    assert _kinds(blocks, "The update moves the weights") == {"text"}


def test_the_models_closing_prose_stays_the_models() -> None:
    lines = _reply(140) + [(200, "In summary, the step size must stay below the stability bound.")]
    blocks = _blocks(_page(lines))
    assert not [b for b in blocks if b[1] == "annotation"]


def test_a_remark_inside_the_reply_needs_two_clear_sentences() -> None:
    one = "The model correctly simplified the bound."
    two = "The model correctly simplified the bound. I noticed it then skipped the proof entirely."
    for text, expected in ((one, {"text"}), (two, {"annotation"})):
        lines = _reply(140) + [(200, text)] + [(240 + 14 * i, line) for i, line in enumerate(REPLY)]
        assert _kinds(_blocks(_page(lines)), "The model correctly simplified the bound") == expected


def test_the_homeworks_network_called_the_model_is_not_a_note() -> None:
    lines = _reply(140) + [(200, "Hence the model overfits once the hidden layer grows too wide.")]
    blocks = _blocks(_page(lines))
    assert _kinds(blocks, "Hence the model overfits") == {"text"}


def test_a_line_under_a_speaker_label_is_never_taken_for_a_note() -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 80.0
    for label, text in (
        ("Me:", "Please solve question 1 of the homework."),
        ("Qwen:", "Qwen correctly reads the last row of the table first, one shot."),
        ("Me:", "Please solve question 2 of the homework."),
        ("Qwen:", "The second question asks for the step size bound."),
    ):
        page.insert_text((36, y), label, fontsize=11, fontname="hebo")
        page.insert_text((76, y), text, fontsize=11, fontname="helv")
        for line in REPLY if label == "Qwen:" else []:
            y += 14
            page.insert_text((36, y), line, fontsize=11, fontname="helv")
        y += 30
    blocks = _blocks(doc.tobytes())
    assert _kinds(blocks, "Qwen correctly reads the last row") == {"text"}
