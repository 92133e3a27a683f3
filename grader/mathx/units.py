"""Units of measurement: which physical quantity a unit measures and its size in a base unit.

``3 min`` and ``180 s`` are the same amount of time, ``1.5 km`` and ``1500 m`` the same length, ``341 ms``
is not ``341 s``. :func:`unit_of` reads a unit as written (``s``, ``seconds``, ``\\mu s``, ``KB``...);
:func:`convert` gives the factor from one unit to another of the same dimension; :func:`find_quantities`
lists the quantities (a number followed by a known unit) of a free-form text with where they stand, for
answers written in prose ("each load must take 50 ns").

Dimensions: ``time`` (base s), ``length`` (m), ``mass`` (g), ``data`` (bytes; a bit is 1/8).
Short unit names are matched as written (``ms`` is not ``Ms``, ``mB`` is not a megabyte), longer ones
in any case (``Seconds``); an unknown unit gives None and leaves the comparison to the bare numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

_TIME = {
    "ns": Fraction(1, 10**9), "nanosecond": Fraction(1, 10**9), "us": Fraction(1, 10**6),
    "μs": Fraction(1, 10**6), "µs": Fraction(1, 10**6), "microsecond": Fraction(1, 10**6),
    "ms": Fraction(1, 1000), "millisecond": Fraction(1, 1000), "msec": Fraction(1, 1000),
    "s": Fraction(1), "sec": Fraction(1), "secs": Fraction(1), "second": Fraction(1),
    "min": Fraction(60), "mins": Fraction(60), "minute": Fraction(60),
    "h": Fraction(3600), "hr": Fraction(3600), "hrs": Fraction(3600), "hour": Fraction(3600),
    "day": Fraction(86400), "week": Fraction(604800),
}  # fmt: skip
_LENGTH = {
    "nm": Fraction(1, 10**9), "um": Fraction(1, 10**6), "μm": Fraction(1, 10**6), "mm": Fraction(1, 1000),
    "cm": Fraction(1, 100), "m": Fraction(1), "km": Fraction(1000), "meter": Fraction(1),
    "metre": Fraction(1), "kilometer": Fraction(1000), "kilometre": Fraction(1000),
    "centimeter": Fraction(1, 100), "millimeter": Fraction(1, 1000),
}  # fmt: skip
_MASS = {
    "mg": Fraction(1, 1000), "g": Fraction(1), "kg": Fraction(1000), "gram": Fraction(1),
    "kilogram": Fraction(1000), "milligram": Fraction(1, 1000),
}  # fmt: skip
_DATA = {
    "B": Fraction(1), "byte": Fraction(1), "KB": Fraction(10**3), "kB": Fraction(10**3),
    "MB": Fraction(10**6), "GB": Fraction(10**9), "TB": Fraction(10**12), "KiB": Fraction(2**10),
    "MiB": Fraction(2**20), "GiB": Fraction(2**30), "TiB": Fraction(2**40), "bit": Fraction(1, 8),
    "Gb": Fraction(10**9, 8), "Mb": Fraction(10**6, 8),
}  # fmt: skip
_TABLES = {"time": _TIME, "length": _LENGTH, "mass": _MASS, "data": _DATA}
_FOLDED = {"B", "KB", "kB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB", "Gb", "Mb"}
"""Units whose case carries meaning (bytes and bits): never matched in another case."""


@dataclass(frozen=True)
class Unit:
    """A known unit: the dimension it measures and its size in the dimension's base unit."""

    name: str
    dimension: str
    factor: Fraction


def unit_of(written: str) -> Unit | None:
    """The unit ``written`` names (``\\text{ seconds}``, ``ns``, ``\\mu s``), or None when unknown.

    Example:
        >>> unit_of("minutes").factor, unit_of(r"\\mathrm{km}").dimension
        (Fraction(60, 1), 'length')
    """
    name = re.sub(r"\\(?:text|mathrm|textrm|mbox|operatorname)\s*\{([^{}]*)\}", r"\1", written)
    name = re.sub(r"\\mu\s*", "μ", name).replace("\\,", "").strip().strip("{}").strip()
    if not name or len(name) > 12:
        return None
    for candidate in (name, _singular(name)):
        for dimension, table in _TABLES.items():
            if candidate in table:
                return Unit(candidate, dimension, table[candidate])
            lower = candidate.lower()  # Seconds, Minutes; never for short names (ms, Ms, mB)
            if len(candidate) > 3 and lower in table and lower not in _FOLDED:
                return Unit(lower, dimension, table[lower])
    return None


def _singular(name: str) -> str:
    return name[:-1] if len(name) > 3 and name.endswith("s") else name


def convert(src: Unit, dst: Unit) -> Fraction | None:
    """How many ``dst`` make one ``src`` (None across dimensions). Example: min → s gives 60."""
    if src.dimension != dst.dimension:
        return None
    return src.factor / dst.factor


# ---------------------------------------------------------------------------------------------- in prose

_NUMBER = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_UNIT_TEXT = (
    r"(?:\\(?:text|mathrm|textrm|mbox|operatorname)\s*\{\s*(?P<u1>[^{}]{1,14}?)\s*\}"
    r"|(?P<u2>(?:\\mu\s*|μ|µ)?[A-Za-z]{1,12})\b)"
)
_QUANTITY = re.compile(
    r"(?<![\w.^_])" + _NUMBER + r"(?:\s|~|\$|\\[,;! ]|\\q?quad)*" + _UNIT_TEXT,
)
_APPROX_BEFORE = re.compile(r"(?:~|≈|\\approx|\babout|\baround|\broughly|\bapproximately|\bnearly)\s*\$?\s*$")


@dataclass(frozen=True)
class FoundQuantity:
    """A number with a known unit found in a text.

    Attributes:
        value: the number as written (exact).
        places: decimal places written (None for an integer).
        unit: its unit.
        start: offset in the text.
        emphasis: in a box or in Markdown bold.
        aside: inside a parenthesis of prose ("(about 5.7 minutes)") or after an "about".
    """

    value: Fraction
    places: int | None
    unit: Unit
    start: int
    emphasis: bool
    aside: bool


def find_quantities(text: str) -> list[FoundQuantity]:
    """The quantities of a text (a number and a known unit), in order.

    Example:
        >>> [(q.value, q.unit.name) for q in find_quantities("took **341 s** (about 5.7 minutes)")]
        [(Fraction(341, 1), 's'), (Fraction(57, 10), 'minute')]
    """
    out: list[FoundQuantity] = []
    bold = [(m.start(), m.end()) for m in re.finditer(r"\*\*[^*]+\*\*|\\boxed\s*\{[^{}]*\}", text)]
    parens = _paren_spans(text)
    for m in _QUANTITY.finditer(text):
        unit = unit_of(m.group("u1") or m.group("u2") or "")
        if unit is None:
            continue
        raw = m.group("num").replace(",", "")
        value = Fraction(raw)
        places = len(raw.partition(".")[2]) if "." in raw else None
        at = m.start()
        out.append(
            FoundQuantity(
                value,
                places,
                unit,
                at,
                emphasis=any(a <= at < b for a, b in bold),
                aside=any(a <= at < b for a, b in parens) or bool(_APPROX_BEFORE.search(text[:at])),
            )
        )
    return out


def _paren_spans(text: str) -> list[tuple[int, int]]:
    """Parentheses of prose (opened after a space, holding a word of three letters or more)."""
    return [
        (m.start(), m.end())
        for m in re.finditer(r"(?<=\s)\(([^()]{2,200})\)", text)
        if re.search(r"[A-Za-z]{3,}", m.group(1))
    ]


def stated_quantity(text: str, dimension: str) -> FoundQuantity | None:
    """The quantity of a dimension a text states as its answer: one in a box or in bold, else the last
    one that is not an aside, else the last one.

    Example:
        >>> stated_quantity("costs 500 ns over 10 loads, so each takes 50 ns", "time").value
        Fraction(50, 1)
    """
    found = [q for q in find_quantities(text) if q.unit.dimension == dimension]
    if not found:
        return None
    for pool in ([q for q in found if q.emphasis], [q for q in found if not q.aside], found):
        if pool:
            return pool[-1]
    return None


def whole_quantity(text: str) -> FoundQuantity | None:
    """The quantity a text is, when it is nothing but one number and a known unit (``50\\,\\text{ns}``).

    Example:
        >>> whole_quantity(r"341\\,\\text{s}").unit.name, whole_quantity("341 s, about 6 min")
        ('s', None)
    """
    found = find_quantities(text)
    if len(found) != 1:
        return None
    m = _QUANTITY.match(text, found[0].start)
    rest = text[: found[0].start] + (text[m.end() :] if m else "")
    return found[0] if m and not re.sub(r"[\s$.{}]|\\[,;! ]", "", rest) else None


def same_amount(answer: FoundQuantity, reference: FoundQuantity) -> tuple[bool, str] | None:
    """Whether two quantities are the same amount: exactly, or at the precision either is written
    with (:func:`grader.mathx.numbers.matches_written`); None across dimensions.

    Example:
        >>> same_amount(find_quantities("5.68 min")[0], find_quantities("341 s")[0])
        (True, '5.68 min is 341 s')
    """
    from grader.mathx.numbers import matches_written

    factor = convert(reference.unit, answer.unit)
    if factor is None:
        return None
    ref_in_answer_unit = reference.value * factor
    shown = f"{_show(answer)} is {_show(reference)}"
    if answer.value == ref_in_answer_unit:
        return True, shown
    if answer.places is not None:
        ok = matches_written(float(answer.value), float(ref_in_answer_unit), 10.0**-answer.places)
    elif reference.places is not None:
        ok = matches_written(float(reference.value), float(answer.value / factor), 10.0**-reference.places)
    else:
        ok = False
    if ok:
        return True, shown
    return False, f"{_show(answer)} is not {_show(reference)}"


def _show(q: FoundQuantity) -> str:
    value = f"{float(q.value):.{q.places}f}" if q.places is not None else str(q.value)
    return f"{value} {q.unit.name}"
