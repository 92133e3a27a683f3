"""Quantities with units ("341 seconds", "~6 minutes", "94%", "3x speedup") and their checks.

Values are stored in a base unit per kind: time in seconds (``"s"``), percentages as fractions
(``"percent"``: 94% and 0.94 are both 0.94), ratios as plain numbers (``"ratio"``: "3x" is 3).

Precision rule (used by :func:`check_quantity`):

* A written value *matches* a reference when the reference rounds to it at the precision it is
  written with: "5.68 min" covers 340.5..341.1 s, "6 minutes" covers 330..390 s.
* It is *exact* when it also carries at least as many significant digits as the reference (capped
  at 3): 341 s needs 3 ("341 s", "5.68 min"); 94% needs 2 ("94%", "0.94").
* An exact match is correct. A coarser match ("~6 minutes" for 341 s) is correct only when it is
  marked approximate (~, ≈, about, roughly, around, approximately, nearly) or when an exact
  matching value accompanies it in the same claim ("341 s (~6 min)"); otherwise it is partial
  ("right to the precision written, but less precise than the reference").
* The claim's first quantity of the reference's kind is the one asserted; later ones are only
  used as such accompanying restatements.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from grader.checkers.text_utils import MAX_TEXT_CHARS, plain_text
from grader.verdicts import CheckResult

__all__ = [
    "Fact",
    "Quantity",
    "check_quantity",
    "exponent_superscripts",
    "facts_from_text",
    "parse_quantities",
    "quantity_matches",
    "unsupported_numbers",
]

_TIME_UNITS: dict[str, float] = {
    "ms": 1e-3,
    "millisecond": 1e-3,
    "milliseconds": 1e-3,
    "s": 1.0,
    "sec": 1.0,
    "secs": 1.0,
    "second": 1.0,
    "seconds": 1.0,
    "min": 60.0,
    "mins": 60.0,
    "minute": 60.0,
    "minutes": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "hrs": 3600.0,
    "hour": 3600.0,
    "hours": 3600.0,
    "day": 86400.0,
    "days": 86400.0,
    "week": 604800.0,
    "weeks": 604800.0,
}
_NUM = (
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:\s*(?:×|x|\*|\\times|\\cdot)\s*10\s*\^\s*\{?(?P<exp>[-−]?\d{1,3})\}?|[eE](?P<eexp>[-+]?\d{1,3}))?"
)
"""A number as written: thousands separators, decimals, and scientific notation (``1.68 × 10^7``,
``1.68e7``; superscript exponents are rewritten to ``^7`` first, see :func:`exponent_superscripts`)."""
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUPERSCRIPT_RUN = re.compile(r"10([⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+)")


def exponent_superscripts(text: str) -> str:
    """``10⁷`` -> ``10^7`` (a PDF's text layer keeps exponents as superscript digits)."""
    return _SUPERSCRIPT_RUN.sub(lambda m: "10^" + m.group(1).translate(_SUPERSCRIPT), text)


def _exponent(m: re.Match[str]) -> int:
    """The power of ten of a number match (0 without scientific notation)."""
    raw = m.group("exp") or m.group("eexp") or "0"
    return int(raw.replace("−", "-"))


_APPROX = re.compile(
    r"(?:~|≈|∼|\babout|\baround|\broughly|\bapproximately|\bapprox\.?|\bnearly|\balmost|\bsome|"
    r"\bon the order of|\bclose to)\s*$",
    re.I,
)
_QTY = re.compile(
    rf"(?<![\w.]){_NUM}\s*(?:"
    r"(?P<pct>%|percent\b|per\s*cent\b)|"
    r"(?P<ratio>(?:x|×)(?!\s*\d)(?![a-wyz])|-?fold\b|\s+times\b(?=\s+(?:faster|speed|quicker|fewer|less|"
    r"more|slower|reduction|improvement)))|"
    r"(?P<unit>ms|milliseconds?|secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?|s|h)\b"
    r")",
    re.I,
)
_BARE = re.compile(rf"(?<![\w.]){_NUM}(?![\w.%])")


@dataclass(frozen=True)
class Quantity:
    """A number with a unit kind as written in a text.

    Attributes:
        value: in the kind's base unit (seconds; fraction for percent; plain number for ratio).
        unit: "s" | "percent" | "ratio" | "number" (a bare number without a unit).
        text: the matched text ("341 seconds", "~6 minutes").
        written: the number as written, in the written unit (6.0 for "6 minutes").
        scale: base units per written unit (60.0 for minutes, 0.01 for percent).
        decimals: digits written after the decimal point (0 for "341").
        approx: marked approximate (~, ≈, about, roughly...).
        parenthesised: inside parentheses (a restatement of a neighbouring value).
        start: offset of the match in the plain text.
    """

    value: float
    unit: str
    text: str
    written: float
    scale: float
    decimals: int
    approx: bool = False
    parenthesised: bool = False
    start: int = 0

    @property
    def half_step(self) -> float:
        """Half a unit of the last written digit, in base units (the rounding tolerance)."""
        return 0.5 * 10.0 ** (-self.decimals) * self.scale

    @property
    def sig_digits(self) -> int:
        """Significant digits written (trailing zeros of an integer count as significant)."""
        digits = f"{self.written:.{self.decimals}f}".replace(".", "").lstrip("0")
        return max(1, len(digits))


@dataclass(frozen=True)
class Fact:
    """A number the source material states (for hallucination checks).

    Attributes:
        value: in the unit's base unit (see :class:`Quantity`).
        unit: "s" | "percent" | "ratio".
        sentence: the source sentence that states it.
    """

    value: float
    unit: str
    sentence: str


def _parse_num(raw: str) -> tuple[float, int]:
    raw = raw.replace(",", "")
    decimals = len(raw.split(".", 1)[1]) if "." in raw else 0
    return float(raw), decimals


def _base(written: float, scale: float) -> float:
    """``written * scale`` without binary noise (94% is 0.94, not 0.9400000000000001)."""
    return float(f"{written / 100 if scale == 0.01 else written * scale:.12g}")


def _in_parens(text: str, pos: int) -> bool:
    before = text[:pos]
    return before.rfind("(") > before.rfind(")")


def parse_quantities(text: str, *, bare: bool = False) -> list[Quantity]:
    """Every quantity with a time, percent or ratio unit in ``text``, in order.

    With ``bare=True`` unit-less numbers are returned too (unit ``"number"``, e.g. "0.94").

    >>> [(q.value, q.unit, q.approx) for q in parse_quantities("**297 seconds (~5 minutes)**, 94%")]
    [(297.0, 's', False), (300.0, 's', True), (0.94, 'percent', False)]
    """
    if not isinstance(text, str):
        return []
    plain = exponent_superscripts(plain_text(text[:MAX_TEXT_CHARS]).replace("\\%", "%"))
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in _QTY.finditer(plain):
        written, decimals = _parse_num(m.group("num"))
        if m.group("pct"):
            unit, scale = "percent", 0.01
        elif m.group("ratio"):
            unit, scale = "ratio", 1.0
        else:
            unit, scale = "s", _TIME_UNITS[m.group("unit").lower()]
        scale *= 10.0 ** _exponent(m)
        approx = bool(_APPROX.search(plain[max(0, m.start() - 20) : m.start()]))
        out.append(
            Quantity(
                value=_base(written, scale),
                unit=unit,
                text=m.group(0).strip(),
                written=written,
                scale=scale,
                decimals=decimals,
                approx=approx,
                parenthesised=_in_parens(plain, m.start()),
                start=m.start(),
            )
        )
        taken.append((m.start(), m.end()))
    if bare:
        for m in _BARE.finditer(plain):
            if any(a <= m.start() < b for a, b in taken):
                continue
            written, decimals = _parse_num(m.group("num"))
            power = 10.0 ** _exponent(m)
            out.append(
                Quantity(
                    value=_base(written, power),
                    unit="number",
                    text=m.group(0),
                    written=written,
                    scale=power,
                    decimals=decimals,
                    approx=bool(_APPROX.search(plain[max(0, m.start() - 20) : m.start()])),
                    parenthesised=_in_parens(plain, m.start()),
                    start=m.start(),
                )
            )
        out.sort(key=lambda q: q.start)
    return out


def _ref_sig_digits(value: float) -> int:
    """Significant digits of a reference value, capped at 3 (341 -> 3, 0.94 -> 2, 1/3 -> 3)."""
    if value == 0 or not math.isfinite(value):
        return 1
    if float(value).is_integer():
        digits = str(int(abs(value)))  # a reference of 300 s states 3 digits
    else:
        digits = f"{abs(value):.12g}".replace(".", "").lstrip("0")
    return min(3, len(digits))


def quantity_matches(q: Quantity, value: float) -> bool:
    """Whether ``value`` (base units) rounds to ``q`` at the precision ``q`` is written with.

    >>> quantity_matches(parse_quantities("5.68 min")[0], 341.0)
    True
    """
    return abs(q.value - value) <= q.half_step * (1 + 1e-9) + 1e-12 * max(abs(value), abs(q.value))


def _as_kind(q: Quantity, unit: str) -> Quantity | None:
    """``q`` read as a quantity of kind ``unit``; bare numbers are read in that kind's base unit."""
    if q.unit == unit:
        return q
    if q.unit != "number":
        return None
    value, scale = q.value, q.scale
    if unit == "percent" and q.value > 1.0:  # "94" is 94%; "0.94" is a fraction
        value, scale = _base(q.written, 0.01 * q.scale), 0.01 * q.scale
    return Quantity(value, unit, q.text, q.written, scale, q.decimals, q.approx, q.parenthesised, q.start)


def _fmt(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{value * 100:g}%"
    if unit == "ratio":
        return f"{value:g}x"
    if unit == "s":
        if value >= 3600:
            return f"{value:g} s ({value / 3600:.4g} h)"
        return f"{value:g} s" + (f" ({value / 60:.4g} min)" if value >= 60 else "")
    return f"{value:g}"


def check_quantity(claim: str, value: float, unit: str, *, display: str) -> CheckResult:
    """Check the quantity a claim states against ``value`` in base units of ``unit``.

    ``unit`` is "s", "percent" (value as a fraction) or "ratio"; the precision rule is in the
    module docstring.

    >>> check_quantity("~6 minutes", 341.0, "s", display="341 s").verdict
    'correct'
    >>> check_quantity("35 minutes", 297.0, "s", display="297 s").verdict
    'incorrect'
    """
    if unit not in {"s", "percent", "ratio"}:
        return CheckResult("unparseable", None, display, f"unknown unit kind {unit!r}", {})
    found = parse_quantities(claim, bare=True)
    # Prefer quantities with a written unit; fall back to bare numbers only when there are none.
    cands = [q for q in found if q.unit == unit]
    if not cands:
        cands = [c for c in (_as_kind(q, unit) for q in found if q.unit == "number") if c is not None]
    evidence: dict[str, object] = {
        "quantities": [{"text": q.text, "value": q.value, "unit": q.unit, "approx": q.approx} for q in cands],
        "reference_value": value,
        "unit": unit,
    }
    if not cands:
        others = [q.text for q in found if q.unit not in (unit, "number")]
        why = f"no {unit} quantity found in the claim"
        if others:  # a quantity of another kind may be the wrong line read, not a wrong answer
            why += " (found " + ", ".join(others) + ", of another kind)"
            return CheckResult("unparseable", ", ".join(others), display, why, evidence)
        return CheckResult("unparseable", None, display, why, evidence)
    primary = next((q for q in cands if not q.parenthesised), cands[0])
    interpreted = f"{'~' if primary.approx else ''}{primary.text} = {_fmt(primary.value, unit)}"
    need = _ref_sig_digits(value)
    evidence["required_digits"] = need
    if not quantity_matches(primary, value):
        why = f"{primary.text} is {_fmt(primary.value, unit)}, the reference is {display}"
        return CheckResult("incorrect", interpreted, display, why, evidence)
    if primary.sig_digits >= need:
        return CheckResult("correct", interpreted, display, f"{primary.text} matches {display}", evidence)
    exact_companion = next(
        (q for q in cands if q is not primary and quantity_matches(q, value) and q.sig_digits >= need), None
    )
    if exact_companion is not None:
        why = f"{exact_companion.text} matches {display}; {primary.text} restates it approximately"
        return CheckResult("correct", interpreted, display, why, evidence)
    if primary.approx:
        why = f"{primary.text} is marked approximate and agrees with {display} at that precision"
        return CheckResult("correct", interpreted, display, why, evidence)
    why = (
        f"{primary.text} agrees with {display} only to the precision written ({primary.sig_digits} "
        f"significant digit(s), {need} needed) and is not marked approximate"
    )
    return CheckResult("partial", interpreted, display, why, evidence)


def facts_from_text(source: str) -> list[Fact]:
    """Every time, percent and ratio the source text states, each with its sentence.

    >>> [(f.value, f.unit) for f in facts_from_text("It took 341s. Accuracy was 94%.")]
    [(341.0, 's'), (0.94, 'percent')]
    """
    if not isinstance(source, str):
        return []
    facts: list[Fact] = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", plain_text(source[:MAX_TEXT_CHARS])):
        for q in parse_quantities(sentence):
            facts.append(Fact(q.value, q.unit, sentence.strip()))
    return facts


def _supported(q: Quantity, facts: list[Fact]) -> Fact | tuple[Fact, Fact] | None:
    """A fact (or a pair whose ratio) supports ``q`` at its written precision."""
    slack = q.half_step if not q.approx else max(q.half_step, 0.1 * abs(q.value))
    same = [f for f in facts if f.unit == q.unit]
    for f in same:
        if abs(f.value - q.value) <= slack * (1 + 1e-9):
            return f
    if q.unit == "ratio":  # "1.15x faster" may be derived from two times of the source
        times = [f for f in facts if f.unit == "s" and f.value > 0]
        for a in times:
            for b in times:
                if a is not b and abs(a.value / b.value - q.value) <= slack * (1 + 1e-9):
                    return (a, b)
    return None


def unsupported_numbers(text: str, facts: list[Fact]) -> list[tuple[Quantity, str]]:
    """Times, percentages and ratios in ``text`` that no fact of the source supports, with why.

    A quantity is supported when a fact of the same kind rounds to it at the precision it is
    written with (10% slack when it is marked approximate); a ratio is also supported by the
    ratio of two times of the source.

    >>> facts = facts_from_text("The baseline reached 94% in 341s; we got to 297s.")
    >>> [(q.text, why[:24]) for q, why in unsupported_numbers("18 hours, 94%, ~5 minutes", facts)]
    [('18 hours', 'no time in the source is')]
    """
    out: list[tuple[Quantity, str]] = []
    for q in parse_quantities(text):
        if _supported(q, facts) is not None:
            continue
        same = [f for f in facts if f.unit == q.unit]
        kind = {"s": "time", "percent": "percentage", "ratio": "ratio"}[q.unit]
        why = f"no {kind} in the source is {_fmt(q.value, q.unit)}"
        if same:
            listed = ", ".join(list(dict.fromkeys(_fmt(f.value, f.unit) for f in same))[:8])
            why += f" (the source states {listed})"
        else:
            why += f" (the source states no {kind} at all)"
        out.append((q, why))
    return out
