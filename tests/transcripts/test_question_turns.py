"""Pasted homework questions become user turns (grader.transcripts.question_turns).

The question text is invented here (a tiny question set, and a question PDF drawn with PyMuPDF);
the transcripts are built by the tests as Transcript objects and as chat PDFs without any layout cue.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.cli import main
from grader.course.loader import load_course
from grader.course.model import Course, Question, QuestionPart, QuestionSet
from grader.models import Block, Transcript, Turn
from grader.transcripts.question_turns import block_copy, index_of, mark_question_turns, tokens, weak_role
from grader.transcripts.role_evidence import ROLE_EVIDENCE_KEY

PREAMBLE = (
    "A gardener waters a row of tomato plants with a leaky hose whose flow halves every metre, "
    "and the soil under each plant keeps only the water that falls within its own square of ground."
)
PART_A = (
    "Write the total amount of water that reaches the fourth plant as a geometric series, and find the "
    "smallest number of plants after which the remaining flow drops below one tenth of the initial flow."
)
PART_B = (
    "Suppose the gardener now walks back along the row and waters every plant a second time. "
    "Explain why the plants at the far end still receive less water than the plants near the tap."
)


def course() -> Course:
    """A one-homework course with invented question text."""
    q = Question(
        number="1",
        title="Watering a Row of Tomatoes",
        preamble=PREAMBLE,
        parts=[
            QuestionPart(id="q1a", question="1", letter="a", roman=None, text=PART_A),
            QuestionPart(id="q1b", question="1", letter="b", roman=None, text=PART_B),
        ],
    )
    return Course(homeworks={"toy-hw1": QuestionSet(homework="toy-hw1", source="toy.pdf", questions=[q])})


REPLY_A = (
    "Each metre the flow is multiplied by one half, so the fourth plant receives an eighth of the "
    "initial flow on top of what leaks before it. Summing the terms gives a geometric series, and "
    "the flow falls under a tenth after four plants because two to the fourth power exceeds ten."
)
REPLY_B = (
    "Walking back does not change the attenuation: every pass multiplies the flow by the same factors, "
    "so the far plants get the same small share twice over, which is still less than near the tap."
)


def _weak(text: str) -> Block:
    """A block the reader gave to the model for want of any layout cue."""
    return Block(
        kind="text",
        text=text,
        meta={
            "page": 1,
            "evidence": ["no layout cue tells the speakers apart: read as the model's"],
            "confidence": 0.3,
        },
    )


def _one_turn(*texts: str) -> Transcript:
    return Transcript(
        source="chat.pdf",
        format="pdf",
        turns=[Turn(index=0, role="assistant", blocks=[_weak(t) for t in texts], role_inferred=True)],
    )


def test_tokens_normalise_case_ligatures_hyphenation_and_quotes() -> None:
    words = [t.word for t in tokens("The ﬁnal Gener-\nalization isn’t x \\alpha done")]
    assert words == ["the", "final", "generalization", "isn't", "done"]


def test_a_pasted_question_becomes_a_user_turn() -> None:
    t = _one_turn(f"Solve this: {PREAMBLE}", PART_A, REPLY_A, PART_B, REPLY_B)
    made = mark_question_turns(t, course())
    assert made == 2
    assert [turn.role for turn in t.turns] == ["user", "assistant", "user", "assistant"]
    assert [turn.index for turn in t.turns] == [0, 1, 2, 3]
    assert t.turns[0].blocks[0].text.startswith("Solve this:")
    assert t.turns[0].blocks[1].text == PART_A  # the next paragraph of the question joins the prompt
    assert t.turns[1].blocks[0].text == REPLY_A
    copy = t.turns[2].blocks[0].meta["question_copy"]
    assert copy["homework"] == "toy-hw1" and copy["parts"] == ["q1b"]
    assert copy["coverage"] >= 0.9 and copy["matched_words"] >= 30
    assert t.turns[2].role_inferred and "pasted homework question" in t.turns[2].meta["evidence"][0]
    assert sum("copies the question text of toy-hw1" in w for w in t.warnings) == 2


def test_a_block_that_opens_with_the_question_is_split_where_the_reply_starts() -> None:
    t = _one_turn(f"Please help with this. {PART_A}\n{REPLY_A}")
    assert mark_question_turns(t, course()) == 1
    assert [turn.role for turn in t.turns] == ["user", "assistant"]
    assert t.turns[0].blocks[0].text == f"Please help with this. {PART_A}"
    assert t.turns[1].blocks[0].text == REPLY_A


def test_a_copy_read_as_one_block_per_line_spans_the_lines() -> None:
    # OCR and some PDF rows come as one block per line: the copy runs across them
    lines = [" ".join(PART_B.split()[i : i + 6]) for i in range(0, len(PART_B.split()), 6)]
    t = _one_turn(REPLY_A, *lines, *REPLY_B.split(". "))
    t.turns[0].blocks.insert(len(lines) // 2 + 1, Block(kind="math", text="$$w_{t+1} = w_t$$"))
    assert mark_question_turns(t, course()) == 1
    assert [turn.role for turn in t.turns] == ["assistant", "user", "assistant"]
    assert [b.kind for b in t.turns[1].blocks].count("math") == 1
    assert " ".join(b.text for b in t.turns[1].blocks if b.kind == "text") == " ".join(lines)
    assert t.turns[2].blocks[0].text.startswith("Walking back")


def test_garbled_math_between_two_copies_stays_in_the_pasted_question() -> None:
    t = _one_turn(
        f"Solve this: {PREAMBLE}", "©00Cx TIxT2 xTN@ OOSS Sand vector yy SC OCCOO yly2 ww", PART_A, REPLY_A
    )
    assert mark_question_turns(t, course()) == 1
    assert [turn.role for turn in t.turns] == ["user", "assistant"]
    assert len(t.turns[0].blocks) == 3 and t.turns[1].blocks[0].text == REPLY_A


def test_a_short_first_paragraph_joins_the_long_copy_after_it() -> None:
    title = "Suppose the gardener now walks back along the row and waters every plant a second time."
    t = _one_turn(
        REPLY_A,
        title,
        "see the figure on the next page for the layout of the row",
        f"{PREAMBLE} {PART_A}",
        REPLY_B,
    )
    assert mark_question_turns(t, course()) == 1
    assert [turn.role for turn in t.turns] == ["assistant", "user", "assistant"]
    assert [b.text for b in t.turns[1].blocks] == [
        title,
        "see the figure on the next page for the layout of the row",
        f"{PREAMBLE} {PART_A}",
    ]
    # alone, that paragraph in the middle of the model's text is a quote
    t = _one_turn(REPLY_A, title, REPLY_B)
    assert mark_question_turns(t, course()) == 0


def test_a_reply_that_quotes_one_sentence_stays_the_models() -> None:
    quote = (
        "The part asks us to explain why the plants at the far end still receive less water than the "
        "plants near the tap."
    )
    t = _one_turn(REPLY_A, quote, REPLY_B)
    before = t.model_dump()
    assert mark_question_turns(t, course()) == 0
    assert t.model_dump() == before
    # the same sentence heading the model's answer in one block
    sentence = quote.removeprefix("The part asks us to explain")
    t = _one_turn(REPLY_A, f"Let's go through it step by step. Explain{sentence}\n{REPLY_B}")
    assert mark_question_turns(t, course()) == 0


def test_a_restatement_in_the_models_own_words_is_not_a_copy() -> None:
    paraphrase = (
        "We have a hose along a line of tomato plants; the flow loses half its strength per metre and "
        "each plant only keeps the water landing on its own patch. We need the total reaching plant four."
    )
    index = index_of(course())
    assert block_copy(paraphrase, index) is None or block_copy(paraphrase, index).matched < 12  # type: ignore[union-attr]
    t = _one_turn(REPLY_A, paraphrase)
    assert mark_question_turns(t, course()) == 0


def test_labelled_or_bubbled_roles_are_never_overturned() -> None:
    for evidence, kind in (
        ("speaker label 'ChatGPT:'", "label"),
        ("assistant (inside the boxes that hold most of the chat (x))", "message_box"),
    ):
        # the kind decides, not the wording nor the confidence (low here)
        meta = {"evidence": [f"reworded: {evidence[::-1]}"], ROLE_EVIDENCE_KEY: [kind], "confidence": 0.6}
        block = Block(kind="text", text=PART_A, meta=meta)
        turn = Turn(index=0, role="assistant", blocks=[block])
        assert not weak_role(turn, block)
        # the same wording with no structured kind is no layout evidence
        bare = block.model_copy(update={"meta": {**meta, ROLE_EVIDENCE_KEY: ["margin"]}})
        assert weak_role(turn, bare)
        t = Transcript(source="c.pdf", format="pdf", turns=[turn])
        assert mark_question_turns(t, course()) == 0
    explicit = Transcript(
        source="c.md",
        format="role-markdown",
        turns=[Turn(index=0, role="assistant", blocks=[Block(kind="text", text=PART_A)])],
    )
    assert mark_question_turns(explicit, course()) == 0


def test_a_document_whose_layout_found_the_prompts_is_left_alone() -> None:
    prompt = Block(
        kind="text",
        text="now solve part a",
        meta={"evidence": ["user (inside a message bubble (grey))"], ROLE_EVIDENCE_KEY: ["bubble"]},
    )
    t = _one_turn(PART_A, REPLY_A)
    t.turns.insert(0, Turn(index=0, role="user", blocks=[prompt]))
    before = t.model_dump()
    assert mark_question_turns(t, course()) == 0
    assert t.model_dump() == before


def test_a_copy_inside_a_reply_that_showed_its_reasoning_is_the_models() -> None:
    thought = Block(kind="thinking", text="Thought for 12s")
    t = _one_turn(PART_A, REPLY_A)
    t.turns[0].blocks.insert(0, thought)
    assert mark_question_turns(t, course()) == 0  # reasoning, the question restated, then the answer
    # a copy after a reply, followed by the next reply's reasoning, is the next prompt
    t = _one_turn(REPLY_A, PART_B, REPLY_B)
    t.turns[0].blocks[0:0] = [thought]
    t.turns[0].blocks.insert(3, thought)
    assert mark_question_turns(t, course()) == 1
    assert [turn.role for turn in t.turns] == ["assistant", "user", "assistant"]
    assert t.turns[2].blocks[0].kind == "thinking"
    # the same with the student's note inside the copy: the note stays with it
    note = Block(kind="annotation", text="I pasted part b here")
    t = _one_turn(REPLY_A, PART_B, REPLY_B)
    t.turns[0].blocks[0:0] = [thought]
    t.turns[0].blocks[3:3] = [note, thought]
    assert mark_question_turns(t, course()) == 1
    assert [b.kind for b in t.turns[1].blocks] == ["text", "annotation"]


def test_without_questions_nothing_changes() -> None:
    t = _one_turn(PREAMBLE, REPLY_A)
    before = t.model_dump()
    assert mark_question_turns(t, None) == 0
    assert mark_question_turns(t, Course()) == 0
    assert t.model_dump() == before


def test_a_prompt_already_read_is_extended_not_duplicated() -> None:
    user = Turn(index=0, role="user", blocks=[_weak("Here is problem one.")], role_inferred=True)
    reply = Turn(index=1, role="assistant", blocks=[_weak(PREAMBLE), _weak(REPLY_A)], role_inferred=True)
    t = Transcript(source="c.pdf", format="pdf", turns=[user, reply])
    assert mark_question_turns(t, course()) == 1
    assert [x.role for x in t.turns] == ["user", "assistant"]
    assert [b.text for b in t.turns[0].blocks] == ["Here is problem one.", PREAMBLE]
    assert t.turns[1].blocks[0].text == REPLY_A
    assert len(user.blocks) == 1  # the reader's turn object is not changed behind its back


def test_right_after_a_prompt_one_copied_sentence_is_the_models() -> None:
    sentence = "Explain why the plants at the far end still receive less water than the plants near the tap."
    user = Turn(index=0, role="user", blocks=[_weak("Part b please.")], role_inferred=True)
    reply = Turn(index=1, role="assistant", blocks=[_weak(sentence), _weak(REPLY_B)], role_inferred=True)
    t = Transcript(source="c.pdf", format="pdf", turns=[user, reply])
    assert mark_question_turns(t, course()) == 0
    assert [x.role for x in t.turns] == ["user", "assistant"] and len(t.turns[1].blocks) == 2


# --------------------------------------------------------------------------- PDFs end to end

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


def _question_pdf(path: Path) -> Path:
    """A question PDF laid out as LaTeX sets a homework: bold numbered heading, lettered parts."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    y = 90.0
    page.insert_text((56, y), "1. Watering a Row of Tomatoes", fontsize=14, fontname="hebo")
    y += 24
    for line in _lines(PREAMBLE):
        page.insert_text((72, y), line, fontsize=10.5, fontname="helv")
        y += 14
    for label, text in (("(a)", PART_A), ("(b)", PART_B)):
        page.insert_text((76, y), label, fontsize=10.5, fontname="helv")
        for line in _lines(text):
            page.insert_text((96, y), line, fontsize=10.5, fontname="helv")
            y += 14
    doc.save(str(path))
    doc.close()
    return path


def _chat_pdf(paragraphs: list[str]) -> bytes:
    """A chat printed without any role cue: every paragraph from the margin, same font."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 60.0
    for para in paragraphs:
        for line in _lines(para):
            page.insert_text((50, y), line, fontsize=11, fontname="helv")
            y += 15
        y += 15
    return bytes(doc.tobytes())


@pytest.fixture()
def question_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "course"
    folder.mkdir()
    _question_pdf(folder / "hw1.pdf")
    return folder


def test_a_pdf_with_no_layout_cue_gets_its_pasted_questions_as_user_turns(question_dir: Path) -> None:
    from grader.transcripts import read_bytes

    data = _chat_pdf([f"Solve this: {PREAMBLE}", PART_A, REPLY_A, PART_B, REPLY_B])
    plain = read_bytes(data, "chat.pdf")[0]
    assert [t.role for t in plain.turns] == ["assistant"]  # the reader alone sees one speaker
    read = read_bytes(data, "chat.pdf", questions=load_course(question_dir))[0]
    assert [t.role for t in read.turns] == ["user", "assistant", "user", "assistant"]
    assert read.turns[1].text().startswith("Each metre the flow")
    assert read.turns[2].blocks[0].meta["question_copy"]["parts"] == ["q1b"]
    assert any("copies the question text of hw1" in w for w in read.warnings)


def test_grader_read_takes_questions(
    question_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chat = tmp_path / "chat.pdf"
    chat.write_bytes(_chat_pdf([PART_A, REPLY_A]))
    assert main(["read", str(chat), "--json"]) == 0
    without = json.loads(capsys.readouterr().out)
    assert [t["role"] for t in without["turns"]] == ["assistant"]
    assert main(["read", str(chat), "--json", "--questions", str(question_dir)]) == 0
    with_questions = json.loads(capsys.readouterr().out)
    assert [t["role"] for t in with_questions["turns"]] == ["user", "assistant"]
    assert main(["read", str(chat), "--questions", str(tmp_path / "missing")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_grading_with_questions_reads_the_pasted_question_as_the_users() -> None:
    from grader.pipeline import grade_transcript

    t = _one_turn(f"Solve this: {PREAMBLE}", PART_A, REPLY_A)
    report = grade_transcript(t, questions=course())
    assert report.transcript is not None
    assert [turn.role for turn in report.transcript.turns] == ["user", "assistant"]
    assert any("copies the question text of toy-hw1" in w for w in report.warnings)
