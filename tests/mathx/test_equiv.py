"""Equivalence of claims with reference formulas: the project's benchmark cases, modes, reasons."""

import pytest

from grader.mathx import SymbolTable, equiv
from tests.mathx.tables import HW2_Q1, HW2_Q2, HW2_Q5

Q1A = r"-\frac{\alpha}{2} g"
Q1B = r"-\frac{\alpha}{2}\|g\|_1 \operatorname{sign}(g)"
Q2A = r"\frac{1}{1.0101}\begin{bmatrix}1\\0.1\\0.01\end{bmatrix}"
Q2B = r"\frac{100}{111}\begin{bmatrix}1\\1\\1\end{bmatrix}"
Q2C = r"\begin{bmatrix}1/3\\10/3\\100/3\end{bmatrix}"

BENCHMARK = [
    # --- HW2 Q1(a): u = -alpha/2 g ---
    (HW2_Q1, Q1A, r"u = -\frac{\alpha g}{2}", True),
    (HW2_Q1, Q1A, r"-\tfrac12 \alpha \nabla f(\theta)", True),
    (HW2_Q1, Q1A, r"\Delta\theta = -\frac{\alpha}{2} g", True),
    (HW2_Q1, Q1A, r"-\alpha g", False),
    (HW2_Q1, Q1A, r"-\frac{\alpha}{2}\operatorname{sign}(g)", False),
    (HW2_Q1, Q1A, r"\frac{\alpha}{2} g", False),
    (HW2_Q1, Q1A, r"-\frac{g}{2\alpha}", False),
    # --- HW2 Q1(b): u = -alpha/2 ||g||_1 sign(g) ---
    (HW2_Q1, Q1B, r"u = -\frac{\alpha \|g\|_1}{2} \cdot \text{sign}(g)", True),
    (HW2_Q1, Q1B, r"-\frac{\alpha}{2}\left(\sum_i |g_i|\right)\mathrm{sgn}(g)", True),
    (HW2_Q1, Q1B, r"-\frac{\alpha\|\nabla f(\theta)\|_1}{2}\operatorname{sign}(\nabla f(\theta))", True),
    (HW2_Q1, Q1B, r"-\frac{\alpha}{2}\operatorname{sign}(g)", False),
    (HW2_Q1, Q1B, r"-\alpha\|g\|_1\operatorname{sign}(g)", False),
    (HW2_Q1, Q1B, r"-\frac{\alpha}{2} g", False),
    # --- HW2 Q2(a): theta = a / ||a||^2 ---
    (HW2_Q2, Q2A, r"\left[\frac{10000}{10101}, \frac{1000}{10101}, \frac{100}{10101}\right]", True),
    (HW2_Q2, Q2A, r"\begin{bmatrix}0.9901\\0.09901\\0.009901\end{bmatrix}", True),
    (HW2_Q2, Q2A, r"[0.99, 0.099, 0.0099]", True),
    (HW2_Q2, Q2A, r"\frac{1}{1.0101}[1, 0.1, 0.01]^T", True),
    (HW2_Q2, Q2A, r"[1, 0, 0]", False),
    (HW2_Q2, Q2A, r"\frac{1}{1.11}[1,1,1]", False),
    (HW2_Q2, Q2A, r"[1, 0.1, 0.01]", False),
    # --- HW2 Q2(b) ---
    (HW2_Q2, Q2B, r"\frac{1}{1.11}\begin{bmatrix}1\\1\\1\end{bmatrix}", True),
    (HW2_Q2, Q2B, r"(0.9009, 0.9009, 0.9009)^T", True),
    (HW2_Q2, Q2B, r"[1/3, 1/3, 1/3]", False),
    (HW2_Q2, Q2B, r"\frac{1}{3}[1,10,100]", False),
    # --- HW2 Q2(c) ---
    (HW2_Q2, Q2C, r"\frac{1}{3}\begin{bmatrix}1\\10\\100\end{bmatrix}", True),
    (HW2_Q2, Q2C, r"[0.333, 3.333, 33.333]", True),
    (HW2_Q2, Q2C, r"[33.3, 3.33, 0.333]", False),
    # --- HW2 Q5: counts in n and p ---
    (HW2_Q5, "n(n-1)", "n^2-n", True),
    (HW2_Q5, "n(n-1)", "n^2", False),
    (HW2_Q5, "n(n-1)", "2n(n-1)", False),
    (HW2_Q5, "2n(n-1)", "n(2(n-1))", True),
    (HW2_Q5, "2n(n-1)", "2n^2-2n", True),
    (HW2_Q5, "2n(n-1)", "2(n-1)", False),
    (HW2_Q5, r"\frac{p}{n}", "p/n", True),
    (HW2_Q5, r"\frac{p}{n}", "p", False),
]


@pytest.mark.parametrize("table,reference,answer,expected", BENCHMARK)
def test_benchmark_cases(table: SymbolTable, reference: str, answer: str, expected: bool) -> None:
    result = equiv(reference, answer, table)
    assert result.verdict == ("correct" if expected else "incorrect"), result.explanation
    assert result.interpreted


REASONS = [
    # --- a constant ratio is named ---
    (HW2_Q1, Q1A, r"-\alpha g", "missing the factor 1/2"),
    (HW2_Q1, Q1A, r"\frac{\alpha}{2} g", "sign differs"),
    (HW2_Q1, Q1A, r"-\frac{\alpha}{4} g", "extra factor 1/2"),
    (HW2_Q5, "n(n-1)", "2n(n-1)", "missing the factor 1/2"),
    # --- norms and shapes ---
    (HW2_Q1, Q1B, r"-\frac{\alpha}{2}\|g\|_\infty \operatorname{sign}(g)", "norm is ℓ∞, expected ℓ1"),
    (HW2_Q1, Q1A, r"-\frac{\alpha}{2} \|g\|_1", "shape scalar vs (d,)"),
    (HW2_Q2, Q2A, "0.99", "shape scalar vs (3,)"),
]


@pytest.mark.parametrize("table,reference,answer,reason", REASONS)
def test_reasons(table: SymbolTable, reference: str, answer: str, reason: str) -> None:
    result = equiv(reference, answer, table)
    assert result.verdict == "incorrect"
    assert reason in result.explanation


@pytest.mark.parametrize("answer,name", [(r"-C g", "C"), (r"-\eta g", "eta")])
def test_undeclared_symbol_is_unparseable_not_incorrect(answer: str, name: str) -> None:
    # issue 11: no evidence against the answer, only a symbol nobody defined
    result = equiv(Q1A, answer, HW2_Q1)
    assert result.verdict == "unparseable"
    assert f"uses undeclared symbol {name}" in result.explanation


def test_separating_instance_is_reported() -> None:
    result = equiv(Q1A, r"-\frac{\alpha}{2}\operatorname{sign}(g)", HW2_Q1)
    assert result.verdict == "incorrect"
    assert set(result.evidence) >= {"instance", "answer_value", "reference_value"}
    assert "g" in result.evidence["instance"] and "alpha" in result.evidence["instance"]


MODES = [
    # --- positive_scale: direction only, free positive scalars allowed ---
    (Q1A, r"-C g", "positive_scale", "correct"),
    (Q1A, r"-c\,\nabla f(\theta)", "positive_scale", "correct"),
    (Q1A, r"C g", "positive_scale", "incorrect"),
    (Q1A, r"-\operatorname{sign}(g)", "positive_scale", "incorrect"),
    # --- definitions given alongside are substituted in value mode ---
    (Q1A, r"-\eta g \text{ where } \eta = \alpha/2", "value", "correct"),
    (Q1A, r"-\eta g, where \eta = \alpha", "value", "incorrect"),
    # --- nonzero_scale: equation conditions A = B equivalent to R = 0 ---
    (r"g + \frac{2}{\alpha} u", r"u = -\frac{\alpha}{2} g", "nonzero_scale", "correct"),
    (r"g + \frac{2}{\alpha} u", r"2u + \alpha g = 0", "nonzero_scale", "correct"),
    (r"g + \frac{2}{\alpha} u", r"u = -\alpha g", "nonzero_scale", "incorrect"),
]


@pytest.mark.parametrize("reference,answer,mode,verdict", MODES)
def test_modes(reference: str, answer: str, mode: str, verdict: str) -> None:
    assert equiv(reference, answer, HW2_Q1, mode=mode).verdict == verdict


GENERIC = [
    # --- school math without a symbol table ---
    ("x + 1", "1 + x", True),
    (r"\frac{x}{2}", "x/2", True),
    ("2x", "x + x", True),
    (r"\sin^2 x + \cos^2 x", "1", True),
    (r"\sqrt{8}", r"2\sqrt{2}", True),
    (r"\sqrt[3]{27}", "3", True),
    (r"\binom{5}{2}", "10", True),
    ("5!", "120", True),
    (r"\frac{\pi}{2}", r"\frac{1}{2}\pi", True),
    (r"e^{\ln 3}", "3", True),
    (r"94\%", "0.94", True),
    (r"2.8\times10^{9}", "2800000000", True),
    ("1e-3", "0.001", True),
    ("7,425,000", "7425000", True),
    (r"3.\overline{3}", r"\frac{10}{3}", True),
    ("3.33...", r"\frac{10}{3}", True),
    ("x^2", "x^3", False),
    (r"\frac{1}{3}", "0.333", True),
    (r"\frac{1}{3}", "0.33", True),
    (r"\frac{1}{3}", "0.3", True),
    (r"\frac{1}{3}", "0.32", False),
    (r"\frac{10}{3}", "3.333", True),
    (r"\frac{100}{111}", "0.9009", True),
    (r"\frac{10000}{10101}", "0.99", True),
    (r"0.009901", "0.0099", True),
]


@pytest.mark.parametrize("reference,answer,expected", GENERIC)
def test_generic(reference: str, answer: str, expected: bool) -> None:
    result = equiv(reference, answer)
    assert result.verdict == ("correct" if expected else "incorrect"), result.explanation


def test_high_precision_method_for_counts() -> None:
    result = equiv("n(n-1)", "n^2-n", HW2_Q5)
    assert result.evidence["method"] == "precise"


def test_unparseable_answer_keeps_reference() -> None:
    result = equiv(Q1A, r"-\frac{\alpha}{2", HW2_Q1)
    assert result.verdict == "unparseable"
    assert result.reference == Q1A
    assert "expected" in result.explanation or "unclosed" in result.explanation


def test_unknown_mode_is_an_error() -> None:
    with pytest.raises(ValueError):
        equiv("x", "x", mode="fuzzy")


@pytest.mark.parametrize(
    "answer",
    [
        "µ^2",  # MICRO SIGN, as PDFs of Greek text give mu
        "∥µ∥^2",  # PARALLEL TO as the norm bars
        "‖μ‖^2",
    ],
)
def test_unicode_spellings_of_mu_and_the_norm(answer: str) -> None:
    from grader.mathx import SymbolSpec

    table = SymbolTable(symbols={"mu": SymbolSpec("mu", aliases=(r"\mu", "μ"))})
    assert equiv(r"\mu^2", answer, table).verdict == "correct"
