"""What the parser reads, per construct group: each text is evaluated on a fixed instance and
compared with a value computed independently with numpy (or its AST shape is checked)."""

import math

import numpy as np
import pytest

from grader.mathx import (
    Abs,
    Equation,
    Implies,
    Inequality,
    Interval,
    MathParseError,
    Matrix,
    Norm,
    Quantity,
    Set,
    Sym,
    SymbolSpec,
    SymbolTable,
    Tuple,
    Union,
    evaluate,
    interpret,
    parse,
)
from tests.mathx.tables import HW2_Q1

G = np.array([3.0, -4.0, 1.0])
U = np.array([0.5, 2.0, -1.0])
A = np.array([1.0, 0.1, 0.01])
M = np.array([[2.0, 1.0], [0.0, 3.0]])
ENV = {"alpha": 0.5, "g": G, "u": U, "a": A, "M": M, "x": 2.0, "y": 3.0, "n": 5.0, "theta": 0.7}
TABLE = HW2_Q1.merged(
    SymbolTable(
        symbols={
            "a": SymbolSpec("a", "vector", (3,), aliases=(r"\mathbf{a}",)),
            "M": SymbolSpec("M", "matrix", (2, 2)),
        }
    )
)

CASES = [
    # --- fractions and products ---
    (r"\frac{x}{y}", 2 / 3),
    (r"\tfrac{x}{y}", 2 / 3),
    (r"\dfrac{x}{y}", 2 / 3),
    (r"\frac12 x", 1.0),
    (r"\frac{10}{4}", 2.5),
    (r"x \cdot y", 6.0),
    (r"x \times y", 6.0),
    (r"2\alpha g", 2 * 0.5 * G),
    ("n(n-1)", 20.0),
    ("2n^2", 50.0),
    ("x/2y", 3.0),
    ("2^3^2", 2.0**9),
    # --- transposes and inner products ---
    ("g^T u", float(G @ U)),
    (r"g^\top u", float(G @ U)),
    (r"g^{\top} u", float(G @ U)),
    ("g^{T} u", float(G @ U)),
    ("g' u", float(G @ U)),
    ("g⊤ u", None),
    (r"\langle g, u \rangle", float(G @ U)),
    (r"g \cdot u", float(G @ U)),
    # --- norms and absolute values ---
    (r"\|g\|_1", 8.0),
    (r"\|g\|_2", math.sqrt(26)),
    (r"\|g\|", math.sqrt(26)),
    (r"\|g\|_\infty", 4.0),
    (r"\|M\|_F", math.sqrt(14)),
    (r"\lVert g \rVert_1", 8.0),
    ("‖g‖", math.sqrt(26)),
    ("||g||_1", 8.0),
    ("|x - y|", 1.0),
    ("|g|", np.abs(G)),
    (r"|\mathbf{a}|^2", float(A @ A)),
    (r"\frac{a}{|a|}", A / np.linalg.norm(A)),
    # --- sign, sums, max, trace, diag ---
    (r"\operatorname{sign}(g)", np.sign(G)),
    (r"\text{sign}(g)", np.sign(G)),
    (r"\mathrm{sgn}(g)", np.sign(G)),
    (r"\operatorname{sgn}(g)", np.sign(G)),
    (r"\sum_i |g_i|", 8.0),
    (r"\sum_{i=1}^{d} g_i", 0.0),
    (r"\max_i |g_i|", 4.0),
    (r"\operatorname{tr}(M)", 5.0),
    (r"\text{tr}(M)", 5.0),
    (r"\operatorname{diag}(u)", np.diag(U)),
    # --- aliases, gradients, fonts, wrappers ---
    (r"\nabla f(\theta)", G),
    (r"\nabla_\theta f", G),
    (r"\nabla_{\theta} f", G),
    (r"\Delta\theta", U),
    ("Δθ", U),
    (r"\mathbf{a}", A),
    (r"\boldsymbol{g}", G),
    (r"\bm{u}", U),
    (r"\boxed{x + 1}", 3.0),
    (r"\left( x \right)", 2.0),
    (r"x\,\cdot\;y\!\quad", 6.0),
    (r"\mathbf{1}^T g", 0.0),
    (r"g + \mathbf{1}", G + 1),
    # --- matrices and vector literals ---
    (r"\begin{bmatrix}1\\2\\3\end{bmatrix}", np.array([1.0, 2, 3])),
    (r"\begin{pmatrix}1 & 2\\3 & 4\end{pmatrix}", np.array([[1.0, 2], [3, 4]])),
    ("[1, 2, 3]", np.array([1.0, 2, 3])),
    ("[1; 2; 3]", np.array([1.0, 2, 3])),
    ("(1, 2, 3)^T", np.array([1.0, 2, 3])),
    ("[[1, 2], [3, 4]]", np.array([[1.0, 2], [3, 4]])),
    # --- Greek, Unicode, roots, constants ---
    ("α·x", 1.0),
    ("x − y", -1.0),
    ("x × y", 6.0),
    ("√4", 2.0),
    (r"\sqrt{x + 2}", 2.0),
    (r"\sqrt[3]{27}", 3.0),
    (r"\pi", math.pi),
    ("e^{x}", math.e**2),
    (r"\sin x + \cos(0)", math.sin(2) + 1),
    (r"\log(x)", math.log(2)),
    (r"\ln x", math.log(2)),
    (r"\exp(x)", math.exp(2)),
    ("3!", 6.0),
    (r"\binom{5}{2}", 10.0),
    ("x²", 4.0),
    # --- numbers ---
    (r"94\%", 0.94),
    (r"2.8\times10^{9}", 2.8e9),
    ("1e-3", 1e-3),
    ("7,425,000", 7425000.0),
    ("3.33...", 10 / 3),
    (r"3.\overline{3}", 10 / 3),
    (".5", 0.5),
    # --- labels and chains evaluate to the last side ---
    (r"u = -\frac{\alpha}{2} g = -\frac{\alpha g}{2}", -0.25 * G),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_reads(text: str, expected: object) -> None:
    node = parse(text, TABLE)
    assert interpret(node)
    if expected is None:
        return
    value = evaluate(node, ENV)
    assert np.allclose(value, expected, rtol=1e-12, atol=1e-12), (text, value)


STRUCTURE = [
    # --- relations, sets, intervals, units ---
    ("x = 1", Equation),
    (r"x \le 2", Inequality),
    ("x <= 2", Inequality),
    ("0 < x ≤ 2", Inequality),
    (r"(2, 12) \cup (12, 102)", Union),
    ("[0, 1)", Interval),
    ("(0, 1]", Interval),
    (r"\{1, 2\}", Set),
    (r"(3, \frac{\pi}{2})", Tuple),
    (r"30^\circ", Quantity),
    (r"5\text{ cm}", Quantity),
    (r"12 \text{meters}", Quantity),
    (r"x = 1 \implies y = 2", Implies),
    (r"x = 1 \Rightarrow y = 2", Implies),
    (r"\theta^* \approx [0.99, 0.099, 0.0099]", Equation),
    ("[1, 2, 3]", Matrix),
    (r"\|g\|_1", Norm),
    ("|x|", Abs),
    (r"\theta_{SGD}", Sym),
]


@pytest.mark.parametrize("text,node_type", STRUCTURE)
def test_structure(text: str, node_type: type) -> None:
    assert isinstance(parse(text, TABLE), node_type)


SYMBOL_NAMES = [
    # --- subscripts and decorated names ---
    ("W_1", "W1"),
    (r"\mathbf{U}_k", "U_k"),
    (r"\theta_{SGD}", "theta_SGD"),
    (r"\theta^*", "theta_star"),
    ("x_1", "x1"),
    (r"\alpha", "alpha"),
    ("α", "alpha"),
    ("alpha", "alpha"),
]


@pytest.mark.parametrize("text,name", SYMBOL_NAMES)
def test_symbol_names(text: str, name: str) -> None:
    node = parse(text, TABLE)
    assert node == Sym(name)


def test_units_and_degrees() -> None:
    node = parse(r"5\text{ cm}")
    assert isinstance(node, Quantity) and node.unit == "cm"
    assert parse(r"30^\circ") == Quantity(parse("30"), "deg")


def test_interval_ends() -> None:
    node = parse("[0, 1)")
    assert isinstance(node, Interval) and node.left_closed and not node.right_closed


ERRORS = [
    # --- bad input gives a clear error with a position ---
    (r"\frac{1}{2", "expected"),
    ("x + }", "at 4"),
    ("(x + 1", "expected ')'"),
    (r"\pmod{3}", "unsupported command"),
    ("", "empty"),
    ("x @ y", "unexpected character"),
    (r"\begin{align} x \end{align}", "unsupported environment"),
    (r"\begin{cases} x \end{cases}", "expected"),  # a row without its condition
]


@pytest.mark.parametrize("text,fragment", ERRORS)
def test_errors(text: str, fragment: str) -> None:
    with pytest.raises(MathParseError) as info:
        parse(text)
    assert fragment in str(info.value)


def test_transpose_is_not_a_symbol_when_declared() -> None:
    table = SymbolTable(symbols={"T": SymbolSpec("T"), "x": SymbolSpec("x")})
    assert evaluate(parse("x^T", table), {"x": 2.0, "T": 3.0}) == 8.0
