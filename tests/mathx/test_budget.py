"""Bombs end as timeout or unparseable within about budget + 1 s; the budget cannot be swallowed."""

import threading
import time

import pytest

from grader.errors import BudgetExceeded
from grader.mathx import budget, equiv, parse

BOMBS = [
    # --- huge powers, deep nesting, huge inputs ---
    ("power tower", r"2^{2^{2^{2^{2^{10}}}}}"),
    ("9^9^9", r"9^{9^{9}}"),
    ("10,000 nested fractions", r"\frac{1}{" * 10_000 + "x" + "}" * 10_000),
    ("300 nested fractions", r"\frac{1}{" * 300 + "x" + "}" * 300),
    ("3,000 parentheses", "(" * 3000 + "1" + ")" * 3000),
    ("1 MB line", "x+" * 500_000 + "x"),
    ("huge factorial", "100000!"),
    ("huge binomial", r"\binom{100000}{50000}"),
]


@pytest.mark.parametrize("name,text", BOMBS)
@pytest.mark.parametrize("reference", ["1", "x"])
def test_bombs(name: str, text: str, reference: str) -> None:
    # A bomb ends in time; "incorrect" only with evidence (9^{9^9} is computed at high precision and
    # is not 1), never "correct".
    start = time.perf_counter()
    result = equiv(reference, text, budget_s=1.0)
    assert time.perf_counter() - start < 2.0, name
    assert result.verdict in ("timeout", "unparseable", "incorrect"), (
        name,
        result.verdict,
        result.explanation,
    )
    if result.verdict == "incorrect":
        assert "differs" in result.explanation or "value" in result.explanation, result.explanation


def test_bomb_off_the_main_thread() -> None:
    out = []
    worker = threading.Thread(target=lambda: out.append(equiv("1", r"2^{2^{2^{2^{2^{10}}}}}", budget_s=1.0)))
    start = time.perf_counter()
    worker.start()
    worker.join(5)
    assert time.perf_counter() - start < 2.0
    assert out and out[0].verdict in ("timeout", "unparseable")


def test_budget_exceeded_is_not_swallowed_by_except_exception() -> None:
    def spin() -> None:
        try:
            with budget.time_budget(0.05):
                while True:
                    budget.check()
        except Exception:  # noqa: BLE001 - the point of the test
            pytest.fail("BudgetExceeded must not be an Exception")

    with pytest.raises(BudgetExceeded):
        spin()


def test_signal_timer_interrupts_pure_python_loop() -> None:
    start = time.perf_counter()
    with pytest.raises(BudgetExceeded), budget.time_budget(0.1):
        while True:
            pass
    assert time.perf_counter() - start < 1.0


def test_nested_budget_restores_outer_timer() -> None:
    with budget.time_budget(1.0):
        with pytest.raises(BudgetExceeded), budget.time_budget(0.05):
            while True:
                pass
        assert not budget.expired()
        assert parse("x + 1") is not None


def test_size_caps_raise_parse_errors() -> None:
    from grader.errors import MathParseError

    with pytest.raises(MathParseError, match="too long"):
        parse("x" * 30_000)
