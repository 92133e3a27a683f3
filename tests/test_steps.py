"""Tests of the derivation-step checks (grader.steps): one table per rule, then the real seeds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from grader.align import Attempt, Section, align, detect_variant
from grader.models import Block
from grader.rubric import get_rubric
from grader.steps import StepFinding, check_steps
from grader.steps_numeric import close, gradient
from grader.steps_scan import name_key

HW2, HW7 = "cs182-fa25-hw2", "cs182-fa25-hw7"
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


def _attempt(part: str, texts: list[str]) -> Attempt:
    blocks = [(i, Block(kind="math" if t.startswith("$$") else "text", text=t)) for i, t in enumerate(texts)]
    return Attempt(part=part, turn=1, sections=[Section(part, 1, blocks)], prompt_turns=[0])


def _rules(homework: str, part: str, texts: list[str], variant: str | None = None) -> list[str]:
    rubric = get_rubric(homework)
    findings = check_steps(_attempt(part, texts), rubric.part(part), rubric, variant)
    assert all(isinstance(f, StepFinding) and f.flag == "derivation_error" for f in findings)
    return sorted(f.evidence["rule"] for f in findings)


CASES = [
    # --- R1: restated objective (q1a: g^T u + (1/alpha)||u||^2; q2a: (1 - a^T theta)^2)
    (
        HW2,
        "q1a",
        [r"Minimise $J(\Delta\theta) = g^T \Delta\theta + \frac{1}{2\alpha} \|\Delta\theta\|_2^2$"],
        ["R1"],
    ),
    (
        HW2,
        "q1a",
        [r"Minimise $J(\Delta\theta) = g^T \Delta\theta + \frac{1}{\alpha} \Delta\theta^T \Delta\theta$"],
        [],
    ),
    (HW2, "q2a", [r"$f(\boldsymbol{\theta}) = 1 - 2\mathbf{a}^T\theta + (\mathbf{a}^T\theta)^2$"], []),
    (HW2, "q2a", [r"Up to a constant, $f(\theta) = (\mathbf{a}^T\theta)^2 - 2\mathbf{a}^T\theta$"], []),
    (HW2, "q2a", [r"$f(\theta) = 1 - \mathbf{a}^T\theta$"], ["R1"]),
    (HW7, "q3b_i", [r"$$\mathcal{L} = \text{tr}((X - W_2 W_1 X)^\top (X - W_2 W_1 X))$$"], []),
    (
        HW7,
        "q3b_i",
        [r"$$\mathcal{L} = \text{tr}((X - W_1 W_2 X)^\top (X - W_2 W_1 X))$$"],
        [],
    ),  # ill-shaped: skipped
    # --- R2: x = expr must solve the previous equation
    (
        HW2,
        "q1a",
        [
            r"$$g + \frac{2}{\alpha}\Delta\theta = 0$$",
            r"Solving for $\Delta\theta$: $\Delta\theta = -\frac{\alpha}{2} g$",
        ],
        [],
    ),
    (
        HW2,
        "q1a",
        [
            r"$$g + \frac{2}{\alpha}\Delta\theta = 0$$",
            r"Solving for $\Delta\theta$: $\Delta\theta = -\alpha g$",
        ],
        ["R2"],
    ),
    (HW2, "q1a", [r"$$g + \frac{2}{\alpha} u = 0 \implies u = -\alpha g$$"], ["R2"]),
    (HW2, "q1a", [r"$$2u = -\alpha g \implies u^* = -\frac{\alpha}{2} g$$"], []),
    (
        HW2,
        "q1a",
        [r"$$g + \frac{2}{\alpha} u = 0$$", r"Suppose $u = -\alpha g$; then the objective is larger."],
        [],
    ),
    (HW2, "q1b", [r"$$-\|g\|_1 + \frac{2m}{\alpha} = 0$$", r"so $m = \frac{\alpha \|g\|_1}{2}$"], []),
    (HW2, "q1b", [r"$$-\|g\|_1 + \frac{2m}{\alpha} = 0$$", r"so $m = \alpha \|g\|_1$"], ["R2"]),
    (HW2, "q2a", [r"$\mathbf{a}^T \theta_\infty = 1$", r"Substituting $\theta_\infty = c\,\mathbf{a}$"], []),
    # --- R3: stated gradient vs finite differences of the objective
    (HW2, "q1a", [r"$$\nabla_{\Delta\theta} J = g + \frac{2}{\alpha}\Delta\theta = 0$$"], []),
    (HW2, "q1a", [r"$$\nabla_{\Delta\theta} J = g + \frac{1}{\alpha}\Delta\theta$$"], ["R3"]),
    (
        HW2,
        "q1a",
        [r"$$\frac{\partial J}{\partial \Delta\theta} = g^T + \frac{2}{\alpha}\Delta\theta^T$$"],
        [],
    ),
    (
        HW2,
        "q2a",
        [r"$$\nabla f(\boldsymbol{\theta}) = -2(1 - \mathbf{a}^T \boldsymbol{\theta})\mathbf{a}$$"],
        [],
    ),
    (
        HW2,
        "q2a",
        [r"$$\nabla f(\boldsymbol{\theta}) = -(1 - \mathbf{a}^T \boldsymbol{\theta})\mathbf{a}$$"],
        ["R3"],
    ),
    (
        HW7,
        "q3b_i",
        [r"$$\frac{\partial \mathcal{L}}{\partial W_2} = -2(X - W_2 W_1 X) X^\top W_1^\top = 0$$"],
        [],
    ),
    (HW7, "q3b_i", [r"$$\nabla_{W_1}\mathcal{L} = -2 W_2^\top (X - W_2 W_1 X) X^\top$$"], []),
    (HW7, "q3b_i", [r"$$\nabla_{W_1}\mathcal{L} = -2 X (X - W_2 W_1 X)^\top W_2$$"], []),  # other layout
    (
        HW7,
        "q3b_i",
        [r"$$\nabla_{W_1}\mathcal{L} = -2 W_2^\top (X - W_2 W_1 X)$$"],
        ["R3"],
    ),  # m x N: wrong shape
    (
        HW7,
        "q3b_i",
        [r"$$\frac{\partial \mathcal{L}}{\partial W_2} = -2(X - W_2 W_1 X) X^\top W_1$$"],
        ["R3"],
    ),  # undefined
    (
        HW7,
        "q3b_i",
        [r"$$\frac{\partial}{\partial W_2} \text{tr}(X^\top W_2 W_1 X) = X X^\top W_1^\top$$"],
        [],
    ),
    (
        HW7,
        "q3b_i",
        [r"$$\frac{\partial}{\partial W_2} \text{tr}(X^\top W_2 W_1 X) = 2 X X^\top W_1^\top$$"],
        ["R3"],
    ),
    # R3 after a restatement: the gradient follows the objective as the attempt wrote it (R1 only).
    (
        HW2,
        "q1a",
        [r"$J(u) = g^T u + \frac{1}{2\alpha}\|u\|_2^2$", r"$$\nabla_u J = g + \frac{1}{\alpha} u$$"],
        ["R1"],
    ),
    # A definition (Let E = ...) is substituted before differentiating.
    (
        HW7,
        "q3b_i",
        [
            r"Let $E = X - W_2 W_1 X$, so $\mathcal{L} = \text{tr}(E^\top E)$.",
            r"$$\nabla_{W_2}\mathcal{L} = -2 E X^\top W_1^\top$$",
        ],
        [],
    ),  # fmt: skip
    # --- R4: prose derivative statements
    (
        HW7,
        "q3b_i",
        [
            r"The derivative of $\text{tr}(X^\top W_1^\top W_2^\top W_2 W_1 X)$ with respect to $W_1$ is $2W_2^\top W_2 W_1 X X^\top$."
        ],
        [],
    ),
    (
        HW7,
        "q3b_i",
        [
            r"The derivative of $\text{tr}(X^\top W_1^\top W_2^\top W_2 W_1 X)$ with respect to $W_1$ is $2W_1 X X^\top W_2^\top W_2$."
        ],
        ["R4"],
    ),
    (
        HW7,
        "q3b_i",
        [r"the gradient of $-2\text{tr}(X^\top W_2 W_1 X)$ w.r.t. $W_2$ is $-2 X X^\top W_1^\top$"],
        [],
    ),
    (
        HW7,
        "q3b_i",
        [r"the gradient of $-2\text{tr}(X^\top W_2 W_1 X)$ w.r.t. $W_2$ is $2 X X^\top W_1^\top$"],
        ["R4"],
    ),
    (HW7, "q3b_ii", [r"d/dW_1 of $\text{tr}(W_2 W_1 X X^\top)$ is $W_2^\top X X^\top$"], []),
    (
        HW7,
        "q3b_i",
        [r"The derivative of $\text{tr}(AWB)$ with respect to $W$ is $A^\top B^\top$."],
        [],
    ),  # undeclared
    # --- R5: geometric series from a recurrence
    (
        HW2,
        "q2a",
        [
            r"$r_{t+1} = r_t - 2\alpha r_t \|\mathbf{a}\|^2 = r_t(1 - 2\alpha \|\mathbf{a}\|^2)$",
            r"the series sums to $\sum_{i=0}^{\infty} r_i = \frac{r_0}{2\alpha \|\mathbf{a}\|^2}$",
        ],
        [],
    ),  # fmt: skip
    (
        HW2,
        "q2a",
        [
            r"$r_{t+1} = r_t(1 - 2\alpha \|\mathbf{a}\|^2)$",
            r"the series sums to $\sum_{i=0}^{\infty} r_i = \frac{r_0}{1 - 2\alpha \|\mathbf{a}\|^2}$",
        ],
        ["R5"],
    ),  # fmt: skip
    (HW2, "q2a", [r"$r_{k+1} = (1 - \alpha) r_k$", r"$\sum_{j=0}^{\infty} r_j = \frac{r_0}{\alpha}$"], []),
    (
        HW2,
        "q2a",
        [r"$r_{k+1} = (1 - \alpha) r_k$", r"$\sum_{j=0}^{\infty} r_j = \frac{r_0}{1 + \alpha}$"],
        ["R5"],
    ),
    (
        HW2,
        "q2a",
        [r"$\sum_{i=0}^{\infty} r_i = \frac{r_0}{1 - 2\alpha}$"],
        [],
    ),  # no recurrence stated: nothing to check
    # --- unreadable steps are skipped, never flagged
    (HW2, "q1a", [r"$$\frac{\partial J}{\partial \Delta\theta = g +$$", r"$J(\Delta\theta) = {{{$"], []),
    (
        HW2,
        "q1a",
        [r"$$\nabla_{\Delta\theta} J = g + \frac{2}{\alpha}\Delta\theta_t$$"],
        [],
    ),  # indexed: skipped
    (HW2, "q2b", [r"$J = 5$", r"$$\nabla_u J = 0$$"], []),  # part without a declared objective
]


@pytest.mark.parametrize("homework,part,texts,expected", CASES)
def test_rules(homework: str, part: str, texts: list[str], expected: list[str]) -> None:
    assert _rules(homework, part, texts) == expected


def test_finding_quotes_the_step_and_explains() -> None:
    rubric = get_rubric(HW2)
    texts = [
        r"$$g + \frac{1}{\alpha}\Delta\theta = 0$$",
        r"Solving for $\Delta\theta$: $\Delta\theta = -\frac{\alpha}{2} g$",
    ]
    (finding,) = check_steps(_attempt("q1a", texts), rubric.part("q1a"), rubric)
    assert finding.block == 1
    assert finding.text == r"\Delta\theta = -\frac{\alpha}{2} g"
    assert "does not solve" in finding.explanation
    # u = -alpha g / 2 leaves g/2 on the left of g + u/alpha = 0.
    lhs = np.asarray(finding.evidence["lhs"])
    g = np.asarray(finding.evidence["instance"]["g"])
    assert np.allclose(lhs, g / 2, atol=1e-3)


def test_variant_selects_the_objective() -> None:
    # q1b: squared is g^T u + (1/alpha)||u||_inf^2, unsquared g^T u + (1/alpha)||u||_inf.
    text = [r"$J(u) = g^T u + \frac{1}{\alpha}\|u\|_\infty$"]
    assert _rules(HW2, "q1b", text, "unsquared") == []
    assert _rules(HW2, "q1b", text, "squared") == ["R1"]
    assert _rules(HW2, "q1b", text) == ["R1"]  # default variant: squared


@pytest.mark.parametrize("budget_s", [1e-6, 0.001, 0.05])
def test_budget_never_escapes(budget_s: float) -> None:
    rubric = get_rubric(HW7)
    texts = [r"$$\nabla_{W_1}\mathcal{L} = -2 W_2^\top (X - W_2 W_1 X)$$"] * 30
    findings = check_steps(_attempt("q3b_i", texts), rubric.part("q3b_i"), rubric, budget_s=budget_s)
    assert isinstance(findings, list)


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    "latex,key",
    [
        (r"\mathcal{L}(W_1, W_2; \mathbf{X})", "L(W_1,W_2;X)"),
        (r"J( \Delta\theta )", r"J(\Delta\theta)"),
        (r"f(\boldsymbol{\theta})", r"f(\theta)"),
        (r"\left( x \right)", "(x)"),
    ],
)
def test_name_key(latex: str, key: str) -> None:
    assert name_key(latex) == key


@pytest.mark.parametrize(
    "fn,env,var,expected",
    [
        # d/du u^T u = 2u
        (lambda e: float(e["u"] @ e["u"]), {"u": np.array([1.0, -2.0])}, "u", np.array([2.0, -4.0])),
        # d/dW tr(A W) = A^T
        (
            lambda e: float(np.trace(e["A"] @ e["W"])),
            {"A": np.array([[1.0, 2.0], [3.0, 4.0]]), "W": np.zeros((2, 2))},
            "W",
            np.array([[1.0, 3.0], [2.0, 4.0]]),
        ),  # fmt: skip
        # d/dx x^3 at 2 = 12
        (lambda e: e["x"] ** 3, {"x": 2.0}, "x", 12.0),
    ],
)
def test_gradient(fn: object, env: dict, var: str, expected: object) -> None:
    assert np.allclose(gradient(fn, env, var), expected, atol=1e-6)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "a,b,expected",
    [
        (1.0, 1.0 + 1e-9, True),
        (1.0, 1.01, False),
        (np.zeros(3), 0.0, True),  # "= 0" of a vector equation
        (np.ones(3), 0.0, False),
        (np.ones((2, 3)), np.ones((3, 2)), False),
        (np.ones((1, 3)), np.ones(3), True),  # a row written for a column vector
    ],
)
def test_close(a: object, b: object, expected: bool) -> None:
    assert close(a, b) is expected


# --------------------------------------------------------------------------- seeds

SEED_EXPECTED = [
    ("000_", set()),
    ("001_", {"q1a", "q2a"}),
    ("002_", {"q3b_i"}),
]


@pytest.mark.parametrize("prefix,expected", SEED_EXPECTED)
def test_seeds_flag_exactly_the_gold_parts(prefix: str, expected: set[str]) -> None:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared is absent")
    from grader.pipeline import choose_rubric
    from grader.transcripts import read_path

    path = next(seeds.glob(f"{prefix}*.txt"))
    transcript = read_path(path)
    rubric = choose_rubric(transcript)
    alignment = align(transcript, rubric)
    flagged = set()
    for pid, attempts in alignment.attempts.items():
        part = rubric.part(pid)
        variant = detect_variant(part, alignment.question_text.get(pid, ""))
        for attempt in attempts:
            if check_steps(attempt, part, rubric, variant):
                flagged.add(pid)
    assert flagged == expected


@pytest.mark.parametrize("name", ["chatgpt_hw2_writeup.txt", "claude_hw7_roles.md", "deepseek_hw2_plain.txt"])
def test_project_samples_have_no_derivation_error(name: str) -> None:
    from grader.pipeline import choose_rubric
    from grader.transcripts import read_path

    transcript = read_path(Path(__file__).resolve().parents[1] / "transcripts" / name)
    rubric = choose_rubric(transcript)
    alignment = align(transcript, rubric)
    for pid, attempts in alignment.attempts.items():
        part = rubric.part(pid)
        for attempt in attempts:
            assert check_steps(attempt, part, rubric) == [], pid


# --- not steps: index and loop statements, and math read lossily


@pytest.mark.parametrize(
    "texts",
    [
        [r"The middle worker satisfies $$2 k = n + 1$$", r"and for the last one $$k = n$$"],
        [r"$$2 k = n + 1$$", r"for $k = 1, \dots, n$ we add the messages"],
    ],
)
def test_index_statements_are_not_steps(texts: list[str]) -> None:
    assert _rules(HW2, "q5", texts) == []


def test_a_wrong_solve_is_still_a_finding() -> None:
    # the same shape with the unknown the part solves for is a step (R2), not an index
    texts = [r"$$g + \frac{2}{\alpha} u = 0$$", r"Solving for $u$: $u = -\alpha g$"]
    assert _rules(HW2, "q1a", texts) == ["R2"]


def test_lossy_math_is_not_a_step() -> None:
    texts = [r"$$g + \frac{2}{\alpha} u = 0$$", r"Solving for $u$: $u = -\alpha g$"]
    rubric = get_rubric(HW2)
    attempt = _attempt("q1a", texts)
    for _, block in attempt.blocks:
        block.fidelity = "lossy"
    assert check_steps(attempt, rubric.part("q1a"), rubric) == []
    attempt.blocks[1][1].fidelity = "exact"  # the solve is exact, the equation it solves is not read
    assert check_steps(attempt, rubric.part("q1a"), rubric) == []


@pytest.mark.parametrize(
    "pieces,expected",
    [
        (["i", "n"], True),
        (["k", "0"], True),
        (["t", "T - 1"], True),
        (["j", "1, \\dots, n"], True),
        (["x", "n"], False),  # not an index name
        (["k", "\\frac{n}{2}"], False),  # a value, not an index
        (["n", "4"], True),
    ],
)
def test_index_statement(pieces: list[str], expected: bool) -> None:
    from grader.mathx.symbols import SymbolTable
    from grader.steps_scan import index_statement

    assert index_statement(pieces, SymbolTable()) is expected
