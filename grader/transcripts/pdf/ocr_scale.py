"""How large an image's text comes out in pixels, so that small print is enlarged before OCR.

Tesseract reads print whose lines are some twenty pixels high or more; a screenshot pasted at its own
resolution from a narrow window (or a high-density screen scaled down) often has lines of ten or
twelve pixels, which it garbles ("Lets carve tne trs-order" for "Let's derive the first-order"). The
height of the text lines is measured from the pixels themselves, before any OCR: rows of the image
that hold ink come in runs, one run per line of text, separated by the blank rows of the line
spacing. The median run is the line height; an image whose lines fall short of
:data:`TARGET_LINE_PX` is rendered larger by the factor that brings them there (at most
:data:`MAX_UPSCALE`).
"""

from __future__ import annotations

from typing import Any

TARGET_LINE_PX = 22.0
"""Line height (pixels, ascender to descender) at which Tesseract reads chat print well."""
MAX_UPSCALE = 2.0
"""Largest enlargement: past it the strokes only blur and the OCR time grows for nothing."""
PROBE_PX = 1200
"""Height of the strip of an image whose text lines are measured before OCR."""
MAX_UPSCALED_WIDTH_PX = 2600.0
"""Widest rendering of an image enlarged because its print is small."""
MIN_RUNS = 5
"""Fewest text-like runs of inked rows for a measurement (a photo or a chart gives none or few)."""


def line_height_px(pixels: Any) -> float | None:
    """The median height, in pixels, of the text lines of an RGB uint8 image (``None`` when the image
    holds too few lines of text to tell).

    A row holds ink when a few of its pixels stand apart from the row's own commonest shade (so a
    shaded bubble or a dark theme is its own background); runs of such rows between blank rows are
    the lines. Runs too short for a letter or too tall for a line (a picture, a table's frame) are
    left out."""
    import numpy as np

    if pixels is None or pixels.ndim != 3 or pixels.shape[0] < 8 or pixels.shape[1] < 8:
        return None
    grey = pixels[:, :: max(1, pixels.shape[1] // 800)].mean(axis=2)
    background = np.median(grey, axis=1, keepdims=True)
    apart = np.abs(grey - background) > 60
    inked = apart.mean(axis=1) > 0.004
    runs: list[int] = []
    length = 0
    for row in inked.tolist():
        if row:
            length += 1
        elif length:
            runs.append(length)
            length = 0
    if length:
        runs.append(length)
    lines = [n for n in runs if 4 <= n <= 120]
    if len(lines) < MIN_RUNS:
        return None
    return float(np.median(lines))


def upscale(height: float | None) -> float:
    """The enlargement that brings text lines of ``height`` pixels to :data:`TARGET_LINE_PX` (1.0 for
    print already large enough, or when nothing was measured).

    >>> upscale(11.0), upscale(30.0), upscale(None), upscale(16.0)
    (2.0, 1.0, 1.0, 1.375)
    """
    if height is None or height >= TARGET_LINE_PX:
        return 1.0
    return min(MAX_UPSCALE, TARGET_LINE_PX / height)


def enlargement(page: Any, rect: tuple[float, float, float, float], dpi: float) -> float:
    """How much larger than ``dpi`` to render the image in ``rect`` so that its print is not too small
    for Tesseract: measured on a strip from the middle of the image, within
    :data:`MAX_UPSCALED_WIDTH_PX`."""
    import numpy as np
    import pymupdf

    x0, y0, x1, y1 = rect
    strip_pt = PROBE_PX * 72.0 / dpi
    middle = (y0 + y1) / 2
    top, bottom = max(y0, middle - strip_pt / 2), min(y1, middle + strip_pt / 2)
    if x1 - x0 < 1 or bottom - top < 1:
        return 1.0
    pix = page.get_pixmap(dpi=int(dpi), clip=pymupdf.Rect(x0, top, x1, bottom), annots=False, alpha=False)
    if pix.n != 3:
        pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
    rows = np.frombuffer(pix.samples_mv, dtype=np.uint8).reshape(pix.height, pix.stride)
    pixels = rows[:, : pix.width * 3].reshape(pix.height, pix.width, 3)
    factor = upscale(line_height_px(pixels))
    widest = MAX_UPSCALED_WIDTH_PX / max(1.0, (x1 - x0) * dpi / 72.0)
    return max(1.0, min(factor, widest))
