"""How a proof's text is read into steps: continuation lines joined to their chain, and an objective
written under ``\\min`` read as the objective itself.

A derivation is often laid out one relation a line::

    \\|\\hat y - \\hat X w\\|^2 = \\|y - X w\\|^2 + \\|\\sqrt\\lambda w\\|^2
                           = \\|y - X w\\|^2 + \\lambda \\|w\\|^2

and the second line alone (``= ...``) says nothing: :func:`join_continuations` appends it to the chain
above. A chain opened by ``\\min_w \\|\\hat y - \\hat X w\\|^2 = ...`` rewrites the objective (for every
``w``), not its minimum value: :func:`objective_of` drops the ``\\min`` so the chain is in the rubric's
symbols. The reading is not certain (``\\min_w f(w) = f(w^*)`` states the value at the optimum), so a
step read this way is used to reach a target when it holds, and is never evidence of a false step.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_CONTINUATION = re.compile(r"^\s*&?\s*=(?!=)")
# what a chain starts from names something (a symbol, a command); a lone number ("2", a stray exponent a
# PDF's text layer set apart) is not the left side of a derivation
_OPENS_CHAIN = re.compile(r"[A-Za-z\u0370-\u03ff\\‖]")

# \min, \operatorname{min}, \mathop{min}, a bare "min" (a PDF's text layer), with an optional subscript
# (\min_w, \min_{w \in R^d}); never \arg\min / argmin (a minimiser, not the objective), never min(a, b).
_MIN = re.compile(
    r"^\s*(?<![A-Za-z])(?:\\min|\\operatorname\*?\{min\}|\\mathop\{\\?min\}|\\mathrm\{min\}|min)"
    r"(?P<sub>\s*(?:\\limits)?\s*_\s*(?:\{[^{}]*\}|\\[A-Za-z]+|[A-Za-z0-9]))?\s*"
)
_OPENS_ARGUMENTS = re.compile(r"^(?:\(|\\left\s*\(|\\\{|\\left\s*\\\{)")


def join_continuations(segments: list[tuple[int | None, str]]) -> list[tuple[int | None, str]]:
    """``segments`` (block, math) with each one that starts with ``=`` (``&=``) appended to the one
    before it, which keeps its block.

    >>> join_continuations([(1, "a = b"), (2, "= c"), (3, "&= d"), (4, "e = f")])
    [(1, 'a = b = c = d'), (4, 'e = f')]
    >>> join_continuations([(1, "= c")]), join_continuations([(1, "2"), (2, "= c")])
    ([(1, '= c')], [(1, '2'), (2, '= c')])
    """
    out: list[tuple[int | None, str]] = []
    for block, math in segments:
        if out and _CONTINUATION.match(math) and _OPENS_CHAIN.search(out[-1][1]):
            rest = _CONTINUATION.sub("=", math, count=1)
            prev_block, prev = out[-1]
            out[-1] = (prev_block, f"{prev.rstrip()} {rest.strip()}")
        else:
            out.append((block, math))
    return out


_BRIDGE_WINDOW = 10
"""How many formula fragments back a continuation may look for the chain it continues."""


def bridge_continuations(
    segments: list[tuple[int | None, str]],
) -> list[tuple[int | None, str, bool]]:
    """(block, math, bridged) for ``segments`` as :func:`join_continuations` left them, with each
    continuation that found no chain just above it (``= ...`` after a stray exponent or the pieces of a
    matrix a PDF's text layer set apart) given the left side of the last chain before those fragments.

    A chain ``L = G`` whose right side ``G`` was a matrix the text layer broke into pieces, continued by
    ``= A``, states ``L = A``; that reading is marked ``bridged`` (the continuation may belong to a chain
    whose head was lost altogether), so it may reach a target but is never evidence of a false step.

    >>> bridge_continuations([(1, "L = [ ]"), (2, "2"), (3, "y - x"), (4, "= a + b")])
    [(1, 'L = [ ]', False), (2, '2', False), (3, 'y - x', False), (4, 'L = a + b', True)]
    >>> bridge_continuations([(1, "= a"), (2, "b")])
    [(1, '= a', False), (2, 'b', False)]
    """
    from grader.latex import split_top_level

    out: list[tuple[int | None, str, bool]] = []
    for i, (block, math) in enumerate(segments):
        head = None
        if _CONTINUATION.match(math):
            for _, before in reversed(segments[max(0, i - _BRIDGE_WINDOW) : i]):
                sides = split_top_level(before)
                if len(sides) < 2:
                    continue  # a fragment: no relation of its own
                first = sides[0][1].strip()
                if first and _OPENS_CHAIN.search(first):
                    head = first
                break
        if head is not None:
            out.append((block, f"{head} {_CONTINUATION.sub('=', math, count=1).strip()}", True))
        else:
            out.append((block, math, False))
    return out


def objective_of(math: str) -> str | None:
    """``math`` without a leading ``\\min`` (the objective it minimises), or None when it has none.

    >>> objective_of(r"\\min_w \\|y - Xw\\|^2 = \\|y\\|^2")
    '\\\\|y - Xw\\\\|^2 = \\\\|y\\\\|^2'
    >>> objective_of(r"min ‖y-Xw‖^{2}=‖y‖^{2}")
    '‖y-Xw‖^{2}=‖y‖^{2}'
    >>> objective_of(r"\\arg\\min_w \\|y - Xw\\|^2") is None, objective_of("min(a, b) = a") is None
    (True, True)
    >>> objective_of("minimal = 2") is None, objective_of(r"x_{\\min} = 0") is None
    (True, True)
    """
    m = _MIN.match(math)
    if m is None:
        return None
    rest = math[m.end() :]
    bare = not m.group("sub") and not m.group(0).strip().startswith("\\")
    if not rest or (bare and rest[0].isalpha()):
        return None  # "minimal", "min x": words of a PDF's text layer, not an operator over a norm
    if _OPENS_ARGUMENTS.match(rest):
        return None  # min(a, b): a function of its arguments
    return rest


class Step(NamedTuple):
    """One equation of a proof, as read."""

    block: int | None
    """The transcript block it was read from (the first, for a chain continued on later lines)."""
    math: str
    """The chain of sides, in the rubric's symbols."""
    objective: bool = False
    """Read as the objective under a leading ``\\min`` (:func:`objective_of`): used to reach a target
    when it holds, never evidence of a false step."""
    bridged: bool = False
    """A continuation given the left side of a chain above it (:func:`bridge_continuations`): used to
    reach a target when it holds, never evidence of a false step."""

    @property
    def tentative(self) -> bool:
        """Whether the reading is uncertain (under ``\\min``, or bridged): it may reach a target when it
        holds, and is never evidence of a false step."""
        return self.objective or self.bridged
