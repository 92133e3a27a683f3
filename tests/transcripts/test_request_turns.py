"""Requests to the model found by their grammar where the layout kept no cue (``request_turns``)."""

from __future__ import annotations

import pytest

from grader.models import Block, Turn
from grader.transcripts.request_turns import MIN_SCORE, mark_request_turns, request_cues
from grader.transcripts.role_evidence import ROLE_EVIDENCE_KEY, STRONG_KINDS, USER_LAYOUT_KINDS
from tests.chats import cueless_block, cueless_chat

REPLY = (
    "We start from the objective and set its gradient to zero. The loss is a sum of squared residuals, so "
    "the gradient is twice the transpose of the design matrix times the residual. Setting it to zero gives "
    "the normal equations, whose solution is the least-squares estimate whenever the matrix is invertible. "
    "With a ridge penalty the same steps add a multiple of the identity, which makes the system invertible "
    "for every positive penalty, and the estimate shrinks towards zero as the penalty grows."
)


# ---------------------------------------------------------------- the grammar of a request


@pytest.mark.parametrize(
    "text,cue",
    [
        # interrogative mood, long enough not to be a rhetorical step
        ("What is the gradient of the loss with respect to the weights here?", "question"),
        # a request with a modal or "please"
        ("Could you redo the last step.", "request"),
        ("Plz, continue", "request"),
        # imperative at the start of a sentence, after an interjection or a sequencing word
        ("Thanks. Now derive the update rule for momentum.", "imperative"),
        ("ok solve 3", "numbered task"),
        # second-person address and the student's first person
        ("I think your sign in the second line is wrong, check it.", "second person"),
        ("I think your sign in the second line is wrong, check it.", "first person"),
        # a step in the homework
        ("Next, do part (c) the same way.", "homework step"),
    ],
)
def test_each_cue_is_found(text: str, cue: str) -> None:
    request = request_cues(text)
    assert cue in request.cues
    assert request.score >= MIN_SCORE


@pytest.mark.parametrize(
    "text",
    [
        # the model's offers and closings address the reader but are the model speaking
        "Would you like me to plot the loss curve as well?",
        "Let me know if you want the derivation for the biased case too.",
        "If you'd like, I can also show the code.",
        # the model asking for the material, or assenting
        "Understood. Please provide the first problem.",
        "You're absolutely right, the sign was wrong. Here is the corrected step.",
        # one cue alone is how the model writes its own steps
        "Why does this hold?",
        "Compute the gradient.",
        "Let me compute the gradient first.",
    ],
)
def test_the_models_own_voice_is_not_a_request(text: str) -> None:
    assert request_cues(text).score < MIN_SCORE


# ---------------------------------------------------------------- turns


def test_a_request_answered_at_length_becomes_a_user_turn() -> None:
    t = cueless_chat(
        cueless_block("Can you solve part (a) of the ridge regression problem?"),
        cueless_block(REPLY),
        cueless_block("Great. Now do part (b), and show every step."),
        cueless_block(REPLY),
    )
    assert mark_request_turns(t) == 2
    assert [x.role for x in t.turns] == ["user", "assistant", "user", "assistant"]
    assert [x.index for x in t.turns] == [0, 1, 2, 3]
    user = t.turns[2]
    assert user.meta[ROLE_EVIDENCE_KEY] == ["request"]
    assert user.blocks[0].meta[ROLE_EVIDENCE_KEY] == ["request"]
    assert "homework step" in user.blocks[0].meta["request"]["cues"]
    assert 0 < user.meta["confidence"] < 0.75
    assert sum("addressed to the model" in w for w in t.warnings) == 2


def test_the_new_kind_is_neither_strong_nor_user_layout() -> None:
    assert "request" not in STRONG_KINDS
    assert "request" not in USER_LAYOUT_KINDS


def test_a_request_with_no_long_reply_after_it_stays_the_models() -> None:
    t = cueless_chat(
        cueless_block(REPLY),
        cueless_block("Can you see why the penalty makes the system invertible for every positive value?"),
        cueless_block("Because the identity adds a positive amount to every eigenvalue."),
    )
    assert mark_request_turns(t) == 0
    assert [x.role for x in t.turns] == ["assistant"]


def test_formulas_and_list_items_count_towards_the_reply() -> None:
    formulas = [cueless_block(f"w_{k} = (X^T X + \\lambda I)^{{-1}} X^T y", "math") for k in range(6)]
    t = cueless_chat(cueless_block("Please derive the ridge estimate for me."), *formulas)
    assert mark_request_turns(t) == 1
    assert [x.role for x in t.turns] == ["user", "assistant"]


def test_a_long_paragraph_is_not_a_request() -> None:
    long = "Can you " + " ".join(["explain"] * 80) + "?"
    t = cueless_chat(cueless_block(long), cueless_block(REPLY))
    assert mark_request_turns(t) == 0


def test_layout_evidence_wins() -> None:
    # a document whose layout found a user message is left alone
    labelled = Turn(
        index=0,
        role="user",
        blocks=[Block(kind="text", text="Solve question 1.", meta={ROLE_EVIDENCE_KEY: ["bubble"]})],
        meta={ROLE_EVIDENCE_KEY: ["bubble"], "evidence": ["inside a bubble"], "confidence": 0.9},
    )
    t = cueless_chat(
        cueless_block(REPLY), cueless_block("Can you now solve part (b) of it?"), cueless_block(REPLY)
    )
    t.turns.insert(0, labelled)
    assert mark_request_turns(t) == 0
    # and a block whose own role rests on strong evidence is never taken
    strong = Block(
        kind="text",
        text="Can you now solve part (b) of it?",
        meta={ROLE_EVIDENCE_KEY: ["message_box"], "evidence": ["in the model's box"], "confidence": 0.9},
    )
    t = cueless_chat(cueless_block(REPLY), strong, cueless_block(REPLY))
    assert mark_request_turns(t) == 0


def test_two_short_requests_in_a_row_are_one_prompt() -> None:
    t = cueless_chat(
        cueless_block(REPLY),
        cueless_block("Thanks, that is right."),
        cueless_block("Can you now do question 2 the same way?"),
        cueless_block(REPLY),
    )
    mark_request_turns(t)
    assert [x.role for x in t.turns] == ["assistant", "user", "assistant"]
    assert len(t.turns[1].blocks) == 1  # "Thanks, that is right." has one cue only: the model's


# ---------------------------------------------------------------- PDFs built here

pymupdf = pytest.importorskip("pymupdf")


def _lines(text: str, width: int = 85) -> list[str]:
    out, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return out + [line]


def _chat_pdf(paragraphs: list[str]) -> bytes:
    """A chat printed without any role cue: every paragraph from the margin, in one font."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 60.0
    for para in paragraphs:
        for line in _lines(para):
            page.insert_text((50, y), line, fontsize=11, fontname="helv")
            y += 15
        y += 15
    return bytes(doc.tobytes())


PROMPT_A = "Can you solve part (a) of the ridge regression problem?"
PROMPT_B = "Great. Now do part (b), and show every step."


def test_a_pdf_with_no_layout_cue_gets_its_requests_as_user_turns() -> None:
    from grader.transcripts import read_bytes

    read = read_bytes(_chat_pdf([PROMPT_A, REPLY, PROMPT_B, REPLY]), "chat.pdf")[0]
    assert [t.role for t in read.turns] == ["user", "assistant", "user", "assistant"]
    assert read.turns[2].text().startswith("Great. Now do part (b)")
    assert read.turns[3].text().startswith("We start from the objective")
    assert read.turns[2].meta[ROLE_EVIDENCE_KEY] == ["request"]
    assert any("addressed to the model" in w for w in read.warnings)


def test_the_hide_cues_switch_drops_speaker_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    from grader.transcripts import read_bytes
    from grader.transcripts.role_evidence import HIDE_LAYOUT_CUES_ENV

    paragraphs = [
        f"You said: {PROMPT_A}",
        f"ChatGPT said: {REPLY}",
        f"You said: {PROMPT_B}",
        f"ChatGPT said: {REPLY}",
    ]
    data = _chat_pdf(paragraphs)
    labelled = read_bytes(data, "chat.pdf")[0]
    assert [t.role for t in labelled.turns] == ["user", "assistant", "user", "assistant"]
    assert "label" in labelled.turns[0].meta[ROLE_EVIDENCE_KEY]
    monkeypatch.setenv(HIDE_LAYOUT_CUES_ENV, "1")
    hidden = read_bytes(data, "chat.pdf")[0]
    kinds = {k for t in hidden.turns for b in t.blocks for k in b.meta.get(ROLE_EVIDENCE_KEY, [])}
    assert "label" not in kinds
    # with the labels hidden, only the requests' grammar finds the prompts
    assert [t.role for t in hidden.turns] == ["user", "assistant", "user", "assistant"]
    assert hidden.turns[0].meta[ROLE_EVIDENCE_KEY] == ["request"]


def test_the_hide_cues_switch_drops_indent_geometry(monkeypatch: pytest.MonkeyPatch) -> None:
    from grader.transcripts import read_bytes
    from grader.transcripts.role_evidence import HIDE_LAYOUT_CUES_ENV

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 60.0
    for k, para in enumerate([PROMPT_A, REPLY, PROMPT_B, REPLY]):
        user = k % 2 == 0  # the user's messages set well right of the margin, as chat UIs print them
        for line in _lines(para, 40 if user else 85):
            page.insert_text((300 if user else 50, y), line, fontsize=11, fontname="helv")
            y += 15
        y += 15
    data = bytes(doc.tobytes())
    shown = read_bytes(data, "chat.pdf")[0]
    kinds = {k for t in shown.turns for b in t.blocks for k in b.meta.get(ROLE_EVIDENCE_KEY, [])}
    assert "indent" in kinds
    assert shown.turns[0].role == "user"
    assert "request" not in kinds  # the layout decided: content evidence stays out
    monkeypatch.setenv(HIDE_LAYOUT_CUES_ENV, "1")
    hidden = read_bytes(data, "chat.pdf")[0]
    kinds = {k for t in hidden.turns for b in t.blocks for k in b.meta.get(ROLE_EVIDENCE_KEY, [])}
    assert not kinds & {"indent", "bubble", "label"}
