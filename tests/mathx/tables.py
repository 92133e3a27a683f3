"""Symbol tables of the homework problems used across the math-engine tests."""

from grader.mathx import SymbolSpec, SymbolTable

HW2_Q1 = SymbolTable(
    symbols={
        "alpha": SymbolSpec("alpha", positive=True, aliases=(r"\alpha", "α")),
        "g": SymbolSpec(
            "g", "vector", ("d",), aliases=(r"\nabla f(\theta)", r"\nabla_\theta f", r"\nabla f")
        ),
        "u": SymbolSpec("u", "vector", ("d",), aliases=(r"\Delta\theta", r"\Delta \theta", "Δθ")),
    },
    dims={"d": (2, 6)},
    functions=("f",),
)

HW2_Q2 = SymbolTable(
    symbols={
        "a": SymbolSpec("a", "vector", (3,), value=(1.0, 0.1, 0.01), aliases=(r"\mathbf{a}",)),
        "theta": SymbolSpec("theta", "vector", (3,)),
    }
)

HW2_Q5 = SymbolTable(
    symbols={
        "n": SymbolSpec("n", integer=True, min=2, max=16),
        "p": SymbolSpec("p", integer=True, positive=True, multiple_of="n"),
    }
)

HW7_Q3 = SymbolTable(
    symbols={
        "X": SymbolSpec("X", "matrix", ("m", "N")),
        "W1": SymbolSpec("W1", "matrix", ("k", "m")),
        "W2": SymbolSpec("W2", "matrix", ("m", "k")),
        "U_k": SymbolSpec("U_k", "matrix", ("m", "k"), orthonormal_columns=True),
    },
    dims={"m": (4, 6), "k": (2, 3), "N": (7, 9)},
)

RIDGE = SymbolTable(
    symbols={
        "X": SymbolSpec("X", "matrix", ("n", "d")),
        "y": SymbolSpec("y", "vector", ("n",)),
        "w": SymbolSpec("w", "vector", ("d",)),
        "lambda": SymbolSpec("lambda", positive=True, aliases=(r"\lambda", "λ")),
    },
    dims={"n": (5, 8), "d": (2, 4)},
)
"""Ridge regression (an augmented design matrix stacks X over sqrt(lambda) I, y over 0)."""
