"""End to end in a real headless Chromium: a TA uploads a real PDF, reads its report and the dashboard;
a student self-checks and cannot open the TA's pages.

Skips cleanly when Chromium, chromedriver or selenium is absent, or when ../shared is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import ALICE, COURSE, PASSWORD, TA, USERS
from web.browser import browser_missing, headless_chromium, log_in, log_out, page_widths
from web.live import LiveServer
from web.settings import Settings

pytestmark = [pytest.mark.slow, pytest.mark.shared]

REAL_PDF = "thread849_gpt51_hw2.pdf"
WIDTH = 1400


@pytest.fixture
def driver() -> Iterator[Any]:
    why = browser_missing()
    if why:
        pytest.skip(why)
    browser = headless_chromium(WIDTH, 900)
    browser.set_page_load_timeout(60)
    try:
        yield browser
    finally:
        browser.quit()


def test_ta_and_student_in_the_browser(tmp_path: Path, shared: Path, driver: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    pdf = shared / "real" / REAL_PDF
    server = LiveServer(Settings(database_url=f"sqlite:///{tmp_path / 'grader.db'}", workers=2))
    with server as url:
        accounts = server.app.state.accounts
        accounts.add_course(COURSE)
        for email, role in USERS:
            accounts.add_user(email, PASSWORD, role, COURSE)
        wait = WebDriverWait(driver, 180, poll_frequency=0.25)

        # The TA logs in and uploads a real PDF through the form.
        log_in(driver, url, TA, PASSWORD)
        driver.get(url + "/")
        driver.find_element(By.ID, "files").send_keys(str(pdf))
        driver.find_element(By.ID, "upload-submit").click()
        wait.until(lambda d: d.find_elements(By.ID, "attention") or d.find_elements(By.ID, "error"))
        assert not driver.find_elements(By.ID, "error"), driver.find_element(By.ID, "error").text
        report_url = driver.current_url
        assert REAL_PDF in driver.page_source and "cs182-fa25-hw2" in driver.page_source
        assert driver.find_elements(By.CSS_SELECTOR, "[data-claim]")
        # Nothing overflows sideways at 1,400 px, folded turns included once opened.
        for fold in driver.find_elements(By.CSS_SELECTOR, "details.fold"):
            driver.execute_script("arguments[0].open = true", fold)
        width, inner = page_widths(driver)
        assert width <= inner, f"the report is {width}px wide in a {inner}px window"
        # Every link of the summary leads to an element of the page.
        for link in driver.find_elements(By.CSS_SELECTOR, "#attention a"):
            target = link.get_attribute("href").split("#", 1)[1]
            assert driver.find_elements(By.ID, target), target

        # The dashboard lists the homework, its parts × models table and the model's weakest parts.
        driver.get(url + "/dashboard")
        assert driver.find_elements(By.ID, "hw-cs182-fa25-hw2")
        assert driver.find_elements(By.CSS_SELECTOR, "#models .model-card")
        width, inner = page_widths(driver)
        assert width <= inner

        # The API's documentation renders from the local assets.
        driver.get(url + "/docs")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock"))
        assert driver.find_elements(By.XPATH, "//*[contains(text(), '/api/token')]")

        # A student: self-check with the verdict as she types, no reference shown.
        driver.get(url + "/")
        log_out(driver)
        log_in(driver, url, ALICE, PASSWORD)
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
        assert driver.find_element(By.ID, "reference").text == "hidden by your course"

        # ...and cannot open the TA's pages.
        assert "Dashboard" not in driver.find_element(By.CSS_SELECTOR, ".topbar nav").text
        driver.get(url + "/dashboard")
        assert "403" in driver.find_element(By.TAG_NAME, "h1").text
        driver.get(report_url)
        assert "404" in driver.find_element(By.TAG_NAME, "h1").text
        driver.get(url + "/submissions")
        assert not driver.find_elements(By.LINK_TEXT, REAL_PDF)
