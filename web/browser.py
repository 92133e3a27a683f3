"""A headless Chromium driven by Selenium, for the end-to-end test and the screenshots script.

Uses Debian's ``chromium`` and ``chromium-driver`` packages; :func:`browser_missing` says why
a browser cannot be started (so callers can skip cleanly).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER_NAMES = ("chromedriver", "chromium-driver")


def chromedriver_path() -> str | None:
    """The chromedriver binary, if installed."""
    for name in CHROMEDRIVER_NAMES:
        found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
        if found:
            return found
    return None


def browser_missing() -> str | None:
    """Why no headless browser can run here, or None when one can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install selenium)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is absent (apt-get install chromium chromium-driver)"
    if chromedriver_path() is None:
        return "chromedriver is absent (apt-get install chromium-driver)"
    return None


def headless_chromium(width: int = 1280, height: int = 900) -> Any:
    """A started headless Chromium WebDriver (the caller quits it)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={width},{height}",
        "--hide-scrollbars",
    ):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(chromedriver_path()), options=options)
