"""Scripts that KaTeX sets off the row they belong to: a subscript under a fraction's bar, the power
of a tall bracket. Read back from the glyphs' geometry, they are scripts; left out, the formula says
something else (``\\frac{p}{p}`` for ``\\frac{p}{p_{ref}}``, ``(a/b)`` for ``(a/b)^2``).

The spans are laid out the way a browser's KaTeX print lays them out (sizes, baselines, a tall bracket
whose box spans the fraction it closes), with invented formulas.
"""

from __future__ import annotations

from typing import Any

import pytest

pymupdf = pytest.importorskip("pymupdf")

from grader.transcripts.pdf import read_pdf  # noqa: E402
from grader.transcripts.pdf.katex import Piece, Rule, katex_fraction  # noqa: E402
from grader.transcripts.pdf.layout import _MISBUILT, page_rows  # noqa: E402
from tests.transcripts_pdf.pdfgen import build, rule, texts  # noqa: E402

MAIN, SCRIPT = 14.2, 9.9


def _span(
    text: str,
    x0: float,
    x1: float,
    base: float,
    size: float,
    top: float | None = None,
    bottom: float | None = None,
    font: str = "KaTeX_Math-Italic",
) -> dict[str, Any]:
    top = base - 0.75 * size if top is None else top
    bottom = base + 0.25 * size if bottom is None else bottom
    return {
        "text": text,
        "bbox": (x0, top, x1, bottom),
        "origin": (x0, base),
        "size": size,
        "font": font,
        "color": 0,
        "flags": 0,
    }


def _rows(spans: list[dict[str, Any]], rules: list[Rule]) -> list[Any]:
    return page_rows(spans, rules, 1, [], set())


def _fraction_with_subscripted_denominator(sub_drop: float) -> list[dict[str, Any]]:
    """``v = \\frac{q(z)}{q_{old}(z)}``: bar at y = 300, the row's baseline at 304."""
    return [
        _span("v", 100, 108, 304, MAIN),
        _span("=", 112, 123, 304, MAIN, font="KaTeX_Main-Regular"),
        _span("q(z)", 130, 160, 294.3, MAIN),
        _span("q", 130, 138, 313.4, MAIN),
        _span("old", 138, 152, 313.4 + sub_drop, SCRIPT, font="KaTeX_Main-Regular"),
        _span("(z)", 152, 172, 313.4, MAIN),
    ]


def test_subscript_under_a_fraction_bar_stays_in_the_denominator() -> None:
    rows = _rows(_fraction_with_subscripted_denominator(2.2), [Rule(128, 174, 300)])
    text = " ".join(r.text for r in rows)
    assert "\\frac{q(z)}{q_{old}(z)}" in text.replace(" ", "")
    assert not any(r.text.strip() == "old" for r in rows)  # no line of its own


def test_subscript_of_the_numerator_stays_in_the_numerator() -> None:
    spans = [
        _span("w", 100, 110, 304, MAIN),
        _span("=", 112, 123, 304, MAIN, font="KaTeX_Main-Regular"),
        _span("k", 130, 138, 294.3, MAIN),
        _span("new", 138, 154, 296.5, SCRIPT, font="KaTeX_Main-Regular"),
        _span("m", 134, 146, 313.4, MAIN),
    ]
    text = " ".join(r.text for r in _rows(spans, [Rule(128, 156, 300)]))
    assert "\\frac{k_{new}}{m}" in text.replace(" ", "")


def test_run_far_below_the_denominator_is_not_its_script() -> None:
    # a small run a whole line below the bar belongs to the next line, not to the denominator
    spans = _fraction_with_subscripted_denominator(2.2)[:4] + [
        _span("(z)", 138, 158, 313.4, MAIN),
        _span("note", 130, 150, 340, SCRIPT, font="KaTeX_Main-Regular"),
    ]
    text = " ".join(r.text for r in _rows(spans, [Rule(128, 174, 300)]))
    assert "note" not in text.split("\\frac", 1)[1].split("}", 2)[1]


def _squared_fraction(exponent_x: float) -> list[dict[str, Any]]:
    """``u = (\\frac{a^2}{a^2 + 1})^2``: tall brackets around the fraction, the power at the top right."""
    return [
        _span("u", 100, 108, 546.7, MAIN),
        _span("=", 112, 123, 546.7, MAIN, font="KaTeX_Main-Regular"),
        _span("(", 126, 136, 546.7, MAIN, top=526.1, bottom=560.2, font="KaTeX_Size3-Regular"),
        _span("a", 146, 154, 537.1, MAIN),
        _span("2", 154.5, 159.5, 532.0, SCRIPT, font="KaTeX_Main-Regular"),
        _span("a", 136, 144, 557.0, MAIN),
        _span("2", 144.5, 149.5, 552.6, SCRIPT, font="KaTeX_Main-Regular"),
        _span("+ 1", 152, 172, 557.0, MAIN, font="KaTeX_Main-Regular"),
        _span(")", 172, 182, 546.7, MAIN, top=526.1, bottom=560.2, font="KaTeX_Size3-Regular"),
        _span("2", exponent_x, exponent_x + 5, 529.1, SCRIPT, font="KaTeX_Main-Regular"),
    ]


def test_power_of_a_tall_bracket_is_its_superscript() -> None:
    rows = _rows(_squared_fraction(182.0), [Rule(136, 172, 543)])
    text = "".join(r.text for r in rows).replace(" ", "")
    assert ")^{2}" in text
    assert not any(r.text.strip() == "2" for r in rows)


def test_small_run_away_from_the_bracket_is_not_its_power() -> None:
    # the same "2" set well to the right of the bracket is no script of it
    rows = _rows(_squared_fraction(230.0), [Rule(136, 172, 543)])
    assert ")^{2}" not in "".join(r.text for r in rows).replace(" ", "")


def test_printed_fraction_keeps_its_denominator_subscript() -> None:
    # the same layout drawn into a PDF (KaTeX-named font) and read as a whole page (PyMuPDF gives runs
    # that share a line one origin, so the denominator ends with its subscript here)
    pdf = build(
        [
            [
                ("text", 50, 100, "The value of the ratio follows."),
                ("math", 100, 304, "v =", MAIN),
                ("math", 130, 294.3, "q(z)", MAIN),
                rule(128, 174, 300),
                ("math", 130, 313.4, "q", MAIN),
                ("math", 137.2, 315.6, "old", SCRIPT),
            ]
        ]
    )
    joined = " ".join(texts(read_pdf(pdf, "ratio.pdf"))).replace(" ", "")
    assert "{q_{old}}" in joined


def _kpiece(
    text: str, x0: float, x1: float, base: float, size: float, rebuilt: tuple[str, ...] = ()
) -> Piece:
    return Piece(
        text,
        x0,
        x1,
        base - 0.75 * size,
        base + 0.25 * size,
        base,
        size,
        "KaTeX_Main-Regular",
        0,
        True,
        rebuilt=rebuilt,
    )


@pytest.mark.parametrize(
    "run,rebuilt,taken",
    [
        ("ref", (), True),  # a short plain run hanging below the denominator: its subscript
        ("\\frac{a}{b}", ("frac",), False),  # a nested fraction set smaller: structure, not a script
        ("and the rest", (), False),  # a long run: text, not a script
    ],
)
def test_only_short_plain_runs_join_a_fraction_row_as_scripts(
    run: str, rebuilt: tuple[str, ...], taken: bool
) -> None:
    pieces = [
        _kpiece("k(z)", 130, 160, 294.3, MAIN),
        _kpiece("q", 130, 138, 313.4, MAIN),
        _kpiece(run, 138, 152, 315.6, SCRIPT, rebuilt),
    ]
    parts = katex_fraction(Rule(128, 174, 300), pieces)
    assert parts is not None
    assert any(p.text == run for p in parts[1]) is taken


@pytest.mark.parametrize(
    "text,misbuilt",
    [
        ("e_{i}=-\\frac{b_{i}}{W_{i}}_{′}", True),  # a prime set as a subscript: it lost its base
        (
            "\\frac{1}{n}\\begin{bmatrix} ) \\\\ \\frac{a}{b} \\end{bmatrix}",
            True,
        ),  # a bracket taken for a row
        ("\\begin{bmatrix} a \\\\ ] \\end{bmatrix}", True),
        ("x_{i}^{′} = \\frac{a}{b}", False),
        ("\\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}", False),
    ],
)
def test_structure_rebuilt_wrong_is_recognised(text: str, misbuilt: bool) -> None:
    # a formula with such structure is marked lossy: it does not say what was written
    assert bool(_MISBUILT.search(text)) is misbuilt
