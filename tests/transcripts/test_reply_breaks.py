"""Seams between two model replies with no user turn found between them (``reply_breaks``)."""

from __future__ import annotations

import pytest

from grader.models import Block, Turn
from grader.transcripts.reply_breaks import BREAK_CONFIDENCE, mark_reply_breaks, reply_closing, reply_opening
from grader.transcripts.role_evidence import ROLE_EVIDENCE_KEY
from tests.chats import cueless_block, cueless_chat

FIRST = (
    "The gradient of the squared loss is twice the transpose of the features times the residual. Setting it "
    "to zero gives the normal equations, and their solution is the least-squares estimate whenever the Gram "
    "matrix can be inverted. The estimate is unbiased, and its variance is the noise level times the inverse "
    "of the Gram matrix, which shrinks as more samples arrive."
)
SECOND = (
    "With the penalty the stationary point solves a shifted system whose matrix is the Gram matrix plus the "
    "penalty times the identity. Every eigenvalue moves up by the penalty, so the system can be solved even "
    "for collinear features, and the estimate shrinks towards the origin as the penalty grows. The bias grows "
    "with the penalty while the variance falls, which is the trade-off the question is after."
)


# ---------------------------------------------------------------- the grammar of a seam


@pytest.mark.parametrize(
    "text,expected",
    [
        # assent, agreement, praise of the user's point, thanks, an apology: answers to the other speaker
        ("Sure! Here is the same derivation with the penalty added.", True),
        ("Certainly. The penalised version goes as follows.", True),
        ("You're right, the second term should carry a minus sign.", True),
        ("You are absolutely correct that the bias was dropped.", True),
        ("Good catch: the variance term was missing a factor of two.", True),
        ("Ah, excellent point. The bound is tighter than I said.", True),
        ("Thanks for the correction; here is the fixed step.", True),
        ("My apologies, the sign flips in the third line.", True),
        ("Great, now the penalised case follows the same way.", True),
        ("Ah — I misread the sign of the second term.", True),
        # the same words as exposition, with no pause after them, or elsewhere in the sentence
        ("Sure enough, the sum telescopes to its first term.", False),
        ("Certainly the bound holds for every positive step size.", False),
        ("This is a good point to stop and check the dimensions.", False),
        ("The estimate is right when the noise has zero mean.", False),
    ],
)
def test_a_reply_opening_is_an_answer_to_the_other_speaker(text: str, expected: bool) -> None:
    assert reply_opening(text) is expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("So the rate is one over n. Let me know if you want the full proof.", True),
        ("That settles part (c). Would you like me to plot the two curves?", True),
        ("Both estimates agree. If you'd like, I can also derive the Bayesian view.", True),
        ("The bias is zero. Hope this helps!", True),
        # an offer that is not the paragraph's last sentence, or a second person that offers nothing
        ("Let me know if you want more. The bias is zero in that case.", False),
        ("If you scale the features, the rate changes by the same factor.", False),
        ("Would you like me to continue with", False),  # cut off: not a closed sentence
    ],
)
def test_a_reply_closing_is_an_offer_in_its_last_sentence(text: str, expected: bool) -> None:
    assert reply_closing(text) is expected


# ---------------------------------------------------------------- turns


def test_a_reply_opening_after_a_concluded_reply_starts_a_new_turn() -> None:
    t = cueless_chat(
        cueless_block(FIRST),
        cueless_block("Sure! Here is the same estimate with a ridge penalty."),
        cueless_block(SECOND),
    )
    assert mark_reply_breaks(t) == 1
    assert [x.role for x in t.turns] == ["assistant", "assistant"]
    assert [x.index for x in t.turns] == [0, 1]
    assert t.turns[1].text().startswith("Sure! Here is")
    assert t.turns[1].meta["reply_break"]["cue"] == "opening"
    assert t.turns[1].meta["confidence"] <= BREAK_CONFIDENCE
    assert "answering the user" in t.turns[1].blocks[0].meta["turn_break"]
    assert t.turns[0].text() == FIRST
    assert sum("new reply" in w for w in t.warnings) == 1


def test_a_closing_offer_ends_the_reply_and_what_follows_is_the_next() -> None:
    t = cueless_chat(
        cueless_block(FIRST),
        cueless_block("Let me know if you want the variance worked out as well."),
        cueless_block(SECOND),
    )
    assert mark_reply_breaks(t) == 1
    assert t.turns[0].text().endswith("worked out as well.")
    assert t.turns[1].text() == SECOND
    assert t.turns[1].meta["reply_break"]["cue"] == "closing"


def test_the_role_stays_the_models_and_other_turns_are_left_alone() -> None:
    user = Turn(index=0, role="user", blocks=[cueless_block("Sure, and then what? " * 3)])
    t = cueless_chat(
        cueless_block(FIRST), cueless_block("You're right, the penalty was missing."), cueless_block(SECOND)
    )
    t.turns.insert(0, user)
    mark_reply_breaks(t)
    assert [x.role for x in t.turns] == ["user", "assistant", "assistant"]
    assert not any(ROLE_EVIDENCE_KEY in x.meta and "request" in x.meta[ROLE_EVIDENCE_KEY] for x in t.turns)


@pytest.mark.parametrize(
    "blocks",
    [
        # the turn's own opening
        [cueless_block("Sure! Here is the same estimate with a ridge penalty."), cueless_block(SECOND)],
        # too little of the model's text before it to be a concluded reply
        [
            cueless_block("The gradient vanishes."),
            cueless_block("Sure! Here is the estimate."),
            cueless_block(SECOND),
        ],
        # after a lead-in of the model's
        [
            cueless_block(FIRST),
            cueless_block("The reviewer wrote:"),
            cueless_block("You're right, the sign is wrong."),
            cueless_block(SECOND),
        ],
        # nothing of a reply's length follows
        [cueless_block(FIRST), cueless_block("Sure! Here is the estimate."), cueless_block("It is zero.")],
        # a closing offer at the very end: the chat just stops there
        [cueless_block(FIRST), cueless_block(SECOND), cueless_block("Let me know if you want the proof.")],
        # the sentence before runs on into it
        [
            cueless_block(FIRST),
            cueless_block("If you want, I can"),
            cueless_block("also show the proof, which is short. " + SECOND),
        ],
    ],
    ids=["opening", "short before", "lead-in", "short after", "closing at end", "run-on"],
)
def test_no_seam_without_clear_evidence(blocks: list[Block]) -> None:
    t = cueless_chat(*blocks)
    assert mark_reply_breaks(t) == 0
    assert len(t.turns) == 1


def test_a_block_with_layout_evidence_is_not_cut() -> None:
    boxed = Block(
        kind="text",
        text="Sure! Here is the same estimate with a ridge penalty.",
        meta={"evidence": ["in the model's box"], "confidence": 0.9, ROLE_EVIDENCE_KEY: ["message_box"]},
    )
    t = cueless_chat(cueless_block(FIRST), boxed, cueless_block(SECOND))
    assert mark_reply_breaks(t) == 0


# ---------------------------------------------------------------- a PDF built here

pymupdf = pytest.importorskip("pymupdf")


def _chat_pdf(paragraphs: list[str]) -> bytes:
    """A chat printed without any role cue: every paragraph from the margin, in one font."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 60.0
    for para in paragraphs:
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
    return bytes(doc.tobytes())


def test_a_pdf_whose_second_prompt_was_an_image_gets_two_replies() -> None:
    from grader.transcripts import read_bytes

    closing = "Let me know if you want the penalised version as well."
    opening = "Certainly! Here is the penalised version, step by step."
    read = read_bytes(_chat_pdf([FIRST, closing, opening, SECOND]), "chat.pdf")[0]
    assistant = [t for t in read.turns if t.role == "assistant"]
    assert len(assistant) == 2
    assert assistant[1].text().startswith("Certainly! Here is")
    assert assistant[1].meta["reply_break"]["cue"] in ("opening", "closing")
    assert any("new reply of the model's" in w for w in read.warnings)
