"""OCR of the images of a page (screenshots of a chat) with the ``tesseract`` binary, when installed.

Each image is read on its own, clipped from the rendered page, with the text the page already
holds painted out first: a typed note laid over or beside a screenshot is read from the text
layer (exactly) and must not come back a second time, garbled, in the OCR text. Boilerplate
(exporter footers) is dropped. The paragraphs come back as rows placed over the image's height,
so that they keep their order among the page's other rows; their fidelity is ``ocr``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from grader.transcripts.pdf.boilerplate import is_footer_or_header
from grader.transcripts.pdf.layout import Row

OCR_TIMEOUT_S = 60
OCR_DPI = 200
MIN_IMAGE = (100.0, 40.0)
"""Images narrower or lower than this (points) are icons and avatars, not screenshots."""

Rect = tuple[float, float, float, float]


def tesseract_available() -> bool:
    """True when the ``tesseract`` binary is on PATH."""
    return shutil.which("tesseract") is not None


def _tesseract(png: Path) -> str | None:
    binary = shutil.which("tesseract")
    if binary is None:
        return None
    try:
        done = subprocess.run(
            [binary, str(png), "stdout"],
            capture_output=True,
            timeout=OCR_TIMEOUT_S,
            check=False,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},  # threads only add overhead on one image
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", errors="replace") if done.returncode == 0 else None


def ocr_image(page: Any, clip: Rect, blank: list[Rect]) -> str | None:
    """Text of one image of a page read by Tesseract (``blank`` rectangles painted out first)."""
    import pymupdf

    area = pymupdf.Rect(clip)
    pix = page.get_pixmap(dpi=OCR_DPI, clip=area, annots=False)  # annotations are read as objects
    scale = OCR_DPI / 72.0
    for r in blank:
        box = pymupdf.Rect(r) & area
        if box.is_empty:
            continue
        x0, y0 = (box.x0 - area.x0) * scale, (box.y0 - area.y0) * scale
        x1, y1 = (box.x1 - area.x0) * scale, (box.y1 - area.y0) * scale
        pix.set_rect(pymupdf.IRect(int(x0) - 2, int(y0) - 2, int(x1) + 2, int(y1) + 2), (255, 255, 255))
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "image.png"
        pix.save(str(png))
        return _tesseract(png)


def paragraphs(text: str) -> list[str]:
    """OCR output cut into paragraphs, with exporter footers and page numbers dropped.

    >>> paragraphs("@ Powered by Claude Exporter 3/19\\n\\nThe answer\\nis 42.\\n\\n2 / 8")
    ['The answer\\nis 42.']
    """
    out = []
    for para in text.split("\n\n"):
        lines = [ln for ln in para.splitlines() if not is_footer_or_header(ln, small=False, margin=True)]
        kept = "\n".join(lines).strip()
        if sum(ch.isalnum() for ch in kept) >= 3:  # not a stray mark read off an icon
            out.append(kept)
    return out


def distinct_images(images: list[Rect], max_area: float | None = None) -> list[Rect]:
    """Image rectangles in page order, without empty ones and without a second copy of one image.

    Chat exporters often draw a screenshot twice (a clipped copy inside its frame): an image that
    mostly lies over one already listed is left out, and so is one larger than ``max_area`` (a
    page background).

    >>> distinct_images([(36, 90, 560, 589), (78, 126, 548, 532), (36, 625, 524, 181), (36, 600, 300, 700)])
    [(36.0, 90.0, 560.0, 589.0), (36.0, 600.0, 300.0, 700.0)]
    """
    out: list[Rect] = []
    for im in images:
        r = (float(im[0]), float(im[1]), float(im[2]), float(im[3]))
        if r[2] - r[0] < 1 or r[3] - r[1] < 1 or (max_area is not None and _area(r) > max_area):
            continue
        if any(_overlap(r, o) >= 0.5 * min(_area(r), _area(o)) for o in out):
            continue
        out.append(r)
    return out


def _area(r: Rect) -> float:
    return (r[2] - r[0]) * (r[3] - r[1])


def _overlap(a: Rect, b: Rect) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def ocr_rows(
    page: Any, number: int, images: list[Rect], blank: list[Rect], *, spread: bool = True
) -> list[Row] | None:
    """Rows of the text OCR reads in the page's images; None when OCR is not available.

    With ``spread`` the paragraphs of an image are laid over its height (notes beside a screenshot
    then fall among the paragraphs they sit next to); without, they keep to the image's top edge.
    """
    if not tesseract_available():
        return None
    rows: list[Row] = []
    for image in images:
        if image[2] - image[0] < MIN_IMAGE[0] or image[3] - image[1] < MIN_IMAGE[1]:
            continue
        paras = paragraphs(ocr_image(page, image, blank) or "")
        step = (image[3] - image[1]) / max(len(paras), 1)
        for k, para in enumerate(paras):
            top = image[1] + k * (step if spread else 0.01)
            rows.append(
                Row(
                    page=number,
                    baseline=top,
                    top=top,
                    bottom=top + step,
                    x0=image[0],
                    x1=image[2],
                    text=para,
                    size=12.0,
                    meta={"ocr": "tesseract"},
                )
            )
    return rows
