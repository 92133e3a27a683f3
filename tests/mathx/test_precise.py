"""High-precision evaluation (mpmath): overflow, underflow, cancellation, complex numbers, calculus."""

from __future__ import annotations

import itertools

import pytest

from grader.mathx import parse
from grader.mathx.precise import Evaluator, TooLarge, Undefined, precise_equal, precise_ratio


def _envs(**ranges: list[float]) -> list[dict[str, float]]:
    names = sorted(ranges)
    return [
        dict(zip(names, values, strict=True)) for values in itertools.product(*(ranges[n] for n in names))
    ]


POINTS = _envs(x=[0.3, 1.7, 2.9, -1.4], a=[0.6, 2.2])

SAME = [
    # --- floats would saturate or cancel; high precision does not ---
    ("(x-a)^{6000}", "(a-x)^{6000}", True),
    ("(x-a)^{6000}", "(x-a)^{5999}", False),  # issue 11: both inf or both 0 in floats
    ("e^{800 x}", "e^{801 x}", False),
    ("10^{-300} x^{-5}", "10^{-300} x^{-6}", False),
    (r"(x + 10^{8})^2 - x^2 - 2 \cdot 10^{8} x", "10^{16}", True),
    (r"(x + 10^{8})^2 - x^2 - 2 \cdot 10^{8} x", "10^{16} + 1", False),
    ("(1+x^2)^{300}", "(1+x^2)^{300} (1 + 10^{-30})", False),  # a real difference, however small
    (r"\sin^2 x + \cos^2 x", "1", True),  # rounding noise that vanishes with precision
    # --- complex numbers (mode chosen from the imaginary unit) ---
    (r"e^{i \pi}", "-1", True),
    (r"\frac{1+i}{1-i}", "i", True),
    (r"\overline{1 + i x}", "1 - i x", True),
    (r"|3 + 4i|", "5", True),
    # --- calculus at the instance ---
    (r"\frac{d}{dx} x^3", "3x^2", True),
    (r"\frac{d^2}{dx^2} \sin x", r"-\sin x", True),
    (r"\int_0^{a} t^2 \, dt", r"\frac{a^3}{3}", True),
    (r"\int_0^{\infty} e^{-t} \, dt", "1", True),
    (r"\lim_{t \to 0} \frac{\sin (a t)}{t}", "a", True),
    (r"\sum_{k=1}^{5} k^2", "55", True),
    (r"\prod_{k=1}^{4} (1 + \frac{1}{k})", "5", True),
    ("(x+2)!", "(x+2)(x+1) x!", True),  # Γ-continued: true for real x too
]


@pytest.mark.parametrize("a,b,expected", SAME)
def test_precise_equal(a: str, b: str, expected: bool) -> None:
    out = precise_equal(parse(a), parse(b), POINTS)
    assert out.equal is expected, out
    if expected is False:
        assert "instance" in out.evidence


def test_real_mode_skips_points_outside_the_domain() -> None:
    ev = Evaluator(30)
    with pytest.raises(Undefined):
        ev.value(parse(r"\sqrt{x}"), {"x": -1.0})
    with pytest.raises(Undefined):
        ev.value(parse(r"\ln x"), {"x": -2.0})
    assert ev.value(parse(r"\sqrt[3]{x}"), {"x": -8.0}) == -2  # an odd root of a negative is real


def test_complex_mode_uses_principal_branches() -> None:
    assert Evaluator(30, complex_mode=True).value(parse(r"\sqrt{x}"), {"x": -4.0}) == 2j


def test_power_towers_are_refused_not_computed() -> None:
    with pytest.raises(TooLarge):
        Evaluator(30).value(parse(r"2^{2^{2^{2^{2^{10}}}}}"), {})


def test_ratio_is_constant_or_not() -> None:
    same, c = precise_ratio(parse("2x - 4a"), parse("x - 2a"), POINTS)
    assert same is True and c == 2
    assert precise_ratio(parse("x^2 - a^2"), parse("x - a"), POINTS)[0] is False


def test_undecided_when_nothing_is_defined() -> None:
    assert precise_equal(parse(r"\sqrt{-1 - x^2}"), parse(r"\ln(-1 - x^2)"), POINTS).equal is None
