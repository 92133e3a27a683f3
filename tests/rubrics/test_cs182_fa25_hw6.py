"""HW6 rubric: every formula and choice is re-derived here by code that does not read the rubric's LaTeX
(walks counted by enumeration, the linear GNN simulated layer by layer, the loss and the update rules on
Figure 3's graph, permutation tests of the aggregations, the Newton-Schulz cubic), then compared with
the rubric's reference as the grader's engine evaluates it."""

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
PATH = ROOT / "rubrics" / "cs182-fa25-hw6.yaml"
RUBRIC = load_rubric_file(PATH)
HW = "cs182-fa25-hw6"

# Figure 3 of the question (read from the figure): an undirected graph on nodes 1..5.
EDGES = [(1, 2), (1, 4), (1, 5), (2, 4), (2, 5), (3, 5)]


def reference(part: str, answer: str, accept: int | None = None) -> Any:
    """The rubric's reference of ``part.answer`` (or of its ``accept`` entry) as written in the file."""
    spec = RUBRIC.part(part).answer(answer)
    assert spec is not None
    return spec.reference if accept is None else spec.accept[accept].reference


def engine_value(latex: Any, env: dict[str, Any]) -> Any:
    """The value the grader's engine gives a formula of the rubric at ``env``."""
    return mathx.evaluate(mathx.parse(str(latex), RUBRIC.symbol_table()), env)


def random_graph(rng: np.random.Generator, n: int) -> np.ndarray:
    upper = np.triu((rng.random((n, n)) < 0.5).astype(float), 1)
    return upper + upper.T


def count_walks(adj: np.ndarray, i: int, j: int, k: int) -> int:
    """Walks of exactly k edges from i to j, by enumerating vertex sequences."""
    n = adj.shape[0]
    if k == 0:
        return int(i == j)
    total = 0
    for middle in itertools.product(range(n), repeat=k - 1):
        seq = (i, *middle, j)
        total += all(adj[a, b] for a, b in itertools.pairwise(seq))
    return total


def simulate_layers(adj: np.ndarray, k: int, aggregate: str = "sum") -> np.ndarray:
    """Node outputs (one row per node) after k layers of the question's network from one-hot inputs."""
    out = np.eye(adj.shape[0])
    for _ in range(k):
        new = np.zeros_like(out)
        for j in range(adj.shape[0]):
            weighted = [adj[i, j] * out[i] for i in range(adj.shape[0])]
            new[j] = np.sum(weighted, axis=0) if aggregate == "sum" else np.max(weighted, axis=0)
        out = new
    return out


# --- Q2: walks and the linear GNN -----------------------------------------------------------------------


@pytest.mark.parametrize("seed,k", [(0, 1), (1, 2), (2, 3), (3, 4)])
def test_q2a_q2b_node_outputs_count_walks(seed: int, k: int) -> None:
    rng = np.random.default_rng(seed)
    adj = random_graph(rng, 5)
    outputs = simulate_layers(adj, k)
    for j in range(5):
        walks = [count_walks(adj, i, j, k) for i in range(5)]
        assert np.array_equal(outputs[j], walks)
        env = {"A": adj, "k": k, "e_j": np.eye(5)[j]}
        got = np.asarray(engine_value(reference("q2a", "output"), env), dtype=float).ravel()
        assert np.array_equal(got, walks)
        row = np.asarray(engine_value(reference("q2a", "output", accept=0), env), dtype=float).ravel()
        assert np.array_equal(row, walks)


def test_q2c_matrix_update() -> None:
    rng = np.random.default_rng(5)
    adj = random_graph(rng, 6)
    for k in range(4):
        h_k, h_next = simulate_layers(adj, k), simulate_layers(adj, k + 1)
        assert np.array_equal(engine_value(reference("q2c", "matrix_update"), {"A": adj, "H": h_k}), h_next)


def test_q2d_max_aggregation_is_reachability() -> None:
    rng = np.random.default_rng(6)
    adj = random_graph(rng, 5)
    for k in range(1, 4):
        outputs = simulate_layers(adj, k, aggregate="max")
        reach = (np.linalg.matrix_power(adj, k) > 0).astype(float)
        assert np.array_equal(outputs, reach.T)


# --- Q3: GNN update rules on Figure 3 -------------------------------------------------------------------


def neighbours(node: int) -> list[int]:
    return sorted({b for a, b in EDGES if a == node} | {a for a, b in EDGES if b == node})


def test_q3a_validity_by_permuting_neighbours() -> None:
    rng = np.random.default_rng(30)
    dim, n_i = 4, 5
    s, msgs = rng.standard_normal(dim), rng.standard_normal((n_i, dim))
    w = rng.standard_normal(n_i + 1)

    rules = {
        "q3a_i": lambda s, m: w[0] * s + w[1] * m.mean(axis=0),
        "q3a_ii": lambda s, m: np.max([w[0] * s, *(w[1 + t] * m[t] for t in range(len(m)))], axis=0),
        "q3a_iii": lambda s, m: np.max([w[0] * s, *(w[1] * row for row in m)], axis=0),
    }
    for part, rule in rules.items():
        base = rule(s, msgs)
        invariant = all(
            np.allclose(rule(s, msgs[list(perm)]), base) for perm in itertools.permutations(range(n_i))
        )
        assert reference(part, "validity") == ("valid" if invariant else "invalid"), part


def test_q3b_training_loss() -> None:
    labels = {1: 0, 2: 1, 3: 1, 4: 1, 5: 0}
    held_out = {1, 4}
    rng = np.random.default_rng(31)
    for _ in range(5):
        pred = dict(zip(range(1, 6), rng.uniform(0.05, 0.95, 5), strict=True))
        train = [i for i in labels if i not in held_out]
        loss = np.mean(
            [labels[i] * np.log(1 / pred[i]) + (1 - labels[i]) * np.log(1 / (1 - pred[i])) for i in train]
        )
        env = dict(zip("abcde", (pred[i] for i in range(1, 6)), strict=True))
        assert np.isclose(float(engine_value(reference("q3b", "loss"), env)), loss)


def test_q3c_ii_only_d_by_k_fits() -> None:
    d, k = 3, 5
    rng = np.random.default_rng(32)
    s, w2 = rng.standard_normal(d), rng.standard_normal((k, d))
    sizes = {"d": d, "k": k}
    fitting = []
    for vid in (v for v in RUBRIC.vocabulary if v.startswith("shape_")):
        rows, cols = (sizes[x] for x in vid.removeprefix("shape_").split("_by_"))
        try:
            out = rng.standard_normal((rows, cols)) @ np.tanh(w2 @ s)
        except ValueError:
            continue
        if out.shape == s.shape:
            fitting.append(vid)
    assert fitting == [reference("q3c_ii", "shape")]


def test_q3c_iii_expanded_updates() -> None:
    assert neighbours(2) == [1, 4, 5] and neighbours(3) == [5]
    rng = np.random.default_rng(33)
    d, k = 3, 4
    w1, w2 = rng.standard_normal((d, k)), rng.standard_normal((k, d))
    states = {i: rng.standard_normal(d) for i in range(1, 6)}

    def update(i: int) -> np.ndarray:
        nb = neighbours(i)
        return np.asarray(states[i] + w1 @ sum(np.tanh(w2 @ states[j]) for j in nb) / len(nb))

    env: dict[str, Any] = {f"s{i}": states[i] for i in range(1, 6)} | {"W1": w1, "W2": w2}
    for node in (2, 3):
        got = np.asarray(engine_value(reference("q3c_iii", f"s{node}"), env), dtype=float).ravel()
        assert np.allclose(got, update(node))


# --- Q6(a): the Newton-Schulz cubic of the rubric's note ----------------------------------------------


def test_q6a_newton_schulz_cubic() -> None:
    def step(x: float) -> float:
        return (3 * x - x**3) / 2

    assert np.isclose(step(np.sqrt(3)), 0.0) and np.isclose(step(1.0), 1.0)
    for start in np.linspace(0.05, np.sqrt(3) - 1e-3, 40):
        x = float(start)
        for _ in range(60):
            x = step(x)
        assert np.isclose(x, 1.0), start
    x = 1.8  # just beyond sqrt(3): sent negative, toward -1 (the sign of the singular value flips)
    for _ in range(60):
        x = step(x)
    assert np.isclose(x, -1.0)
    x = np.sqrt(5) + 0.01  # past the 2-cycle at ±sqrt(5) the iterates run away
    for _ in range(8):
        x = step(x)
    assert abs(x) > 1e3
    # the Frobenius norm bounds every singular value
    rng = np.random.default_rng(60)
    m = rng.standard_normal((5, 3))
    assert np.linalg.norm(m, 2) <= np.linalg.norm(m, "fro")
    # scaling to sqrt(3) leaves small singular values larger than scaling to 1: fewer steps to reach 1
    sv = np.linalg.svd(m, compute_uv=False)

    def steps_to_converge(scale: float) -> int:
        x = sv / np.linalg.norm(m, "fro") * scale
        for n in range(200):
            if np.allclose(x, 1.0, atol=1e-3):
                return n
            x = step(x)
        return 200

    assert steps_to_converge(np.sqrt(3)) < steps_to_converge(1.0)


# --- the rubric as a whole ------------------------------------------------------------------------------


def test_rubric_check_passes_with_examples() -> None:
    result = verify_rubric_file(PATH)
    assert result.ok, [str(p) for p in result.problems]
    assert result.examples >= 50


def test_part_ids_follow_the_question_pdf() -> None:
    assert [p.id for p in RUBRIC.parts] == [
        "q2a", "q2b", "q2c", "q2d", "q2e_i", "q2e_ii", "q2e_iii", "q2f", "q2g", "q2h_i", "q2h_ii", "q2h_iii",
        "q3a_i", "q3a_ii", "q3a_iii", "q3b", "q3c_i", "q3c_ii", "q3c_iii", "q6a", "q6b",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "target,answer,verdict",
    [
        ("q2a.output", "A^k e_j", "correct"),
        ("q2a.output", "A^{k-1} e_j", "incorrect"),
        ("q3b.loss", "-\\frac{1}{3}(\\log b + \\log c + \\log(1-e))", "correct"),
        ("q3c_iii.s3", "s_3^{\\ell-1} + W_1 \\tanh(W_2 s_5^{\\ell-1})", "correct"),
        ("q3c_ii.shape", "k \\times d", "incorrect"),
    ],
)
def test_checks_by_target(target: str, answer: str, verdict: str) -> None:
    assert check_target(f"{HW}.{target}", answer)[1].verdict == verdict


# --- a transcript graded end to end -----------------------------------------------------------------

CHAT = r"""# A chat about HW6

## User

Homework 6, question 3(a)(ii): is this aggregation valid?

## Assistant

Every neighbour gets its own weight, so the output depends on the order in which the neighbours are
listed, and the number of weights depends on the degree.

**Answer:** invalid

## User

Question 3(b): compute the training loss.

## Assistant

Nodes 1 and 4 are held out, so we average over nodes 2, 3 and 5:

$$L = -\frac{1}{3}\left(\log b + \log c + \log(1 - e)\right)$$

## User

Question 3(c)(iii): expand the update for node 3.

## Assistant

Node 3 has the single neighbour 5:

$$s_3^{\ell} = s_3^{\ell-1} + W_1 \tanh(W_2 s_5^{\ell-1})$$
"""


def test_a_transcript_graded_end_to_end(tmp_path: Path) -> None:
    from grader.pipeline import grade
    from grader.transcripts import read_path

    chat = tmp_path / "chat.md"
    chat.write_text(CHAT, encoding="utf-8")
    report = grade(read_path(chat), RUBRIC)
    finals = {p.id: p.final for p in report.parts if p.final != "unanswered"}
    reasons = [(p.id, p.reason) for p in report.parts if p.final != "unanswered"]
    assert finals["q3a_ii"] == "correct" and finals["q3b"] == "correct", reasons
    # node 2's expansion is not written: that answer is missing, node 3's is right
    assert finals["q3c_iii"] in ("partial", "needs_review"), reasons
