"""Method names from a rubric's vocabulary (HW2's optimizers): synonyms, longest match, asserted
name, verdicts. The checker knows no homework: every name comes from the rubric."""

from __future__ import annotations

import pytest

from grader.checkers.names import asserted_name, check_name, identify_names
from grader.rubric import get_rubric

VOCAB = get_rubric("cs182-fa25-hw2").vocabulary

CANONICAL = {
    "gradient_descent",
    "sign_descent",
    "adam",
    "rmsprop",
    "adagrad",
    "momentum",
    "newton",
    "normalized_gradient_descent",
    "coordinate_descent",
    "steepest_descent_l1",
}


def test_hw2_vocabulary_ids() -> None:
    assert set(VOCAB) == CANONICAL


@pytest.mark.parametrize(
    "text,family",
    [
        # --- gradient descent and its synonyms
        ("Gradient Descent", "gradient_descent"),
        ("SGD", "gradient_descent"),
        ("stochastic gradient descent", "gradient_descent"),
        ("steepest descent", "gradient_descent"),
        ("mini-batch gradient descent", "gradient_descent"),
        # --- sign descent (longest match beats "gradient descent")
        ("SignSGD", "sign_descent"),
        ("signSGD", "sign_descent"),
        ("Sign GD", "sign_descent"),
        ("sign descent", "sign_descent"),
        ("signed gradient descent", "sign_descent"),
        ("sign-based gradient descent", "sign_descent"),
        ("adaptive sign descent", "sign_descent"),
        (r"steepest descent w.r.t. the $\ell_\infty$ norm", "sign_descent"),
        # --- adaptive methods
        ("Adam", "adam"),
        ("AdamW", "adam"),
        ("RMSProp", "rmsprop"),
        ("RMS-prop", "rmsprop"),
        ("AdaGrad", "adagrad"),
        # --- momentum beats the SGD inside it
        ("SGD with momentum", "momentum"),
        ("Nesterov momentum", "momentum"),
        ("heavy-ball method", "momentum"),
        # --- others
        ("Newton's method", "newton"),
        ("normalized gradient descent", "normalized_gradient_descent"),
        ("greedy coordinate descent", "coordinate_descent"),
        ("steepest descent with respect to the l1 norm", "steepest_descent_l1"),
    ],
)
def test_identify_single_name(text: str, family: str) -> None:
    names = identify_names(text, VOCAB)
    assert len(names) == 1
    assert names[0][0] == family


@pytest.mark.parametrize(
    "text,expected",
    [
        # --- several names, in order
        (
            "This corresponds to **SignSGD** (sometimes referred to as sign-based gradient descent)",
            [("sign_descent", "SignSGD"), ("sign_descent", "sign-based gradient descent")],
        ),
        (
            "Adam or RMSProp, unlike SGD",
            [("adam", "Adam"), ("rmsprop", "RMSProp"), ("gradient_descent", "SGD")],
        ),
        # --- no names
        ("The update moves along the negative gradient.", []),
        ("", []),
    ],
)
def test_identify_names_in_order(text: str, expected: list[tuple[str, str]]) -> None:
    assert identify_names(text, VOCAB) == expected


@pytest.mark.parametrize(
    "claim,family",
    [
        # --- the bold name is the asserted one, even after a non-name bold label
        (
            "- **Standard Optimizer:** This recovers **Gradient Descent** (or SGD if using mini-batches)",
            "gradient_descent",
        ),
        ("This corresponds to **Sign Descent** (also known as **SignSGD**)", "sign_descent"),
        # --- without bold, the first name; negated mentions are skipped
        ("It is SignSGD, which behaves like Adam here", "sign_descent"),
        ("This is not Adam; it is plain gradient descent", "gradient_descent"),
        ("rather than SGD, this is sign descent", "sign_descent"),
    ],
)
def test_asserted_name(claim: str, family: str) -> None:
    found = asserted_name(claim, VOCAB)
    assert found is not None
    assert found[0] == family


@pytest.mark.parametrize(
    "claim,accepted,verdict",
    [
        # --- real claims from the seeds (000 Gemini, 001 Claude)
        (
            "This recovers **Gradient Descent** (or SGD if using mini-batches), where α/2 acts as the learning rate.",
            ["gradient_descent"],
            "correct",
        ),
        (
            "This recovers **Gradient Descent** (also known as Steepest Descent).",
            ["gradient_descent"],
            "correct",
        ),
        (
            "This corresponds to **SignSGD** (sometimes referred to as sign-based gradient descent)",
            ["sign_descent"],
            "correct",
        ),
        (
            "This corresponds to **Sign Descent** (also known as **SignSGD** or **signed gradient descent**).",
            ["sign_descent"],
            "correct",
        ),
        # --- wrong family
        ("Adam", ["gradient_descent"], "incorrect"),
        ("SignSGD", ["gradient_descent"], "incorrect"),
        ("gradient descent", ["sign_descent"], "incorrect"),
        ("SGD with momentum", ["gradient_descent"], "incorrect"),
        # --- no known method named
        ("It moves in the direction of the negative gradient.", ["gradient_descent"], "unparseable"),
        ("", ["gradient_descent"], "unparseable"),
    ],
)
def test_check_name(claim: str, accepted: list[str], verdict: str) -> None:
    result = check_name(claim, accepted, VOCAB, display="the reference")
    assert result.verdict == verdict
    assert result.reference == "the reference"
    if verdict == "unparseable":
        assert "names nothing the rubric's vocabulary knows" in result.explanation
    else:
        assert result.interpreted


def test_a_name_outside_the_vocabulary_is_never_wrong() -> None:
    # "Lion" is an optimizer the rubric does not list: no evidence either way
    result = check_name("This is the Lion optimizer.", ["gradient_descent"], VOCAB, display="x")
    assert result.verdict == "unparseable"


def test_an_answer_phrase_outside_the_vocabulary_is_accepted_as_its_own_name() -> None:
    vocab = {**VOCAB, "lion": ["Lion"]}
    assert check_name("It is Lion.", ["lion"], vocab, display="Lion").verdict == "correct"
    assert check_name("It is Adam.", ["lion"], vocab, display="Lion").verdict == "incorrect"
