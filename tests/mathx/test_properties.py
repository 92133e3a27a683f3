"""Property tests: random strings never crash nor overrun the budget; random well-formed
expressions equal themselves and simple rewrites."""

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.mathx import equiv

ALPHABET = list("xyn0123456789+-*/^_()[]{}|,.=<> ") + [
    r"\frac",
    r"\sqrt",
    r"\cdot",
    r"\|",
    r"\alpha",
    r"\left(",
    "!",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join))
def test_random_strings_never_crash(text: str) -> None:
    start = time.perf_counter()
    result = equiv("x + 1", text, budget_s=0.5)
    assert result.verdict in ("correct", "incorrect", "unparseable", "timeout")
    assert time.perf_counter() - start < 1.5


ATOMS = st.sampled_from(["x", "y", "2", "3", r"\frac{x}{2}", "(x+1)", "y^2", r"\sqrt{x^2+1}"])


@st.composite
def expressions(draw, depth: int = 2) -> str:
    if depth == 0:
        return draw(ATOMS)
    op = draw(st.sampled_from(["+", "-", r"\cdot", ""]))
    left, right = draw(expressions(depth - 1)), draw(expressions(depth - 1))
    return f"({left} {op} {right})" if op else f"{left}"


@settings(max_examples=60, deadline=None)
@given(expressions())
def test_self_equivalence(expr: str) -> None:
    assert equiv(expr, expr).verdict == "correct"


@settings(max_examples=60, deadline=None)
@given(expressions(), expressions())
def test_simple_rewrites(a: str, b: str) -> None:
    assert equiv(f"{a} + {b}", f"{b} + {a}").verdict == "correct"
    assert equiv(f"2({a})", f"{a} + {a}").verdict == "correct"
    assert equiv(f"({a})/2", rf"\frac{{{a}}}{{2}}").verdict == "correct"
