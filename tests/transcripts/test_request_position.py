"""Requests inside a model's turn of a chat whose layout found the user's other messages
(``request_position``, through ``request_turns.mark_request_turns``)."""

from __future__ import annotations

import pytest

from grader.models import Block, Transcript, Turn
from grader.transcripts.request_position import PARTIAL_SCORE, partial_cue_obstacle
from grader.transcripts.request_turns import (
    MIN_REPLY,
    PARTIAL_CONFIDENCE,
    mark_request_turns,
    reply_weight,
    request_cues,
)
from grader.transcripts.role_evidence import ROLE_EVIDENCE_KEY

REPLY = (
    "The estimate is unbiased because the noise has zero mean and enters the solution linearly. Taking "
    "expectations term by term leaves the true parameter, and the variance is the noise level times the "
    "inverse of the Gram matrix. As the number of samples grows the Gram matrix grows with it, so the "
    "variance shrinks in proportion to one over the sample size, which is the rate we expected."
)
SECOND_REPLY = (
    "For the second part we add the penalty to the objective before taking the gradient. The stationary "
    "point then solves a shifted linear system whose matrix is the Gram matrix plus the penalty times the "
    "identity. Every eigenvalue moves up by the penalty, so the inverse exists even when the features are "
    "collinear, and the solution shrinks towards the origin as the penalty grows without bound."
)
PROMPT = "Thanks. Could you now derive the same estimate for part (b) with a ridge penalty?"


def _weak(text: str, kind: str = "text") -> Block:
    """A block the reader gave to the model from the margin, with no layout cue of its own."""
    return Block(
        kind=kind,  # type: ignore[arg-type]
        text=text,
        meta={
            "page": 1,
            "evidence": ["prose from the margin"],
            "confidence": 0.6,
            ROLE_EVIDENCE_KEY: ["margin"],
        },
    )


def _bubbled(text: str) -> Turn:
    """A user message the layout found (a bubble survived)."""
    block = Block(
        kind="text",
        text=text,
        meta={"page": 1, "evidence": ["inside a bubble"], "confidence": 0.9, ROLE_EVIDENCE_KEY: ["bubble"]},
    )
    return Turn(
        index=0,
        role="user",
        blocks=[block],
        meta={"evidence": ["inside a bubble"], "confidence": 0.9, ROLE_EVIDENCE_KEY: ["bubble"]},
    )


def _partial_chat(*reply_blocks: Block) -> Transcript:
    """A chat whose first prompt kept its bubble, followed by one assistant turn holding ``reply_blocks``."""
    assistant = Turn(index=1, role="assistant", blocks=list(reply_blocks), role_inferred=True)
    first = _bubbled("Can you show that the least-squares estimate is unbiased?")
    return Transcript(source="chat.pdf", format="pdf", turns=[first, assistant])


# ---------------------------------------------------------------- a prompt whose cue was lost


def test_a_request_after_a_concluded_reply_is_split_off() -> None:
    t = _partial_chat(_weak(REPLY), _weak(PROMPT), _weak(SECOND_REPLY))
    assert mark_request_turns(t) == 1
    assert [x.role for x in t.turns] == ["user", "assistant", "user", "assistant"]
    assert t.turns[2].text() == PROMPT
    assert t.turns[3].text().startswith("For the second part")
    block = t.turns[2].blocks[0]
    assert "request" in block.meta[ROLE_EVIDENCE_KEY]  # beside the margin evidence it had
    assert t.turns[2].meta[ROLE_EVIDENCE_KEY] == ["request"]
    assert block.meta["request"]["partial_cues"] is True
    assert block.meta["confidence"] == PARTIAL_CONFIDENCE < 0.55
    assert "user's other messages" in t.turns[2].meta["evidence"][0]
    assert sum("user's other messages" in w for w in t.warnings) == 1
    # the bubbled prompt keeps its layout evidence
    assert t.turns[0].meta[ROLE_EVIDENCE_KEY] == ["bubble"]


# ---------------------------------------------------------------- what stays the model's


@pytest.mark.parametrize(
    "blocks",
    [
        # the turn's opening: a reply right after the user's bubble, however it is worded
        [_weak(PROMPT), _weak(SECOND_REPLY)],
        # after a lead-in of the model's, the task it quotes
        [_weak(REPLY), _weak("The question we are answering reads:"), _weak(PROMPT), _weak(SECOND_REPLY)],
        # a paragraph opening on a quotation mark: the model quoting the task
        [_weak(REPLY), _weak(f"“{PROMPT}”"), _weak(SECOND_REPLY)],
        # an item of the model's own list
        [_weak(REPLY), _weak(f"- {PROMPT}"), _weak(SECOND_REPLY)],
        # after a heading of the model's
        [_weak(REPLY), _weak("## Part (b)"), _weak(PROMPT), _weak(SECOND_REPLY)],
        # no long answer after it: the model's closing question
        [_weak(REPLY), _weak(PROMPT), _weak("Yes, with the penalty added.")],
    ],
    ids=["opening", "lead-in", "quoted", "list item", "heading", "unanswered"],
)
def test_a_request_looking_paragraph_in_the_wrong_place_stays_the_models(blocks: list[Block]) -> None:
    t = _partial_chat(*blocks)
    assert mark_request_turns(t) == 0
    assert [x.role for x in t.turns] == ["user", "assistant"]


@pytest.mark.parametrize(
    "text",
    [
        # person and a homework step, but neither a question nor an order: narration
        "Now I think your part (b) follows the same way as mine did.",
        # the model setting itself a step: one cue
        "Compute the gradient of the penalised loss first.",
        # the model's first person plural
        "Let's compute the same estimate for part (b) with the ridge penalty.",
        # the model's offer
        "Would you like me to derive the same estimate for part (b) as well?",
    ],
)
def test_the_models_narration_after_a_reply_stays_the_models(text: str) -> None:
    t = _partial_chat(_weak(REPLY), _weak(text), _weak(SECOND_REPLY))
    assert mark_request_turns(t) == 0


def test_a_block_with_layout_evidence_of_its_own_is_never_taken() -> None:
    strong = Block(
        kind="text",
        text=PROMPT,
        meta={"evidence": ["in the model's box"], "confidence": 0.9, ROLE_EVIDENCE_KEY: ["message_box"]},
    )
    t = _partial_chat(_weak(REPLY), strong, _weak(SECOND_REPLY))
    assert mark_request_turns(t) == 0


# ---------------------------------------------------------------- the guard itself


@pytest.mark.parametrize(
    "text,reason",
    [
        ("Now I think your part (b) follows the same way.", "no question, request or imperative"),
        ("What is the value of the step size that we want here?", f"fewer than {PARTIAL_SCORE}"),
    ],
)
def test_the_guard_names_why(text: str, reason: str) -> None:
    turn = Turn(index=1, role="assistant", blocks=[_weak(REPLY), _weak(text), _weak(SECOND_REPLY)])
    request = request_cues(text)
    why = partial_cue_obstacle(turn, 1, request.cues, request.score, reply_weight, MIN_REPLY)
    assert why is not None and reason in why


def test_the_guard_lets_a_prompt_after_a_formula_through() -> None:
    formula = _weak("w = (X^T X + \\lambda I)^{-1} X^T y", "math")
    turn = Turn(index=1, role="assistant", blocks=[_weak(REPLY), formula, _weak(PROMPT), _weak(SECOND_REPLY)])
    request = request_cues(PROMPT)
    assert partial_cue_obstacle(turn, 2, request.cues, request.score, reply_weight, MIN_REPLY) is None


# ---------------------------------------------------------------- a PDF built here

pymupdf = pytest.importorskip("pymupdf")


def test_a_pdf_where_one_bubble_survived_gets_its_unbubbled_prompt_too() -> None:
    from grader.transcripts import read_bytes

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    # the first prompt kept its bubble: a shaded box set right of the margin
    page.draw_rect(pymupdf.Rect(300, 44, 560, 80), color=None, fill=(0.914, 0.914, 0.914))
    page.insert_text((310, 60), "Can you show that the estimate is unbiased?", fontsize=11, fontname="helv")
    y = 120.0
    for para in (REPLY, PROMPT, SECOND_REPLY):  # the second prompt lost it: from the margin like the replies
        words, line = para.split(), ""
        for word in words:
            if len(line) + len(word) + 1 > 85:
                page.insert_text((50, y), line, fontsize=11, fontname="helv")
                y += 15
                line = word
            else:
                line = f"{line} {word}".strip()
        page.insert_text((50, y), line, fontsize=11, fontname="helv")
        y += 30
    read = read_bytes(bytes(doc.tobytes()), "chat.pdf")[0]
    assert [t.role for t in read.turns] == ["user", "assistant", "user", "assistant"]
    assert "bubble" in read.turns[0].meta[ROLE_EVIDENCE_KEY]
    assert read.turns[2].text().startswith("Thanks. Could you now derive")
    assert read.turns[2].meta[ROLE_EVIDENCE_KEY] == ["request"]
    assert read.turns[3].text().startswith("For the second part")
