"""HW9 rubric: every formula and number is re-derived here by code that does not read the rubric's LaTeX
(Monte Carlo for Q1, an argmax for Q2, numpy einsum and operation counts for Q4, an explicit feature map
for Q6), then compared with the rubric's reference as the grader's engine evaluates it."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader import mathx
from grader.check import check_target
from grader.rubric import load_rubric_file
from grader.rubric.verify import verify_rubric_file

ROOT = Path(__file__).resolve().parents[2]
PATH = ROOT / "rubrics" / "cs182-fa25-hw9.yaml"
RUBRIC = load_rubric_file(PATH)
HW = "cs182-fa25-hw9"


def reference(part: str, answer: str, accept: int | None = None) -> Any:
    """The rubric's reference of ``part.answer`` (or of its ``accept`` entry) as written in the file."""
    spec = RUBRIC.part(part).answer(answer)
    assert spec is not None
    return spec.reference if accept is None else spec.accept[accept].reference


def engine_value(latex: str, env: dict[str, Any]) -> Any:
    """The value the grader's engine gives a formula of the rubric at ``env``."""
    return mathx.evaluate(mathx.parse(latex, RUBRIC.symbol_table()), env)


# --- Q1: moments of q^T k, by Monte Carlo -----------------------------------------------------------


def _dot_samples(rng: np.random.Generator, d: int, mean: np.ndarray, sigma: float, count: int) -> np.ndarray:
    q = mean + sigma * rng.standard_normal((count, d))
    k = mean + sigma * rng.standard_normal((count, d))
    return np.einsum("ij,ij->i", q, k)


@pytest.mark.parametrize("d,mu,sigma", [(4, 0.7, 1.3), (9, -1.1, 0.5), (16, 0.25, 2.0)])
def test_q1a_mean_per_component(d: int, mu: float, sigma: float) -> None:
    rng = np.random.default_rng(d)
    x = _dot_samples(rng, d, np.full(d, mu), sigma, 400_000)
    stderr = x.std() / np.sqrt(x.size)
    # the partial-credit alternative d mu^2 is the mean when every component of the mean is mu
    ref = engine_value(reference("q1a", "mean", accept=0), {"d": d, "mu": mu, "sigma": sigma})
    assert abs(x.mean() - ref) < 5 * stderr
    assert abs(x.mean() - d * (mu**2 + sigma**2)) > 5 * stderr  # sigma does not enter the mean


def test_q1a_mean_vector_reading_is_the_reference_norm() -> None:
    rng = np.random.default_rng(7)
    mean = np.array([0.5, -1.0, 2.0, 0.0, 0.3])
    x = _dot_samples(rng, mean.size, mean, 0.8, 400_000)
    stderr = x.std() / np.sqrt(x.size)
    # the reference ||mu||^2, mu a scalar symbol standing for the mean vector's norm
    ref = engine_value(reference("q1a", "mean"), {"mu": float(np.linalg.norm(mean))})
    assert abs(x.mean() - ref) < 5 * stderr


@pytest.mark.parametrize("d", [3, 8, 32])
def test_q1b_variance_and_q1c_scale(d: int) -> None:
    rng = np.random.default_rng(100 + d)
    x = _dot_samples(rng, d, np.zeros(d), 1.0, 300_000)
    var = engine_value(reference("q1b", "variance"), {"d": d})
    assert abs(x.var() - var) < 0.03 * var
    s = engine_value(reference("q1c", "s"), {"d": d})
    assert abs((x / s).var() - 1.0) < 0.03 and abs((x / s).mean()) < 0.02


# --- Q2: argmax attention ---------------------------------------------------------------------------

KEYS = np.array([[1, 2, 0], [0, 3, 4], [5, 0, 0], [0, 0, 1]], dtype=float)
VALUES = np.array([[2, 0, 1], [1, 4, 3], [0, -1, 4], [1, 0, -1]], dtype=float)
QUERY = np.array([1, 1, 2], dtype=float)


def test_q2a_argmax_output() -> None:
    scores = KEYS @ QUERY
    assert list(scores) == [3, 11, 5, 2]
    expected = VALUES[int(np.argmax(scores))]
    got = np.asarray(engine_value(reference("q2a", "output"), {}), dtype=float).ravel()
    assert np.array_equal(got, expected)
    # the softmax output is close to it but is not it (a decimal claim of it must not pass as exact)
    w = np.exp(scores - scores.max())
    assert not np.allclose((w / w.sum()) @ VALUES, expected, atol=1e-3)


# --- Q4: multi-query attention ----------------------------------------------------------------------

B, D_MODEL, HEADS, CACHE = 2, 12, 3, 5
HEAD = D_MODEL // HEADS
SHAPES = {"b": B, "d": D_MODEL, "h": HEADS, "q": HEAD, "k": HEAD, "v": HEAD}


def _phrase(vocab_id: str) -> str:
    return str(RUBRIC.vocabulary[vocab_id][0])


def _shape(vocab_id: str) -> tuple[int, ...]:
    letters = _phrase(vocab_id).strip("[]").replace(" ", "").split(",")
    return tuple(SHAPES[c] for c in letters)


def _einsum_output(spec: str, x: np.ndarray, w: np.ndarray) -> tuple[int, ...] | None:
    try:
        return np.einsum(spec, x, w).shape
    except ValueError:
        return None


def _ids(prefix: str, letter: str) -> list[str]:
    return [v for v in RUBRIC.vocabulary if v.startswith(prefix) and v.endswith(letter)]


def test_q4_shapes_and_projections_run_the_mqa_step() -> None:
    """Only the rubric's options make the given MQA code (lines 20-29) run with the given cache."""
    rng = np.random.default_rng(4)
    x = rng.standard_normal((B, D_MODEL))
    prev_k = rng.standard_normal((B, CACHE, HEAD))
    prev_v = rng.standard_normal((B, CACHE, HEAD))
    w_o = rng.standard_normal((HEADS, HEAD, D_MODEL))
    w_v_shape = (D_MODEL, HEAD)  # given: [d, v]

    def runs(wq_shape: tuple[int, ...], wk_shape: tuple[int, ...], c: str, dd: str, e: str) -> bool:
        q = _einsum_output(c, x, rng.standard_normal(wq_shape))
        k = _einsum_output(dd, x, rng.standard_normal(wk_shape))
        v = _einsum_output(e, x, rng.standard_normal(w_v_shape))
        if q is None or k is None or v is None:
            return False
        qa, ka, va = rng.standard_normal(q), rng.standard_normal(k), rng.standard_normal(v)
        try:
            new_k = np.concatenate([prev_k, ka[:, None, :]], axis=1)
            new_v = np.concatenate([prev_v, va[:, None, :]], axis=1)
            logits = np.einsum("bhk,bnk->bhn", qa, new_k)
            o = np.einsum("bhn,bnv->bhv", logits, new_v)
            y = np.einsum("bhv,hvd->bd", o, w_o)
        except ValueError:
            return False
        return y.shape == (B, D_MODEL)

    shapes_q = [v for v in RUBRIC.vocabulary if v.startswith("shape_") and v.endswith("_q")]
    shapes_k = [v for v in RUBRIC.vocabulary if v.startswith("shape_") and v.endswith("_k")]
    c_opts = _ids("einsum_", "q")
    d_opts = _ids("einsum_", "k")
    e_opts = _ids("einsum_", "v")
    assert (len(shapes_q), len(shapes_k), len(c_opts), len(d_opts), len(e_opts)) == (3, 3, 3, 3, 3)
    working = [
        (a, bb, c, dd, e)
        for a, bb, c, dd, e in itertools.product(shapes_q, shapes_k, c_opts, d_opts, e_opts)
        if runs(_shape(a), _shape(bb), _phrase(c), _phrase(dd), _phrase(e))
    ]
    assert working == [
        (
            reference("q4a", "shape"),
            reference("q4b", "shape"),
            reference("q4c", "code"),
            reference("q4d", "code"),
            reference("q4e", "code"),
        )
    ]


def _mqa_counts(b: int, n: int, d: int, h: int) -> tuple[float, float]:
    """(multiply-adds, values read or written) of one MQA decoding step, operation by operation."""
    q = k = v = d / h
    flops = (
        b * d * h * q  # q projection
        + b * d * k  # shared k projection
        + b * d * v  # shared v projection
        + b * h * (n + 1) * k  # logits
        + b * h * (n + 1) * v  # weighted values
        + b * h * v * d  # output projection
    )
    memory = (
        h * d * q + d * k + d * v + h * v * d  # weights
        + b * d + b * h * q + b * k + b * v + b * h * v + b * d  # x, q, k, v, o, y
        + b * n * k + b * n * v  # the shared cache
    )  # fmt: skip
    return flops, memory


GRID = [
    {"b": b, "n": n, "d": d, "h": h}
    for b, n, d, h in itertools.product([1, 8, 512, 1 << 15], [1, 64, 1 << 16], [64, 1024, 16384], [2, 8, 64])
    if d % h == 0
]


def _ratio_spread(count_index: int, latex: str) -> float:
    ratios = []
    for g in GRID:
        exact = _mqa_counts(g["b"], g["n"], g["d"], g["h"])[count_index]
        env = {**g, "k": g["d"] / g["h"], "v": g["d"] / g["h"], "q": g["d"] / g["h"]}
        ratios.append(exact / float(engine_value(latex, env)))
    return max(ratios) / min(ratios)


@pytest.mark.parametrize(
    "part,answer,index,accepts",
    [("q4f", "compute", 0, []), ("q4g", "memory", 1, [0, 1])],
)
def test_q4f_q4g_big_o_bounds_the_exact_counts(
    part: str, answer: str, index: int, accepts: list[int]
) -> None:
    # a right big-O keeps exact/reference within constant factors over sizes spanning 4-5 orders
    assert _ratio_spread(index, reference(part, answer)) < 8
    for i in accepts:
        assert _ratio_spread(index, reference(part, answer, accept=i)) < 8


@pytest.mark.parametrize(
    "target,wrong",
    [
        # each wrong example of the rubric really misses a term that dominates somewhere on the grid
        ("q4f.compute", "b d^2"),
        ("q4f.compute", "b n d"),
        ("q4f.compute", "b d^2 + \\frac{b n d}{h}"),
        ("q4g.memory", "d^2 + b d + b n d"),
        ("q4g.memory", "d^2 + \\frac{b n d}{h}"),
    ],
)
def test_q4_wrong_big_o_is_unbounded(target: str, wrong: str) -> None:
    index = 0 if target.startswith("q4f") else 1
    assert _ratio_spread(index, wrong) > 20


# --- Q6: kernel attention ---------------------------------------------------------------------------


def _phi(x: np.ndarray) -> np.ndarray:
    """The degree-2 feature map, built entry by entry."""
    dim = x.size
    cross = [np.sqrt(2) * x[i] * x[j] for i in range(dim) for j in range(i + 1, dim)]
    return np.concatenate([[1.0], np.sqrt(2) * x, x**2, cross])


def test_q6b_quadratic_kernel_and_feature_map() -> None:
    rng = np.random.default_rng(6)
    for dim in (2, 3, 5):
        x, y = rng.standard_normal(dim), rng.standard_normal(dim)
        assert _phi(x).size == (dim + 1) * (dim + 2) // 2
        # the rubric reads q^T k as the product of two scalars: give it the dot product
        ref = engine_value(reference("q6b_i", "sim"), {"q": float(x @ y), "k": 1.0})
        assert np.isclose(_phi(x) @ _phi(y), ref)


def test_q6b_iii_linearised_attention_equals_equation_3() -> None:
    rng = np.random.default_rng(61)
    n_tokens, dim, m = 7, 3, 4
    qm, km = rng.standard_normal((n_tokens, dim)), rng.standard_normal((n_tokens, dim))
    vm = rng.standard_normal((n_tokens, m))
    sim = (qm @ km.T + 1.0) ** 2
    direct = (sim @ vm) / sim.sum(axis=1, keepdims=True)
    fq = np.array([_phi(r) for r in qm])
    fk = np.array([_phi(r) for r in km])
    linear = (fq @ (fk.T @ vm)) / (fq @ fk.sum(axis=0))[:, None]
    assert np.allclose(direct, linear)


# --- the rubric as a whole --------------------------------------------------------------------------


def test_rubric_check_passes_with_examples() -> None:
    result = verify_rubric_file(PATH)
    assert result.ok, [str(p) for p in result.problems]
    assert result.examples >= 60


def test_part_ids_follow_the_question_pdf() -> None:
    ids = [p.id for p in RUBRIC.parts]
    assert ids == [
        "q1a", "q1b", "q1c", "q2a", "q2b", "q3a", "q3b", "q4a", "q4b", "q4c", "q4d", "q4e", "q4f", "q4g",
        "q6a", "q6b_i", "q6b_ii", "q6b_iii", "q6c", "q6d",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "target,answer,verdict",
    [
        ("q1a.mean", "E[q^T k] = d \\mu^2", "partial"),  # equal components only
        ("q1a.mean", "E[q^T k] = \\|\\mu\\|_2^2", "correct"),
        ("q1a.mean", "\\mu^T \\mu", "correct"),
        ("q1c.s", "\\sqrt{d}", "correct"),
        ("q2a.output", "[1, 4, 3]", "correct"),
        ("q2a.output", "[0, 3, 4]", "incorrect"),
        ("q4f.compute", "O(b d^2 + b n d)", "correct"),
        ("q4f.compute", "O(b d^2)", "incorrect"),
        ("q4g.memory", "O(d^2 + bd + bnk)", "correct"),
        ("q4a.shape", "A: [h, d, q]", "correct"),
    ],
)
def test_checks_by_target(target: str, answer: str, verdict: str) -> None:
    _, result = check_target(f"{HW}.{target}", answer)
    assert result.verdict == verdict, result.explanation


# --- a transcript graded end to end -----------------------------------------------------------------

CHAT = r"""# A chat about HW9

## User

Homework 9, question 1(c): what should the scaling factor s be?

## Assistant

Since $\mathrm{Var}(q^\top k) = d$, dividing by $s$ scales the variance by $1/s^2$, so

$$s = \sqrt{d}$$

## User

Question 2(a): run argmax attention on the given keys, values and query.

## Assistant

The scores $k_i^\top q$ are 3, 11, 5 and 2, so the second key wins and the output is its value:

**Answer:** $[1, 4, 3]$

## User

Question 4(a): what is A, the shape of W_q?

## Assistant

Each head keeps its own query projection.

**A:** $[h, d, q]$

## User

Question 4(f): computational complexity of MQA for one token?

## Assistant

The projections cost $O(bd^2)$ and the attention over the cache costs $O(bnd)$.

**Answer:** $O(bd^2 + bnd)$
"""


def test_a_transcript_graded_end_to_end(tmp_path: Path) -> None:
    from grader.pipeline import grade
    from grader.transcripts import read_path

    chat = tmp_path / "chat.md"
    chat.write_text(CHAT, encoding="utf-8")
    report = grade(read_path(chat), RUBRIC)
    finals = {p.id: p.final for p in report.parts if p.final != "unanswered"}
    assert finals == {"q1c": "correct", "q2a": "correct", "q4a": "correct", "q4f": "correct"}, [
        (p.id, p.reason) for p in report.parts if p.final != "unanswered"
    ]
