"""The print of an OCR'd line: the colour its letters are drawn in, measured from the pixels.

A text layer says each span's colour; a screenshot does not, so the reader measures it: among the pixels
of a line's box, those farthest from the background are the cores of the letters' strokes (the rest are
anti-aliased edges and background). Their colour is the line's ink. How far the ink stands from the
background (its *contrast*) is what a chat UI changes to print something apart from the answer: visible
reasoning in a dim grey, a collapsed "thinking" summary, a caption.
"""

from __future__ import annotations

import re
from typing import Any

Colour = tuple[float, float, float]

_WORDLIKE = re.compile(r"[^\W_]{2,}")
MIN_STROKE = 0.15
"""Least distance from the background (0-1, per channel) that a pixel needs to count as ink."""


def luma(colour: Colour) -> float:
    """Perceived lightness of an RGB colour of 0-1 channels, 0 (black) to 1 (white).

    >>> luma((1.0, 1.0, 1.0)), luma((0.0, 0.0, 0.0))
    (1.0, 0.0)
    """
    r, g, b = colour
    return round(0.299 * r + 0.587 * g + 0.114 * b, 4)


def contrast(ink: Colour, background: Colour) -> float:
    """How far a line's ink stands from what it is printed on, 0 (invisible) to 1 (black on white).

    >>> contrast((0.0, 0.0, 0.0), (1.0, 1.0, 1.0)), contrast((0.6, 0.6, 0.6), (0.1, 0.1, 0.1))
    (1.0, 0.5)
    """
    return round(abs(luma(ink) - luma(background)), 4)


def ink_colour(pixels: Any, box: tuple[int, int, int, int], background: Colour) -> Colour | None:
    """The colour of the letters in ``box`` (x0, y0, x1, y1, pixels) of an RGB uint8 array printed on
    ``background``: the median colour of the tenth of its pixels farthest from the background. ``None``
    when nothing in the box stands out from the background (no letters to measure)."""
    import numpy as np

    x0, y0, x1, y1 = box
    height, width = pixels.shape[:2]
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(width, x1), min(height, y1)
    if x1 <= x0 or y1 <= y0:
        return None
    # at most ~20,000 pixels: a long line is sampled, not read whole
    step = max(1, int(((x1 - x0) * (y1 - y0) / 20000) ** 0.5))
    sample = pixels[y0:y1:step, x0:x1:step].reshape(-1, 3).astype(np.float32) / 255.0
    bg = np.asarray(background, dtype=np.float32)
    distance = np.abs(sample - bg).max(axis=1)
    strokes = sample[distance >= MIN_STROKE]
    if len(strokes) < 4:
        return None
    far = distance[distance >= MIN_STROKE]
    core = strokes[far >= np.quantile(far, 0.9)]
    r, g, b = (float(v) for v in np.median(core, axis=0))
    return (round(r, 3), round(g, 3), round(b, 3))


def line_ink(pixels: Any, words: list[tuple[int, int, int, int, str]], background: Colour) -> Colour | None:
    """The ink of a line of OCR'd words (x0, y0, x1, y1, text): the median ink, by contrast, of its
    words that hold two letters or digits together. An icon beside the text (an avatar, a coloured
    logo, a lightbulb read as "Q") is read as a stray mark, not a word, and does not colour the line;
    a line of marks only is measured over all of them."""
    real = [w for w in words if _WORDLIKE.search(w[4])] or words
    inks = [ink for w in real if (ink := ink_colour(pixels, w[:4], background)) is not None]
    if not inks:
        return None
    inks.sort(key=lambda ink: contrast(ink, background))
    return inks[len(inks) // 2]
