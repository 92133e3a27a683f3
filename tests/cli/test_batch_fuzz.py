"""Fuzz ``grader equiv --batch`` and ``grader check --batch`` in-process with hypothesis: 10,000 lines
(6,000 + 4,000) of formulas from the engine's whole language, prose, hostile strings and malformed
JSONL (``GRADER_FUZZ_RANDOM=1`` draws new lines instead of the fixed derandomized ones). Every
line must be answered by exactly one JSON object carrying its line number and a
verdict, no check may fail with an internal error, and no line may run past its budget."""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from grader import cli
from grader.answers.formula import DEFAULT_BUDGET_S as CHECK_BUDGET_S
from tests.cli.fuzz_inputs import batch_lines, formulas

LINES_PER_BATCH = 40
EQUIV_BATCHES = 150
CHECK_BATCHES = 100
EQUIV_BUDGET_S = 5.0  # grader equiv: free-form comparison budget (the typed one is 2 s)
SLACK_S = 1.5  # interpreter and machine noise on a shared 2-core machine
VERDICTS = {"correct", "incorrect", "partial", "unparseable", "timeout"}
MATH_TARGETS = [
    "cs182-fa25-hw2.q1a.u",
    "cs182-fa25-hw2.q2a.theta",
    "cs182-fa25-hw2.q5.ring_count",
    "cs182-fa25-hw7.q3b_i.grad_W2",
    "cs182-fa25-hw7.q3b_i.cond_W1",
    "optim-lectures.q1_gd_step.eta_max",
    "optim-lectures.q7_adam.delta",
    "not-a-homework.q1.x",
]


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[
            Phase.explicit,
            Phase.generate,
        ],  # a failing batch is reported as found: shrinking 40 lines is slow
        derandomize=not os.environ.get(
            "GRADER_FUZZ_RANDOM"
        ),  # the same 10,000 lines in CI; new ones on demand
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


def _run(tmp: Path, command: str, lines: list[bytes]) -> list[str]:
    path = tmp / "batch.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli.main([command, "--batch", str(path)])
    return out.getvalue().splitlines()


def _assert_answered(lines: list[bytes], output: list[str], budget_s: float) -> None:
    expected = [n for n, raw in enumerate(lines, 1) if raw.strip()]
    assert len(output) == len(expected), "a line was not answered"
    for n, text in zip(expected, output, strict=True):
        obj = json.loads(text)
        assert isinstance(obj, dict) and obj["line"] == n
        assert obj["verdict"] in VERDICTS, obj
        assert "internal error" not in str(obj.get("explanation", "")), obj
        assert obj["seconds"] <= budget_s + SLACK_S, obj


pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings(
        "ignore:The recursion limit will not be reset"
    ),  # the parser raises it, on purpose
]


def test_equiv_batch_answers_every_line(tmp_path: Path) -> None:
    seen = {"lines": 0}

    @_settings(EQUIV_BATCHES)
    @given(
        st.lists(
            batch_lines(("reference", "answer"), formulas(2)),
            min_size=LINES_PER_BATCH,
            max_size=LINES_PER_BATCH,
        )
    )
    def run(lines: list[bytes]) -> None:
        _assert_answered(lines, _run(tmp_path, "equiv", lines), EQUIV_BUDGET_S)
        seen["lines"] += len(lines)

    run()
    assert seen["lines"] >= EQUIV_BATCHES * LINES_PER_BATCH


def test_check_batch_answers_every_line(tmp_path: Path) -> None:
    seen = {"lines": 0}
    for target in MATH_TARGETS[:-1]:  # warm the cached reproductions cited as evidence
        _run(tmp_path, "check", [json.dumps({"target": target, "claim": "0"}).encode()])

    @_settings(CHECK_BATCHES)
    @given(
        st.lists(
            batch_lines(("target", "claim"), st.sampled_from(MATH_TARGETS)),
            min_size=LINES_PER_BATCH,
            max_size=LINES_PER_BATCH,
        )
    )
    def run(lines: list[bytes]) -> None:
        _assert_answered(lines, _run(tmp_path, "check", lines), CHECK_BUDGET_S)
        seen["lines"] += len(lines)

    run()
    assert seen["lines"] >= CHECK_BATCHES * LINES_PER_BATCH
