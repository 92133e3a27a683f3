"""OCR of image-only pages with the ``tesseract`` binary, when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

OCR_TIMEOUT_S = 60
OCR_DPI = 200


def tesseract_available() -> bool:
    """True when the ``tesseract`` binary is on PATH."""
    return shutil.which("tesseract") is not None


def ocr_page(page: Any) -> str | None:
    """Text of a rendered page read by Tesseract, or None when OCR is unavailable or fails."""
    binary = shutil.which("tesseract")
    if binary is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "page.png"
        page.get_pixmap(dpi=OCR_DPI).save(str(png))
        try:
            done = subprocess.run(
                [binary, str(png), "stdout"], capture_output=True, timeout=OCR_TIMEOUT_S, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", errors="replace")
