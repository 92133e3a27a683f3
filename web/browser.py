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


def log_in(driver: Any, base_url: str, email: str, password: str) -> None:
    """Log in through the login form (the browser keeps the session cookie)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(base_url + "/login")
    driver.find_element(By.ID, "username").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "login-submit").click()
    WebDriverWait(driver, 30).until(
        lambda d: "/login" not in d.current_url or d.find_elements(By.ID, "login-error")
    )


def log_out(driver: Any) -> None:
    """Press the menu's "Log out" button."""
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, "form.logout button").click()


def page_widths(driver: Any) -> tuple[int, int]:
    """``(document scroll width, window inner width)``: the page overflows sideways when the first is larger."""
    width, inner = driver.execute_script(
        "return [Math.max(document.documentElement.scrollWidth, document.body.scrollWidth), window.innerWidth]"
    )
    return int(width), int(inner)
