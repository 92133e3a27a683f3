"""Multiple-choice selections, including PDF-destroyed tick marks."""

from __future__ import annotations

import pytest

from grader.checkers.choices import check_choice, match_option, parse_selection

LAYERS = ["0", "1", "2", "3"]
LOSSES = ["nn.L1Loss", "nn.MSELoss", "nn.CrossEntropyLoss"]
PARTS = ["Weight Decay", "Dropout", "Layer Norm", "Batch Norm", "SGD optimizer"]

# Written by us in the shape of seed 002's q8a(iii) answer: ticks lost to ☐, the choice only
# recoverable from the lead-ins.
Q8A_III = """you need the following components:

1. **Weight Decay:**

- The $\\ell_2$ regularization terms can be implemented using weight decay in the optimizer.

2. **SGD Optimizer:**

- The optimization process is carried out using SGD or one of its variants (e.g., SGD with momentum, Adam).

**Not Needed:**

- **Dropout:** This is a regularization technique. It is not required for the given objective function.
- **Layer Norm:** Layer normalization is not necessary for this linear autoencoder setup.
- **Batch Norm:** Batch normalization is used to normalize the activations.

**Conclusion:**

The components needed to optimize the objective function (7) are:

- ☐ Weight Decay
- ☐ SGD optimizer
"""

QUESTION_OPTIONS = "- ☐ 0\n- ☐ 1\n- ☐ 2\n- ☐ 3"


@pytest.mark.parametrize(
    "fragment,options,expected",
    [
        # --- case and module prefix
        ("MSELoss", LOSSES, "nn.MSELoss"),
        ("nn.mseloss", LOSSES, "nn.MSELoss"),
        ("torch.nn.L1Loss", LOSSES, "nn.L1Loss"),
        ("Weight decay", PARTS, "Weight Decay"),
        # --- whole-word prefix
        ("SGD", PARTS, "SGD optimizer"),
        ("LayerNorm", PARTS, "Layer Norm"),
        # --- no match
        ("Adam", PARTS, None),
        ("Weight decay in PyTorch adds an l2 penalty", PARTS, None),
        ("12", LAYERS, None),
        ("", LAYERS, None),
    ],
)
def test_match_option(fragment: str, options: list[str], expected: str | None) -> None:
    assert match_option(fragment, options) == expected


@pytest.mark.parametrize(
    "text,options,selected,rejected",
    [
        # --- explicit glyphs
        ("☑ Weight Decay ☒ Dropout", PARTS, {"Weight Decay"}, {"Dropout"}),
        ("[x] SGD", PARTS, {"SGD optimizer"}, set()),
        ("[x] Weight Decay\n[ ] Dropout", PARTS, {"Weight Decay"}, set()),
        ("✓ nn.MSELoss", LOSSES, {"nn.MSELoss"}, set()),
        # --- "Answer:" lead-in with a lost tick (seed 002 q8a_i, q8a_ii)
        ("Answer: ☐ 2", LAYERS, {"2"}, set()),
        ("Answer: ☐ nn.MSELoss", LOSSES, {"nn.MSELoss"}, set()),
        # --- negations
        ("not Dropout", PARTS, set(), {"Dropout"}),
        ("Dropout is not needed", PARTS, set(), {"Dropout"}),
        ("**Not Needed:** - Dropout - Layer Norm", PARTS, set(), {"Dropout", "Layer Norm"}),
        # --- lead-ins on one line (PDF flattening)
        (
            "The components needed to optimize (7) are: - ☐ Weight Decay - ☐ SGD optimizer",
            PARTS,
            {"Weight Decay", "SGD optimizer"},
            set(),
        ),
        # --- the full seed-002-shaped answer
        (Q8A_III, PARTS, {"Weight Decay", "SGD optimizer"}, {"Dropout", "Layer Norm", "Batch Norm"}),
        # --- the question's own option list selects nothing
        (QUESTION_OPTIONS, LAYERS, set(), set()),
        # --- bare answers
        ("Weight Decay, SGD optimizer", PARTS, {"Weight Decay", "SGD optimizer"}, set()),
        ("2", LAYERS, {"2"}, set()),
        ("MSELoss", LOSSES, {"nn.MSELoss"}, set()),
        ("The answer is 2 linear layers, not 1", LAYERS, {"2"}, {"1"}),
        # --- nothing to find
        ("", PARTS, set(), set()),
        ("I am not sure.", PARTS, set(), set()),
    ],
)
def test_parse_selection(text: str, options: list[str], selected: set[str], rejected: set[str]) -> None:
    assert parse_selection(text, options) == (selected, rejected)


def test_parse_selection_last_statement_wins() -> None:
    text = "Answer: Dropout\n**Not needed:**\n- Dropout"
    assert parse_selection(text, PARTS) == (set(), {"Dropout"})


@pytest.mark.parametrize(
    "claim,options,correct,multi,verdict",
    [
        # --- benchmark claims (shared/bench/claims.jsonl c068-c074)
        ("2", LAYERS, ["2"], False, "correct"),
        ("1", LAYERS, ["2"], False, "incorrect"),
        ("nn.MSELoss", LOSSES, ["nn.MSELoss"], False, "correct"),
        ("MSELoss", LOSSES, ["nn.MSELoss"], False, "correct"),
        ("nn.L1Loss", LOSSES, ["nn.MSELoss"], False, "incorrect"),
        ("Weight Decay, SGD optimizer", PARTS, ["Weight Decay", "SGD optimizer"], True, "correct"),
        ("Weight decay, Dropout, SGD optimizer", PARTS, ["Weight Decay", "SGD optimizer"], True, "incorrect"),
        # --- seed 002 shapes
        ("Answer: ☐ 2", LAYERS, ["2"], False, "correct"),
        (Q8A_III, PARTS, ["Weight Decay", "SGD optimizer"], True, "correct"),
        # --- multi: strict subset is partial
        ("Weight Decay", PARTS, ["Weight Decay", "SGD optimizer"], True, "partial"),
        # --- single: two selections are incorrect
        ("Answer: 1, 2", LAYERS, ["2"], False, "incorrect"),
        # --- rejecting the correct option is incorrect; nothing chosen is unparseable
        ("not Dropout", PARTS, ["Dropout"], False, "incorrect"),
        (QUESTION_OPTIONS, LAYERS, ["2"], False, "unparseable"),
        ("", LAYERS, ["2"], False, "unparseable"),
        # --- options unknown: the correct ones stand in
        ("nn.MSELoss", [], ["nn.MSELoss"], False, "correct"),
    ],
)
def test_check_choice(claim: str, options: list[str], correct: list[str], multi: bool, verdict: str) -> None:
    result = check_choice(claim, options, correct, multi=multi)
    assert result.verdict == verdict
    assert set(result.evidence["correct"]) == set(correct)


def test_check_choice_explanation_names_the_wrong_option() -> None:
    result = check_choice(
        "Weight decay, Dropout, SGD optimizer", PARTS, ["Weight Decay", "SGD optimizer"], multi=True
    )
    assert "Dropout" in result.explanation


def test_real_seed_002_q8a_answers(seed_002: str) -> None:
    q8a_i = seed_002[
        seed_002.index("#### (a)(i) Number of Linear Layers") : seed_002.index("What is the loss function")
    ]
    q8a_ii = seed_002[
        seed_002.index("#### Loss Function for the") : seed_002.index("It provided the right explanation")
    ]
    q8a_iii = seed_002[
        seed_002.index("To optimize the objective function (7) exactly") : seed_002.index("Do you think that")
    ]
    assert check_choice(q8a_i, LAYERS, ["2"], multi=False).verdict == "correct"
    assert check_choice(q8a_ii, LOSSES, ["nn.MSELoss"], multi=False).verdict == "correct"
    assert parse_selection(q8a_iii, PARTS) == (
        {"Weight Decay", "SGD optimizer"},
        {"Dropout", "Layer Norm", "Batch Norm"},
    )


SHAPES = ["[h, d, q]", "[d, h, q]", "[q, d]"]
COSTS = ["O(bd^2 + bnd/h)", "O(bnd)", "O(b d^2)"]
REGS = ["ridge λ", "lasso", "none"]


@pytest.mark.parametrize(
    "text,options,selected,rejected",
    [
        # --- options that hold commas and slashes stay whole
        ("Answer: [h, d, q]", SHAPES, {"[h, d, q]"}, set()),
        ("Answer: [h,d,q]", SHAPES, {"[h, d, q]"}, set()),
        ("Answer: O(bd² + bnd/h)", COSTS, {"O(bd^2 + bnd/h)"}, set()),
        ("O(bd^2+bnd/h)", COSTS, {"O(bd^2 + bnd/h)"}, set()),
        # --- letters of any script
        ("Answer: ridge λ", REGS, {"ridge λ"}, set()),
        # --- a leading article
        ("Answer: The MSELoss", ["nn.L1Loss", "nn.MSELoss"], {"nn.MSELoss"}, set()),
        ("The lasso", REGS, {"lasso"}, set()),
    ],
)
def test_parse_selection_whole_options(
    text: str, options: list[str], selected: set[str], rejected: set[str]
) -> None:
    assert parse_selection(text, options) == (selected, rejected)


@pytest.mark.parametrize(
    "claim,verdict",
    [
        ("Weight Decay", "partial"),  # a strict subset, nothing rejected
        ("Weight Decay; not SGD optimizer", "incorrect"),  # a right option explicitly rejected
        ("☑ Weight Decay ☒ SGD optimizer", "incorrect"),
    ],
)
def test_rejecting_a_right_option_is_incorrect(claim: str, verdict: str) -> None:
    assert check_choice(claim, PARTS, ["Weight Decay", "SGD optimizer"], multi=True).verdict == verdict
