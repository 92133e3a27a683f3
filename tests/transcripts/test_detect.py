"""Format detection by content, and the chatbot named by the text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.errors import InputError, UnknownFormatError
from grader.transcripts import detect, read_text

WRITEUP = """Question 1: Optimizers

(a) What is the analytical solution for $u$? Which optimizer does this recover?

- ◆ Here is a step-by-step derivation. Setting the gradient of the objective to zero gives
$u = -\\frac{\\alpha}{2} g$, which is gradient descent.

*→ correct answer*
"""

ROLE_TEXTS = [
    # headings that are only the marker
    ("## User\nSolve (a).\n\n## Assistant\nDone.", ["user", "assistant"]),
    ("#### You:\nSolve (a).\n\n#### ChatGPT:\nDone.", ["user", "assistant"]),
    ("### USER\nSolve (a).\n### ASSISTANT\nDone.\n### USER\nMore.", ["user", "assistant", "user"]),
    ("## Prompt:\nSolve (a).\n\n## Response:\nThought for 24s\n\nDone.", ["user", "assistant"]),
    # bold, italic and plain line-start markers
    ("**User:** Solve (a).\n\n**Assistant:** Done.", ["user", "assistant"]),
    ("_Prompt_: Solve (a).\n\n_Claude_: Done.", ["user", "assistant"]),
    ("User: Solve (a).\nAssistant: Done.\nUser: thanks", ["user", "assistant", "user"]),
]


@pytest.mark.parametrize("text,roles", ROLE_TEXTS)
def test_role_markers_detected(text: str, roles: list[str]) -> None:
    assert detect(text) == "role-markdown"
    assert [t.role for t in read_text(text).turns] == roles


def test_writeup_detected() -> None:
    assert detect(WRITEUP) == "writeup-text"
    transcript = read_text(WRITEUP)
    assert [t.role for t in transcript.turns] == ["user", "assistant"]
    assert [b.text for _, b in transcript.annotations()] == ["→ correct answer"]


@pytest.mark.parametrize(
    "text",
    [
        # the model's own headings are not role markers, and one role alone is not a chat
        "## Part (a)\nThe gradient is $g$.\n\n### User experience\nFine.\n\n## Assistant notes\nNone.",
        "## User\nonly the user speaks here, nothing else",
        "Assistant: I can help.\nAssistant: Anything else?",
        "eggs\nmilk\nbread",
    ],
)
def test_not_a_chat(text: str) -> None:
    with pytest.raises(UnknownFormatError) as info:
        detect(text)
    assert "no chat structure found" in info.value.message


@pytest.mark.parametrize(
    "text,model",
    [
        ("# Gemini Chat\n\n## User\nhi\n\n## Assistant\nhello", "Gemini"),
        ("#### You:\nhi\n\n#### ChatGPT:\nhello", "ChatGPT"),
        ("## User\nhi\n\n## Le Chat\nhello", "Mistral"),
        ("I used Mistral AI for this.\n\nUser: hi\nAssistant: hello", "Mistral"),
        ("# Claude conversation\n\n**User:** hi\n\n**Assistant:** hello", "Claude"),
        ("User: hi\nAssistant: hello", None),
    ],
)
def test_model_named_by_the_text(text: str, model: str | None) -> None:
    assert read_text(text).model == model


_PIECES = st.sampled_from(
    [
        "## User",
        "## Assistant",
        "User: hi",
        "Assistant:",
        "- ◆ Here is",
        "**M** Answer",
        "👤 ok",
        "⊙ again",
        "10/13/2025, 12:47:31 PM",
        "⚡ • 9:50pm",
        "*Thought: hmm*",
        "$$x = 1$$",
        "$$",
        "```",
        "a\tb",
        "| a | b |",
        "Question 2: Optimizers",
        "(a) What is $u$?",
        "retry problem 4.",
        "Let's tackle it.",
        "It got the correct answer.",
        "*→ correct*",
        "simple  ",
        "",
        "   ",
        "[note it is the HW solution here](#)",
        "x  **connect**",
        "You've reached your Thinking limit",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_structured_noise_never_crashes(lines: list[str]) -> None:
    try:
        transcript = read_text("\n".join(lines))
    except InputError as exc:
        assert exc.message
    else:
        assert [t.index for t in transcript.turns] == list(range(len(transcript.turns)))


SOLUTION_TEXT = (
    "# Solution\n\nSetting the derivative of the regularised loss to zero gives the optimal weight "
    "$w = (X^T X + \\lambda I)^{-1} X^T y$. Every singular direction is shrunk by the factor "
    "$\\sigma^2/(\\sigma^2+\\lambda)$, so the solution goes to zero as lambda grows and recovers least "
    "squares as lambda goes to zero, which is the usual bias and variance trade-off of ridge regression.\n"
)


def test_solution_file_named_for_a_question_is_read_as_the_models_text() -> None:
    from grader.transcripts.detect import detect_and_read

    transcript = detect_and_read(SOLUTION_TEXT, "answers/solution_q2.md")
    assert [t.role for t in transcript.turns] == ["assistant"]
    assert "no conversation in this file" in transcript.warnings[0]


@pytest.mark.parametrize("source", ["answers/solution.md", "q1_and_q2.md", "<text>"])
def test_solution_text_without_parts_or_a_question_in_its_name_is_refused(source: str) -> None:
    from grader.transcripts.detect import detect_and_read

    with pytest.raises(UnknownFormatError) as info:
        detect_and_read(SOLUTION_TEXT, source)
    assert "no chat structure found" in info.value.message and "solution_q2.md" in info.value.message


def test_a_question_in_the_name_does_not_make_a_shopping_list_a_solution() -> None:
    from grader.transcripts.detect import detect_and_read

    with pytest.raises(UnknownFormatError):
        detect_and_read("eggs\nmilk\nbread\n" * 20, "q2.md")
