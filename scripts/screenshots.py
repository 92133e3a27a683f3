"""Screenshots of the web app at 1,400 px: ``python scripts/screenshots.py OUTDIR [--all-seeds]``.

Starts the app on a free localhost port (a fresh SQLite file in a temporary folder) with a demo
course, a TA and a student; saves the login page, then, as the TA, uploads a real PDF from
../shared/real (or seed 000, or the first sample of ``transcripts/`` when ../shared is absent),
waits for its report and saves the upload page, the report (what a reader sees first, and the whole
page), the submissions list, the dashboard and the course page; then, as the student, the
self-check with an answer typed. Exits 1 when a page is wider than the window (horizontal overflow).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from web.browser import browser_missing, headless_chromium, log_in, log_out, page_widths  # noqa: E402
from web.live import LiveServer  # noqa: E402
from web.settings import Settings  # noqa: E402

SHARED = ROOT.parent / "shared"
WIDTH = 1400
COURSE, TA, STUDENT, PASSWORD = "cs182-demo", "ta@example.edu", "student@example.edu", "demo password 1"


def transcripts_to_upload(all_seeds: bool) -> list[Path]:
    """A real PDF (and every seed with --all-seeds), else seed 000, else the first sample transcript."""
    real = sorted((SHARED / "real").glob("*.pdf")) if (SHARED / "real").is_dir() else []
    seeds = sorted((SHARED / "seeds").glob("*.txt")) if (SHARED / "seeds").is_dir() else []
    chosen = [p for p in real if "gpt51" in p.name][:1] or real[:1] or seeds[:1]
    if all_seeds:
        chosen += [s for s in seeds if s not in chosen]
    if chosen:
        return chosen
    samples = sorted(
        p for p in (ROOT / "transcripts").rglob("*") if p.is_file() and not p.name.startswith(".")
    )
    if not samples:
        raise SystemExit("no transcript to upload: ../shared and transcripts/ are both empty")
    return samples[:1]


class Shooter:
    """Saves screenshots and records any page wider than the window."""

    def __init__(self, driver: Any, outdir: Path) -> None:
        self.driver, self.outdir = driver, outdir
        self.overflows: list[str] = []

    def check_width(self, name: str) -> None:
        width, inner = page_widths(self.driver)
        if width > inner:
            self.overflows.append(f"{name}: {width}px wide in a {inner}px window")

    def viewport(self, name: str) -> None:
        """What the window shows (the top of the page)."""
        self.check_width(name)
        self.driver.save_screenshot(str(self.outdir / name))
        print(f"wrote {self.outdir / name}")

    def full_page(self, name: str) -> None:
        """The whole page (the window grows to the document height)."""
        self.check_width(name)
        height = self.driver.execute_script(
            "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)"
        )
        self.driver.set_window_size(WIDTH, min(max(int(height) + 40, 600), 16000))
        time.sleep(0.2)
        self.driver.save_screenshot(str(self.outdir / name))
        self.driver.set_window_size(WIDTH, 900)
        print(f"wrote {self.outdir / name}")


def upload(driver: Any, url: str, files: list[Path]) -> str:
    """Upload each file as its own submission through the form; returns the first one's page URL."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    first = ""
    for f in files:
        driver.get(url + "/")
        driver.find_element(By.ID, "files").send_keys(str(f))
        driver.find_element(By.ID, "upload-submit").click()
        WebDriverWait(driver, 60).until(lambda d: "/submissions/" in d.current_url)
        first = first or driver.current_url
    WebDriverWait(driver, 300, poll_frequency=0.5).until(
        lambda d: d.get(first) or d.find_elements(By.ID, "attention") or d.find_elements(By.ID, "error")
    )
    return first


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run the app, save the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--all-seeds", action="store_true", help="upload every seed too (a fuller dashboard)")
    args = parser.parse_args(argv)
    why = browser_missing()
    if why:
        print(f"cannot take screenshots: {why}", file=sys.stderr)
        return 2
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    args.outdir.mkdir(parents=True, exist_ok=True)
    files = transcripts_to_upload(args.all_seeds)
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(Settings(data_dir=Path(tmp)))
        with server as url:
            accounts = server.app.state.accounts
            accounts.add_course(COURSE, "CS 182 (demo)")
            accounts.add_user(TA, PASSWORD, "ta", COURSE)
            accounts.add_user(STUDENT, PASSWORD, "student", COURSE)
            driver = headless_chromium(WIDTH, 900)
            shots = Shooter(driver, args.outdir)
            try:
                driver.get(url + "/login")
                shots.viewport("login.png")
                log_in(driver, url, TA, PASSWORD)
                driver.get(url + "/")
                shots.full_page("upload.png")
                report = upload(driver, url, files)
                driver.get(report)
                shots.viewport("report-top.png")
                shots.full_page("report.png")
                driver.get(url + "/submissions")
                shots.full_page("submissions.png")
                driver.get(url + "/dashboard")
                shots.full_page("dashboard.png")
                driver.get(url + f"/courses/{COURSE}")
                shots.full_page("course.png")
                log_out(driver)
                log_in(driver, url, STUDENT, PASSWORD)
                driver.get(url + "/check")
                Select(driver.find_element(By.ID, "target")).select_by_value("cs182-fa25-hw2.q1a.u")
                driver.find_element(By.ID, "answer").send_keys("-\\frac{\\alpha}{2} g")
                WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "verdict").text == "correct")
                shots.full_page("check.png")
            finally:
                driver.quit()
    if shots.overflows:
        print("pages wider than the window:\n  " + "\n  ".join(shots.overflows), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
