"""Bombs end as timeout or unparseable within about budget + 1 s; the budget cannot be swallowed."""

import _thread
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

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


def test_a_stale_alarm_is_ignored() -> None:
    # an alarm delivered after its block ended (the signal raced the exit) does not raise elsewhere
    with budget.time_budget(5.0):
        with budget.time_budget(0.01):
            pass
        signal.raise_signal(signal.SIGALRM)
        assert parse("x + 1") is not None


def test_an_alarm_in_a_finalizer_is_not_swallowed() -> None:
    # the alarm lands while a __del__ runs (where an exception would be lost as "unraisable"): it
    # fires again in the budgeted block, and nothing is reported as unraisable
    unraisable: list[object] = []

    class SlowToDie:
        def __del__(self) -> None:
            end = time.monotonic() + 0.2
            while time.monotonic() < end:
                pass

    old_hook = sys.unraisablehook
    sys.unraisablehook = unraisable.append
    watchdog = threading.Timer(5.0, _thread.interrupt_main)  # a broken budget fails, never hangs
    watchdog.start()
    try:
        start = time.perf_counter()
        with pytest.raises(BudgetExceeded), budget.time_budget(0.05):
            obj = SlowToDie()
            del obj
            while True:
                pass
        assert 0.2 <= time.perf_counter() - start < 1.0
    finally:
        watchdog.cancel()
        sys.unraisablehook = old_hook
    assert unraisable == []


def test_an_alarm_in_a_with_blocks_clean_up_waits_for_the_clean_up() -> None:
    # the alarm lands while a generator context manager cleans up (the transcript budget of
    # grader.deadline resets its deadline there): raising there would skip the rest of the clean-up
    # and leave its state behind for every later transcript; it fires in the budgeted block after it
    cleaned: list[bool] = []

    @contextmanager
    def slow_clean_up() -> Iterator[None]:
        try:
            yield
        finally:
            end = time.monotonic() + 0.2
            while time.monotonic() < end:
                pass
            cleaned.append(True)

    watchdog = threading.Timer(5.0, _thread.interrupt_main)  # a broken budget fails, never hangs
    watchdog.start()
    try:
        start = time.perf_counter()
        with pytest.raises(BudgetExceeded), budget.time_budget(0.05):
            with slow_clean_up():
                pass
            while True:
                pass
        assert 0.2 <= time.perf_counter() - start < 1.0
    finally:
        watchdog.cancel()
    assert cleaned == [True]
    assert budget.remaining() is None


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs POSIX interval timers")
def test_budgets_left_out_of_order_never_leave_a_timer_without_its_handler() -> None:
    """A budget held by a generator that is finalised late exits after the one it encloses: the inner
    block must not re-arm the outer's timer once the outer block has restored the default handler
    (the process would die of SIGALRM, "Alarm clock")."""
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signal budgets run on the main thread only")
    outer, inner = budget.time_budget(30.0), budget.time_budget(10.0)
    outer.__enter__()
    inner.__enter__()
    outer.__exit__(None, None, None)  # out of order: the outer block ends first
    inner.__exit__(None, None, None)
    armed = signal.getitimer(signal.ITIMER_REAL)[0] > 0
    assert not armed or signal.getsignal(signal.SIGALRM) is budget._on_alarm
    assert budget.remaining() is None  # and no stale deadline is left for the cooperative checks
