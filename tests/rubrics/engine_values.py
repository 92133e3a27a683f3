"""Read a rubric's references through the grader's own engine, so that tests can compare them with a
value computed independently (numpy simulations, brute-force optimisation, Monte Carlo).

A test computes the quantity its own way, then asks the engine what the rubric's formula is worth on
the same instance: a wrong formula in the rubric fails the test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from grader import mathx
from grader.check import check_target
from grader.rubric import AnswerSpec, Rubric
from grader.rubric.load import load_rubric_file
from grader.rubric.verify import verify_rubric_file

RUBRICS = Path(__file__).resolve().parents[2] / "rubrics"


def rubric_path(homework: str) -> Path:
    """The rubric file of a homework id."""
    return RUBRICS / f"{homework}.yaml"


def load(homework: str) -> Rubric:
    """The validated rubric of a homework id."""
    return load_rubric_file(rubric_path(homework))


def answer(rub: Rubric, part: str, answer_id: str) -> AnswerSpec:
    """One answer spec of the rubric; fails the test when it is missing."""
    spec = rub.part(part).answer(answer_id)
    assert spec is not None, f"{rub.id}.{part}.{answer_id} is not in the rubric"
    return spec


def reference_latex(rub: Rubric, part: str, answer_id: str, accept: int | None = None) -> str:
    """The LaTeX of an answer's reference (or of its ``accept[accept]`` alternative)."""
    spec = answer(rub, part, answer_id)
    ref: Any = spec.reference if accept is None else spec.accept[accept].reference
    assert isinstance(ref, str | int | float), f"{part}.{answer_id}: not a formula reference: {ref!r}"
    return str(ref)


def evaluate(rub: Rubric, latex: str, env: dict[str, Any] | None = None) -> Any:
    """The engine's value of a formula in the rubric's symbols on one instance."""
    value = mathx.evaluate(mathx.parse(latex, rub.symbol_table()), env or {})
    return np.asarray(value, dtype=float) if isinstance(value, np.ndarray) else float(value)


def reference_value(
    rub: Rubric, part: str, answer_id: str, env: dict[str, Any] | None = None, accept: int | None = None
) -> Any:
    """The engine's value of an answer's reference (or ``accept`` alternative) on ``env``."""
    spec = answer(rub, part, answer_id)
    ref: Any = spec.reference if accept is None else spec.accept[accept].reference
    if isinstance(ref, dict) and "value" in ref:  # a quantity
        return float(ref["value"])
    return evaluate(rub, reference_latex(rub, part, answer_id, accept), env)


def verdict(target: str, text: str) -> str:
    """The verdict ``grader check`` gives ``text`` for ``target``."""
    return check_target(target, text)[1].verdict


def rubric_problems(homework: str) -> list[str]:
    """What ``grader rubric check`` reports for the homework's rubric (empty when it passes)."""
    result = verify_rubric_file(rubric_path(homework))
    return [str(p) for p in result.problems]
