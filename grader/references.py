"""The references an answer may match: the rubric's own and its accepted alternatives.

A reference is written in the rubric as data (a LaTeX formula, a number with a unit, options...),
which the answer kind turns into a :class:`~reference_solutions.types.Reference`, or, where something
must be computed, as ``{compute: "module:function"}``: the one typed interface to Python reference
code (:class:`~reference_solutions.types.ComputeReference`). The function is called with the key
``"<part>.<answer>"`` and the variant (None for the rubric's own reference) and returns a
``Reference``. ``reproduce: "module:function"`` beside ``compute`` names the numeric reproduction.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from grader.answers.base import Accepted, Context, is_compute
from grader.errors import ReferenceError_, TargetError
from grader.rubric import AnswerSpec, PartSpec, Rubric
from reference_solutions.types import Reference

__all__ = ["accepted_references", "load_function", "reference_for", "reproduce_function"]


def load_function(spec: str, where: str = "") -> Callable[..., Any]:
    """Import ``"package.module:function"``.

    Raises:
        ReferenceError_: the spec is malformed, the module does not import, or has no such function.
    """
    module, sep, name = spec.partition(":")
    if not sep or not module or not name.isidentifier():
        raise ReferenceError_(f"expected 'module:function', got {spec!r}", where)
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise ReferenceError_(f"cannot import {module}: {exc}", where) from exc
    fn = getattr(mod, name, None)
    if not callable(fn):
        raise ReferenceError_(f"{module} has no function {name!r}", where)
    return fn  # type: ignore[no-any-return]


def _computed(value: dict[str, Any], ctx: Context, variant: str | None) -> Reference:
    fn = load_function(str(value["compute"]), ctx.target)
    try:
        ref = fn(ctx.key, variant)
    except (TargetError, ReferenceError_):
        raise
    except Exception as exc:  # a broken reference must say where it broke, not crash a batch
        raise ReferenceError_(
            f"reference computation failed: {type(exc).__name__}: {exc}", ctx.target
        ) from exc
    if not isinstance(ref, Reference):
        raise ReferenceError_(
            f"{value['compute']} returned {type(ref).__name__}, not a Reference", ctx.target
        )
    return ref


def _build(value: Any, ctx: Context, variant: str | None) -> Reference:
    from grader.answers.registry import kind_of

    if is_compute(value):
        return _computed(value, ctx, variant)
    try:
        return kind_of(ctx.answer.kind).reference_from_data(value, ctx)
    except (TargetError, ReferenceError_):
        raise
    except (ValueError, TypeError, KeyError) as exc:
        raise ReferenceError_(f"reference cannot be used: {exc}", ctx.target) from exc


def _shown_variant(ctx: Context) -> str | None:
    return ctx.variant or ctx.part.default_variant


def _applies(entry_variant: str | None, ctx: Context) -> bool:
    return entry_variant is None or entry_variant == _shown_variant(ctx)


def accepted_references(ctx: Context) -> list[Accepted]:
    """The references a claim of ``ctx.answer`` may match for the transcript's variant, cached.

    An ``accept`` entry with a ``variant`` *replaces* the rubric's own reference for transcripts that
    show that variant (a re-released question); one without adds an alternative everywhere (a
    disputed key).

    Raises:
        ReferenceError_: a reference cannot be built (a failing computation, an unusable formula).
    """
    cache = ctx.rubric.reference_cache()
    key = (ctx.part.id, ctx.answer.id, ctx.variant or ctx.part.default_variant)
    if key in cache:
        return cache[key]
    answer = ctx.answer
    out: list[Accepted] = []
    if answer.reference is None and not answer.accept:
        from grader.answers.registry import kind_of

        derived = getattr(kind_of(answer.kind), "derived_references", None)
        out = list(derived(ctx)) if derived else []
        cache[key] = out
        return out
    shown = _shown_variant(ctx)
    main_applies = not any(acc.variant is not None and acc.variant == shown for acc in answer.accept)
    if main_applies and answer.reference is not None:
        ref = _build(answer.reference, ctx, None)
        out.append(Accepted(ref, "", "reference", answer.mode or str(ref.evidence.get("mode", "value"))))
    for i, acc in enumerate(answer.accept):
        if not _applies(acc.variant, ctx):
            continue
        ref = _build(acc.reference, ctx, acc.variant)
        mode = acc.mode or answer.mode or str(ref.evidence.get("mode", "value"))
        out.append(Accepted(ref, acc.note, f"accept[{i}]", mode, acc.credit, tuple(acc.names)))
    cache[key] = out
    return out


def reference_for(rubric: Rubric, part_id: str, answer_id: str, variant: str | None = None) -> Reference:
    """The main reference of ``rubric.part.answer`` for a variant (the first accepted one).

    Raises:
        TargetError: no such part or answer, or no reference applies.
        ReferenceError_: the reference cannot be built.
    """
    part = rubric.part(part_id)
    answer = part.answer(answer_id)
    if answer is None:
        raise TargetError(f"part {part_id} has no answer {answer_id!r}", f"{rubric.id}.{part_id}")
    refs = accepted_references(Context(rubric, part, answer, variant))
    if not refs:
        raise TargetError(
            f"no reference applies to variant {variant!r}", f"{rubric.id}.{part_id}.{answer_id}"
        )
    return refs[0].reference


def reproduce_function(part: PartSpec, answer: AnswerSpec) -> str | None:
    """The ``module:function`` that reproduces an answer's reference numerically (None: none)."""
    for value in [answer.reference, *(a.reference for a in answer.accept)]:
        if isinstance(value, dict) and value.get("reproduce"):
            return str(value["reproduce"])
    return None
