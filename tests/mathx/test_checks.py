"""check_against (executable references), check_equation (is an equation true?), split_label."""

import numpy as np
import pytest

from grader.errors import ReferenceError_
from grader.mathx import check_against, check_equation, sample_env, split_label
from tests.mathx.tables import HW2_Q1, HW2_Q2, HW2_Q5, HW7_Q3


def _q1a(env):
    return -env["alpha"] / 2 * env["g"]


AGAINST = [
    # --- executable reference on random instances ---
    (r"u = -\frac{\alpha}{2} g", _q1a, None, "correct"),
    (r"-\alpha g", _q1a, None, "incorrect"),
    (r"-\frac{\alpha}{2}\operatorname{sign}(g)", _q1a, None, "incorrect"),
    # --- constant reference vectors ---
    ("[0.99, 0.099, 0.0099]", None, np.array([1, 0.1, 0.01]) / 1.0101, "correct"),
    (r"\theta^* \approx [0.9901, 0.09901, 0.009901]", None, np.array([1, 0.1, 0.01]) / 1.0101, "correct"),
    (r"\frac{\mathbf{a}}{\|\mathbf{a}\|^2}", None, np.array([1, 0.1, 0.01]) / 1.0101, "correct"),
    (r"\frac{a}{|a|^2}", None, np.array([1, 0.1, 0.01]) / 1.0101, "correct"),
    ("[1, 0, 0]", None, np.array([1, 0.1, 0.01]) / 1.0101, "incorrect"),
    ("0.99", None, np.array([1, 0.1, 0.01]) / 1.0101, "incorrect"),
]


@pytest.mark.parametrize("answer,ref,value,verdict", AGAINST)
def test_check_against(answer, ref, value, verdict) -> None:
    table = HW2_Q1 if ref is not None else HW2_Q2
    result = check_against(answer, ref, ref_value=value, ref_display="ref", symbols=table)
    assert result.verdict == verdict, result.explanation
    assert result.interpreted and result.reference == "ref"


def test_check_against_counts_with_integer_instances() -> None:
    seen = []

    def ring(env):
        seen.append(env["n"])
        return 2 * (env["n"] - 1)

    assert check_against("2(n-1)", ring, ref_display="2(n-1)", symbols=HW2_Q5).verdict == "correct"
    assert seen[:3] == [2.0, 3.0, 4.0]  # smallest exact values first


def test_check_against_shape_mismatch() -> None:
    result = check_against("alpha", _q1a, ref_display="ref", symbols=HW2_Q1)
    assert result.verdict == "incorrect" and "shape scalar vs" in result.explanation


def test_failing_reference_raises_reference_error() -> None:
    def broken(env):
        raise KeyError("nope")

    with pytest.raises(ReferenceError_):
        check_against("g", broken, ref_display="ref", symbols=HW2_Q1)


EQUATIONS = [
    # --- dimension errors come first ---
    (r"W_2 W_1 X X^\top = X X^\top W_1^\top", "incorrect", "dimension_error"),
    (r"W_1 X X^\top W_2^\top W_2 = 0", "incorrect", "dimension_error"),
    # --- true and false identities ---
    (r"\mathbf{U}_k^\top \mathbf{U}_k = I", "correct", None),
    (r"(W_1 X)^\top = X^\top W_1^\top", "correct", None),
    (r"(W_1 X)^\top = W_1^\top X^\top", "incorrect", "dimension_error"),
    (r"\operatorname{tr}(W_2 W_1) = \operatorname{tr}(W_1 W_2)", "correct", None),
    (r"W_2 W_1 = W_1^\top W_2^\top", "incorrect", "instance"),
    (r"X X^\top = X^\top X", "incorrect", "dimension_error"),
    (r"\|X\|_F^2 = \operatorname{tr}(X X^\top) = \operatorname{tr}(X^\top X)", "correct", None),
]


@pytest.mark.parametrize("text,verdict,evidence_key", EQUATIONS)
def test_check_equation(text: str, verdict: str, evidence_key) -> None:
    result = check_equation(text, HW7_Q3)
    assert result.verdict == verdict, result.explanation
    if evidence_key:
        assert evidence_key in result.evidence


def test_check_equation_at_a_given_instance() -> None:
    env = sample_env(HW7_Q3, np.random.default_rng(3))
    u, _, _ = np.linalg.svd(env["X"])
    k = env["W1"].shape[0]
    uk = u[:, :k]  # the PCA solution: top-k left singular vectors
    at = {"W1": uk.T, "W2": uk, "X": env["X"], "U_k": uk}
    condition = r"W_2^\top (X - W_2 W_1 X) X^\top = 0"
    assert check_equation(condition, HW7_Q3, env=at).verdict == "correct"
    other = {**at, "W1": np.roll(uk, 1, axis=1).T * 2}
    result = check_equation(condition, HW7_Q3, env=other)
    assert result.verdict == "incorrect" and "instance" in result.evidence


def test_check_equation_approx_link_uses_written_precision() -> None:
    assert check_equation(r"\frac{1}{3} \approx 0.333", HW2_Q1).verdict == "correct"
    assert check_equation(r"\frac{1}{3} \approx 0.31", HW2_Q1).verdict == "incorrect"


def test_check_equation_needs_an_equation() -> None:
    assert check_equation("g", HW2_Q1).verdict == "unparseable"


LABELS = [
    # --- labels, chains, implications ---
    (r"u = -\frac{\alpha}{2} g", ("u", r"-\frac{\alpha}{2} g")),
    (r"\theta = a/\|a\|^2 = [0.99, 0.099, 0.0099]", (r"\theta", "[0.99, 0.099, 0.0099]")),
    (r"\theta^* \approx [1, 2]", (r"\theta^*", "[1, 2]")),
    (r"\theta_{SGD} = 3", (r"\theta_{SGD}", "3")),
    (r"\Delta\theta = -\alpha g", (r"\Delta\theta", r"-\alpha g")),
    (r"x = 1 \implies y = 2", ("y", "2")),
    (r"-\frac{\alpha}{2} g", (None, r"-\frac{\alpha}{2} g")),
    ("x + 1 = 2", (None, "x + 1 = 2")),
    (r"f([a, b] = c)", (None, "f([a, b] = c)")),
]


@pytest.mark.parametrize("text,expected", LABELS)
def test_split_label(text: str, expected) -> None:
    assert split_label(text, HW2_Q1) == expected


def test_split_label_without_a_table_needs_a_plain_symbol() -> None:
    assert split_label(r"\beta\theta = -\alpha g") == (None, r"\beta\theta = -\alpha g")
    # an increment \Delta\theta is one name, so it labels the value even without a table
    assert split_label(r"\Delta\theta = -\alpha g") == (r"\Delta\theta", r"-\alpha g")
