"""The write-up reader on the three real seeds (../shared/seeds): roles, order, annotations.

Expected values come from reading the seeds by hand (turn boundaries, every margin note and
comment), not from the reader's output.
"""

from __future__ import annotations

import pytest

from tests.transcripts.helpers import annotation_texts, assistant_text, read_cached, seed_path

GEMINI = "000_cf389ef2afa5cc5b.txt"
CLAUDE = "001_29990ff1c069adec.txt"
MISTRAL = "002_2ca81225e9ca24a0.txt"

pytestmark = pytest.mark.shared

# Every annotation of each seed, as a snippet of its text (found by reading the seeds).
ANNOTATIONS = {
    GEMINI: [
        "attempt to prompt Gemini to explore many methods",
        "defines objective",
        "fn, good nl notation",
        "simple and correct optimization",
        "The homework initially had a typo",
        "Recognizes that the problem is unconstrained",
        "offers useful next prompt to explore Lasso",
        "Effective breakdown of steps",
        "→ correct answer",
        "→ correct answer",
        "again correct",
        "Sneaky explanation and correct answer",
        "properly breaks it down",
        "**connect**",
        "**again connect**",
    ],
    CLAUDE: [
        "Here it provides more detailed expansion compared to the HW solution",
        "Although it pointed out the learning rate",
        "But after I provided a bit more guidance",
        "It's able to one-shot the problem in an over-complicated way",
        "It's able to one-shot the problem, with additional step-by-step",
        "Successfully one-shot the problem",
        "One-shot the problem perfectly",
    ],
    MISTRAL: [
        "I used Mistral AI to work through",
        "This is the unannotated trace",
        "https://chat.mistral.ai/chat/",
        "This is the annotated trace",
        "It got the correct optimality conditions",
        "This does not align with the staff solution",
        "It reported the wrong training time and accuracies",
        "I am not sure how it derived the 3x speedup",
        "It did get the overall idea about the blog",
        "I wanted to see if it would expand on its answer",
        "In order to match the staff solutions",
        "I wanted to see that if I paste the entire content",
        "It was able to get the right accuracies and timing",
        "These summaries are a lot more accurate",
        "Here I gave it a picture of the problem",
        "The model's answer about",
        "Both of these answers are correct",
        "It provided the right explanation and answers",
        "once again, it was able to give the right answers",
        "The model's answer reached the right final conclusion",
    ],
}

# Sentences the MODEL wrote: they must stay assistant text.
MODEL_SENTENCES = {
    GEMINI: [
        "This recovers **Gradient Descent**",
        "It moves exclusively based on the coordinate-wise sign",
        "Here is the breakdown of the communication costs",
        "- **Total Messages:**  $2n$",
    ],
    CLAUDE: [
        "This is a fundamental principle in optimization",
        "This recovers **Gradient Descent** (also known as Steepest Descent).",
        "Much cleaner!",
        "-m \\sum_i |g_i| = -m |g|_1$",
    ],
    MISTRAL: [
        "You need **2 linear layers**",
        "Which is trivially true.",
        "It bridges the gap between theoretical possibilities",
        "Let's consider the SVDs of",
        "The loss function you will be using is `nn.MSELoss`.",
    ],
}

# (seed, number of turns, model) — turn boundaries counted by hand.
SHAPES = [
    (GEMINI, 6, "Gemini"),  # Q1 / ◆ / Q2 / ◆ / Q5 / ◆
    (CLAUDE, 16, "Claude"),  # 8 prompts (1a, 1b, 👤, 2a, ⊙, 2b, ⊙ 2c, 5) and 8 replies
    (MISTRAL, 18, "Mistral"),  # 9 prompts (one an image, left empty) and 9 replies
]


# --------------------------------------------------------------------------- shape


@pytest.mark.parametrize("seed,turns,model", SHAPES)
def test_seed_turns_alternate_user_assistant(seed: str, turns: int, model: str) -> None:
    transcript = read_cached(seed_path(seed))
    assert transcript.format == "writeup-text"
    assert transcript.model == model
    assert [t.role for t in transcript.turns] == ["user", "assistant"] * (turns // 2)
    assert [t.index for t in transcript.turns] == list(range(turns))
    assert all(t.role_inferred for t in transcript.turns)
    assert "roles inferred from layout" in transcript.warnings


@pytest.mark.parametrize("seed", [GEMINI, CLAUDE, MISTRAL])
def test_seed_spans_point_at_the_source(seed: str) -> None:
    path = seed_path(seed)
    source = path.read_text(encoding="utf-8")
    for turn in read_cached(path).turns:
        for block in turn.blocks:
            assert block.span is not None
            if block.kind in ("text", "math", "table", "code", "attachment"):
                assert source[block.span.start : block.span.end] == block.text
                assert source.count("\n", 0, block.span.start) + 1 == block.span.line_start


# --------------------------------------------------------------------------- annotations


@pytest.mark.parametrize("seed", [GEMINI, CLAUDE, MISTRAL])
def test_seed_annotations_recognised_by_text(seed: str) -> None:
    transcript = read_cached(seed_path(seed))
    found = annotation_texts(transcript)
    expected = ANNOTATIONS[seed]
    for snippet in expected:
        assert any(snippet in text for text in found), snippet
    assert len(found) == len(expected)


@pytest.mark.parametrize("seed", [GEMINI, CLAUDE, MISTRAL])
def test_seed_no_annotation_left_in_model_text(seed: str) -> None:
    text = assistant_text(read_cached(seed_path(seed)))
    for snippet in ANNOTATIONS[seed]:
        assert snippet not in text, snippet
    assert "again correct" not in text and "**connect**" not in text


@pytest.mark.parametrize("seed", [GEMINI, CLAUDE, MISTRAL])
def test_seed_model_sentences_stay_assistant_text(seed: str) -> None:
    text = assistant_text(read_cached(seed_path(seed)))
    for sentence in MODEL_SENTENCES[seed]:
        assert sentence in text, sentence


# --------------------------------------------------------------------------- per-seed structure


def test_gemini_replies_start_at_diamond_and_questions_are_user() -> None:
    transcript = read_cached(seed_path(GEMINI))
    users = [t.text() for t in transcript.turns if t.role == "user"]
    assert users[0].startswith("Perform this question by explaining")
    assert "Question 2: Optimizers and their convergence" in users[1]
    assert "#### Question 5: Analyzing Distributed Training" in users[2]
    replies = [t for t in transcript.turns if t.role == "assistant"]
    assert all(r.blocks[0].kind == "residue" and r.blocks[0].text == "◆" for r in replies)
    residue = [b.text for t in transcript.turns for b in t.blocks if b.kind == "residue"]
    assert "You've reached your Thinking limit" in residue
    assert transcript.title == "Gemini Chat"


def test_claude_timestamps_and_thinking() -> None:
    transcript = read_cached(seed_path(CLAUDE))
    assert transcript.turns[0].timestamp == "10/13/2025, 12:47:31 PM"
    replies = [t for t in transcript.turns if t.role == "assistant"]
    assert all(any(b.kind == "thinking" for b in r.blocks) for r in replies)
    assert replies[0].blocks[0].text.startswith("*Thought: Unraveled gradient descent")
    # the (b) prompt has no timestamp before it: it is still a user turn
    assert transcript.turns[2].text().startswith("(b) Now, consider")
    asking = transcript.turns[4]
    assert asking.role == "user" and asking.blocks[0].text == "👤"
    assert "Are you sure this is the same as sign Descent" in asking.text()
    # the annotation between two messages goes to the reply it comments on
    assert transcript.turns[15].blocks[0].kind == "annotation"


def test_mistral_turn_contents() -> None:
    turns = read_cached(seed_path(MISTRAL)).turns
    first_reply = turns[1].text()
    assert "Problem 3b" in first_reply and "Problem 4: How to Train Your ResNet" in first_reply
    retry = next(t for t in turns if t.text().startswith("retry problem 4."))
    assert retry.role == "user"
    attached = [b for b in retry.blocks if b.kind == "attachment"]
    assert attached and attached[0].text.startswith("David Page")
    assert any("640 Tensor Cores" in b.text for b in attached)
    inductive = next(t for t in turns if "Inductive Bias Towards Orthonormal Columns" in t.text())
    assert inductive.role == "assistant"
    assert inductive.blocks[0].kind == "residue" and inductive.blocks[0].text == "**M**"
    prompts = [t.text() for t in turns if t.role == "user"]
    assert any(p.startswith("for (ii) Show that the Principal Components") for p in prompts)
    assert any("What is the loss function that you will be using?" in p for p in prompts)
    assert any(p.startswith("- (a) (4pts) Your teammate proposes") for p in prompts)
    placeholders = [t for t in turns if t.meta.get("placeholder")]
    assert len(placeholders) == 1 and placeholders[0].blocks == []
    assert turns[1].timestamp == "9:50pm"
