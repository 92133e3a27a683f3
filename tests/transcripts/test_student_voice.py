"""The student's voice told by grammar and reference (``student_voice``), on invented sentences: the
third person about the model with a judgement, the student's own first person, and the opposite evidence
(a prompt speaks to the model, the model speaks as itself, the network of the homework is "the model" too).
"""

from __future__ import annotations

import pytest

from grader.transcripts.student_voice import student_voice


@pytest.mark.parametrize(
    "text",
    [
        # a named model, judged
        "Claude slipped on the second identity and never noticed the wrong sign.",
        "Overall, Qwen performed remarkably well on the derivations.",
        # "the model" with a judged act of its own
        "The model correctly recovers the step size from the update rule.",
        "The assistant missed the constraint on the eigenvalues entirely.",
        # "it" narrated in the past tense, judged
        "It successfully matched the staff answer after one more attempt.",
        # the student's own first person about the prompting
        "For this part my prompt only restated the question word for word.",
        "I asked it to redo the proof with the norm bounded explicitly.",
    ],
)
def test_the_students_commentary_reads_as_the_students(text: str) -> None:
    voice = student_voice(text)
    assert voice.score >= 3, voice
    assert not voice.addressed
    assert voice.evidence  # the decision says why


@pytest.mark.parametrize(
    "text",
    [
        # the model explaining the mathematics
        "Let's compute the Hessian of the quadratic loss before taking a step.",
        "We obtain the closed form by setting the derivative to zero.",
        # the homework's network is "the model" too: what it does is not judged by a student
        "The model overfits when the hidden layer is very wide, so the validation loss rises.",
        "This means the model learns fastest where its prediction is furthest from the label.",
        # plain statements
        "The kernel is a sum of powers of the state matrix applied to the input vector.",
    ],
)
def test_the_models_prose_does_not(text: str) -> None:
    assert student_voice(text).score < 3


@pytest.mark.parametrize(
    "text",
    [
        "Please solve part (c) and explain each step you take.",
        "Can you check whether your second answer was correct?",
        "Derive the gradient of the loss with respect to the bias.",
    ],
)
def test_a_prompt_is_addressed_to_the_model(text: str) -> None:
    voice = student_voice(text)
    assert voice.addressed
    assert voice.score < 3


def test_display_math_is_the_models_working() -> None:
    assert student_voice("The model got $$x = 2$$ right.").score == 0


def test_confidence_grows_with_the_score() -> None:
    weak = student_voice("This answer is correct.")
    strong = student_voice("Claude got the bound wrong. I asked it to try again and it fixed the sign.")
    assert strong.score > weak.score
    assert strong.confidence > weak.confidence
