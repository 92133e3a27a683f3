"""`grader reproduce`: results beside the closed form; clear errors for bad targets, devices and sizes."""

from __future__ import annotations

import importlib.util
import json

import pytest

from grader.cli import main

HAS_CUDA = False
if importlib.util.find_spec("torch") is not None:  # pragma: no cover - depends on the machine
    import torch

    HAS_CUDA = bool(torch.cuda.is_available())


def test_reproduce_json_matches_the_closed_form(capsys) -> None:
    assert main(["reproduce", "cs182-fa25-hw2.q2b.theta", "--instances", "64", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"target", "device", "instances", "result", "reference", "max_rel_error", "seconds"}
    assert out["target"] == "cs182-fa25-hw2.q2b.theta"
    assert out["max_rel_error"] < 1e-3


def test_auto_falls_back_to_cpu_with_a_note(capsys) -> None:
    assert main(["reproduce", "cs182-fa25-hw2.q2a.theta", "--instances", "16", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    if not HAS_CUDA:
        assert out["device"] == "cpu" and "cuda not available" in out["note"]


@pytest.mark.skipif(HAS_CUDA, reason="this machine has CUDA")
def test_cuda_without_a_gpu_is_a_clear_error(capsys) -> None:
    assert main(["reproduce", "cs182-fa25-hw2.q2b.theta", "--device", "cuda"]) == 2
    assert "CUDA is not available" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["reproduce", "cs182-fa25-hw99.q2b.theta"], "unknown homework"),
        (["reproduce", "cs182-fa25-hw2.q2b.theta", "--instances", "100000000"], "would not fit in memory"),
        (["reproduce", "cs182-fa25-hw7.q7b.tokens"], "tokens"),
    ],
)
def test_bad_requests_exit_2_with_a_message(argv: list[str], message: str, capsys) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("grader: error:") and message in err
    assert "Traceback" not in err


def _numbers(value: object) -> bool:
    """A JSON number or a (nested) list of them (DESIGN: never a string of numpy's repr)."""
    if isinstance(value, list):
        return all(_numbers(v) for v in value)
    return isinstance(value, int | float) and not isinstance(value, bool)


def _reproducible() -> list[str]:
    from grader.references import reproduce_function
    from grader.rubric import rubrics

    return [
        f"{r.id}.{p.id}.{a.id}"
        for r in rubrics().values()
        for p in r.parts
        for a in p.answers
        if reproduce_function(p, a)
    ]


@pytest.mark.parametrize("target", _reproducible())
def test_reproduce_json_result_and_reference_are_numbers(target: str, capsys) -> None:
    assert main(["reproduce", target, "--instances", "3", "--device", "cpu", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert _numbers(out["result"]) and _numbers(out["reference"]), (out["result"], out["reference"])
