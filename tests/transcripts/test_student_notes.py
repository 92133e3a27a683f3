"""Student annotations vs the model's own prose: recognised by voice and by form."""

from __future__ import annotations

import pytest

from grader.transcripts.student_notes import paragraph_form

ANNOTATIONS = [
    # the student evaluating the model in the third person
    "It reported the wrong training time and accuracies. These numbers never showed up in the blog.",
    "This does not align with the staff solution as it doesn't use the optimality conditions.",
    "I am not sure how it derived the 3x speedup.",
    "Both of these answers are correct",
    "once again, it was able to give the right answers for the multiple choice questions",
    "Successfully one-shot the problem with more detailed step-by-step solutions.",
    "One-shot the problem perfectly.",
    "But after I provided a bit more guidance, it was able to recover both cases.",
    "The homework initially had a typo",
    "Here I gave it a picture of the problem and typed in the problems in the prompt.",
    # form: short italic lines, arrows, share links
    "*Effective breakdown of steps*",
    "↗ again correct",
    "<https://chat.mistral.ai/chat/2fc76ff9-ffb4-4ebb-b867-2c05650e1003>",
    "offers useful  \nnext prompt  \nto explore Lasso",
]

MODEL_PROSE = [
    "This recovers **Gradient Descent** (or SGD if using mini-batches), where the step acts as the learning rate.",
    "It moves exclusively based on the coordinate-wise sign of the gradient.",
    "This is a fundamental principle in optimization: the geometry determines the solution.",
    "You need **2 linear layers** to represent the encoder and decoder in the neural network.",
    "The process is described in the prompt as having two phases.",
    "If the decoder incorrectly generates saw instead of see, the subsequent tokens follow its outputs.",
    "It is not required for the given objective function.",
    "Looking at this problem, I need to analyze where vanilla SGD converges.",
    "Why?",
    "Answer:",
    "So an obvious question is: how good is 341s to train to 94% test accuracy on CIFAR10?",
]


@pytest.mark.parametrize("text", ANNOTATIONS)
def test_student_voice_is_annotation(text: str) -> None:
    assert paragraph_form(text) is not None


@pytest.mark.parametrize("text", MODEL_PROSE)
def test_model_prose_is_not_annotation(text: str) -> None:
    assert paragraph_form(text) is None
