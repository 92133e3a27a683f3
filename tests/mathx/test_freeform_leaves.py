"""Leaves of a free-form comparison on the engine (grader.mathx.freeform_leaves) and the split of
grader.mathx.freeform into items / leaves / comparison."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import pytest

from grader.mathx import ast as A
from grader.mathx import freeform, freeform_items, freeform_leaves
from grader.mathx.freeform_leaves import close_enough, instances, leaf_equal, proportional, rounds_to_written
from grader.mathx.parser import parse


@pytest.mark.parametrize(
    "gold,pred,expected",
    [
        # functions the engine's table lacks, passed in the instance: sec² = tan² + 1, cot = 1/tan
        (r"\sec^2(y)", r"\tan^2(y)+1", True),
        (r"\cot x", r"\frac{1}{\tan x}", True),
        (r"\csc x", r"\frac{1}{\sin x}", True),
        (r"\csc x", r"\frac{1}{\cos x}", False),
        # constants: \mathrm{e} is Euler's number, \pi a constant; 3.14159 rounds to pi, 3.1416 too
        (r"\mathrm{e}^{2}", "e^2", True),
        (r"\pi", "3.14159", True),
        (r"\pi", "3.1416", True),
        (r"\pi", "3.1415", False),
        # functions the replaced evaluator did not know, now evaluated by the engine
        (r"\binom{5}{2}", "10", True),
        (r"\max(1, 7)", "7", True),
        # domains: instances real on neither side are redrawn; real on one side only means unequal
        (r"\sqrt{4-x^2}", r"\sqrt{(2-x)(2+x)}", True),
        (r"\sqrt{4-x^2}", r"\sqrt{4+x^2}", False),
        (r"\sqrt{x-1}", r"\sqrt{1-x}", False),
        # overflowing powers are not numbers to compare (never "inf equals inf")
        ("2^{10000}", "3^{7000}", False),
        ("9^{9^{9^{9}}}", "9^{9^{9^{9}}} + 1", False),
        # structure inside a leaf is not evaluated: only identical trees match
        ("(1, 2)", r"\begin{pmatrix}1 \\ 2\end{pmatrix}", False),
        (
            "1",
            r"\begin{pmatrix}1 & 0 \\ 0 & 1\end{pmatrix} \begin{pmatrix}1 & 0 \\ 0 & 1\end{pmatrix}",
            False,
        ),
    ],
)
def test_leaf_equal_on_the_engine(gold: str, pred: str, expected: bool) -> None:
    assert leaf_equal(gold, pred) is expected


@pytest.mark.parametrize(
    "exact,written,precision,expected",
    [
        # half a unit in the last written place (Math-Verify rounds; the engine accepts a whole unit)
        (1 / 3, "0.3333", None, True),
        (1 / 3, "0.3334", None, False),
        (0.990099, "0.99", None, True),
        (0.9009, "0.91", None, False),
        # precision: rounding to that many places also counts
        (8 / 3, "2.6667", 2, True),
        (2.5, "2.6", 2, False),
        # values that are not finite reals never match a written decimal
        (math.nan, "0.5", None, False),
        (math.inf, "0.5", 2, False),
    ],
)
def test_rounds_to_written(exact: float, written: str, precision: int | None, expected: bool) -> None:
    num = parse(written)
    assert isinstance(num, A.Num)
    assert rounds_to_written(exact, num, precision) is expected


@pytest.mark.parametrize(
    "a,b,tol,infinite_ok,expected",
    [
        # relative to max(1, |a|, |b|)
        (1.0, 1.0 + 1e-9, 1e-8, False, True),
        (1.0, 1.001, 1e-8, False, False),
        (1e12, 1e12 + 1e3, 1e-8, False, True),
        (1e-3, 2e-3, 1e-2, False, True),
        # NaN never; infinities only when both sides write \infty
        (math.nan, math.nan, 1e-8, True, False),
        (math.inf, math.inf, 1e-8, False, False),
        (math.inf, math.inf, 1e-8, True, True),
        (math.inf, -math.inf, 1e-8, True, False),
    ],
)
def test_close_enough(a: float, b: float, tol: float, infinite_ok: bool, expected: bool) -> None:
    assert close_enough(a, b, tol, infinite_ok=infinite_ok) is expected


@pytest.mark.parametrize(
    "a,b,sign,expected",
    [
        # one constant ratio across instances, not a ratio per instance
        ("x + y", "2x + 2y", 1, True),
        ("x + y", "x + 2y", 0, False),
        ("x - y", "y - x", -1, True),
        # relations inside are not values
        ("(x = 1)", "1", 0, False),
        # real on one side only
        (r"\sqrt{x - 1}", "x", 0, False),
    ],
)
def test_proportional_on_the_engine(a: str, b: str, sign: int, expected: bool) -> None:
    assert proportional(a, b, sign) is expected


def test_instances_are_reproducible_and_in_range() -> None:
    node = parse("x + y z")
    first = [(e["x"], e["y"], e["z"]) for e in instances(node)]
    again = [(e["x"], e["y"], e["z"]) for e in instances(node)]
    assert first == again
    values = [v for triple in first for v in triple]
    assert all(freeform_leaves.LOW <= v <= freeform_leaves.HIGH for v in values)
    assert len(set(values)) == len(values)  # independent draws


def test_no_module_level_random_state() -> None:
    # the replaced evaluator kept a seeded random.Random at module level, shared by all threads
    import random

    import numpy as np

    for mod in (freeform, freeform_items, freeform_leaves):
        shared = [n for n, v in vars(mod).items() if isinstance(v, random.Random | np.random.Generator)]
        assert shared == [], mod.__name__


def test_leaf_equal_is_thread_safe() -> None:
    pairs = [
        ("x^2-1", "(x-1)(x+1)", True),
        (r"\frac{x+2}{7}", r"\frac{x}{7}+\frac{2}{7}", True),
        ("x+2n+1", "x+1", False),
        (r"\tan^2(y)+1", r"\sec^2(y)", True),
    ] * 50
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda t: leaf_equal(t[0], t[1]), pairs))
    assert got == [expected for _, _, expected in pairs]


@pytest.mark.parametrize(
    "name",
    # the public names other modules and the benchmarks import from grader.mathx.freeform
    ["compare_freeform", "FreeformOptions", "leaf_equal", "proportional", "split_top", "answer_items"],
)
def test_public_names_stay_importable_from_freeform(name: str) -> None:
    assert name in freeform.__all__
    obj = getattr(freeform, name)
    assert obj.__doc__ and obj.__doc__.strip()
