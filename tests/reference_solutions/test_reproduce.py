"""reproduce(): the result contract, agreement with the closed forms, and the device rules."""

from __future__ import annotations

import re

import numpy as np
import pytest

from reference_solutions import backend
from reference_solutions import cs182_fa25_hw2 as hw2
from reference_solutions import cs182_fa25_hw7 as hw7

CONTRACT = {"target", "device", "instances", "result", "reference", "max_rel_error", "seconds", "note"}


@pytest.fixture(autouse=True)
def _no_cuda(monkeypatch: pytest.MonkeyPatch) -> None:
    """CPU-only tests: behave as if there were no CUDA even on a GPU machine."""
    monkeypatch.setattr(backend, "_torch_cuda", lambda: None)


@pytest.mark.parametrize(
    "module,key,instances",
    [
        # HW2: numeric argmins, optimizer runs, protocol simulations
        *[(hw2, k, 40 if k.startswith("q1") else 300) for k in hw2.KEYS],
        # HW7: finite differences, PCA, regularised autoencoder
        *[(hw7, k, 30) for k in hw7.REPRODUCIBLE],
    ],
)
def test_reproduction_agrees_with_closed_form(module, key: str, instances: int) -> None:
    out = module.reproduce(key, device="auto", instances=instances, seed=1)
    assert set(out) == CONTRACT
    assert out["target"].endswith(key) and out["device"] == "cpu"
    assert out["max_rel_error"] < 1e-3
    assert "cuda not available, ran on cpu" in out["note"]
    assert out["seconds"] >= 0


@pytest.mark.parametrize(
    "key,theta",
    [
        ("q2a.theta", [10000 / 10101, 1000 / 10101, 100 / 10101]),
        ("q2b.theta", [100 / 111] * 3),
        ("q2c.theta", [1 / 3, 10 / 3, 100 / 3]),
    ],
)
def test_q2_result_is_the_homework_theta(key: str, theta: list[float]) -> None:
    out = hw2.reproduce(key, device="cpu", instances=10)
    assert np.allclose(out["result"], theta, rtol=1e-3)
    assert out["note"].count("cuda") == 0  # cpu was asked for: no fallback note


@pytest.mark.parametrize("module,key", [(hw2, "q2a.theta"), (hw7, "q3b_i.grad_W1")])
def test_cuda_without_cuda_is_a_clear_error(module, key: str) -> None:
    with pytest.raises(ValueError, match="CUDA is not available"):
        module.reproduce(key, device="cuda", instances=1)


@pytest.mark.parametrize(
    "call,error,match",
    [
        (lambda: hw2.reproduce("q9.u"), KeyError, "unknown key"),
        (lambda: hw2.reproduce("q2a.theta", instances=0), ValueError, "instances"),
        (lambda: hw2.reproduce("q2a.theta", device="tpu"), ValueError, "unknown device"),
        (lambda: hw7.reproduce("q4a.final_time"), ValueError, "no numeric reproduction"),
    ],
)
def test_reproduce_errors(call, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call()


def test_q8b_reproduction_reports_both_lambdas() -> None:
    out = hw7.reproduce("q8b.conclusion", device="cpu")
    assert isinstance(out["result"], float) and isinstance(out["reference"], float)
    assert out["result"] < 0.05  # ||W2^T W2 - I|| with small lambda: close to orthonormal
    stays = float(re.search(r"lambda = 0 it stays at ([0-9.e+-]+)", out["note"]).group(1))  # type: ignore[union-attr]
    assert stays > 1.0  # without weight decay, nothing pulls it there
