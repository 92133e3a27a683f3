"""Optimizers: one step against the definition, limits against linear algebra, backends."""

from __future__ import annotations

import numpy as np
import pytest

from reference_solutions import backend, optimizers
from reference_solutions.optimizers import make_optimizer, q2_closed_form, random_q2_problems, run_q2_batch

G = np.array([[0.5, -2.0, 0.0]])
LR = 0.1


@pytest.mark.parametrize(
    "method,expected_first_step",
    [
        # stateless rules
        ("sgd", -LR * G),
        ("sign_sgd", -LR * np.sign(G)),
        ("simplified_adam", -LR * np.array([[1.0, -1.0, 0.0]])),  # g / sqrt(mean over a 1-step epoch)
        # stateful rules: the first step from zero buffers
        ("momentum", -LR * G),
        ("adagrad", -LR * G / (np.abs(G) + 1e-8)),
        ("rmsprop", -LR * G / (np.sqrt(0.1 * G * G) + 1e-8)),
        ("adam", -LR * G / (np.abs(G) + 1e-8)),  # bias correction makes m_hat = g, v_hat = g^2
    ],
)
def test_first_step_matches_definition(method: str, expected_first_step: np.ndarray) -> None:
    opt = make_optimizer(method)
    assert np.allclose(opt.step(np.zeros_like(G), G, LR), expected_first_step, atol=1e-12)


@pytest.mark.parametrize(
    "method,second_step",
    [
        # momentum: v2 = 0.9 g + g; theta2 = -lr g - lr 1.9 g
        ("momentum", -LR * G - LR * 1.9 * G),
        # adagrad: G2 = 2 g^2
        ("adagrad", -LR * G / (np.abs(G) + 1e-8) - LR * G / (np.sqrt(2 * G * G) + 1e-8)),
    ],
)
def test_second_step_uses_state(method: str, second_step: np.ndarray) -> None:
    opt = make_optimizer(method)
    theta = opt.step(np.zeros_like(G), G, LR)
    assert np.allclose(opt.step(theta, G, LR), second_step, atol=1e-12)


def test_newton_needs_hessian_and_solves_quadratic_in_one_step() -> None:
    with pytest.raises(ValueError, match="hessian"):
        make_optimizer("newton")
    H = np.array([[[2.0, 0.0], [0.0, 8.0]]])  # f = x^2 + 4 y^2 - (2x + 8y): minimiser (1, 1)
    theta = np.zeros((1, 2))
    grad = np.array([[-2.0, -8.0]])
    assert np.allclose(make_optimizer("newton", hessian=H).step(theta, grad, 1.0), [[1.0, 1.0]])


def test_unknown_method_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown optimizer 'lbfgs'"):
        make_optimizer("lbfgs")


@pytest.mark.parametrize(
    "method,limit",
    [
        # GD-like methods: iterates stay in span(a) -> min-l2-norm solution b a / ||a||^2
        ("sgd", lambda A, b: b[:, None] * A / (A**2).sum(1, keepdims=True)),
        ("momentum", lambda A, b: b[:, None] * A / (A**2).sum(1, keepdims=True)),
        ("newton", lambda A, b: b[:, None] * A / (A**2).sum(1, keepdims=True)),
        # diagonal adaptive methods: every coordinate moves by the same amount -> b sign(a) / ||a||_1
        ("sign_sgd", lambda A, b: b[:, None] * np.sign(A) / np.abs(A).sum(1, keepdims=True)),
        ("simplified_adam", lambda A, b: b[:, None] * np.sign(A) / np.abs(A).sum(1, keepdims=True)),
        ("adagrad", lambda A, b: b[:, None] * np.sign(A) / np.abs(A).sum(1, keepdims=True)),
        ("rmsprop", lambda A, b: b[:, None] * np.sign(A) / np.abs(A).sum(1, keepdims=True)),
        ("adam", lambda A, b: b[:, None] * np.sign(A) / np.abs(A).sum(1, keepdims=True)),
        # rescale to unit second moment, min-norm there, map back: theta_i = b / (d a_i)
        ("rescaled_sgd", lambda A, b: b[:, None] / (A.shape[1] * A)),
    ],
)
def test_limits_on_random_single_equations(method: str, limit) -> None:
    A, b = random_q2_problems(np.random.default_rng(7), 2000)
    theta = run_q2_batch(method, A, b, steps=400)
    expected = limit(A, b)
    rel = np.linalg.norm(theta - expected, axis=1) / np.linalg.norm(expected, axis=1)
    assert rel.max() < 1e-3
    assert np.allclose((A * theta).sum(1), b, rtol=1e-3)  # zero loss reached


@pytest.mark.parametrize("kind", ["min_l2", "sign", "rescaled"])
def test_closed_forms_solve_the_equation(kind: str) -> None:
    A, b = random_q2_problems(np.random.default_rng(3), 50)
    assert np.allclose((A * q2_closed_form(kind, A, b)).sum(1), b)


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: run_q2_batch("sgd", np.ones((2, 3)), np.ones(3)), "rows"),
        (lambda: run_q2_batch("rescaled_sgd", np.array([[1.0, 0.0]]), np.ones(1)), "nonzero"),
        (lambda: q2_closed_form("l7", np.ones((1, 2)), np.ones(1)), "unknown closed form"),
    ],
)
def test_bad_input_is_a_clear_error(call, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()


def test_every_method_has_a_limit() -> None:
    assert set(optimizers.LIMIT_OF) == set(optimizers.METHODS)


# --- backends -------------------------------------------------------------------------------


def test_resolve_without_cuda(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backend, "_torch_cuda", lambda: None)
    assert backend.resolve("cpu").name == "numpy"
    auto = backend.resolve("auto")
    assert (auto.name, auto.note) == ("numpy", "cuda not available, ran on cpu")
    with pytest.raises(ValueError, match="CUDA is not available"):
        backend.resolve("cuda")
    with pytest.raises(ValueError, match="unknown device"):
        backend.resolve("tpu")


@pytest.mark.gpu
def test_torch_backend_matches_numpy() -> None:
    if backend._torch_cuda() is None:
        pytest.skip("torch with CUDA is not available")
    A, b = random_q2_problems(np.random.default_rng(1), 1000)
    for method in optimizers.METHODS:
        on_gpu = run_q2_batch(method, A, b, steps=200, backend="cuda")
        on_cpu = run_q2_batch(method, A, b, steps=200, backend="numpy")
        assert np.allclose(on_gpu, on_cpu, rtol=1e-6, atol=1e-9), method


def test_torch_backend_on_cpu_matches_numpy() -> None:
    """The torch code path (the one CUDA runs) gives numpy's results, checked on the CPU."""
    cpu_torch = backend.torch_cpu()
    if cpu_torch is None:
        pytest.skip("torch is not installed (pip install -e '.[gpu]')")
    A, b = random_q2_problems(np.random.default_rng(1), 500)
    for method in optimizers.METHODS:
        with_torch = run_q2_batch(method, A, b, steps=200, backend=cpu_torch)
        with_numpy = run_q2_batch(method, A, b, steps=200, backend="numpy")
        assert np.allclose(np.asarray(with_torch), with_numpy, rtol=1e-6, atol=1e-9), method
