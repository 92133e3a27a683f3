"""Array backends for the reproductions: numpy always, torch on CUDA when it is there.

torch is an optional extra (``pip install .[gpu]``): it is imported lazily, only when a caller
asks for ``device="auto"`` or ``"cuda"``, and nothing here fails when it is missing.
The optimizers in :mod:`reference_solutions.optimizers` are written against :class:`Backend`,
a handful of array operations with the same meaning on both libraries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

CPU_NOTE = "cuda not available, ran on cpu"
DEVICES = ("auto", "cpu", "cuda")


@dataclass(frozen=True)
class Backend:
    """A tiny array namespace over numpy or torch.

    Attributes:
        name: ``"numpy"`` or ``"torch"``.
        device: ``"cpu"`` or ``"cuda"`` (where the arrays live).
        note: why this backend was chosen (empty when it is what was asked for).
        xp: the array module itself (numpy, or torch).
    """

    name: str
    device: str
    note: str
    xp: Any

    def asarray(self, x: Any) -> Any:
        """``x`` as a float64 array of this backend (on its device)."""
        if self.name == "torch":
            return self.xp.as_tensor(np.asarray(x, dtype=np.float64), device=self.device)
        return np.asarray(x, dtype=np.float64)

    def to_numpy(self, x: Any) -> np.ndarray:
        """A numpy copy of an array of this backend."""
        if self.name == "torch":
            return np.asarray(x.detach().cpu().numpy(), dtype=np.float64)
        return np.asarray(x, dtype=np.float64)

    def sum_last(self, x: Any) -> Any:
        """Sum over the last axis (the coordinates of each instance)."""
        return x.sum(-1)

    def zeros_like(self, x: Any) -> Any:
        """An array of zeros with the shape, dtype and device of ``x``."""
        return self.xp.zeros_like(x)

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        """Elementwise ``a if cond else b``."""
        return self.xp.where(cond, a, b)

    def sync(self) -> None:
        """Wait for queued device work (so that timings are honest); a no-op on numpy."""
        if self.name == "torch" and self.device == "cuda":
            self.xp.cuda.synchronize()


NUMPY = Backend(name="numpy", device="cpu", note="", xp=np)


def _torch_cuda() -> Any | None:
    """The torch module when it is importable and sees a CUDA device, else None."""
    try:
        import torch
    except Exception:  # torch missing or broken: the numpy path is always there
        return None
    try:
        return torch if torch.cuda.is_available() else None
    except Exception:
        return None


def torch_cpu() -> Backend | None:
    """Torch on the CPU, when torch is importable (for checking the torch path without a GPU)."""
    try:
        import torch
    except Exception:  # torch missing or broken
        return None
    return Backend(name="torch", device="cpu", note="torch on cpu", xp=torch)


def resolve(device: str = "auto") -> Backend:
    """The backend for a requested device.

    ``"auto"``: torch on CUDA when torch is importable and CUDA is available, else numpy with the
    note ``"cuda not available, ran on cpu"``. ``"cpu"``: numpy. ``"cuda"``: torch on CUDA, or a
    ``ValueError`` that says why it cannot be had.

    Example:
        >>> resolve("cpu").name
        'numpy'
    """
    if device not in DEVICES:
        raise ValueError(f"unknown device {device!r}: use one of {', '.join(DEVICES)}")
    if device == "cpu":
        return NUMPY
    torch = _torch_cuda()
    if torch is not None:
        return Backend(name="torch", device="cuda", note="", xp=torch)
    if device == "cuda":
        raise ValueError(
            "device='cuda' was requested but CUDA is not available "
            "(torch is not installed or sees no GPU); use device='auto' or 'cpu'"
        )
    return Backend(name="numpy", device="cpu", note=CPU_NOTE, xp=np)
