"""What every check builds: a :class:`ResultBuilder` for its CheckResult, and :func:`bounded`, the
boundary that turns a budget overrun into ``timeout`` and any failure into ``unparseable``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from grader.errors import BudgetExceeded, GraderError, ReferenceError_
from grader.mathx import budget
from grader.verdicts import CheckResult


class ResultBuilder:
    """Builds a check's CheckResult; mutable so that a timeout still reports what was interpreted."""

    def __init__(self, reference: str | None) -> None:
        self.interpreted: str | None = None
        self.reference = reference

    def make(self, verdict: str, explanation: str = "", **evidence: Any) -> CheckResult:
        """The result, with what was interpreted so far."""
        return CheckResult(verdict, self.interpreted, self.reference, explanation, evidence)  # type: ignore[arg-type]


@contextmanager
def bounded(res: ResultBuilder, budget_s: float, out: list[CheckResult]) -> Iterator[None]:
    """Run the enclosed check under ``budget_s``; append its failure as a result to ``out``."""
    try:
        with budget.time_budget(budget_s):
            yield
    except BudgetExceeded as exc:
        out.append(res.make("timeout", f"{exc.message} (budget {budget_s:g} s)"))
    except RecursionError:
        out.append(res.make("unparseable", "expression nested too deeply"))
    except MemoryError:
        out.append(res.make("timeout", f"ran out of memory (budget {budget_s:g} s)"))
    except ReferenceError_:
        raise  # the reference's failure, not the claim's: the caller reports it
    except GraderError as exc:
        out.append(res.make("unparseable", str(exc)))
    except Exception as exc:  # noqa: BLE001 - the engine's boundary: nothing escapes a check
        out.append(res.make("unparseable", f"internal error: {type(exc).__name__}: {str(exc)[:200]}"))
