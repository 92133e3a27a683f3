"""CS182 Fall 2025 HW13: the instance the DPO derivation (Q2(b)) is checked at.

Everything else of HW13 is data in ``rubrics/cs182-fa25-hw13.yaml``; its references are checked by
``tests/rubrics/test_cs182_fa25_hw13.py`` (simulations of the diffusion processes, a brute-force
optimisation of the KL-regularised objective).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["dpo_instance"]


def dpo_instance(rng: np.random.Generator) -> dict[str, float]:
    """A world where every identity of the Q2(b) derivation holds, drawn at random.

    The proof's steps are about one output ``y`` of one prompt ``x``, and the math engine reads a sum
    over outputs (``Z(x) = \\sum_y \\pi_{ref}(y|x) e^{r/\\beta}``, ``\\sum_y \\pi^*(y|x) = 1``) as its
    one term. The only world where those normalisations hold term by term has a single output, where
    every policy is 1 (``pi_theta = pi_ref = pi* = 1``) and ``Z = exp(r / beta)``; ``r`` and ``beta``
    are random. A step that drops ``Z``, or multiplies ``r`` by ``beta`` instead of dividing, is false
    there.

    >>> env = dpo_instance(np.random.default_rng(0))
    >>> bool(np.isclose(env["pi_star"], env["pi_ref"] * np.exp(env["r"] / env["beta"]) / env["Z"]))
    True
    """
    beta = float(rng.uniform(0.3, 2.0))
    r = float(rng.uniform(-2.0, 2.0))
    if abs(r) < 0.2:
        r += 0.5
    return {"beta": beta, "r": r, "pi_theta": 1.0, "pi_ref": 1.0, "pi_star": 1.0, "Z": math.exp(r / beta)}
