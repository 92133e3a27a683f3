"""Time the HW2 Q2 optimizer reproductions on many random single-equation problems.

Runs each Q2 method (SGD, the simplified Adam O, rescaled SGD; ``--all`` for every optimizer)
from 0 on ``--instances`` random problems with numpy, and with torch on CUDA when torch is
installed and sees a GPU, then prints device, instances, seconds, the worst relative error
against the closed-form limit, and the GPU speed-up.

    python benchmarks/bench_reproductions.py                 # 10^5 instances
    python benchmarks/bench_reproductions.py --instances 1000000 --all --json out.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reference_solutions import backend  # noqa: E402
from reference_solutions.optimizers import (  # noqa: E402
    LIMIT_OF,
    METHODS,
    q2_closed_form,
    random_q2_problems,
    run_q2_batch,
)

Q2_METHODS = ("sgd", "simplified_adam", "rescaled_sgd")


def time_method(method: str, A: np.ndarray, b: np.ndarray, steps: int, bk: backend.Backend) -> dict[str, Any]:
    """One timed run (after a short warm-up) and its worst relative error against the closed form."""
    run_q2_batch(method, A[:64], b[:64], steps=2, backend=bk)  # warm-up: imports, CUDA context, kernels
    start = time.perf_counter()
    theta = run_q2_batch(method, A, b, steps=steps, backend=bk)
    seconds = time.perf_counter() - start
    ref = q2_closed_form(LIMIT_OF[method], A, b)
    rel = np.linalg.norm(theta - ref, axis=1) / np.linalg.norm(ref, axis=1)
    return {
        "method": method,
        "device": f"{bk.name}/{bk.device}",
        "instances": int(A.shape[0]),
        "steps": steps,
        "seconds": seconds,
        "max_rel_error": float(rel.max()),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one row per (method, device)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--all", action="store_true", help="every optimizer, not only the Q2 ones")
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    parser.add_argument(
        "--torch-cpu", action="store_true", help="also run torch on the CPU when there is no GPU"
    )
    args = parser.parse_args(argv)

    A, b = random_q2_problems(np.random.default_rng(args.seed), args.instances)
    gpu = backend.resolve("auto")
    backends = [backend.NUMPY] + ([gpu] if gpu.name == "torch" else [])
    if gpu.name != "torch":
        print(f"note: {gpu.note}")
        cpu_torch = backend.torch_cpu() if args.torch_cpu else None
        if cpu_torch is not None:
            backends.append(cpu_torch)  # checks and times the torch code path without a GPU
    rows = []
    print(f"{'method':16} {'device':12} {'instances':>10} {'seconds':>9} {'max rel err':>12} {'speed-up':>9}")
    for method in METHODS if args.all else Q2_METHODS:
        base = None
        for bk in backends:
            row = time_method(method, A, b, args.steps, bk)
            base = base or row["seconds"]
            row["speedup"] = base / row["seconds"]
            rows.append(row)
            print(
                f"{method:16} {row['device']:12} {row['instances']:>10} {row['seconds']:>9.3f} "
                f"{row['max_rel_error']:>12.2e} {row['speedup']:>8.1f}x"
            )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0 if all(r["max_rel_error"] < 1e-3 for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
