"""End to end in a real headless browser: upload a seed, wait for its report, self-check an answer.

Skips cleanly when Chromium, chromedriver or selenium is absent, or when ../shared is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import make_settings
from web.browser import browser_missing, headless_chromium
from web.live import LiveServer

pytestmark = [pytest.mark.slow, pytest.mark.shared]

SEED = "000_cf389ef2afa5cc5b.txt"


@pytest.fixture
def driver() -> Iterator[Any]:
    why = browser_missing()
    if why:
        pytest.skip(why)
    browser = headless_chromium()
    browser.set_page_load_timeout(60)
    try:
        yield browser
    finally:
        browser.quit()


def test_upload_seed_then_report_then_self_check(tmp_path: Path, shared: Path, driver: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    seed = shared / "seeds" / SEED
    with LiveServer(make_settings(tmp_path)) as url:
        # Upload the seed through the form.
        driver.get(url + "/")
        driver.find_element(By.ID, "files").send_keys(str(seed))
        driver.find_element(By.ID, "upload-submit").click()

        # The single-file upload lands on the submission page, which refreshes until graded.
        wait = WebDriverWait(driver, 90, poll_frequency=0.25)
        wait.until(
            lambda d: d.find_elements(By.CSS_SELECTOR, "[data-claim]") or d.find_elements(By.ID, "error")
        )
        assert not driver.find_elements(By.ID, "error"), driver.find_element(By.ID, "error").text
        report_url = driver.current_url
        assert "/submissions/" in report_url
        assert SEED in driver.page_source
        assert "cs182-fa25-hw2" in driver.page_source

        # It is listed, and the list links back to it.
        driver.get(url + "/submissions")
        link = driver.find_element(By.LINK_TEXT, SEED)
        link.click()
        wait.until(ec.url_to_be(report_url))

        # Self-check: choose a target, type an answer, see the verdict appear as we type.
        driver.get(url + "/check")
        Select(driver.find_element(By.ID, "target")).select_by_value("cs182-fa25-hw2.q1a.u")
        answer = driver.find_element(By.ID, "answer")
        answer.send_keys("-\\frac{\\alpha}{2} g")
        verdict = driver.find_element(By.ID, "verdict")
        wait.until(lambda d: verdict.text == "correct")
        assert "alpha" in driver.find_element(By.ID, "interpreted").text
        answer.send_keys(" + g")
        wait.until(lambda d: verdict.text == "incorrect")
        assert "tone-bad" in verdict.get_attribute("class")
