"""Formula glyphs a browser print (KaTeX) places one by one: accents over letters, radical signs drawn
as paths, and spans whose glyphs do not follow one another (a script of another span between them)."""

from __future__ import annotations

from typing import Any

from grader.transcripts.pdf.accents import attach_accents, radical_spans
from grader.transcripts.pdf.katex import Piece, pieces_text
from grader.transcripts.pdf.layout import _split_at_gaps


def _pc(text: str, x0: float, x1: float, baseline: float, size: float = 14.5, katex: bool = True) -> Piece:
    font = "KaTeX_Math-Italic" if katex else "Helvetica"
    return Piece(text, x0, x1, baseline - 11, baseline + 3, baseline, size, font, 0, katex)


# --------------------------------------------------------------------------- accents


def test_a_hat_over_a_letter_goes_back_on_it() -> None:
    # as printed: y, its hat a point to the right; X, its hat raised four points (a line of its own)
    pieces = [_pc("y", 130.4, 137.5, 231.0), _pc("^", 131.4, 138.7, 231.0), _pc("-", 141.2, 152.5, 231.0)]
    pieces += [_pc("X", 155.8, 167.8, 231.0), _pc("^", 159.9, 167.2, 227.2), _pc("w", 168.9, 179.3, 231.0)]
    out, n = attach_accents(pieces)
    assert n == 2
    assert pieces_text(out, 231.0, 14.5) == "\\hat{y}-\\hat{X}w"


def test_a_tilde_and_a_letter_in_one_run() -> None:
    out, n = attach_accents([_pc("Xw", 100.0, 122.0, 50.0), _pc("~", 103.0, 110.0, 41.0)])
    assert n == 1 and [p.text for p in out] == ["\\tilde{X}w"]


def test_what_is_no_accent_over_a_letter_stays() -> None:
    cases = [
        [_pc("X", 100.0, 112.0, 50.0), _pc("^", 130.0, 137.0, 50.0)],  # beside, not over
        [_pc("X", 100.0, 112.0, 50.0), _pc("^", 103.0, 110.0, 50.0, size=8.0)],  # a script's size
        [_pc("X", 100.0, 112.0, 50.0), _pc("^", 103.0, 110.0, 20.0)],  # two lines higher
        [_pc("2", 100.0, 107.0, 50.0), _pc("^", 101.0, 106.0, 46.0)],  # over a digit
        [_pc("X", 100.0, 112.0, 50.0, katex=False), _pc("^", 103.0, 110.0, 46.0, katex=False)],  # not KaTeX
    ]
    for pieces in cases:
        out, n = attach_accents(pieces)
        assert n == 0 and out == pieces


# --------------------------------------------------------------------------- radical signs drawn as paths


class _Rect:
    def __init__(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def _span(text: str, x0: float, x1: float, top: float, size: float = 14.5) -> dict[str, Any]:
    return {"text": text, "bbox": (x0, top, x1, top + size), "origin": (x0, top + 10.4), "size": size}


def test_a_radical_path_gives_a_root_sign_before_its_radicand() -> None:
    surd = {"fill": (0, 0, 0), "rect": _Rect(343.0, 239.7, 6161.4, 254.2), "items": [("c",)] * 26}
    lam = _span("λ", 354.1, 362.6, 242.4)
    (root,) = radical_spans([surd], 612.0, [lam])
    assert root["text"] == "√" and root["origin"][1] == lam["origin"][1] and root["bbox"][2] <= 354.1


def test_other_paths_give_no_root_sign() -> None:
    lam = _span("λ", 354.1, 362.6, 242.4)
    bubble = {"fill": (0.9, 0.9, 0.9), "rect": _Rect(300.0, 230.0, 560.0, 260.0), "items": [("c",)] * 8}
    bar = {"fill": (0, 0, 0), "rect": _Rect(343.0, 246.0, 6161.4, 247.0), "items": [("re",)]}
    few = {"fill": (0, 0, 0), "rect": _Rect(343.0, 239.7, 6161.4, 254.2), "items": [("l",)] * 2}
    unfilled = {"fill": None, "rect": _Rect(343.0, 239.7, 6161.4, 254.2), "items": [("c",)] * 26}
    assert radical_spans([bubble, bar, few, unfilled], 612.0, [lam]) == []
    lone = {"fill": (0, 0, 0), "rect": _Rect(343.0, 239.7, 6161.4, 254.2), "items": [("c",)] * 26}
    assert radical_spans([lone], 612.0, [_span("y", 500.0, 507.0, 242.4)]) == []  # nothing under it


# --------------------------------------------------------------------------- spans cut where glyphs jump


def _raw(font: str, chars: list[tuple[str, float, float]], size: float = 14.5) -> dict[str, Any]:
    return {
        "font": font,
        "size": size,
        "bbox": (chars[0][1], 218.0, chars[-1][2], 235.0),
        "origin": (chars[0][1], 231.0),
        "chars": [{"c": c, "bbox": (x0, 218.0, x1, 235.0), "origin": (x0, 231.0)} for c, x0, x1 in chars],
    }


def test_a_katex_span_is_cut_where_another_spans_script_sits() -> None:
    # "‖" and "=" in one span, with the raised "2" of another span in the gap between them
    runs = _split_at_gaps(_raw("KaTeX_Main-Regular", [("∥", 179.7, 187.0), ("=", 196.8, 208.1)]))
    assert [r["text"] for r in runs] == ["∥", "="]
    assert [r["bbox"][0] for r in runs] == [179.7, 196.8]


def test_glyphs_that_follow_one_another_stay_one_run() -> None:
    chars = [("m", 96.5, 108.6), ("i", 108.6, 112.6), ("n", 112.6, 120.7)]
    assert [r["text"] for r in _split_at_gaps(_raw("KaTeX_Main-Regular", chars))] == ["min"]
    # prose is not cut at a gap between its glyphs (justified text)
    wide = [("a", 10.0, 16.0), ("b", 30.0, 36.0)]
    assert [r["text"] for r in _split_at_gaps(_raw("Helvetica", wide))] == ["ab"]
