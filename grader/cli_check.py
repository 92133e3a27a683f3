"""``grader check`` and ``grader equiv``: one answer (or a batch of them) against a target or a reference.

``parse_symbols`` turns the ``--symbols`` option (``alpha:scalar,W:matrix[k;m]``) into the engine's
:class:`~grader.mathx.symbols.SymbolTable`.
"""

from __future__ import annotations

import argparse
from typing import Any

from grader.errors import GraderError, TargetError


def _usage(message: str) -> int:
    from grader.cli import _usage as usage

    return usage(message)


def _check_one(target: str, answer: str) -> dict[str, Any]:
    from grader.check import check_target

    target, result = check_target(target, answer)
    return {
        "target": target,
        "verdict": result.verdict,
        "interpreted": result.interpreted,
        "reference": result.reference,
        "explanation": result.explanation,
        "evidence": result.evidence,
    }


def _print_result(obj: dict[str, Any], as_json: bool) -> None:
    from grader.cli_batch import clean, to_json

    if as_json:
        print(to_json(obj))
        return
    obj = clean(obj)
    print(f"{obj.get('target', obj.get('reference', ''))}: {obj['verdict']}")
    if obj.get("interpreted"):
        print(f"  interpreted as: {obj['interpreted']}")
    if obj.get("reference"):
        print(f"  reference:      {obj['reference']}")
    if obj.get("explanation"):
        print(f"  why:            {obj['explanation']}")
    note = (obj.get("evidence") or {}).get("slide_note")
    if note:
        print(f"  course notes:   {note}")


def cmd_check(args: argparse.Namespace) -> int:
    """Check one answer (or a batch) against a target's reference."""
    from grader.rubric import rubrics

    if args.list:
        for r in rubrics().values():
            for part in r.parts:
                for a in part.answers:
                    print(f"{r.id}.{part.id}.{a.id}\t{a.kind}\t{part.title}")
        return 0
    if args.batch:
        from grader.cli_batch import run_batch

        try:  # an unknown target is that line's error object, as a bad line is
            failures = run_batch(
                args.batch, ("target", "claim"), lambda obj: _check_one(obj["target"], obj["claim"])
            )
        except GraderError as exc:
            return _usage(str(exc))
        return 1 if failures else 0
    if not args.target or args.answer is None:
        return _usage("check needs TARGET ANSWER (or --list, or --batch FILE)")
    try:
        result = _check_one(args.target, args.answer)
    except TargetError as exc:
        return _usage(str(exc))
    if not args.json:
        note = (result.get("evidence") or {}).get("slide_note")
        result["evidence"] = {"slide_note": note} if note else {}
    _print_result(result, args.json)
    return 0


def parse_symbols(spec: str | None) -> Any:
    """``alpha:scalar,g:vector,W:matrix[k,m]`` -> a SymbolTable (vectors in R^d, matrices m×n by default)."""
    from grader.mathx.symbols import SymbolSpec, SymbolTable

    if not spec:
        return None
    symbols: dict[str, SymbolSpec] = {}
    dims: dict[str, tuple[int, int]] = {}
    for item in filter(None, (s.strip() for s in spec.split(","))):
        name, _, kind = item.partition(":")
        kind = kind or "scalar"
        shape: tuple[str | int, ...] = ()
        if "[" in kind:
            kind, _, rest = kind.partition("[")
            shape = tuple(x.strip() for x in rest.rstrip("]").split(";") if x.strip())
        if kind in ("scalar", "positive"):
            symbols[name] = SymbolSpec(name=name, kind="scalar", positive=kind == "positive")
        elif kind == "vector":
            symbols[name] = SymbolSpec(name=name, kind="vector", shape=shape or ("d",))
        elif kind == "matrix":
            symbols[name] = SymbolSpec(name=name, kind="matrix", shape=shape or ("m", "n"))
        elif kind == "integer":
            symbols[name] = SymbolSpec(name=name, integer=True, min=1, max=20)
        else:
            raise GraderError(
                f"unknown symbol kind {kind!r} (scalar, positive, integer, vector, matrix)", item
            )
        for dim in symbols[name].shape:
            if isinstance(dim, str):
                dims.setdefault(dim, (2, 5) if dim not in dims else dims[dim])
    # distinct default ranges so that shape mistakes show on random instances
    for i, dim in enumerate(sorted(dims)):
        dims[dim] = (2 + 2 * i, 3 + 2 * i)
    return SymbolTable(symbols=symbols, dims=dims, functions=("f",))


def cmd_equiv(args: argparse.Namespace) -> int:
    """Decide whether ANSWER is equivalent to REFERENCE (typed formulas, or a model's free-form text)."""
    from grader.mathx.freeform import equiv_text

    try:
        table = parse_symbols(args.symbols)
    except GraderError as exc:
        return _usage(str(exc))

    def one(reference: str, answer: str) -> dict[str, Any]:
        res = equiv_text(reference, answer, table)
        return {"reference": reference, **res.to_dict()}

    if args.batch:
        from grader.cli_batch import run_batch

        try:
            failures = run_batch(
                args.batch, ("reference", "answer"), lambda obj: one(obj["reference"], obj["answer"])
            )
        except GraderError as exc:
            return _usage(str(exc))
        return 1 if failures else 0
    if args.reference is None or args.answer is None:
        return _usage("equiv needs REFERENCE ANSWER (or --batch FILE)")
    out = one(args.reference, args.answer)
    if not args.json:
        out.pop("evidence", None)
    _print_result(out, args.json)
    return 0
