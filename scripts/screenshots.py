"""Screenshots of the web app: ``python scripts/screenshots.py OUTDIR [--all-seeds]``.

Starts the app on a free localhost port (a fresh SQLite file in a temporary folder), uploads
seed 000 from ../shared (or the first transcript in ``transcripts/`` when ../shared is absent),
waits for its report and saves full-page PNGs of the upload page, the report, the submissions
list, the self-check page (with an answer typed) and the dashboard.
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

from web.browser import browser_missing, headless_chromium  # noqa: E402
from web.live import LiveServer  # noqa: E402
from web.settings import Settings  # noqa: E402

SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
WIDTH = 1280


def transcripts_to_upload(all_seeds: bool) -> list[Path]:
    """Seed 000 (or every seed), else the first sample transcript of the repository."""
    seeds = sorted(SHARED_SEEDS.glob("*.txt")) if SHARED_SEEDS.is_dir() else []
    if seeds:
        return seeds if all_seeds else [p for p in seeds if p.name.startswith("000_")][:1] or seeds[:1]
    samples = sorted(
        p for p in (ROOT / "transcripts").rglob("*") if p.is_file() and not p.name.startswith(".")
    )
    if not samples:
        raise SystemExit("no transcript to upload: ../shared/seeds and transcripts/ are both empty")
    return samples[:1]


def full_page(driver: Any, path: Path) -> None:
    """Save a screenshot of the whole page (the window grows to the document height)."""
    height = driver.execute_script(
        "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)"
    )
    driver.set_window_size(WIDTH, min(max(int(height) + 40, 600), 16000))
    time.sleep(0.2)
    driver.save_screenshot(str(path))
    driver.set_window_size(WIDTH, 900)
    print(f"wrote {path}")


def upload(driver: Any, url: str, files: list[Path]) -> None:
    """Upload files through the form and wait until every submission is graded (or failed)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url + "/")
    driver.find_element(By.ID, "files").send_keys("\n".join(str(f) for f in files))
    driver.find_element(By.ID, "upload-submit").click()

    def all_finished(d: Any) -> bool:
        d.get(url + "/submissions")
        statuses = [e.text for e in d.find_elements(By.CSS_SELECTOR, "#submissions .status")]
        # Files refused at upload (unknown format...) never appear; wait for the others.
        return bool(statuses) and all(s in ("done", "failed") for s in statuses)

    WebDriverWait(driver, 180, poll_frequency=0.5).until(all_finished)


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run the app, save the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--all-seeds", action="store_true", help="upload every seed (a fuller dashboard)")
    args = parser.parse_args(argv)
    why = browser_missing()
    if why:
        print(f"cannot take screenshots: {why}", file=sys.stderr)
        return 2
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    args.outdir.mkdir(parents=True, exist_ok=True)
    files = transcripts_to_upload(args.all_seeds)
    with tempfile.TemporaryDirectory() as tmp, LiveServer(Settings(data_dir=Path(tmp))) as url:
        driver = headless_chromium(WIDTH, 900)
        try:
            driver.get(url + "/")
            full_page(driver, args.outdir / "upload.png")
            upload(driver, url, files)
            full_page(driver, args.outdir / "submissions.png")
            first = driver.find_element(By.LINK_TEXT, files[0].name).get_attribute("href")
            driver.get(first)
            driver.save_screenshot(str(args.outdir / "report-top.png"))  # what a reader sees first
            full_page(driver, args.outdir / "report.png")
            driver.get(url + "/check")
            Select(driver.find_element(By.ID, "target")).select_by_value("cs182-fa25-hw2.q1a.u")
            driver.find_element(By.ID, "answer").send_keys("-\\frac{\\alpha}{2} g")
            WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "verdict").text == "correct")
            full_page(driver, args.outdir / "check.png")
            driver.get(url + "/dashboard")
            full_page(driver, args.outdir / "dashboard.png")
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
